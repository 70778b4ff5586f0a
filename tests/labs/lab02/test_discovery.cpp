// Discovery on one machine: lab02-server --announce sends beacons,
// lab02-client --discover waits for one, learns the server's address from the
// beacon's source, and connects. Doc: docs/en/lab02.md, "Finding the server".
//
// Safety and determinism: on plain loopback the beacon goes to 127.0.0.1
// only (--announce-to 127.0.0.1), never to a broadcast address. The client
// picks its discovery port itself (--discovery-port 0) and prints it in its
// ready line; only then does the test start the server, telling it that port.
// Nothing guesses a free port, and nothing else can be on it.
//
// Each exercise is graded on its own: the tests of lab02-ex2 (the beacon)
// announce with lab02-harness-server (harness_server.cpp), a finished
// stand-in for lab02-server, so they do not need lab02-ex1 (the server's
// bind). One test runs the two real programs together, for no exercise.
#include <memory>

#include "discovery.hpp"
#include "netlabs/timed.hpp"
#include "support.hpp"

using namespace lab02;

namespace {

// Starts `lab02-client --discover` on a port of its own choosing and returns
// the discovery port from its ready line "listening on 0.0.0.0:PORT (UDP, ...)".
std::string discovery_port_of(Process& client)
{
    const auto ready = client.wait_for_line("^listening on 0\\.0\\.0\\.0:(\\d+) \\(UDP, waiting for a lab02-server beacon\\)$");
    return ready[1];
}

// The stand-in server on 127.0.0.1, any port, beacons to 127.0.0.1:PORT.
std::unique_ptr<Process> harness(const std::string& name, const std::string& discovery_port)
{
    auto server = std::make_unique<Process>(std::vector<std::string>{
        bin("lab02-harness-server"), "--name", name, "--announce-to", "127.0.0.1", "--discovery-port", discovery_port,
        "--announce-interval", "0.1"});
    return server;
}

// Waits for the stand-in's ready line, then its "beacons to" line, printed
// once encode_beacon worked: an unfinished lab02-ex2 fails here at once, with
// the stub's message, instead of after the client's 10 s timeout.
auto announcing(Process& server)
{
    const auto ep = server.wait_listening();
    server.wait_for_line("^beacons to ");
    return ep;
}

} // namespace

TEST_CASE("the client finds the server by its beacon and talks to it", "[lab02][discovery][ex2]")
{
    Process client({bin("lab02-client"), "--discover", "--discovery-port", "0", "--timeout", "10", "hello", "again"});
    const std::string discovery_port = discovery_port_of(client);

    auto server = harness("desk", discovery_port);
    const auto ep = announcing(*server);

    const Result done = client.wait();
    INFO("steps: lab02-client --discover --discovery-port 0 hello again; then the test's server announced "
         "'desk' (encode_beacon) to that port; the client read it (parse_beacon)\n" << done.describe());
    CHECK(done.exit_code == 0);
    CHECK(done.out == "listening on 0.0.0.0:" + discovery_port +
                          " (UDP, waiting for a lab02-server beacon)\n"
                          "Found desk at 127.0.0.1:" + port_of(ep) + "\n"
                          "Received: hello\nReceived: again\n");
    server->wait_for_line("^\\[127\\.0\\.0\\.1:\\d+\\] again$");
}

// The two programs together: needs lab02-ex1 and lab02-ex2, so it counts for neither.
TEST_CASE("lab02-client --discover finds lab02-server --announce and talks to it", "[lab02][discovery][programs]")
{
    Process client({bin("lab02-client"), "--discover", "--discovery-port", "0", "--timeout", "10", "hello", "again"});
    const std::string discovery_port = discovery_port_of(client);

    Process server({bin("lab02-server"), "--port", "0", "--announce", "--name", "desk", "--announce-to",
                    "127.0.0.1", "--discovery-port", discovery_port, "--announce-interval", "0.1"});
    const auto ep = server.wait_listening();
    server.wait_for_line("^Announcing 'netlabs-lab02 desk " + port_of(ep) + "' every 0\\.1 s to 127\\.0\\.0\\.1:" +
                         discovery_port + " \\(UDP\\)$");

    const Result done = client.wait();
    INFO("client: lab02-client --discover --discovery-port 0 hello again\n" << done.describe());
    CHECK(done.exit_code == 0);
    CHECK(done.out == "listening on 0.0.0.0:" + discovery_port +
                          " (UDP, waiting for a lab02-server beacon)\n"
                          "Found desk at 127.0.0.1:" + port_of(ep) + "\n"
                          "Received: hello\nReceived: again\n");
    server.wait_for_line("^\\[127\\.0\\.0\\.1:\\d+\\] again$");
}

TEST_CASE("the beacon is one datagram 'netlabs-lab02 NAME PORT' from the server's address",
          "[lab02][discovery][ex2]")
{
    // The test listens where the client would, and reads the datagram itself.
    asio::io_context io;
    asio::ip::udp::socket listener(io, {loopback(), 0});
    const std::string discovery_port = std::to_string(listener.local_endpoint().port());

    auto server = harness("desk", discovery_port);
    const auto ep = announcing(*server);

    std::array<char, 512> data{};
    asio::ip::udp::endpoint sender;
    auto receive = [&]() -> asio::awaitable<std::size_t> {
        co_return co_await listener.async_receive_from(asio::buffer(data), sender, asio::use_awaitable);
    };
    const std::size_t n = netlabs::run_timed(listener, receive(), 10s, "receive beacon on", discovery_port);
    CHECK(std::string(data.data(), n) == "netlabs-lab02 desk " + port_of(ep) + "\n");
    INFO("the beacon's source is the address the client will connect to");
    CHECK(sender.address().to_string() == "127.0.0.1");
}

TEST_CASE("datagrams that are not beacons are ignored", "[lab02][discovery][ex2]")
{
    Process client({bin("lab02-client"), "--discover", "--discovery-port", "0", "--timeout", "10", "hi"});
    const std::string discovery_port = discovery_port_of(client);
    {
        asio::io_context io;
        asio::ip::udp::socket other(io, asio::ip::udp::v4());
        const asio::ip::udp::endpoint to(loopback(), static_cast<unsigned short>(std::stoi(discovery_port)));
        for (const char* junk : {"hello", "netlabs-lab02 x 0", "netlabs-lab03 y 5000"})
            other.send_to(asio::buffer(std::string(junk)), to);
    }
    auto server = harness("real", discovery_port);
    const auto ep = announcing(*server);
    const Result done = client.wait();
    INFO(done.describe());
    CHECK(done.exit_code == 0);
    CHECK_THAT(done.out, match::Contains("Found real at 127.0.0.1:" + port_of(ep) + "\nReceived: hi\n"));
}

TEST_CASE("no beacon within --timeout: exit 1 with a hint", "[lab02][discovery][errors]")
{
    const Result client = run({bin("lab02-client"), "--discover", "--discovery-port", "0", "--timeout", "0.3", "hi"});
    INFO(client.describe());
    CHECK(client.exit_code == 1);
    CHECK_THAT(client.err, match::Matches("lab02-client: discover on UDP port \\d+: timed out \\(no lab02-server "
                                          "beacon in 0\\.3 s: is a server running with --announce on this LAN, "
                                          "on the same --discovery-port\\? broadcasts do not cross a router\\)\n"));
}

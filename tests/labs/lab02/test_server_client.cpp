// lab02-server and lab02-client on one machine: lines out, "Received:" back,
// many clients at once, and a misbehaving client that harms nobody else.
// Doc: docs/en/lab02.md, "A server for the LAN".
#include <csignal>

#include "support.hpp"

using namespace lab02;

TEST_CASE("each message goes out as a line and comes back as 'Received: ...'", "[lab02][server][client][ex1]")
{
    Process server({bin("lab02-server"), "--port", "0"});
    const auto ep = server.wait_listening();
    INFO("server: lab02-server --port 0 said 'listening on " << ep.to_string() << "'");
    CHECK(ep.host == "127.0.0.1");  // the default is loopback: this machine only

    const Result client = run({bin("lab02-client"), "127.0.0.1", port_of(ep), "hello", "two words"});
    INFO("client: lab02-client 127.0.0.1 " << ep.port << " hello 'two words'\n" << client.describe());
    CHECK(client.exit_code == 0);
    CHECK(client.out == "Received: hello\nReceived: two words\n");
    CHECK(client.err.empty());

    // The server prints every line with the address and port it came from.
    const auto connected = server.wait_for_line("^Client 127\\.0\\.0\\.1:(\\d+) connected \\(1 now\\)$");
    const std::string from = "\\[127\\.0\\.0\\.1:" + connected[1] + "\\] ";
    server.wait_for_line("^" + from + "hello$");
    server.wait_for_line("^" + from + "two words$");
    server.wait_for_line("^Client 127\\.0\\.0\\.1:" + connected[1] + " disconnected \\(0 left\\)$");
    CHECK(server.stop().err.empty());
}

TEST_CASE("the server names the client by the port the client's OS chose for it", "[lab02][server][ex1]")
{
    Process server({bin("lab02-server"), "--port", "0"});
    const auto ep = server.wait_listening();
    RawClient client(ep.port);
    const std::string port = std::to_string(client.local_port());
    INFO("the test's client socket has local address 127.0.0.1:" << port);
    server.wait_for_line("^Client 127\\.0\\.0\\.1:" + port + " connected \\(1 now\\)$");
    client.send("hi\n");
    CHECK(client.read_line() == "Received: hi");
    server.wait_for_line("^\\[127\\.0\\.0\\.1:" + port + "\\] hi$");
}

TEST_CASE("the server says who can reach it, by its --bind address", "[lab02][server][bind][ex1]")
{
    Process server({bin("lab02-server"), "--port", "0", "--bind", "127.0.0.1"});
    server.wait_listening();
    server.wait_for_line("^Only programs on this machine can connect: 127\\.0\\.0\\.1 is loopback\\.");
}

#ifdef __linux__
TEST_CASE("a server bound to one address does not hear connections to another", "[lab02][server][bind][ex1]")
{
    // On Linux all of 127.0.0.0/8 is this machine: 127.0.0.2 stands in for "one
    // interface's address" without leaving loopback.
    Process server({bin("lab02-server"), "--port", "0", "--bind", "127.0.0.2"});
    const auto ep = server.wait_listening();
    CHECK(ep.host == "127.0.0.2");

    const Result other = run({bin("lab02-client"), "127.0.0.1", port_of(ep), "hi"});
    INFO("connecting to 127.0.0.1 while the server is bound to 127.0.0.2\n" << other.describe());
    CHECK(other.exit_code == 1);
    CHECK_THAT(other.err, match::Contains("connection refused"));

    const Result same = run({bin("lab02-client"), "127.0.0.2", port_of(ep), "hi"});
    INFO(same.describe());
    CHECK(same.exit_code == 0);
    CHECK(same.out == "Received: hi\n");
}
#endif

TEST_CASE("20 clients at once each get their own replies", "[lab02][server][ex1]")
{
    Process server({bin("lab02-server"), "--port", "0"});
    const auto ep = server.wait_listening();
    std::vector<std::unique_ptr<RawClient>> clients;
    for (int i = 0; i < 20; ++i) clients.push_back(std::make_unique<RawClient>(ep.port));
    server.wait_for_line("connected \\(20 now\\)$");  // the server holds all 20 before any speaks
    for (int i = 0; i < 20; ++i) clients[static_cast<std::size_t>(i)]->send("client " + std::to_string(i) + "\n");
    for (int i = 19; i >= 0; --i) {  // read in the other order: nobody waits for anybody
        INFO("client " << i << " of 20");
        CHECK(clients[static_cast<std::size_t>(i)]->read_line() == "Received: client " + std::to_string(i));
    }
}

TEST_CASE("a client that sends 1 MB without a newline is told and dropped, and others go on",
          "[lab02][server][misbehaving][ex1]")
{
    Process server({bin("lab02-server"), "--port", "0"});
    const auto ep = server.wait_listening();
    RawClient good(ep.port);
    good.send("before\n");
    CHECK(good.read_line() == "Received: before");

    RawClient flood(ep.port);
    asio::error_code ec;
    asio::write(flood.socket, asio::buffer(std::string(1024 * 1024, 'x')), ec);  // may be cut short: fine
    INFO("the flooding client sent 1 MB without a newline (write: " << ec.message() << ")");
    CHECK(flood.read_to_end() == "error: line longer than 65536 bytes; closing\n");
    server.wait_for_line("sent a line longer than 65536 bytes and was disconnected \\(1 left\\)$");

    good.send("after\n");
    CHECK(good.read_line() == "Received: after");
}

TEST_CASE("a client that resets its connection mid-line harms nobody else", "[lab02][server][misbehaving][ex1]")
{
    Process server({bin("lab02-server"), "--port", "0"});
    const auto ep = server.wait_listening();
    RawClient good(ep.port);
    {
        RawClient rude(ep.port);
        server.wait_for_line("connected \\(2 now\\)$");
        rude.send("half a line");
        rude.socket.set_option(asio::socket_base::linger(true, 0));  // close() now sends RST, not FIN
        rude.socket.close();
    }
    const auto line = server.wait_for_line("^Client 127\\.0\\.0\\.1:\\d+ (.*) \\(1 left\\)$");
    INFO("the server said: " << line[0]);
    CHECK_THAT(line[1], match::Contains("reset"));

    good.send("still here\n");
    CHECK(good.read_line() == "Received: still here");
}

TEST_CASE("a client that closes in the middle of a line is reported, not echoed", "[lab02][server][misbehaving][ex1]")
{
    Process server({bin("lab02-server"), "--port", "0"});
    const auto ep = server.wait_listening();
    {
        RawClient client(ep.port);
        client.send("no newline");
        client.socket.shutdown(asio::ip::tcp::socket::shutdown_send);
        CHECK(client.read_to_end().empty());
    }
    server.wait_for_line("disconnected: connection closed in the middle of a line \\(got 10 bytes and no newline\\) "
                         "\\(0 left\\)$");
    CHECK(server.out().find("] no newline") == std::string::npos);
}

TEST_CASE("SIGTERM and SIGINT shut the server down cleanly, exit 0", "[lab02][server][ex1]")
{
    for (int signal : {SIGTERM, SIGINT}) {
        Process server({bin("lab02-server"), "--port", "0"});
        const auto ep = server.wait_listening();
        RawClient client(ep.port);
        server.wait_for_line("connected \\(1 now\\)$");
        const Result done = server.stop(signal);
        INFO("signal " << signal << "\n" << done.describe());
        CHECK(done.exit_code == 0);
        CHECK_THAT(done.out, match::Contains(std::string("Shutting down on ") +
                                             (signal == SIGINT ? "SIGINT" : "SIGTERM") + " (1 clients connected)"));
        CHECK(done.err.empty());
    }
}

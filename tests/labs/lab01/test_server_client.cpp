// lab01-server and lab01-client: the seed 002 server and the seed 004 client.
// Doc: docs/en/lab01.md, sections "The server" and "The client".
#include "support.hpp"

using namespace lab01;

namespace {

// A client that sends `message`, says it is done (as lab01-client does) and
// reads the reply to the end: the test's own client, not lab01-client (ex2).
std::string ask(unsigned short port, const std::string& message = "Hello, server!")
{
    RawClient client(port);
    client.send(message);
    client.socket.shutdown(asio::ip::tcp::socket::shutdown_send);
    return client.read_to_end();
}

} // namespace

// The server's tests (lab01-ex1) talk to lab01-server with the test's own
// client; the client's tests (lab01-ex2) talk to HarnessServer, the test's
// own server (support.hpp). Each exercise is graded on its own.
TEST_CASE("lab01-server receives each client's message and replies, client after client", "[lab01][server][ex1]")
{
    Process server({bin("lab01-server"), "--port", "0"});
    const auto ep = server.wait_listening();
    INFO("server: lab01-server --port 0 said 'listening on " << ep.to_string() << "'");
    CHECK(ep.host == "127.0.0.1");  // the default is loopback, as in seed 002
    CHECK(ep.port != 0);            // port 0 asks the OS for a free port, and the server prints it

    INFO("steps: a client sent 'Hello, server!' and closed its sending side");
    CHECK(ask(ep.port) == "Hello from server!");
    server.wait_for_line("^Received data: Hello, server!$");
    INFO("then a second client sent 'second client'");
    CHECK(ask(ep.port, "second client") == "Hello from server!");
    server.wait_for_line("^Received data: second client$");  // the server loops: it serves the next client
    CHECK(server.stop().err.empty());
}

TEST_CASE("lab01-client sends its message and prints the server's reply", "[lab01][client][ex2]")
{
    HarnessServer server(netlabs::lab01::Framing::none, "Hello from server!", 2);
    const Result client = run({bin("lab01-client"), "--port", server.port_text()});
    INFO("client: lab01-client --port " << server.port() << " (the test's server replies 'Hello from server!')\n"
                                        << client.describe());
    CHECK(client.exit_code == 0);
    CHECK(client.out == "Received: Hello from server!\n");
    const Result second = run({bin("lab01-client"), "--port", server.port_text(), "second", "client"});
    INFO(second.describe());
    CHECK(second.out == "Received: Hello from server!\n");
    CHECK(server.received() == std::vector<std::string>{"Hello, server!", "second client"});
}

TEST_CASE("lab01-server --once serves one client and exits 0", "[lab01][server][ex1]")
{
    Process server({bin("lab01-server"), "--port", "0", "--once"});
    const auto ep = server.wait_listening();
    CHECK(ask(ep.port) == "Hello from server!");
    const Result done = server.wait();
    INFO(done.describe());
    CHECK(done.exit_code == 0);
    CHECK_THAT(done.out, match::Contains("Connection from 127.0.0.1:"));
}

TEST_CASE("lab01-server --reply fills in what arrived", "[lab01][server][ex1]")
{
    Process server({bin("lab01-server"), "--port", "0", "--reply", "got {bytes} bytes: {message}"});
    const auto ep = server.wait_listening();
    CHECK(ask(ep.port, "hi") == "got 2 bytes: hi");
}

TEST_CASE("a connection to a port where nobody listens is refused, with a hint", "[lab01][client][errors][ex2]")
{
    const ClosedTcpPort closed;
    const unsigned short port = closed.port();
    const Result client = run({bin("lab01-client"), "--port", std::to_string(port)});
    INFO(client.describe());
    CHECK(client.exit_code == 1);
    CHECK(client.err == "lab01-client: connect 127.0.0.1:" + std::to_string(port) +
                            ": connection refused (is the server running, and on that port?)\n");
}

TEST_CASE("a second server on a port in use fails with 'address already in use'", "[lab01][server][errors][ex1]")
{
    Process first({bin("lab01-server"), "--port", "0"});
    const auto ep = first.wait_listening();
    const Result second = run({bin("lab01-server"), "--port", port_of(ep)});
    INFO(second.describe());
    CHECK(second.exit_code == 1);
    CHECK_THAT(second.err, match::StartsWith("lab01-server: bind 127.0.0.1:" + port_of(ep) +
                                                       ": address already in use ("));
}

TEST_CASE("SO_REUSEADDR lets a server restart while its old connections are in TIME_WAIT",
          "[lab01][server][reuseaddr][ex1]")
{
    // The server closes first (it replies, then closes), so its side of the
    // connection stays in TIME_WAIT on its port after it exits. On Linux a new
    // bind() to that port succeeds only if both the old and the new socket
    // set SO_REUSEADDR.
    const bool reuse_before = GENERATE(true, false);
    std::string port;
    {
        std::vector<std::string> argv{bin("lab01-server"), "--port", "0", "--framing", "line"};
        if (!reuse_before) argv.push_back("--no-reuseaddr");
        Process server(argv);
        const auto ep = server.wait_listening();
        port = port_of(ep);
        RawClient client(ep.port);
        client.send("hello\n");
        CHECK(client.read_to_end() == "Hello from server!\n");  // the server closed first
        server.stop();
    }
    INFO("steps: a server on port " << port << (reuse_before ? " with" : " without")
         << " SO_REUSEADDR served one client and stopped; its side of the connection is in TIME_WAIT");

    SECTION("a restart without SO_REUSEADDR (the seed's way) fails")
    {
        const Result again = run({bin("lab01-server"), "--port", port, "--no-reuseaddr", "--once"});
        INFO(again.describe());
        CHECK(again.exit_code == 1);
        CHECK_THAT(again.err, match::Contains("address already in use"));
        CHECK_THAT(again.err, match::Contains("TIME_WAIT"));
    }
    if (reuse_before) {
        SECTION("a server that always sets SO_REUSEADDR (the default) restarts at once")
        {
            Process again({bin("lab01-server"), "--port", port});
            CHECK(again.wait_listening().port == std::stoi(port));
        }
    }
}

TEST_CASE("the client gives up after --timeout when the server never answers", "[lab01][client][errors][ex2]")
{
    // A socket that listens but never accepts or replies: the kernel completes
    // the handshake, so connect succeeds, and then nothing ever comes back.
    asio::io_context io;
    asio::ip::tcp::acceptor silent(io, {asio::ip::make_address("127.0.0.1"), 0});
    const auto port = std::to_string(silent.local_endpoint().port());
    const Result client = run({bin("lab01-client"), "--port", port, "--timeout", "0.3"});
    INFO(client.describe());
    CHECK(client.exit_code == 1);
    CHECK_THAT(client.err, match::StartsWith("lab01-client: receive from 127.0.0.1:" + port +
                                                       ": timed out ("));
}

TEST_CASE("the server keeps serving when a client misbehaves", "[lab01][server][robust][ex1]")
{
    Process server({bin("lab01-server"), "--port", "0", "--client-timeout", "0.3"});
    const auto ep = server.wait_listening();

    SECTION("a client that connects and says nothing is dropped after --client-timeout")
    {
        RawClient silent(ep.port);
        server.wait_for_line("^Connection from ");
        INFO("steps: a silent client connected first, then a normal one");
        CHECK(ask(ep.port) == "Hello from server!");
        // Its error line about the silent client may still be on its way: stop it, then read all it said.
        const Result done = server.stop();
        CHECK_THAT(done.err, match::Contains("timed out"));
    }
    SECTION("clients that reset while they wait in the accept queue harm nobody")
    {
        // A server of its own, with room in its accept queue (the seed's listen(1) has
        // none) and a first client that does not time out while the others queue.
        Process patient({bin("lab01-server"), "--port", "0", "--client-timeout", "10", "--backlog", "16"});
        const auto at = patient.wait_listening();
        RawClient first(at.port);  // the server is busy with this one...
        patient.wait_for_line("^Connection from ");
        for (int i = 0; i < 4; ++i) {  // ...while these connect, wait in the queue, and reset (RST)
            RawClient quitter(at.port);
            quitter.socket.set_option(asio::socket_base::linger(true, 0));
            quitter.socket.close();
        }
        first.send("still here");
        INFO("steps: one client connected; four more connected and reset while queued; the first sent its line\n"
             << "server said:\n" << patient.out() << patient.err());
        first.socket.shutdown(asio::ip::tcp::socket::shutdown_send);  // done sending, as lab01-client is
        CHECK(first.read_to_end() == "Hello from server!");
        patient.wait_for_line("^A client left before it was served \\(");
        INFO("then a normal client (docs/en/lab01.md, the server)\nserver said:\n" << patient.out() << patient.err());
        CHECK(ask(at.port) == "Hello from server!");
    }
    SECTION("a client that connects and closes at once")
    {
        {
            RawClient gone(ep.port);
        }
        server.wait_for_line("closed without sending anything");
        CHECK(ask(ep.port) == "Hello from server!");
    }
}

// lab01-echo-async: many clients at once on asio coroutines.
// Doc: docs/en/lab01.md, "Many clients at once".
#include <csignal>

#include "support.hpp"

using namespace lab01;

TEST_CASE("50 clients at once each get their own bytes back", "[lab01][echo]")
{
    Process server({bin("lab01-echo-async"), "--port", "0"});
    const auto ep = server.wait_listening();

    asio::io_context io;
    std::vector<asio::ip::tcp::socket> clients;
    for (int i = 0; i < 50; ++i) {
        clients.emplace_back(io);
        clients.back().connect({asio::ip::make_address("127.0.0.1"), ep.port});
    }
    // Every client has connected before any speaks: the server holds all 50.
    for (int i = 0; i < 50; ++i)
        asio::write(clients[static_cast<std::size_t>(i)], asio::buffer("client " + std::to_string(i) + "\n"));
    for (int i = 0; i < 50; ++i) {
        const std::string expected = "client " + std::to_string(i) + "\n";
        std::string got(expected.size(), '\0');
        asio::read(clients[static_cast<std::size_t>(i)], asio::buffer(got));
        INFO("client " << i << " of 50 sent '" << expected << "'");
        CHECK(got == expected);
    }
}

TEST_CASE("a stalled client does not hold up the others", "[lab01][echo]")
{
    Process server({bin("lab01-echo-async"), "--port", "0"});
    const auto ep = server.wait_listening();
    RawClient stalled(ep.port);
    stalled.send("half a line and then nothing");  // and never reads its echo
    server.wait_for_line("connected \\(1 now\\)");

    RawClient other(ep.port);
    other.send("ping");
    std::string got(4, '\0');
    asio::read(other.socket, asio::buffer(got));
    CHECK(got == "ping");
}

TEST_CASE("a normal disconnect is not an error, and SIGTERM shuts down cleanly", "[lab01][echo]")
{
    Process server({bin("lab01-echo-async"), "--port", "0"});
    const auto ep = server.wait_listening();
    {
        RawClient client(ep.port);
        client.send("bye");
        std::string got(3, '\0');
        asio::read(client.socket, asio::buffer(got));
    }
    server.wait_for_line("closed the connection \\(0 left\\)");
    RawClient still_connected(ep.port);
    server.wait_for_line("connected \\(1 now\\)");

    const Result done = server.stop(SIGTERM);
    INFO(done.describe());
    CHECK(done.exit_code == 0);
    CHECK_THAT(done.out, match::Contains("Shutting down on SIGTERM (1 clients connected)"));
    CHECK(done.err.empty());
}

TEST_CASE("SIGINT (Ctrl-C) shuts down cleanly too", "[lab01][echo]")
{
    Process server({bin("lab01-echo-async"), "--port", "0"});
    server.wait_listening();
    const Result done = server.stop(SIGINT);
    INFO(done.describe());
    CHECK(done.exit_code == 0);
    CHECK_THAT(done.out, match::Contains("Shutting down on SIGINT"));
}

TEST_CASE("a client silent for --idle-timeout is dropped", "[lab01][echo]")
{
    Process server({bin("lab01-echo-async"), "--port", "0", "--idle-timeout", "0.2"});
    const auto ep = server.wait_listening();
    RawClient silent(ep.port);
    server.wait_for_line("was idle too long and was dropped");
    CHECK(silent.read_to_end().empty());
}

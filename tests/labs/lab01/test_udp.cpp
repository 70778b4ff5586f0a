// lab01-udp: datagrams keep their boundaries; nobody listening is noticed only
// through ICMP. Doc: docs/en/lab01.md, "The same over UDP".
#include "support.hpp"

#include <asio/ip/udp.hpp>

using namespace lab01;

TEST_CASE("each datagram comes back whole and separate", "[lab01][udp]")
{
    Process server({bin("lab01-udp"), "server", "--port", "0"});
    const auto ep = server.wait_listening();
    const Result client = run({bin("lab01-udp"), "client", "--port", port_of(ep), "a", "bb", "ccc"});
    INFO(client.describe());
    CHECK(client.exit_code == 0);
    CHECK(client.out == "Received: a\nReceived: bb\nReceived: ccc\n");
    server.wait_for_line("^Datagram from 127\\.0\\.0\\.1:\\d+: 1 bytes: a$");
    server.wait_for_line("^Datagram from 127\\.0\\.0\\.1:\\d+: 2 bytes: bb$");
    server.wait_for_line("^Datagram from 127\\.0\\.0\\.1:\\d+: 3 bytes: ccc$");
}

TEST_CASE("a datagram to a port where nobody listens comes back as 'connection refused'", "[lab01][udp]")
{
    unsigned short port = 0;
    {
        asio::io_context io;
        asio::ip::udp::socket probe(io, {asio::ip::make_address("127.0.0.1"), 0});
        port = probe.local_endpoint().port();
    }
    const Result client = run({bin("lab01-udp"), "client", "--port", std::to_string(port), "--timeout", "5"});
    INFO(client.describe());
    CHECK(client.exit_code == 1);
    CHECK_THAT(client.err, match::Contains("connection refused (nobody is listening on that UDP port"));
}

TEST_CASE("a datagram nobody answers times out", "[lab01][udp]")
{
    // A bound UDP socket that never replies: the datagram is delivered and ignored.
    asio::io_context io;
    asio::ip::udp::socket mute(io, {asio::ip::make_address("127.0.0.1"), 0});
    const Result client = run({bin("lab01-udp"), "client", "--port",
                               std::to_string(mute.local_endpoint().port()), "--timeout", "0.2"});
    INFO(client.describe());
    CHECK(client.exit_code == 1);
    CHECK_THAT(client.err, match::Contains("timed out (UDP never resends"));
}

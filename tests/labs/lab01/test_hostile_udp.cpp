// lab01-udp's server against hostile senders (tests/support/hostile.hpp):
// a burst of 200 datagrams from a sender that never reads the echoes, binary
// and control bytes (escaped in its log), and a datagram that is too big;
// then an ordinary client is answered. Doc: docs/en/lab01.md, "The same over UDP".
#include <csignal>

#include "hostile.hpp"
#include "support.hpp"

#include <asio/ip/udp.hpp>

using namespace lab01;
namespace hostile = netlabs::test::hostile;

TEST_CASE("lab01-udp server: a burst from a sender that never reads, and control bytes", "[lab01][udp][hostile]")
{
    Process server({bin("lab01-udp"), "server", "--port", "0"});
    const auto ep = server.wait_listening();
    {
        asio::io_context io;
        asio::ip::udp::socket rude(io, asio::ip::udp::v4());
        const asio::ip::udp::endpoint to(loopback(), ep.port);
        rude.send_to(asio::buffer(hostile::control_bytes()), to);
        const auto line = server.wait_for_line("^Datagram from 127\\.0\\.0\\.1:[0-9]+: 21 bytes: (.*)$");
        INFO("a sender sent control bytes; the log says: " << line[0]);
        CHECK(line[1] == "\\x01\\x02\\x1b[31mred\\x1b[0m\\x7f\xff\xfe\\x00end");
        // Then a burst whose echoes it never reads (UDP may drop some: that is UDP).
        for (int i = 0; i < 200; ++i) rude.send_to(asio::buffer(std::string(100, 'x')), to);
        rude.send_to(asio::buffer(std::string()), to);  // an empty datagram is a datagram too
    }
    CHECK(server.out().find('\x1b') == std::string::npos);

    const Result client = run({bin("lab01-udp"), "client", "--port", port_of(ep), "still", "here"});
    INFO(client.describe() << "\nserver said:\n" << server.out() << server.err());
    CHECK(client.exit_code == 0);
    CHECK(client.out == "Received: still\nReceived: here\n");
    const Result done = server.stop(SIGTERM);
    CHECK_FALSE(hostile::has_sanitizer_report(done.err));
}

// Seed error 6: one recv(1024) is not one message. TCP is a byte stream.
// Doc: docs/en/lab01.md, "A message is not a packet: framing".
#include <regex>

#include "support.hpp"

using namespace lab01;

namespace {

// The size lab01-server reports for a long message: "Received data: xxx... (N bytes)".
std::size_t reported_size(const std::string& line)
{
    std::smatch m;
    if (std::regex_search(line, m, std::regex(R"(\((\d+) bytes\))"))) return std::stoul(m[1]);
    return line.size() - std::string("Received data: ").size();
}

} // namespace

// The two demos of seed error 6 check the seed's own way, one recv(1024)
// (--framing none, given code). They need only the server, so they count
// for the server's exercise (ex1).
TEST_CASE("with one recv(1024) a 100 KB message does not arrive whole", "[lab01][framing][ex1]")
{
    Process server({bin("lab01-server"), "--port", "0", "--framing", "none", "--reply", "got {bytes} bytes"});
    const auto ep = server.wait_listening();
    RawClient client(ep.port);
    client.send(std::string(100000, 'x'));
    client.socket.shutdown(asio::ip::tcp::socket::shutdown_send);  // all sent, as lab01-client does
    const std::string reply = client.read_to_end();
    INFO("steps: sent 100000 bytes in one write to a --framing none server (--reply 'got {bytes} bytes'); "
         "it replied '" << reply << "'");
    const auto line = server.wait_for_line("^Received data: .*$");
    const std::size_t got = reported_size(line[0]);
    CAPTURE(line[0], got);
    CHECK(got <= 1024);  // the rest is not part of "the message" the server saw
    CHECK(reply == "got " + std::to_string(got) + " bytes");
    server.wait_for_line("^Dropped \\d+ more bytes");
}

TEST_CASE("with one recv() a message written in pieces arrives in pieces", "[lab01][framing][ex1]")
{
    Process server({bin("lab01-server"), "--port", "0", "--framing", "none"});
    const auto ep = server.wait_listening();
    RawClient client(ep.port);
    client.send("Hel");
    // The server has answered the first piece alone: it took it for the whole message.
    server.wait_for_line("^Received data: Hel$");
    asio::error_code ignored;
    asio::write(client.socket, asio::buffer(std::string("lo, server!")), ignored);
    CHECK(client.read_to_end() == "Hello from server!");
}

// Line framing is the finished one of common/ (netlabs/framing.hpp): these
// need the server and the client, so they count for the client's exercise.
TEST_CASE("line framing gets every message whole", "[lab01][framing][ex2]")
{
    Process server({bin("lab01-server"), "--port", "0", "--framing", "line", "--reply",
                    "got {bytes} bytes"});
    const auto ep = server.wait_listening();

    SECTION("a message written in pieces")
    {
        RawClient client(ep.port);
        client.send("Hel");
        client.send("lo, ser");
        client.send("ver!\n");
        CHECK(client.read_to_end() == "got 14 bytes\n");
        server.wait_for_line("^Received data: Hello, server!$");
    }
    SECTION("a 100 KB message, through lab01-client")
    {
        const Result client =
            run({bin("lab01-client"), "--port", port_of(ep), "--framing", "line", "--repeat", "100000"});
        INFO(client.describe());
        CHECK(client.out == "Received: got 100000 bytes\n");
    }
    SECTION("lab01-client writing in pieces")
    {
        const Result client = run({bin("lab01-client"), "--port", port_of(ep), "--framing", "line",
                                   "--pieces", "3", "--piece-delay", "0", "Hello, server!"});
        INFO(client.describe());
        CHECK(client.out == "Received: got 14 bytes\n");
    }
}

// Length framing is lab01-ex3 (lab01-loopback/framing.cpp).
TEST_CASE("length framing gets every message whole", "[lab01][framing][ex3]")
{
    Process server({bin("lab01-server"), "--port", "0", "--framing", "length", "--reply",
                    "got {bytes} bytes"});
    const auto ep = server.wait_listening();

    SECTION("a 100 KB message")
    {
        const Result client =
            run({bin("lab01-client"), "--port", port_of(ep), "--framing", "length", "--repeat", "100000"});
        INFO(client.describe());
        CHECK(client.out == "Received: got 100000 bytes\n");
        const auto line = server.wait_for_line("^Received data: .*$");
        CHECK(reported_size(line[0]) == 100000);
    }
    SECTION("a message with a newline inside: length framing does not care")
    {
        RawClient client(ep.port);
        client.send(std::string("\0\0\0\x05", 4));
        client.send("a\nb\nc");
        const std::string reply = client.read_to_end();
        CHECK(reply == std::string("\0\0\0\x0b" "got 5 bytes", 15));
    }
    SECTION("a length over the limit is refused, and the server goes on")
    {
        {
            RawClient client(ep.port);
            client.send("\xff\xff\xff\xff");
            CHECK(client.read_to_end().empty());
        }
        server.wait_for_line("^Connection from ");
        const Result next = run({bin("lab01-client"), "--port", port_of(ep), "--framing", "length"});
        INFO(next.describe());
        CHECK(next.out == "Received: got 14 bytes\n");
        CHECK_THAT(server.err(), match::Contains("over the limit"));
    }
}

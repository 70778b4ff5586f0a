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

// Line framing is the finished one of common/ (netlabs/framing.hpp): the
// server's side counts for the server's exercise (ex1), with the test's own
// client; the client's side for the client's (ex2), with the test's own
// server (HarnessServer, support.hpp).
TEST_CASE("line framing: lab01-server gets a line written in pieces whole", "[lab01][framing][ex1]")
{
    Process server({bin("lab01-server"), "--port", "0", "--framing", "line", "--reply", "got {bytes} bytes"});
    const auto ep = server.wait_listening();
    RawClient client(ep.port);
    client.send("Hel");
    client.send("lo, ser");
    client.send("ver!\n");
    INFO("steps: a client wrote 'Hel', 'lo, ser', 'ver!\\n' to a --framing line server");
    CHECK(client.read_to_end() == "got 14 bytes\n");
    server.wait_for_line("^Received data: Hello, server!$");
}

TEST_CASE("line framing: lab01-client's message arrives whole, however it is written", "[lab01][framing][ex2]")
{
    HarnessServer server(netlabs::lab01::Framing::line, "got {bytes} bytes");
    SECTION("a 100 KB message")
    {
        const Result client =
            run({bin("lab01-client"), "--port", server.port_text(), "--framing", "line", "--repeat", "100000"});
        INFO("the test's server reads one line and replies 'got N bytes'\n" << client.describe());
        CHECK(client.out == "Received: got 100000 bytes\n");
    }
    SECTION("written in pieces")
    {
        const Result client = run({bin("lab01-client"), "--port", server.port_text(), "--framing", "line",
                                   "--pieces", "3", "--piece-delay", "0", "Hello, server!"});
        INFO("the test's server reads one line and replies 'got N bytes'\n" << client.describe());
        CHECK(client.out == "Received: got 14 bytes\n");
        CHECK(server.received() == std::vector<std::string>{"Hello, server!"});
    }
}

// Length framing is lab01-ex3 (lab01-loopback/framing.cpp): its tests read
// with the library, not through lab01-server (ex1) and lab01-client (ex2):
// tests/labs/lab01/test_length_prefix.cpp.

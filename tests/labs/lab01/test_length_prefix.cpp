// lab01's framings, piece by piece (lab01-loopback/framing.hpp): the
// length-prefixed read loop is lab01-ex3; parsing and encoding are given.
// Doc: docs/en/lab01.md, "A message is not a packet: framing".
#include <optional>
#include <thread>
#include <string>
#include <vector>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include "framing.hpp"
#include "support.hpp"

using namespace lab01;
using asio::ip::tcp;
using netlabs::lab01::Framing;

namespace {

// Writes each piece with its own write, then closes the sending side.
asio::awaitable<void> write_pieces(tcp::socket& socket, std::vector<std::string> pieces)
{
    for (const auto& piece : pieces) co_await asio::async_write(socket, asio::buffer(piece), asio::use_awaitable);
    socket.shutdown(tcp::socket::shutdown_send);
}

// Two ends of one TCP connection on loopback: what `a` writes, `b` reads.
struct Connection {
    asio::io_context io;
    tcp::socket a{io}, b{io};
    Connection()
    {
        tcp::acceptor acceptor(io, {loopback(), 0});
        a.connect(acceptor.local_endpoint());
        acceptor.accept(b);
    }

    // `a` writes the pieces in the background while `b` reads (one thread).
    void send_in_background(std::vector<std::string> pieces)
    {
        asio::co_spawn(io, write_pieces(a, std::move(pieces)), asio::detached);
    }

    // Runs async_read_length_prefixed on `b` until it returns.
    std::optional<std::string> read(std::size_t max = netlabs::max_message_size)
    {
        bool done = false;
        std::optional<std::string> result;
        std::exception_ptr failure;
        asio::co_spawn(io, netlabs::lab01::async_read_length_prefixed(b, max),
                       [&](std::exception_ptr e, std::optional<std::string> v) {
                           done = true;
                           failure = e;
                           if (!e) result = std::move(v);
                       });
        io.restart();
        while (!done && io.run_one() > 0) {
        }
        if (failure) std::rethrow_exception(failure);
        return result;
    }
};

} // namespace

TEST_CASE("length framing: 4 bytes of big-endian length, then the message", "[lab01][framing]")
{
    using netlabs::lab01::encode_message;
    CHECK(encode_message(Framing::length, "hello") == std::string("\0\0\0\5hello", 9));
    CHECK(encode_message(Framing::length, std::string(258, 'x')).substr(0, 4) == std::string("\0\0\1\2", 4));
    CHECK(encode_message(Framing::line, "hello") == "hello\n");
    CHECK(encode_message(Framing::none, "hello") == "hello");
    CHECK_THROWS_WITH(encode_message(Framing::line, "a\nb"), "a line-framed message cannot contain a newline");
}

TEST_CASE("framing names parse strictly", "[lab01][framing]")
{
    CHECK(netlabs::lab01::parse_framing("line") == Framing::line);
    CHECK(netlabs::lab01::to_string(netlabs::lab01::parse_framing("length")) == "length");
    CHECK_THROWS_WITH(netlabs::lab01::parse_framing("Line"), "invalid framing 'Line': must be none, line or length");
}

TEST_CASE("async_read_length_prefixed reads each message whole, however it arrives", "[lab01][framing][ex3]")
{
    Connection c;
    const std::string big(300000, 'y');
    // A big message (many recv()s), then an empty one, then a header and a
    // message cut across three writes.
    c.send_in_background({netlabs::lab01::encode_message(Framing::length, big),
                          std::string("\0\0\0\0", 4),  // an empty message is a message
                          std::string("\0\0", 2), std::string("\0\x03" "a", 3), "bc"});
    INFO("steps: the peer sent a 300000-byte message, an empty one, then 'abc' in pieces, then closed");
    const auto first = c.read();
    CHECK(first.has_value());
    CHECK((first ? first->size() : 0) == big.size());
    CHECK((first && *first == big));
    CHECK(c.read() == std::string());
    CHECK(c.read() == std::string("abc"));
    INFO("a clean close between messages is the end (nullopt), not an error");
    CHECK_FALSE(c.read().has_value());
}

TEST_CASE("async_read_length_prefixed: a cut header or body, or a length over the limit, is an error",
          "[lab01][framing][ex3]")
{
    Connection c;
    SECTION("cut header")
    {
        asio::write(c.a, asio::buffer(std::string("\0\0", 2)));
        c.a.close();
        CHECK_THROWS_WITH(c.read(), "connection closed in the middle of a length header (got 2 of 4 bytes)");
    }
    SECTION("cut body")
    {
        asio::write(c.a, asio::buffer(std::string("\0\0\0\x0a" "abc", 7)));
        c.a.close();
        CHECK_THROWS_WITH(c.read(), "connection closed in the middle of a message (got 3 of 10 bytes)");
    }
    SECTION("over the limit")
    {
        asio::write(c.a, asio::buffer(std::string("\0\0\1\0", 4)));
        CHECK_THROWS_WITH(c.read(255), "message of 256 bytes is over the limit of 255 bytes");
    }
}

TEST_CASE("read_message with length framing: a big message, newlines inside, a length over the limit",
          "[lab01][framing][ex3]")
{
    // What lab01-server and lab01-client call with --framing length, on one
    // connection: the test writes from another thread, read_message reads.
    using namespace std::chrono_literals;
    Connection c;
    std::string buffer;
    SECTION("a 100 KB message, then a message with newlines in it")
    {
        const std::string big(100000, 'x');
        std::thread writer([&] {
            asio::error_code ignored;  // the reader may give up first: then these fail, quietly
            asio::write(c.a, asio::buffer(netlabs::lab01::encode_message(Framing::length, big)), ignored);
            asio::write(c.a, asio::buffer(std::string("\0\0\0\x05" "a\nb\nc", 9)), ignored);
        });
        std::optional<std::string> first, second;
        std::exception_ptr failure;
        try {
            first = netlabs::lab01::read_message(c.b, Framing::length, buffer, 10s, "peer");
            second = netlabs::lab01::read_message(c.b, Framing::length, buffer, 10s, "peer");
        } catch (...) {
            failure = std::current_exception();
            asio::error_code ignored;
            c.b.close(ignored);  // a writer blocked on a full buffer gets an error and ends
        }
        writer.join();
        if (failure) std::rethrow_exception(failure);
        INFO("steps: the peer sent a 100000-byte message, then 'a\\nb\\nc' (5 bytes): length framing does not care");
        CHECK((first ? first->size() : 0) == big.size());
        CHECK(second == std::string("a\nb\nc"));
    }
    SECTION("a length over the limit is refused")
    {
        asio::write(c.a, asio::buffer(std::string("\xff\xff\xff\xff", 4)));
        CHECK_THROWS_WITH(netlabs::lab01::read_message(c.b, Framing::length, buffer, 10s, "peer"),
                          match::Contains("message of 4294967295 bytes is over the limit of"));
    }
}

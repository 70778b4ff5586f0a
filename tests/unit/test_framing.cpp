// common/framing.hpp: line framing over a real stream, the finished framing
// every lab reads. (lab01's length framing: tests/labs/lab01/test_length_prefix.cpp.)
#include <chrono>

#include <asio/ip/tcp.hpp>
#include <asio/local/connect_pair.hpp>
#include <asio/local/stream_protocol.hpp>

#include "catch.hpp"
#include "netlabs/framing.hpp"

using asio::local::stream_protocol;

namespace {

// A connected pair of stream sockets: what one writes, the other reads.
struct Pair {
    asio::io_context io;
    stream_protocol::socket a{io}, b{io};
    Pair() { asio::local::connect_pair(a, b); }

    template <typename T>
    T run(asio::awaitable<T> op)
    {
        std::optional<T> result;
        std::exception_ptr failure;
        asio::co_spawn(io, std::move(op), [&](std::exception_ptr e, T v) {
            failure = e;
            if (!e) result = std::move(v);
        });
        io.restart();
        io.run();
        if (failure) std::rethrow_exception(failure);
        return std::move(*result);
    }
};

} // namespace

TEST_CASE("line framing: one line from several writes, two lines from one", "[common][framing]")
{
    Pair p;
    asio::write(p.a, asio::buffer(std::string("Hel")));
    asio::write(p.a, asio::buffer(std::string("lo\r\nsecond\nthi")));
    std::string buffer;
    CHECK(p.run(netlabs::async_read_line(p.b, buffer)) == "Hello");  // "\r\n" ends a line too
    CHECK(p.run(netlabs::async_read_line(p.b, buffer)) == "second");
    CHECK(buffer == "thi");  // what came after stays for the next call
    p.a.shutdown(stream_protocol::socket::shutdown_send);
    CHECK_THROWS_WITH(p.run(netlabs::async_read_line(p.b, buffer)),
                      "connection closed in the middle of a line (got 3 bytes and no newline)");
}

TEST_CASE("line framing: a clean close between lines is the end, not an error", "[common][framing]")
{
    Pair p;
    asio::write(p.a, asio::buffer(std::string("last\n")));
    p.a.close();
    std::string buffer;
    CHECK(p.run(netlabs::async_read_line(p.b, buffer)) == "last");
    CHECK_FALSE(p.run(netlabs::async_read_line(p.b, buffer)).has_value());
}

TEST_CASE("line framing: a line over the limit is refused with LineTooLong, which carries the limit",
          "[common][framing]")
{
    Pair p;
    asio::write(p.a, asio::buffer(std::string(100, 'x')));
    std::string buffer;
    try {
        p.run(netlabs::async_read_line(p.b, buffer, 10));
        FAIL("expected LineTooLong for 100 bytes without a newline, got a line");
    } catch (const netlabs::LineTooLong& e) {
        CHECK(e.limit() == 10);
        CHECK(std::string(e.what()) == "line longer than 10 bytes");
        const netlabs::FramingError& base = e;  // a server may catch every framing error as one
        CHECK(std::string(base.what()) == "line longer than 10 bytes");
    }
}

TEST_CASE("line framing: a line is the message and a newline, and cannot hold one", "[common][framing]")
{
    CHECK(netlabs::encode_line("hello") == "hello\n");
    CHECK(netlabs::encode_line("") == "\n");
    CHECK_THROWS_WITH(netlabs::encode_line("a\nb"), "a line-framed message cannot contain a newline");
}

TEST_CASE("line framing, blocking: read_line and write_line name the peer in their errors", "[common][framing]")
{
    // Two ends of a TCP connection on loopback.
    asio::io_context io;
    asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
    asio::ip::tcp::socket a(io), b(io);
    a.connect(acceptor.local_endpoint());
    acceptor.accept(b);

    netlabs::write_line(a, "one", std::chrono::seconds(5), "peer-b");
    asio::write(a, asio::buffer(std::string(20, 'x')));
    std::string buffer;
    CHECK(netlabs::read_line(b, buffer, std::chrono::seconds(5), "peer-a") == "one");
    try {
        netlabs::read_line(b, buffer, std::chrono::seconds(5), "peer-a", 10);
        FAIL("expected LineTooLong for 20 bytes without a newline, got a line");
    } catch (const netlabs::LineTooLong& e) {
        CHECK(e.limit() == 10);
        CHECK(std::string(e.what()) == "receive from peer-a: line longer than 10 bytes");
    }
}


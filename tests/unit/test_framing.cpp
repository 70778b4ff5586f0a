// common/framing.hpp: line and length-prefixed framing over a real stream.
#include <thread>

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

TEST_CASE("line framing: a line over the limit is refused", "[common][framing]")
{
    Pair p;
    asio::write(p.a, asio::buffer(std::string(100, 'x')));
    std::string buffer;
    CHECK_THROWS_WITH(p.run(netlabs::async_read_line(p.b, buffer, 10)), "line longer than 10 bytes");
}

TEST_CASE("length framing: big-endian length, then the bytes", "[common][framing]")
{
    CHECK(netlabs::encode_message(netlabs::Framing::length, "hello") == std::string("\0\0\0\5hello", 9));
    CHECK(netlabs::encode_message(netlabs::Framing::length, std::string(258, 'x')).substr(0, 4) ==
          std::string("\0\0\1\2", 4));
    CHECK(netlabs::encode_message(netlabs::Framing::line, "hello") == "hello\n");
    CHECK(netlabs::encode_message(netlabs::Framing::none, "hello") == "hello");
    CHECK_THROWS_WITH(netlabs::encode_message(netlabs::Framing::line, "a\nb"),
                      "a line-framed message cannot contain a newline");

    Pair p;
    const std::string big(300000, 'y');
    std::thread writer([&] {
        asio::write(p.a, asio::buffer(netlabs::encode_message(netlabs::Framing::length, big)));
        asio::write(p.a, asio::buffer(std::string("\0\0\0\0", 4)));  // an empty message is a message
        p.a.shutdown(stream_protocol::socket::shutdown_send);
    });
    CHECK(p.run(netlabs::async_read_length_prefixed(p.b)) == big);
    CHECK(p.run(netlabs::async_read_length_prefixed(p.b)) == "");
    CHECK_FALSE(p.run(netlabs::async_read_length_prefixed(p.b)).has_value());
    writer.join();
}

TEST_CASE("length framing: a cut header or body, or a length over the limit, is an error", "[common][framing]")
{
    SECTION("cut header")
    {
        Pair p;
        asio::write(p.a, asio::buffer(std::string("\0\0", 2)));
        p.a.close();
        CHECK_THROWS_WITH(p.run(netlabs::async_read_length_prefixed(p.b)),
                          "connection closed in the middle of a length header (got 2 of 4 bytes)");
    }
    SECTION("cut body")
    {
        Pair p;
        asio::write(p.a, asio::buffer(std::string("\0\0\0\x0a" "abc", 7)));
        p.a.close();
        CHECK_THROWS_WITH(p.run(netlabs::async_read_length_prefixed(p.b)),
                          "connection closed in the middle of a message (got 3 of 10 bytes)");
    }
    SECTION("over the limit")
    {
        Pair p;
        asio::write(p.a, asio::buffer(std::string("\0\0\1\0", 4)));
        CHECK_THROWS_WITH(p.run(netlabs::async_read_length_prefixed(p.b, 255)),
                          "message of 256 bytes is over the limit of 255 bytes");
    }
}

TEST_CASE("framing names parse strictly", "[common][framing]")
{
    CHECK(netlabs::parse_framing("line") == netlabs::Framing::line);
    CHECK(netlabs::to_string(netlabs::parse_framing("length")) == "length");
    CHECK_THROWS_WITH(netlabs::parse_framing("Line"), "invalid framing 'Line': must be none, line or length");
}

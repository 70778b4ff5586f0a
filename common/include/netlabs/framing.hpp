// Framing: where does one message end?
//
// TCP is a byte stream (seed error 6): one send() may arrive in several
// recv()s, and two sends may arrive in one. A protocol must say where a
// message ends. Two classic answers:
//
//   line    the message is the bytes before '\n'           "hello\n"
//   length  a 4-byte big-endian length, then that many bytes  00 00 00 05 "hello"
//
// and `none`, the seed's way: whatever one recv(1024) returns.
//
// Each comes as a coroutine over any asio stream (for concurrent servers),
// and as a blocking call with a timeout on a TCP socket (for the labs'
// blocking programs).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <asio/awaitable.hpp>
#include <asio/buffer.hpp>
#include <asio/read.hpp>
#include <asio/read_until.hpp>
#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include "netlabs/errors.hpp"
#include "netlabs/not_implemented.hpp"
#include "netlabs/timed.hpp"

namespace netlabs {

// A message larger than this is refused instead of allocated.
inline constexpr std::size_t max_message_size = 16 * 1024 * 1024;
// The seed's recv(1024).
inline constexpr std::size_t unframed_read_size = 1024;

enum class Framing { none, line, length };

// "none" | "line" | "length"; else UsageError
// "invalid framing 'x': must be none, line or length".
Framing parse_framing(std::string_view text);
std::string_view to_string(Framing framing);

// The bytes that carry `message` in the given framing: "hello\n",
// "\0\0\0\5hello", or the message itself with Framing::none.
// Throws FramingError for a line with a '\n' in it or a message over the limit.
std::string encode_message(Framing framing, std::string_view message);

// Thrown when the peer breaks the framing: a line too long, a length over
// the limit, a connection closed in the middle of a message.
class FramingError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// --- line framing ------------------------------------------------------------

// Reads one line and returns it without its "\n" (and without a "\r" before
// it). `buffer` keeps what came after the line for the next call. Returns
// nullopt when the peer closed cleanly between lines.
template <typename Stream>
asio::awaitable<std::optional<std::string>> async_read_line(Stream& stream, std::string& buffer,
                                                            std::size_t max = max_message_size)
{
    // BEGIN SOLUTION lab01-ex3
    std::size_t n = 0;
    try {
        n = co_await asio::async_read_until(stream, asio::dynamic_buffer(buffer, max + 1), '\n',
                                            asio::use_awaitable);
    } catch (const std::system_error& e) {
        if (e.code() == asio::error::eof) {
            if (buffer.empty()) co_return std::nullopt;
            throw FramingError("connection closed in the middle of a line (got " +
                               std::to_string(buffer.size()) + " bytes and no newline)");
        }
        if (e.code() == asio::error::not_found)
            throw FramingError("line longer than " + std::to_string(max) + " bytes");
        throw;
    }
    std::string line = buffer.substr(0, n - 1);
    buffer.erase(0, n);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    co_return line;
    // END SOLUTION
    // STUDENT: (void)stream;
    // STUDENT: (void)buffer;
    // STUDENT: (void)max;
    // STUDENT: throw netlabs::NotImplemented("lab01-ex3");
}

template <typename Stream>
asio::awaitable<void> async_write_line(Stream& stream, std::string_view line)
{
    const std::string bytes = encode_message(Framing::line, line);
    co_await asio::async_write(stream, asio::buffer(bytes), asio::use_awaitable);
}

// --- length-prefixed framing -------------------------------------------------

// Reads a 4-byte big-endian length, then that many bytes. Returns nullopt
// when the peer closed cleanly between messages.
template <typename Stream>
asio::awaitable<std::optional<std::string>> async_read_length_prefixed(
    Stream& stream, std::size_t max = max_message_size)
{
    // BEGIN SOLUTION lab01-ex3
    std::array<unsigned char, 4> header{};
    std::error_code ec;
    const std::size_t got =
        co_await asio::async_read(stream, asio::buffer(header), asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::eof && got == 0) co_return std::nullopt;
    if (ec == asio::error::eof)
        throw FramingError("connection closed in the middle of a length header (got " +
                           std::to_string(got) + " of 4 bytes)");
    if (ec) throw std::system_error(ec);
    const std::uint32_t size = (std::uint32_t{header[0]} << 24) | (std::uint32_t{header[1]} << 16) |
                               (std::uint32_t{header[2]} << 8) | std::uint32_t{header[3]};
    if (size > max)
        throw FramingError("message of " + std::to_string(size) + " bytes is over the limit of " +
                           std::to_string(max) + " bytes");
    std::string body(size, '\0');
    const std::size_t read =
        co_await asio::async_read(stream, asio::buffer(body), asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::eof)
        throw FramingError("connection closed in the middle of a message (got " + std::to_string(read) +
                           " of " + std::to_string(size) + " bytes)");
    if (ec) throw std::system_error(ec);
    co_return body;
    // END SOLUTION
    // STUDENT: (void)stream;
    // STUDENT: (void)max;
    // STUDENT: throw netlabs::NotImplemented("lab01-ex3");
}

template <typename Stream>
asio::awaitable<void> async_write_length_prefixed(Stream& stream, std::string_view message)
{
    const std::string bytes = encode_message(Framing::length, message);
    co_await asio::async_write(stream, asio::buffer(bytes), asio::use_awaitable);
}

// --- any framing -------------------------------------------------------------

// One message in the given framing. With Framing::none this is one read of
// at most 1024 bytes: exactly what the seed's recv(1024) gets, which may be
// part of a message, or parts of two. nullopt: the peer closed first.
template <typename Stream>
asio::awaitable<std::optional<std::string>> async_read_message(Stream& stream, Framing framing,
                                                               std::string& buffer)
{
    switch (framing) {
    case Framing::line:
        co_return co_await async_read_line(stream, buffer);
    case Framing::length:
        co_return co_await async_read_length_prefixed(stream);
    case Framing::none:
        break;
    }
    std::array<char, unframed_read_size> chunk{};
    try {
        const std::size_t n = co_await stream.async_read_some(asio::buffer(chunk), asio::use_awaitable);
        co_return std::string(chunk.data(), n);
    } catch (const std::system_error& e) {
        if (e.code() == asio::error::eof) co_return std::nullopt;
        throw;
    }
}

template <typename Stream>
asio::awaitable<void> async_write_message(Stream& stream, Framing framing, std::string_view message)
{
    const std::string bytes = encode_message(framing, message);
    co_await asio::async_write(stream, asio::buffer(bytes), asio::use_awaitable);
}

// --- blocking, with a timeout --------------------------------------------------

// The same operations for a blocking program: each returns (or throws a
// NetworkError naming "receive"/"send" and `peer`) within `timeout`.
std::optional<std::string> read_message(asio::ip::tcp::socket& socket, Framing framing,
                                        std::string& buffer, Timeout timeout,
                                        std::string_view peer);
void write_message(asio::ip::tcp::socket& socket, Framing framing, std::string_view message,
                   Timeout timeout, std::string_view peer);

} // namespace netlabs

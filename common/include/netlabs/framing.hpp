// Line framing: a message is the bytes before '\n'.
//
// TCP is a byte stream (seed error 6): one send() may arrive in several
// recv()s, and two sends may arrive in one, so a protocol must say where a
// message ends. Ending each message with a newline is the oldest answer, and
// the one every later lab reads: lab02's server and client talk in lines,
// and an HTTP request (lab05) starts with lines.
//
//   "hello\n"   the message "hello"
//
// This is the finished, shared line framing. lab01 writes the other classic
// answer, a length prefix, as its exercise (lab01-loopback/framing.hpp).
//
// Each operation comes as a coroutine over any asio stream (for concurrent
// servers), and as a blocking call with a timeout on a TCP socket (for the
// labs' blocking programs).
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include <asio/awaitable.hpp>
#include <asio/buffer.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read_until.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include "netlabs/timed.hpp"

namespace netlabs {

// A message larger than this is refused instead of allocated.
inline constexpr std::size_t max_message_size = 16 * 1024 * 1024;

// Thrown when the peer breaks the framing: a line too long, a length over
// the limit, a connection closed in the middle of a message.
class FramingError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The peer sent more than `limit` bytes without a newline: "line longer than
// 65536 bytes", after `context` and ": " when one is given. A server catches
// this one to tell the client why it is being disconnected.
class LineTooLong : public FramingError {
public:
    explicit LineTooLong(std::size_t limit, std::string_view context = {});
    std::size_t limit() const noexcept { return limit_; }

private:
    std::size_t limit_;
};

// "hello" -> "hello\n". Throws FramingError for a line with a '\n' in it.
std::string encode_line(std::string_view line);

// Reads one line and returns it without its "\n" (and without a "\r" before
// it). `buffer` keeps what came after the line for the next call. Returns
// nullopt when the peer closed cleanly between lines. Throws LineTooLong when
// `max` bytes came without a newline, and FramingError when the peer closed
// in the middle of a line.
template <typename Stream>
asio::awaitable<std::optional<std::string>> async_read_line(Stream& stream, std::string& buffer,
                                                            std::size_t max = max_message_size)
{
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
        if (e.code() == asio::error::not_found) throw LineTooLong(max);
        throw;
    }
    std::string line = buffer.substr(0, n - 1);
    buffer.erase(0, n);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    co_return line;
}

template <typename Stream>
asio::awaitable<void> async_write_line(Stream& stream, std::string_view line)
{
    const std::string bytes = encode_line(line);
    co_await asio::async_write(stream, asio::buffer(bytes), asio::use_awaitable);
}

// --- blocking, with a timeout --------------------------------------------------

// Runs `read`, a read of one framed message on `socket`, for at most
// `timeout` (run_timed). A network error or the timeout is a NetworkError
// "receive from <peer>: ..."; a FramingError (LineTooLong too) gets
// "receive from <peer>: " in front of its message.
template <typename T>
T timed_receive(asio::ip::tcp::socket& socket, asio::awaitable<T> read, Timeout timeout,
                std::string_view peer)
{
    const std::string context = "receive from " + std::string(peer);
    try {
        return run_timed(socket, std::move(read), timeout, "receive from", peer);
    } catch (const LineTooLong& e) {
        throw LineTooLong(e.limit(), context);
    } catch (const FramingError& e) {
        throw FramingError(context + ": " + e.what());
    }
}

// One line within `timeout`, as async_read_line; errors name "receive from" and `peer`.
std::optional<std::string> read_line(asio::ip::tcp::socket& socket, std::string& buffer, Timeout timeout,
                                     std::string_view peer, std::size_t max = max_message_size);
// Sends `line` and its '\n' within `timeout`; errors name "send to" and `peer`.
void write_line(asio::ip::tcp::socket& socket, std::string_view line, Timeout timeout, std::string_view peer);

} // namespace netlabs

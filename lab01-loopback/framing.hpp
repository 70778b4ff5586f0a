// lab01's three framings: where does one message end?
//
//   none    whatever one recv(1024) returns: the seeds' way, and seed error 6
//   line    the message is the bytes before '\n'            "hello\n"
//   length  a 4-byte big-endian length, then that many bytes  00 00 00 05 "hello"
//
// Line framing is shared with the later labs (they all read lines), so it is
// finished and lives in common/ (netlabs/framing.hpp). Length framing is
// lab01's own, and its read loop is your exercise (lab01-ex3): it is the
// part where "one recv() is not one message" becomes code, reading first
// exactly 4 bytes, then exactly as many as they say.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>

#include "netlabs/framing.hpp"
#include "netlabs/timed.hpp"

namespace netlabs::lab01 {

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

// Reads a 4-byte big-endian length, then exactly that many bytes, and
// returns them. Returns nullopt when the peer closed cleanly before the
// first byte of a message. Throws FramingError for a length over `max` and
// for a connection closed in the middle of the header or of the message.
asio::awaitable<std::optional<std::string>> async_read_length_prefixed(asio::ip::tcp::socket& socket,
                                                                       std::size_t max = max_message_size);

// One message in the given framing, within `timeout`; errors name "receive
// from" and `peer`. With Framing::none this is one read of at most 1024
// bytes: exactly what the seed's recv(1024) gets, which may be part of a
// message, or parts of two. nullopt: the peer closed first. `buffer` keeps
// what came after a line for the next call.
std::optional<std::string> read_message(asio::ip::tcp::socket& socket, Framing framing, std::string& buffer,
                                        Timeout timeout, std::string_view peer);

// encode_message, sent within `timeout`; errors name "send to" and `peer`.
void write_message(asio::ip::tcp::socket& socket, Framing framing, std::string_view message, Timeout timeout,
                   std::string_view peer);

} // namespace netlabs::lab01

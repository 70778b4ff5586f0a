// The relay: what a TCP port forward does with one connection.
//
// Two connections meet in the forwarder, the client's and the one it opened
// to the target. Two pumps copy bytes between them, one each way:
//
//   client --up-->   [ pump ]  --up-->   target
//   client <--down-- [ pump ]  <--down-- target
//
// - Backpressure: a pump reads the next chunk only after the last one is
//   written, into one fixed buffer. A slow reader stalls its pump, the kernel
//   buffers fill, and the sender's writes block: memory stays bounded.
// - Half-close: when one side says EOF (shutdown(SHUT_WR) or close), the
//   pump passes the EOF on and stops; the other direction keeps going, so a
//   reply that comes after the request's EOF still gets back.
// - Reset: if either side breaks (RST, a failed write), both are reset at
//   once, so neither waits for bytes that will never come.
// - Idle: with an idle timeout, a connection that moves no byte either way
//   for that long is reset on both sides. A write that is blocked (a client
//   that never reads) moves nothing, so it counts as idle too.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <system_error>

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>

namespace lab03 {

// Each pump's buffer. Two per connection: 256 connections hold 32 MiB at most.
inline constexpr std::size_t relay_chunk = 64 * 1024;

struct RelayResult {
    std::uint64_t up = 0;    // bytes from the client to the target
    std::uint64_t down = 0;  // bytes from the target to the client
    std::string how;         // "closed", "reset by the client", "idle for 30 s" ...
};

// Relays until both directions are done (EOF each way), one side breaks, or
// (with `idle` > 0) no byte has moved either way for `idle`.
asio::awaitable<RelayResult> relay(asio::ip::tcp::socket& client, asio::ip::tcp::socket& target,
                                   std::chrono::milliseconds idle = {});

// A pump copies `from` -> `to` until `from` sends EOF, adding what it moved to
// `count`. When a side breaks it throws Broken: that side's name and the error.
struct Broken {
    const char* side;  // "client" or "target"
    std::error_code code;
};
using Pump = asio::awaitable<void> (*)(asio::ip::tcp::socket& from, const char* from_name,
                                       asio::ip::tcp::socket& to, const char* to_name, std::uint64_t& count);

// relay() with another pump (splice_relay.cpp's): both directions at once,
// then the result, and on a break both sides reset.
asio::awaitable<RelayResult> relay_with(asio::ip::tcp::socket& client, asio::ip::tcp::socket& target, Pump pump,
                                        std::chrono::milliseconds idle = {});

// Closes with SO_LINGER 0: the peer gets an RST ("connection reset"), not an EOF.
void reset(asio::ip::tcp::socket& socket);

} // namespace lab03

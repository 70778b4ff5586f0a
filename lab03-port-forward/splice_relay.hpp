// lab03-forward --splice: the same relay as relay.hpp, without copying the
// bytes through the program (Linux only). Read relay.cpp first: this file
// does the same thing, only faster, and is not an exercise.
//
// relay.cpp copies each chunk twice: read() from one socket into the
// program's buffer, write() from that buffer into the other socket. splice(2)
// moves the kernel's pages instead: socket -> pipe -> socket, and the bytes
// never enter user space. The rules stay those of relay.hpp: a pump takes the
// next chunk only after the last one is written (backpressure, at most one
// pipe's worth, 256 KiB, per direction), EOF is passed on with shutdown(SHUT_WR)
// (half-close), and a broken side resets both.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>

#include "relay.hpp"

namespace lab03 {

// True where splice(2) exists (Linux); elsewhere --splice is a usage error.
bool splice_supported();

// Like relay(): until both directions are done (EOF each way) or one side breaks.
asio::awaitable<RelayResult> splice_relay(asio::ip::tcp::socket& client, asio::ip::tcp::socket& target,
                                          std::chrono::milliseconds idle = {});

} // namespace lab03

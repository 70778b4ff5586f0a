// The UDP side of lab03-forward. UDP has no connections, so the forwarder
// makes its own "sessions": one per client address (IP and port), each with
// its own socket to the target. A reply arriving on a session's socket can
// only be for that session's client, which is how replies find their way
// back. A session silent for --udp-idle ends:
//
//   198.51.100.8:41234 -> 192.168.99.123:5000: closed after 60 s idle, 12 B up, 18 B down
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>

#include <asio/awaitable.hpp>
#include <asio/ip/udp.hpp>

namespace lab03 {

struct UdpSession;

struct UdpForward {
    asio::ip::udp::socket listener;         // bound: clients send here
    asio::ip::udp::endpoint target;
    std::size_t max_sessions = 256;         // over it, datagrams from a new client are dropped
    std::chrono::milliseconds idle{60000};  // a session silent this long ends
    std::map<asio::ip::udp::endpoint, std::shared_ptr<UdpSession>> sessions;
};

// Receives datagrams until the listener is closed.
asio::awaitable<void> forward_udp(UdpForward& forward);

} // namespace lab03

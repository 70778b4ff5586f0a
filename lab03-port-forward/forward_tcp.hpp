// The TCP side of lab03-forward: accept a client, connect to the target,
// relay (relay.hpp), and log one line when the connection ends:
//
//   198.51.100.8:41234 -> 192.168.99.123:5000: closed, 12 B up, 18 B down
//   198.51.100.8:41234 -> 192.168.99.123:5000: connect failed: connection refused (...)
#pragma once

#include <chrono>
#include <cstddef>

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>

namespace lab03 {

struct TcpForward {
    asio::ip::tcp::acceptor acceptor;       // bound and listening
    asio::ip::tcp::endpoint target;
    std::size_t max_connections = 256;      // over it, a new client is reset at once
    std::chrono::milliseconds connect_timeout{5000};
    std::size_t active = 0;                 // connections being relayed now (one thread: no lock)
};

// Accepts clients until the acceptor is closed; one coroutine per connection.
asio::awaitable<void> forward_tcp(TcpForward& forward);

} // namespace lab03

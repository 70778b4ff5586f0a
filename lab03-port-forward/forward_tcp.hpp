// The TCP side of lab03-forward: accept a client, connect to the target,
// relay (relay.hpp), and log one line when the connection ends:
//
//   198.51.100.8:41234 -> 192.168.99.123:5000: closed, 12 B up, 18 B down
//   198.51.100.8:41234 -> 192.168.99.123:5000: connect failed: connection refused (...)
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

namespace lab03 {

// --threads N: N - 1 more io_contexts, one thread each, besides the
// accepting thread's. A connection lives on one of the N from accept to
// close, so its two pumps never run on two threads at once: relay.cpp needs
// no lock. With --threads 1 this is empty and everything runs on the
// caller's io_context.
class Workers {
public:
    explicit Workers(std::size_t extra_threads);
    ~Workers();  // stop(), then their io_contexts go
    // Stops the threads and joins them; the io_contexts stay until ~Workers.
    void stop();
    Workers(const Workers&) = delete;
    Workers& operator=(const Workers&) = delete;
    // Where the next connection runs: each worker and the accepting thread
    // (`accepting`) in turn; always `accepting` when there are no workers.
    asio::any_io_executor next(const asio::any_io_executor& accepting);

private:
    std::vector<std::unique_ptr<asio::io_context>> contexts_;
    std::vector<std::thread> threads_;
    std::size_t turn_ = 0;  // used by the accepting thread only
};

struct TcpForward {
    // Spelled out: clang before 16 cannot build an aggregate from parentheses
    // (std::optional::emplace), and the atomic makes it neither copy nor move.
    TcpForward(asio::ip::tcp::acceptor bound, asio::ip::tcp::endpoint to, std::size_t max,
               std::chrono::milliseconds timeout, Workers& pool)
        : acceptor(std::move(bound)), target(to), max_connections(max), connect_timeout(timeout), workers(pool)
    {
    }

    asio::ip::tcp::acceptor acceptor;       // bound and listening
    asio::ip::tcp::endpoint target;
    std::size_t max_connections = 256;      // over it, a new client is reset at once
    std::chrono::milliseconds connect_timeout{5000};
    Workers& workers;
    std::chrono::milliseconds idle_timeout{0};  // --idle-timeout: 0 = never
    bool splice = false;                    // --splice: splice_relay.hpp instead of relay.hpp
    std::atomic<std::size_t> active{0};     // connections being relayed now
};

// Accepts clients until the acceptor is closed; one coroutine per connection.
asio::awaitable<void> forward_tcp(TcpForward& forward);

} // namespace lab03

// Blocking network calls with a deadline.
//
// asio's blocking calls (connect, read, write) wait forever, and SO_RCVTIMEO
// does not help: asio retries a read that timed out. asio's own answer
// (examples/cpp11/timeouts/blocking_tcp_client.cpp) is to start the operation
// asynchronously and run the io_context for at most the timeout; that is what
// run_timed does, so a lab's main program can still read top to bottom.
#pragma once

#include <chrono>
#include <exception>
#include <optional>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/use_awaitable.hpp>

#include "netlabs/errors.hpp"

namespace netlabs {

using Timeout = std::chrono::steady_clock::duration;

// Runs `op` on the io_context that owns `socket` until it finishes or
// `timeout` passes. On timeout the socket is closed and a NetworkError
// "<operation> <endpoint>: timed out (...)" is thrown; an error from `op`
// becomes a NetworkError naming `operation` and `endpoint`.
template <typename T, typename Socket>
T run_timed(Socket& socket, asio::awaitable<T> op, Timeout timeout,
            std::string_view operation, std::string_view endpoint)
{
    auto& io = static_cast<asio::io_context&>(socket.get_executor().context());
    bool done = false;
    std::exception_ptr failure;
    // std::optional<void> does not exist: a void operation keeps a bool.
    std::conditional_t<std::is_void_v<T>, bool, std::optional<T>> result{};
    if constexpr (std::is_void_v<T>) {
        asio::co_spawn(io, std::move(op), [&](std::exception_ptr e) {
            done = true;
            failure = e;
        });
    } else {
        asio::co_spawn(io, std::move(op), [&](std::exception_ptr e, T value) {
            done = true;
            failure = e;
            if (!e) result = std::move(value);
        });
    }
    io.restart();
    io.run_for(timeout);
    if (!done) {
        std::error_code ignored;
        socket.close(ignored);  // completes the operation with operation_aborted
        io.restart();
        io.run();
        throw_network_error(operation, endpoint, asio::error::timed_out);
    }
    if (failure) {
        try {
            std::rethrow_exception(failure);
        } catch (const std::system_error& e) {
            throw_network_error(operation, endpoint, e.code());
        }
    }
    if constexpr (!std::is_void_v<T>) return std::move(*result);
}

// Connects to the first of `endpoints` that accepts, within `timeout`.
void timed_connect(asio::ip::tcp::socket& socket,
                   const asio::ip::tcp::resolver::results_type& endpoints,
                   Timeout timeout, std::string_view endpoint_text);

} // namespace netlabs

// The accept step of a coroutine server: the next client, with AcceptRetry's
// policy (out of descriptors: log once, wait, try again, then "works again";
// a client gone from the queue: the next one). Any other accept error is
// thrown as std::system_error.
//
//   netlabs::AcceptRetry retry;
//   for (;;) {
//       tcp::socket client = co_await netlabs::accept_next(acceptor, retry, std::cout);
//       asio::co_spawn(acceptor.get_executor(), serve(std::move(client)), asio::detached);
//   }
#pragma once

#include <ostream>
#include <system_error>

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

#include "netlabs/accept_retry.hpp"

namespace netlabs {

// The next client, its socket on `executor` (a worker thread's io_context).
// By value: a coroutine keeps its parameters, and a reference could outlive
// what it names.
inline asio::awaitable<asio::ip::tcp::socket> accept_next(asio::ip::tcp::acceptor& acceptor,
                                                          asio::any_io_executor executor, AcceptRetry& retry,
                                                          std::ostream& log)
{
    for (;;) {
        std::error_code ec;
        asio::ip::tcp::socket socket =
            co_await acceptor.async_accept(executor, asio::redirect_error(asio::use_awaitable, ec));
        if (!ec) {
            retry.succeeded(log);
            co_return socket;
        }
        if (!retry.temporary(ec)) throw std::system_error(ec, "accept");
        const auto wait = retry.failed(ec, log);
        if (wait.count() == 0) continue;
        asio::steady_timer backoff(acceptor.get_executor(), wait);
        co_await backoff.async_wait(asio::use_awaitable);
    }
}

inline asio::awaitable<asio::ip::tcp::socket> accept_next(asio::ip::tcp::acceptor& acceptor, AcceptRetry& retry,
                                                          std::ostream& log)
{
    return accept_next(acceptor, acceptor.get_executor(), retry, log);
}

} // namespace netlabs

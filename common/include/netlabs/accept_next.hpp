// The accept step of a coroutine server: the next client, with AcceptRetry's
// policy for a full descriptor table (log once, wait, try again) and its
// "works again" line. Any other accept error is thrown.
//
//   netlabs::AcceptRetry retry;
//   for (;;) {
//       tcp::socket client = co_await netlabs::accept_next(acceptor, retry, std::cout);
//       asio::co_spawn(acceptor.get_executor(), serve(std::move(client)), asio::detached);
//   }
#pragma once

#include <ostream>
#include <system_error>

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

#include "netlabs/accept_retry.hpp"

namespace netlabs {

inline asio::awaitable<asio::ip::tcp::socket> accept_next(asio::ip::tcp::acceptor& acceptor, AcceptRetry& retry,
                                                          std::ostream& log)
{
    for (;;) {
        std::error_code ec;
        asio::ip::tcp::socket socket =
            co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
        if (!ec) {
            retry.succeeded(log);
            co_return socket;
        }
        if (!retry.temporary(ec)) throw std::system_error(ec, "accept");
        asio::steady_timer backoff(acceptor.get_executor(), retry.failed(ec, log));
        co_await backoff.async_wait(asio::use_awaitable);
    }
}

} // namespace netlabs

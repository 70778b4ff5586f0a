// One coroutine per connection: connect to the target (with a deadline),
// relay, log one line. The accept loop only counts and hands clients over.
#include "forward_tcp.hpp"

#include <iostream>
#include <string>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

#include "netlabs/asio_endpoint.hpp"
#include "netlabs/errors.hpp"
#include "relay.hpp"

using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;
using namespace asio::experimental::awaitable_operators;

namespace lab03 {
namespace {

// connect() with a deadline: a target that never answers (SYNs dropped)
// would otherwise keep the client waiting for the kernel's ~2 minutes.
awaitable<std::error_code> connect_within(tcp::socket& socket, const tcp::endpoint& to,
                                          std::chrono::milliseconds timeout)
{
    asio::steady_timer timer(socket.get_executor(), timeout);
    std::error_code ec;
    const auto first = co_await (socket.async_connect(to, asio::redirect_error(use_awaitable, ec)) ||
                                 timer.async_wait(use_awaitable));
    co_return first.index() == 1 ? asio::error::timed_out : ec;
}

awaitable<void> serve(TcpForward& forward, tcp::socket client, std::string route)
{
    tcp::socket target(client.get_executor());
    if (const auto ec = co_await connect_within(target, forward.target, forward.connect_timeout)) {
        std::cout << route << ": connect failed: " << netlabs::describe_error("", "", ec) << '\n';
        reset(client);  // the client hears "reset" at once, as if the target had refused it
        co_return;
    }
    const RelayResult r = co_await relay(client, target);
    std::cout << route << ": " << r.how << ", " << r.up << " B up, " << r.down << " B down\n";
}

} // namespace

awaitable<void> forward_tcp(TcpForward& forward)
{
    const std::string target = netlabs::to_string(forward.target);
    for (;;) {
        std::error_code ec;
        tcp::socket client = co_await forward.acceptor.async_accept(asio::redirect_error(use_awaitable, ec));
        if (ec == asio::error::operation_aborted) co_return;
        if (ec) {
            // Out of file descriptors, say: log, breathe, go on serving the others.
            std::cout << "accept failed: " << netlabs::describe_error("", "", ec, "-") << '\n';
            asio::steady_timer pause(forward.acceptor.get_executor(), std::chrono::milliseconds(100));
            co_await pause.async_wait(asio::redirect_error(use_awaitable, ec));
            continue;
        }
        const auto peer = client.remote_endpoint(ec);
        std::string route = (ec ? std::string("?") : netlabs::to_string(peer)) + " -> " + target;
        if (forward.active >= forward.max_connections) {
            std::cout << route << ": refused: already " << forward.active
                      << " connections (--max-connections " << forward.max_connections << ")\n";
            reset(client);
            continue;
        }
        ++forward.active;
        asio::co_spawn(forward.acceptor.get_executor(), serve(forward, std::move(client), route),
                       [&forward, route](std::exception_ptr e) {
                           --forward.active;
                           if (!e) return;
                           try {
                               std::rethrow_exception(e);
                           } catch (const std::exception& what) {
                               std::cout << route << ": failed: " << what.what() << '\n';
                           }
                       });
    }
}

} // namespace lab03

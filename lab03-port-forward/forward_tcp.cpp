// One coroutine per connection: connect to the target (with a deadline),
// relay, log one line. The accept loop only counts and hands clients over.
#include "forward_tcp.hpp"

#include <iostream>
#include <string>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/executor_work_guard.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

#include "netlabs/accept_next.hpp"
#include "netlabs/asio_endpoint.hpp"
#include "netlabs/errors.hpp"
#include "relay.hpp"
#include "splice_relay.hpp"

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

// One line, written whole: with --threads, two connections may end at once.
void log_line(const std::string& line)
{
    std::cout << line + '\n';
}

// One of --max-connections' slots, taken by the accept loop for a client.
// It is given back before the connection's log line, so that whoever reads
// "closed" can connect again at once, even when the accept loop runs on
// another thread (--threads).
class Slot {
public:
    explicit Slot(std::atomic<std::size_t>& active) : active_(active) {}
    ~Slot() { give_back(); }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    void give_back()
    {
        if (held_) --active_;
        held_ = false;
    }

private:
    std::atomic<std::size_t>& active_;
    bool held_ = true;
};

awaitable<void> serve(TcpForward& forward, tcp::socket client, std::string route)
{
    Slot slot(forward.active);
    tcp::socket target(client.get_executor());
    if (const auto ec = co_await connect_within(target, forward.target, forward.connect_timeout)) {
        slot.give_back();
        log_line(route + ": connect failed: " + netlabs::describe_error("", "", ec));
        reset(client);  // the client hears "reset" at once, as if the target had refused it
        co_return;
    }
    // (Not `splice ? co_await a : co_await b`: g++ 12 destroys a ternary's
    // co_await result twice.)
    RelayResult r;
    if (forward.splice)
        r = co_await splice_relay(client, target, forward.idle_timeout);
    else
        r = co_await relay(client, target, forward.idle_timeout);
    slot.give_back();
    log_line(route + ": " + r.how + ", " + std::to_string(r.up) + " B up, " + std::to_string(r.down) + " B down");
}

} // namespace

Workers::Workers(std::size_t extra_threads)
{
    for (std::size_t i = 0; i < extra_threads; ++i) {
        contexts_.push_back(std::make_unique<asio::io_context>(1));
        asio::io_context& io = *contexts_.back();
        threads_.emplace_back([&io] {
            auto busy = asio::make_work_guard(io);  // run() until stopped, even with no connection
            io.run();
        });
    }
}

Workers::~Workers()
{
    stop();
}

void Workers::stop()
{
    for (auto& io : contexts_) io->stop();
    for (auto& t : threads_)
        if (t.joinable()) t.join();
}

asio::any_io_executor Workers::next(const asio::any_io_executor& accepting)
{
    // The accepting thread relays its share too: --threads N relays on N
    // threads, not N - 1 (with --threads 2, one thread used to do all the
    // relaying while the other only accepted).
    const std::size_t turn = turn_++ % (contexts_.size() + 1);
    if (turn == contexts_.size()) return accepting;
    return contexts_[turn]->get_executor();
}

awaitable<void> forward_tcp(TcpForward& forward)
{
    const std::string target = netlabs::to_string(forward.target);
    netlabs::AcceptRetry retry;
    for (;;) {
        std::error_code ec;
        const auto worker = forward.workers.next(forward.acceptor.get_executor());
        tcp::socket client(worker);
        try {
            // Out of file descriptors, say: one line, a pause, the clients served meanwhile.
            client = co_await netlabs::accept_next(forward.acceptor, worker, retry, std::cout);
        } catch (const std::system_error& e) {
            if (e.code() == asio::error::operation_aborted) co_return;  // closed: shutting down
            throw;
        }
        const auto peer = client.remote_endpoint(ec);
        std::string route = (ec ? std::string("?") : netlabs::to_string(peer)) + " -> " + target;
        if (forward.active >= forward.max_connections) {
            log_line(route + ": refused: already " + std::to_string(forward.active) +
                " connections (--max-connections " + std::to_string(forward.max_connections) + ")");
            reset(client);
            continue;
        }
        ++forward.active;
        asio::co_spawn(worker, serve(forward, std::move(client), route),
                       [route](std::exception_ptr e) {
                           if (!e) return;  // serve() has given its slot back
                           try {
                               std::rethrow_exception(e);
                           } catch (const std::exception& what) {
                               log_line(route + ": failed: " + what.what());
                           }
                       });
    }
}

} // namespace lab03

// One accepted client of a server: who it is, and (for the coroutine
// servers) the two clocks that end it.
//
//   const auto peer = netlabs::accepted_peer(socket, std::cout);
//   if (!peer) co_return;  // it left while it waited in the accept queue
//   netlabs::ClientClocks clocks(socket, idle_timeout, "was idle too long and was dropped",
//                                client_timeout, "was connected longer than --client-timeout and was dropped");
//   for (;;) { clocks.progress(); co_await read...; clocks.progress(); co_await write...; }
//   // on an error: clocks.expired() says which clock closed the socket, if one did
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <system_error>

#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>

#include "netlabs/asio_endpoint.hpp"

namespace netlabs {

// The peer of a socket accept() just gave, as "IP:PORT". A client may reset
// while it waits in the accept queue: then there is no peer to name and
// nothing to serve; `log` gets one line and the result is empty.
inline std::optional<std::string> accepted_peer(const asio::ip::tcp::socket& socket, std::ostream& log)
{
    std::error_code gone;
    const auto endpoint = socket.remote_endpoint(gone);
    if (gone) {
        log << "A client left before it was served (" << gone.message() << ")\n";
        return std::nullopt;
    }
    return to_string(endpoint);
}

// Two clocks guard a client; the one that runs out closes its socket. `idle`
// restarts at each progress(): call it before each read *and* each write,
// since a write blocks while the client does not read, and that is idle too.
// `lifetime` never restarts: a client that sends a byte just before each
// idle timeout still leaves when it runs out.
//
// A timer that fired just as the client ended has its handler queued
// already, and it runs after the clocks are gone: what it touches is a
// state it shares, and the socket only until stop() (or the destructor).
class ClientClocks {
public:
    ClientClocks(asio::ip::tcp::socket& socket, std::chrono::milliseconds idle, const char* idle_why,
                 std::chrono::milliseconds lifetime, const char* lifetime_why)
        : state_(std::make_shared<State>(State{&socket, nullptr})),
          idle_(socket.get_executor()),
          lifetime_(socket.get_executor(), lifetime),
          idle_timeout_(idle),
          idle_why_(idle_why)
    {
        close_when(lifetime_, lifetime_why);
    }
    ClientClocks(const ClientClocks&) = delete;
    ClientClocks& operator=(const ClientClocks&) = delete;
    ~ClientClocks() { stop(); }

    // The client did something: the idle clock starts again.
    void progress()
    {
        idle_.expires_after(idle_timeout_);  // cancels the wait before
        close_when(idle_, idle_why_);
    }

    // Neither clock closes the socket from now on.
    void stop()
    {
        state_->socket = nullptr;
        idle_.cancel();
        lifetime_.cancel();
    }

    // Why a clock closed the socket ("was idle too long ..."), or nullptr.
    const char* expired() const { return state_->expired; }

private:
    struct State {
        asio::ip::tcp::socket* socket;
        const char* expired;
    };

    void close_when(asio::steady_timer& timer, const char* why)
    {
        timer.async_wait([state = state_, why](std::error_code ec) {
            if (ec || state->socket == nullptr) return;  // restarted, cancelled, or stopped
            state->expired = why;
            state->socket->close();
        });
    }

    std::shared_ptr<State> state_;
    asio::steady_timer idle_;
    asio::steady_timer lifetime_;
    std::chrono::milliseconds idle_timeout_;
    const char* idle_why_;
};

} // namespace netlabs

// UDP sessions: find or make the client's session, send its datagram on; each
// session relays the target's replies back to its own client until idle.
#include "forward_udp.hpp"

#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

#include "netlabs/asio_endpoint.hpp"
#include "netlabs/errors.hpp"

using asio::awaitable;
using asio::use_awaitable;
using asio::ip::udp;
using namespace asio::experimental::awaitable_operators;
using Clock = std::chrono::steady_clock;

namespace lab03 {

// The largest UDP payload (IPv6 jumbograms aside).
constexpr std::size_t max_datagram = 65535;

struct UdpSession {
    udp::endpoint client;
    udp::socket to_target;  // connected to the target: only its replies arrive here
    std::string route;      // "CLIENT -> TARGET"
    Clock::time_point last_heard = Clock::now();
    std::uint64_t up = 0, down = 0;
    bool told_refused = false;
};

namespace {

std::string seconds(std::chrono::milliseconds ms)
{
    std::ostringstream out;
    out << static_cast<double>(ms.count()) / 1000.0;
    return out.str();
}

// Replies from the target go back to this session's client, from the
// forwarder's listening address (the one the client sent to).
awaitable<void> relay_replies(UdpForward& forward, UdpSession& s)
{
    std::vector<char> data(max_datagram);
    for (;;) {
        std::error_code ec;
        const std::size_t n =
            co_await s.to_target.async_receive(asio::buffer(data), asio::redirect_error(use_awaitable, ec));
        if (ec == asio::error::connection_refused) {
            // An ICMP "port unreachable" for an earlier datagram: nobody listens there.
            if (!s.told_refused)
                std::cout << s.route << ": target refused a datagram: "
                          << netlabs::describe_error("", "", ec) << '\n';
            s.told_refused = true;
            continue;
        }
        if (ec) co_return;
        s.last_heard = Clock::now();
        // UDP may drop: if the socket's buffer is full, so be it (non-blocking send).
        forward.listener.send_to(asio::buffer(data.data(), n), s.client, 0, ec);
        if (!ec) s.down += n;
    }
}

// Returns once the session has been silent (both ways) for `idle`.
awaitable<void> expire(UdpSession& s, std::chrono::milliseconds idle)
{
    asio::steady_timer timer(s.to_target.get_executor());
    for (;;) {
        timer.expires_at(s.last_heard + idle);
        co_await timer.async_wait(use_awaitable);
        if (Clock::now() >= s.last_heard + idle) co_return;
    }
}

awaitable<void> run_session(UdpForward& forward, std::shared_ptr<UdpSession> s)
{
    co_await (relay_replies(forward, *s) || expire(*s, forward.idle));
    std::cout << s->route << ": closed after " << seconds(forward.idle) << " s idle, " << s->up
              << " B up, " << s->down << " B down\n";
    forward.sessions.erase(s->client);
}

} // namespace

awaitable<void> forward_udp(UdpForward& forward)
{
    const std::string target = netlabs::to_string(forward.target);
    forward.listener.non_blocking(true);
    std::vector<char> data(max_datagram);
    for (;;) {
        udp::endpoint client;
        std::error_code ec;
        const std::size_t n = co_await forward.listener.async_receive_from(
            asio::buffer(data), client, asio::redirect_error(use_awaitable, ec));
        if (ec == asio::error::operation_aborted) co_return;
        if (ec) continue;  // an ICMP error for an earlier reply: not this datagram's fault

        auto found = forward.sessions.find(client);
        if (found == forward.sessions.end()) {
            const std::string route = netlabs::to_string(client) + " -> " + target;
            if (forward.sessions.size() >= forward.max_sessions) {
                std::cout << route << ": dropped: already " << forward.sessions.size()
                          << " sessions (--max-connections " << forward.max_sessions << ")\n";
                continue;
            }
            auto s = std::make_shared<UdpSession>(
                UdpSession{client, udp::socket(forward.listener.get_executor()), route});
            s->to_target.connect(forward.target, ec);  // sends nothing: fixes the peer, picks a port
            if (ec) {
                std::cout << route << ": connect failed: " << netlabs::describe_error("", "", ec) << '\n';
                continue;
            }
            s->to_target.non_blocking(true);
            found = forward.sessions.emplace(client, s).first;
            asio::co_spawn(forward.listener.get_executor(), run_session(forward, s), asio::detached);
        }
        UdpSession& s = *found->second;
        s.last_heard = Clock::now();
        s.to_target.send(asio::buffer(data.data(), n), 0, ec);
        if (!ec) s.up += n;
    }
}

} // namespace lab03

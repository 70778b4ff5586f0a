#include "announce.hpp"

#include <iostream>
#include <string>

#include <asio/buffer.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include "netlabs/asio_endpoint.hpp"
#include "netlabs/errors.hpp"

namespace netlabs::lab02 {

asio::awaitable<void> announce(Announcement a)
{
    auto executor = co_await asio::this_coro::executor;
    asio::ip::udp::socket socket(executor, asio::ip::udp::v4());
    socket.set_option(asio::socket_base::broadcast(true));  // SO_BROADCAST

    // Bound to the server's own address, the beacon leaves from it: the
    // client reads the server's address from the beacon's source. A server
    // on loopback that announces to the LAN does not bind (127.0.0.1 cannot
    // be a source on the LAN); the client will find it and be refused.
    bool to_loopback = true;
    for (const auto& to : a.to) to_loopback = to_loopback && to.address().is_loopback();
    if (a.from.is_v4() && !a.from.is_unspecified() && a.from.is_loopback() == to_loopback) {
        std::error_code ec;
        socket.bind({a.from, 0}, ec);
        if (ec) throw_network_error("bind beacon socket to", a.from.to_string(), ec);
    }

    const std::string payload = encode_beacon(a.beacon);
    asio::steady_timer timer(executor);
    std::vector<std::error_code> last(a.to.size());
    for (;;) {
        for (std::size_t i = 0; i < a.to.size(); ++i) {
            std::error_code ec;
            co_await socket.async_send_to(asio::buffer(payload), a.to[i],
                                          asio::redirect_error(asio::use_awaitable, ec));
            if (ec && ec != last[i])
                std::cerr << "lab02-server: "
                          << describe_error("send beacon to", to_string(a.to[i]), ec,
                                            "is this host on a LAN, with a route for broadcasts? "
                                            "the server keeps serving and keeps trying")
                          << std::endl;
            last[i] = ec;
        }
        timer.expires_after(a.interval);
        co_await timer.async_wait(asio::use_awaitable);
    }
}

} // namespace netlabs::lab02

#include "discover.hpp"

#include <array>
#include <chrono>
#include <sstream>
#include <string>

#include <asio/io_context.hpp>
#include <asio/ip/udp.hpp>
#include <asio/use_awaitable.hpp>

#include "netlabs/errors.hpp"
#include "netlabs/ready.hpp"

namespace netlabs::lab02 {

Discovered discover(std::uint16_t port, Timeout timeout)
{
    using asio::ip::udp;
    asio::io_context io;
    udp::socket socket(io, udp::v4());
    // Several clients on one host may wait at once: each gets every broadcast.
    socket.set_option(asio::socket_base::reuse_address(true));
    const std::string where = "0.0.0.0:" + std::to_string(port);
    std::error_code ec;
    socket.bind({asio::ip::address_v4::any(), port}, ec);
    if (ec) throw_network_error("listen for beacons on", where, ec);
    announce_listening(socket.local_endpoint(), "", " (UDP, waiting for a lab02-server beacon)");
    const std::string listening = "UDP port " + std::to_string(socket.local_endpoint().port());

    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::size_t ignored = 0;
    for (;;) {
        std::array<char, 512> data{};
        udp::endpoint sender;
        auto receive = [&]() -> asio::awaitable<std::size_t> {
            co_return co_await socket.async_receive_from(asio::buffer(data), sender, asio::use_awaitable);
        };
        const auto left = std::max(Timeout::zero(), deadline - std::chrono::steady_clock::now());
        std::size_t n = 0;
        try {
            n = run_timed(socket, receive(), left, "discover on", listening);
        } catch (const NetworkError& e) {
            if (e.code() != asio::error::timed_out) throw;
            std::ostringstream seconds;  // 5 -> "5", 0.25 -> "0.25"
            seconds << std::chrono::duration<double>(timeout).count();
            throw_network_error(
                "discover on", listening, e.code(),
                "no lab02-server beacon in " + seconds.str() + " s" +
                    (ignored ? " (" + std::to_string(ignored) + " other datagrams ignored)" : "") +
                    ": is a server running with --announce on this LAN, on the same --discovery-port? "
                    "broadcasts do not cross a router");
        }
        if (const auto beacon = parse_beacon(std::string_view(data.data(), n)))
            return {*beacon, sender.address()};
        ++ignored;  // someone else's datagram on our port: not for us
    }
}

} // namespace netlabs::lab02

#include "discovery.hpp"

#include <array>
#include <charconv>
#include <iostream>
#include <sstream>

#include <asio/buffer.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/host_name.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include "netlabs/asio_endpoint.hpp"
#include "netlabs/errors.hpp"
#include "netlabs/not_implemented.hpp"
#include "netlabs/ready.hpp"

namespace netlabs::lab02 {

// --- the beacon ------------------------------------------------------------------

namespace {

constexpr std::size_t max_name = 63;

bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

// Why `name` is not a server name, or "".
std::string name_problem(std::string_view name)
{
    if (name.empty()) return "empty";
    if (name.size() > max_name) return "longer than 63 characters";
    for (char c : name)
        if (!name_char(c)) return "use only letters, digits, '.', '_' and '-' (one word)";
    return "";
}

} // namespace

std::string encode_beacon(const Beacon& beacon)
{
    // BEGIN SOLUTION lab02-ex2
    return std::string(beacon_tag) + ' ' + beacon.name + ' ' + std::to_string(beacon.port) + '\n';
    // END SOLUTION
    // STUDENT: (void)beacon;
    // STUDENT: throw netlabs::NotImplemented("lab02-ex2");
}

// Anything may arrive on the discovery port: whatever is not exactly a beacon
// is nullopt, never an exception.
std::optional<Beacon> parse_beacon(std::string_view datagram)
{
    // BEGIN SOLUTION lab02-ex2
    while (!datagram.empty() && (datagram.back() == '\n' || datagram.back() == '\r')) datagram.remove_suffix(1);
    std::vector<std::string_view> fields;
    for (std::size_t at = 0; at <= datagram.size();) {
        std::size_t space = datagram.find(' ', at);
        if (space == std::string_view::npos) space = datagram.size();
        fields.push_back(datagram.substr(at, space - at));
        at = space + 1;
    }
    if (fields.size() != 3 || fields[0] != beacon_tag || !name_problem(fields[1]).empty()) return std::nullopt;
    std::uint16_t port = 0;
    const std::string_view p = fields[2];
    auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
    if (p.empty() || ec != std::errc{} || ptr != p.data() + p.size() || port == 0 ||
        (p.size() > 1 && p.front() == '0'))
        return std::nullopt;
    return Beacon{std::string(fields[1]), port};
    // END SOLUTION
    // STUDENT: (void)datagram;
    // STUDENT: throw netlabs::NotImplemented("lab02-ex2");
}

std::string check_server_name(std::string_view name)
{
    const std::string why = name_problem(name);
    if (!why.empty()) {
        std::string shown;  // a control character must not break the one-line error
        for (char c : name) shown += static_cast<unsigned char>(c) < 0x20 ? '?' : c;
        throw UsageError("invalid --name '" + shown + "': " + why);
    }
    return std::string(name);
}

std::string default_server_name()
{
    std::error_code ec;
    std::string name = asio::ip::host_name(ec);
    if (ec) return "lab02-server";
    if (auto dot = name.find('.'); dot != std::string::npos) name.erase(dot);  // "desktop.lan" -> "desktop"
    if (name.size() > max_name) name.resize(max_name);
    for (char& c : name)
        if (!name_char(c)) c = '-';
    return name.empty() ? "lab02-server" : name;
}

// --- the server's side -------------------------------------------------------------

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

// --- the client's side -------------------------------------------------------------

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

// lab05-doctor: "my friend can't connect" -- which layer is broken?
//
// It walks the diagram of docs/en/lab05.md from the host it runs on, one
// layer at a time, and stops at the first that fails, with its fix:
//
//   ok    url      203.0.113.123 port 5000, path /hello
//   ok    route    to 203.0.113.123 from 198.51.100.8, via the gateway 198.51.100.1
//   ok    gateway  198.51.100.1 answers a ping
//   skip  server   nothing on this host listens on port 5000: the server is another machine
//   FAIL  connect  connect 203.0.113.123:5000: timed out after 2 s
//   first broken layer: connect. fix: ...
//
// Run it on the friend's machine with the public URL, and on the server with
// its LAN URL: the server layer (what address the server listens on) can be
// seen only from the server itself.
#include <chrono>
#include <cstring>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <asio/connect.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/ip/udp.hpp>
#include <httplib.h>

#include "client_errors.hpp"
#include "netlabs/cli.hpp"
#include "netlabs/errors.hpp"
#include "netlabs/timed.hpp"
#include "url.hpp"

using asio::ip::address_v4;

namespace {

struct Failed {
    std::string layer, fix;
};

void report(const std::string& verdict, const std::string& layer, const std::string& what)
{
    std::string padded_verdict = verdict, padded_layer = layer;
    padded_verdict.resize(6, ' ');
    padded_layer.resize(9, ' ');
    std::cout << padded_verdict << padded_layer << what << '\n';
}

// /proc/net/route holds addresses as the hex of a u32 in host order (x86: reversed).
address_v4 proc_address(const std::string& hex)
{
    const std::uint32_t raw = static_cast<std::uint32_t>(std::stoul(hex, nullptr, 16));
    return address_v4(ntohl(raw));
}

// The default gateway, from /proc/net/route (what `ip route` shows as "default via").
std::optional<address_v4> default_gateway()
{
    std::ifstream routes("/proc/net/route");
    std::string line;
    std::getline(routes, line);  // the header
    while (std::getline(routes, line)) {
        std::istringstream fields(line);
        std::string iface, destination, gateway;
        if (fields >> iface >> destination >> gateway && destination == "00000000" && gateway != "00000000")
            return proc_address(gateway);
    }
    return std::nullopt;
}

// Does the gateway answer an ICMP echo? (a "ping socket": no root needed
// where net.ipv4.ping_group_range allows it, as on the course's hosts).
std::optional<bool> pings(const address_v4& host, std::chrono::milliseconds timeout)
{
    const int fd = ::socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
    if (fd < 0) return std::nullopt;  // not allowed here: cannot tell
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(host.to_uint());
    icmphdr echo{};
    echo.type = ICMP_ECHO;
    echo.un.echo.sequence = htons(1);
    bool answered = false;
    if (::sendto(fd, &echo, sizeof echo, 0, reinterpret_cast<sockaddr*>(&to), sizeof to) >= 0) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(timeout.count())) == 1) {
            char reply[256];
            answered = ::recv(fd, reply, sizeof reply, 0) >= static_cast<ssize_t>(sizeof(icmphdr)) &&
                       reinterpret_cast<icmphdr*>(reply)->type == ICMP_ECHOREPLY;
        }
    }
    ::close(fd);
    return answered;
}

// The addresses on this host that listen on TCP `port` (/proc/net/tcp, tcp6).
std::vector<std::string> listening_on(std::uint16_t port)
{
    std::vector<std::string> found;
    for (const char* file : {"/proc/net/tcp", "/proc/net/tcp6"}) {
        std::ifstream table(file);
        std::string line;
        std::getline(table, line);
        while (std::getline(table, line)) {
            std::istringstream fields(line);
            std::string slot, local, remote, state;
            if (!(fields >> slot >> local >> remote >> state) || state != "0A") continue;  // 0A: LISTEN
            const auto colon = local.find(':');
            if (std::stoul(local.substr(colon + 1), nullptr, 16) != port) continue;
            const std::string hex = local.substr(0, colon);
            std::string shown;
            if (hex.size() == 8) {
                shown = proc_address(hex).to_string();
            } else {
                asio::ip::address_v6::bytes_type bytes{};
                for (std::size_t word = 0; word < 4; ++word) {
                    const std::uint32_t raw = static_cast<std::uint32_t>(std::stoul(hex.substr(word * 8, 8), nullptr, 16));
                    std::memcpy(bytes.data() + word * 4, &raw, 4);  // each word is in host order
                }
                shown = "[" + asio::ip::address_v6(bytes).to_string() + "]";
            }
            found.push_back(shown + ":" + std::to_string(port));
        }
    }
    return found;
}

std::string join(const std::vector<std::string>& items)
{
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App app{"lab05-doctor: checks the path to an HTTP server layer by layer and names the first broken one",
                 "lab05-doctor"};
    std::string url_text, timeout_text = "3";
    app.add_option("URL", url_text, "what the client asks for, e.g. http://203.0.113.123:5000/hello")->required();
    app.add_option("--timeout", timeout_text, "seconds for each network check")->capture_default_str();

    return netlabs::run_main(app, argc, argv, [&] {
        const lab05::Url url = lab05::parse_url(url_text);
        const auto timeout = netlabs::parse_seconds(timeout_text, "--timeout");
        const std::string where = url.server.to_string();
        std::optional<Failed> failed;
        auto fail = [&](const std::string& layer, const std::string& what, const std::string& fix) {
            report("FAIL", layer, what);
            failed = Failed{layer, fix};
        };

        std::cout << "lab05-doctor: " << url.to_string() << '\n';
        report("ok", "url", url.server.host + " port " + std::to_string(url.server.port) + ", path " + url.target);

        // --- the name, then the route: which interface, which source address --------
        asio::io_context io;
        std::error_code ec;
        asio::ip::tcp::resolver resolver(io);
        const auto endpoints = resolver.resolve(url.server.host, std::to_string(url.server.port), ec);
        if (ec) {
            fail("name", netlabs::describe_error("resolve", url.server.host, ec, "-"),
                 "check the name; a friend's machine has no name: use the router's public IP");
        }
        asio::ip::address target;
        bool from_private_lan = false;  // a LAN host going out through the gateway
        if (!failed) {
            target = endpoints.begin()->endpoint().address();
            // connect() on a UDP socket sends nothing: it only picks the route.
            asio::ip::udp::socket probe(io);
            probe.open(target.is_v4() ? asio::ip::udp::v4() : asio::ip::udp::v6(), ec);
            if (!ec) probe.connect({target, url.server.port}, ec);
            if (ec) {
                fail("route", netlabs::describe_error("route to", target.to_string(), ec, "-"),
                     "this host has no route there: check its address and default gateway (ip addr, ip route)");
            } else {
                const auto source = probe.local_endpoint().address();
                const auto gateway = default_gateway();
                const bool local = source == target || target.is_loopback();
                std::string how = local ? "(this host itself)" : "from " + source.to_string();
                bool via_gateway = false;
                if (!local && source.is_v4() && target.is_v4()) {
                    // On the same network as one of our addresses? Then no gateway is involved.
                    std::ifstream routes("/proc/net/route");
                    std::string line;
                    std::getline(routes, line);
                    bool on_link = false;
                    while (std::getline(routes, line)) {
                        std::istringstream fields(line);
                        std::string iface, destination, gw, flags, refcnt, use, metric, mask;
                        if (!(fields >> iface >> destination >> gw >> flags >> refcnt >> use >> metric >> mask)) continue;
                        if (destination == "00000000" || gw != "00000000") continue;
                        const std::uint32_t net = proc_address(destination).to_uint(), m = proc_address(mask).to_uint();
                        if ((target.to_v4().to_uint() & m) == net) on_link = true;
                    }
                    via_gateway = !on_link && gateway.has_value();
                    const std::uint32_t a = source.to_v4().to_uint();
                    from_private_lan = via_gateway && ((a >> 24) == 10 || (a >> 20) == 0xAC1 || (a >> 16) == 0xC0A8);
                    how += on_link ? ", on this host's own network" : via_gateway ? ", via the gateway " + gateway->to_string() : "";
                }
                report("ok", "route", "to " + target.to_string() + " " + how);
                if (via_gateway) {
                    const auto answer = pings(*gateway, timeout);
                    if (!answer)
                        report("skip", "gateway", "cannot ping from here (net.ipv4.ping_group_range)");
                    else if (*answer)
                        report("ok", "gateway", gateway->to_string() + " answers a ping");
                    else
                        fail("gateway", gateway->to_string() + " does not answer a ping",
                             "the router is off or this host is on the wrong network: check the cable or Wi-Fi, "
                             "and the gateway (ip route)");
                }
                // --- the server's own socket: only visible on the server ------------
                if (!failed) {
                    const auto listeners = listening_on(url.server.port);
                    bool only_loopback = !listeners.empty();
                    for (const auto& l : listeners)
                        only_loopback = only_loopback && (l.rfind("127.", 0) == 0 || l.rfind("[::1]", 0) == 0);
                    if (listeners.empty() && local) {
                        fail("server", "nothing on this host listens on port " + std::to_string(url.server.port),
                             "start the server (lab05-server --port " + std::to_string(url.server.port) + ")");
                    } else if (listeners.empty()) {
                        report("skip", "server", "nothing on this host listens on port " +
                                                     std::to_string(url.server.port) + ": the server is another machine");
                    } else if (only_loopback && !target.is_loopback()) {
                        fail("server", "listens on " + join(listeners) + " only: other machines cannot reach it",
                             "start it on every interface: lab05-server --host 0.0.0.0 (Flask: app.run(host=\"0.0.0.0\"))");
                    } else {
                        report("ok", "server", "listening on " + join(listeners));
                    }
                }
            }
        }

        // --- TCP: does anything accept the connection? --------------------------------
        if (!failed) {
            asio::ip::tcp::socket socket(io);
            try {
                netlabs::timed_connect(socket, endpoints, timeout, where);
                report("ok", "connect", where + " accepts connections");
            } catch (const netlabs::NetworkError& e) {
                // The same kinds as lab05-client's (client_errors.hpp), decided here
                // directly: the doctor works before exercise 3 is done.
                const std::error_code os = lab05::portable(e.code());
                if (os == std::errc::connection_refused) {
                    fail("connect", netlabs::describe_error("connect", where, e.code(), "-"),
                         "something answered 'nothing here': if " + url.server.host +
                             " is the router, its port forward (lab03-portfwd --explain); then the server's "
                             "address (run lab05-doctor on the server); then a firewall that rejects" +
                             (from_private_lan ? std::string("; from inside a LAN, a router's public address needs "
                                                             "NAT reflection (hairpin): try the server's LAN address")
                                               : std::string()));
                } else if (os == std::errc::timed_out) {
                    fail("connect", where + ": no answer in " + timeout_text + " s",
                         "something drops the packets: the server's firewall (nft list ruleset; Windows: an "
                         "inbound rule for TCP " + std::to_string(url.server.port) +
                             "), or a router that drops what it does not forward");
                } else {
                    fail("connect", netlabs::describe_error("connect", where, e.code(), "-"),
                         "the forward or this URL points to an address nobody has (DHCP moved the server? reserve "
                         "its address), or a firewall rejects with ICMP");
                }
            }
        }

        // --- HTTP: an answer, and its status -------------------------------------------
        if (!failed) {
            httplib::Client client(url.server.host, url.server.port);
            client.set_connection_timeout(timeout);
            client.set_read_timeout(timeout);
            const auto result = client.Get(url.target);
            if (!result) {
                fail("http", "no HTTP answer (" + httplib::to_string(result.error()) + ")",
                     "is it an HTTP server on that port? lab05-raw get " + url.to_string() + " shows what comes back");
            } else if (result->status >= 400) {
                fail("http", result->version + " " + std::to_string(result->status) + " " + result->reason,
                     "the server answered with an error: check the path and method");
            } else {
                report("ok", "http", result->version + " " + std::to_string(result->status) + " " + result->reason);
            }
        }

        if (failed) {
            std::cout << "first broken layer: " << failed->layer << ". fix: " << failed->fix << '\n';
            return netlabs::exit_failure;
        }
        std::cout << "every layer works\n";
        return netlabs::exit_ok;
    });
}

// lab02-client: send lines to a lab02-server on the LAN and print the replies.
//
//   lab02-client 192.168.99.123 5000 "hello from the laptop"
//   lab02-client --discover "hello from the laptop"
//
// When it fails, it says which of three very different things happened:
//
//   refused     a host answered, but nothing listens on that address and
//               port: the server is down, on another port, or bound to
//               127.0.0.1 (which only its own machine can reach)
//   no route    no host answered at all: a wrong address (DHCP moved it?),
//               or this host is on another network
//   timed out   silence: the host is down, or a firewall drops the packets
#include <iostream>
#include <string>
#include <vector>

#include <asio/ip/tcp.hpp>

#include "discovery.hpp"
#include "netlabs/asio_endpoint.hpp"
#include "netlabs/cli.hpp"
#include "netlabs/endpoint.hpp"
#include "netlabs/errors.hpp"
#include "netlabs/framing.hpp"
#include "netlabs/resolve.hpp"
#include "netlabs/timed.hpp"

using asio::ip::tcp;

namespace {

struct Options {
    std::string host;
    std::string port;
    std::vector<std::string> messages;
    bool discover = false;
    std::string discovery_port = std::to_string(netlabs::lab02::default_discovery_port);
    std::string timeout = "5";
};

// The hint for a failed connect, by what went wrong and where we went.
std::string connect_hint(std::error_code code, const asio::ip::address& server, const std::string& timeout)
{
    if (code == asio::error::connection_refused) {
        if (server.is_loopback()) return "is lab02-server running, and on that port?";
        return "is lab02-server running there, on that port? is it bound to 127.0.0.1? a server on "
               "127.0.0.1 accepts only this machine; bind 0.0.0.0 or the LAN address";
    }
    if (code == asio::error::host_unreachable)
        return "no host answered at that address on the LAN: is the address right? DHCP may have moved "
               "the server: lab02-ifaces on the server shows its address now, or use --discover";
    if (code == asio::error::network_unreachable)
        return "this host has no route to that network: is it on the server's LAN, and does it have a "
               "default gateway? (lab02-ifaces shows both)";
    if (code == asio::error::timed_out)
        return "no answer within " + timeout + " s (--timeout): is the host up, and is a firewall dropping packets?";
    return "";
}

// Where to connect: HOST PORT from the command line, or what --discover heard.
tcp::endpoint find_server(const Options& opt, netlabs::Timeout timeout)
{
    if (opt.discover) {
        const auto port = netlabs::parse_port(opt.discovery_port);
        const auto found = netlabs::lab02::discover(port, timeout);
        const tcp::endpoint server(found.address, found.beacon.port);
        std::cout << "Found " << found.beacon.name << " at " << netlabs::to_string(server) << '\n';
        return server;
    }
    const netlabs::Endpoint where = netlabs::make_endpoint(opt.host, opt.port);
    if (where.port == 0) throw netlabs::UsageError("invalid port '0': a client must name the server's port");
    asio::io_context io;
    return netlabs::resolve_prefer_v4<tcp>(io, where);
}

int talk(Options opt)
{
    // With --discover there is no HOST PORT: every word is a message.
    if (opt.discover) {
        std::vector<std::string> words;
        for (auto* w : {&opt.host, &opt.port})
            if (!w->empty()) words.push_back(*w);
        words.insert(words.end(), opt.messages.begin(), opt.messages.end());
        opt.messages = words;
    } else if (opt.host.empty()) {
        throw netlabs::UsageError("missing HOST, PORT and MESSAGE: lab02-client HOST PORT MESSAGE..., "
                                  "or lab02-client --discover MESSAGE...");
    } else if (opt.port.empty()) {
        throw netlabs::UsageError("missing PORT and MESSAGE after '" + opt.host + "'");
    }
    if (opt.messages.empty()) throw netlabs::UsageError("missing MESSAGE: give at least one message to send");
    for (const auto& m : opt.messages)
        if (m.find('\n') != std::string::npos)
            throw netlabs::UsageError("invalid MESSAGE: one line each, without a newline");
    const auto timeout = netlabs::parse_seconds(opt.timeout, "--timeout");
    if (!opt.discover) netlabs::make_endpoint(opt.host, opt.port);  // bad input first, before any waiting
    else netlabs::parse_port(opt.discovery_port);

    const tcp::endpoint server = find_server(opt, timeout);
    const std::string where = netlabs::to_string(server);

    asio::io_context io;
    tcp::socket socket(io);
    try {
        netlabs::timed_connect(socket, tcp::resolver::results_type::create(server, "", ""), timeout, where);
    } catch (const netlabs::NetworkError& e) {
        netlabs::throw_network_error("connect", where, e.code(), connect_hint(e.code(), server.address(), opt.timeout));
    }

    // One line out, one line back, for each message.
    std::string buffer;
    for (const auto& message : opt.messages) {
        netlabs::write_line(socket, message, timeout, where);
        const auto reply = netlabs::read_line(socket, buffer, timeout, where);
        if (!reply)
            throw netlabs::NetworkError("receive from " + where + ": the server closed the connection without a reply",
                                        asio::error::eof);
        std::cout << *reply << '\n';
    }
    std::error_code ec;
    socket.shutdown(tcp::socket::shutdown_both, ec);
    return netlabs::exit_ok;
}

} // namespace

int main(int argc, char** argv)
{
    Options opt;
    CLI::App app{"lab02-client: send each MESSAGE as a line to a lab02-server and print each reply.\n"
                 "  lab02-client HOST PORT MESSAGE...\n"
                 "  lab02-client --discover MESSAGE...     (find the server by its beacon)",
                 "lab02-client"};
    app.add_option("HOST", opt.host, "the server's address, e.g. 192.168.99.123");
    app.add_option("PORT", opt.port, "the server's TCP port, e.g. 5000");
    app.add_option("MESSAGE", opt.messages, "one or more messages, one line each");
    app.add_flag("--discover", opt.discover,
                 "wait for a lab02-server --announce beacon instead of naming HOST and PORT");
    app.add_option("--discovery-port", opt.discovery_port, "UDP port to wait for beacons on (0: any free port)")
        ->capture_default_str();
    app.add_option("--timeout", opt.timeout, "seconds to wait for a beacon, for connect, and for each reply")
        ->capture_default_str();
    return netlabs::run_main(app, argc, argv, [&] { return talk(opt); });
}

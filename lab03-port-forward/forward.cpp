// lab03-forward: a port forwarder in userspace, seed 003's "8080:2988": listens
// on one port and relays every TCP connection (or UDP client) to a target.
//
// Seed 003 writes a port forward as `8080:2988` and says that requests to
// 8080 go out to 2988 and requests to 2988 go out to 8080, as if the two
// ports were simply joined. Only the first half is true (seed error 5):
// forwarding is directional. The forwarder listens on 8080 and, for every
// client that connects there, opens its own connection to 2988 and copies
// bytes both ways between the two. Replies come back over those same
// connections; a client that connects to 2988 reaches whatever listens on
// 2988 and never touches the forward.
//
//   client ---> :8080 [lab03-forward] ---> 127.0.0.1:2988 (the target)
//          <---                       <---   replies, on the same connections
//
// The target sees the connection coming from the forwarder, not from the
// client: unlike the router's kernel forward (DNAT, lab03-portfwd), a
// userspace forwarder hides the client's address. relay.cpp holds the part
// worth reading first: two pumps, half-close, backpressure, reset.
#include <csignal>
#include <iostream>
#include <optional>
#include <string>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/signal_set.hpp>

#include "forward_spec.hpp"
#include "forward_tcp.hpp"
#include "forward_udp.hpp"
#include "splice_relay.hpp"
#include "netlabs/asio_endpoint.hpp"
#include "netlabs/cli.hpp"
#include "netlabs/errors.hpp"
#include "netlabs/ready.hpp"

using asio::ip::tcp;
using asio::ip::udp;

namespace {

struct Options {
    std::string forward;  // LISTEN:TARGET
    std::string listen;
    std::string to;
    bool udp = false;
    bool splice = false;
    std::string max_connections = "256";
    std::string connect_timeout = "5";
    std::string udp_idle = "60";
    std::string idle_timeout = "3600";
    std::string threads = "1";
    std::string ready_file;
};

lab03::ForwardSpec spec_of(const Options& opt)
{
    if (!opt.forward.empty()) {
        if (!opt.listen.empty() || !opt.to.empty())
            throw netlabs::UsageError("invalid forward '" + opt.forward +
                                      "': give LISTEN:TARGET or --listen and --to, not both");
        return lab03::parse_forward(opt.forward);
    }
    if (opt.listen.empty() && opt.to.empty())
        throw netlabs::UsageError("missing what to forward: give LISTEN:TARGET (e.g. 8080:2988) "
                                  "or --listen and --to");
    if (opt.to.empty()) throw netlabs::UsageError("missing --to: where should --listen " + opt.listen + " relay to?");
    if (opt.listen.empty()) throw netlabs::UsageError("missing --listen: which port should relay to " + opt.to + "?");
    return {lab03::parse_listen(opt.listen), lab03::parse_target(opt.to)};
}

std::size_t parse_count(const std::string& text, const std::string& what)
{
    std::size_t value = 0;
    for (char c : text) {
        if (c < '0' || c > '9' || value > 100000) { value = 0; break; }
        value = value * 10 + static_cast<std::size_t>(c - '0');
    }
    if (value < 1 || value > 100000)
        throw netlabs::UsageError("invalid " + what + " '" + text + "': must be a whole number from 1 to 100000");
    return value;
}

// The target's address; a host name is looked up once, at start.
template <typename Protocol>
typename Protocol::endpoint resolve(asio::io_context& io, const netlabs::Endpoint& where)
{
    typename Protocol::resolver resolver(io);
    std::error_code ec;
    const auto results = resolver.resolve(where.host, std::to_string(where.port), ec);
    if (ec) netlabs::throw_network_error("resolve", where.host, ec, "is the target's host name right?");
    return results.begin()->endpoint();
}

int run(const Options& opt)
{
    const lab03::ForwardSpec spec = spec_of(opt);
    const std::size_t max_connections = parse_count(opt.max_connections, "--max-connections");
    const auto connect_timeout = netlabs::parse_seconds(opt.connect_timeout, "--connect-timeout");
    const auto udp_idle = netlabs::parse_seconds(opt.udp_idle, "--udp-idle");
    const auto idle_timeout = netlabs::parse_seconds(opt.idle_timeout, "--idle-timeout");
    const std::size_t threads = parse_count(opt.threads, "--threads");
    if (threads > 64) throw netlabs::UsageError("invalid --threads '" + opt.threads + "': must be 1-64");
    if (opt.udp && threads > 1) throw netlabs::UsageError("invalid --threads '" + opt.threads + "': --udp runs on one thread");
    if (opt.splice && opt.udp) throw netlabs::UsageError("invalid --splice: it is for TCP, not --udp");
    if (opt.splice && !lab03::splice_supported())
        throw netlabs::UsageError("invalid --splice: splice(2) is Linux only; drop it to relay with read and write");
    const auto listen_address = asio::ip::make_address(spec.listen.host);

    // Declared before `io`, so that their io_contexts outlive it: the accept
    // waiting in `io` holds a socket of the next worker's io_context until
    // `io` is destroyed. Their threads are stopped right after io.run().
    lab03::Workers workers(threads - 1);
    asio::io_context io(1);
    std::error_code ec;
    std::optional<lab03::TcpForward> tcp_forward;
    std::optional<lab03::UdpForward> udp_forward;

    // Ctrl-C (SIGINT) or kill (SIGTERM): stop, close everything, exit 0.
    // Set up before the ready line, so that a signal right after it is caught.
    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](std::error_code, int signal) {
        const std::size_t open = tcp_forward ? tcp_forward->active.load() : udp_forward->sessions.size();
        std::cout << "Shutting down on " << (signal == SIGINT ? "SIGINT" : "SIGTERM") << " (" << open
                  << (tcp_forward ? " connections" : " sessions") << " open)\n";
        io.stop();
    });

    if (!opt.udp) {
        const tcp::endpoint local(listen_address, spec.listen.port);
        tcp::acceptor acceptor(io, local.protocol());
        acceptor.set_option(tcp::acceptor::reuse_address(true));
        acceptor.bind(local, ec);
        if (ec) netlabs::throw_network_error("bind", spec.listen.to_string(), ec);
        acceptor.listen(asio::socket_base::max_listen_connections);
        tcp_forward.emplace(std::move(acceptor), resolve<tcp>(io, spec.target), max_connections,
                            connect_timeout, workers);
        tcp_forward->splice = opt.splice;
        tcp_forward->idle_timeout = idle_timeout;
        // asio's writes never raise SIGPIPE (MSG_NOSIGNAL); splice(2) into a
        // socket whose peer has gone can: take EPIPE as an error code instead.
        if (opt.splice) std::signal(SIGPIPE, SIG_IGN);
        // An accept error that is not temporary ends the forwarder, with its line.
        asio::co_spawn(io, lab03::forward_tcp(*tcp_forward), [](std::exception_ptr e) {
            if (e) std::rethrow_exception(e);
        });
        netlabs::announce_listening(tcp_forward->acceptor.local_endpoint(), opt.ready_file,
                                    " (TCP), forwarding to " + netlabs::to_string(tcp_forward->target));
    } else {
        const udp::endpoint local(listen_address, spec.listen.port);
        udp::socket listener(io, local.protocol());
        listener.bind(local, ec);
        if (ec) netlabs::throw_network_error("bind", spec.listen.to_string(), ec);
        udp_forward.emplace(lab03::UdpForward{std::move(listener), resolve<udp>(io, spec.target),
                                              max_connections, udp_idle, {}});
        asio::co_spawn(io, lab03::forward_udp(*udp_forward), asio::detached);
        netlabs::announce_listening(udp_forward->listener.local_endpoint(), opt.ready_file,
                                    " (UDP), forwarding to " + netlabs::to_string(udp_forward->target));
    }

    io.run();
    workers.stop();  // before what their connections use (tcp_forward) goes
    return netlabs::exit_ok;
}

} // namespace

int main(int argc, char** argv)
{
    Options opt;
    CLI::App app{"lab03-forward: a port forwarder, seed 003's 8080:2988. Each client that connects\n"
                 "to LISTEN is relayed to TARGET; replies come back on the same connections.\n"
                 "  lab03-forward 8080:2988                      0.0.0.0:8080 -> 127.0.0.1:2988\n"
                 "  lab03-forward 5000:192.168.99.123:5000       0.0.0.0:5000 -> 192.168.99.123:5000\n"
                 "  lab03-forward 127.0.0.1:0:127.0.0.1:2988     any free port on 127.0.0.1\n"
                 "  lab03-forward --listen 0.0.0.0:5000 --to 192.168.99.123:5000 --udp",
                 "lab03-forward"};
    app.add_option("forward", opt.forward,
                   "LISTEN:TARGET: PORT:PORT, PORT:HOST:PORT or HOST:PORT:HOST:PORT ([v6] in brackets)");
    app.add_option("--listen", opt.listen, "HOST:PORT (or PORT, on 0.0.0.0) to listen on; 0 = any free port");
    app.add_option("--to", opt.to, "HOST:PORT (or PORT, on 127.0.0.1) to relay to");
    app.add_flag("--udp", opt.udp, "forward UDP datagrams instead of TCP connections");
    app.add_option("--max-connections", opt.max_connections,
                   "most TCP connections (or UDP sessions) at once; more are refused and logged")
        ->capture_default_str();
    app.add_option("--connect-timeout", opt.connect_timeout, "seconds to wait for the target to accept")
        ->capture_default_str();
    app.add_option("--udp-idle", opt.udp_idle, "seconds a silent UDP session is kept")->capture_default_str();
    app.add_option("--idle-timeout", opt.idle_timeout,
                   "TCP: seconds a connection may move no byte either way (a client that never reads "
                   "included) before both sides are reset; 0: never")
        ->capture_default_str();
    app.add_option("--threads", opt.threads, "TCP: threads relaying connections, 1-64 (one core each)")
        ->capture_default_str();
    app.add_flag("--splice", opt.splice,
                 "TCP, Linux: move bytes with splice(2), never through the program (splice_relay.cpp)");
    app.add_option("--ready-file", opt.ready_file, "also write HOST:PORT to this file when ready");
    return netlabs::run_main(app, argc, argv, [&] { return run(opt); });
}

// lab02-server: a small message server for the LAN, many clients at once.
//
// Each client sends lines; the server prints each one with the client's
// address and port, and answers "Received: <line>":
//
//   listening on 0.0.0.0:5000
//   Client 192.168.99.10:41234 connected (1 now)
//   [192.168.99.10:41234] hello from the laptop
//
// The lesson is --bind (seed 003: an address belongs to an interface). A
// socket bound to 127.0.0.1 hears only connections to 127.0.0.1, which only
// this machine can make; bound to 192.168.99.123 it hears only that
// interface; bound to 0.0.0.0 it hears every interface. --announce adds a
// beacon so clients find the server after DHCP moved it (seed 001).
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/redirect_error.hpp>
#include <asio/signal_set.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

#include "discovery.hpp"
#include "interfaces.hpp"
#include "netlabs/accept_next.hpp"
#include "netlabs/asio_endpoint.hpp"
#include "netlabs/client.hpp"
#include "netlabs/cli.hpp"
#include "netlabs/endpoint.hpp"
#include "netlabs/errors.hpp"
#include "netlabs/printable.hpp"
#include "netlabs/framing.hpp"
#include "netlabs/not_implemented.hpp"
#include "netlabs/ready.hpp"

using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;
using namespace std::chrono_literals;

namespace {

// A line longer than this is refused: a client cannot make the server hold
// a megabyte that never ends.
constexpr std::size_t max_line = 64 * 1024;

std::size_t connected = 0;  // one thread runs every coroutine: no lock needed

// Closing a socket that still holds unread bytes sends a reset (RST), and
// the peer may then lose the error line we just sent. So: shut down our
// sending side (the peer reads our last line, then end of file), read and
// drop what it still sends for at most 2 s, then close.
awaitable<void> close_gently(tcp::socket& socket)
{
    std::error_code ec;
    socket.shutdown(tcp::socket::shutdown_send, ec);
    asio::steady_timer deadline(socket.get_executor());
    deadline.expires_after(2s);
    deadline.async_wait([&socket](std::error_code e) {
        if (!e) socket.close();
    });
    char sink[4096];
    while (!ec) co_await socket.async_read_some(asio::buffer(sink), asio::redirect_error(use_awaitable, ec));
    deadline.cancel();
}

// How long a client may stay: idle (no progress, reading or writing), and in all.
struct Clocks {
    std::chrono::milliseconds idle;
    std::chrono::milliseconds client;
};

// One client, start to end. Whatever this client does (a line that never
// ends, a reset, a byte now and then, never reading our replies) ends this
// client's coroutine only.
//
// Two clocks guard it. `idle` restarts whenever the client makes progress,
// and runs while we wait for its line *and* while a reply waits for it to
// read (a client that never reads blocks our write). `lifetime` never
// restarts: a client that sends a byte just before each idle timeout still
// leaves after --client-timeout in all.
awaitable<void> serve(tcp::socket socket, Clocks clocks)
{
    const auto accepted = netlabs::accepted_peer(socket, std::cout);
    if (!accepted) co_return;
    const std::string& peer = *accepted;
    ++connected;
    std::cout << "Client " << peer << " connected (" << connected << " now)\n";
    netlabs::ClientClocks guard(socket, clocks.idle, "was idle longer than --idle-timeout and was dropped",
                                clocks.client, "was connected longer than --client-timeout and was dropped");
    std::string why = "disconnected";
    std::string error;  // the last line the client gets, when it broke the rules
    std::string buffer;
    try {
        for (;;) {
            guard.progress();
            const auto line = co_await netlabs::async_read_line(socket, buffer, max_line);
            if (!line) break;  // end of file between lines: a normal goodbye
            std::cout << '[' << peer << "] " << netlabs::printable(*line) << '\n';
            guard.progress();  // the reply may wait for the client to read
            co_await netlabs::async_write_line(socket, "Received: " + *line);
        }
    } catch (const netlabs::LineTooLong& e) {
        why = "sent a line longer than " + std::to_string(e.limit()) + " bytes and was disconnected";
        error = "error: " + std::string(e.what()) + "; closing\n";  // "error: line longer than 65536 bytes; closing"
    } catch (const netlabs::FramingError& e) {
        why = std::string("disconnected: ") + e.what();
    } catch (const std::system_error& e) {
        // A clock that closed the socket is the reason, whatever the error
        // says: operation_aborted if it closed during a read or write, or
        // bad_descriptor if it closed between two (the next one then starts
        // on a closed socket; seen under load).
        if (guard.expired() != nullptr) why = guard.expired();
        else why = "failed: " + netlabs::describe_error("", "", e.code(), "-");
    }
    guard.stop();
    if (!error.empty()) {
        std::error_code ec;
        co_await asio::async_write(socket, asio::buffer(error), asio::redirect_error(use_awaitable, ec));
        co_await close_gently(socket);
    }
    --connected;
    std::cout << "Client " << peer << ' ' << why << " (" << connected << " left)\n";
}

awaitable<void> listener(tcp::acceptor& acceptor, Clocks clocks)
{
    netlabs::AcceptRetry retry;
    for (;;) {
        tcp::socket client = co_await netlabs::accept_next(acceptor, retry, std::cout);
        asio::co_spawn(acceptor.get_executor(), serve(std::move(client), clocks), asio::detached);
    }
}

// Who can reach a server bound to `address`: the lesson of --bind, in one line.
std::string who_can_connect(const asio::ip::address& address, unsigned short port)
{
    const std::string p = std::to_string(port);
    if (address.is_loopback())
        return "Only programs on this machine can connect: " + address.to_string() +
               " is loopback. For the LAN, bind 0.0.0.0 or this machine's LAN address.";
    if (!address.is_unspecified())
        return "Only connections to " + address.to_string() + " arrive here: 127.0.0.1:" + p +
               " is refused, even on this machine.";
    std::string list;
    try {
        for (const auto& i : netlabs::lab02::list_interfaces())
            for (const auto& a : i.addresses)
                if (i.up && a.address.is_v4() == address.is_v4())
                    list += (list.empty() ? "" : ", ") + netlabs::to_string(a.address, port) + " (" + i.name + ")";
    } catch (const std::exception&) {
        // Listing the interfaces is a courtesy: the server works without it.
    }
    return "Every interface of this machine: clients connect to " + (list.empty() ? "any of its addresses" : list) +
           ".";
}

// bind() failed: say which address and port, and what to do about it. An
// address that is on no interface of this machine ("cannot assign requested
// address") gets a pointer to lab02-ifaces, which lists the ones it has.
// (maybe_unused: the student edition calls it only once lab02-ex1 is done.)
[[noreturn, maybe_unused]] void throw_bind_error(const netlabs::Endpoint& where, const std::error_code& ec)
{
    netlabs::throw_network_error(
        "bind", where.to_string(), ec,
        std::error_code(ec.value(), std::system_category()) == std::errc::address_not_available
            ? netlabs::default_hint(ec) + "; lab02-ifaces lists the addresses it has"
            : "");
}

struct Options {
    std::string bind = "127.0.0.1";
    std::string port = "5000";
    std::string ready_file;
    bool announce = false;
    std::string name;
    std::vector<std::string> announce_to;  // no default: nothing leaves this host unless asked
    std::string announce_interval = "1";
    std::string discovery_port = std::to_string(netlabs::lab02::default_discovery_port);
    std::string idle_timeout = "300";
    std::string client_timeout = "3600";
};

// Every option checked before the first socket: bad input never sends anything.
netlabs::lab02::Announcement make_announcement(const Options& opt, const asio::ip::address& bind)
{
    netlabs::lab02::Announcement a;
    a.beacon.name = opt.name.empty() ? netlabs::lab02::default_server_name()
                                     : netlabs::lab02::check_server_name(opt.name);
    const auto port = netlabs::parse_port(opt.discovery_port);
    if (port == 0) throw netlabs::UsageError("invalid --discovery-port '0': beacons need a fixed port");
    if (opt.announce && opt.announce_to.empty())
        throw netlabs::UsageError("--announce needs --announce-to: where the beacons go, e.g. the LAN's broadcast "
                                  "address (192.168.99.255 on lab02's LAN; lab02-ifaces shows it), or 127.0.0.1");
    for (const auto& text : opt.announce_to) {
        std::error_code ec;
        const auto to = asio::ip::make_address(netlabs::parse_host(text), ec);
        if (ec || !to.is_v4())
            throw netlabs::UsageError("invalid --announce-to '" + text +
                                      "': give an IPv4 address, e.g. 192.168.99.255 or 127.0.0.1");
        a.to.emplace_back(to, port);
    }
    a.from = bind;
    a.interval = netlabs::parse_seconds(opt.announce_interval, "--announce-interval");
    if (a.interval < 10ms)
        throw netlabs::UsageError("invalid --announce-interval '" + opt.announce_interval +
                                  "': must be at least 0.01 seconds");
    return a;
}

int run(const Options& opt)
{
    const std::string host = netlabs::parse_host(opt.bind);
    std::error_code ec;
    const auto address = asio::ip::make_address(host, ec);
    if (ec)
        throw netlabs::UsageError("invalid --bind '" + host +
                                  "': give an IP address of this machine (127.0.0.1, 0.0.0.0 or a LAN address)");
    const netlabs::Endpoint where = netlabs::make_endpoint(host, opt.port);
    auto announcement = make_announcement(opt, address);
    const Clocks clocks{netlabs::parse_seconds(opt.idle_timeout, "--idle-timeout"),
                        netlabs::parse_seconds(opt.client_timeout, "--client-timeout")};

    asio::io_context io(1);
    tcp::acceptor acceptor(io);
    // BEGIN SOLUTION lab02-ex1
    // The address of --bind, not always 127.0.0.1: that choice is the lesson.
    const tcp::endpoint local(address, where.port);
    acceptor.open(local.protocol());
    acceptor.set_option(tcp::acceptor::reuse_address(true));
    acceptor.bind(local, ec);
    if (ec) throw_bind_error(where, ec);
    acceptor.listen(asio::socket_base::max_listen_connections);
    // END SOLUTION
    // STUDENT: (void)where;
    // STUDENT: throw netlabs::NotImplemented("lab02-ex1");

    // Ctrl-C (SIGINT) or kill (SIGTERM): stop accepting, close, exit 0.
    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](std::error_code, int signal) {
        std::cout << "Shutting down on " << (signal == SIGINT ? "SIGINT" : "SIGTERM") << " (" << connected
                  << " clients connected)\n";
        io.stop();
    });

    asio::co_spawn(io, listener(acceptor, clocks), [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
    });
    netlabs::announce_listening(acceptor.local_endpoint(), opt.ready_file);
    std::cout << who_can_connect(address, acceptor.local_endpoint().port()) << '\n';

    if (opt.announce) {
        announcement.beacon.port = acceptor.local_endpoint().port();  // the real one, also with --port 0
        std::string beacon = netlabs::lab02::encode_beacon(announcement.beacon);
        beacon.pop_back();  // its '\n'
        bool to_lan = false;
        std::cout << "Announcing '" << beacon << "' every " << opt.announce_interval << " s to";
        for (const auto& to : announcement.to) {
            std::cout << ' ' << netlabs::to_string(to);
            to_lan = to_lan || !to.address().is_loopback();
        }
        std::cout << " (UDP)\n";
        if (address.is_loopback() && to_lan)
            std::cout << "Note: bound to " << address.to_string()
                      << ", so hosts that hear the beacon will be refused; bind 0.0.0.0 or the LAN address.\n";
        asio::co_spawn(io, netlabs::lab02::announce(std::move(announcement)), [](std::exception_ptr e) {
            if (e) std::rethrow_exception(e);
        });
    }
    io.run();
    return netlabs::exit_ok;
}

} // namespace

int main(int argc, char** argv)
{
    Options opt;
    CLI::App app{"lab02-server: a message server for your LAN. Prints each client's lines with its\n"
                 "address and port and answers each line with 'Received: <line>'. Many clients at once;\n"
                 "SIGINT or SIGTERM stops it cleanly.",
                 "lab02-server"};
    app.add_option("--bind", opt.bind,
                   "address to listen on: 127.0.0.1 (this machine only), 0.0.0.0 (every interface) "
                   "or one interface's address")
        ->capture_default_str();
    app.add_option("--port", opt.port, "TCP port; 0 asks the OS for any free port")->capture_default_str();
    app.add_option("--ready-file", opt.ready_file, "also write HOST:PORT to this file when ready");
    app.add_flag("--announce", opt.announce, "send a UDP beacon so that 'lab02-client --discover' finds this server");
    app.add_option("--name", opt.name, "the name in the beacon (default: this machine's host name)");
    app.add_option("--announce-to", opt.announce_to,
                   "where beacons go (needed with --announce): the LAN's broadcast address, e.g. 192.168.99.255, "
                   "or 127.0.0.1 to try discovery on one machine");
    app.add_option("--idle-timeout", opt.idle_timeout,
                   "seconds a client may stay without progress: silent, or not reading our replies")
        ->capture_default_str();
    app.add_option("--client-timeout", opt.client_timeout, "seconds a client may stay connected in all, busy or not")
        ->capture_default_str();
    app.add_option("--announce-interval", opt.announce_interval, "seconds between beacons")->capture_default_str();
    app.add_option("--discovery-port", opt.discovery_port, "UDP port the beacons go to")->capture_default_str();
    return netlabs::run_main(app, argc, argv, [&] { return run(opt); });
}

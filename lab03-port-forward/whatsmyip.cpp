// lab03-whatsmyip: "what is my IP?" (seed 001 checks its global IP on a website).
//
// The server answers every connection with one line, the source address it
// sees, and closes:
//
//   lab03-whatsmyip --bind 0.0.0.0 --port 80          (on a host of the "internet")
//   lab03-whatsmyip --ask 192.0.2.80:80               (anywhere)
//   192.0.2.80 sees you as 203.0.113.123
//   this host does not have 203.0.113.123: a NAT between here and 192.0.2.80 rewrote the source
//
// From the desktop the answer is the router's public address, not the
// desktop's 192.168.99.123: the router's NAT (masquerade) rewrote the
// source on the way out. If the router's own answer is an address the router
// does not have either, there is a second NAT further out: carrier-grade NAT.
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <asio/connect.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include "netlabs/accept_retry.hpp"
#include "netlabs/asio_endpoint.hpp"
#include "netlabs/cli.hpp"
#include "netlabs/endpoint.hpp"
#include "netlabs/errors.hpp"
#include "netlabs/ready.hpp"
#include "netlabs/timed.hpp"

using asio::ip::tcp;

namespace {

struct Options {
    std::string bind = "127.0.0.1";
    std::string port = "8080";
    std::string ask;
    std::string timeout = "5";
    std::string ready_file;
};

// The interface of this host that has `address`, or "".
std::string interface_with(const asio::ip::address& address)
{
    ifaddrs* list = nullptr;
    if (getifaddrs(&list) != 0) return {};
    std::string found;
    for (ifaddrs* i = list; i != nullptr && found.empty(); i = i->ifa_next) {
        if (i->ifa_addr == nullptr || i->ifa_addr->sa_family != AF_INET) continue;
        const auto* in = reinterpret_cast<const sockaddr_in*>(i->ifa_addr);
        if (asio::ip::address_v4(ntohl(in->sin_addr.s_addr)) == address) found = i->ifa_name;
    }
    freeifaddrs(list);
    return found;
}

int serve(const Options& opt)
{
    const netlabs::Endpoint where = netlabs::make_endpoint(opt.bind, opt.port);
    std::error_code ec;
    const auto address = asio::ip::make_address(where.host, ec);
    if (ec) throw netlabs::UsageError("invalid --bind '" + opt.bind + "': give an IP address of this machine");
    asio::io_context io;
    tcp::acceptor acceptor(io);
    const tcp::endpoint local(address, where.port);
    acceptor.open(local.protocol());
    acceptor.set_option(tcp::acceptor::reuse_address(true));
    acceptor.bind(local, ec);
    if (ec) netlabs::throw_network_error("bind", where.to_string(), ec);
    acceptor.listen();
    netlabs::announce_listening(acceptor.local_endpoint(), opt.ready_file);
    netlabs::AcceptRetry retry("lab03-whatsmyip: ");
    for (;;) {
        tcp::socket client = acceptor.accept(ec);
        if (ec) {
            if (!retry.temporary(ec)) netlabs::throw_network_error("accept", where.to_string(), ec, "-");
            std::this_thread::sleep_for(retry.failed(ec, std::cerr));
            continue;
        }
        retry.succeeded(std::cerr);
        const tcp::endpoint peer = client.remote_endpoint(ec);
        if (ec) continue;  // gone already
        // The whole answer: the address the connection came from, as this host sees it.
        const std::string answer = peer.address().to_string() + "\n";
        asio::write(client, asio::buffer(answer), ec);
        std::cout << netlabs::to_string(peer) << ": told it " << peer.address().to_string() << std::endl;
        client.shutdown(tcp::socket::shutdown_both, ec);
    }
}

int ask(const Options& opt)
{
    const netlabs::Endpoint server = netlabs::parse_endpoint(opt.ask);
    if (server.port == 0) throw netlabs::UsageError("invalid --ask '" + opt.ask + "': give the server's port");
    const auto timeout = netlabs::parse_seconds(opt.timeout, "--timeout");
    asio::io_context io;
    tcp::resolver resolver(io);
    std::error_code ec;
    const auto endpoints = resolver.resolve(server.host, std::to_string(server.port), ec);
    if (ec) netlabs::throw_network_error("resolve", server.host, ec, "is the host name right?");
    tcp::socket socket(io);
    const std::string where = server.to_string();
    netlabs::timed_connect(socket, endpoints, timeout, where);
    std::string answer;
    netlabs::run_timed<void>(
        socket,
        [&]() -> asio::awaitable<void> {
            std::error_code e;
            co_await asio::async_read(socket, asio::dynamic_buffer(answer, 256),
                                      asio::redirect_error(asio::use_awaitable, e));
            if (e && e != asio::error::eof) throw std::system_error(e);
        }(),
        timeout, "receive from", where);
    if (!answer.empty() && answer.back() == '\n') answer.pop_back();
    const auto seen = asio::ip::make_address(answer, ec);
    if (ec) throw netlabs::NetworkError("receive from " + where + ": not an address: '" + answer + "'", ec);
    std::cout << server.host << " sees you as " << seen.to_string() << '\n';
    if (const auto name = interface_with(seen); !name.empty())
        std::cout << "this host has " << seen.to_string() << " (" << name << "): no NAT between here and there\n";
    else
        std::cout << "this host does not have " << seen.to_string() << ": a NAT between here and " << server.host
                  << " rewrote the source\n";
    return netlabs::exit_ok;
}

} // namespace

int main(int argc, char** argv)
{
    Options opt;
    CLI::App app{"lab03-whatsmyip: a tiny 'what is my IP' server: it answers each TCP connection with the\n"
                 "source address it sees, and closes. With --ask, the client: prints that address, and\n"
                 "whether this host has it (if not, a NAT rewrote it on the way).",
                 "lab03-whatsmyip"};
    app.add_option("--bind", opt.bind, "address to listen on")->capture_default_str();
    app.add_option("--port", opt.port, "TCP port; 0 asks the OS for any free port")->capture_default_str();
    app.add_option("--ask", opt.ask, "be the client: ask the server at HOST:PORT what our address is");
    app.add_option("--timeout", opt.timeout, "seconds to wait for the server (--ask)")->capture_default_str();
    app.add_option("--ready-file", opt.ready_file, "also write HOST:PORT to this file when ready");
    return netlabs::run_main(app, argc, argv, [&] { return opt.ask.empty() ? serve(opt) : ask(opt); });
}

// lab01-udp: the same conversation over UDP, to compare with a TCP stream.
//
//   lab01-udp server            echoes every datagram back to its sender
//   lab01-udp client MSG...     sends each MSG as one datagram, prints each reply
//
// What changes from TCP: no connection (no listen, no accept), every datagram
// arrives whole or not at all (boundaries are kept: no framing needed), and
// nobody notices a lost one unless the program does. UDP port 8000 and TCP
// port 8000 are two different ports.
#include <iostream>
#include <string>
#include <vector>

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/udp.hpp>
#include <asio/use_awaitable.hpp>

#include "netlabs/cli.hpp"
#include "netlabs/endpoint.hpp"
#include "netlabs/errors.hpp"
#include "netlabs/printable.hpp"
#include "netlabs/ready.hpp"
#include "netlabs/resolve.hpp"
#include "netlabs/timed.hpp"

using asio::ip::udp;

namespace {

// The largest payload of one UDP datagram over IPv4.
constexpr std::size_t max_datagram = 65507;

struct Options {
    std::string host = "127.0.0.1";
    std::string port = "8000";
    std::string timeout = "2";
    std::string ready_file;
    std::vector<std::string> messages;
};

int server(const Options& opt)
{
    const netlabs::Endpoint where = netlabs::make_endpoint(opt.host, opt.port);
    asio::io_context io;
    const udp::endpoint local = netlabs::resolve_prefer_v4<udp>(io, where);

    // socket(AF_INET, SOCK_DGRAM) + bind: no listen(), no accept().
    udp::socket sock(io, local.protocol());
    asio::error_code ec;
    sock.bind(local, ec);
    if (ec) netlabs::throw_network_error("bind", where.to_string(), ec);
    netlabs::announce_listening(sock.local_endpoint(), opt.ready_file, " (UDP)");

    std::vector<char> data(max_datagram);
    for (;;) {
        // recvfrom(): one whole datagram, and who sent it.
        udp::endpoint sender;
        const std::size_t n = sock.receive_from(asio::buffer(data), sender, 0, ec);
        if (ec) {
            // An earlier reply's ICMP error can surface here; it is not fatal.
            std::cerr << "lab01-udp: " << netlabs::describe_error("receive", where.to_string(), ec) << '\n';
            continue;
        }
        const std::string text(data.data(), n);
        std::cout << "Datagram from " << netlabs::to_string(sender) << ": " << n << " bytes: " << netlabs::printable(text) << '\n';
        // sendto(): the reply goes back to the sender's address and port.
        sock.send_to(asio::buffer(text), sender, 0, ec);
        if (ec) std::cerr << "lab01-udp: " << netlabs::describe_error("send to", netlabs::to_string(sender), ec) << '\n';
    }
}

int client(const Options& opt)
{
    const netlabs::Endpoint where = netlabs::make_endpoint(opt.host, opt.port);
    if (where.port == 0) throw netlabs::UsageError("invalid port '0': a client must name the server's port");
    const auto timeout = netlabs::parse_seconds(opt.timeout, "--timeout");
    std::vector<std::string> messages = opt.messages;
    if (messages.empty()) messages.push_back("Hello, server!");
    for (const auto& m : messages)
        if (m.size() > max_datagram)
            throw netlabs::UsageError("invalid message of " + std::to_string(m.size()) +
                                      " bytes: one UDP datagram holds at most 65507");

    asio::io_context io;
    const udp::endpoint server = netlabs::resolve_prefer_v4<udp>(io, where);
    const std::string text = netlabs::to_string(server);

    // connect() on UDP sends nothing: it fixes the peer, so that the kernel
    // reports an ICMP "port unreachable" to us as "connection refused".
    udp::socket sock(io, server.protocol());
    sock.connect(server);

    for (const auto& message : messages) {
        sock.send(asio::buffer(message));
        std::vector<char> reply(max_datagram);
        auto receive = [&]() -> asio::awaitable<std::size_t> {
            co_return co_await sock.async_receive(asio::buffer(reply), asio::use_awaitable);
        };
        std::size_t n = 0;
        try {
            n = netlabs::run_timed(sock, receive(), timeout, "receive from", text);
        } catch (const netlabs::NetworkError& e) {
            if (e.code() == asio::error::connection_refused)
                netlabs::throw_network_error("receive from", text, e.code(),
                                             "nobody is listening on that UDP port: the host "
                                             "answered with ICMP port unreachable");
            if (e.code() == asio::error::timed_out)
                netlabs::throw_network_error("receive from", text, e.code(),
                                             "UDP never resends: the datagram or its reply was lost, "
                                             "or nothing answered");
            throw;
        }
        std::cout << "Received: " << std::string(reply.data(), n) << '\n';
    }
    return netlabs::exit_ok;
}

} // namespace

int main(int argc, char** argv)
{
    Options opt;
    CLI::App app{"lab01-udp: a UDP echo server and client, to compare datagrams with a TCP stream.",
                 "lab01-udp"};
    app.require_subcommand(1);
    auto* srv = app.add_subcommand("server", "echo every datagram back to its sender");
    auto* cli = app.add_subcommand("client", "send each message as one datagram and print each reply");
    for (auto* sub : {srv, cli}) {
        sub->add_option("--host", opt.host, "address to bind (server) or send to (client)")->capture_default_str();
        sub->add_option("--port", opt.port, "UDP port; the server may use 0 for any free port")->capture_default_str();
    }
    srv->add_option("--ready-file", opt.ready_file, "also write HOST:PORT to this file when ready");
    cli->add_option("--timeout", opt.timeout, "seconds to wait for each reply")->capture_default_str();
    cli->add_option("message", opt.messages, "messages to send, one datagram each (default: \"Hello, server!\")");
    return netlabs::run_main(app, argc, argv, [&] { return srv->parsed() ? server(opt) : client(opt); });
}

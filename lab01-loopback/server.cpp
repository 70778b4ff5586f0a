// lab01-server: the blocking TCP server of seed 002, line by line, in C++.
//
//   socket -> bind -> listen -> loop { accept -> recv -> print -> send -> close }
//
// It serves one client at a time, as the seed does. Each client gets
// --client-timeout seconds in all, from accept to close: one that says
// nothing, sends a byte at a time or never reads our reply is dropped then,
// so it cannot hold the server forever; lab01-echo-async serves many at once.
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>

#include <asio/ip/tcp.hpp>

#include "framing.hpp"
#include "netlabs/accept_retry.hpp"
#include "netlabs/cli.hpp"
#include "netlabs/client.hpp"
#include "netlabs/endpoint.hpp"
#include "netlabs/errors.hpp"
#include "netlabs/printable.hpp"
#include "netlabs/not_implemented.hpp"
#include "netlabs/ready.hpp"
#include "netlabs/resolve.hpp"
#include "reply.hpp"

using asio::ip::tcp;
using netlabs::lab01::Framing;

namespace {

struct Options {
    std::string host = "127.0.0.1";
    std::string port = "8000";
    bool once = false;
    bool no_reuseaddr = false;
    int backlog = 1;
    std::string framing = "none";
    std::string reply{netlabs::lab01::seed_reply};
    std::string client_timeout = "10";
    std::string ready_file;
};

// A long message is shown by its start and its size.
std::string shorten(const std::string& data)
{
    if (data.size() <= 72) return data;
    return data.substr(0, 40) + "... (" + std::to_string(data.size()) + " bytes)";
}

// recv, print, sendall, close: one client, start to end, within `timeout`
// in all (not per read: a client that drips a byte just inside each read's
// timeout would hold the server forever). Whatever goes wrong with this
// client is reported and stays with this client.
void serve_client(tcp::socket& client_socket, Framing framing, const std::string& reply,
                  netlabs::Timeout timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    const auto left = [&] {
        return std::max<netlabs::Timeout>(deadline - std::chrono::steady_clock::now(), netlabs::Timeout::zero());
    };
    // A client that reset in the accept queue is this client's problem only.
    const auto accepted = netlabs::accepted_peer(client_socket, std::cout);
    if (!accepted) return;
    const std::string& peer = *accepted;
    std::cout << "Connection from " << peer << '\n';
    const auto seconds = std::chrono::duration<double>(timeout).count();
    try {
        // data = client_socket.recv(1024)
        std::string pending;
        const auto data = netlabs::lab01::read_message(client_socket, framing, pending, left(), peer);
        if (!data) {
            std::cout << "Client " << peer << " closed without sending anything\n";
            return;
        }
        // print(f"Received data: {data.decode()}")
        std::cout << "Received data: " << netlabs::printable(shorten(*data)) << '\n';
        // client_socket.sendall(message.encode()); --reply may say what arrived (reply.hpp)
        netlabs::lab01::write_message(client_socket, framing, netlabs::lab01::fill_reply(reply, *data), left(),
                                      peer);

        // Not in the seed: closing a socket that still holds unread bytes
        // makes the kernel reset the connection (RST), and the client may
        // lose our reply. So say we are done sending, and read (and drop)
        // whatever else the client sends until it closes its side.
        client_socket.shutdown(tcp::socket::shutdown_send);
        std::size_t dropped = 0;
        while (auto more = netlabs::lab01::read_message(client_socket, Framing::none, pending, left(), peer))
            dropped += more->size();
        if (dropped > 0)
            std::cout << "Dropped " << dropped << " more bytes from " << peer
                      << " (they came after the message)\n";
    } catch (const netlabs::NetworkError& e) {
        if (e.code() == asio::error::timed_out)
            std::cerr << "lab01-server: dropped " << peer << ": timed out, not done within --client-timeout (" << seconds
                      << " s in all)\n";
        else
            std::cerr << "lab01-server: " << e.what() << '\n';
    } catch (const std::exception& e) {
        std::cerr << "lab01-server: " << e.what() << '\n';
    }
    // client_socket.close(): the destructor closes it.
}

int serve(const Options& opt)
{
    const netlabs::Endpoint where = netlabs::make_endpoint(opt.host, opt.port);
    const Framing framing = netlabs::lab01::parse_framing(opt.framing);
    const auto client_timeout = netlabs::parse_seconds(opt.client_timeout, "--client-timeout");
    if (opt.backlog < 1 || opt.backlog > 4096)
        throw netlabs::UsageError("invalid --backlog '" + std::to_string(opt.backlog) +
                                  "': must be 1-4096");
    asio::io_context io;
    // Like the seed's AF_INET socket, prefer IPv4 when a name has both ("localhost").
    const tcp::endpoint local = netlabs::resolve_prefer_v4<tcp>(io, where);

    // server_socket = socket.socket(AF_INET, SOCK_STREAM)
    tcp::acceptor server_socket(io);
    // BEGIN SOLUTION lab01-ex1
    server_socket.open(local.protocol());

    // Not in the seed: without SO_REUSEADDR a restart fails with "Address
    // already in use" while the last connections sit in TIME_WAIT.
    server_socket.set_option(tcp::acceptor::reuse_address(!opt.no_reuseaddr));

    // server_socket.bind(('localhost', 8000))
    asio::error_code ec;
    server_socket.bind(local, ec);
    if (ec == asio::error::address_in_use && opt.no_reuseaddr)
        netlabs::throw_network_error("bind", where.to_string(), ec,
                                     "the last server's connections may still be in TIME_WAIT: "
                                     "drop --no-reuseaddr to set SO_REUSEADDR");
    if (ec) netlabs::throw_network_error("bind", where.to_string(), ec);

    // server_socket.listen(1)
    server_socket.listen(opt.backlog);
    // END SOLUTION
    // STUDENT: (void)local;
    // STUDENT: throw netlabs::NotImplemented("lab01-ex1");
    netlabs::announce_listening(server_socket.local_endpoint(), opt.ready_file);

    netlabs::AcceptRetry retry("lab01-server: ");
    for (;;) {
        // client_socket, client_address = server_socket.accept()
        asio::error_code accept_error;
        // BEGIN SOLUTION lab01-ex1
        tcp::socket client_socket = server_socket.accept(accept_error);
        // END SOLUTION
        // STUDENT: tcp::socket client_socket(io);
        // STUDENT: throw netlabs::NotImplemented("lab01-ex1");
        if (accept_error) {
            if (!retry.temporary(accept_error)) netlabs::throw_network_error("accept", "", accept_error, "-");
            std::this_thread::sleep_for(retry.failed(accept_error, std::cerr));
            continue;
        }
        retry.succeeded(std::cerr);
        serve_client(client_socket, framing, opt.reply, client_timeout);
        if (opt.once) return netlabs::exit_ok;
    }
}

} // namespace

int main(int argc, char** argv)
{
    Options opt;
    CLI::App app{"lab01-server: a blocking TCP server, one client at a time (seed 002).\n"
                 "Prints 'listening on HOST:PORT' when ready, then 'Received data: ...' for each "
                 "client, and replies 'Hello from server!'.",
                 "lab01-server"};
    app.add_option("--host", opt.host, "address to bind: 127.0.0.1 (this machine only), 0.0.0.0 (every interface)")
        ->capture_default_str();
    app.add_option("--port", opt.port, "port to listen on; 0 asks the OS for any free port")
        ->capture_default_str();
    app.add_flag("--once", opt.once, "serve one client, then exit");
    app.add_flag("--no-reuseaddr", opt.no_reuseaddr,
                 "leave SO_REUSEADDR off, as the seed does, to see 'Address already in use' on a quick restart");
    app.add_option("--backlog", opt.backlog, "listen() backlog: connections the kernel queues while we are busy")
        ->capture_default_str();
    app.add_option("--framing", opt.framing,
                   "none: one recv(1024), as the seed; line: up to '\\n'; length: 4-byte length prefix")
        ->capture_default_str();
    app.add_option("--reply", opt.reply, "what to send back; {bytes} and {message} become what arrived")->capture_default_str();
    app.add_option("--client-timeout", opt.client_timeout,
                   "seconds a client may take in all, from connect to close (send, read the reply), before it is dropped")
        ->capture_default_str();
    app.add_option("--ready-file", opt.ready_file, "also write HOST:PORT to this file when ready");
    return netlabs::run_main(app, argc, argv, [&] { return serve(opt); });
}

// lab01-client: the TCP client of seed 004, line by line, in C++.
//
//   socket -> connect -> sendall -> recv -> print -> close
//
// The seed's client connects to port 12345 while seed 002's server listens on
// 8000, so the two never meet; this client defaults to 8000, the server's port.
#include <chrono>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <asio/ip/tcp.hpp>

#include "framing.hpp"
#include "netlabs/asio_endpoint.hpp"
#include "netlabs/cli.hpp"
#include "netlabs/endpoint.hpp"
#include "netlabs/errors.hpp"
#include "netlabs/not_implemented.hpp"
#include "netlabs/timed.hpp"

using asio::ip::tcp;
using netlabs::lab01::Framing;

namespace {

struct Options {
    std::string host = "127.0.0.1";
    std::string port = "8000";
    std::vector<std::string> words;
    std::string framing = "none";
    std::string timeout = "5";
    std::string pieces = "1";
    std::string piece_delay = "0.2";
    std::string repeat;
    bool verbose = false;
};

// The message to send: the words given, or the seed's "Hello, server!"; with
// --repeat N, N copies of 'x' (a big message shows what one recv() misses).
std::string make_message(const Options& opt)
{
    if (!opt.repeat.empty())
        return std::string(static_cast<std::size_t>(netlabs::parse_count(
                               opt.repeat, "--repeat", 1, static_cast<long long>(netlabs::max_message_size))),
                           'x');
    if (opt.words.empty()) return "Hello, server!";
    std::string message;
    for (const auto& w : opt.words) message += (message.empty() ? "" : " ") + w;
    return message;
}

int talk(const Options& opt)
{
    const netlabs::Endpoint server = netlabs::make_endpoint(opt.host, opt.port);
    const Framing framing = netlabs::lab01::parse_framing(opt.framing);
    const auto timeout = netlabs::parse_seconds(opt.timeout, "--timeout");
    const auto piece_delay = netlabs::parse_seconds(opt.piece_delay, "--piece-delay");
    if (server.port == 0) throw netlabs::UsageError("invalid port '0': a client must name the server's port");
    const auto pieces = static_cast<std::size_t>(netlabs::parse_count(opt.pieces, "--pieces", 1, 1000));
    const std::string message = make_message(opt);
    // The message is framed here, before any socket: a message the framing
    // cannot carry (a newline in a line) is bad input, not a network failure.
    std::string frame;
    try {
        frame = netlabs::lab01::encode_message(framing, message);
    } catch (const netlabs::FramingError& e) {
        throw netlabs::UsageError("invalid message for --framing " + opt.framing + ": " + e.what());
    }
    const std::string where = server.to_string();

    asio::io_context io;
    tcp::resolver resolver(io);
    asio::error_code ec;
    // BEGIN SOLUTION lab01-ex2
    const auto endpoints = resolver.resolve(server.host, std::to_string(server.port), ec);
    if (ec) netlabs::throw_network_error("resolve", server.host, ec, "is the host name right?");

    // sock = socket.socket(AF_INET, SOCK_STREAM); sock.connect(server_address)
    tcp::socket sock(io);
    netlabs::timed_connect(sock, endpoints, timeout, where);
    // END SOLUTION
    // STUDENT: tcp::socket sock(io);
    // STUDENT: throw netlabs::NotImplemented("lab01-ex2");
    if (opt.verbose)  // our own port was picked by the OS: an ephemeral port
        std::cout << "Connected from " << netlabs::to_string(sock.local_endpoint()) << " to "
                  << netlabs::to_string(sock.remote_endpoint()) << '\n';

    // sock.sendall(message.encode())
    if (pieces == 1) {
        netlabs::lab01::write_message(sock, framing, message, timeout, where);
    } else {
        // Framed first (so the frame, not the send, marks the message's end),
        // then written in pieces with a pause between them: a receiver that
        // trusts one recv() sees only the first piece.
        const std::size_t step = (frame.size() + pieces - 1) / pieces;
        for (std::size_t at = 0; at < frame.size(); at += step) {
            if (at > 0) std::this_thread::sleep_for(piece_delay);  // a slow sender, on purpose
            netlabs::lab01::write_message(sock, Framing::none, frame.substr(at, step), timeout, where);
        }
    }

    // data = sock.recv(1024).decode()
    std::string pending;
    const auto data = netlabs::lab01::read_message(sock, framing, pending, timeout, where);
    if (!data)
        throw netlabs::NetworkError("receive from " + where +
                                        ": the server closed the connection without a reply",
                                    asio::error::eof);
    // print("Received:", data)
    std::cout << "Received: " << *data << '\n';

    // sock.close()
    sock.close(ec);
    return netlabs::exit_ok;
}

} // namespace

int main(int argc, char** argv)
{
    Options opt;
    CLI::App app{"lab01-client: connect to a TCP server, send one message, print the reply (seed 004).",
                 "lab01-client"};
    app.add_option("message", opt.words, "the message to send (default: \"Hello, server!\")");
    app.add_option("--host", opt.host, "server address or name")->capture_default_str();
    app.add_option("--port", opt.port, "server port (seed 004 says 12345, but seed 002's server is on 8000)")
        ->capture_default_str();
    app.add_option("--framing", opt.framing,
                   "none: one send and one recv(1024), as the seed; line: '\\n' ends a message; "
                   "length: 4-byte length prefix")
        ->capture_default_str();
    app.add_option("--timeout", opt.timeout, "seconds to wait for connect, send and reply")
        ->capture_default_str();
    app.add_option("--pieces", opt.pieces, "write the message in this many pieces (1-1000), --piece-delay apart")
        ->capture_default_str();
    app.add_option("--piece-delay", opt.piece_delay, "seconds between pieces")->capture_default_str();
    app.add_flag("-v,--verbose", opt.verbose, "say which local address and port the connection uses");
    app.add_option("--repeat", opt.repeat, "send N bytes of 'x' instead of a message (try 100000)");
    return netlabs::run_main(app, argc, argv, [&] { return talk(opt); });
}

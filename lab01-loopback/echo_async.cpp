// lab01-echo-async: a concurrent echo server on asio coroutines.
//
// lab01-server serves one client at a time: while it waits for a slow client,
// everyone else waits too. Here each client gets its own coroutine, and one
// thread serves them all: a coroutine that waits for its client costs nothing
// while the others run. Shaped like asio's cpp20/coroutines/echo_server.cpp.
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <iostream>
#include <string>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/redirect_error.hpp>
#include <asio/signal_set.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include "netlabs/accept_next.hpp"
#include "netlabs/client.hpp"
#include "netlabs/cli.hpp"
#include "netlabs/endpoint.hpp"
#include "netlabs/errors.hpp"
#include "netlabs/ready.hpp"

using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;

namespace {

std::size_t connected = 0;  // one thread runs every coroutine: no lock needed

// Echoes what one client sends until it closes. A normal close (EOF) is not
// an error; anything else is reported in one line for this client only.
//
// Two clocks guard each client. `idle` restarts whenever the client makes
// progress, and runs while we wait to read *and* while a write waits for
// the client to read: a client that never reads blocks our write, and that
// is idle too. `lifetime` never restarts: a client that sends a byte just
// before each idle timeout still leaves after --client-timeout in all.
awaitable<void> echo(tcp::socket socket, std::chrono::milliseconds idle_timeout,
                     std::chrono::milliseconds client_timeout)
{
    const auto accepted = netlabs::accepted_peer(socket, std::cout);
    if (!accepted) co_return;
    const std::string& peer = *accepted;
    ++connected;
    std::cout << "Client " << peer << " connected (" << connected << " now)\n";
    netlabs::ClientClocks clocks(socket, idle_timeout, "was idle too long and was dropped", client_timeout,
                                 "was connected longer than --client-timeout and was dropped");
    std::string why = "closed the connection";
    try {
        char data[4096];
        for (;;) {
            clocks.progress();
            const std::size_t n = co_await socket.async_read_some(asio::buffer(data), use_awaitable);
            clocks.progress();  // the write may block while the client does not read
            co_await asio::async_write(socket, asio::buffer(data, n), use_awaitable);
        }
    } catch (const std::system_error& e) {
        // A clock that closed the socket is the reason, whatever the error
        // says: operation_aborted if it closed during a read or write, or
        // bad_descriptor if it closed between two (the next one then starts
        // on a closed socket; seen under load).
        if (clocks.expired() != nullptr) why = clocks.expired();
        else if (e.code() != asio::error::eof)
            why = "failed: " + netlabs::describe_error("echo", peer, e.code(), "-");
    }
    clocks.stop();
    --connected;
    std::cout << "Client " << peer << ' ' << why << " (" << connected << " left)\n";
}

awaitable<void> listener(tcp::acceptor& acceptor, std::chrono::milliseconds idle_timeout,
                         std::chrono::milliseconds client_timeout)
{
    netlabs::AcceptRetry retry;
    for (;;) {
        tcp::socket client = co_await netlabs::accept_next(acceptor, retry, std::cout);
        asio::co_spawn(acceptor.get_executor(), echo(std::move(client), idle_timeout, client_timeout), asio::detached);
    }
}

struct Options {
    std::string host = "127.0.0.1";
    std::string port = "9000";
    std::string idle_timeout = "60";
    std::string client_timeout = "3600";
    std::string ready_file;
};

int run(const Options& opt)
{
    const netlabs::Endpoint where = netlabs::make_endpoint(opt.host, opt.port);
    const auto idle_timeout = netlabs::parse_seconds(opt.idle_timeout, "--idle-timeout");
    const auto client_timeout = netlabs::parse_seconds(opt.client_timeout, "--client-timeout");
    asio::io_context io(1);

    asio::error_code ec;
    const auto address = asio::ip::make_address(where.host, ec);
    if (ec) throw netlabs::UsageError("invalid --host '" + where.host + "': give an IP address to bind");
    const tcp::endpoint local(address, where.port);
    tcp::acceptor acceptor(io);
    acceptor.open(local.protocol());
    acceptor.set_option(tcp::acceptor::reuse_address(true));
    acceptor.bind(local, ec);
    if (ec) netlabs::throw_network_error("bind", where.to_string(), ec);
    acceptor.listen(asio::socket_base::max_listen_connections);

    // Ctrl-C (SIGINT) or kill (SIGTERM): stop accepting, close, exit 0.
    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](std::error_code, int signal) {
        std::cout << "Shutting down on " << (signal == SIGINT ? "SIGINT" : "SIGTERM") << " ("
                  << connected << " clients connected)\n";
        io.stop();
    });

    asio::co_spawn(io, listener(acceptor, idle_timeout, client_timeout), [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
    });
    netlabs::announce_listening(acceptor.local_endpoint(), opt.ready_file);
    io.run();
    return netlabs::exit_ok;
}

} // namespace

int main(int argc, char** argv)
{
    Options opt;
    CLI::App app{"lab01-echo-async: a concurrent TCP echo server on asio coroutines.\n"
                 "Every client is served at once; SIGINT or SIGTERM stops it cleanly.",
                 "lab01-echo-async"};
    app.add_option("--host", opt.host, "IP address to bind")->capture_default_str();
    app.add_option("--port", opt.port, "port to listen on; 0 asks the OS for any free port")
        ->capture_default_str();
    app.add_option("--idle-timeout", opt.idle_timeout,
                   "seconds a client may stay connected without progress: silent, or not reading what we send")
        ->capture_default_str();
    app.add_option("--client-timeout", opt.client_timeout, "seconds a client may stay connected in all, busy or not")
        ->capture_default_str();
    app.add_option("--ready-file", opt.ready_file, "also write HOST:PORT to this file when ready");
    return netlabs::run_main(app, argc, argv, [&] { return run(opt); });
}

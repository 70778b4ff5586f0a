// lab02-harness-server: a finished stand-in for lab02-server, for the tests
// of lab02-ex2 (the discovery beacon) only.
//
// Each exercise is graded on its own: the discovery tests must not need
// lab02-server's bind (lab02-ex1). This program listens on --bind:--port,
// answers each line with "Received: <line>" as lab02-server does, and
// announces itself with the lab's announce() (which sends encode_beacon's
// text, the exercise being graded). It is not part of the course: no doc
// mentions it, and the tests of lab02-server itself still run lab02-server.
//
//   listening on 127.0.0.1:41234
//   beacons to 127.0.0.1:5001
//   [127.0.0.1:50000] hello
#include <iostream>
#include <string>
#include <vector>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/use_awaitable.hpp>

#include "discovery.hpp"
#include "netlabs/asio_endpoint.hpp"
#include "netlabs/cli.hpp"
#include "netlabs/endpoint.hpp"
#include "netlabs/errors.hpp"
#include "netlabs/framing.hpp"
#include "netlabs/ready.hpp"

using asio::ip::tcp;

namespace {

asio::awaitable<void> serve(tcp::socket socket)
{
    const std::string peer = netlabs::to_string(socket.remote_endpoint());
    std::string buffer;
    try {
        while (const auto line = co_await netlabs::async_read_line(socket, buffer, 64 * 1024)) {
            std::cout << '[' << peer << "] " << *line << std::endl;
            co_await netlabs::async_write_line(socket, "Received: " + *line);
        }
    } catch (const std::exception&) {
        // a client that misbehaves: the test says what it expected
    }
}

asio::awaitable<void> listener(tcp::acceptor& acceptor)
{
    for (;;) {
        tcp::socket socket = co_await acceptor.async_accept(asio::use_awaitable);
        asio::co_spawn(acceptor.get_executor(), serve(std::move(socket)), asio::detached);
    }
}

} // namespace

int main(int argc, char** argv)
{
    std::string bind = "127.0.0.1", port = "0", name = "desk", interval = "0.1";
    std::string discovery_port = std::to_string(netlabs::lab02::default_discovery_port);
    std::vector<std::string> announce_to;
    CLI::App app{"lab02-harness-server: a finished stand-in for lab02-server that announces itself, for the tests "
                 "of lab02-ex2",
                 "lab02-harness-server"};
    app.add_option("--bind", bind, "address to listen on")->capture_default_str();
    app.add_option("--port", port, "TCP port; 0 asks the OS for any free port")->capture_default_str();
    app.add_option("--name", name, "the name in the beacon")->capture_default_str();
    app.add_option("--announce-to", announce_to, "where beacons go (IPv4 address, repeat)")->required();
    app.add_option("--discovery-port", discovery_port, "UDP port the beacons go to")->capture_default_str();
    app.add_option("--announce-interval", interval, "seconds between beacons")->capture_default_str();
    return netlabs::run_main(app, argc, argv, [&] {
        const netlabs::Endpoint where = netlabs::make_endpoint(netlabs::parse_host(bind), port);
        netlabs::lab02::Announcement a;
        a.beacon.name = netlabs::lab02::check_server_name(name);
        a.from = asio::ip::make_address(where.host);
        a.interval = netlabs::parse_seconds(interval, "--announce-interval");
        const auto to_port = netlabs::parse_port(discovery_port);
        for (const auto& to : announce_to) a.to.emplace_back(asio::ip::make_address_v4(netlabs::parse_host(to)), to_port);

        asio::io_context io(1);
        tcp::acceptor acceptor(io, tcp::endpoint(a.from, where.port));  // open, SO_REUSEADDR, bind, listen
        asio::co_spawn(io, listener(acceptor), [](std::exception_ptr e) {
            if (e) std::rethrow_exception(e);
        });
        netlabs::announce_listening(acceptor.local_endpoint(), "");
        a.beacon.port = acceptor.local_endpoint().port();
        // The exercise's encode_beacon, once before the "beacons to" line: with
        // lab02-ex2 unfinished the stand-in ends here with the stub's message,
        // which the test shows at once (not a client's timeout later).
        (void)netlabs::lab02::encode_beacon(a.beacon);
        std::cout << "beacons to";
        for (const auto& to : a.to) std::cout << ' ' << netlabs::to_string(to);
        std::cout << std::endl;
        asio::co_spawn(io, netlabs::lab02::announce(std::move(a)), [](std::exception_ptr e) {
            if (e) std::rethrow_exception(e);
        });
        io.run();
        return netlabs::exit_ok;
    });
}

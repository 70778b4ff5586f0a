// forward-bench: the load generator and target behind forward-bench.sh.
// Not part of ctest; built by the script (g++ -O2, header-only asio).
//
//   forward-bench throughput  TARGET_PORT VIA_PORT CONNS SECONDS   prints MB/s
//   forward-bench connections TARGET_PORT VIA_PORT CONNS SECONDS   prints connections/s
//
// It runs the target itself, on 127.0.0.1:TARGET_PORT (one thread), and
// CONNS clients to 127.0.0.1:VIA_PORT (another thread): a forwarder, socat or
// a DNAT rule in between relays VIA_PORT to TARGET_PORT.
// Throughput: each client writes 256 KiB blocks; the target counts the bytes
// that arrive within SECONDS. Connections: each client connects, sends one
// byte 'C', reads the target's one-byte answer and its close, and starts
// again. Everything is on 127.0.0.1, and every run stops after SECONDS.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <asio.hpp>

using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

const auto loopback = asio::ip::make_address("127.0.0.1");
std::atomic<std::uint64_t> received{0};

// A connection that starts with 'C' gets one byte back and is closed;
// anything else is read and counted until EOF.
awaitable<void> serve(tcp::socket s)
{
    std::vector<char> buf(256 * 1024);
    std::error_code ec;
    std::size_t n = co_await s.async_read_some(asio::buffer(buf), asio::redirect_error(use_awaitable, ec));
    if (ec) co_return;
    if (buf[0] == 'C') {
        co_await asio::async_write(s, asio::buffer("k", 1), asio::redirect_error(use_awaitable, ec));
        co_return;  // the target closes first: TIME_WAIT stays on its side
    }
    for (;;) {
        received += n;
        n = co_await s.async_read_some(asio::buffer(buf), asio::redirect_error(use_awaitable, ec));
        if (ec) co_return;
    }
}

awaitable<void> accept_loop(tcp::acceptor& a)
{
    for (;;) asio::co_spawn(a.get_executor(), serve(co_await a.async_accept(use_awaitable)), asio::detached);
}

awaitable<void> writer(unsigned short port, Clock::time_point end)
{
    tcp::socket s(co_await asio::this_coro::executor);
    co_await s.async_connect({loopback, port}, use_awaitable);
    std::vector<char> block(256 * 1024, 'T');
    while (Clock::now() < end) co_await asio::async_write(s, asio::buffer(block), use_awaitable);
}

std::atomic<std::uint64_t> completed{0};
std::atomic<std::uint64_t> refused{0};

// One connection: connect, 'C', the answer, the close. False if it failed.
awaitable<bool> one_connection(unsigned short port)
{
    tcp::socket s(co_await asio::this_coro::executor);
    std::error_code ec;
    char one = 0;
    co_await s.async_connect({loopback, port}, asio::redirect_error(use_awaitable, ec));
    if (!ec) co_await asio::async_write(s, asio::buffer("C", 1), asio::redirect_error(use_awaitable, ec));
    if (!ec) co_await asio::async_read(s, asio::buffer(&one, 1), asio::redirect_error(use_awaitable, ec));
    if (ec) co_return false;
    co_await s.async_read_some(asio::buffer(&one, 1), asio::redirect_error(use_awaitable, ec));  // EOF
    co_return true;
}

awaitable<void> connector(unsigned short port, Clock::time_point end)
{
    // A failed connection is counted and the worker goes on, so that one
    // failure does not silently take 1/CONNS of the load away.
    while (Clock::now() < end) ++(co_await one_connection(port) ? completed : refused);
}

} // namespace

int main(int argc, char** argv)
{
    const std::string mode = argc > 1 ? argv[1] : "";
    if ((mode != "throughput" && mode != "connections") || argc != 6) {
        std::cerr << "usage: forward-bench throughput|connections TARGET_PORT VIA_PORT CONNS SECONDS\n";
        return 2;
    }
    const auto target_port = static_cast<unsigned short>(std::atoi(argv[2]));
    const auto via_port = static_cast<unsigned short>(std::atoi(argv[3]));
    const int conns = std::atoi(argv[4]);
    const double seconds = std::atof(argv[5]);

    asio::io_context target_io(1);
    tcp::acceptor acceptor(target_io, {loopback, target_port});  // SO_REUSEADDR: asio sets it
    asio::co_spawn(target_io, accept_loop(acceptor), asio::detached);
    std::thread target([&] { target_io.run(); });

    asio::io_context io(1);
    const auto start = Clock::now();
    const auto end = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    int failed = 0;
    std::string first_error;
    for (int i = 0; i < conns; ++i) {
        auto work = mode == "throughput" ? writer(via_port, end) : connector(via_port, end);
        asio::co_spawn(io, std::move(work), [&](std::exception_ptr e) {
            if (!e) return;
            if (!failed++) {
                try { std::rethrow_exception(e); } catch (const std::exception& what) { first_error = what.what() + std::string(" after ") + std::to_string(std::chrono::duration<double>(Clock::now() - start).count()) + " s"; }
            }
        });
    }
    std::thread clients([&] { io.run_until(end + std::chrono::seconds(5)); });
    std::this_thread::sleep_until(end);  // measuring a fixed interval, not synchronising
    const std::uint64_t bytes = received.load(), done = completed.load();
    clients.join();
    target_io.stop();
    target.join();
    if (failed) std::cerr << "forward-bench: " << mode << " via " << via_port << ": " << failed << " of " << conns << " clients stopped on an error (first: " << first_error << ")\n";
    if (refused) std::cerr << "forward-bench: " << mode << " via " << via_port << ", " << conns << " at once: " << refused.load() << " connections failed\n";
    if (mode == "throughput") std::printf("%.0f\n", static_cast<double>(bytes) / seconds / 1e6);
    else std::printf("%.0f\n", static_cast<double>(done) / seconds);
    return failed == conns ? 1 : 0;
}

// What the lab03-forward tests share: a forwarder started on 127.0.0.1, and
// a way to play the client and the target in the test itself, as coroutines
// on one io_context, under a deadline.
//
// Safety: everything here binds and connects on 127.0.0.1 only.
// Nothing sleeps to synchronise: the tests wait on the forwarder's ready and
// log lines, and on their own sockets' I/O, each with a deadline.
#pragma once

#include <chrono>
#include <exception>
#include <fstream>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/ip/udp.hpp>
#include <asio/read.hpp>
#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include "programs.hpp"

namespace fwd {

using namespace netlabs::test;
using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;
using asio::ip::udp;

// Where a learner looks when a check fails.
inline const std::string relay_cpp = "lab03-port-forward/relay.cpp";
inline const std::string forward_tcp_cpp = "lab03-port-forward/forward_tcp.cpp";
inline const std::string forward_udp_cpp = "lab03-port-forward/forward_udp.cpp";

// A running lab03-forward on 127.0.0.1:<any free port>, relaying to
// 127.0.0.1:target_port; `extra` adds options (e.g. "--udp").
struct Forwarder {
    Process process;
    unsigned short port;

    explicit Forwarder(unsigned short target_port, const std::vector<std::string>& extra = {})
        : process(argv(target_port, extra)), port(process.wait_listening().port)
    {
    }

    static std::vector<std::string> argv(unsigned short target_port, const std::vector<std::string>& extra)
    {
        std::vector<std::string> a{bin("lab03-forward"), "127.0.0.1:0:127.0.0.1:" + std::to_string(target_port)};
        a.insert(a.end(), extra.begin(), extra.end());
        return a;
    }

    // Waits for the forwarder's log line matching `pattern`.
    std::string wait_log(const std::string& pattern, std::chrono::milliseconds timeout = 5s)
    {
        return process.wait_for_line(pattern, timeout).at(0);
    }

    // The forwarder's resident memory (VmRSS) in bytes.
    std::size_t rss() const
    {
        std::ifstream status("/proc/" + std::to_string(process.pid()) + "/status");
        std::string line;
        while (std::getline(status, line))
            if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6)) * 1024;  // kB
        return 0;
    }
};

// "127.0.0.1:PORT" as a regex.
inline std::string at(unsigned short port)
{
    return "127\\.0\\.0\\.1:" + std::to_string(port);
}

// The forwarder's log line for one connection, as a regex:
// "127.0.0.1:CLIENT -> 127.0.0.1:TARGET: <rest>".
inline std::string route(unsigned short client_port, unsigned short target_port, const std::string& rest)
{
    return "^" + at(client_port) + " -> " + at(target_port) + ": " + rest;
}

// Runs `scenario` on `io` until it finishes or `timeout` passes: true if it
// finished. An exception from it (a failed REQUIRE too) comes out here.
inline bool run_within(asio::io_context& io, awaitable<void> scenario, std::chrono::milliseconds timeout)
{
    bool done = false;
    std::exception_ptr failure;
    io.restart();
    asio::co_spawn(io, std::move(scenario), [&](std::exception_ptr e) {
        done = true;
        failure = e;
        io.stop();  // the target's accept loop may still be waiting
    });
    io.run_for(timeout);
    if (failure) std::rethrow_exception(failure);
    return done;
}

inline awaitable<tcp::socket> connect_to(unsigned short port)
{
    tcp::socket socket(co_await asio::this_coro::executor);
    co_await socket.async_connect({loopback(), port}, use_awaitable);
    co_return socket;
}

// A client the forwarder may turn away at once: its port is known before it
// connects (for the log line), and a reset even during the connect is an
// answer, not an exception.
struct TurnedAway {
    unsigned short port = 0;
    std::string data;
    std::error_code end;
};

inline awaitable<void> connect_and_read(unsigned short port, TurnedAway& r)
{
    tcp::socket socket(co_await asio::this_coro::executor, tcp::endpoint(loopback(), 0));
    r.port = socket.local_endpoint().port();
    co_await socket.async_connect({loopback(), port}, asio::redirect_error(use_awaitable, r.end));
    if (r.end) co_return;
    co_await asio::async_read(socket, asio::dynamic_buffer(r.data), asio::redirect_error(use_awaitable, r.end));
}

inline std::string describe(const TurnedAway& r)
{
    return std::to_string(r.data.size()) + " bytes, then " +
           (r.end == asio::error::eof ? std::string("EOF") : r.end.message());
}

// Everything the peer sends until it closes, and how it closed: no error
// (EOF), or e.g. connection_reset.
struct Received {
    std::string data;
    std::error_code end;
    bool clean() const { return end == asio::error::eof; }
};

inline awaitable<Received> read_to_end(tcp::socket& socket)
{
    Received r;
    co_await asio::async_read(socket, asio::dynamic_buffer(r.data), asio::redirect_error(use_awaitable, r.end));
    co_return r;
}

inline awaitable<void> read_to_end_into(tcp::socket& socket, Received& r)
{
    r = co_await read_to_end(socket);
}

// Writes all of `bytes`, then shuts down the write side (the peer reads EOF).
inline awaitable<void> send_all(tcp::socket& socket, const std::string& bytes)
{
    co_await asio::async_write(socket, asio::buffer(bytes), use_awaitable);
    socket.shutdown(tcp::socket::shutdown_send);
}

// The steps a test took, one per line, for INFO.
inline std::string lines(const std::vector<std::string>& steps)
{
    std::string text;
    for (const auto& step : steps) text += "\n  " + step;
    return text;
}

inline std::string describe(const Received& r)
{
    return std::to_string(r.data.size()) + " bytes, then " +
           (r.clean() ? std::string("EOF") : r.end.message());
}

// A target that echoes each connection until EOF, then closes it.
inline awaitable<void> echo_target(tcp::acceptor& acceptor)
{
    for (;;) {
        auto socket = std::make_shared<tcp::socket>(co_await acceptor.async_accept(use_awaitable));
        asio::co_spawn(acceptor.get_executor(), [socket]() -> awaitable<void> {
            char data[4096];
            std::error_code ec;
            for (;;) {
                const std::size_t n = co_await socket->async_read_some(asio::buffer(data), asio::redirect_error(use_awaitable, ec));
                if (ec) break;
                co_await asio::async_write(*socket, asio::buffer(data, n), asio::redirect_error(use_awaitable, ec));
                if (ec) break;
            }
            socket->shutdown(tcp::socket::shutdown_send, ec);
        }, asio::detached);
    }
}

// After something went wrong on one connection, the forwarder lives on: a
// new client, relayed to `target` (which starts echoing now), sends "still
// there?" and reads its echo by size, not to EOF. Returns what it read, or
// "" if that did not finish within 5 s.
inline std::string still_relayed(asio::io_context& io, unsigned short forwarder_port, tcp::acceptor& target)
{
    std::string echoed(12, '\0');
    auto another = [&]() -> awaitable<void> {
        asio::co_spawn(io, echo_target(target), asio::detached);
        tcp::socket client = co_await connect_to(forwarder_port);
        co_await asio::async_write(client, asio::buffer(std::string("still there?")), use_awaitable);
        co_await asio::async_read(client, asio::buffer(echoed), use_awaitable);
    };
    return run_within(io, another(), 5s) ? echoed : std::string();
}

// `size` bytes of a pattern that shows a lost, doubled or reordered chunk.
inline std::string pattern(std::size_t size, unsigned seed)
{
    std::string bytes(size, '\0');
    for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>((i * 7 + seed) % 251);
    return bytes;
}

// Where two byte strings first differ, for a message.
inline std::string first_difference(const std::string& expected, const std::string& got)
{
    std::size_t i = 0;
    while (i < expected.size() && i < got.size() && expected[i] == got[i]) ++i;
    if (i == expected.size() && i == got.size()) return "identical";
    return "expected " + std::to_string(expected.size()) + " bytes, got " + std::to_string(got.size()) +
           "; first difference at byte " + std::to_string(i);
}

} // namespace fwd

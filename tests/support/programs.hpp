// What the labs' black-box tests share: where the programs are, and a raw
// TCP client for the cases where the test itself plays a (misbehaving) peer.
//
// Safety: these helpers talk to 127.0.0.1 only. Anything that reaches further
// runs inside the virtual network (netlabs-net exec), never in this machine's
// own network namespace.
#pragma once

#include <string>
#include <vector>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <asio/read_until.hpp>
#include <asio/write.hpp>

#include "catch.hpp"
#include "paths.hpp"
#include "netlabs/endpoint.hpp"
#include "netlabs/testing/process.hpp"

namespace netlabs::test {

using namespace std::chrono_literals;
using netlabs::testing::Process;
using netlabs::testing::Result;
using netlabs::testing::run;

// The path of a course program in the build: bin("lab01-server").
inline std::string bin(const std::string& program)
{
    return bin_dir() + "/" + program;
}

inline std::string port_of(const netlabs::Endpoint& endpoint)
{
    return std::to_string(endpoint.port);
}

inline asio::ip::address loopback()
{
    return asio::ip::make_address("127.0.0.1");
}

// A port on 127.0.0.1 where nobody listens, for as long as this object lives:
// a socket bound to it and never listening holds it, so no other test running
// at the same time (ctest -j) can take it, and a connect there is refused.
class ClosedTcpPort {
public:
    ClosedTcpPort() : socket_(io_, asio::ip::tcp::v4()) { socket_.bind({loopback(), 0}); }
    unsigned short port() const { return socket_.local_endpoint().port(); }
    std::string text() const { return std::to_string(port()); }

private:
    asio::io_context io_;
    asio::ip::tcp::socket socket_;  // bound, never listening
};

// A connected TCP socket to 127.0.0.1:port, driven by the test step by step.
struct RawClient {
    asio::io_context io;
    asio::ip::tcp::socket socket{io};
    std::string pending;

    explicit RawClient(unsigned short port) { socket.connect({loopback(), port}); }
    unsigned short local_port() const { return socket.local_endpoint().port(); }
    void send(const std::string& bytes) { asio::write(socket, asio::buffer(bytes)); }
    // One line from the server, without its '\n'.
    std::string read_line()
    {
        const std::size_t n = asio::read_until(socket, asio::dynamic_buffer(pending), '\n');
        std::string line = pending.substr(0, n - 1);
        pending.erase(0, n);
        return line;
    }
    // Reads until the server closes its side; returns everything it sent.
    std::string read_to_end()
    {
        std::string all = std::move(pending);
        asio::error_code ec;
        asio::read(socket, asio::dynamic_buffer(all), ec);
        return all;
    }
};

// Every program prints its usage for --help and exits 0.
inline void check_help(const std::vector<std::string>& programs)
{
    for (const auto& program : programs) {
        const Result help = run({bin(program), "--help"});
        INFO(program << " --help\n" << help.describe());
        CHECK(help.exit_code == 0);
        CHECK_THAT(help.out, match::Contains("Usage: " + program));
    }
}

// A bad command line and the one line it must be refused with (exit 2).
struct UsageCase {
    std::vector<std::string> args;  // args[0] is the program's name
    std::string line;
};

inline void check_usage_errors(const std::vector<UsageCase>& cases)
{
    for (const auto& c : cases) {
        std::vector<std::string> argv = c.args;
        argv[0] = bin(argv[0]);
        const Result r = run(argv);
        std::string shown;
        for (const auto& a : c.args) shown += a + " ";
        INFO("ran: " << shown << "\n" << r.describe());
        CHECK(r.exit_code == 2);
        CHECK(r.err == c.line + "\n");
        CHECK(r.out.empty());
    }
}

} // namespace netlabs::test

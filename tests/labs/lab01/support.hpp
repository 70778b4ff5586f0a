// What lab01's black-box tests share: where the programs are, and a raw
// client for the cases where the test itself must play the misbehaving peer.
#pragma once

#include <string>
#include <vector>

#include <asio/connect.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <asio/write.hpp>

#include "catch.hpp"
#include "netlabs/endpoint.hpp"
#include "netlabs/testing/process.hpp"

namespace lab01 {

using namespace std::chrono_literals;
using netlabs::testing::Process;
using netlabs::testing::Result;
using netlabs::testing::run;

inline std::string bin(const std::string& program)
{
    return std::string(NETLABS_BIN_DIR) + "/" + program;
}

inline std::string port_of(const netlabs::Endpoint& endpoint)
{
    return std::to_string(endpoint.port);
}

// A connected TCP socket to 127.0.0.1:port, driven by the test step by step.
struct RawClient {
    asio::io_context io;
    asio::ip::tcp::socket socket{io};

    explicit RawClient(unsigned short port)
    {
        socket.connect({asio::ip::make_address("127.0.0.1"), port});
    }
    void send(const std::string& bytes) { asio::write(socket, asio::buffer(bytes)); }
    // Reads until the server closes its side; returns everything it sent.
    std::string read_to_end()
    {
        std::string all;
        asio::error_code ec;
        asio::read(socket, asio::dynamic_buffer(all), ec);
        return all;
    }
};

} // namespace lab01

// What lab01's black-box tests share: tests/support/programs.hpp (where the
// programs are, a raw client for the test to play a misbehaving peer), and
// HarnessServer, a finished stand-in for lab01-server.
//
// Each exercise is graded on its own: a test of the client (lab01-ex2) talks
// to HarnessServer, not to lab01-server (lab01-ex1), and a test of the server
// talks to it with RawClient, not lab01-client; so a student can do the
// exercises in any order, and a failure names the exercise being graded.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <asio/ip/tcp.hpp>

#include "framing.hpp"
#include "programs.hpp"

namespace lab01 {
using namespace netlabs::test;

// A server on 127.0.0.1 (port 0) that serves `clients` clients one after the
// other as lab01-server does: one message in `framing` (none or line: the
// finished framings, never lab01-ex3's length framing), then `reply` with
// "{bytes}" replaced by the message's size, then it closes. Built only from
// finished code (asio and lab01's framing helpers), never from an exercise.
class HarnessServer {
public:
    explicit HarnessServer(netlabs::lab01::Framing framing = netlabs::lab01::Framing::none,
                           std::string reply = "Hello from server!", int clients = 1)
        : acceptor_(io_, {loopback(), 0}), framing_(framing), reply_(std::move(reply))
    {
        thread_ = std::thread([this, clients] { serve(clients); });
    }
    ~HarnessServer()
    {
        if (!done_) {  // wake a blocking accept() nobody will satisfy
            stopping_ = true;
            asio::io_context io;
            asio::ip::tcp::socket wake(io);
            asio::error_code ignored;
            wake.connect({loopback(), port()}, ignored);
        }
        thread_.join();
    }
    HarnessServer(const HarnessServer&) = delete;
    HarnessServer& operator=(const HarnessServer&) = delete;

    unsigned short port() const { return acceptor_.local_endpoint().port(); }
    std::string port_text() const { return std::to_string(port()); }

    // The messages it received so far, in order.
    std::vector<std::string> received()
    {
        std::lock_guard lock(mutex_);
        return received_;
    }

private:
    void serve(int clients)
    {
        using namespace std::chrono_literals;
        for (int i = 0; i < clients && !stopping_; ++i) {
            asio::ip::tcp::socket client(io_);
            asio::error_code ec;
            acceptor_.accept(client, ec);
            if (ec || stopping_) break;
            try {
                std::string buffer;
                const auto message = netlabs::lab01::read_message(client, framing_, buffer, 10s, "client");
                if (!message) continue;
                {
                    std::lock_guard lock(mutex_);
                    received_.push_back(*message);
                }
                std::string reply = reply_;
                if (const auto at = reply.find("{bytes}"); at != std::string::npos)
                    reply.replace(at, 7, std::to_string(message->size()));
                netlabs::lab01::write_message(client, framing_, reply, 10s, "client");
            } catch (const std::exception&) {
                // a client that misbehaves: the test says what it expected
            }
        }
        done_ = true;
    }

    asio::io_context io_;
    asio::ip::tcp::acceptor acceptor_;
    netlabs::lab01::Framing framing_;
    std::string reply_;
    std::mutex mutex_;
    std::vector<std::string> received_;
    std::atomic<bool> stopping_{false}, done_{false};
    std::thread thread_;
};

} // namespace lab01

// lab05's tests share: the server in-process (cpp-httplib's own way:
// bind port 0, wait until it runs, stop, join), a one-shot server that answers
// any request with bytes the test chooses, and where the doc explains things.
//
// Everything here talks to 127.0.0.1 only.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

#include "http_server.hpp"
#include "programs.hpp"

namespace lab05::test {

using namespace netlabs::test;
using namespace std::chrono_literals;

// Where the doc explains each idea (docs/en/lab05.md).
inline const std::string doc_server = "docs/en/lab05.md#the-server-lab05-server";
inline const std::string doc_post = "docs/en/lab05.md#validating-a-post";
inline const std::string doc_limits = "docs/en/lab05.md#limits-and-malformed-requests";
inline const std::string doc_client = "docs/en/lab05.md#the-client-lab05-client";
inline const std::string doc_failures = "docs/en/lab05.md#when-a-request-fails";
inline const std::string doc_raw = "docs/en/lab05.md#http-by-hand-lab05-raw";
inline const std::string doc_interop = "docs/en/lab05.md#the-seeds-stack-flask-and-requests";

// lab05-server's routes on 127.0.0.1:<any free port>, in this process.
class InProcessServer {
public:
    explicit InProcessServer(ServerLimits limits = {}, std::size_t capacity = 100) : board_(capacity)
    {
        configure(server_, board_, limits, [this](const std::string& line) {
            std::lock_guard lock(mutex_);
            log_.push_back(line);
            logged_.notify_all();
        });
        port_ = server_.bind_to_any_port("127.0.0.1");
        REQUIRE(port_ > 0);
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        // Ready when its accept loop runs (stop() before that would be lost).
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        while (!server_.is_running() && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
        REQUIRE(server_.is_running());
    }
    ~InProcessServer()
    {
        server_.stop();
        thread_.join();
    }
    InProcessServer(const InProcessServer&) = delete;
    InProcessServer& operator=(const InProcessServer&) = delete;

    unsigned short port() const { return static_cast<unsigned short>(port_); }
    std::string url(const std::string& path = "/") const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
    httplib::Client client() const
    {
        httplib::Client c("127.0.0.1", port_);
        c.set_connection_timeout(5s);
        c.set_read_timeout(5s);
        c.set_write_timeout(5s);
        return c;
    }
    // The access log once it has `lines` lines (the server logs a request
    // just after answering it), or what it has after 5 s.
    std::vector<std::string> log(std::size_t lines) const
    {
        std::unique_lock lock(mutex_);
        logged_.wait_for(lock, 5s, [&] { return log_.size() >= lines; });
        return log_;
    }
    MessageBoard& board() { return board_; }

private:
    MessageBoard board_;
    httplib::Server server_;
    int port_ = 0;
    std::thread thread_;
    mutable std::mutex mutex_;
    mutable std::condition_variable logged_;
    std::vector<std::string> log_;
};

// Accepts one connection on 127.0.0.1, reads the request's head, answers with
// `response` (bytes as given, good or bad) and closes.
class OneShotServer {
public:
    explicit OneShotServer(std::string response) : response_(std::move(response))
    {
        acceptor_.open(asio::ip::tcp::v4());
        acceptor_.bind({loopback(), 0});
        acceptor_.listen();
        thread_ = std::thread([this] {
            asio::error_code ec;
            asio::ip::tcp::socket socket(io_);
            acceptor_.accept(socket, ec);
            accepted_ = true;
            if (ec) return;
            std::string head;
            asio::read_until(socket, asio::dynamic_buffer(head), "\r\n\r\n", ec);
            asio::write(socket, asio::buffer(response_), ec);
            socket.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
        });
    }
    ~OneShotServer()
    {
        if (!accepted_) {  // nobody came: come ourselves, so that accept() returns
            asio::error_code ec;
            asio::ip::tcp::socket wake(io_);
            wake.connect(acceptor_.local_endpoint(), ec);
            wake.close(ec);
        }
        thread_.join();
    }
    std::string url(const std::string& path = "/") const
    {
        return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + path;
    }

private:
    std::string response_;
    asio::io_context io_;
    asio::ip::tcp::acceptor acceptor_{io_};
    std::atomic<bool> accepted_{false};
    std::thread thread_;
};

// lab05-server as a program, on 127.0.0.1:<any free port>, until the test ends.
struct RunningServer {
    Process process;
    netlabs::Endpoint where;
    explicit RunningServer(std::vector<std::string> extra = {})
        : process([&] {
              std::vector<std::string> argv{bin("lab05-server"), "--host", "127.0.0.1", "--port", "0"};
              argv.insert(argv.end(), extra.begin(), extra.end());
              return argv;
          }()),
          where(process.wait_listening())
    {
    }
    std::string url(const std::string& path) const { return "http://127.0.0.1:" + port_of(where) + path; }
};

} // namespace lab05::test

// lab05-server: the series' goal, a small HTTP server on port 5000 that a
// friend on another network can GET from and POST to (seeds 001 and 000; their
// Flask app, in C++ with cpp-httplib).
//
//   listening on 0.0.0.0:5000
//   198.51.100.8:41234 "POST /messages HTTP/1.1" 201 52
//
// The routes and limits are in http_server.cpp; this file is the program:
// the command line, binding (0.0.0.0 by default: lab02), the ready line, and
// a clean stop on Ctrl-C or SIGTERM.
#include <atomic>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <iostream>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>

#ifdef _WIN32
#include <winsock2.h>  // before windows.h, which would bring the old winsock.h (cpp-httplib needs winsock2)
#include <windows.h>
#else
#include <pthread.h>
#endif

#include "http_server.hpp"
#include "netlabs/cli.hpp"
#include "netlabs/endpoint.hpp"
#include "netlabs/errors.hpp"
#include "netlabs/ready.hpp"

namespace {

// "64" -> 64, within [low, high]; else a UsageError naming the option and the value.
std::size_t whole_number(const std::string& text, const std::string& what, std::size_t low, std::size_t high)
{
    std::size_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value < low || value > high)
        throw netlabs::UsageError("invalid " + what + " '" + text + "': must be a whole number from " +
                                  std::to_string(low) + " to " + std::to_string(high));
    return value;
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App app{"lab05-server: an HTTP server for GET and POST from another network (seeds 001, 000)",
                 "lab05-server"};
    std::string host = "0.0.0.0", port = "5000", ready_file, read_timeout = "5", write_timeout = "5";
    std::string max_body = "65536", max_headers = "64", max_messages = "100", threads = "8";
    app.add_option("--host", host, "address to listen on: 0.0.0.0 every interface, 127.0.0.1 this machine only")
        ->capture_default_str();
    app.add_option("--port", port, "port to listen on (0: any free port)")->capture_default_str();
    app.add_option("--max-body", max_body, "largest request body in bytes (more: 413)")->capture_default_str();
    app.add_option("--max-headers", max_headers, "most header lines in one request (more: 431)")
        ->capture_default_str();
    app.add_option("--max-messages", max_messages, "messages kept; the oldest go first")->capture_default_str();
    app.add_option("--threads", threads, "requests served at the same time")->capture_default_str();
    app.add_option("--read-timeout", read_timeout, "seconds a client may stay silent mid-request")->capture_default_str();
    app.add_option("--write-timeout", write_timeout, "seconds a client may take to read the answer")->capture_default_str();
    app.add_option("--ready-file", ready_file, "also write the endpoint to this file once listening");

    return netlabs::run_main(app, argc, argv, [&] {
        const netlabs::Endpoint where = netlabs::make_endpoint(host, port);
        lab05::ServerLimits limits;
        limits.max_body = whole_number(max_body, "--max-body", 1, 64 << 20);
        limits.max_headers = whole_number(max_headers, "--max-headers", 1, 1000);
        limits.threads = whole_number(threads, "--threads", 1, 256);
        limits.read_timeout = netlabs::parse_seconds(read_timeout, "--read-timeout");
        limits.write_timeout = netlabs::parse_seconds(write_timeout, "--write-timeout");

#ifndef _WIN32
        // SIGINT and SIGTERM are taken by one thread (sigwait), which stops the
        // server; blocked here, before any thread starts, so that no worker
        // thread is interrupted by them.
        sigset_t stop_signals;
        sigemptyset(&stop_signals);
        sigaddset(&stop_signals, SIGINT);
        sigaddset(&stop_signals, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
#endif

        lab05::MessageBoard board(whole_number(max_messages, "--max-messages", 1, 100000));
        httplib::Server server;
        std::mutex log_mutex;
        lab05::configure(server, board, limits, [&log_mutex](const std::string& line) {
            std::lock_guard lock(log_mutex);
            std::cout << line << '\n';
        });

        errno = 0;
        int bound = where.port == 0 ? server.bind_to_any_port(where.host)
                                    : (server.bind_to_port(where.host, where.port) ? where.port : -1);
        if (bound < 0) {
            const std::error_code error(errno != 0 ? errno : EADDRNOTAVAIL, std::system_category());
            netlabs::throw_network_error(
                "bind", where.to_string(), error,
                error == std::errc::address_in_use
                    ? "another server is listening there, maybe on 0.0.0.0 or 127.0.0.1 of the same port: stop it, "
                      "or use another --host or --port"
                    : "");
        }
        netlabs::announce_listening(netlabs::Endpoint{where.host, static_cast<std::uint16_t>(bound)}.to_string(),
                                    ready_file);

#ifndef _WIN32
        std::atomic<int> received{0};
        std::thread stopper([&] {
            int signal = 0;
            sigwait(&stop_signals, &signal);
            received = signal;
            server.stop();
        });
        server.listen_after_bind();
        if (received == 0) pthread_kill(stopper.native_handle(), SIGTERM);  // wake it to end it
        stopper.join();
#else
        // Windows: Ctrl-C runs the console handler on a thread of its own.
        static httplib::Server* running = &server;
        static std::atomic<int> received{0};
        SetConsoleCtrlHandler([](DWORD) -> BOOL { received = SIGINT; running->stop(); return TRUE; }, TRUE);
        server.listen_after_bind();
#endif
        std::lock_guard lock(log_mutex);
        std::cout << "stopped (" << (received == SIGINT ? "SIGINT" : "SIGTERM") << ")\n";
        return netlabs::exit_ok;
    });
}

// Runs a course program from a test: start it, wait for its ready line with a
// bounded timeout, read what it printed, stop it by PID.
//
//   Process server({bin("lab01-server"), "--port", "0"});
//   Endpoint ep = server.wait_listening();          // "listening on 127.0.0.1:PORT"
//   auto client = run({bin("lab01-client"), "--port", std::to_string(ep.port)});
//   server.stop();
//
// Nothing here sleeps to synchronise: every wait is on the child's output or
// its exit, with a deadline, and a missed deadline throws with what the child
// printed so far.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <sys/types.h>

#include "netlabs/endpoint.hpp"
#include "netlabs/process.hpp"

namespace netlabs::testing {

using namespace std::chrono_literals;
inline constexpr std::chrono::milliseconds default_wait = 10s;

struct Result {
    int exit_code = -1;     // the exit status, or 128 + signal when killed by a signal
    std::string out;        // standard output
    std::string err;        // standard error
    std::string describe() const;  // "exit 1; stdout: ...; stderr: ..." for INFO()
};

class Process {
public:
    // Starts argv[0] (a path, or a name on PATH) with argv. `input`, when
    // given, is written to its standard input, which is then closed.
    // Throws netlabs::process::SpawnError when it cannot start.
    explicit Process(std::vector<std::string> argv, std::optional<std::string> input = std::nullopt);
    ~Process();  // stops the child (SIGKILL if still running) and reaps it
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    pid_t pid() const { return child_.pid(); }

    // Waits until a line of standard output matches `pattern` (std::regex,
    // searched); returns the match and its groups as strings.
    // Throws std::runtime_error naming the pattern and the output so far on
    // timeout or when the child exits first.
    std::vector<std::string> wait_for_line(const std::string& pattern, std::chrono::milliseconds timeout = default_wait);
    // Waits until standard error so far (all of it, searched again on each
    // change) matches `pattern`; returns the match. Throws like wait_for_line.
    std::string wait_for_err(const std::string& pattern, std::chrono::milliseconds timeout = default_wait) const;
    // Waits for the ready line "listening on HOST:PORT" and returns the endpoint.
    Endpoint wait_listening(std::chrono::milliseconds timeout = default_wait);

    // Sends `signal` (SIGTERM by default) and waits for the exit.
    Result stop(int signal = 15, std::chrono::milliseconds timeout = default_wait);
    // Waits for the child to exit on its own; throws on timeout (and kills it).
    Result wait(std::chrono::milliseconds timeout = default_wait);

    std::string out() const;  // standard output so far
    std::string err() const;  // standard error so far

private:
    Result collect(std::chrono::milliseconds timeout);

    // The child's exit is waited for by the caller (on its pidfd); the
    // reader thread only moves its output (and input) through the pipes.
    process::Child child_;
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    std::string out_, err_;
    std::size_t scanned_ = 0;  // bytes of out_ already matched line by line
    bool open_ = true;         // the output pipes are not at EOF yet
    std::thread reader_;
};

// Runs argv to completion (killing it after `timeout`) and returns what it did.
Result run(std::vector<std::string> argv, std::optional<std::string> input = std::nullopt,
           std::chrono::milliseconds timeout = default_wait);

} // namespace netlabs::testing

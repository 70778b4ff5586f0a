// Errors and exit codes shared by every program of the course.
//
//   exit 0  success
//   exit 1  a runtime failure: refused, timed out, address in use ...
//   exit 2  bad usage: an invalid address, port or option
//
// A message is one line that names the operation, the endpoint and, where it
// helps, a hint: "connect 127.0.0.1:8000: connection refused (is the server
// running, and on that port?)".
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

namespace netlabs {

enum ExitCode : int { exit_ok = 0, exit_failure = 1, exit_usage = 2 };

// Bad input from the user: the program prints the message and exits 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A network operation that failed at run time: the program exits 1.
class NetworkError : public std::runtime_error {
public:
    NetworkError(std::string message, std::error_code code)
        : std::runtime_error(std::move(message)), code_(code) {}
    std::error_code code() const noexcept { return code_; }

private:
    std::error_code code_;
};

// The hint netlabs gives for an error, or "" when it has none:
// connection refused -> "is the server running, and on that port?".
std::string default_hint(std::error_code code);

// "connect 127.0.0.1:8000: connection refused (is lab01-server running?)".
// An empty `hint` means default_hint(code); pass "-" for no hint at all.
std::string describe_error(std::string_view operation, std::string_view endpoint,
                           std::error_code code, std::string_view hint = {});

// Throws NetworkError with describe_error's message.
[[noreturn]] void throw_network_error(std::string_view operation, std::string_view endpoint,
                                      std::error_code code, std::string_view hint = {});

} // namespace netlabs

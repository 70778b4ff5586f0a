// Command-line handling shared by every program: CLI11 for the parsing, and
// one place that turns errors into one line and an exit code (see errors.hpp).
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

namespace netlabs {

// Parses argv into `app`, then runs `body`. --help prints and exits 0; a
// parse error or a UsageError prints "<program>: <message>" and exits 2; a
// NetworkError or any other exception prints "<program>: <message>" and
// exits 1. Standard output is flushed after every write, so a reader on a
// pipe sees each line as it is printed.
int run_main(CLI::App& app, int argc, char** argv, const std::function<int()>& body);

// "2.5" -> 2.5 s. `what` names the option in the error:
// "invalid --timeout 'soon': must be a number of seconds, e.g. 2.5".
std::chrono::milliseconds parse_seconds(std::string_view text, std::string_view what);

// The other way: 2500 ms -> "2.5", 3600000 ms -> "3600" (no unit).
std::string seconds_text(std::chrono::milliseconds duration);

// "8" -> 8, a whole number from `min` to `max`. `what` names the option:
// "invalid --jobs '0': must be a whole number from 1 to 256". A CLI11 option
// bound to an unsigned type would take "-1" as 18446744073709551615 instead.
long long parse_count(std::string_view text, std::string_view what, long long min, long long max);

} // namespace netlabs

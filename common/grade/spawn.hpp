// Runs a command from an argument vector (never a shell string) with a
// deadline, collecting its standard output and error together.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace netlabs::grade {

struct Spawned {
    int exit_code = -1;     // the exit status; -1 when killed by a signal or not started
    int signal = 0;         // the signal that ended it, 0 if none
    bool timed_out = false; // killed at the deadline
    bool started = true;    // false: the program could not be started (output says why)
    std::string output;     // stdout and stderr, interleaved, capped at `cap` bytes (the start and the end kept)
    double seconds = 0;
};

// Starts argv in its own process group (in `cwd` unless empty), with
// `environment` added to ours. At the deadline the whole group is killed;
// after the command exits, what it left running in its group is killed too.
Spawned run_command(const std::vector<std::string>& argv, const std::filesystem::path& cwd,
                    std::chrono::milliseconds timeout,
                    const std::vector<std::pair<std::string, std::string>>& environment = {},
                    std::size_t cap = 512 * 1024);

} // namespace netlabs::grade

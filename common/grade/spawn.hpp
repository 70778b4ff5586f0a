// The grader's way to run a command: netlabs::process::run in a process
// group of its own, stdout and stderr together, with a deadline.
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

// Runs argv (looked up on PATH) to its end in its own process group (in `cwd`
// unless empty), with `environment` added to ours, and captures its output.
// At the deadline the whole group is killed; after the command exits, what it
// left running in its group is killed too.
Spawned run_captured(const std::vector<std::string>& argv, const std::filesystem::path& cwd,
                     std::chrono::milliseconds timeout,
                     const std::vector<std::pair<std::string, std::string>>& environment = {},
                     std::size_t cap = 512 * 1024);

} // namespace netlabs::grade

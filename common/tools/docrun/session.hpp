// One doc's run: a fresh temporary working directory, the environment its
// commands see, the command in the foreground and the ones in the background.
//
// Every wait is on a child's output or exit, with a deadline; nothing sleeps.
// Background processes are stopped by PID when the session ends (SIGTERM, a
// bounded wait, then SIGKILL).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>

#include "host.hpp"
#include "words.hpp"

namespace docrun {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// What a session reports as it happens (the tour prints it; check ignores it).
class Listener {
public:
    virtual ~Listener() = default;
    // Output of the command in the foreground, as it arrives.
    virtual void output(std::string_view /*chunk*/) {}
    // A line a background process printed after its ready line.
    virtual void background_line(std::string_view /*program*/, std::string_view /*line*/) {}
};

struct Finished {
    std::string output;         // standard output and error, in write order
    int exit_code = 0;          // the exit status, or 128 + signal
    std::optional<int> signal;  // set when a signal ended it
    bool timed_out = false;     // it was stopped after the timeout
};

struct Started {
    bool ready = false;         // printed its ready line in time
    std::string output;         // up to and including the ready line (all of it on failure)
    bool timed_out = false;     // no ready line within the wait
    std::optional<int> exit_code;  // it exited before its ready line
};

class Session {
public:
    // `bin_dir` goes first on PATH; NETLABS_DOC is set to `doc_path` (made absolute).
    Session(const std::string& bin_dir, const std::string& doc_path, Listener* listener = nullptr);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    const std::string& directory() const { return directory_; }

    // Every command of the session runs with NETLABS_NOT_IMPLEMENTED_LOG set
    // to a file in its directory: a stub of the student edition
    // (netlabs::NotImplemented) that any of them reaches, in the foreground,
    // in the background or on a lab host, writes its one line there. The
    // lines so far, each once, in the order they came.
    std::vector<std::string> stubs_reached() const;

    // Resolves the program and the environment; throws std::runtime_error
    // ("'lab01-serve' not found in ... or on PATH").
    Launch prepare(const Command& command) const;

    // Runs a command to its end; after `timeout` it is stopped and timed_out set.
    Finished run(Host& host, const Command& command, milliseconds timeout);
    // Starts a background command and waits up to `ready_timeout` for a line
    // starting with "listening on ". On failure the process is stopped.
    Started start(Host& host, const Command& command, milliseconds ready_timeout);
    // Reads what background processes printed so far, without waiting.
    void poll_background();
    // Stops every background process (SIGTERM, up to `grace`, then SIGKILL).
    void stop_background(milliseconds grace = std::chrono::seconds(3));

private:
    struct Child;
    void pump(Clock::time_point deadline, Child* foreground, const std::function<bool()>& done,
              const std::vector<Child*>& exits = {});
    void read_from(Child& child);
    void show_background_lines(Child& child);
    std::optional<int> reap(Child& child);
    bool wait_exit(Child& child, Clock::time_point deadline);
    void stop(Child& child, milliseconds grace);

    std::string directory_;
    std::vector<std::string> env_;
    std::string path_;
    std::string bin_dir_;
    Listener* listener_;
    bool stopping_ = false;  // stopping children: a signal does not interrupt that
    std::vector<std::unique_ptr<Child>> background_;
};

} // namespace docrun

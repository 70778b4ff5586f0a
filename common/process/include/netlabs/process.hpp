// One way to start a process, for every tool of the course (tests, grader,
// doc runner, virtual network). POSIX only.
//
//   Spec spec{{"ip", "-batch", "-"}};
//   spec.input = "link set lo up\n";
//   spec.output = Output::merged;
//   spec.pre_exec = {"setns", [fd] { return setns(fd, CLONE_NEWNET) == 0 ? 0 : errno; }};
//   Result r = run(spec, 5s);          // r.exit.code, r.out, r.timed_out
//
// A program runs from an argument vector, never through a shell. Waiting for
// an exit is waiting on a pidfd (Linux 5.3+); only where there is none (older
// kernels, macOS) does a wait look again every few milliseconds. Output is read
// with poll on the pipes. Nothing here sleeps to order events.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <sys/types.h>

namespace netlabs::process {

using Clock = std::chrono::steady_clock;

// Standard input: /dev/null, `Spec::input` (written, then closed), a pipe
// the caller writes to (Child::input_fd), or ours.
enum class Input { null, text, pipe, inherit };
// Standard output and error: two pipes, one pipe for both (in write order),
// or ours.
enum class Output { separate, merged, inherit };

// Runs in the child between fork and exec: async-signal-safe calls only
// (setns, unshare, open, write ...). Returns 0, or an errno that makes spawn
// fail with "cannot run 'PROGRAM': WHAT: <strerror>". A hook of several steps
// may point `step` at a string that outlives it (a literal) to name the one
// that failed instead of `what`.
struct PreExec {
    std::string what;  // "setns", named in the error
    std::function<int(const char*& step)> run;
};

struct Spec {
    std::vector<std::string> argv;     // argv[0]: a path, or a name looked up on the child's PATH
    std::string program;               // what to execute instead of looking argv[0] up ("" = look up)
    std::string cwd;                   // "" = ours
    // The environment: ours (or `environment` when set), with `env` added
    // (an entry replaces one of the same name).
    std::optional<std::vector<std::string>> environment;  // "NAME=value" entries
    std::vector<std::pair<std::string, std::string>> env;
    Input stdin_from = Input::null;
    std::string input;                 // with Input::text
    Output output = Output::separate;
    bool own_group = false;            // a process group of its own, killed as a whole
    int parent_death_signal = 0;       // Linux: sent to the child when this thread dies (PR_SET_PDEATHSIG)
    PreExec pre_exec;

    Spec() = default;
    Spec(std::vector<std::string> args) : argv(std::move(args)) {}  // NOLINT: a Spec is its argv first
};

// How a child ended.
struct Exit {
    int code = -1;   // the exit status, -1 when a signal ended it
    int signal = 0;  // the signal that ended it, 0 if none
    // The shell's number: the exit status, or 128 + signal.
    int status() const { return signal != 0 ? 128 + signal : code; }
    // "exit 3", "killed by signal 9 (Killed)".
    std::string describe() const;
};

// spawn() failed: the program is missing, not executable, or the pre-exec
// hook or chdir failed. what(): "cannot run 'lab01-serve': No such file or directory".
class SpawnError : public std::runtime_error {
public:
    SpawnError(const std::string& program, std::string reason, int error)
        : std::runtime_error("cannot run '" + program + "': " + reason), reason_(std::move(reason)), error_(error)
    {
    }
    const std::string& reason() const noexcept { return reason_; }  // "setns: Operation not permitted"
    int error() const noexcept { return error_; }

private:
    std::string reason_;
    int error_;
};

class Child {
public:
    Child() = default;
    // Kills the child (its group, with own_group) if it still runs, and reaps it.
    ~Child();
    Child(Child&& other) noexcept;
    Child& operator=(Child&& other) noexcept;
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    pid_t pid() const { return pid_; }
    bool running() const { return pid_ > 0 && !exit_; }
    const std::optional<Exit>& exit() const { return exit_; }

    // The parent's ends of the pipes, -1 when there is none (or it was closed).
    int input_fd() const { return in_; }
    int output_fd() const { return out_; }  // stdout, or stdout and stderr with Output::merged
    int error_fd() const { return err_; }   // stderr with Output::separate
    // Readable once the child has exited (a pidfd); -1 without pidfd support.
    int exit_fd() const { return pidfd_; }

    // Takes a pipe end: the caller closes it from now on.
    int release_output() { return std::exchange(out_, -1); }
    void close_input();

    // Reads what is ready on the output pipes (and writes what is left of
    // Spec::input), waiting up to `deadline` for something to happen: output,
    // EOF, or (with `wake_on_exit`) the child's exit -- then it returns at
    // once until the child is reaped (try_wait). Calls `sink(false, chunk)`
    // for stdout, `sink(true, chunk)` for stderr. Returns false once both
    // outputs are at EOF and the input is written. Without `wake_on_exit` it
    // touches only the pipes, so one thread may pump while another waits.
    bool pump(Clock::time_point deadline, const std::function<void(bool is_err, std::string_view)>& sink,
              bool wake_on_exit = true);

    // Waits until the child has exited or `deadline`; reaps it and returns
    // how it ended, or nullopt at the deadline (it still runs). With
    // own_group, what it left running in its group is killed before it is reaped.
    std::optional<Exit> wait_until(Clock::time_point deadline);
    std::optional<Exit> try_wait() { return wait_until(Clock::time_point::min()); }
    Exit wait();  // no deadline

    // Sends `signal` to the child (its group, with own_group); nothing once reaped.
    void kill(int signal);

private:
    friend Child spawn(const Spec& spec);
    bool exited_now();  // exited (not yet reaped), without waiting
    void reap();
    void close_all();

    pid_t pid_ = -1;
    int pidfd_ = -1;
    int in_ = -1, out_ = -1, err_ = -1;
    bool group_ = false;
    std::string pending_;  // Spec::input not written yet
    std::size_t written_ = 0;
    std::optional<Exit> exit_;
};

// Starts `spec`. Throws SpawnError when it cannot (nothing is left running),
// std::invalid_argument for an empty argv, std::system_error for pipe/fork.
Child spawn(const Spec& spec);

// What a finished program did.
struct Result {
    Exit exit;
    bool timed_out = false;   // killed (SIGKILL, its group with own_group) at the deadline
    std::string out;          // stdout (and stderr, with Output::merged)
    std::string err;          // stderr, with Output::separate
    std::size_t dropped = 0;  // bytes left out of `out`/`err` beyond the cap
    double seconds = 0;
};

// Runs `spec` to its end: stdout and stderr kept up to `cap` bytes each (the
// first and last halves, with a "... (N bytes left out) ..." line between);
// at `timeout` the child is killed. After it exits, its pipes are read until
// EOF for at most `linger` (something it started may still hold them).
// Throws SpawnError when it cannot start.
Result run(const Spec& spec, std::chrono::milliseconds timeout, std::size_t cap = 1024 * 1024,
           std::chrono::milliseconds linger = std::chrono::seconds(2));

// True once `pid` has ended within `timeout` (a zombie has ended, and so
// has a pid that is not there). Waits on its pidfd; without pidfds (Linux
// before 5.3) looks every 20 ms whether kill(pid, 0) still finds it.
bool wait_gone(pid_t pid, std::chrono::milliseconds timeout);

// The executable `program` names on the search path `path` ("dir:dir"): a
// name holding a '/' is returned as it is; nullopt when none is found.
std::optional<std::string> find_program(const std::string& program, const std::string& path);

} // namespace netlabs::process

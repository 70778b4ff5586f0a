// What a running topology leaves for the other subcommands to find: a state
// file NAME.json in the state directory ($XDG_RUNTIME_DIR/netlabs, or
// /tmp/netlabs-<uid>; mode 0700), holding the PIDs of its supervisor, init and
// hosts together with their start times (/proc/PID/stat field 22), so that a
// reused PID is never mistaken for ours.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace netlabs::netlab {

// A process as recorded: its PID in the caller's (outer) PID namespace and
// its start time in clock ticks since boot.
struct ProcessId {
    pid_t pid = -1;
    std::uint64_t start = 0;
    bool alive() const;  // the same process is still running (not a zombie)
};

// Field 22 of /proc/PID/stat; nullopt when there is no such process or it is a zombie.
std::optional<std::uint64_t> start_time(pid_t pid);
ProcessId process_id(pid_t pid);  // start time read now (0 if gone)

// Waits up to `timeout` for `p` to exit (any process, not only a child: on a
// pidfd, or by looking at /proc on kernels without one); true when it did.
bool wait_gone(const ProcessId& p, std::chrono::milliseconds timeout);

struct HostState {
    std::string name;
    ProcessId process;
    pid_t inner_pid = -1;                 // its PID inside the topology's PID namespace
    std::vector<std::string> interfaces;  // "eth0 home 192.168.99.10/24"
    std::vector<std::string> addresses;   // "192.168.99.10/24"
};

struct State {
    std::string name;      // the instance name
    std::string lab;       // "lab02", or the topology file's name
    std::string topology;  // the topology file
    bool rootless = false; // the supervisor made its own user namespace
    bool starting = false; // claimed but not up yet
    ProcessId supervisor;
    ProcessId init;
    std::vector<HostState> hosts;

    const HostState* find_host(const std::string& host) const;
    std::string host_names() const;  // "router, desktop, laptop"
};

std::string to_json(const State& state);
State from_json(const std::string& text);  // throws std::runtime_error

// The state directory of this user, created (0700) if missing. Throws when
// it cannot be made or is not ours.
class StateDir {
public:
    static StateDir open();
    StateDir(StateDir&&) noexcept;
    StateDir& operator=(StateDir&&) = delete;
    ~StateDir();

    const std::string& path() const { return path_; }
    int fd() const { return fd_; }  // an O_DIRECTORY descriptor: valid after mounts change
    std::string file(const std::string& name) const { return path_ + "/" + name + ".json"; }

    // Reads NAME's state; nullopt when there is none. A stale file (its
    // supervisor gone) is removed and nullopt returned.
    std::optional<State> load(const std::string& name) const;
    // Every live instance; removes stale files.
    std::vector<State> list() const;

    // Creates NAME.json exclusively with `state` (a claim); false if it exists.
    bool claim(const State& state) const;
    void write(const State& state) const;  // replaces NAME.json atomically
    void remove(const std::string& name) const;

private:
    StateDir(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
    std::optional<State> read(const std::string& name) const;
    std::string path_;
    int fd_ = -1;
};

// Instance names: [a-z0-9-]{1,32}; "2" and "02" mean "lab02". Throws UsageError.
std::string normalize_name(const std::string& name);

} // namespace netlabs::netlab

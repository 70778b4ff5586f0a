// The commands that build a topology: real `ip` and `nft` runs from argument
// vectors (netlabs::process, never a shell), and sysctl writes, each in the
// network namespace of the supervisor or of one host.
//
//   Command::program({"ip", "addr", "add", "192.168.99.10/24", "dev", "eth0"})
//   Command::sysctl("net.ipv4.ip_forward", "1")   shown as: sysctl -w net.ipv4.ip_forward=1
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "netlabs/process.hpp"

namespace netlabs::netlab {

struct Command {
    std::vector<std::string> argv;  // a program run; argv[0] is looked up by find_tool
    std::string key, value;         // or, with argv empty, a sysctl to write

    static Command program(std::vector<std::string> argv) { return Command{std::move(argv), {}, {}}; }
    static Command sysctl(std::string key, std::string value) { return Command{{}, std::move(key), std::move(value)}; }

    // As a learner would type it: "ip link set eth0 up",
    // "sysctl -w net.ipv4.ping_group_range='0 2147483647'".
    std::string display() const;
};

// Finds an administration tool (ip, nft) on PATH or in /usr/sbin, /sbin,
// /usr/bin, /bin; nullopt when missing.
std::optional<std::string> find_tool(const std::string& name);

// The Debian package of a tool the labs run on their hosts (ip: "iproute2",
// arping: "iputils-arping"); empty for any other program.
std::string tool_package(const std::string& name);

// The line a missing tool deserves: "ip not found: install iproute2 (./netlabs setup)".
std::string missing_tool(const std::string& name);

// The pre-exec hook that moves a child into the network namespace `netns_fd`
// (setns); no hook for -1 (this one).
process::PreExec enter_netns(int netns_fd);

// Runs the tool `command.argv` (ip, nft) to its end in the network namespace
// `netns_fd` (-1: this one). Returns "" on success, otherwise what went
// wrong (the tool's own first line of output, or why it could not run), on one line.
std::string run_tool(const Command& command, int netns_fd);

// Writes a sysctl in the network namespace `netns_fd` from this process
// (setns there and back to `home_fd`; single-threaded only). Returns "" or why not.
std::string write_sysctl(const Command& command, int netns_fd, int home_fd);

// Several `ip` commands run as one `ip -batch -` in `netns_fd`: the same
// commands, one process (each `ip` start costs more than its work). Start them
// with start_ip_batch and collect the outcome with finish_ip_batch, so that
// the batches of several hosts run at the same time.
struct IpBatch {
    std::vector<Command> commands;
    std::optional<process::Child> ip = std::nullopt;  // while it runs
    std::string failed = {};                          // why it could not start
};
void start_ip_batch(IpBatch& batch, int netns_fd);
// "" on success, else "<the failed command>: <what ip said>".
std::string finish_ip_batch(IpBatch& batch);

} // namespace netlabs::netlab

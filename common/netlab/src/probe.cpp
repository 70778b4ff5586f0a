#include "netlabs/netlab/probe.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <string_view>

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include "netlabs/netlab/command.hpp"
#include "netlabs/netlab/namespaces.hpp"
#include "netlabs/process.hpp"

namespace netlabs::netlab {
namespace {

// In the child, before exec: async-signal-safe only. Writes `text` to `path`.
int write_proc(const char* path, std::string_view text)
{
    const int fd = ::open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return errno;
    const ssize_t n = ::write(fd, text.data(), text.size());
    const int error = n == static_cast<ssize_t>(text.size()) ? 0 : n < 0 ? errno : EIO;
    ::close(fd);
    return error;
}

// What the probe found: "" when the veth pair was made, otherwise
// "<stage> <what failed>" with stage u (user namespace), n (network
// namespace) or l (the link). `ip link add` runs in a user namespace (when
// not root) and a network namespace of its own, made by its pre-exec hook;
// they go, with the veth pair, when it exits.
std::string try_in_child(bool rootless)
{
    const std::string uid_map = "0 " + std::to_string(::geteuid()) + " 1";
    const std::string gid_map = "0 " + std::to_string(::getegid()) + " 1";
    const Command link = Command::program({"ip", "link", "add", "nlprobe0", "type", "veth", "peer", "name", "nlprobe1"});
    process::Spec spec(link.argv);
    spec.program = find_tool("ip").value_or("ip");
    spec.output = process::Output::merged;
    spec.parent_death_signal = SIGKILL;
    spec.pre_exec = {"unshare", [&](const char*& step) {
                         if (rootless) {
                             step = "unshare(CLONE_NEWUSER)";
                             if (::unshare(CLONE_NEWUSER) != 0) return errno;
                             step = "write /proc/self/setgroups";
                             if (const int e = write_proc("/proc/self/setgroups", "deny")) return e;
                             step = "write /proc/self/uid_map";
                             if (const int e = write_proc("/proc/self/uid_map", uid_map)) return e;
                             step = "write /proc/self/gid_map";
                             if (const int e = write_proc("/proc/self/gid_map", gid_map)) return e;
                         }
                         step = "unshare(CLONE_NEWNET)";
                         return ::unshare(CLONE_NEWNET) == 0 ? 0 : errno;
                     }};
    try {
        const auto r = process::run(spec, std::chrono::seconds(30));
        if (r.exit.status() == 0) return {};
        std::string said = r.out.substr(0, r.out.find('\n'));
        if (said.empty()) said = r.timed_out ? "no answer within 30 s" : r.exit.describe();
        return "l " + link.display() + ": " + said;
    } catch (const process::SpawnError& e) {
        const bool user = e.reason().find("CLONE_NEWNET") == std::string::npos;
        return std::string(user && rootless ? "u " : "n ") + e.reason();
    }
}

} // namespace

ProbeResult probe()
{
    ProbeResult r;
    r.rootless = ::geteuid() != 0;
    if (!find_tool("ip")) {
        r.line = "netlab: unavailable: " + missing_tool("ip");
        return r;
    }
    const std::string found = try_in_child(r.rootless);
    if (found.empty()) {
        r.available = true;
        r.line = std::string("netlab: available (") + (r.rootless ? "rootless" : "root") + ")";
        return r;
    }
    const char stage = found[0];
    const std::string what = found.substr(2);
    if (stage == 'l' && what.find("Operation not supported") != std::string::npos) {
        r.line = "netlab: unavailable: " + what + ": the kernel lacks veth support (as root: modprobe veth)";
    } else if (stage == 'l' && what.find("not found") != std::string::npos) {
        r.line = "netlab: unavailable: " + what;
    } else {
        r.line = "netlab: unavailable: " + explain_refusal(what, r.rootless);
    }
    return r;
}

} // namespace netlabs::netlab

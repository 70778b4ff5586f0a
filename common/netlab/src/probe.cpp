#include "netlabs/netlab/probe.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>

#include <fcntl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "netlabs/netlab/command.hpp"
#include "netlabs/netlab/namespaces.hpp"

namespace netlabs::netlab {
namespace {

// What the child found: "" when the veth pair was made, otherwise
// "<stage> <what failed>" with stage u (user namespace), n (network
// namespace) or l (the link).
std::string try_in_child(bool rootless)
{
    int report[2];
    if (::pipe2(report, O_CLOEXEC) != 0) return std::string("n pipe: ") + std::strerror(errno);
    const uid_t uid = ::geteuid();
    const gid_t gid = ::getegid();
    const pid_t pid = ::fork();
    if (pid < 0) return std::string("n fork: ") + std::strerror(errno);
    if (pid == 0) {
        ::close(report[0]);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        std::string result;
        if (rootless) {
            if (auto e = enter_new_user_namespace(uid, gid); !e.empty()) result = "u " + e;
        }
        if (result.empty() && ::unshare(CLONE_NEWNET) != 0)
            result = std::string("n unshare(CLONE_NEWNET): ") + std::strerror(errno);
        if (result.empty()) {
            const auto e = run_command(
                Command::program({"ip", "link", "add", "nlprobe0", "type", "veth", "peer", "name", "nlprobe1"}), -1);
            if (!e.empty()) result = "l ip link add nlprobe0 type veth peer name nlprobe1: " + e;
        }
        (void)!::write(report[1], result.data(), result.size());
        ::_exit(0);  // the namespaces and the veth pair go with this process
    }
    ::close(report[1]);
    std::string result;
    char buf[512];
    ssize_t n;
    while ((n = ::read(report[0], buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        result.append(buf, static_cast<std::size_t>(n));
    }
    ::close(report[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return "n the probe process died (status " + std::to_string(status) + ")";
    return result;
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

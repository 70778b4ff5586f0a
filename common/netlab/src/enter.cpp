#include "netlabs/netlab/enter.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <optional>
#include <stdexcept>

#include <fcntl.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <limits.h>
#include <sched.h>
#include <unistd.h>

#include "netlabs/errors.hpp"
#include "netlabs/netlab/command.hpp"
#include "netlabs/netlab/namespaces.hpp"
#include "netlabs/netlab/state.hpp"
#include "netlabs/process.hpp"

extern char** environ;

namespace netlabs::netlab {
namespace {

volatile sig_atomic_t g_child = -1;

void forward(int sig)
{
    if (g_child > 0) ::kill(static_cast<pid_t>(g_child), sig);
}

int open_ns(pid_t pid, const char* kind, const std::string& what)
{
    const std::string path = "/proc/" + std::to_string(pid) + "/ns/" + kind;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error("cannot open " + path + " (" + what + "): " + std::strerror(errno));
    return fd;
}

void join(int fd, int type, const char* kind, const std::string& where)
{
    if (::setns(fd, type) != 0)
        throw std::runtime_error("cannot enter " + where + ": setns(" + kind + "): " + std::strerror(errno));
    ::close(fd);
}

std::string without_prefix(const std::string& address)
{
    return address.substr(0, address.find('/'));
}

} // namespace

std::string bin_dir()
{
    if (const char* bin = std::getenv("NETLABS_BIN"); bin && *bin) return bin;
    char exe[PATH_MAX];
    const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return {};
    const std::string path(exe, static_cast<std::size_t>(n));
    return path.substr(0, path.rfind('/'));
}

void enter(const EnterOptions& o)
{
    const StateDir dir = StateDir::open();
    const auto state = dir.load(o.name);
    if (!state)
        throw std::runtime_error("netlab " + o.name + " is not up (start it with './netlabs net up " + o.name +
                                 "'; './netlabs net list' shows what is up)");
    if (state->starting) throw std::runtime_error("netlab " + o.name + " is still starting: try again in a moment");
    const HostState* host = state->find_host(o.host);
    if (!host)
        throw UsageError("netlab " + o.name + " has no host '" + o.host + "': its hosts are " + state->host_names());
    const std::string where = "host " + o.host + " of netlab " + o.name;

    // Open every namespace first, then check that the PIDs still are ours.
    const int user = state->rootless ? open_ns(state->supervisor.pid, "user", "the supervisor") : -1;
    const int mnt = open_ns(state->init.pid, "mnt", "init");
    const int pid_ns = open_ns(state->init.pid, "pid", "init");
    const int net = open_ns(host->process.pid, "net", where);
    if (!state->supervisor.alive() || !state->init.alive() || !host->process.alive())
        throw std::runtime_error(where + " is gone (the topology is going down?)");

    // The program's environment: the course's programs first on PATH.
    std::string path = bin_dir();
    if (const char* old = std::getenv("PATH"); old && *old) path += std::string(":") + old;
    else path += ":/usr/local/bin:/usr/bin:/bin";
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e) {
        const std::string entry = *e;
        if (entry.starts_with("PATH=") || entry.starts_with("NETLAB_HOST=") || entry.starts_with("NETLAB_NAME=") ||
            (o.argv.empty() && entry.starts_with("PS1=")))
            continue;
        env.push_back(entry);
    }
    env.push_back("PATH=" + path);
    env.push_back("NETLAB_HOST=" + o.host);
    env.push_back("NETLAB_NAME=" + o.name);

    std::vector<std::string> argv = o.argv;
    std::vector<std::string> fallback;
    if (argv.empty()) {
        env.push_back("PS1=[" + o.name + " " + o.host + "] \\w\\$ ");
        argv = {"bash", "--norc", "-i"};
        fallback = {"sh", "-i"};
    }
    char cwd[PATH_MAX];
    const bool have_cwd = ::getcwd(cwd, sizeof cwd) != nullptr;

    // setns(2): a user namespace first (it gives the rights for the others),
    // and only while single-threaded.
    if (user >= 0) join(user, CLONE_NEWUSER, "user", where);
    join(mnt, CLONE_NEWNS, "mnt", where);
    join(pid_ns, CLONE_NEWPID, "pid", where);
    join(net, CLONE_NEWNET, "net", where);
    if (!have_cwd || ::chdir(cwd) != 0) (void)!::chdir("/");

    if (o.argv.empty()) {
        std::string addresses;
        for (const auto& a : host->addresses) addresses += (addresses.empty() ? "" : ", ") + without_prefix(a);
        std::cout << "You are on host " << o.host << " (" << addresses << ") of netlab " << o.name
                  << ". Type exit to leave." << std::endl;
    }
    std::cout.flush();
    std::cerr.flush();

    // Forked after the setns calls, so that it lands in the topology's PID namespace.
    run_and_exit(argv, env, fallback, " on host " + o.host);
}

void run_and_exit(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                  const std::vector<std::string>& fallback, const std::string& where)
{
    // The program: looked up on its PATH, standard streams ours, killed if
    // this process dies.
    process::Spec spec(argv);
    if (!env.empty()) spec.environment = env;
    spec.stdin_from = process::Input::inherit;
    spec.output = process::Output::inherit;
    spec.parent_death_signal = SIGKILL;
    std::optional<process::Child> child;
    try {
        try {
            child = process::spawn(spec);
        } catch (const process::SpawnError& e) {
            if (fallback.empty() || e.error() != ENOENT) throw;
            spec.argv = fallback;
            child = process::spawn(spec);
        }
    } catch (const process::SpawnError& e) {
        const bool tool = e.error() == ENOENT && !tool_package(argv[0]).empty();
        std::cerr << "netlabs-net: cannot run '" << argv[0] << "'" << where << ": "
                  << (tool ? missing_tool(argv[0]) : std::strerror(e.error())) << std::endl;
        exit_now(e.error() == ENOENT ? 127 : 126);
    }
    g_child = child->pid();
    struct sigaction sa {};
    sa.sa_handler = forward;
    sigemptyset(&sa.sa_mask);
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) ::sigaction(sig, &sa, nullptr);
    exit_now(child->wait().status());
}

[[noreturn]] void isolate(const std::vector<std::string>& argv)
{
    // As an ordinary user, a user namespace first: it gives the rights to
    // make a network namespace. Single-threaded here, as unshare requires.
    const bool rootless = ::geteuid() != 0;
    if (rootless) {
        const std::string failed = enter_new_user_namespace(::geteuid(), ::getegid());
        if (!failed.empty())
            throw std::runtime_error("netlab: unavailable: " + explain_refusal(failed, true));
    }
    if (::unshare(CLONE_NEWNET) != 0)
        throw std::runtime_error("netlab: unavailable: " +
                                 explain_refusal(std::string("unshare(CLONE_NEWNET): ") + std::strerror(errno), rootless));
    // A new network namespace has only lo, and it is down: bring it up, as
    // `ip link set lo up` would (SIOCSIFFLAGS), so that 127.0.0.1 works.
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ifreq lo{};
    std::strncpy(lo.ifr_name, "lo", IFNAMSIZ - 1);
    const bool up = fd >= 0 && ::ioctl(fd, SIOCGIFFLAGS, &lo) == 0 &&
                    (lo.ifr_flags |= IFF_UP, ::ioctl(fd, SIOCSIFFLAGS, &lo) == 0);
    const int err = errno;
    if (fd >= 0) ::close(fd);
    if (!up) throw std::runtime_error(std::string("cannot bring lo up in the new network namespace: ") + std::strerror(err));
    run_and_exit(argv, {}, {}, " in an isolated network namespace");
}

} // namespace netlabs::netlab

#include "netlabs/netlab/supervisor.hpp"

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <sstream>
#include <stdexcept>

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "netlabs/netlab/command.hpp"
#include "netlabs/netlab/namespaces.hpp"
#include "netlabs/netlab/state.hpp"

namespace netlabs::netlab {
namespace {

std::string errno_text() { return std::strerror(errno); }

// --- the processes of a topology ------------------------------------------------

// True when the supervisor died before this child could ask to die with it:
// the lifeline's write end is held only by the supervisor (and briefly by
// siblings that close it at once), so POLLHUP means it is gone.
bool supervisor_gone(int lifeline)
{
    pollfd p{lifeline, POLLIN, 0};
    return ::poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLIN)) != 0;
}

// Standard streams to /dev/null and every other descriptor closed but `keep`.
void quiet_descriptors(int keep1, int keep2 = -1)
{
    const int devnull = ::open("/dev/null", O_RDWR);
    if (devnull >= 0) {
        for (int fd = 0; fd < 3; ++fd) ::dup2(devnull, fd);
    }
    const long max = ::sysconf(_SC_OPEN_MAX);
    for (int fd = 3; fd < (max > 0 && max < 65536 ? max : 65536); ++fd)
        if (fd != keep1 && fd != keep2) ::close(fd);
}

// PID 1 of the topology's PID namespace: reaps whatever is orphaned there.
// When it dies, the kernel kills every process of the namespace.
//
// It also gives the topology a /proc of its own (in a mount namespace of its
// own, which `exec` joins): programs on a host then see their own PIDs there,
// as `ps` and the sanitizers expect. It reports 0 or an errno on `report`.
[[noreturn]] void init_main(int lifeline, int report)
{
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (supervisor_gone(lifeline)) ::_exit(0);
    ::prctl(PR_SET_NAME, "netlab-init");
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_SETMASK, &all, nullptr);
    std::int32_t result = 0;
    if (::unshare(CLONE_NEWNS) != 0 ||
        ::mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0)
        result = errno;
    (void)!::write(report, &result, sizeof result);
    quiet_descriptors(-1);
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    for (;;) {
        int sig = 0;
        sigwait(&chld, &sig);
        while (::waitpid(-1, nullptr, WNOHANG) > 0) {
        }
    }
}

// A host: a process that holds a network namespace and waits to be killed.
// It reports its PID inside the PID namespace, or -errno, on `report`.
[[noreturn]] void host_main(int report, int lifeline, const char* name)
{
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (supervisor_gone(lifeline)) ::_exit(0);
    ::prctl(PR_SET_NAME, name);
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_SETMASK, &all, nullptr);  // only SIGKILL ends a host
    std::int32_t message = ::unshare(CLONE_NEWNET) == 0 ? ::getpid() : -errno;
    (void)!::write(report, &message, sizeof message);
    quiet_descriptors(-1);
    for (;;) ::pause();
}

struct RunningHost {
    const Host* host = nullptr;
    pid_t pid = -1;    // in our (outer) PID namespace
    pid_t inner = -1;  // in the topology's
    int netns = -1;    // /proc/PID/ns/net
};

// What exists of a topology; destroying it kills and reaps everything and
// removes the state file.
struct Running {
    const StateDir& dir;
    std::string name;
    pid_t init = -1;
    std::vector<RunningHost> hosts;
    bool claimed = false;

    Running(const StateDir& d, std::string n) : dir(d), name(std::move(n)) {}
    Running(const Running&) = delete;
    Running& operator=(const Running&) = delete;
    ~Running() { teardown(); }

    void teardown()
    {
        // Killing init kills every process of the PID namespace; the hosts
        // are killed by name too, for the ones forked before init was up.
        if (init > 0) ::kill(init, SIGKILL);
        for (const auto& h : hosts)
            if (h.pid > 0) ::kill(h.pid, SIGKILL);
        for (auto& h : hosts) {
            if (h.pid > 0) ::waitpid(h.pid, nullptr, 0);
            if (h.netns >= 0) ::close(h.netns);
            h.pid = -1;
            h.netns = -1;
        }
        if (init > 0) ::waitpid(init, nullptr, 0);
        init = -1;
        if (claimed) dir.remove(name);
        claimed = false;
    }
};

// --- building ---------------------------------------------------------------------

// The commands of a topology, by namespace: the supervisor's own ("netlab":
// bridges and the bridge ends of the veths), then each host's `ip` commands,
// then each host's sysctls and nftables file.
struct Plan {
    std::vector<Command> netlab;
    std::vector<std::vector<Command>> host_ip;
    std::vector<std::vector<Command>> host_after;
};

Plan make_plan(const Topology& topology, const std::vector<RunningHost>& hosts, bool rootless)
{
    Plan plan;
    auto in_netlab = [&](std::vector<std::string> argv) { plan.netlab.push_back(Command::program(std::move(argv))); };
    in_netlab({"ip", "link", "set", "lo", "up"});
    for (const auto& net : topology.networks) {
        in_netlab({"ip", "link", "add", net.bridge(), "type", "bridge"});
        in_netlab({"ip", "link", "set", net.bridge(), "up"});
    }
    for (const auto& h : hosts)
        for (const auto& iface : h.host->interfaces) {
            // Created here, the host's end moved at once into the host (by
            // its PID in the topology's PID namespace, where `ip` runs).
            in_netlab({"ip", "link", "add", iface.outer, "type", "veth", "peer", "name", iface.name, "netns",
                       std::to_string(h.inner)});
            in_netlab({"ip", "link", "set", iface.outer, "master", "br-" + iface.network});
            in_netlab({"ip", "link", "set", iface.outer, "up"});
        }
    for (const auto& h : hosts) {
        auto& ip = plan.host_ip.emplace_back();
        auto& after = plan.host_after.emplace_back();
        ip.push_back(Command::program({"ip", "link", "set", "lo", "up"}));
        for (const auto& iface : h.host->interfaces) {
            ip.push_back(Command::program({"ip", "addr", "add", iface.address_text(), "brd", "+", "dev", iface.name}));
            ip.push_back(Command::program({"ip", "link", "set", iface.name, "up"}));
        }
        if (h.host->gateway)
            ip.push_back(Command::program({"ip", "route", "add", "default", "via", h.host->gateway->to_string()}));
        // Unprivileged ICMP sockets (ping without root) for every group the
        // host's processes can have: only gid 0 exists in a rootless topology.
        after.push_back(Command::sysctl("net.ipv4.ping_group_range", rootless ? "0 0" : "0 2147483647"));
        if (h.host->forward) after.push_back(Command::sysctl("net.ipv4.ip_forward", "1"));
        if (!h.host->nft.empty()) after.push_back(Command::program({"nft", "-f", h.host->nft.string()}));
    }
    return plan;
}

// Runs the plan. Every command is printed first with --verbose; the `ip`
// commands of one namespace go to one `ip -batch -`, the hosts' batches run
// at the same time. Throws with "[host] command: what it said".
void build(const UpOptions& o, const std::vector<RunningHost>& hosts, bool rootless)
{
    const Plan plan = make_plan(o.topology, hosts, rootless);
    auto show = [&](const std::string& where, const Command& c) {
        if (o.verbose) std::cout << "[" << where << "] " << c.display() << '\n';
    };
    auto fail = [&](const std::string& where, const std::string& what) {
        throw std::runtime_error("[" + where + "] " + what + " (netlab " + o.name + " was not started)");
    };

    IpBatch netlab{plan.netlab};
    for (const auto& c : netlab.commands) show("netlab", c);
    std::cout << std::flush;
    start_ip_batch(netlab, -1);
    if (auto e = finish_ip_batch(netlab); !e.empty()) fail("netlab", e);

    std::vector<IpBatch> batches;
    for (std::size_t i = 0; i < hosts.size(); ++i) {
        batches.push_back(IpBatch{plan.host_ip[i]});
        for (const auto& c : plan.host_ip[i]) show(hosts[i].host->name, c);
        for (const auto& c : plan.host_after[i]) show(hosts[i].host->name, c);
    }
    std::cout << std::flush;
    for (std::size_t i = 0; i < hosts.size(); ++i) start_ip_batch(batches[i], hosts[i].netns);
    std::string first_failure, where;
    for (std::size_t i = 0; i < hosts.size(); ++i)
        if (auto e = finish_ip_batch(batches[i]); !e.empty() && first_failure.empty()) {
            first_failure = e;
            where = hosts[i].host->name;
        }
    if (!first_failure.empty()) fail(where, first_failure);

    const int home = ::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    if (home < 0) fail("netlab", std::string("open /proc/self/ns/net: ") + errno_text());
    for (std::size_t i = 0; i < hosts.size(); ++i)
        for (const auto& c : plan.host_after[i]) {
            if (!c.argv.empty() && !find_tool(c.argv[0])) fail(hosts[i].host->name, missing_tool(c.argv[0]));
            const std::string e = c.argv.empty() ? write_sysctl(c, hosts[i].netns, home) : run_tool(c, hosts[i].netns);
            if (!e.empty()) {
                ::close(home);
                fail(hosts[i].host->name, c.display() + ": " + e);
            }
        }
    ::close(home);
}

std::string already_up(const State& s)
{
    return "netlab " + s.name + " is already up (supervisor PID " + std::to_string(s.supervisor.pid) +
           "): stop it with './netlabs net down " + s.name + "', or choose another --name";
}

void send_report(int fd, const std::string& text)
{
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        done += static_cast<std::size_t>(n);
    }
}

// The supervisor itself. `report` (detached) gets "U<ready text>" or
// "F<reason>"; -1 in the foreground.
int supervise(const UpOptions& o, const StateDir& dir, int report)
{
    ::signal(SIGPIPE, SIG_IGN);
    sigset_t waited;
    sigemptyset(&waited);
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGCHLD}) sigaddset(&waited, sig);
    sigprocmask(SIG_BLOCK, &waited, nullptr);

    const uid_t uid = ::geteuid();
    const gid_t gid = ::getegid();
    const bool rootless = uid != 0;

    State state;
    state.name = o.name;
    state.lab = o.lab;
    state.topology = o.topology_file;
    state.rootless = rootless;
    state.starting = true;
    state.supervisor = process_id(::getpid());
    if (!dir.claim(state)) {
        if (auto other = dir.load(o.name)) throw std::runtime_error(already_up(*other));
        if (!dir.claim(state)) throw std::runtime_error("netlab " + o.name + " is being started by another process");
    }
    Running running(dir, o.name);
    running.claimed = true;

    int log = -1;
    if (report >= 0) {
        log = ::openat(dir.fd(), (o.name + ".log").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (log < 0) throw std::runtime_error("cannot write " + dir.path() + "/" + o.name + ".log: " + errno_text());
    }

    // The namespaces: a user namespace of our own when not root, then network
    // (the topology's outer one, with no route out), mount (for a private
    // /run) and PID (so that everything started inside dies with init).
    if (rootless) {
        if (auto e = enter_new_user_namespace(uid, gid); !e.empty())
            throw std::runtime_error("cannot make a user namespace: " + explain_refusal(e, true));
    }
    if (::unshare(CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWPID) != 0)
        throw std::runtime_error("cannot make the namespaces: " +
                                 explain_refusal(std::string("unshare: ") + errno_text(), rootless));
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
        throw std::runtime_error(std::string("mount --make-rprivate /: ") + errno_text());
    if (::mount("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") != 0)
        throw std::runtime_error(std::string("mount tmpfs on /run: ") + errno_text());

    int lifeline[2], init_report[2];
    if (::pipe2(lifeline, O_CLOEXEC) != 0 || ::pipe2(init_report, O_CLOEXEC) != 0)
        throw std::runtime_error("pipe: " + errno_text());
    if (o.verbose) std::cout << "[init] mount -t proc proc /proc" << std::endl;
    running.init = ::fork();
    if (running.init < 0) throw std::runtime_error("fork: " + errno_text());
    if (running.init == 0) {
        ::close(lifeline[1]);
        ::close(init_report[0]);
        init_main(lifeline[0], init_report[1]);
    }
    ::close(init_report[1]);

    std::vector<int> reports;
    for (const auto& host : o.topology.hosts) {
        int pipe[2];
        if (::pipe2(pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe: " + errno_text());
        const pid_t pid = ::fork();
        if (pid < 0) throw std::runtime_error("fork: " + errno_text());
        if (pid == 0) {
            ::close(lifeline[1]);
            ::close(pipe[0]);
            host_main(pipe[1], lifeline[0], host.name.c_str());
        }
        ::close(pipe[1]);
        reports.push_back(pipe[0]);
        running.hosts.push_back(RunningHost{&host, pid, -1, -1});
    }
    ::close(lifeline[0]);  // the write end stays open until this process ends
    {
        std::int32_t result = -1;
        ssize_t n;
        while ((n = ::read(init_report[0], &result, sizeof result)) < 0 && errno == EINTR) {
        }
        ::close(init_report[0]);
        if (n != sizeof result) throw std::runtime_error("init of the topology died while starting");
        // Not fatal: without it `ps` on a host shows this machine's PIDs.
        if (result != 0)
            std::cerr << "netlab " << o.name << ": warning: [init] mount -t proc proc /proc: " << std::strerror(result)
                      << " (programs on the hosts see this machine's /proc)" << std::endl;
    }
    for (std::size_t i = 0; i < running.hosts.size(); ++i) {
        auto& h = running.hosts[i];
        std::int32_t message = 0;
        ssize_t n;
        while ((n = ::read(reports[i], &message, sizeof message)) < 0 && errno == EINTR) {
        }
        ::close(reports[i]);
        if (n != sizeof message || message <= 0)
            throw std::runtime_error("host " + h.host->name + ": unshare(CLONE_NEWNET): " +
                                     (n == sizeof message ? std::strerror(-message) : "the host process died"));
        h.inner = message;
        h.netns = ::open(("/proc/" + std::to_string(h.pid) + "/ns/net").c_str(), O_RDONLY | O_CLOEXEC);
        if (h.netns < 0) throw std::runtime_error("host " + h.host->name + ": open /proc/PID/ns/net: " + errno_text());
    }

    build(o, running.hosts, rootless);

    state.starting = false;
    state.init = process_id(running.init);
    for (const auto& h : running.hosts) {
        HostState hs;
        hs.name = h.host->name;
        hs.process = process_id(h.pid);
        hs.inner_pid = h.inner;
        for (const auto& iface : h.host->interfaces) {
            hs.interfaces.push_back(iface.name + " " + iface.network + " " + iface.address_text());
            hs.addresses.push_back(iface.address_text());
        }
        state.hosts.push_back(std::move(hs));
    }
    dir.write(state);

    const std::string ready = describe_up(o);
    if (report >= 0) {
        send_report(report, "U" + ready);
        ::close(report);
        ::dup2(log, 1);
        ::dup2(log, 2);
        ::close(log);
    }
    std::cout << ready << std::flush;

    int code = 0;
    for (;;) {
        siginfo_t info{};
        const int sig = sigwaitinfo(&waited, &info);
        if (sig < 0) continue;
        if (sig != SIGCHLD) break;
        // A host or init died: the topology is broken, so it goes.
        pid_t dead;
        std::string who;
        while ((dead = ::waitpid(-1, nullptr, WNOHANG)) > 0) {
            if (dead == running.init) {
                running.init = -1;
                who = "init";
            }
            for (auto& h : running.hosts)
                if (h.pid == dead) {
                    h.pid = -1;
                    who = "host " + h.host->name;
                }
        }
        if (!who.empty()) {
            std::cerr << "netlab " << o.name << ": " << who << " died unexpectedly; taking the topology down\n";
            code = 1;
            break;
        }
    }
    running.teardown();
    std::cout << "netlab " << o.name << " is down" << std::endl;
    if (report >= 0 && code == 0) ::unlinkat(dir.fd(), (o.name + ".log").c_str(), 0);  // kept when it failed
    return code;
}

} // namespace

std::string describe_up(const UpOptions& o)
{
    std::ostringstream out;
    out << "netlab " << o.name << " is up\n";
    std::size_t width = 4;
    for (const auto& h : o.topology.hosts) width = std::max(width, h.name.size());
    auto pad = [](std::string text, std::size_t w) {
        text.resize(std::max(text.size(), w), ' ');
        return text;
    };
    out << "  " << pad("host", width) << "  addresses\n";
    for (const auto& h : o.topology.hosts) {
        std::string addresses;
        for (const auto& iface : h.interfaces)
            addresses += (addresses.empty() ? "" : ", ") + iface.name + " " + iface.address_text() + " (" +
                         iface.network + ")";
        if (h.gateway) addresses += ", gateway " + h.gateway->to_string();
        if (h.forward) addresses += ", forwarding";
        if (!h.nft.empty()) addresses += ", nftables " + h.nft.filename().string();
        out << "  " << pad(h.name, width) << "  " << addresses << "\n";
    }
    const std::string& first = o.topology.hosts.front().name;
    out << "enter a host:  ./netlabs net shell " << o.name << " " << first << "\n"
        << "run on a host: ./netlabs net exec " << o.name << " " << first << " -- COMMAND...\n"
        << "stop it:       ./netlabs net down " << o.name << (o.detach ? "" : "   (or Ctrl-C here)") << "\n";
    return out.str();
}

int up(const UpOptions& o)
{
    StateDir dir = StateDir::open();
    if (auto other = dir.load(o.name)) throw std::runtime_error(already_up(*other));

    if (!o.detach) {
        // In the foreground the topology lives as long as whoever started it.
        const pid_t parent = ::getppid();
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent) return 1;
        return supervise(o, dir, -1);
    }

    int report[2];
    if (::pipe2(report, O_CLOEXEC) != 0) throw std::runtime_error("pipe: " + errno_text());
    std::cout.flush();
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork: " + errno_text());
    if (pid == 0) {
        ::close(report[0]);
        ::setsid();
        const int devnull = ::open("/dev/null", O_RDONLY);
        if (devnull >= 0) ::dup2(devnull, 0);
        int code = 1;
        try {
            code = supervise(o, dir, report[1]);
        } catch (const std::exception& e) {
            // Not up: `up` prints the reason, so no log is kept.
            send_report(report[1], std::string("F") + e.what());
            // (Unless the name belongs to another running instance: its log.)
            if (!dir.load(o.name)) ::unlinkat(dir.fd(), (o.name + ".log").c_str(), 0);
        }
        exit_now(code);
    }
    ::close(report[1]);
    std::string message;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(report[0], buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        message.append(buf, static_cast<std::size_t>(n));
    }
    ::close(report[0]);
    if (!message.empty() && message[0] == 'U') {
        std::cout << message.substr(1) << std::flush;
        return 0;
    }
    if (!message.empty() && message[0] == 'F') throw std::runtime_error(message.substr(1));
    throw std::runtime_error("the supervisor of netlab " + o.name + " stopped before it was up (see " + dir.path() +
                             "/" + o.name + ".log)");
}

} // namespace netlabs::netlab

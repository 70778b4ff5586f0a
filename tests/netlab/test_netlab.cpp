// The virtual network, end to end: netlabs-net up/exec/down on real network
// namespaces. Every test first asks `netlabs-net probe` and is SKIPPED (not
// passed) where the machine cannot make namespaces. Every topology gets its
// own --name, so that parallel ctest runs never collide.
//
// Safety: traffic goes only between hosts of a topology, inside its outer
// namespace, which has no route out (checked before anything is sent to an
// address outside the topology).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include "catch.hpp"
#include "paths.hpp"

#include "netlabs/netlab/command.hpp"
#include "netlabs/netlab/state.hpp"
#include "netlabs/testing/process.hpp"

using namespace std::chrono_literals;
using netlabs::netlab::ProcessId;
using netlabs::netlab::StateDir;
using netlabs::testing::Process;
using netlabs::testing::Result;
using netlabs::testing::run;

namespace {

namespace fs = std::filesystem;

const std::string bin_dir = netlabs::test::bin_dir();
const fs::path source_dir = netlabs::test::source_dir();
const std::string lab02_file = (source_dir / "lab02-lan" / "topology.txt").string();
const std::string smoke_file = (source_dir / "tests" / "netlab" / "smoke.txt").string();
const std::string greeting = "hello from the netlab test";
constexpr auto ready_wait = 30s;  // a loaded CI machine with sanitizers is slow

std::string bin(const std::string& program) { return bin_dir + "/" + program; }

// Skips the test, with the probe's reason, where namespaces cannot be made.
void require_netlab()
{
    static const Result probe = run({bin("netlabs-net"), "probe"}, std::nullopt, 30s);
    if (probe.exit_code != 0) SKIP("the virtual network is not available here: " << probe.out << probe.err);
}

std::string unique_name()
{
    static std::atomic<int> counter{0};
    return "t" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

// A running topology: `netlabs-net up FILE --name NAME` in the foreground,
// prefixed by `as` (e.g. setpriv ...) when given.
struct Netlab {
    std::string name;
    std::vector<std::string> as;
    std::string net = bin("netlabs-net");
    std::unique_ptr<Process> supervisor;

    Netlab(const std::string& topology, std::vector<std::string> prefix = {}, std::string netlabs_net = {})
        : name(unique_name()), as(std::move(prefix))
    {
        if (!netlabs_net.empty()) net = netlabs_net;
        supervisor = std::make_unique<Process>(command({net, "up", topology, "--name", name}));
        supervisor->wait_for_line("^netlab " + name + " is up$", ready_wait);
    }

    std::vector<std::string> command(std::vector<std::string> argv) const
    {
        std::vector<std::string> full = as;
        full.insert(full.end(), argv.begin(), argv.end());
        return full;
    }

    std::vector<std::string> exec(const std::string& host, std::vector<std::string> argv) const
    {
        std::vector<std::string> full{net, "exec", name, host, "--"};
        full.insert(full.end(), argv.begin(), argv.end());
        return command(full);
    }

    // An echo server on HOST, 0.0.0.0:5000, in the background; ready when it
    // says so. These tests use programs that hold no graded exercise
    // (lab01-echo-async, lab02-client), so they pass in the student edition too.
    std::unique_ptr<Process> server(const std::string& host, const std::string& server_bin = bin("lab01-echo-async")) const
    {
        auto p = std::make_unique<Process>(exec(host, {server_bin, "--host", "0.0.0.0", "--port", "5000"}));
        p->wait_listening(ready_wait);
        return p;
    }

    Result client(const std::string& host, const std::string& to, const std::string& client_bin = bin("lab02-client"),
                  const std::string& port = "5000") const
    {
        return run(exec(host, {client_bin, "--timeout", "3", to, port, greeting}), std::nullopt, 20s);
    }
};

std::string read_file(const fs::path& path)
{
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Waits (bounded) until none of `processes` runs any more; returns those still running.
std::vector<ProcessId> wait_all_gone(const std::vector<ProcessId>& processes, std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::vector<ProcessId> alive;
    for (const auto& p : processes) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (!netlabs::netlab::wait_gone(p, std::max(left, std::chrono::milliseconds(0)))) alive.push_back(p);
    }
    return alive;
}

// The children of `parent` (outer PIDs), from /proc.
std::vector<pid_t> children_of(pid_t parent)
{
    std::vector<pid_t> children;
    for (const auto& entry : fs::directory_iterator("/proc")) {
        const std::string name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        const std::string stat = read_file(entry.path() / "stat");
        const auto close = stat.rfind(')');
        if (close == std::string::npos) continue;
        std::istringstream fields(stat.substr(close + 2));
        std::string state;
        pid_t ppid = 0;
        fields >> state >> ppid;
        if (ppid == parent) children.push_back(std::stoi(name));
    }
    return children;
}

netlabs::netlab::State state_of(const std::string& name)
{
    const auto state = StateDir::open().load(name);
    REQUIRE(state);
    return *state;
}

// The supervisor's namespace, seen from outside through /proc/PID/net: only
// loopback, bridges and the bridge ends of veths; no IPv4 route at all; no
// IPv6 default route. Nothing sent there can leave.
void require_isolated(pid_t supervisor)
{
    const std::string proc = "/proc/" + std::to_string(supervisor) + "/net/";
    const std::string dev = read_file(proc + "dev");
    INFO("interfaces of the supervisor's namespace:\n" << dev);
    std::istringstream lines(dev);
    std::string line;
    int interfaces = 0;
    while (std::getline(lines, line)) {
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string name = line.substr(0, colon);
        name.erase(0, name.find_first_not_of(' '));
        ++interfaces;
        CAPTURE(name);
        REQUIRE(std::regex_match(name, std::regex("lo|br-[a-z0-9-]+|v[0-9]+-[0-9]+")));
    }
    REQUIRE(interfaces >= 2);

    std::istringstream routes(read_file(proc + "route"));
    std::getline(routes, line);  // the header
    std::string route;
    std::getline(routes, route);
    INFO("IPv4 routes of the supervisor's namespace: " << route);
    REQUIRE(route.empty());

    std::istringstream routes6(read_file(proc + "ipv6_route"));
    while (std::getline(routes6, line)) {
        // dest(32 hex) prefix-length ... flags(8 hex) device
        std::istringstream f(line);
        std::string dest, plen, src, splen, next, metric, ref, use, flags, device;
        f >> dest >> plen >> src >> splen >> next >> metric >> ref >> use >> flags >> device;
        const bool reject = (std::stoul(flags, nullptr, 16) & 0x0200) != 0;
        INFO("IPv6 route: " << line);
        REQUIRE((plen != "00" || reject));
    }
}

} // namespace

TEST_CASE("netlabs-net probe says whether the virtual network works here, and why not", "[netlab]")
{
    const Result r = run({bin("netlabs-net"), "probe"}, std::nullopt, 30s);
    INFO(r.describe());
    if (r.exit_code == 0) {
        CHECK_THAT(r.out, match::Matches("netlab: available \\((root|rootless)\\)\n"));
    } else {
        REQUIRE(r.exit_code == 1);
        CHECK_THAT(r.err, match::StartsWith("netlab: unavailable: "));
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    }
}

TEST_CASE("netlabs-net: bad usage exits 2 with one line, a topology that is not up exits 1", "[netlab]")
{
    const std::string net = bin("netlabs-net");
    struct Case {
        std::vector<std::string> argv;
        int code;
        std::string says;
    };
    const Case cases[] = {
        {{net, "up", lab02_file, "--name", "Bad_Name"}, 2, "invalid netlab name 'Bad_Name'"},
        {{net, "up", "/nonexistent/topology.txt"}, 2, "not a lab (lab02 ... lab05) nor a file"},
        {{net, "up", "lab99"}, 2, "no topology for lab99"},
        {{net, "exec", "lab02", "laptop"}, 2, "exec needs a command"},
        {{net, "frobnicate"}, 2, "netlabs-net: unknown subcommand 'frobnicate'"},
        {{net, "--bogus"}, 2, "netlabs-net: unknown option '--bogus'"},
        {{net, "down", "never-started-x"}, 1, "netlab never-started-x is not up"},
        {{net, "exec", "never-started-x", "laptop", "--", "true"}, 1, "netlab never-started-x is not up"},
    };
    for (const auto& c : cases) {
        const Result r = run(c.argv);
        INFO(r.describe());
        CHECK(r.exit_code == c.code);
        CHECK_THAT(r.err, match::Contains(c.says));
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    }
    const Result help = run({net, "up", "--help"});
    CHECK(help.exit_code == 0);
    CHECK_THAT(help.out, match::Contains("--verbose"));
}

TEST_CASE("up prints the ready line and writes the state file, down removes both", "[netlab]")
{
    require_netlab();
    Netlab lab("lab02");  // found as <source>/lab02-*/topology.txt
    const StateDir dir = StateDir::open();
    const std::string file = dir.file(lab.name);
    INFO("state file " << file);
    REQUIRE(fs::exists(file));
    const auto state = state_of(lab.name);
    CHECK(state.lab == "lab02");
    CHECK(state.supervisor.pid == lab.supervisor->pid());
    CHECK(state.host_names() == "router, desktop, laptop, phone");
    CHECK(state.init.alive());
    for (const auto& h : state.hosts) CHECK(h.process.alive());
    CHECK_THAT(lab.supervisor->out(), match::Contains("./netlabs net shell " + lab.name + " router"));

    const Result list = run({bin("netlabs-net"), "list"});
    CHECK_THAT(list.out, match::Contains(lab.name + "  (lab02"));

    const Result again = run({bin("netlabs-net"), "up", lab02_file, "--name", lab.name});
    INFO(again.describe());
    CHECK(again.exit_code == 1);
    CHECK_THAT(again.err, match::Contains("netlab " + lab.name + " is already up"));

    const Result down = run({bin("netlabs-net"), "down", lab.name});
    INFO(down.describe());
    CHECK(down.exit_code == 0);
    CHECK(down.out == "netlab " + lab.name + " is down\n");
    const Result ended = lab.supervisor->wait();
    CHECK(ended.exit_code == 0);
    CHECK_THAT(ended.out, match::EndsWith("netlab " + lab.name + " is down\n"));
    CHECK_FALSE(fs::exists(file));
    CHECK(wait_all_gone({state.init}, 5s).empty());
}

TEST_CASE("up --verbose prints every command it runs", "[netlab]")
{
    require_netlab();
    const std::string name = unique_name();
    Process up({bin("netlabs-net"), "up", smoke_file, "--name", name, "--verbose"});
    up.wait_for_line("^netlab " + name + " is up$", ready_wait);
    const std::string out = up.out();
    for (const char* line : {"[netlab] ip link add br-lan type bridge\n",
                             "[netlab] ip link add v0-1 type veth peer name eth1 netns ",
                             "[netlab] ip link set v0-1 master br-internet\n",
                             "[router] ip addr add 203.0.113.1/24 brd + dev eth1\n",
                             "[pc] ip route add default via 192.168.99.1\n",
                             "[router] sysctl -w net.ipv4.ip_forward=1\n",
                             "[router] nft -f ",
                             "[server] ip link set eth0 up\n"})
        CHECK_THAT(out, match::Contains(line));
    CHECK(up.stop().exit_code == 0);
}

TEST_CASE("two hosts on one bridge reach each other (lab02: laptop -> desktop)", "[netlab]")
{
    require_netlab();
    Netlab lab(lab02_file);
    auto server = lab.server("desktop");
    const Result client = lab.client("laptop", "192.168.99.123");
    INFO(client.describe() << "\nserver said:\n" << server->out());
    CHECK(client.exit_code == 0);
    CHECK_THAT(client.out, match::Contains(greeting));
    server->wait_for_line("^Client 192\\.168\\.99\\.10:[0-9]+ connected");
    // SIGTERM to `netlabs-net exec` reaches the server, which shuts down cleanly.
    const Result stopped = server->stop();
    CHECK(stopped.exit_code == 0);
    CHECK_THAT(stopped.out, match::Contains("Shutting down on SIGTERM"));
}

TEST_CASE("smoke: a LAN host reaches an internet host through the router's masquerade", "[netlab]")
{
    require_netlab();
    Netlab lab(smoke_file);
    auto server = lab.server("server");
    const Result client = lab.client("pc", "203.0.113.80");
    INFO(client.describe() << "\nserver said:\n" << server->out());
    CHECK(client.exit_code == 0);
    CHECK_THAT(client.out, match::Contains(greeting));
    // The server saw the router's public address, not the pc's private one:
    // it has no route back to 192.168.99.0/24, so only NAT made this work.
    server->wait_for_line("^Client 203\\.0\\.113\\.1:[0-9]+ connected");
}

TEST_CASE("isolated: nothing routes out of a topology, off-topology addresses are unreachable at once", "[netlab]")
{
    require_netlab();
    Netlab lab(lab02_file);
    // First, from outside: the supervisor's namespace has only our links and no route.
    require_isolated(lab.supervisor->pid());

    for (const char* host : {"laptop", "router"})
        for (const char* to : {"8.8.8.8", "203.0.113.77"}) {
            const Result r = lab.client(host, to, bin("lab02-client"), "80");
            INFO("from " << host << " to " << to << ": " << r.describe());
            CHECK(r.exit_code == 1);
            CHECK_THAT(r.err, match::Contains("network is unreachable"));
            CHECK_THAT(r.err, !match::Contains("timed out"));
        }
}

TEST_CASE("two instances of one topology run side by side", "[netlab]")
{
    require_netlab();
    Netlab first(lab02_file), second(lab02_file);
    REQUIRE(first.name != second.name);
    auto server1 = first.server("desktop");
    auto server2 = second.server("desktop");  // the same address and port, another network
    for (const Netlab* lab : {&first, &second}) {
        const Result client = lab->client("laptop", "192.168.99.123");
        INFO(lab->name << ": " << client.describe());
        CHECK_THAT(client.out, match::Contains(greeting));
    }
    server1->wait_for_line("^Client 192\\.168\\.99\\.10:");
    server2->wait_for_line("^Client 192\\.168\\.99\\.10:");
}

TEST_CASE("a supervisor killed with SIGKILL leaves no process, interface or namespace", "[netlab]")
{
    require_netlab();
    Netlab lab(lab02_file);
    auto server = lab.server("desktop");
    const auto state = state_of(lab.name);

    std::vector<ProcessId> recorded{state.supervisor, state.init};
    for (const auto& h : state.hosts) recorded.push_back(h.process);
    const auto server_pids = children_of(server->pid());  // the server, under `netlabs-net exec`
    REQUIRE(server_pids.size() == 1);
    recorded.push_back(netlabs::netlab::process_id(server_pids[0]));
    for (const auto& p : recorded) REQUIRE(p.alive());

    lab.supervisor->stop(SIGKILL);

    const auto left = wait_all_gone(recorded, 10s);
    for (const auto& p : left) FAIL_CHECK("PID " << p.pid << " still runs after the supervisor was killed");
    const Result exec_ended = server->wait(10s);
    CHECK(exec_ended.exit_code != 0);  // its program was killed with the topology

    // Checked from outside: nothing of ours in this machine's namespace.
    const auto ip = netlabs::netlab::find_tool("ip");
    REQUIRE(ip);
    const Result links = run({*ip, "-o", "link"});
    INFO(links.describe());
    CHECK_FALSE(std::regex_search(links.out, std::regex(": (br-home|v[0-9]+-[0-9]+)[@:]")));
    const Result netns = run({*ip, "netns", "list"});
    CHECK(netns.out.empty());

    // The state file is stale now: list drops it.
    CHECK_THAT(run({bin("netlabs-net"), "list"}).out, !match::Contains(lab.name));
    CHECK_FALSE(fs::exists(StateDir::open().file(lab.name)));
}

TEST_CASE("an unprivileged user runs a topology (rootless)", "[netlab]")
{
    require_netlab();
    std::vector<std::string> as;
    std::string net = bin("netlabs-net"), server_bin = bin("lab01-echo-async"), client_bin = bin("lab02-client");
    std::string topology = lab02_file;
    fs::path scratch;
    if (::geteuid() == 0) {
        // As root, be nobody (65534): setpriv from util-linux.
        const auto setpriv = netlabs::netlab::find_tool("setpriv");
        if (!setpriv) SKIP("setpriv (util-linux) is needed to test as an ordinary user");
        as = {*setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"};
        // Nobody may not be able to read the checkout (cloned under a mktemp -d
        // folder, or a home at 0750): then copy what it runs and reads to a
        // folder it can. Each file is tried by reading it as nobody; whether
        // nobody can run `netlabs-net --help` says nothing about the topology.
        const auto nobody_reads = [&](const std::vector<std::string*>& files) {
            for (const auto* f : files)
                if (run({as[0], as[1], as[2], as[3], "head", "-c", "1", *f}).exit_code != 0) return false;
            return true;
        };
        const std::vector<std::string*> needed{&net, &server_bin, &client_bin, &topology};
        if (!nobody_reads(needed)) {
            char pattern[] = "/tmp/netlab-rootless-XXXXXX";
            if (::mkdtemp(pattern) == nullptr) SKIP("nobody cannot read the checkout, and no folder in /tmp for a copy");
            scratch = pattern;
            ::chmod(pattern, 0755);
            for (auto* path : needed) {
                // The topology keeps its folder's name: "lab02-lan/topology.txt" names the lab.
                const fs::path from(*path);
                const fs::path copy = path == &topology ? scratch / from.parent_path().filename() / from.filename()
                                                        : scratch / from.filename();
                fs::create_directories(copy.parent_path());
                fs::permissions(copy.parent_path(), fs::perms::others_read | fs::perms::others_exec,
                                fs::perm_options::add);
                fs::copy_file(*path, copy);
                fs::permissions(copy, fs::perms::others_read | fs::perms::group_read, fs::perm_options::add);
                *path = copy.string();
            }
            if (!nobody_reads(needed)) {
                fs::remove_all(scratch);
                SKIP("nobody (65534) can read neither the checkout nor a copy of it in " << pattern);
            }
        }
    }
    struct Cleanup {
        fs::path dir;
        ~Cleanup()
        {
            std::error_code ec;
            if (!dir.empty()) fs::remove_all(dir, ec);
        }
    } cleanup{scratch};

    Netlab lab(topology, as, net);
    const Result list = run(lab.command({net, "list"}));
    INFO(list.describe());
    CHECK_THAT(list.out, match::Contains(lab.name + "  (lab02, rootless"));
    const Result id = run(lab.exec("laptop", {"id", "-u"}));
    CHECK(id.out == "0\n");  // root inside its own user namespace, nobody outside

    auto server = lab.server("desktop", server_bin);
    const Result client = lab.client("laptop", "192.168.99.123", client_bin);
    INFO(client.describe() << "\nserver said:\n" << server->out());
    CHECK_THAT(client.out, match::Contains(greeting));
    server->stop();

    const Result down = run(lab.command({net, "down", lab.name}));
    INFO(down.describe());
    CHECK(down.exit_code == 0);
    CHECK(lab.supervisor->wait().exit_code == 0);
}

TEST_CASE("a failing command stops up with one line naming host and command, leaving nothing", "[netlab]")
{
    require_netlab();
    const std::string name = unique_name();
    const Result r = run({bin("netlabs-net"), "up", (source_dir / "tests" / "netlab" / "broken.txt").string(), "--name",
                          name},
                         std::nullopt, ready_wait);
    INFO(r.describe());
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, match::StartsWith("netlabs-net: [router] nft -f "));
    CHECK_THAT(r.err, match::Contains("broken.nft: "));
    CHECK_THAT(r.err, match::Contains("(netlab " + name + " was not started)"));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK_THAT(r.out, !match::Contains("is up"));
    CHECK_FALSE(fs::exists(StateDir::open().file(name)));
}

TEST_CASE("up --detach returns once the topology is up, and it runs on until down", "[netlab]")
{
    require_netlab();
    const std::string name = unique_name();
    const Result up = run({bin("netlabs-net"), "up", lab02_file, "--name", name, "--detach"}, std::nullopt, ready_wait);
    INFO(up.describe());
    REQUIRE(up.exit_code == 0);
    CHECK_THAT(up.out, match::StartsWith("netlab " + name + " is up\n"));
    CHECK_THAT(up.out, match::Contains("./netlabs net down " + name + "\n"));
    const auto state = state_of(name);
    CHECK(state.supervisor.alive());  // its parent, `up`, has exited

    const Result client = run({bin("netlabs-net"), "exec", name, "phone", "--", bin("lab02-client"), "--timeout", "3",
                               "192.168.99.1", "5000", greeting});
    CHECK_THAT(client.err, match::Contains("connection refused"));  // the router is there, no server

    const Result down = run({bin("netlabs-net"), "down", name});
    INFO(down.describe());
    CHECK(down.exit_code == 0);
    CHECK(wait_all_gone({state.supervisor, state.init}, 5s).empty());
    CHECK_FALSE(fs::exists(StateDir::open().file(name)));
    CHECK_FALSE(fs::exists(StateDir::open().path() + "/" + name + ".log"));
}

TEST_CASE("isolate: a command gets a loopback of its own, up, and its exit status comes back", "[netlab]")
{
    require_netlab();
    // A server on this machine's loopback...
    asio::io_context io;
    asio::ip::tcp::acceptor here(io, {asio::ip::make_address("127.0.0.1"), 0});
    const std::string port = std::to_string(here.local_endpoint().port());
    // ...is not there for a command run isolated: same address, another stack.
    const Result client = run({bin("netlabs-net"), "isolate", "--", bin("lab02-client"), "--timeout", "3", "127.0.0.1",
                               port, greeting},
                              std::nullopt, 20s);
    INFO("a server listens on 127.0.0.1:" << port << " outside; inside, expected 'connection refused'\n"
                                          << client.describe());
    CHECK(client.exit_code == 1);
    CHECK_THAT(client.err, match::Contains("connection refused"));

    const Result links = run({bin("netlabs-net"), "isolate", "ip", "-br", "link"});
    INFO(links.describe());
    CHECK(links.exit_code == 0);
    CHECK_THAT(links.out, match::StartsWith("lo ") && match::Contains("UP"));
    CHECK(std::count(links.out.begin(), links.out.end(), '\n') == 1);  // lo and nothing else

    const Result missing = run({bin("netlabs-net"), "isolate"});
    CHECK(missing.exit_code == 2);
    CHECK(missing.err == "netlabs-net: isolate needs a command: netlabs-net isolate -- COMMAND [ARG...]\n");

    // A tool the labs run, not installed (here: not on PATH): the line names its package.
    const std::string only_ours = "PATH=" + std::filesystem::path(bin("netlabs-net")).parent_path().string();
    const Result no_tool = run({"env", only_ours, bin("netlabs-net"), "isolate", "arping", "-V"});
    INFO(no_tool.describe());
    CHECK(no_tool.exit_code == 127);
    CHECK(no_tool.err == "netlabs-net: cannot run 'arping' in an isolated network namespace: arping not found: "
                         "install iputils-arping (./netlabs setup)\n");
}

// netlabs-net: the virtual network of labs 02-05 (Linux network namespaces).
//
//   netlabs-net up LAB|FILE [--name NAME] [--verbose] [--detach]
//   netlabs-net exec NAME HOST [--] COMMAND [ARG...]
//   netlabs-net shell NAME HOST
//   netlabs-net down NAME
//   netlabs-net list
//   netlabs-net probe
//   netlabs-net isolate [--] COMMAND [ARG...]
//
// ./netlabs net ... calls it (with --detach for up). See common/netlab/README.md.
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <regex>
#include <string>
#include <vector>

#include <unistd.h>

#include "netlabs/cli.hpp"
#include "netlabs/errors.hpp"
#include "netlabs/netlab/enter.hpp"
#include "netlabs/netlab/namespaces.hpp"
#include "netlabs/netlab/probe.hpp"
#include "netlabs/netlab/state.hpp"
#include "netlabs/netlab/supervisor.hpp"
#include "netlabs/netlab/topology.hpp"

namespace fs = std::filesystem;
using namespace netlabs::netlab;

namespace netlabs::netlab {
std::string configured_source_dir();  // source_dir.cpp
}

namespace {

fs::path source_root()
{
    if (const char* root = std::getenv("NETLABS_ROOT"); root && *root) return root;
    return configured_source_dir();
}

// "lab02", "2", "02" -> the lab's topology; anything else is a file.
UpOptions resolve(const std::string& what, const std::string& name)
{
    UpOptions o;
    static const std::regex lab_id("^(lab)?0*([0-9]{1,2})$");
    std::smatch m;
    std::error_code ec;
    fs::path file;
    if (std::regex_match(what, m, lab_id) && !fs::is_regular_file(what, ec)) {
        const int n = std::stoi(m[2].str());
        o.lab = (n < 10 ? "lab0" : "lab") + std::to_string(n);
        const fs::path root = source_root();
        for (const auto& entry : fs::directory_iterator(root, ec))
            if (entry.is_directory() && entry.path().filename().string().starts_with(o.lab + "-") &&
                fs::is_regular_file(entry.path() / "topology.txt"))
                file = entry.path() / "topology.txt";
        if (file.empty())
            throw netlabs::UsageError("no topology for " + o.lab + ": found no " + (root / (o.lab + "-*")).string() +
                                      "/topology.txt (labs 02-05 have one; set NETLABS_ROOT to the course's folder)");
    } else {
        file = what;
        if (!fs::is_regular_file(file, ec))
            throw netlabs::UsageError("invalid topology '" + what + "': not a lab (lab02 ... lab05) nor a file");
        o.lab = file.stem().string();
        if (o.lab == "topology") {
            const std::string folder = fs::absolute(file).parent_path().filename().string();
            if (std::regex_match(folder, std::regex("^lab[0-9][0-9]-.*"))) o.lab = folder.substr(0, 5);
        }
    }
    // Messages name the file the way a learner finds it: relative to the course.
    std::string shown = file.string();
    const fs::path absolute = fs::weakly_canonical(fs::absolute(file), ec);
    const fs::path root = fs::weakly_canonical(fs::absolute(source_root()), ec);
    const fs::path relative = absolute.lexically_relative(root);
    if (!relative.empty() && *relative.begin() != "..") shown = relative.string();
    o.topology_file = absolute.string();
    o.topology = load_topology(file, shown);
    if (!name.empty()) {
        o.name = normalize_name(name);
    } else {
        std::string lower = o.lab;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        try {
            o.name = normalize_name(lower);
        } catch (const netlabs::UsageError&) {
            throw netlabs::UsageError("cannot name the netlab after '" + o.lab + "': give --name NAME ([a-z0-9-]{1,32})");
        }
    }
    return o;
}

int down(const std::string& raw)
{
    const std::string name = normalize_name(raw);
    const StateDir dir = StateDir::open();
    const auto state = dir.load(name);
    if (!state) {
        std::cerr << "netlabs-net: netlab " << name << " is not up ('./netlabs net list' shows what is)\n";
        return netlabs::exit_failure;
    }
    if (::kill(state->supervisor.pid, SIGTERM) != 0 && errno != ESRCH)
        throw std::runtime_error("cannot stop netlab " + name + " (supervisor PID " +
                                 std::to_string(state->supervisor.pid) + "): " + std::strerror(errno));
    if (!wait_gone(state->supervisor, std::chrono::milliseconds(5000)))
        throw std::runtime_error("netlab " + name + " did not stop within 5 s (supervisor PID " +
                                 std::to_string(state->supervisor.pid) + ")");
    dir.remove(name);  // normally gone already: the supervisor removes it
    std::cout << "netlab " << name << " is down\n";
    return netlabs::exit_ok;
}

int list()
{
    const StateDir dir = StateDir::open();
    const auto states = dir.list();
    if (states.empty()) {
        std::cout << "no netlab is up\n";
        return netlabs::exit_ok;
    }
    for (const auto& s : states) {
        std::cout << s.name << "  (" << s.lab << (s.rootless ? ", rootless" : ", root") << ", supervisor PID "
                  << s.supervisor.pid << (s.starting ? ", starting" : "") << ")\n";
        for (const auto& h : s.hosts) {
            std::string addresses;
            for (const auto& a : h.addresses) addresses += (addresses.empty() ? "" : ", ") + a;
            std::cout << "  " << h.name << "  " << addresses << '\n';
        }
    }
    return netlabs::exit_ok;
}

// For `exec` (and `isolate`): moves the words after NAME HOST (none for
// isolate) and an optional "--" into `command`; returns how many words of
// argv are left for CLI11.
int split_command(int argc, char** argv, std::vector<std::string>& command)
{
    int at = 1;
    while (at < argc && std::string_view(argv[at]) != "exec" && std::string_view(argv[at]) != "isolate") {
        if (argv[at][0] != '-') return argc;  // another subcommand
        ++at;
    }
    if (at == argc) return argc;
    const int wanted = std::string_view(argv[at]) == "exec" ? 2 : 0;
    int positionals = 0;
    for (++at; at < argc && positionals < wanted; ++at) {
        const std::string_view word = argv[at];
        if (word == "--") return argc;  // "exec NAME -- ...": CLI11 says what is missing
        if (!word.starts_with("-")) ++positionals;
    }
    const int end = at;
    if (at < argc && std::string_view(argv[at]) == "--") ++at;
    for (; at < argc; ++at) command.emplace_back(argv[at]);
    return end;
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App app{"netlabs-net: the virtual network of labs 02-05. Each host is a Linux network namespace, "
                 "each LAN a bridge, all inside one namespace with no route out.",
                 "netlabs-net"};
    app.require_subcommand(1);

    UpOptions up_options;
    std::string topology, up_name;
    auto* up_cmd = app.add_subcommand("up", "start a topology and keep it running until Ctrl-C, SIGTERM or 'down'");
    up_cmd->add_option("topology", topology, "a lab (lab02 or 2) or a topology file")->required();
    up_cmd->add_option("--name", up_name, "the instance's name (default: the lab), [a-z0-9-]{1,32}");
    up_cmd->add_flag("-v,--verbose", up_options.verbose, "print every ip, nft and sysctl command before running it");
    up_cmd->add_flag("-d,--detach", up_options.detach,
                     "run in the background once up (output in the state directory's NAME.log)");

    EnterOptions enter_options;
    auto* exec_cmd = app.add_subcommand("exec", "run a command on a host of a running topology");
    exec_cmd->add_option("name", enter_options.name, "the running topology (e.g. lab02)")->required();
    exec_cmd->add_option("host", enter_options.host, "the host (e.g. laptop)")->required();
    exec_cmd->footer("After NAME and HOST comes the command and its arguments, optionally after --:\n"
                     "  netlabs-net exec lab02 laptop -- lab02-client 192.168.99.123 5000 hi");

    auto* shell_cmd = app.add_subcommand("shell", "an interactive shell on a host of a running topology");
    shell_cmd->add_option("name", enter_options.name, "the running topology (e.g. lab02)")->required();
    shell_cmd->add_option("host", enter_options.host, "the host (e.g. laptop)")->required();

    std::string down_name;
    auto* down_cmd = app.add_subcommand("down", "stop a running topology");
    down_cmd->add_option("name", down_name, "the running topology (e.g. lab02)")->required();

    auto* list_cmd = app.add_subcommand("list", "list the running topologies and their hosts");
    auto* probe_cmd = app.add_subcommand("probe", "can this machine run the virtual network? (exit 0: yes)");
    auto* isolate_cmd = app.add_subcommand(
        "isolate", "run a command in a network namespace of its own, with only loopback (its ports are its own)");
    isolate_cmd->footer("The command and its arguments come next, optionally after --:\n"
                        "  netlabs-net isolate -- netlabs-docrun check docs/en/lab01.md");

    // `exec NAME HOST [--] COMMAND...`: the command is not ours to parse (its
    // options are its own), so it is cut off before CLI11 sees the rest.
    const int cli_argc = split_command(argc, argv, enter_options.argv);

    bool replaced_namespaces = false;
    const int code = netlabs::run_main(app, cli_argc, argv, [&]() -> int {
        if (*up_cmd) {
            auto resolved = resolve(topology, up_name);
            resolved.verbose = up_options.verbose;
            resolved.detach = up_options.detach;
            replaced_namespaces = !resolved.detach;
            return up(resolved);
        }
        if (*exec_cmd || *shell_cmd) {
            enter_options.name = normalize_name(enter_options.name);
            if (*exec_cmd) {
                if (enter_options.argv.empty())
                    throw netlabs::UsageError("exec needs a command: netlabs-net exec " + enter_options.name + " " +
                                              enter_options.host + " -- COMMAND [ARG...]");
            }
            replaced_namespaces = true;
            enter(enter_options);
        }
        if (*isolate_cmd) {
            if (enter_options.argv.empty())
                throw netlabs::UsageError("isolate needs a command: netlabs-net isolate -- COMMAND [ARG...]");
            isolate(enter_options.argv);
        }
        if (*down_cmd) return down(down_name);
        if (*list_cmd) return list();
        if (*probe_cmd) {
            const auto result = probe();
            (result.available ? std::cout : std::cerr) << result.line << '\n';
            return result.available ? netlabs::exit_ok : netlabs::exit_failure;
        }
        return netlabs::exit_usage;
    });
    // The supervisor and exec fork into a topology's PID namespace, which may
    // be gone by now: leave without exit handlers that would fork again.
    if (replaced_namespaces) exit_now(code);
    return code;
}

#include "netlabs/netlab/command.hpp"

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <map>

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

namespace netlabs::netlab {
namespace {

// No ip or nft command of a topology takes more than a fraction of a second.
constexpr std::chrono::seconds tool_timeout{30};

// Quotes a word for display only (nothing here is ever given to a shell).
std::string shown(const std::string& word)
{
    if (!word.empty() && word.find_first_of(" \t'\"\\$*?;&|<>()") == std::string::npos) return word;
    return "'" + word + "'";
}

// What a failed command said, on one line: its first non-empty line (ip and
// nft put the error first, then context such as the offending input).
std::string one_line(const std::string& text)
{
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t end = text.find('\n', at);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(at, end - at);
        while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
        if (!line.empty()) return line;
        at = end + 1;
    }
    return {};
}

} // namespace

std::string Command::display() const
{
    if (argv.empty()) return "sysctl -w " + key + "=" + (value.find(' ') == std::string::npos ? value : "'" + value + "'");
    std::string text;
    for (const auto& word : argv) text += (text.empty() ? "" : " ") + shown(word);
    return text;
}

std::optional<std::string> find_tool(const std::string& name)
{
    static std::map<std::string, std::optional<std::string>> cache;
    if (auto it = cache.find(name); it != cache.end()) return it->second;
    std::string dirs = "/usr/sbin:/sbin:/usr/bin:/bin";
    if (const char* path = std::getenv("PATH"); path && *path) dirs = std::string(path) + ":" + dirs;
    auto found = name.find('/') == std::string::npos ? process::find_program(name, dirs) : std::nullopt;
    if (found && found->front() != '/') found.reset();  // only absolute directories of PATH
    return cache[name] = found;
}

std::string tool_package(const std::string& name)
{
    static const std::map<std::string, std::string> packages{
        {"ip", "iproute2"},  {"ss", "iproute2"},    {"nstat", "iproute2"},      {"nft", "nftables"},
        {"sysctl", "procps"}, {"tcpdump", "tcpdump"}, {"arping", "iputils-arping"}};
    const auto it = packages.find(name);
    return it == packages.end() ? std::string() : it->second;
}

std::string missing_tool(const std::string& name)
{
    const std::string package = tool_package(name);
    return name + " not found: install " + (package.empty() ? name : package) + " (./netlabs setup)";
}

process::PreExec enter_netns(int netns_fd)
{
    if (netns_fd < 0) return {};
    return {"setns", [netns_fd](const char*&) { return ::setns(netns_fd, CLONE_NEWNET) == 0 ? 0 : errno; }};
}

std::string run_tool(const Command& command, int netns_fd)
{
    const auto tool = find_tool(command.argv.at(0));
    if (!tool) return missing_tool(command.argv[0]);
    process::Spec spec(command.argv);
    spec.program = *tool;
    spec.output = process::Output::merged;
    spec.pre_exec = enter_netns(netns_fd);
    try {
        const auto r = process::run(spec, tool_timeout);
        if (r.timed_out) return "no answer within " + std::to_string(tool_timeout.count()) + " s (killed)";
        if (r.exit.status() == 0) return {};
        const std::string said = one_line(r.out);
        return said.empty() ? r.exit.describe() : said;
    } catch (const process::SpawnError& e) {
        return e.reason();
    }
}

std::string write_sysctl(const Command& command, int netns_fd, int home_fd)
{
    std::string path = "/proc/sys/" + command.key;
    for (std::size_t i = 10; i < path.size(); ++i)
        if (path[i] == '.') path[i] = '/';
    if (::setns(netns_fd, CLONE_NEWNET) != 0) return std::string("setns: ") + std::strerror(errno);
    std::string failure;
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0 || ::write(fd, command.value.data(), command.value.size()) < 0)
        failure = path + ": " + std::strerror(errno);
    if (fd >= 0) ::close(fd);
    if (::setns(home_fd, CLONE_NEWNET) != 0) failure += std::string("; setns back: ") + std::strerror(errno);
    return failure;
}

void start_ip_batch(IpBatch& batch, int netns_fd)
{
    batch.ip.reset();
    batch.failed.clear();
    const auto ip = find_tool("ip");
    if (!ip) {
        batch.failed = missing_tool("ip");
        return;
    }
    process::Spec spec({"ip", "-batch", "-"});
    spec.program = *ip;
    spec.stdin_from = process::Input::text;
    for (const auto& c : batch.commands) {
        for (std::size_t i = 1; i < c.argv.size(); ++i) spec.input += (i > 1 ? " " : "") + c.argv[i];
        spec.input += '\n';
    }
    spec.output = process::Output::merged;
    spec.pre_exec = enter_netns(netns_fd);
    try {
        batch.ip = process::spawn(spec);
    } catch (const process::SpawnError& e) {
        batch.failed = e.what();
    }
}

std::string finish_ip_batch(IpBatch& batch)
{
    if (!batch.ip) return batch.failed;
    std::string output;
    const auto deadline = process::Clock::now() + tool_timeout;
    while (batch.ip->pump(deadline, [&](bool, std::string_view chunk) { output += chunk; }, false)) {
        if (process::Clock::now() >= deadline) break;
    }
    const auto exit = batch.ip->wait_until(deadline);
    batch.ip.reset();  // killed and reaped if it still runs
    if (!exit) return "ip -batch: no answer within " + std::to_string(tool_timeout.count()) + " s (killed)";
    if (exit->status() == 0) return {};
    // ip stops at the first failure and says "Command failed -:LINE".
    std::size_t failed = 0;
    const std::string marker = "Command failed -:";
    if (const auto at = output.find(marker); at != std::string::npos) {
        failed = std::strtoul(output.c_str() + at + marker.size(), nullptr, 10);
        output.erase(at);
    }
    output = one_line(output);
    if (output.empty()) output = exit->describe();
    if (failed >= 1 && failed <= batch.commands.size()) return batch.commands[failed - 1].display() + ": " + output;
    return "ip -batch: " + output;
}

} // namespace netlabs::netlab

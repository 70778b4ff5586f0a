#include "netlabs/netlab/command.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <map>

#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace netlabs::netlab {
namespace {

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
    std::optional<std::string> found;
    std::size_t at = 0;
    while (!found && at <= dirs.size()) {
        std::size_t end = dirs.find(':', at);
        if (end == std::string::npos) end = dirs.size();
        const std::string dir = dirs.substr(at, end - at);
        at = end + 1;
        if (dir.empty() || dir[0] != '/') continue;
        const std::string candidate = dir + "/" + name;
        struct stat st {};
        if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(candidate.c_str(), X_OK) == 0)
            found = candidate;
    }
    cache[name] = found;
    return found;
}

std::string missing_tool(const std::string& name)
{
    const std::string package = name == "ip" ? "iproute2" : name == "nft" ? "nftables" : name;
    return name + " not found: install " + package + " (./netlabs setup)";
}

std::string run_command(const Command& command, int netns_fd)
{
    std::string path;
    if (!command.argv.empty()) {
        const auto tool = find_tool(command.argv[0]);
        if (!tool) return missing_tool(command.argv[0]);
        path = *tool;
    }
    std::vector<char*> args;
    for (const auto& a : command.argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::string sysctl_path = "/proc/sys/" + command.key;
    for (std::size_t i = 10; i < sysctl_path.size(); ++i)
        if (sysctl_path[i] == '.') sysctl_path[i] = '/';

    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) return std::string("pipe: ") + std::strerror(errno);
    const pid_t pid = ::fork();
    if (pid < 0) {
        const int err = errno;
        ::close(out[0]);
        ::close(out[1]);
        return std::string("fork: ") + std::strerror(err);
    }
    if (pid == 0) {
        // The child: only async-signal-safe calls from here on.
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        if (netns_fd >= 0 && ::setns(netns_fd, CLONE_NEWNET) != 0) {
            const char* why = std::strerror(errno);
            (void)!::write(out[1], "setns: ", 7);
            (void)!::write(out[1], why, std::strlen(why));
            ::_exit(126);
        }
        if (command.argv.empty()) {
            const int fd = ::open(sysctl_path.c_str(), O_WRONLY | O_CLOEXEC);
            if (fd < 0 || ::write(fd, command.value.data(), command.value.size()) < 0) {
                const char* why = std::strerror(errno);
                (void)!::write(out[1], sysctl_path.data(), sysctl_path.size());
                (void)!::write(out[1], ": ", 2);
                (void)!::write(out[1], why, std::strlen(why));
                ::_exit(1);
            }
            ::_exit(0);
        }
        const int devnull = ::open("/dev/null", O_RDONLY);
        if (devnull >= 0) ::dup2(devnull, 0);
        ::dup2(out[1], 1);
        ::dup2(out[1], 2);
        ::execv(path.c_str(), args.data());
        const char* why = std::strerror(errno);
        (void)!::write(2, "cannot run: ", 12);
        (void)!::write(2, why, std::strlen(why));
        ::_exit(127);
    }
    ::close(out[1]);
    std::string output;
    char buf[1024];
    for (;;) {
        const ssize_t n = ::read(out[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        output.append(buf, static_cast<std::size_t>(n));
    }
    ::close(out[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
    output = one_line(output);
    if (output.empty())
        output = WIFSIGNALED(status) ? "killed by signal " + std::to_string(WTERMSIG(status))
                                     : "exit " + std::to_string(WEXITSTATUS(status));
    return output;
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
    batch.pid = -1;
    batch.output = -1;
    const auto ip = find_tool("ip");
    if (!ip) return;
    std::string script;
    for (const auto& c : batch.commands) {
        for (std::size_t i = 1; i < c.argv.size(); ++i) script += (i > 1 ? " " : "") + c.argv[i];
        script += '\n';
    }
    int in[2], out[2];
    if (::pipe2(in, O_CLOEXEC) != 0) return;
    if (::pipe2(out, O_CLOEXEC) != 0) {
        ::close(in[0]);
        ::close(in[1]);
        return;
    }
    const pid_t pid = ::fork();
    if (pid == 0) {
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        ::signal(SIGPIPE, SIG_DFL);
        if (netns_fd >= 0 && ::setns(netns_fd, CLONE_NEWNET) != 0) {
            const char* why = std::strerror(errno);
            (void)!::write(out[1], "setns: ", 7);
            (void)!::write(out[1], why, std::strlen(why));
            ::_exit(126);
        }
        ::dup2(in[0], 0);
        ::dup2(out[1], 1);
        ::dup2(out[1], 2);
        ::execl(ip->c_str(), "ip", "-batch", "-", static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    if (pid < 0) {
        ::close(in[1]);
        ::close(out[0]);
        return;
    }
    // A batch is a few hundred bytes: far less than a pipe holds.
    (void)!::write(in[1], script.data(), script.size());
    ::close(in[1]);
    batch.pid = pid;
    batch.output = out[0];
}

std::string finish_ip_batch(IpBatch& batch)
{
    if (batch.pid < 0) {
        if (!find_tool("ip")) return missing_tool("ip");
        return std::string("cannot start ip: ") + std::strerror(errno);
    }
    std::string output;
    char buf[1024];
    for (;;) {
        const ssize_t n = ::read(batch.output, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        output.append(buf, static_cast<std::size_t>(n));
    }
    ::close(batch.output);
    int status = 0;
    while (::waitpid(batch.pid, &status, 0) < 0 && errno == EINTR) {
    }
    batch.pid = -1;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
    // ip stops at the first failure and says "Command failed -:LINE".
    std::size_t failed = 0;
    const std::string marker = "Command failed -:";
    if (const auto at = output.find(marker); at != std::string::npos) {
        failed = std::strtoul(output.c_str() + at + marker.size(), nullptr, 10);
        output.erase(at);
    }
    output = one_line(output);
    if (output.empty()) output = "exit " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    if (failed >= 1 && failed <= batch.commands.size()) return batch.commands[failed - 1].display() + ": " + output;
    return "ip -batch: " + output;
}

} // namespace netlabs::netlab

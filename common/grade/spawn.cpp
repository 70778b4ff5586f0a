#include "spawn.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <stdexcept>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace netlabs::grade {
namespace {

// Keeps the first and the last half of `cap` bytes.
struct Capped {
    std::size_t cap;
    std::string head, tail;
    std::size_t dropped = 0;
    void add(const char* data, std::size_t n)
    {
        const std::size_t half = cap / 2;
        const std::size_t to_head = std::min(n, half - std::min(half, head.size()));
        head.append(data, to_head);
        tail.append(data + to_head, n - to_head);
        if (tail.size() > half) {
            dropped += tail.size() - half;
            tail.erase(0, tail.size() - half);
        }
    }
    std::string text() const
    {
        if (dropped == 0) return head + tail;
        return head + "\n... (" + std::to_string(dropped) + " bytes left out) ...\n" + tail;
    }
};

} // namespace

Spawned run_command(const std::vector<std::string>& argv, const std::filesystem::path& cwd,
                    std::chrono::milliseconds timeout,
                    const std::vector<std::pair<std::string, std::string>>& environment, std::size_t cap)
{
    Spawned result;
    const auto start = std::chrono::steady_clock::now();
    if (argv.empty()) throw std::invalid_argument("run_command: empty argv");
    int out[2];
    if (pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));

    std::vector<std::string> env_strings;
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string entry = *e;
        bool replaced = false;
        for (const auto& [key, value] : environment)
            if (entry.rfind(key + "=", 0) == 0) replaced = true;
        if (!replaced) env_strings.push_back(entry);
    }
    for (const auto& [key, value] : environment) env_strings.push_back(key + "=" + value);
    std::vector<char*> envp;
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::vector<std::string> args_copy = argv;
    std::vector<char*> args;
    for (auto& a : args_copy) args.push_back(a.data());
    args.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, out[1], 2);
    if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    pid_t pid = -1;
    const int rc = posix_spawnp(&pid, args[0], &actions, &attr, args.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    ::close(out[1]);
    if (rc != 0) {
        ::close(out[0]);
        result.started = false;
        result.output = "cannot start " + argv[0] + ": " + std::strerror(rc);
        return result;
    }

    Capped captured{cap, {}, {}};
    const auto deadline = start + timeout;
    bool open = true, exited = false;
    std::chrono::steady_clock::time_point exited_at{};
    while (open || !exited) {
        const auto now = std::chrono::steady_clock::now();
        if (!exited && !result.timed_out && now >= deadline) {
            result.timed_out = true;
            ::kill(-pid, SIGKILL);
        }
        if (exited && now - exited_at > std::chrono::seconds(2)) break;
        pollfd p{out[0], POLLIN, 0};
        if (!open) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        } else if (::poll(&p, 1, 50) > 0) {
            char chunk[8192];
            const ssize_t n = ::read(out[0], chunk, sizeof chunk);
            if (n > 0) captured.add(chunk, static_cast<std::size_t>(n));
            else if (n == 0 || (errno != EINTR && errno != EAGAIN)) open = false;
        }
        // Exited, but not reaped yet (WNOWAIT): its process group cannot be
        // reused, so what it left running there can be killed safely.
        siginfo_t info{};
        if (!exited && ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
            info.si_pid == pid) {
            exited = true;
            exited_at = std::chrono::steady_clock::now();
            ::kill(-pid, SIGKILL);
        }
    }
    ::close(out[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
    result.output = captured.text();
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

} // namespace netlabs::grade

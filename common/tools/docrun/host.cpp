#include "host.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <stdexcept>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "pipe.hpp"

namespace docrun {
namespace {

std::vector<char*> c_strings(const std::vector<std::string>& strings)
{
    std::vector<char*> out;
    for (const auto& s : strings) out.push_back(const_cast<char*>(s.c_str()));
    out.push_back(nullptr);
    return out;
}

// In the child: report errno to the parent and leave.
[[noreturn]] void child_fail(int report, int error)
{
    (void)!write(report, &error, sizeof error);
    _exit(127);
}

} // namespace

pid_t LocalHost::spawn(const Launch& launch, int output) { return spawn_process(launch, output); }

pid_t spawn_process(const Launch& launch, int output, const std::function<int()>& enter)
{
    // Everything the child needs is prepared before fork.
    auto argv = c_strings(launch.argv);
    auto envp = c_strings(launch.env);
    Pipe report = Pipe::make();  // close-on-exec: EOF means exec succeeded
    const pid_t parent = getpid();

    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
#ifdef __linux__
        // If the runner dies, its children die with it.
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent) _exit(127);
#endif
        signal(SIGPIPE, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        const int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (null < 0 || dup2(null, 0) < 0 || dup2(output, 1) < 0 || dup2(output, 2) < 0)
            child_fail(report.write_end(), errno);
        if (enter) {
            if (const int error = enter()) child_fail(report.write_end(), error);
        }
        if (chdir(launch.cwd.c_str()) != 0) child_fail(report.write_end(), errno);
        execve(launch.program.c_str(), argv.data(), envp.data());
        child_fail(report.write_end(), errno);
    }
    report.close_write();
    int error = 0;
    ssize_t got;
    do got = read(report.read_end(), &error, sizeof error);
    while (got < 0 && errno == EINTR);
    if (got == static_cast<ssize_t>(sizeof error)) {
        int status = 0;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        throw std::runtime_error("cannot run '" + launch.program + "': " + std::strerror(error));
    }
    return pid;
}

std::optional<std::string> find_program(const std::string& program, const std::string& path)
{
    if (program.find('/') != std::string::npos) return program;
    std::size_t start = 0;
    while (start <= path.size()) {
        auto end = path.find(':', start);
        if (end == std::string::npos) end = path.size();
        std::string dir = path.substr(start, end - start);
        if (dir.empty()) dir = ".";
        const std::string candidate = dir + "/" + program;
        struct stat info{};
        if (stat(candidate.c_str(), &info) == 0 && S_ISREG(info.st_mode) && access(candidate.c_str(), X_OK) == 0)
            return candidate;
        start = end + 1;
    }
    return std::nullopt;
}

} // namespace docrun

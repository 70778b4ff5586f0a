#include "netlabs/testing/process.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace netlabs::testing {
namespace {

[[noreturn]] void fail(const std::string& what)
{
    throw std::system_error(errno, std::generic_category(), what);
}

int decode(int status)
{
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

std::string tail(const std::string& text)
{
    constexpr std::size_t keep = 4000;
    return text.size() <= keep ? text : "..." + text.substr(text.size() - keep);
}

} // namespace

std::string Result::describe() const
{
    return "exit " + std::to_string(exit_code) + "\n--- stdout ---\n" + tail(out) +
           "\n--- stderr ---\n" + tail(err);
}

Process::Process(std::vector<std::string> argv, std::optional<std::string> input)
{
    if (argv.empty()) throw std::invalid_argument("Process: empty argv");
    int out_pipe[2], err_pipe[2], in_pipe[2];
    if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0 ||
        pipe2(in_pipe, O_CLOEXEC) != 0)
        fail("pipe");

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);

    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    const int rc = posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    ::close(in_pipe[0]);
    if (rc != 0) {
        ::close(out_pipe[0]);
        ::close(err_pipe[0]);
        ::close(in_pipe[1]);
        errno = rc;
        fail("cannot start " + argv[0]);
    }

    open_pipes_ = 2;
    out_thread_ = std::thread([this, fd = out_pipe[0]] { reader(fd, out_); });
    err_thread_ = std::thread([this, fd = err_pipe[0]] { reader(fd, err_); });
    in_thread_ = std::thread([fd = in_pipe[1], data = input.value_or("")] {
        std::size_t done = 0;
        while (done < data.size()) {
            const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
            if (n <= 0) break;  // the child closed its stdin: fine
            done += static_cast<std::size_t>(n);
        }
        ::close(fd);
    });
}

Process::~Process()
{
    if (!status_) {
        ::kill(pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        status_ = status;
    }
    for (auto* t : {&out_thread_, &err_thread_, &in_thread_})
        if (t->joinable()) t->join();
}

void Process::reader(int fd, std::string& sink)
{
    char chunk[4096];
    for (;;) {
        const ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        std::lock_guard lock(mutex_);
        if (n <= 0) {
            --open_pipes_;
            changed_.notify_all();
            break;
        }
        sink.append(chunk, static_cast<std::size_t>(n));
        changed_.notify_all();
    }
    ::close(fd);
}

std::vector<std::string> Process::wait_for_line(const std::string& pattern, std::chrono::milliseconds timeout)
{
    const std::regex re(pattern);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::unique_lock lock(mutex_);
    for (;;) {
        // Match complete lines only: a line still being written is not ready.
        std::size_t end;
        while ((end = out_.find('\n', scanned_)) != std::string::npos) {
            std::smatch m;
            const std::string line = out_.substr(scanned_, end - scanned_);
            scanned_ = end + 1;
            if (std::regex_search(line, m, re)) return {m.begin(), m.end()};
        }
        if (open_pipes_ == 0 && out_.find('\n', scanned_) == std::string::npos)
            throw std::runtime_error("the program exited (or closed its output) before printing a line "
                                     "matching '" + pattern + "'\n--- stdout ---\n" + tail(out_) +
                                     "\n--- stderr ---\n" + tail(err_));
        if (changed_.wait_until(lock, deadline) == std::cv_status::timeout)
            throw std::runtime_error("no line matching '" + pattern + "' within " +
                                     std::to_string(timeout.count()) + " ms\n--- stdout ---\n" +
                                     tail(out_) + "\n--- stderr ---\n" + tail(err_));
    }
}

Endpoint Process::wait_listening(std::chrono::milliseconds timeout)
{
    const auto m = wait_for_line(R"(^listening on (\S+))", timeout);
    return parse_endpoint(m[1]);
}

Result Process::collect(std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    int status = 0;
    while (!status_) {
        const pid_t r = ::waitpid(pid_, &status, WNOHANG);
        if (r == pid_) {
            status_ = status;
            break;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &status, 0);
            status_ = status;
            throw std::runtime_error("the program did not exit within " +
                                     std::to_string(timeout.count()) + " ms (killed)\n--- stdout ---\n" +
                                     tail(out()) + "\n--- stderr ---\n" + tail(err()));
        }
        // Wake up on new output or every 5 ms to poll waitpid (no SIGCHLD handler
        // in a test process); this is polling for an exit, not a sleep that orders events.
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, std::chrono::milliseconds(5));
    }
    // The child is gone: its pipes reach EOF once any grandchildren close them too.
    {
        std::unique_lock lock(mutex_);
        changed_.wait_until(lock, deadline, [this] { return open_pipes_ == 0; });
    }
    return Result{decode(*status_), out(), err()};
}

Result Process::stop(int signal, std::chrono::milliseconds timeout)
{
    if (!status_) ::kill(pid_, signal);
    return collect(timeout);
}

Result Process::wait(std::chrono::milliseconds timeout) { return collect(timeout); }

std::string Process::out() const
{
    std::lock_guard lock(mutex_);
    return out_;
}

std::string Process::err() const
{
    std::lock_guard lock(mutex_);
    return err_;
}

Result run(std::vector<std::string> argv, std::optional<std::string> input,
           std::chrono::milliseconds timeout)
{
    Process p(std::move(argv), std::move(input));
    return p.wait(timeout);
}

} // namespace netlabs::testing

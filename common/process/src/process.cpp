#include "netlabs/process.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstring>
#include <system_error>

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#include <sys/syscall.h>
#endif

extern char** environ;

namespace netlabs::process {
namespace {

[[noreturn]] void fail(const std::string& what)
{
    throw std::system_error(errno, std::generic_category(), what);
}

// A descriptor that closes itself.
struct Fd {
    int fd = -1;
    Fd() = default;
    explicit Fd(int f) : fd(f) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() { reset(); }
    void reset()
    {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
    int release() { return std::exchange(fd, -1); }
};

struct Pipe {
    Fd read, write;
    Pipe()
    {
        int fds[2];
#ifdef __linux__
        if (::pipe2(fds, O_CLOEXEC) != 0) fail("pipe");
#else
        if (::pipe(fds) != 0) fail("pipe");
        for (int fd : fds) ::fcntl(fd, F_SETFD, FD_CLOEXEC);
#endif
        read.fd = fds[0];
        write.fd = fds[1];
    }
};

// What the child reports when it cannot exec: the step and the errno.
enum Step : int { step_setup, step_pre_exec, step_chdir, step_exec };
struct Report {
    int step;
    int error;
};

[[noreturn]] void child_fail(int report, Step step, const char* detail = nullptr)
{
    struct {
        Report r;
        char text[256];
    } message{{step, errno}, {}};
    std::size_t n = 0;
    while (detail && detail[n] != '\0' && n < sizeof message.text) {
        message.text[n] = detail[n];
        ++n;
    }
    (void)!::write(report, &message, sizeof message.r + n);
    ::_exit(127);
}

// In the child: `fd` becomes `target` (and survives exec).
bool move_fd(int fd, int target)
{
    if (fd == target) return ::fcntl(fd, F_SETFD, 0) == 0;
    return ::dup2(fd, target) >= 0;
}

std::vector<char*> pointers(std::vector<std::string>& words)
{
    std::vector<char*> p;
    for (auto& w : words) p.push_back(w.data());
    p.push_back(nullptr);
    return p;
}

int pidfd_for(pid_t pid)
{
#if defined(__linux__) && defined(SYS_pidfd_open)
    const int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    if (fd >= 0) ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    return fd;  // -1 (ENOSYS) on kernels before 5.3
#else
    (void)pid;
    return -1;
#endif
}

int poll_timeout(Clock::time_point deadline)
{
    if (deadline == Clock::time_point::max()) return -1;
    const auto now = Clock::now();
    if (deadline <= now) return 0;
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - now).count();
    return static_cast<int>(std::clamp<long long>(left, 0, INT_MAX));
}

// Writes to a pipe without dying of SIGPIPE when the reader has gone.
ssize_t write_no_sigpipe(int fd, const char* data, std::size_t size)
{
    sigset_t pipe_only, old;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    const bool was_pending = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_only, &old);
    ssize_t n;
    do n = ::write(fd, data, size);
    while (n < 0 && errno == EINTR);
    if (n < 0 && errno == EPIPE && !was_pending) {
        const int error = errno;
#ifdef __linux__
        const timespec zero{0, 0};
        sigtimedwait(&pipe_only, nullptr, &zero);
#else
        int sig;
        sigwait(&pipe_only, &sig);
#endif
        errno = error;
    }
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    return n;
}

// Keeps the first and the last half of `cap` bytes.
struct Capped {
    std::size_t cap;
    std::string head, tail;
    std::size_t dropped = 0;
    void add(std::string_view data)
    {
        const std::size_t half = cap / 2;
        const std::size_t to_head = std::min(data.size(), half - std::min(half, head.size()));
        head.append(data.substr(0, to_head));
        tail.append(data.substr(to_head));
        if (tail.size() > cap - half) {
            dropped += tail.size() - (cap - half);
            tail.erase(0, tail.size() - (cap - half));
        }
    }
    std::string text() const
    {
        if (dropped == 0) return head + tail;
        return head + "\n... (" + std::to_string(dropped) + " bytes left out) ...\n" + tail;
    }
};

} // namespace

std::string Exit::describe() const
{
    if (signal == 0) return "exit " + std::to_string(code);
    const char* name = ::strsignal(signal);
    return "killed by signal " + std::to_string(signal) + (name ? std::string(" (") + name + ")" : "");
}

bool wait_gone(pid_t pid, std::chrono::milliseconds timeout)
{
    errno = 0;
    const int fd = pidfd_for(pid);
    if (fd < 0 && errno == ESRCH) return true;
    if (fd >= 0) {
        pollfd p{fd, POLLIN, 0};
        int rc;
        while ((rc = ::poll(&p, 1, static_cast<int>(timeout.count()))) < 0 && errno == EINTR) {
        }
        ::close(fd);
        return rc > 0;
    }
    const auto deadline = Clock::now() + timeout;
    while (::kill(pid, 0) == 0 || errno == EPERM) {  // EPERM: there, but not ours to signal
        if (Clock::now() >= deadline) return false;
        ::poll(nullptr, 0, 20);
    }
    return true;
}

std::optional<std::string> find_program(const std::string& program, const std::string& path)
{
    if (program.find('/') != std::string::npos) return program;
    if (program.empty()) return std::nullopt;
    std::size_t start = 0;
    while (start <= path.size()) {
        auto end = path.find(':', start);
        if (end == std::string::npos) end = path.size();
        std::string dir = path.substr(start, end - start);
        if (dir.empty()) dir = ".";
        const std::string candidate = dir + "/" + program;
        struct stat info {};
        if (::stat(candidate.c_str(), &info) == 0 && S_ISREG(info.st_mode) && ::access(candidate.c_str(), X_OK) == 0)
            return candidate;
        start = end + 1;
    }
    return std::nullopt;
}

Child spawn(const Spec& spec)
{
    if (spec.argv.empty()) throw std::invalid_argument("spawn: empty argv");
    const std::string& name = spec.argv[0];

    // Everything the child needs is made before fork: it only calls
    // async-signal-safe functions.
    std::vector<std::string> env;
    if (spec.environment) env = *spec.environment;
    else
        for (char** e = environ; e && *e; ++e) env.emplace_back(*e);
    for (const auto& [key, value] : spec.env) {
        const std::string prefix = key + "=";
        std::erase_if(env, [&](const std::string& e) { return e.rfind(prefix, 0) == 0; });
        env.push_back(prefix + value);
    }
    std::string program = spec.program;
    if (program.empty()) {
        std::string path = "/usr/local/bin:/usr/bin:/bin";
        for (const auto& e : env)
            if (e.rfind("PATH=", 0) == 0) path = e.substr(5);
        const auto found = find_program(name, path);
        if (!found) throw SpawnError(name, std::strerror(ENOENT), ENOENT);
        program = *found;
    }
    std::vector<std::string> args = spec.argv;
    auto argv = pointers(args);
    auto envp = pointers(env);

    Pipe report;
    std::optional<Pipe> in, out, err;
    Fd null;
    if (spec.stdin_from == Input::null) {
        null.fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (null.fd < 0) fail("open /dev/null");
    }
    if (spec.stdin_from == Input::text || spec.stdin_from == Input::pipe) in.emplace();
    if (spec.output != Output::inherit) out.emplace();
    if (spec.output == Output::separate) err.emplace();
    const pid_t parent = ::getpid();

    // Signals stay blocked across fork, so no handler of ours runs in the
    // child before it has reset them.
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    const pid_t pid = ::fork();
    if (pid == 0) {
        const int r = report.write.fd;
        struct sigaction dfl {};
        dfl.sa_handler = SIG_DFL;
        for (int sig = 1; sig < NSIG; ++sig)
            if (sig != SIGKILL && sig != SIGSTOP) ::sigaction(sig, &dfl, nullptr);
        sigset_t none;
        sigemptyset(&none);
        if (spec.own_group && ::setpgid(0, 0) != 0) child_fail(r, step_setup);
#ifdef __linux__
        if (spec.parent_death_signal != 0) {
            ::prctl(PR_SET_PDEATHSIG, spec.parent_death_signal);
            const pid_t now = ::getppid();  // 0: the parent is outside our PID namespace
            if (now != parent && now != 0) ::_exit(127);
        }
#else
        (void)parent;
#endif
        if (null.fd >= 0 && !move_fd(null.fd, 0)) child_fail(r, step_setup);
        if (in && !move_fd(in->read.fd, 0)) child_fail(r, step_setup);
        if (out && !move_fd(out->write.fd, 1)) child_fail(r, step_setup);
        if (out && !move_fd(err ? err->write.fd : out->write.fd, 2)) child_fail(r, step_setup);
        if (spec.pre_exec.run) {
            const char* step = nullptr;
            if (const int e = spec.pre_exec.run(step)) {
                errno = e;
                child_fail(r, step_pre_exec, step);
            }
        }
        if (!spec.cwd.empty() && ::chdir(spec.cwd.c_str()) != 0) child_fail(r, step_chdir);
        pthread_sigmask(SIG_SETMASK, &none, nullptr);
        ::execve(program.c_str(), argv.data(), envp.data());
        child_fail(r, step_exec);
    }
    const int fork_error = errno;
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    if (pid < 0) {
        errno = fork_error;
        fail("fork");
    }

    Child child;
    child.pid_ = pid;
    child.group_ = spec.own_group;
    child.pidfd_ = pidfd_for(pid);
    report.write.reset();
    if (in) in->read.reset();
    if (out) out->write.reset();
    if (err) err->write.reset();

    // EOF on the report pipe (close-on-exec) means exec succeeded.
    std::string said;
    for (;;) {
        char chunk[512];
        const ssize_t got = ::read(report.read.fd, chunk, sizeof chunk);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        said.append(chunk, static_cast<std::size_t>(got));
    }
    if (said.size() >= sizeof(Report)) {
        child.reap();
        Report r{};
        std::memcpy(&r, said.data(), sizeof r);
        const std::string detail = said.substr(sizeof r);
        std::string why = std::strerror(r.error);
        if (r.step == step_pre_exec) why = (detail.empty() ? spec.pre_exec.what : detail) + ": " + why;
        if (r.step == step_chdir) why = "chdir " + spec.cwd + ": " + why;
        if (r.step == step_setup) why = "setting up the child: " + why;
        throw SpawnError(name, why, r.error);
    }
    if (in) child.in_ = in->write.release();
    if (out) child.out_ = out->read.release();
    if (err) child.err_ = err->read.release();
    if (spec.stdin_from == Input::text) {
        ::fcntl(child.in_, F_SETFL, ::fcntl(child.in_, F_GETFL) | O_NONBLOCK);
        child.pending_ = spec.input;
        if (child.pending_.empty()) child.close_input();
        else child.pump(Clock::time_point::min(), [](bool, std::string_view) {}, false);  // as much as the pipe takes
    }
    return child;
}

Child::~Child()
{
    if (pid_ > 0 && !exit_) {
        kill(SIGKILL);
        reap();
    }
    close_all();
}

Child::Child(Child&& other) noexcept { *this = std::move(other); }

Child& Child::operator=(Child&& other) noexcept
{
    std::swap(pid_, other.pid_);
    std::swap(pidfd_, other.pidfd_);
    std::swap(in_, other.in_);
    std::swap(out_, other.out_);
    std::swap(err_, other.err_);
    std::swap(group_, other.group_);
    std::swap(pending_, other.pending_);
    std::swap(written_, other.written_);
    std::swap(exit_, other.exit_);
    return *this;
}

void Child::close_all()
{
    close_input();
    for (int* fd : {&out_, &err_, &pidfd_})
        if (*fd >= 0) ::close(std::exchange(*fd, -1));
}

void Child::close_input()
{
    if (in_ >= 0) ::close(std::exchange(in_, -1));
    pending_.clear();
}

bool Child::pump(Clock::time_point deadline, const std::function<void(bool, std::string_view)>& sink,
                 bool wake_on_exit)
{
    const bool feeding = in_ >= 0 && written_ < pending_.size();
    if (out_ < 0 && err_ < 0 && !feeding) return false;
    pollfd fds[4];
    nfds_t n = 0;
    for (int fd : {out_, err_})
        if (fd >= 0) fds[n++] = {fd, POLLIN, 0};
    if (feeding) fds[n++] = {in_, POLLOUT, 0};
    int timeout = poll_timeout(deadline);
    if (wake_on_exit && running()) {
        if (exited_now()) return true;  // to be reaped
        if (pidfd_ >= 0) fds[n++] = {pidfd_, POLLIN, 0};
        else if (timeout < 0 || timeout > 10) timeout = 10;  // no pidfd: look again
    }
    const int ready = ::poll(fds, n, timeout);
    if (ready < 0) {
        if (errno == EINTR) return true;
        fail("poll");
    }
    for (nfds_t i = 0; ready > 0 && i < n; ++i) {
        if (fds[i].revents == 0) continue;
        if (fds[i].fd == in_) {
            const ssize_t w = write_no_sigpipe(in_, pending_.data() + written_, pending_.size() - written_);
            if (w > 0) written_ += static_cast<std::size_t>(w);
            if ((w < 0 && errno != EAGAIN) || written_ == pending_.size()) close_input();
            continue;
        }
        if (fds[i].fd != out_ && fds[i].fd != err_) continue;  // the pidfd: the caller waits
        char buffer[65536];
        ssize_t got;
        do got = ::read(fds[i].fd, buffer, sizeof buffer);
        while (got < 0 && errno == EINTR);
        const bool is_err = fds[i].fd == err_;
        if (got > 0) {
            sink(is_err, std::string_view(buffer, static_cast<std::size_t>(got)));
        } else if (got == 0 || errno != EAGAIN) {
            ::close(fds[i].fd);
            (is_err ? err_ : out_) = -1;
        }
    }
    return out_ >= 0 || err_ >= 0 || (in_ >= 0 && written_ < pending_.size());
}

bool Child::exited_now()
{
    siginfo_t info{};
    return ::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid_;
}

std::optional<Exit> Child::wait_until(Clock::time_point deadline)
{
    if (exit_ || pid_ <= 0) return exit_;
    while (!exited_now()) {
        const int timeout = poll_timeout(deadline);
        if (timeout == 0) return std::nullopt;
        if (pidfd_ >= 0) {
            pollfd p{pidfd_, POLLIN, 0};
            ::poll(&p, 1, timeout);  // EINTR: look again
        } else {
            ::poll(nullptr, 0, timeout < 0 || timeout > 10 ? 10 : timeout);  // no pidfd: look again
        }
    }
    // The leader is a zombie until reaped, so its group's id cannot be reused yet.
    if (group_) ::kill(-pid_, SIGKILL);
    reap();
    return exit_;
}

Exit Child::wait()
{
    if (pid_ <= 0) throw std::logic_error("wait: no child");
    return *wait_until(Clock::time_point::max());
}

void Child::reap()
{
    int status = 0;
    pid_t got;
    do got = ::waitpid(pid_, &status, 0);
    while (got < 0 && errno == EINTR);
    Exit e;
    if (got == pid_ && WIFEXITED(status)) e.code = WEXITSTATUS(status);
    if (got == pid_ && WIFSIGNALED(status)) e.signal = WTERMSIG(status);
    exit_ = e;
    if (pidfd_ >= 0) ::close(std::exchange(pidfd_, -1));
}

void Child::kill(int signal)
{
    if (pid_ > 0 && !exit_) ::kill(group_ ? -pid_ : pid_, signal);
}

Result run(const Spec& spec, std::chrono::milliseconds timeout, std::size_t cap, std::chrono::milliseconds linger)
{
    const auto start = Clock::now();
    const auto deadline = start + timeout;
    Child child = spawn(spec);
    Capped out{cap, {}, {}}, err{cap, {}, {}};
    Result result;
    Clock::time_point until = deadline;  // how long to read: the deadline, then `linger` after the end
    for (;;) {
        if (child.running() && child.try_wait()) until = Clock::now() + linger;
        if (child.running() && Clock::now() >= deadline) {
            result.timed_out = true;
            child.kill(SIGKILL);
            child.wait();
            until = Clock::now() + linger;
        }
        if (!child.running() && Clock::now() >= until) break;
        const auto sink = [&](bool is_err, std::string_view chunk) { (is_err ? err : out).add(chunk); };
        if (!child.pump(child.running() ? std::min(until, deadline) : until, sink)) break;
    }
    if (child.running() && !child.wait_until(deadline)) {
        result.timed_out = true;  // it closed its output, but did not end
        child.kill(SIGKILL);
    }
    result.exit = child.running() ? child.wait() : *child.exit();
    result.out = out.text();
    result.err = err.text();
    result.dropped = out.dropped + err.dropped;
    result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return result;
}

} // namespace netlabs::process

#include "session.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <poll.h>
#include <unistd.h>

#include "cleanup.hpp"
#include "match.hpp"

extern char** environ;

namespace docrun {

namespace {

constexpr std::string_view ready_prefix = "listening on ";  // see netlabs/ready.hpp
constexpr milliseconds tick{10};  // without a pidfd, how often a wait for an exit looks again
constexpr milliseconds grace{2000};  // SIGTERM, then this long, then SIGKILL

std::string basename_of(const std::string& program)
{
    const auto slash = program.rfind('/');
    return slash == std::string::npos ? program : program.substr(slash + 1);
}

// Set while children are being stopped: then a signal must not interrupt
// (stopping also runs from the destructor, during the unwinding).
class Stopping {
public:
    explicit Stopping(bool& flag) : flag_(flag), before_(flag) { flag_ = true; }
    ~Stopping() { flag_ = before_; }
    Stopping(const Stopping&) = delete;
    Stopping& operator=(const Stopping&) = delete;

private:
    bool& flag_;
    bool before_;
};

} // namespace

struct Session::Child {
    netlabs::process::Child process;
    pid_t pid = -1;
    int fd = -1;               // read end of its output pipe; -1 after EOF
    bool background = false;
    std::string program;       // for the "[lab01-server]" prefix
    std::string output;
    std::size_t scanned = 0;   // bytes already searched for the ready line
    std::size_t shown = 0;     // bytes already passed to background_line
    bool ready = false;
    std::optional<int> exit_code;
    std::optional<int> signal;

    ~Child()
    {
        if (fd >= 0) close(fd);
    }
};

Session::Session(const std::string& bin_dir, const std::string& doc_path, Listener* listener)
    : bin_dir_(bin_dir), listener_(listener)
{
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/netlabs-doc-XXXXXX";
    if (!mkdtemp(pattern.data()))
        throw std::runtime_error("cannot create a temporary directory " + pattern + ": " + std::strerror(errno));
    directory_ = pattern;

    for (char** e = environ; e && *e; ++e) {
        const std::string_view entry = *e;
        if (entry.substr(0, 5) == "PATH=" || entry.substr(0, 12) == "NETLABS_DOC=" ||
            entry.substr(0, 28) == "NETLABS_NOT_IMPLEMENTED_LOG=")
            continue;
        env_.emplace_back(entry);
    }
    const char* path = std::getenv("PATH");
    path_ = bin_dir + ":" + (path && *path ? path : "/usr/local/bin:/usr/bin:/bin");
    env_.push_back("PATH=" + path_);
    std::error_code ignored;
    env_.push_back("NETLABS_DOC=" + std::filesystem::absolute(doc_path, ignored).string());
    env_.push_back("NETLABS_NOT_IMPLEMENTED_LOG=" + directory_ + "/not-implemented.log");
}

std::vector<std::string> Session::stubs_reached() const
{
    std::vector<std::string> lines;
    std::ifstream in(directory_ + "/not-implemented.log");
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!line.empty() && std::find(lines.begin(), lines.end(), line) == lines.end()) lines.push_back(line);
    }
    return lines;
}

Session::~Session()
{
    stop_background();
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
}

Launch Session::prepare(const Command& command) const
{
    Launch launch;
    launch.argv = command.argv;
    launch.env = env_;
    launch.cwd = directory_;
    std::string path = path_;
    for (const auto& [name, value] : command.env) {
        const std::string prefix = name + "=";
        std::erase_if(launch.env, [&](const std::string& e) { return e.rfind(prefix, 0) == 0; });
        launch.env.push_back(prefix + value);
        if (name == "PATH") path = value;
    }
    const auto program = netlabs::process::find_program(command.argv[0], path);
    if (!program)
        throw std::runtime_error("program '" + command.argv[0] + "' not found in " + bin_dir_ +
                                 " or on PATH (is it built? './netlabs build' builds the labs)");
    launch.program = *program;
    return launch;
}

Finished Session::run(Host& host, const Command& command, milliseconds timeout)
{
    const Launch launch = prepare(command);
    Child child;
    child.process = host.spawn(launch);
    child.pid = child.process.pid();
    track_child(child.pid);
    child.fd = child.process.release_output();
    child.program = basename_of(command.argv[0]);

    const auto deadline = Clock::now() + timeout;
    pump(deadline, &child, [&] { return child.fd < 0; });
    if (child.fd < 0) wait_exit(child, deadline);  // the output has ended; now the exit

    Finished finished;
    if (!child.exit_code) {
        finished.timed_out = true;
        stop(child, grace);
    }
    finished.output = std::move(child.output);
    finished.exit_code = child.exit_code.value_or(-1);
    finished.signal = child.signal;
    return finished;
}

Started Session::start(Host& host, const Command& command, milliseconds ready_timeout)
{
    const Launch launch = prepare(command);
    auto owned = std::make_unique<Child>();
    Child& child = *owned;
    child.background = true;
    child.program = basename_of(command.argv[0]);
    child.process = host.spawn(launch);
    child.pid = child.process.pid();
    track_child(child.pid);
    child.fd = child.process.release_output();
    background_.push_back(std::move(owned));

    pump(Clock::now() + ready_timeout, nullptr, [&] { return child.ready || child.fd < 0; });
    Started started;
    if (child.ready) {
        started.ready = true;
        started.output = child.output.substr(0, child.shown);
        return started;
    }
    started.timed_out = child.fd >= 0;
    if (!started.timed_out) wait_exit(child, Clock::now() + grace);  // its output ended: it is exiting
    stop(child, grace);
    if (!started.timed_out) started.exit_code = child.exit_code;
    started.output = child.output;
    background_.pop_back();
    return started;
}

void Session::poll_background()
{
    pump(Clock::now(), nullptr, [] { return false; });
    for (auto& child : background_) show_background_lines(*child);
}

void Session::stop_background(milliseconds wait)
{
    const Stopping stopping(stopping_);
    std::vector<Child*> exits;
    for (auto& child : background_) {
        if (!reap(*child)) child->process.kill(SIGTERM);
        exits.push_back(child.get());
    }
    pump(Clock::now() + wait, nullptr, [&] {
        bool gone = true;
        for (auto& child : background_) gone = reap(*child).has_value() && gone;
        return gone;
    }, exits);
    for (auto& child : background_) {
        stop(*child, milliseconds(0));
        show_background_lines(*child);
    }
    background_.clear();
}

// Reads whatever the children print until `done()` or `deadline`; the exit
// of a child in `exits` wakes it up too (on its pidfd), so that done() can see it.
void Session::pump(Clock::time_point deadline, Child* foreground, const std::function<bool()>& done,
                   const std::vector<Child*>& exits)
{
    int rounds_after_deadline = 0;  // past the deadline, keep reading only what is already there
    while (!done()) {
        if (!stopping_) throw_if_interrupted();
        std::vector<pollfd> fds;
        std::vector<Child*> owners;
        const auto watch = [&](Child* c) {
            if (c && c->fd >= 0) {
                fds.push_back({c->fd, POLLIN, 0});
                owners.push_back(c);
            }
        };
        watch(foreground);
        for (auto& child : background_) watch(child.get());
        const std::size_t outputs = fds.size();
        bool look_again = false;  // a child without a pidfd: look for its exit every tick
        for (Child* c : exits) {
            if (!c->process.running()) continue;
            if (c->process.exit_fd() >= 0) fds.push_back({c->process.exit_fd(), POLLIN, 0});
            else look_again = true;
        }

        const auto left = std::chrono::ceil<milliseconds>(deadline - Clock::now()).count();
        const int wait = static_cast<int>(std::clamp<long long>(left, 0, look_again ? tick.count() : 1000));
        const int ready = poll(fds.data(), fds.size(), wait);
        if (ready < 0 && errno != EINTR) throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
        for (std::size_t i = 0; ready > 0 && i < outputs; ++i)
            if (fds[i].revents != 0) read_from(*owners[i]);
        if (left <= 0 && (ready <= 0 || ++rounds_after_deadline > 64)) return;
    }
}

void Session::read_from(Child& child)
{
    char buffer[65536];
    const ssize_t got = read(child.fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) return;
    if (got <= 0) {
        close(child.fd);
        child.fd = -1;
        if (child.ready) show_background_lines(child);
        return;
    }
    const std::string_view chunk(buffer, static_cast<std::size_t>(got));
    child.output += chunk;
    if (!child.background) {
        if (listener_) listener_->output(chunk);
        return;
    }
    if (child.ready) return show_background_lines(child);
    // Look for the ready line among the complete lines.
    for (auto end = child.output.find('\n', child.scanned); end != std::string::npos;
         end = child.output.find('\n', child.scanned)) {
        const std::string_view line = std::string_view(child.output).substr(child.scanned, end - child.scanned);
        child.scanned = end + 1;
        if (line.substr(0, ready_prefix.size()) == ready_prefix) {
            child.ready = true;
            child.shown = child.scanned;  // later lines are shown by poll_background
            break;
        }
    }
}

void Session::show_background_lines(Child& child)
{
    if (!child.ready) return;
    while (child.shown < child.output.size()) {
        auto end = child.output.find('\n', child.shown);
        if (end == std::string::npos) {
            if (child.fd >= 0) return;  // wait for the rest of the line
            end = child.output.size();
        }
        const std::string_view line = rstrip(std::string_view(child.output).substr(child.shown, end - child.shown));
        child.shown = std::min(end + 1, child.output.size());
        if (listener_) listener_->background_line(child.program, line);
    }
}

std::optional<int> Session::reap(Child& child)
{
    if (child.exit_code) return child.exit_code;
    const auto exit = child.process.try_wait();
    if (!exit) return std::nullopt;
    forget_child(child.pid);
    if (exit->signal != 0) child.signal = exit->signal;
    child.exit_code = exit->status();
    return child.exit_code;
}

// Waits for the child's exit until `deadline`, reading output meanwhile.
bool Session::wait_exit(Child& child, Clock::time_point deadline)
{
    pump(deadline, child.background ? nullptr : &child, [&] { return reap(child).has_value(); }, {&child});
    return child.exit_code.has_value();
}

// SIGTERM, up to `wait` for the exit, then SIGKILL; by PID only.
void Session::stop(Child& child, milliseconds wait)
{
    const Stopping stopping(stopping_);
    if (!reap(child)) {
        child.process.kill(SIGTERM);
        wait_exit(child, Clock::now() + wait);
    }
    if (!reap(child)) {
        child.process.kill(SIGKILL);
        const auto exit = child.process.wait();
        forget_child(child.pid);
        child.signal = exit.signal;
        child.exit_code = exit.status();
    }
    // Take what is left in the pipe, without waiting for a writer that lives on.
    while (child.fd >= 0) {
        pollfd fd{child.fd, POLLIN, 0};
        if (poll(&fd, 1, 0) <= 0) break;
        read_from(child);
    }
}

} // namespace docrun

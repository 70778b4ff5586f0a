#include "netlabs/testing/process.hpp"

#include <csignal>
#include <stdexcept>

namespace netlabs::testing {
namespace {

std::string tail(const std::string& text)
{
    constexpr std::size_t keep = 4000;
    return text.size() <= keep ? text : "..." + text.substr(text.size() - keep);
}

process::Spec spec_for(std::vector<std::string> argv, std::optional<std::string> input)
{
    if (argv.empty()) throw std::invalid_argument("Process: empty argv");
    process::Spec spec(std::move(argv));
    // A test that crashes (an ASan report, a failed REQUIRE in a destructor)
    // must not leave its servers running: they die with the test (Linux).
    spec.parent_death_signal = SIGKILL;
    if (input) {
        spec.stdin_from = process::Input::text;
        spec.input = std::move(*input);
    }
    return spec;
}

} // namespace

std::string Result::describe() const
{
    return "exit " + std::to_string(exit_code) + "\n--- stdout ---\n" + tail(out) +
           "\n--- stderr ---\n" + tail(err);
}

Process::Process(std::vector<std::string> argv, std::optional<std::string> input)
    : child_(process::spawn(spec_for(std::move(argv), std::move(input))))
{
    reader_ = std::thread([this] {
        const auto sink = [this](bool is_err, std::string_view chunk) {
            std::lock_guard lock(mutex_);
            (is_err ? err_ : out_).append(chunk);
            changed_.notify_all();
        };
        while (child_.pump(process::Clock::time_point::max(), sink, false)) {}
        std::lock_guard lock(mutex_);
        open_ = false;
        changed_.notify_all();
    });
}

Process::~Process()
{
    child_.kill(SIGKILL);
    child_.wait();
    if (reader_.joinable()) reader_.join();
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
        if (!open_)
            throw std::runtime_error("the program exited (or closed its output) before printing a line "
                                     "matching '" + pattern + "'\n--- stdout ---\n" + tail(out_) +
                                     "\n--- stderr ---\n" + tail(err_));
        if (changed_.wait_until(lock, deadline) == std::cv_status::timeout)
            throw std::runtime_error("no line matching '" + pattern + "' within " +
                                     std::to_string(timeout.count()) + " ms\n--- stdout ---\n" +
                                     tail(out_) + "\n--- stderr ---\n" + tail(err_));
    }
}

std::string Process::wait_for_err(const std::string& pattern, std::chrono::milliseconds timeout) const
{
    const std::regex re(pattern);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::unique_lock lock(mutex_);
    for (;;) {
        std::smatch m;
        if (std::regex_search(err_, m, re)) return m.str(0);
        if (!open_)
            throw std::runtime_error("the program exited (or closed its output) before its standard error "
                                     "matched '" + pattern + "'\n--- stderr ---\n" + tail(err_));
        if (changed_.wait_until(lock, deadline) == std::cv_status::timeout)
            throw std::runtime_error("no line matching '" + pattern + "' on standard error within " +
                                     std::to_string(timeout.count()) + " ms; it has:\n" + err_);
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
    const auto exit = child_.wait_until(deadline);
    if (!exit) {
        child_.kill(SIGKILL);
        child_.wait();
        throw std::runtime_error("the program did not exit within " + std::to_string(timeout.count()) +
                                 " ms (killed)\n--- stdout ---\n" + tail(out()) + "\n--- stderr ---\n" + tail(err()));
    }
    // The child is gone: its pipes reach EOF once any grandchildren close them too.
    std::unique_lock lock(mutex_);
    changed_.wait_until(lock, deadline, [this] { return !open_; });
    return Result{exit->status(), out_, err_};
}

Result Process::stop(int signal, std::chrono::milliseconds timeout)
{
    child_.kill(signal);
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

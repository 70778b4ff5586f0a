#include "cleanup.hpp"

#include <atomic>
#include <csignal>
#include <cstdlib>

namespace docrun {
namespace {

constexpr int slots = 256;
std::atomic<pid_t> children[slots];
std::atomic<int> caught{0};

extern "C" void on_signal(int sig)
{
    for (auto& child : children) {
        const pid_t pid = child.load();
        if (pid > 0) kill(pid, SIGTERM);
    }
    if (caught.exchange(sig) != 0) {
        std::signal(sig, SIG_DFL);
        std::raise(sig);
    }
}

} // namespace

void install_cleanup_handlers()
{
    struct sigaction action{};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;  // no SA_RESTART: a wait returns EINTR and sees the signal
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) sigaction(sig, &action, nullptr);
}

void track_child(pid_t pid)
{
    for (auto& child : children) {
        pid_t empty = 0;
        if (child.compare_exchange_strong(empty, pid)) return;
    }
}

void forget_child(pid_t pid)
{
    for (auto& child : children) {
        pid_t expected = pid;
        if (child.compare_exchange_strong(expected, 0)) return;
    }
}

void throw_if_interrupted()
{
    if (const int sig = caught.load()) throw Interrupted{sig};
}

void die_by(int signal)
{
    std::signal(signal, SIG_DFL);
    std::raise(signal);
    std::_Exit(128 + signal);
}

} // namespace docrun

#include "cleanup.hpp"

#include <atomic>
#include <csignal>

namespace docrun {
namespace {

constexpr int slots = 256;
std::atomic<pid_t> children[slots];

extern "C" void on_signal(int sig)
{
    for (auto& child : children) {
        const pid_t pid = child.load();
        if (pid > 0) kill(pid, SIGTERM);
    }
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

} // namespace

void install_cleanup_handlers()
{
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) std::signal(sig, on_signal);
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

} // namespace docrun

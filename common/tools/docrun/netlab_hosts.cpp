#include "netlab_hosts.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <regex>
#include <stdexcept>
#include <thread>

#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pipe.hpp"

namespace docrun {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto up_timeout = std::chrono::seconds(30);

// A host of a running topology: every launch goes through `netlabs-net exec`.
class NetlabHost : public Host {
public:
    NetlabHost(std::string net, std::string instance, std::string host)
        : net_(std::move(net)), instance_(std::move(instance)), host_(std::move(host))
    {
    }
    std::string name() const override { return host_; }
    pid_t spawn(const Launch& launch, int output) override
    {
        Launch wrapped = launch;
        wrapped.program = net_;
        wrapped.argv = {net_, "exec", instance_, host_, "--", launch.program};
        wrapped.argv.insert(wrapped.argv.end(), launch.argv.begin() + 1, launch.argv.end());
        return spawn_process(wrapped, output);
    }

private:
    std::string net_, instance_, host_;
};

// Runs argv to completion and returns its exit code and output (the probe).
std::pair<int, std::string> run_quietly(const std::string& program, const std::vector<std::string>& argv)
{
    Pipe out = Pipe::make();
    const pid_t pid = spawn_process({program, argv, {}, "/"}, out.write_end());
    out.close_write();
    std::string text;
    char chunk[512];
    ssize_t n;
    while ((n = read(out.read_end(), chunk, sizeof chunk)) != 0) {
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        text.append(chunk, static_cast<std::size_t>(n));
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), text};
}

// "docs/en/lab02.md" -> "lab02"; "" when the name says no lab.
std::string lab_of(const std::string& doc_path)
{
    std::smatch m;
    static const std::regex re(R"((lab0[1-9])[^/]*\.md$)");
    return std::regex_search(doc_path, m, re) ? m[1].str() : std::string();
}

} // namespace

NetlabHosts::NetlabHosts(std::string bin_dir) : bin_dir_(std::move(bin_dir)), net_(bin_dir_ + "/netlabs-net") {}

NetlabHosts::~NetlabHosts() { down(); }

Host* NetlabHosts::lookup(const std::string& doc_path, const std::string& name, std::string& why_not)
{
    // Only a lab's doc (docs/<lang>/labNN.md) says which topology to build.
    const std::string lab = lab_of(doc_path);
    if (lab.empty()) {
        why_not = "needs the virtual network (lab topology)";
        return nullptr;
    }
    if (!probed_) {
        probed_ = true;
        if (access(net_.c_str(), X_OK) != 0) unavailable_ = "needs the virtual network: " + net_ + " is not built";
        else {
            auto [code, text] = run_quietly(net_, {net_, "probe"});
            while (!text.empty() && text.back() == '\n') text.pop_back();
            if (code != 0) unavailable_ = text.empty() ? "the virtual network is unavailable here" : text;
        }
    }
    if (unavailable_) {
        why_not = *unavailable_;
        return nullptr;
    }
    if (lab != lab_) {
        down();
        instance_ = "docrun-" + std::to_string(getpid()) + "-" + std::to_string(++count_);
        Pipe out = Pipe::make();
        supervisor_ = spawn_process({net_, {net_, "up", lab, "--name", instance_}, {}, "/"}, out.write_end());
        out.close_write();
        output_ = out.release_read();

        // Wait (bounded) for "netlab NAME is up"; keep what it said for an error.
        const std::string ready = "netlab " + instance_ + " is up";
        const auto deadline = Clock::now() + up_timeout;
        std::string said;
        bool up = false;
        while (!up) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
            if (left.count() <= 0) break;
            pollfd p{output_, POLLIN, 0};
            if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
            char chunk[512];
            const ssize_t n = read(output_, chunk, sizeof chunk);
            if (n <= 0) break;  // it exited
            said.append(chunk, static_cast<std::size_t>(n));
            up = said.find(ready + "\n") != std::string::npos;
        }
        if (!up) {
            down();
            throw std::runtime_error("cannot bring up " + lab + "'s virtual network: " + net_ + " up " + lab +
                                     " said:\n" + said);
        }
        // Keep reading what it prints, so it never blocks on a full pipe.
        std::thread([fd = output_] {
            char sink[512];
            while (read(fd, sink, sizeof sink) > 0) {}
            close(fd);
        }).detach();
        output_ = -1;  // the drain thread owns it now and ends at EOF
        lab_ = lab;
    }
    auto& host = hosts_[name];
    if (!host) host = std::make_unique<NetlabHost>(net_, instance_, name);
    return host.get();
}

void NetlabHosts::down()
{
    hosts_.clear();
    if (supervisor_ > 0) {
        // SIGTERM takes the topology down; give it 10 s (waiting on a pidfd:
        // readable when it exits), then SIGKILL, which takes it down too.
        kill(supervisor_, SIGTERM);
        const int exited = static_cast<int>(syscall(SYS_pidfd_open, supervisor_, 0));
        if (exited >= 0) {
            pollfd p{exited, POLLIN, 0};
            while (poll(&p, 1, 10000) < 0 && errno == EINTR) {}
            close(exited);
        }
        int status = 0;
        if (waitpid(supervisor_, &status, WNOHANG) == 0) {
            kill(supervisor_, SIGKILL);
            while (waitpid(supervisor_, &status, 0) < 0 && errno == EINTR) {}
        }
        supervisor_ = -1;
    }
    if (output_ >= 0) close(output_);
    output_ = -1;
    lab_.clear();
}

} // namespace docrun

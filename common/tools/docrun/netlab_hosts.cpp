#include "netlab_hosts.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <regex>
#include <stdexcept>
#include <thread>

#include <unistd.h>

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
    netlabs::process::Child spawn(const Launch& launch) override
    {
        Launch wrapped = launch;
        wrapped.program = net_;
        wrapped.argv = {net_, "exec", instance_, host_, "--", launch.program};
        wrapped.argv.insert(wrapped.argv.end(), launch.argv.begin() + 1, launch.argv.end());
        return spawn_process(wrapped);
    }

private:
    std::string net_, instance_, host_;
};


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
            netlabs::process::Spec spec({net_, "probe"});
            spec.output = netlabs::process::Output::merged;
            const auto probe = netlabs::process::run(spec, up_timeout);
            std::string text = probe.out;
            while (!text.empty() && text.back() == '\n') text.pop_back();
            if (probe.exit.status() != 0) unavailable_ = text.empty() ? "the virtual network is unavailable here" : text;
        }
    }
    if (unavailable_) {
        why_not = *unavailable_;
        return nullptr;
    }
    if (lab != lab_) {
        down();
        instance_ = "docrun-" + std::to_string(getpid()) + "-" + std::to_string(++count_);
        supervisor_ = spawn_process({net_, {net_, "up", lab, "--name", instance_}, {}, "/"});

        // Wait (bounded) for "netlab NAME is up"; keep what it said for an error.
        const std::string ready = "netlab " + instance_ + " is up\n";
        const auto deadline = Clock::now() + up_timeout;
        std::string said;
        const auto sink = [&](bool, std::string_view chunk) { said += chunk; };
        while (said.find(ready) == std::string::npos && Clock::now() < deadline && supervisor_->running() &&
               !supervisor_->try_wait())
            if (!supervisor_->pump(deadline, sink)) break;  // its output ended: it exited
        const bool up = said.find(ready) != std::string::npos;
        if (!up) {
            down();
            throw std::runtime_error("cannot bring up " + lab + "'s virtual network: " + net_ + " up " + lab +
                                     " said:\n" + said);
        }
        // Keep reading what it prints, so it never blocks on a full pipe.
        std::thread([fd = supervisor_->release_output()] {
            char drained[512];
            while (read(fd, drained, sizeof drained) > 0) {}
            close(fd);
        }).detach();  // the drain thread owns the pipe now and ends at EOF
        lab_ = lab;
    }
    auto& host = hosts_[name];
    if (!host) host = std::make_unique<NetlabHost>(net_, instance_, name);
    return host.get();
}

void NetlabHosts::down()
{
    hosts_.clear();
    if (supervisor_) {
        // SIGTERM takes the topology down; give it 10 s, then SIGKILL, which
        // takes it down too.
        supervisor_->kill(SIGTERM);
        if (!supervisor_->wait_until(Clock::now() + std::chrono::seconds(10))) supervisor_->kill(SIGKILL);
        supervisor_.reset();  // reaps it
    }
    lab_.clear();
}

} // namespace docrun

// One running copy of a lab's topology for one test: the labs' tests on the
// virtual network share this.
//
//   VirtualNetwork lab("lab03-port-forward/topology.txt", "l3");
//   auto server = lab.start_on("desktop", {bin("lab01-echo-async"), "--host", "0.0.0.0", "--port", "5000"});
//   const Result r = lab.run_on("friend", {bin("lab02-client"), "203.0.113.123", "5000", "hi"});
//
// It comes up under a unique name (netlabs-net up) and goes down when the
// test ends, with every host and program on it. Every host has its own
// network stack, so the posts' ports are safe with tests in parallel, and
// nothing leaves the virtual network. Where the virtual network cannot run
// (no netlabs-net in this build, or a kernel that refuses namespaces), the
// test is skipped with netlabs-net's own reason.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <unistd.h>

#include "programs.hpp"

namespace netlabs::test {

// Why the virtual network cannot run here, or "" when it can.
inline std::string netlab_unavailable()
{
    const std::string net = bin("netlabs-net");
    if (!std::filesystem::exists(net)) return "the virtual network is not in this build (no " + net + ")";
    const Result probe = run({net, "probe"});
    if (probe.exit_code != 0) return "the virtual network cannot run here: " + probe.out + probe.err;
    return "";
}

class VirtualNetwork {
public:
    // `topology`: relative to the course's folder; `prefix`: the start of the
    // instance's name ("l3" -> l3-PID-N), so that `netlabs-net list` says whose it is.
    VirtualNetwork(const std::string& topology, const std::string& prefix)
    {
        const std::string file = source_dir() + "/" + topology;
        if (!std::filesystem::exists(file)) SKIP("no topology " << file);
        if (const std::string why = netlab_unavailable(); !why.empty()) SKIP(why);
        static int count = 0;
        name_ = prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(++count);
        up_ = std::make_unique<Process>(std::vector<std::string>{net_, "up", file, "--name", name_});
        up_->wait_for_line("^netlab " + name_ + " is up$", std::chrono::seconds(30));
    }
    ~VirtualNetwork()
    {
        if (up_) up_->stop();  // SIGTERM: every host, program and rule of the topology goes with it
    }
    VirtualNetwork(const VirtualNetwork&) = delete;
    VirtualNetwork& operator=(const VirtualNetwork&) = delete;

    const std::string& name() const { return name_; }

    // argv, to be run on `host`: netlabs-net exec NAME HOST -- argv...
    std::vector<std::string> on(const std::string& host, const std::vector<std::string>& argv) const
    {
        std::vector<std::string> full{net_, "exec", name_, host, "--"};
        full.insert(full.end(), argv.begin(), argv.end());
        return full;
    }
    Result run_on(const std::string& host, const std::vector<std::string>& argv,
                  std::chrono::milliseconds timeout = std::chrono::seconds(20)) const
    {
        return run(on(host, argv), std::nullopt, timeout);
    }
    std::unique_ptr<Process> start_on(const std::string& host, const std::vector<std::string>& argv) const
    {
        return std::make_unique<Process>(on(host, argv));
    }

private:
    std::string net_ = bin("netlabs-net");
    std::string name_;
    std::unique_ptr<Process> up_;
};

} // namespace netlabs::test

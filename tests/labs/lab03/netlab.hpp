// lab03's tests on the virtual network: one running copy of the lab's
// topology (lab03-port-forward/topology.txt) per test, under a unique name,
// gone when the test ends. Every host has its own network stack, so the
// posts' port 5000 is safe even with tests in parallel, and nothing leaves
// the virtual network.
//
// Where the virtual network cannot run, the tests are skipped with
// netlabs-net's own reason.
#pragma once

#include <filesystem>
#include <memory>

#include <unistd.h>

#include "programs.hpp"

namespace lab03 {

using namespace netlabs::test;

inline std::string source(const std::string& path) { return netlabs::test::source_dir() + "/" + path; }

class Netlab {
public:
    Netlab()
    {
        if (!std::filesystem::exists(net_)) SKIP("the virtual network is not in this build (no " << net_ << ")");
        const Result probe = run({net_, "probe"});
        if (probe.exit_code != 0) SKIP("the virtual network cannot run here: " << probe.out << probe.err);
        static int count = 0;
        name_ = "l3-" + std::to_string(::getpid()) + "-" + std::to_string(++count);
        up_ = std::make_unique<Process>(
            std::vector<std::string>{net_, "up", source("lab03-port-forward/topology.txt"), "--name", name_});
        up_->wait_for_line("^netlab " + name_ + " is up$", 30s);
    }
    ~Netlab()
    {
        if (up_) up_->stop();  // every host and program of the topology goes with it
    }
    Netlab(const Netlab&) = delete;
    Netlab& operator=(const Netlab&) = delete;

    std::vector<std::string> on(const std::string& host, const std::vector<std::string>& argv) const
    {
        std::vector<std::string> full{net_, "exec", name_, host, "--"};
        full.insert(full.end(), argv.begin(), argv.end());
        return full;
    }
    Result run_on(const std::string& host, const std::vector<std::string>& argv,
                  std::chrono::milliseconds timeout = 20s) const
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

// A scratch directory for table files, removed at the end of the test.
struct TempDir {
    std::filesystem::path path;
    TempDir()
    {
        std::string pattern = (std::filesystem::temp_directory_path() / "lab03-test-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        path = pattern;
    }
    ~TempDir()
    {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::string file(const std::string& name, const std::string& content = {}) const
    {
        const auto p = (path / name).string();
        if (!content.empty()) {
            std::FILE* f = std::fopen(p.c_str(), "w");
            std::fputs(content.c_str(), f);
            std::fclose(f);
        }
        return p;
    }
};

const std::string friend_host = "friend", desktop = "desktop", laptop = "laptop", router = "router";

} // namespace lab03

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

#include "virtual_network.hpp"
#include "programs.hpp"

namespace lab03 {

using namespace netlabs::test;

inline std::string source(const std::string& path) { return netlabs::test::source_dir() + "/" + path; }

// One running copy of lab03's topology (tests/support/netlab.hpp).
struct Netlab : netlabs::test::VirtualNetwork {
    Netlab() : netlabs::test::VirtualNetwork("lab03-port-forward/topology.txt", "l3") {}
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

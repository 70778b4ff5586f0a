// What lab04's tests share: the rule files of the lab (written into a
// temporary directory), and one running copy of lab04's topology.
//
// Safety: lab04-firewall apply and nft run only inside the virtual network
// (netlabs-net exec on a host, or netlabs-net isolate), never in this
// machine's own network namespace.
#pragma once

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include <unistd.h>

#include "examples.hpp"
#include "netlabs/process.hpp"
#include "programs.hpp"
#include "virtual_network.hpp"
#include "rules.hpp"

namespace lab04::test {

using namespace netlabs::test;

// An administration tool (nft, iptables-restore, tcpdump) on PATH or in the
// sbin directories; nullopt when it is not installed.
inline std::optional<std::string> tool(const std::string& name)
{
    const char* path = std::getenv("PATH");
    return netlabs::process::find_program(name, std::string(path ? path : "") + ":/usr/sbin:/sbin");
}

// A directory of its own for one test, removed at the end. Make it after
// anything that may SKIP (Netlab, a missing tool): with Catch2 v2, SKIP ends
// the test process at once, and no destructor would remove it.
class TempDir {
public:
    TempDir()
    {
        static int count = 0;
        path_ = std::filesystem::temp_directory_path() /
                ("lab04-test-" + std::to_string(::getpid()) + "-" + std::to_string(++count));
        std::filesystem::create_directories(path_);
    }
    ~TempDir()
    {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    // Writes `text` to NAME in the directory; returns its absolute path.
    std::string write(const std::string& name, const std::string& text) const
    {
        const auto file = path_ / name;
        std::ofstream(file, std::ios::binary) << text;
        return file.string();
    }
    // One of the lab's examples, as NAME.rules.
    std::string example(const std::string& name) const { return write(name + ".rules", example_text(name)); }
    static std::string example_text(const std::string& name)
    {
        for (const auto& e : lab04::examples())
            if (e.name == name) return e.text;
        FAIL("no example named " << name << " in lab04-firewall/examples.cpp");
        return {};
    }
    std::string path() const { return path_.string(); }

private:
    std::filesystem::path path_;
};

// A rule set from text, as if read from "t.rules".
inline lab04::RuleSet rules(const std::string& text) { return lab04::parse_rules(text, "t.rules"); }

// One running copy of lab04's topology (lab04-firewall/topology.txt): the
// home LAN (router 192.168.99.1, desktop .123, laptop .10), the router's
// public address 203.0.113.123 forwarding 5000, 8000 and 22 to the desktop,
// and the friend 198.51.100.8 behind the isp.
class Netlab : public netlabs::test::VirtualNetwork {
public:
    Netlab() : netlabs::test::VirtualNetwork("lab04-firewall/topology.txt", "l4") {}

    // An echo server (lab01-echo-async, no exercise in it) on HOST:PORT, all interfaces.
    std::unique_ptr<Process> echo_server(const std::string& host, int port) const
    {
        auto server = start_on(host, {bin("lab01-echo-async"), "--host", "0.0.0.0", "--port", std::to_string(port)});
        server->wait_listening();
        return server;
    }
    // lab02-client with a 2 s connect timeout: sends `message`, expects it back.
    Result client(const std::string& host, const std::string& address, int port, const std::string& message) const
    {
        return run_on(host, {bin("lab02-client"), "--timeout", "2", address, std::to_string(port), message});
    }
    // lab04-firewall apply FILE on HOST; REQUIREs that it worked.
    void apply(const std::string& host, const std::string& file) const
    {
        const Result r = run_on(host, {bin("lab04-firewall"), "apply", file});
        INFO("on the " << host << ": lab04-firewall apply " << file << "\n" << r.describe());
        REQUIRE(r.exit_code == 0);
    }
};

} // namespace lab04::test

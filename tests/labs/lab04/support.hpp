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
#include <string_view>
#include <vector>

#include <unistd.h>

#include "evaluate.hpp"
#include "examples.hpp"
#include "netlabs/process.hpp"
#include "programs.hpp"
#include "virtual_network.hpp"
#include "rules.hpp"
#include "translate.hpp"

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

// A rule set from text, as if read from "t.rules" (lab04-ex1's parse_port_range
// reads every port in it).
inline lab04::RuleSet rules(const std::string& text) { return lab04::parse_rules(text, "t.rules"); }

// Each exercise is graded on its own, and every rule or packet with a port
// goes through parse_port_range (lab04-ex1). So the tests of ex2, ex3 and ex4
// read their rules and packets with these finished stand-ins, which read
// ports themselves and leave the rest to the lab's finished code (parse_cidr,
// parse_ipv4). They read well-formed text only: what the tests write.
// "rules: the tests' stand-in reader reads every example as parse_rules does"
// (ex1, test_rules.cpp) keeps them honest.
inline lab04::PortRange ports_by_hand(std::string_view text)
{
    auto number = [](std::string_view t) { return static_cast<std::uint16_t>(std::stoi(std::string(t))); };
    const auto dash = text.find('-');
    if (dash == std::string_view::npos) return {number(text), number(text)};
    return {number(text.substr(0, dash)), number(text.substr(dash + 1))};
}

inline std::vector<std::string> words_of(std::string_view text)
{
    std::vector<std::string> words;
    std::string word;
    for (char c : std::string(text) + " ") {
        if (c == ' ' || c == '\t') {
            if (!word.empty()) words.push_back(word);
            word.clear();
        } else {
            word += c;
        }
    }
    return words;
}

inline lab04::Protocol protocol_by_hand(const std::string& word)
{
    if (word == "tcp") return lab04::Protocol::tcp;
    if (word == "udp") return lab04::Protocol::udp;
    if (word == "icmp") return lab04::Protocol::icmp;
    return lab04::Protocol::any;
}

// A rule file's text read by the stand-in, as parse_rules(text, file) reads it.
inline lab04::RuleSet rules_by_hand(const std::string& text, const std::string& file = "t.rules")
{
    using lab04::Action;
    lab04::RuleSet set;
    set.file = file;
    auto action_of = [](const std::string& w) {
        return w == "allow" ? Action::allow : w == "deny" ? Action::deny : Action::reject;
    };
    int number = 0;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(start, end - start);
        start = end + 1;
        ++number;
        if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
        const auto w = words_of(line);
        if (w.empty()) continue;
        if (w[0] == "default") {
            (w[1] == "in" ? set.default_in : set.default_out) = action_of(w[2]);
            continue;
        }
        lab04::Rule rule;
        rule.direction = w[0] == "in" ? lab04::Direction::in : lab04::Direction::out;
        rule.action = action_of(w[1]);
        rule.line = number;
        bool after_from = false;
        for (std::size_t i = 2; i < w.size(); ++i) {
            if (w[i] == "proto") {
                rule.protocol = protocol_by_hand(w[++i]);
            } else if (w[i] == "from" || w[i] == "to") {
                after_from = w[i] == "from";
                (after_from ? rule.from : rule.to) = lab04::parse_cidr(w[i + 1]);
                ++i;
                continue;
            } else if (w[i] == "port") {
                (after_from ? rule.from_port : rule.to_port) = ports_by_hand(w[++i]);
            } else if (w[i] == "name") {
                rule.name = w[++i];
            } else {
                rule.protocol = protocol_by_hand(w[i]);
            }
            after_from = false;
        }
        set.rules.push_back(rule);
    }
    return set;
}

// One of the lab's examples, read by the stand-in, as if from NAME.rules.
inline lab04::RuleSet example_by_hand(const std::string& name)
{
    return rules_by_hand(TempDir::example_text(name), name + ".rules");
}

// "in tcp 198.51.100.8:40000 -> 192.168.99.123:5000" read by the stand-in,
// as parse_packet reads it.
inline lab04::Packet packet_by_hand(const std::string& text)
{
    std::vector<std::string> w;
    for (const auto& word : words_of(text))
        if (word != "->") w.push_back(word);
    lab04::Packet p;
    p.direction = w.at(0) == "in" ? lab04::Direction::in : lab04::Direction::out;
    p.protocol = protocol_by_hand(w.at(1));
    auto read = [](const std::string& word, lab04::Ipv4& address, std::uint16_t& port) {
        const auto colon = word.find(':');
        address = lab04::parse_ipv4(word.substr(0, colon));
        if (colon != std::string::npos) port = static_cast<std::uint16_t>(std::stoi(word.substr(colon + 1)));
    };
    read(w.at(2), p.source, p.source_port);
    read(w.at(3), p.destination, p.destination_port);
    return p;
}

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
    // Loads an nftables ruleset file on HOST with nft -f (what lab04-firewall
    // apply does); REQUIREs that it worked.
    void load_nft(const std::string& host, const std::string& file) const
    {
        const auto nft = tool("nft");
        REQUIRE(nft);  // the virtual network came up, so nft is there
        const Result r = run_on(host, {*nft, "-f", file});
        INFO("on the " << host << ": nft -f " << file << "\n" << r.describe());
        REQUIRE(r.exit_code == 0);
    }
    // One of the lab's examples on HOST: the ruleset to_nft (lab04-ex3) makes of
    // it, read by the stand-in (no lab04-ex1), loaded as lab04-firewall apply
    // would load it.
    void apply(const std::string& host, const TempDir& dir, const std::string& example) const
    {
        const std::string file = dir.write(example + ".nft", lab04::to_nft(example_by_hand(example)));
        INFO("the ruleset of " << example << ".rules, from lab04::to_nft");
        load_nft(host, file);
    }
};

} // namespace lab04::test

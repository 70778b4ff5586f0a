// One rule file for five firewalls: nftables (checked by nft itself, in a
// network namespace of its own), iptables (iptables-restore --test where it is
// installed), and pf, Windows and ufw against golden files.
// Doc: docs/en/lab04.md#from-rules-to-nftables and #the-same-rules-elsewhere.
//
// The golden files are tests/labs/lab04/golden/EXAMPLE.TOOL. After a change
// you mean, rewrite them with NETLABS_UPDATE_GOLDEN=1 and read the diff.
#include <cstdlib>
#include <sstream>

#include "netlabs/process.hpp"
#include "support.hpp"
#include "translate.hpp"

using namespace lab04::test;

namespace {

const char* const nft_doc = "see docs/en/lab04.md#from-rules-to-nftables";
const char* const elsewhere_doc = "see docs/en/lab04.md#the-same-rules-elsewhere";

const std::vector<std::string> golden_examples{"seed000", "seed002", "desktop", "outbound"};

std::string read_file(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Compares `got` with the golden file NAME (or rewrites it).
void check_golden(const std::string& name, const std::string& got)
{
    const std::string path = source_dir() + "/tests/labs/lab04/golden/" + name;
    if (const char* update = std::getenv("NETLABS_UPDATE_GOLDEN"); update && std::string(update) == "1") {
        std::ofstream(path, std::ios::binary) << got;
        return;
    }
    const std::string expected = read_file(path);
    INFO("golden file " << path << "\nexpected:\n" << expected << "\ngot:\n" << got);
    CHECK(got == expected);
}

lab04::RuleSet example(const std::string& name)
{
    return lab04::parse_rules(TempDir::example_text(name), name + ".rules");
}

} // namespace

// The tests of ex3 read their rules with the stand-in of support.hpp, not
// parse_rules: they grade nft_rule alone, without lab04-ex1.
TEST_CASE("nft: one rule in nftables' words", "[lab04][nft][ex3]")
{
    INFO("lab04-firewall/nft.cpp, nft_rule; " << nft_doc);
    const std::vector<std::pair<std::string, std::string>> cases{
        {"in allow tcp port 5000 name test", "tcp dport 5000 accept comment \"test\""},
        {"in deny from 192.168.0.100", "ip saddr 192.168.0.100 drop"},
        {"in reject tcp port 8000", "tcp dport 8000 reject with tcp reset"},
        {"in reject udp port 6000-6010", "udp dport 6000-6010 reject"},
        {"in reject from 10.0.0.0/8", "ip saddr 10.0.0.0/8 reject"},
        {"in allow icmp", "meta l4proto icmp accept"},
        {"out deny tcp", "meta l4proto tcp drop"},
        {"out deny udp to 198.51.100.8", "ip daddr 198.51.100.8 meta l4proto udp drop"},
        {"in allow", "accept"},
        {"in allow tcp from 198.51.100.8 port 1024-65535 to 192.168.99.123 port 22 name ssh",
         "ip saddr 198.51.100.8 ip daddr 192.168.99.123 tcp sport 1024-65535 tcp dport 22 accept comment \"ssh\""},
        {"out allow proto tcp from 203.0.113.123 port 5000 to any", "ip saddr 203.0.113.123 tcp sport 5000 accept"},
    };
    for (const auto& [rule, expected] : cases) {
        const auto set = rules_by_hand(rule);
        REQUIRE(set.rules.size() == 1);
        const std::string got = lab04::nft_rule(set.rules[0]);
        INFO("rule: " << rule << "\nexpected: " << expected << "\n     got: " << got);
        CHECK(got == expected);
    }
}

TEST_CASE("nft: the ruleset lets replies through first, then the rules in order, then the policy", "[lab04][nft][ex3]")
{
    INFO(nft_doc);
    for (const auto& name : golden_examples) {
        CAPTURE(name);
        check_golden(name + ".nft", lab04::to_nft(example_by_hand(name)));
    }
    const std::string nft = lab04::to_nft(example_by_hand("seed002"));
    const auto established = nft.find("ct state established,related accept");
    const auto first = nft.find("tcp dport 8000 accept");
    const auto second = nft.find("ip saddr 192.168.99.10 drop");
    INFO(nft);
    CHECK(established < first);
    CHECK(first < second);
    CHECK(second != std::string::npos);
}

TEST_CASE("nft: nft -c accepts every example's ruleset", "[lab04][nft][tool][ex3]")
{
    INFO(nft_doc);
    const auto nft = tool("nft");
    if (!nft) SKIP("nft is not installed (./netlabs setup installs nftables)");
    // nft -c asks the kernel, which needs CAP_NET_ADMIN: in a network namespace
    // of its own (netlabs-net isolate), never this machine's.
    if (const std::string why = netlab_unavailable(); !why.empty()) SKIP(why);
    TempDir dir;
    for (const auto& e : lab04::examples()) {
        if (e.name == "injection") continue;
        const std::string file = dir.write(e.name + ".nft", lab04::to_nft(example_by_hand(e.name)));
        const Result r = run({bin("netlabs-net"), "isolate", "--", *nft, "-c", "-f", file});
        INFO("netlabs-net isolate -- nft -c -f " << file << "\n" << read_file(file) << "\n" << r.describe());
        CHECK(r.exit_code == 0);
    }
}

TEST_CASE("iptables: seed 002's rules come out as the post wrote them", "[lab04][iptables][ex1]")
{
    INFO(elsewhere_doc);
    const std::string out = lab04::to_iptables(rules("default in allow\nin allow tcp port 8000\nin deny from 192.168.0.100\n"));
    INFO(out);
    CHECK_THAT(out, match::Contains("\n:INPUT ACCEPT [0:0]\n"));
    CHECK_THAT(out, match::Contains("\n-A INPUT -p tcp --dport 8000 -j ACCEPT\n-A INPUT -s 192.168.0.100 -j DROP\n"));
    for (const auto& name : golden_examples) {
        CAPTURE(name);
        check_golden(name + ".iptables", lab04::to_iptables(example(name)));
    }
}

TEST_CASE("iptables: iptables-restore --test accepts every example", "[lab04][iptables][tool][ex1]")
{
    INFO(elsewhere_doc);
    const auto restore = tool("iptables-restore");
    if (!restore) SKIP("iptables-restore is not installed (./netlabs setup installs iptables)");
    if (const std::string why = netlab_unavailable(); !why.empty()) SKIP(why);
    TempDir dir;
    for (const auto& e : lab04::examples()) {
        if (e.name == "injection") continue;
        const std::string file = dir.write(e.name + ".iptables", lab04::to_iptables(example(e.name)));
        const Result r = run({bin("netlabs-net"), "isolate", "--", *restore, "--test", file});
        INFO("netlabs-net isolate -- iptables-restore --test " << file << "\n" << read_file(file) << "\n"
                                                                << r.describe());
        CHECK(r.exit_code == 0);
    }
}

TEST_CASE("pf, windows, ufw: each example against its golden file", "[lab04][translate][ex1]")
{
    INFO(elsewhere_doc);
    for (const auto& name : golden_examples) {
        CAPTURE(name);
        check_golden(name + ".pf", lab04::to_pf(example(name)));
        check_golden(name + ".windows", lab04::to_windows(example(name)));
        check_golden(name + ".ufw", lab04::to_ufw(example(name)));
    }
}

TEST_CASE("windows: seed 000's Defender rule, step by step", "[lab04][translate][ex1]")
{
    INFO("seed 000: inbound rule, TCP, port 5000, allow, all profiles, name test; " << elsewhere_doc);
    const std::string out = lab04::to_windows(rules("in allow tcp port 5000 name test\n"));
    CHECK_THAT(out, match::Contains("\nNew-NetFirewallRule -DisplayName \"test\" -Direction Inbound -Protocol TCP "
                                    "-LocalPort 5000 -Action Allow -Profile Any\n"));
    INFO("outbound, the local end is the source; reject becomes Block");
    const std::string out2 = lab04::to_windows(rules("out reject udp from 192.168.99.123 to 198.51.100.0/24 port 53\n"));
    CHECK_THAT(out2, match::Contains("\nNew-NetFirewallRule -DisplayName \"lab04 line 1\" -Direction Outbound "
                                     "-Protocol UDP -LocalAddress 192.168.99.123 -RemoteAddress 198.51.100.0/24 "
                                     "-RemotePort 53 -Action Block -Profile Any\n"));
}

TEST_CASE("ufw and pf: ranges, icmp and order", "[lab04][translate][ex1]")
{
    INFO(elsewhere_doc);
    const auto set = rules("in reject udp port 6000-6010\nin allow icmp\nin deny from 10.0.0.0/8\n");
    const std::string ufw = lab04::to_ufw(set);
    INFO(ufw);
    CHECK_THAT(ufw, match::Contains("\nufw reject in proto udp from any to any port 6000:6010\n"));
    CHECK_THAT(ufw, match::Contains("\n# line 2 (in allow icmp): ufw cannot match icmp on its command line; edit "
                                    "/etc/ufw/before.rules\n"));
    CHECK_THAT(ufw, match::Contains("\nufw deny in from 10.0.0.0/8 to any\n"));
    const std::string pf = lab04::to_pf(set);
    INFO(pf);
    CHECK_THAT(pf, match::Contains("\nblock return in quick proto udp from any to any port 6000:6010\n"
                                   "pass in quick proto icmp all\n"
                                   "block drop in quick from 10.0.0.0/8 to any\n"));
}

// lab04-firewall's command line: --help, one-line errors with exit 2, and
// what check, explain, the translators and example print.
// Doc: docs/en/lab04.md#the-rule-language.
#include <cstdlib>

#include "support.hpp"
#include "translate.hpp"

using namespace lab04::test;

TEST_CASE("lab04-firewall: --help, for the program and each command", "[lab04][usage]")
{
    check_help({"lab04-firewall"});
    for (const std::string command : {"check", "explain", "nft", "apply", "iptables", "pf", "windows", "ufw", "example"}) {
        const Result r = run({bin("lab04-firewall"), command, "--help"});
        INFO("lab04-firewall " << command << " --help\n" << r.describe());
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.out, match::Contains("Usage: lab04-firewall " + command));
    }
}

TEST_CASE("lab04-firewall: bad usage is one line and exit 2", "[lab04][usage][ex1]")
{
    TempDir dir;
    const std::string injection = dir.example("injection");
    const std::string bad_ip = dir.write("bad.rules", "# seed 003's address\nin allow tcp from 210.10.94.277 port 8082\n");
    const std::string ok = dir.example("desktop");
    check_usage_errors({
        {{"lab04-firewall"}, "lab04-firewall: A subcommand is required (see --help)"},
        {{"lab04-firewall", "bogus"},
         "lab04-firewall: unknown command 'bogus': use check, explain, nft, apply, iptables, pf, windows, ufw or "
         "example (see --help)"},
        {{"lab04-firewall", "check"}, "lab04-firewall: FILE is required (see --help)"},
        {{"lab04-firewall", "check", dir.path() + "/missing.rules"},
         "lab04-firewall: " + dir.path() + "/missing.rules: cannot read the rule file (does it exist?)"},
        {{"lab04-firewall", "check", injection},
         "lab04-firewall: " + injection + ":3: invalid port '8000;': must be a number 1-65535"},
        {{"lab04-firewall", "nft", injection},
         "lab04-firewall: " + injection + ":3: invalid port '8000;': must be a number 1-65535"},
        {{"lab04-firewall", "check", bad_ip},
         "lab04-firewall: " + bad_ip + ":2: invalid IPv4 address '210.10.94.277': 277 is more than 255"},
        {{"lab04-firewall", "explain", ok, "in", "tcp", "198.51.100.8"},
         "lab04-firewall: invalid packet: a packet is DIRECTION PROTOCOL SOURCE DESTINATION, e.g. 'in tcp "
         "198.51.100.8:40000 192.168.99.123:5000'"},
        {{"lab04-firewall", "explain", ok, "in", "tcp", "198.51.100.8", "192.168.99.123:70000"},
         "lab04-firewall: invalid packet: invalid port '70000': must be a number 1-65535"},
        {{"lab04-firewall", "example", "nope"},
         "lab04-firewall: unknown example 'nope': known are seed000, pf-as-written, desktop, seed002, seed002-fixed, "
         "outbound, injection, web"},
    });
}

TEST_CASE("lab04-firewall: apply refuses to touch this machine's firewall", "[lab04][usage][apply][ex1]")
{
    // apply changes the firewall of the host it runs on. Outside the virtual
    // network (no NETLAB_HOST) it must stop before it starts nft.
    if (std::getenv("NETLAB_HOST") != nullptr) SKIP("this test runs on a host of a virtual network");
    TempDir dir;
    const std::string file = dir.example("desktop");
    check_usage_errors({{{"lab04-firewall", "apply", file},
                         "lab04-firewall: apply changes the firewall of the machine it runs on; run it on a host of "
                         "the virtual network (./netlabs net exec lab04 desktop -- lab04-firewall apply " +
                             file + "), or pass --this-machine if you mean yours"}});
}

TEST_CASE("lab04-firewall check lists the rules with their lines", "[lab04][cli][ex1]")
{
    TempDir dir;
    const std::string file = dir.example("desktop");
    const Result r = run({bin("lab04-firewall"), "check", file});
    INFO("lab04-firewall check " << file << "\n" << r.describe() << "\nsee docs/en/lab04.md#the-rule-language");
    CHECK(r.exit_code == 0);
    CHECK(r.out == file + ": 2 rules; default in deny, default out allow\n"
                          "  line 4: in allow tcp port 5000 name test\n"
                          "  line 5: in reject tcp port 8000 name closed\n");
    CHECK(r.err.empty());
}

// The program reads the rule file (lab04-ex1) and runs ex2 and ex3: it runs in
// ./netlabs test, tagged for no exercise (each is graded on its own elsewhere).
TEST_CASE("lab04-firewall explain and the translators print what the library says", "[lab04][cli]")
{
    TempDir dir;
    const std::string file = dir.example("seed002");
    const Result r = run({bin("lab04-firewall"), "explain", file, "in", "tcp", "192.168.99.10:40000", "->",
                          "192.168.99.123:8000"});
    INFO(r.describe() << "\nsee docs/en/lab04.md#first-match-wins");
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, match::EndsWith("verdict: allow (line 5)\n"));

    const auto set = lab04::read_rules(file);
    const std::vector<std::pair<std::string, std::string>> outputs{
        {"nft", lab04::to_nft(set)}, {"iptables", lab04::to_iptables(set)}, {"pf", lab04::to_pf(set)},
        {"windows", lab04::to_windows(set)}, {"ufw", lab04::to_ufw(set)}};
    for (const auto& [command, expected] : outputs) {
        const Result t = run({bin("lab04-firewall"), command, file});
        INFO("lab04-firewall " << command << " " << file << "\n" << t.describe());
        CHECK(t.exit_code == 0);
        CHECK(t.out == expected);
    }
}

TEST_CASE("lab04-firewall example writes the lab's rule files", "[lab04][cli]")
{
    TempDir dir;
    const Result list = run({bin("lab04-firewall"), "example"});
    CHECK(list.exit_code == 0);
    CHECK_THAT(list.out, match::Contains("desktop.rules: the desktop's firewall"));
    netlabs::process::Spec spec{{bin("lab04-firewall"), "example", "outbound"}};
    spec.cwd = dir.path();
    const auto r = netlabs::process::run(spec, std::chrono::seconds(10));
    INFO(r.out << r.err);
    CHECK(r.exit.status() == 0);
    CHECK(r.out == "wrote outbound.rules: the desktop answers on 5000 but may start no connection\n");
    std::ifstream in(dir.path() + "/outbound.rules");
    std::string first;
    std::getline(in, first);
    CHECK(first == "# the desktop serves, but starts nothing: outbound rules (seed 000)");
}

// lab04-firewall: one small rule file, checked, explained, applied with
// nftables, and written for iptables, pf, Windows and ufw (seeds 000, 002, 003).
//
//   lab04-firewall check desktop.rules
//   lab04-firewall explain desktop.rules in tcp 198.51.100.8:40000 192.168.99.123:5000
//   lab04-firewall apply desktop.rules          (on a host of the virtual network)
//
// Nothing here runs a shell: `apply` starts nft from an argument vector and
// hands it the ruleset on its standard input, and every value in a rule was
// checked by the parser first (seed 002 builds shell strings: error 9).
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "evaluate.hpp"
#include "examples.hpp"
#include "netlabs/cli.hpp"
#include "netlabs/errors.hpp"
#include "netlabs/process.hpp"
#include "rules.hpp"
#include "translate.hpp"

namespace {

lab04::RuleSet load(const std::string& file)
{
    try {
        return lab04::read_rules(file);
    } catch (const lab04::RuleError& e) {
        throw netlabs::UsageError(e.what());
    }
}

std::string policies(const lab04::RuleSet& set)
{
    return "default in " + lab04::to_string(set.default_in) + ", default out " + lab04::to_string(set.default_out);
}

int check(const std::string& file)
{
    const auto set = load(file);
    std::cout << file << ": " << set.rules.size() << (set.rules.size() == 1 ? " rule; " : " rules; ")
              << policies(set) << "\n";
    for (const auto& rule : set.rules) std::cout << "  line " << rule.line << ": " << rule.to_string() << "\n";
    return netlabs::exit_ok;
}

int explain(const std::string& file, const std::vector<std::string>& words)
{
    const auto set = load(file);
    lab04::Packet packet;
    try {
        packet = lab04::parse_packet(words);
    } catch (const std::invalid_argument& e) {
        throw netlabs::UsageError(std::string("invalid packet: ") + e.what());
    }
    std::cout << lab04::explain(set, packet);
    return netlabs::exit_ok;
}

// Loads the ruleset into this host's kernel: `nft -f -`, the ruleset on
// standard input. One transaction: the old table lab04 goes and the new one
// comes at once, or nothing changes.
int apply_rules(const std::string& file, bool this_machine)
{
    const auto set = load(file);
    const char* host = std::getenv("NETLAB_HOST");
    if ((host == nullptr || *host == '\0') && !this_machine)
        throw netlabs::UsageError("apply changes the firewall of the machine it runs on; run it on a host of the "
                                  "virtual network (./netlabs net exec lab04 desktop -- lab04-firewall apply " +
                                  file + "), or pass --this-machine if you mean yours");
    const char* path = std::getenv("PATH");
    const auto nft = netlabs::process::find_program("nft", std::string(path ? path : "") + ":/usr/sbin:/sbin");
    if (!nft) throw std::runtime_error("nft not found: install nftables (./netlabs setup)");

    netlabs::process::Spec spec{{*nft, "-f", "-"}};
    spec.stdin_from = netlabs::process::Input::text;
    spec.input = lab04::to_nft(set);
    spec.output = netlabs::process::Output::merged;
    const auto result = netlabs::process::run(spec, std::chrono::seconds(10));
    if (result.timed_out) throw std::runtime_error("nft -f -: no answer within 10 s");
    if (result.exit.status() != 0) {
        std::string said = result.out;
        while (!said.empty() && (said.back() == '\n' || said.back() == ' ')) said.pop_back();
        for (char& c : said)
            if (c == '\n') c = ' ';
        throw std::runtime_error("nft -f -: " + result.exit.describe() + ": " + said);
    }
    std::cout << "applied " << file << (host ? std::string(" on ") + host : std::string()) << ": table "
              << lab04::nft_table << ", " << set.rules.size() << (set.rules.size() == 1 ? " rule; " : " rules; ")
              << policies(set) << "\n";
    return netlabs::exit_ok;
}

int example(const std::string& name, bool to_stdout)
{
    if (name.empty()) {
        for (const auto& e : lab04::examples()) std::cout << e.name << ".rules: " << e.summary << "\n";
        return netlabs::exit_ok;
    }
    for (const auto& e : lab04::examples()) {
        if (e.name != name) continue;
        if (to_stdout) {
            std::cout << e.text;
            return netlabs::exit_ok;
        }
        const std::string file = e.name + ".rules";
        std::ofstream out(file, std::ios::binary);
        if (!(out << e.text) || !out.flush())
            throw std::runtime_error("cannot write " + file + " in " + std::filesystem::current_path().string());
        std::cout << "wrote " << file << ": " << e.summary << "\n";
        return netlabs::exit_ok;
    }
    std::string known;
    for (const auto& e : lab04::examples()) known += (known.empty() ? "" : ", ") + e.name;
    throw netlabs::UsageError("unknown example '" + name + "': known are " + known);
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App app{"lab04-firewall: check, explain, apply and translate a firewall rule file.\n"
                 "A rule: in|out allow|deny|reject [tcp|udp|icmp|any] [from ADDR [port P]] [to ADDR [port P]]\n"
                 "        [port P] [name NAME]; first match wins; 'default in deny', 'default out allow'.",
                 "lab04-firewall"};
    app.require_subcommand(1);
    std::string file, name;
    std::vector<std::string> packet;
    bool this_machine = false, to_stdout = false;

    auto* check_cmd = app.add_subcommand("check", "read FILE and list its rules; errors as FILE:LINE: what is wrong");
    check_cmd->add_option("FILE", file, "the rule file")->required();
    auto* explain_cmd = app.add_subcommand("explain", "walk the rules for one packet: which rule decides, and why "
                                                      "the others did not match");
    explain_cmd->add_option("FILE", file, "the rule file")->required();
    explain_cmd->add_option("PACKET", packet, "DIRECTION PROTOCOL SOURCE DESTINATION, e.g. in tcp "
                                              "198.51.100.8:40000 192.168.99.123:5000")
        ->required();
    auto* apply_cmd = app.add_subcommand("apply", "load FILE into this host's kernel with nft (table inet lab04)");
    apply_cmd->add_option("FILE", file, "the rule file")->required();
    apply_cmd->add_flag("--this-machine", this_machine, "allow applying outside the virtual network");
    struct Translator {
        const char* name;
        const char* what;
        std::string (*write)(const lab04::RuleSet&);
    };
    const std::vector<Translator> translators{
        {"nft", "print FILE as an nftables ruleset (what apply loads)", lab04::to_nft},
        {"iptables", "print FILE as iptables-restore input (seed 002)", lab04::to_iptables},
        {"pf", "print FILE as macOS pf.conf rules (seed 000)", lab04::to_pf},
        {"windows", "print FILE as PowerShell New-NetFirewallRule lines (seed 000)", lab04::to_windows},
        {"ufw", "print FILE as ufw commands (seed 003)", lab04::to_ufw},
    };
    std::vector<CLI::App*> translator_cmds;
    for (const auto& t : translators) {
        auto* cmd = app.add_subcommand(t.name, t.what);
        cmd->add_option("FILE", file, "the rule file")->required();
        translator_cmds.push_back(cmd);
    }
    auto* example_cmd = app.add_subcommand("example", "write the lab's example NAME.rules here (no NAME: list them)");
    example_cmd->add_option("NAME", name, "which example");
    example_cmd->add_flag("--stdout", to_stdout, "print it instead of writing NAME.rules");

    // A packet may be written with an arrow, "SRC -> DST". CLI11 would take
    // "->" for an option, so the arrows go before parsing (they say nothing).
    std::vector<char*> args;
    for (int i = 0; i < argc; ++i)
        if (std::string_view(argv[i]) != "->") args.push_back(argv[i]);
    argc = static_cast<int>(args.size());
    args.push_back(nullptr);
    argv = args.data();

    // CLI11 would call an unknown command a missing one: name it instead.
    bool known = argc < 2 || argv[1][0] == '-';
    for (const auto* sub : app.get_subcommands({})) known = known || sub->get_name() == argv[1];
    if (!known) {
        std::cerr << "lab04-firewall: unknown command '" << argv[1]
                  << "': use check, explain, nft, apply, iptables, pf, windows, ufw or example (see --help)\n";
        return netlabs::exit_usage;
    }
    return netlabs::run_main(app, argc, argv, [&]() -> int {
        if (check_cmd->parsed()) return check(file);
        if (explain_cmd->parsed()) return explain(file, packet);
        if (apply_cmd->parsed()) return apply_rules(file, this_machine);
        if (example_cmd->parsed()) return example(name, to_stdout);
        for (std::size_t i = 0; i < translators.size(); ++i) {
            if (!translator_cmds[i]->parsed()) continue;
            std::cout << translators[i].write(load(file));
            return netlabs::exit_ok;
        }
        return netlabs::exit_usage;
    });
}

// The rules as an nftables ruleset: what `apply` loads on a host.
//
//   table inet lab04 {
//       chain input {
//           type filter hook input priority filter; policy drop;
//           ct state established,related accept
//           iifname "lo" accept
//           tcp dport 5000 accept comment "test"
//       }
//       ...
//
// A stateful firewall asks its rules only about the first packet of a
// connection: once it is allowed, conntrack knows the connection and the
// `ct state established,related` rule lets its later packets, and the
// replies, through. That is why seed 000's `pass out ... port 5000` is not
// needed for the server's answers.
#include <sstream>

#include "netlabs/not_implemented.hpp"
#include "translate.hpp"

namespace lab04 {

std::string nft_rule(const Rule& rule)
{
    // BEGIN SOLUTION lab04-ex3
    std::string text;
    auto add = [&](const std::string& part) { text += (text.empty() ? "" : " ") + part; };
    if (!rule.from.is_any()) add("ip saddr " + rule.from.to_string());
    if (!rule.to.is_any()) add("ip daddr " + rule.to.to_string());
    const std::string protocol = to_string(rule.protocol);
    if (rule.from_port) add(protocol + " sport " + rule.from_port->to_string());
    if (rule.to_port) add(protocol + " dport " + rule.to_port->to_string());
    if (rule.protocol != Protocol::any && !rule.from_port && !rule.to_port) add("meta l4proto " + protocol);
    switch (rule.action) {
    case Action::allow: add("accept"); break;
    case Action::deny: add("drop"); break;
    case Action::reject: add(rule.protocol == Protocol::tcp ? "reject with tcp reset" : "reject"); break;
    }
    if (!rule.name.empty()) add("comment \"" + rule.name + "\"");
    return text;
    // END SOLUTION
    // STUDENT: (void)rule;
    // STUDENT: throw netlabs::NotImplemented("lab04-ex3");
}

std::string to_nft(const RuleSet& set)
{
    std::ostringstream out;
    out << "# lab04-firewall nft " << set.file << "\n"
        << "# Load it with: nft -f FILE (lab04-firewall apply does). Remove it: nft delete table " << nft_table << "\n"
        << "table " << nft_table << "\n"
        << "delete table " << nft_table << "\n\n"
        << "table " << nft_table << " {\n";
    for (const Direction d : {Direction::in, Direction::out}) {
        const bool in = d == Direction::in;
        out << "    chain " << (in ? "input" : "output") << " {\n"
            << "        type filter hook " << (in ? "input" : "output") << " priority filter; policy "
            << (set.default_for(d) == Action::allow ? "accept" : "drop") << ";\n"
            << "        ct state established,related accept comment \"replies and the rest of allowed connections\"\n"
            << "        " << (in ? "iifname" : "oifname") << " \"lo\" accept comment \"this host talking to itself\"\n";
        for (const Rule& rule : set.rules)
            if (rule.direction == d) out << "        " << nft_rule(rule) << "\n";
        out << "    }\n";
        if (in) out << "\n";
    }
    out << "}\n";
    return out.str();
}

} // namespace lab04

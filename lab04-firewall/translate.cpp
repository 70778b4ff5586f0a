// The same rules for iptables (seed 002), pf (seed 000, macOS), Windows
// Defender Firewall (seed 000) and ufw (seed 003). Each tool has its own idea
// of order; the comments each output starts with say how it is kept.
#include <sstream>

#include "translate.hpp"

namespace lab04 {

namespace {

std::string header(const std::string& tool, const RuleSet& set, const std::string& how)
{
    return "# lab04-firewall " + tool + " " + set.file + "\n# " + how + "\n";
}

std::string upper(std::string text)
{
    for (char& c : text) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    return text;
}

} // namespace

std::string to_iptables(const RuleSet& set)
{
    std::ostringstream out;
    out << header("iptables", set,
                  "iptables-restore input (filter table); load: iptables-restore FILE; check: iptables-restore --test FILE")
        << "*filter\n"
        << ":INPUT " << (set.default_in == Action::allow ? "ACCEPT" : "DROP") << " [0:0]\n"
        << ":FORWARD ACCEPT [0:0]\n"
        << ":OUTPUT " << (set.default_out == Action::allow ? "ACCEPT" : "DROP") << " [0:0]\n";
    for (const Direction d : {Direction::in, Direction::out}) {
        const std::string chain = d == Direction::in ? "INPUT" : "OUTPUT";
        out << "-A " << chain << " -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n"
            << "-A " << chain << (d == Direction::in ? " -i lo" : " -o lo") << " -j ACCEPT\n";
        for (const Rule& r : set.rules) {
            if (r.direction != d) continue;
            out << "-A " << chain;
            if (r.protocol != Protocol::any) out << " -p " << to_string(r.protocol);
            if (!r.from.is_any()) out << " -s " << r.from.to_string();
            if (!r.to.is_any()) out << " -d " << r.to.to_string();
            if (r.from_port) out << " --sport " << r.from_port->to_string(':');
            if (r.to_port) out << " --dport " << r.to_port->to_string(':');
            if (!r.name.empty()) out << " -m comment --comment " << r.name;
            switch (r.action) {
            case Action::allow: out << " -j ACCEPT"; break;
            case Action::deny: out << " -j DROP"; break;
            case Action::reject:
                out << " -j REJECT" << (r.protocol == Protocol::tcp ? " --reject-with tcp-reset" : "");
                break;
            }
            out << "\n";
        }
    }
    out << "COMMIT\n";
    return out.str();
}

std::string to_pf(const RuleSet& set)
{
    std::ostringstream out;
    out << header("pf", set,
                  "macOS pf.conf rules. pf lets the LAST matching rule win unless a rule is 'quick': every rule here\n"
                  "# is quick, so the first match wins as in the rule file. 'pass' keeps state: replies need no rule.\n"
                  "# Load: sudo pfctl -f /etc/pf.conf; enable: sudo pfctl -e; show: sudo pfctl -sr")
        << "set skip on lo0\n"
        << (set.default_in == Action::allow ? "pass in all\n" : "block drop in all\n")
        << (set.default_out == Action::allow ? "pass out all\n" : "block drop out all\n");
    for (const Rule& r : set.rules) {
        switch (r.action) {
        case Action::allow: out << "pass"; break;
        case Action::deny: out << "block drop"; break;
        case Action::reject: out << "block return"; break;
        }
        out << " " << to_string(r.direction) << " quick";
        if (r.protocol != Protocol::any) out << " proto " << to_string(r.protocol);
        if (r.from.is_any() && !r.from_port && r.to.is_any() && !r.to_port) {
            out << " all";
        } else {
            out << " from " << r.from.to_string();
            if (r.from_port) out << " port " << r.from_port->to_string(':');
            out << " to " << r.to.to_string();
            if (r.to_port) out << " port " << r.to_port->to_string(':');
        }
        if (!r.name.empty()) out << " label \"" << r.name << "\"";
        out << "\n";
    }
    return out.str();
}

std::string to_windows(const RuleSet& set)
{
    std::ostringstream out;
    out << header("windows", set,
                  "Windows Defender Firewall, for PowerShell run as administrator (seed 000's steps 1-4).\n"
                  "# Windows does not go by order: a Block rule wins over any Allow rule that matches the same\n"
                  "# packet. Windows cannot reject (answer 'refused'): reject becomes Block.")
        << "Set-NetFirewallProfile -Profile Domain,Private,Public -Enabled True -DefaultInboundAction "
        << (set.default_in == Action::allow ? "Allow" : "Block") << " -DefaultOutboundAction "
        << (set.default_out == Action::allow ? "Allow" : "Block") << "\n";
    for (const Rule& r : set.rules) {
        const bool in = r.direction == Direction::in;
        // Windows names the ends of a rule from this host's side: inbound,
        // the source is the remote end; outbound, it is the local one.
        const Cidr& local = in ? r.to : r.from;
        const Cidr& remote = in ? r.from : r.to;
        const auto& local_port = in ? r.to_port : r.from_port;
        const auto& remote_port = in ? r.from_port : r.to_port;
        out << "New-NetFirewallRule -DisplayName \""
            << (r.name.empty() ? "lab04 line " + std::to_string(r.line) : r.name) << "\" -Direction "
            << (in ? "Inbound" : "Outbound");
        if (r.protocol == Protocol::icmp) out << " -Protocol ICMPv4";
        else if (r.protocol != Protocol::any) out << " -Protocol " << upper(to_string(r.protocol));
        if (!local.is_any()) out << " -LocalAddress " << local.to_string();
        if (local_port) out << " -LocalPort " << local_port->to_string();
        if (!remote.is_any()) out << " -RemoteAddress " << remote.to_string();
        if (remote_port) out << " -RemotePort " << remote_port->to_string();
        out << " -Action " << (r.action == Action::allow ? "Allow" : "Block") << " -Profile Any\n";
    }
    return out.str();
}

std::string to_ufw(const RuleSet& set)
{
    std::ostringstream out;
    out << header("ufw", set,
                  "Ubuntu's ufw (seed 003), as root, in this order: ufw tries its rules in the order they were\n"
                  "# added, and the first match wins. 'ufw status numbered' shows them.")
        << "ufw default " << (set.default_in == Action::allow ? "allow" : "deny") << " incoming\n"
        << "ufw default " << (set.default_out == Action::allow ? "allow" : "deny") << " outgoing\n";
    for (const Rule& r : set.rules) {
        if (r.protocol == Protocol::icmp) {
            out << "# line " << r.line << " (" << r.to_string()
                << "): ufw cannot match icmp on its command line; edit /etc/ufw/before.rules\n";
            continue;
        }
        out << "ufw " << to_string(r.action) << " " << to_string(r.direction);
        if (r.protocol != Protocol::any) out << " proto " << to_string(r.protocol);
        out << " from " << r.from.to_string();
        if (r.from_port) out << " port " << r.from_port->to_string(':');
        out << " to " << r.to.to_string();
        if (r.to_port) out << " port " << r.to_port->to_string(':');
        if (!r.name.empty()) out << " comment '" << r.name << "'";
        out << "\n";
    }
    out << "ufw enable\n";
    return out.str();
}

} // namespace lab04

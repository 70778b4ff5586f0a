// One rule file, written for five firewalls. Each function returns a whole
// file (or script) for its tool; `source` names the rule file in its header.
#pragma once

#include <string>

#include "rules.hpp"

namespace lab04 {

// The table lab04-firewall owns on a host; `apply` replaces it whole.
inline constexpr const char* nft_table = "inet lab04";

// One rule in nftables' words, as it goes into a chain:
//   in allow tcp port 5000 name test  ->  tcp dport 5000 accept comment "test"
//   in deny from 192.168.0.100        ->  ip saddr 192.168.0.100 drop
std::string nft_rule(const Rule& rule);

// A stateful ruleset (nft -f): replies to allowed connections first, then the
// rules in order, then each chain's default policy.
std::string to_nft(const RuleSet& set);
// iptables-restore input for the filter table (seed 002's tool).
std::string to_iptables(const RuleSet& set);
// pf.conf rules for macOS (seed 000), each `quick` so the first match wins.
std::string to_pf(const RuleSet& set);
// PowerShell New-NetFirewallRule lines (seed 000's Windows Defender steps).
std::string to_windows(const RuleSet& set);
// ufw commands (seed 003's Ubuntu firewall).
std::string to_ufw(const RuleSet& set);

} // namespace lab04

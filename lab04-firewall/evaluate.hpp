// Which rule decides a packet: first match wins.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rules.hpp"

namespace lab04 {

// A packet as a rule sees it (the first packet of a connection: a stateful
// firewall lets the replies through without asking the rules again).
struct Packet {
    Direction direction = Direction::in;
    Protocol protocol = Protocol::tcp;  // tcp, udp or icmp
    Ipv4 source = 0;
    std::uint16_t source_port = 0;      // 0: not given (icmp, or unknown)
    Ipv4 destination = 0;
    std::uint16_t destination_port = 0;
    std::string to_string() const;     // "in tcp 198.51.100.8:40000 -> 192.168.99.123:5000"
};

// "in tcp 198.51.100.8:40000 192.168.99.123:5000" as words: DIRECTION
// PROTOCOL SOURCE DESTINATION, each address IP or IP:PORT (a port only for
// tcp and udp; the destination's is required). "->" between the two
// addresses may be written. Throws std::invalid_argument naming the bad word.
Packet parse_packet(const std::vector<std::string>& words);

// Why `rule` does not match `packet` ("destination port 5000 is not 8000"),
// or nullopt when it matches.
std::optional<std::string> mismatch(const Rule& rule, const Packet& packet);

// The verdict for a packet, and the rule that gave it (nullopt: no rule
// matched, the default policy of the packet's direction decided).
struct Decision {
    Action action = Action::deny;
    std::optional<std::size_t> rule;  // index into RuleSet::rules
};
Decision decide(const RuleSet& set, const Packet& packet);

// The walk through the rules, one line per rule, then the verdict.
std::string explain(const RuleSet& set, const Packet& packet);

} // namespace lab04

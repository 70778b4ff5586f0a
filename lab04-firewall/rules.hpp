// The rule language of lab04-firewall: what a rule is, and how a file of
// rules is read.
//
//   # the desktop's firewall (seed 000)
//   default in deny
//   default out allow
//   in allow tcp port 5000 name test
//   in deny from 192.168.0.100
//   out reject tcp to 198.51.100.8 port 7000-7010
//
// A rule is DIRECTION ACTION [PROTOCOL] [from ADDR [port P]] [to ADDR [port P]]
// [port P] [name NAME], one per line; `#` starts a comment. The rules are
// tried in order and the first one that matches a packet decides (first
// match wins); a packet no rule matches gets its direction's default policy.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace lab04 {

enum class Direction { in, out };
enum class Action { allow, deny, reject };  // deny drops silently; reject answers "refused"
enum class Protocol { any, tcp, udp, icmp };

std::string to_string(Direction d);  // "in"
std::string to_string(Action a);     // "allow"
std::string to_string(Protocol p);   // "tcp"

// An IPv4 address as a number: 192.168.99.123 = 0xC0A8637B.
using Ipv4 = std::uint32_t;
std::string to_string(Ipv4 address);  // "192.168.99.123"

// An address or a network: 192.168.0.100 (a /32) or 10.0.0.0/8. "any" is 0.0.0.0/0.
struct Cidr {
    Ipv4 network = 0;
    int bits = 0;
    bool contains(Ipv4 address) const;
    bool is_any() const { return bits == 0; }
    std::string to_string() const;  // "any", "192.168.0.100", "10.0.0.0/8"
    friend bool operator==(const Cidr&, const Cidr&) = default;
};

// One port or an inclusive range of ports: 5000 (first == last), 6000-6010.
struct PortRange {
    std::uint16_t first = 0;
    std::uint16_t last = 0;
    bool contains(std::uint16_t port) const { return first <= port && port <= last; }
    bool single() const { return first == last; }
    std::string to_string(char dash = '-') const;  // "5000", "6000-6010" (pf, iptables: ':')
    friend bool operator==(const PortRange&, const PortRange&) = default;
};

struct Rule {
    Direction direction = Direction::in;
    Action action = Action::allow;
    Protocol protocol = Protocol::any;
    Cidr from;                               // any
    std::optional<PortRange> from_port;      // the source port: "from ADDR port P"
    Cidr to;                                 // any
    std::optional<PortRange> to_port;        // the destination port: "port P" or "to ADDR port P"
    std::string name;                        // "" when it has none
    int line = 0;                            // where it was written
    std::string to_string() const;           // the rule as the language writes it
};

struct RuleSet {
    std::string file;                        // the name it was read from, for messages
    Action default_in = Action::deny;        // what a packet no rule matches gets
    Action default_out = Action::allow;
    std::vector<Rule> rules;
    Action default_for(Direction d) const { return d == Direction::in ? default_in : default_out; }
};

// A mistake in a rule file: what() is "FILE:LINE: what is wrong".
class RuleError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// "192.168.0.100" -> 0xC0A80064. Throws std::invalid_argument naming the
// value and why: "invalid IPv4 address '192.168.0.277': 277 is more than 255".
Ipv4 parse_ipv4(std::string_view text);
// "any", "192.168.0.100", "10.0.0.0/8"; the host bits must be zero.
Cidr parse_cidr(std::string_view text);
// "5000" or "6000-6010", each 1-65535, first <= last. Throws
// std::invalid_argument: "invalid port '8000;': must be a number 1-65535".
PortRange parse_port_range(std::string_view text);

// One line of a rule file: a Rule, or nullopt for a blank line, a comment or
// a `default` line (which it applies to `set`). Throws std::invalid_argument
// with what is wrong (no file:line).
std::optional<Rule> parse_line(std::string_view line, RuleSet& set);
// A whole file's text; throws RuleError "FILE:LINE: what is wrong".
RuleSet parse_rules(std::string_view text, const std::string& file);
// Reads and parses FILE; a file that cannot be read is a RuleError too.
RuleSet read_rules(const std::string& path);

} // namespace lab04

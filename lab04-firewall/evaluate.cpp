// First match wins: the rules are tried in the order they are written, and
// the first one whose every part matches the packet decides.
#include "evaluate.hpp"

#include <sstream>

#include "netlabs/not_implemented.hpp"

namespace lab04 {

namespace {

std::string endpoint(Ipv4 address, std::uint16_t port)
{
    return port == 0 ? to_string(address) : to_string(address) + ":" + std::to_string(port);
}

void parse_address(std::string_view word, bool ports, Ipv4& address, std::uint16_t& port)
{
    const auto colon = word.find(':');
    address = parse_ipv4(word.substr(0, colon));
    if (colon == std::string_view::npos) return;
    if (!ports)
        throw std::invalid_argument("'" + std::string(word) + "': an icmp packet has no port");
    const PortRange range = parse_port_range(word.substr(colon + 1));
    if (!range.single())
        throw std::invalid_argument("'" + std::string(word) + "': a packet has one port, not a range");
    port = range.first;
}

} // namespace

std::string Packet::to_string() const
{
    return lab04::to_string(direction) + " " + lab04::to_string(protocol) + " " + endpoint(source, source_port) +
           " -> " + endpoint(destination, destination_port);
}

Packet parse_packet(const std::vector<std::string>& given)
{
    std::vector<std::string> words;
    for (const auto& w : given)
        if (w != "->") words.push_back(w);
    const std::string usage = "a packet is DIRECTION PROTOCOL SOURCE DESTINATION, e.g. 'in tcp 198.51.100.8:40000 "
                              "192.168.99.123:5000'";
    if (words.size() != 4) throw std::invalid_argument(usage);
    Packet packet;
    if (words[0] == "in") packet.direction = Direction::in;
    else if (words[0] == "out") packet.direction = Direction::out;
    else throw std::invalid_argument("unknown direction '" + words[0] + "': use in or out (" + usage + ")");
    if (words[1] == "tcp") packet.protocol = Protocol::tcp;
    else if (words[1] == "udp") packet.protocol = Protocol::udp;
    else if (words[1] == "icmp") packet.protocol = Protocol::icmp;
    else throw std::invalid_argument("unknown protocol '" + words[1] + "': a packet is tcp, udp or icmp");
    const bool ports = packet.protocol != Protocol::icmp;
    parse_address(words[2], ports, packet.source, packet.source_port);
    parse_address(words[3], ports, packet.destination, packet.destination_port);
    if (ports && packet.destination_port == 0)
        throw std::invalid_argument("'" + words[3] + "': a " + words[1] + " packet's destination needs a port, e.g. " +
                                    words[3] + ":5000");
    return packet;
}

std::optional<std::string> mismatch(const Rule& rule, const Packet& packet)
{
    if (rule.direction != packet.direction)
        return "it is for " + to_string(rule.direction) + "bound packets, this one is " +
               to_string(packet.direction) + "bound";
    if (rule.protocol != Protocol::any && rule.protocol != packet.protocol)
        return "protocol " + to_string(packet.protocol) + " is not " + to_string(rule.protocol);
    if (!rule.from.contains(packet.source))
        return "source " + to_string(packet.source) + " is not " +
               (rule.from.bits == 32 ? "" : "in ") + rule.from.to_string();
    if (rule.from_port) {
        if (packet.source_port == 0) return "the packet's source port is not given";
        if (!rule.from_port->contains(packet.source_port))
            return "source port " + std::to_string(packet.source_port) + " is not " +
                   (rule.from_port->single() ? "" : "in ") + rule.from_port->to_string();
    }
    if (!rule.to.contains(packet.destination))
        return "destination " + to_string(packet.destination) + " is not " +
               (rule.to.bits == 32 ? "" : "in ") + rule.to.to_string();
    if (rule.to_port && !rule.to_port->contains(packet.destination_port))
        return "destination port " + std::to_string(packet.destination_port) + " is not " +
               (rule.to_port->single() ? "" : "in ") + rule.to_port->to_string();
    return std::nullopt;
}

Decision decide(const RuleSet& set, const Packet& packet)
{
    // BEGIN SOLUTION lab04-ex2
    for (std::size_t i = 0; i < set.rules.size(); ++i)
        if (!mismatch(set.rules[i], packet)) return {set.rules[i].action, i};
    return {set.default_for(packet.direction), std::nullopt};
    // END SOLUTION
    // STUDENT: (void)set, (void)packet;
    // STUDENT: throw netlabs::NotImplemented("lab04-ex2");
}

std::string explain(const RuleSet& set, const Packet& packet)
{
    const Decision decision = decide(set, packet);
    std::ostringstream out;
    out << "packet: " << packet.to_string() << "\n";
    for (std::size_t i = 0; i < set.rules.size(); ++i) {
        const Rule& rule = set.rules[i];
        out << "  line " << rule.line << ": " << rule.to_string() << "\n      ";
        if (decision.rule && i > *decision.rule) out << "not tried: line " << set.rules[*decision.rule].line
                                                     << " decided first (first match wins)\n";
        else if (decision.rule && i == *decision.rule) out << "MATCHES: " << to_string(rule.action) << "\n";
        else out << "no match: " << mismatch(rule, packet).value_or("?") << "\n";
    }
    out << "verdict: " << to_string(decision.action);
    if (decision.rule) out << " (line " << set.rules[*decision.rule].line << ")\n";
    else out << " (no rule matched: the default for " << to_string(packet.direction) << "bound packets)\n";
    return out.str();
}

} // namespace lab04

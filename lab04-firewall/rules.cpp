// Reading a rule file: addresses, networks, and each line's words.
// (Port ranges are in ports.cpp: an exercise.)
#include "rules.hpp"

#include <cctype>
#include <fstream>
#include <sstream>

namespace lab04 {

namespace {

std::vector<std::string_view> words_of(std::string_view line)
{
    std::vector<std::string_view> words;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
        const std::size_t start = i;
        while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i]))) ++i;
        if (i > start) words.push_back(line.substr(start, i - start));
    }
    return words;
}

bool valid_name(std::string_view name)
{
    if (name.empty() || name.size() > 64) return false;
    for (char c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
    return true;
}

std::optional<Protocol> protocol_of(std::string_view word)
{
    if (word == "tcp") return Protocol::tcp;
    if (word == "udp") return Protocol::udp;
    if (word == "icmp") return Protocol::icmp;
    if (word == "any") return Protocol::any;
    return std::nullopt;
}

std::string quoted(std::string_view word) { return "'" + std::string(word) + "'"; }

} // namespace

std::string to_string(Direction d) { return d == Direction::in ? "in" : "out"; }

std::string to_string(Action a)
{
    switch (a) {
    case Action::allow: return "allow";
    case Action::deny: return "deny";
    case Action::reject: return "reject";
    }
    return "?";
}

std::string to_string(Protocol p)
{
    switch (p) {
    case Protocol::any: return "any";
    case Protocol::tcp: return "tcp";
    case Protocol::udp: return "udp";
    case Protocol::icmp: return "icmp";
    }
    return "?";
}

std::string to_string(Ipv4 a)
{
    return std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 255) + "." + std::to_string((a >> 8) & 255) +
           "." + std::to_string(a & 255);
}

bool Cidr::contains(Ipv4 address) const
{
    if (bits == 0) return true;
    const Ipv4 mask = bits == 32 ? 0xFFFFFFFFu : ~(0xFFFFFFFFu >> bits);
    return (address & mask) == network;
}

std::string Cidr::to_string() const
{
    if (bits == 0) return "any";
    if (bits == 32) return lab04::to_string(network);
    return lab04::to_string(network) + "/" + std::to_string(bits);
}

std::string PortRange::to_string(char dash) const
{
    if (single()) return std::to_string(first);
    return std::to_string(first) + dash + std::to_string(last);
}

Ipv4 parse_ipv4(std::string_view text)
{
    const std::string bad = "invalid IPv4 address " + quoted(text) + ": ";
    Ipv4 address = 0;
    int parts = 0;
    std::size_t i = 0;
    while (true) {
        const std::size_t start = i;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
        const std::string_view part = text.substr(start, i - start);
        if (part.empty() || part.size() > 3 || (i < text.size() && text[i] != '.')) {
            bool letters = false;
            for (char c : text) letters = letters || std::isalpha(static_cast<unsigned char>(c));
            if (letters) throw std::invalid_argument(bad + "a rule takes an IPv4 address or network, not a name");
            throw std::invalid_argument(bad + "must be four numbers 0-255 separated by dots");
        }
        if (part.size() > 1 && part[0] == '0')
            throw std::invalid_argument(bad + quoted(part) + " has a leading zero (some tools read it as octal)");
        const int value = std::stoi(std::string(part));
        if (value > 255) throw std::invalid_argument(bad + std::string(part) + " is more than 255");
        address = (address << 8) | static_cast<Ipv4>(value);
        ++parts;
        if (i == text.size()) break;
        ++i;  // the dot
        if (parts == 4) throw std::invalid_argument(bad + "must be four numbers 0-255 separated by dots");
    }
    if (parts != 4) throw std::invalid_argument(bad + "must be four numbers 0-255 separated by dots");
    return address;
}

Cidr parse_cidr(std::string_view text)
{
    if (text == "any") return {};
    const auto slash = text.find('/');
    if (slash == std::string_view::npos) return {parse_ipv4(text), 32};
    const Ipv4 network = parse_ipv4(text.substr(0, slash));
    const std::string_view length = text.substr(slash + 1);
    int bits = -1;
    if (!length.empty() && length.size() <= 2 && std::isdigit(static_cast<unsigned char>(length[0])) &&
        (length.size() == 1 || std::isdigit(static_cast<unsigned char>(length[1]))))
        bits = std::stoi(std::string(length));
    if (bits < 0 || bits > 32)
        throw std::invalid_argument("invalid network " + quoted(text) + ": the prefix length must be 0-32");
    const Ipv4 mask = bits == 0 ? 0u : bits == 32 ? 0xFFFFFFFFu : ~(0xFFFFFFFFu >> bits);
    if ((network & ~mask) != 0)
        throw std::invalid_argument("invalid network " + quoted(text) + ": the host bits are not zero (did you mean " +
                                    to_string(network & mask) + "/" + std::to_string(bits) + "?)");
    return {network, bits};
}

std::string Rule::to_string() const
{
    std::string text = lab04::to_string(direction) + " " + lab04::to_string(action);
    if (protocol != Protocol::any) text += " " + lab04::to_string(protocol);
    if (!from.is_any() || from_port) text += " from " + from.to_string();
    if (from_port) text += " port " + from_port->to_string();
    // "to any" only when needed: after a source, a bare "port N" would read
    // back as the source's port.
    if (!to.is_any() || (to_port && (!from.is_any() || from_port))) text += " to " + to.to_string();
    if (to_port) text += " port " + to_port->to_string();
    if (!name.empty()) text += " name " + name;
    return text;
}

std::optional<Rule> parse_line(std::string_view line, RuleSet& set)
{
    if (const auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    const auto words = words_of(line);
    if (words.empty()) return std::nullopt;

    if (words[0] == "default") {
        if (words.size() != 3 || (words[1] != "in" && words[1] != "out"))
            throw std::invalid_argument("a default policy is written 'default in deny' or 'default out allow'");
        Action action;
        if (words[2] == "allow") action = Action::allow;
        else if (words[2] == "deny") action = Action::deny;
        else if (words[2] == "reject")
            throw std::invalid_argument("a default policy is allow or deny, not reject (an nftables chain's policy "
                                        "can only accept or drop; end with a rule 'in reject' instead)");
        else
            throw std::invalid_argument("unknown policy " + quoted(words[2]) + ": use allow or deny");
        (words[1] == "in" ? set.default_in : set.default_out) = action;
        return std::nullopt;
    }

    Rule rule;
    if (words[0] == "in") rule.direction = Direction::in;
    else if (words[0] == "out") rule.direction = Direction::out;
    else if (words[0] == "inbound" || words[0] == "outbound")
        throw std::invalid_argument("unknown word " + quoted(words[0]) + ": write in (traffic coming to this host) or "
                                    "out (traffic this host sends)");
    else
        throw std::invalid_argument("unknown word " + quoted(words[0]) + ": a line starts with in, out or default");

    if (words.size() < 2)
        throw std::invalid_argument("a rule needs an action after " + quoted(words[0]) + ": allow, deny or reject");
    if (words[1] == "allow") rule.action = Action::allow;
    else if (words[1] == "deny") rule.action = Action::deny;
    else if (words[1] == "reject") rule.action = Action::reject;
    else
        throw std::invalid_argument("unknown action " + quoted(words[1]) + ": use allow, deny or reject");

    bool have_protocol = false, have_from = false, have_to = false, have_name = false;
    enum class After { nothing, from, to } after = After::nothing;  // where a "port" belongs
    auto value_of = [&](std::size_t& i, const char* what) -> std::string_view {
        if (i + 1 >= words.size()) throw std::invalid_argument(quoted(words[i]) + " needs " + what + " after it");
        return words[++i];
    };
    for (std::size_t i = 2; i < words.size(); ++i) {
        const std::string_view word = words[i];
        if (word == "proto" || protocol_of(word)) {
            if (have_protocol) throw std::invalid_argument("the protocol is given twice");
            std::string_view name = word;
            if (word == "proto") {
                name = value_of(i, "a protocol (tcp, udp, icmp or any)");
                if (!protocol_of(name))
                    throw std::invalid_argument("unknown protocol " + quoted(name) + ": use tcp, udp, icmp or any");
            }
            rule.protocol = *protocol_of(name);
            have_protocol = true;
            after = After::nothing;
        } else if (word == "from" || word == "to") {
            bool& have = word == "from" ? have_from : have_to;
            if (have) throw std::invalid_argument(quoted(word) + " is given twice");
            have = true;
            (word == "from" ? rule.from : rule.to) = parse_cidr(value_of(i, "an address, a network or any"));
            after = word == "from" ? After::from : After::to;
        } else if (word == "port") {
            const PortRange ports = parse_port_range(value_of(i, "a port or a range, e.g. 5000 or 6000-6010"));
            auto& slot = after == After::from ? rule.from_port : rule.to_port;
            if (slot) throw std::invalid_argument(std::string(after == After::from ? "the source" : "the destination") +
                                                  " port is given twice");
            slot = ports;
            after = After::nothing;
        } else if (word == "name") {
            if (have_name) throw std::invalid_argument("'name' is given twice");
            const std::string_view name = value_of(i, "a name");
            if (!valid_name(name))
                throw std::invalid_argument("invalid name " + quoted(name) +
                                            ": use letters, digits, '-', '_' and '.' (at most 64)");
            rule.name = std::string(name);
            have_name = true;
            after = After::nothing;
        } else if (word == "allow" || word == "deny" || word == "reject") {
            throw std::invalid_argument("a rule has one action; " + quoted(word) + " is a second one");
        } else {
            throw std::invalid_argument("unknown word " + quoted(word) +
                                        " in a rule: expected tcp, udp, icmp, any, from, to, port or name");
        }
    }
    if ((rule.from_port || rule.to_port) && rule.protocol != Protocol::tcp && rule.protocol != Protocol::udp)
        throw std::invalid_argument("a port needs the protocol tcp or udp (only they have ports), e.g. 'in allow tcp "
                                    "port 5000'");
    return rule;
}

RuleSet parse_rules(std::string_view text, const std::string& file)
{
    RuleSet set;
    set.file = file;
    int number = 0;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        ++number;
        try {
            if (auto rule = parse_line(line, set)) {
                rule->line = number;
                set.rules.push_back(std::move(*rule));
            }
        } catch (const std::invalid_argument& e) {
            throw RuleError(file + ":" + std::to_string(number) + ": " + e.what());
        }
        start = end + 1;
    }
    return set;
}

RuleSet read_rules(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw RuleError(path + ": cannot read the rule file (does it exist?)");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_rules(text.str(), path);
}

} // namespace lab04

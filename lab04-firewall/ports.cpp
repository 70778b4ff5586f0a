// Ports and port ranges in a rule: "5000", "6000-6010".
#include "netlabs/not_implemented.hpp"
#include "rules.hpp"

#include <cctype>

namespace lab04 {

namespace {

// A port number 1-65535 written in decimal digits only, or nullopt.
std::optional<std::uint16_t> port_number(std::string_view text)
{
    if (text.empty() || text.size() > 5) return std::nullopt;
    unsigned value = 0;
    for (char c : text) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
        value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (value < 1 || value > 65535) return std::nullopt;
    return static_cast<std::uint16_t>(value);
}

} // namespace

PortRange parse_port_range(std::string_view text)
{
    // BEGIN SOLUTION lab04-ex1
    const auto dash = text.find('-');
    if (dash == std::string_view::npos) {
        const auto port = port_number(text);
        if (!port) throw std::invalid_argument("invalid port '" + std::string(text) + "': must be a number 1-65535");
        return {*port, *port};
    }
    const auto first = port_number(text.substr(0, dash));
    const auto last = port_number(text.substr(dash + 1));
    if (!first || !last)
        throw std::invalid_argument("invalid port range '" + std::string(text) +
                                    "': must be two numbers 1-65535 joined by '-', e.g. 6000-6010");
    if (*first > *last)
        throw std::invalid_argument("invalid port range '" + std::string(text) + "': the first port is more than the last");
    return {*first, *last};
    // END SOLUTION
    // STUDENT: (void)text, (void)port_number;
    // STUDENT: throw netlabs::NotImplemented("lab04-ex1");
}

} // namespace lab04

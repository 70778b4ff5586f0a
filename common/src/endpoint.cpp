// Endpoint parsing: strict, with one line that names the bad part and why.
//
// The checks are written out by hand rather than left to inet_pton, because
// inet_pton only says "no": a learner needs to hear "277 is more than 255".
// asio still has the last word on IPv6, so we never accept what it rejects.
#include "netlabs/endpoint.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <asio/ip/address_v6.hpp>

#include "netlabs/errors.hpp"

namespace netlabs {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

bool all_digits(std::string_view text)
{
    for (char c : text) {
        if (!is_digit(c)) return false;
    }
    return !text.empty();
}

// One character as a learner should see it in a message: control characters
// become \xNN, so that an error always stays on one line.
std::string show(char c)
{
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
        const char* hex = "0123456789abcdef";
        return std::string("\\x") + hex[byte >> 4] + hex[byte & 0xf];
    }
    return std::string(1, c);
}

// User text as it goes between quotes in a message.
std::string show(std::string_view text)
{
    std::string out;
    for (char c : text) out += show(c);
    return out;
}

[[noreturn]] void fail(std::string_view what, std::string_view text, std::string_view why)
{
    throw UsageError("invalid " + std::string(what) + " '" + show(text) + "': " + std::string(why));
}

std::vector<std::string_view> split(std::string_view text, char separator)
{
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    for (;;) {
        std::size_t end = text.find(separator, start);
        if (end == std::string_view::npos) {
            parts.push_back(text.substr(start));
            return parts;
        }
        parts.push_back(text.substr(start, end - start));
        start = end + 1;
    }
}

// --- IPv4 ----------------------------------------------------------------------

// Why `text` (digits and dots only) is not a dotted-quad IPv4 address, or "".
std::string ipv4_problem(std::string_view text)
{
    if (text.front() == '.') return "starts with a dot";
    if (text.back() == '.') return "ends with a dot";
    if (text.find("..") != std::string_view::npos) return "empty number between dots";

    auto numbers = split(text, '.');
    if (numbers.size() != 4) {
        return "needs 4 numbers, got " + std::to_string(numbers.size());
    }
    for (auto number : numbers) {
        if (number.size() > 1 && number.front() == '0') {
            return "leading zero in '" + std::string(number) + "' (some tools read it as octal)";
        }
        // No leading zeros, so more than 3 digits is always too big (and
        // never overflows, however long it is).
        if (number.size() > 3 || std::stoi(std::string(number)) > 255) {
            return std::string(number) + " is more than 255";
        }
    }
    return "";
}

// --- IPv6 ----------------------------------------------------------------------

// Why `text` (no zone) is not an IPv6 address, or "". Covers the usual
// mistakes by name; asio checks whatever is left.
std::string ipv6_problem(std::string_view text)
{
    if (text.empty()) return "empty address before '%'";
    if (text.front() == '[' || text.back() == ']') {
        return "brackets belong only around an address with a port, e.g. [::1]:8000";
    }
    if (text.find(":::") != std::string_view::npos) return "':::' is not valid; write '::' once";

    std::size_t gap = text.find("::");
    bool has_gap = gap != std::string_view::npos;
    if (has_gap && text.find("::", gap + 1) != std::string_view::npos) {
        return "'::' may appear only once";
    }
    if (!has_gap || gap != 0) {
        if (text.front() == ':') return "starts with a single ':'";
    }
    if (!has_gap || gap + 2 != text.size()) {
        if (text.back() == ':') return "ends with a single ':'";
    }

    // The groups on either side of "::" (or all of them, without one).
    std::vector<std::string_view> groups;
    auto add_groups = [&groups](std::string_view part) {
        if (part.empty()) return;
        for (auto group : split(part, ':')) groups.push_back(group);
    };
    if (has_gap) {
        add_groups(text.substr(0, gap));
        add_groups(text.substr(gap + 2));
    } else {
        add_groups(text);
    }

    std::size_t count = 0;  // 16-bit groups; an IPv4 tail counts as two
    for (std::size_t i = 0; i < groups.size(); ++i) {
        auto group = groups[i];
        if (group.find('.') != std::string_view::npos) {
            if (i + 1 != groups.size()) return "an IPv4 part may only come last";
            for (char c : group) {
                if (!is_digit(c) && c != '.') {
                    return "'" + show(c) + "' is not allowed in the IPv4 part '" + show(group) + "'";
                }
            }
            std::string why = ipv4_problem(group);
            if (!why.empty()) return "IPv4 part '" + std::string(group) + "': " + why;
            count += 2;
            continue;
        }
        if (group.empty()) return "empty group between ':'";
        for (char c : group) {
            if (!is_hex(c)) return "'" + show(c) + "' is not a hex digit";
        }
        if (group.size() > 4) return "group '" + std::string(group) + "' has more than 4 hex digits";
        count += 1;
    }

    if (count > 8) return "has " + std::to_string(count) + " groups, at most 8 are allowed";
    if (!has_gap && count != 8) {
        return "needs 8 groups, got " + std::to_string(count) + " (or '::' for a run of zeros)";
    }
    if (has_gap && count == 8) return "'::' stands for at least one zero group, but all 8 are there";
    return "";
}

// An interface name after '%', as in fe80::1%eth0.
std::string zone_problem(std::string_view zone)
{
    if (zone.empty()) return "empty zone after '%' (an interface name such as eth0)";
    for (char c : zone) {
        if (!is_alpha(c) && !is_digit(c) && c != '.' && c != '_' && c != '-') {
            return "'" + show(c) + "' is not allowed in the zone '" + show(zone) + "'";
        }
    }
    return "";
}

void check_ipv6(std::string_view text)
{
    // A host with a port stuck to it ("127.0.0.1:8000") has one ':'; every
    // IPv6 address has at least two.
    std::size_t colon = text.find(':');
    if (text.find(':', colon + 1) == std::string_view::npos && colon != 0 &&
        all_digits(text.substr(colon + 1))) {
        throw UsageError("invalid host '" + show(text) +
                         "': a host has no ':PORT' part; give the port separately");
    }

    std::size_t percent = text.find('%');
    std::string_view address = text.substr(0, percent);
    std::string why = ipv6_problem(address);
    if (why.empty() && percent != std::string_view::npos) why = zone_problem(text.substr(percent + 1));
    if (why.empty()) {
        asio::error_code error;
        (void)asio::ip::make_address_v6(std::string(address), error);
        if (error) why = "not a valid IPv6 address";
    }
    if (!why.empty()) fail("IPv6 address", text, why);
}

// --- host names (RFC 1123) -------------------------------------------------------

void check_host_name(std::string_view text)
{
    std::string_view name = text;
    if (name.size() > 1 && name.back() == '.') name.remove_suffix(1);  // "example.com."
    if (name.size() > 253) {
        fail("host name", text, "longer than 253 characters (" + std::to_string(name.size()) + ")");
    }
    for (auto label : split(name, '.')) {
        if (label.empty()) fail("host name", text, "empty label between dots");
        for (char c : label) {
            if (static_cast<unsigned char>(c) >= 0x80) {
                fail("host name", text,
                     "non-ASCII letters are not allowed in a host name (use its xn-- form)");
            }
            if (!is_alpha(c) && !is_digit(c) && c != '-') {
                fail("host name", text, "'" + show(c) + "' is not allowed in a host name");
            }
        }
        if (label.size() > 63) {
            fail("host name", text,
                 "label '" + std::string(label.substr(0, 10)) + "...' is longer than 63 characters");
        }
        std::string quoted = "label '" + std::string(label) + "'";
        if (label.front() == '-') fail("host name", text, quoted + " starts with '-'");
        if (label.back() == '-') fail("host name", text, quoted + " ends with '-'");
    }
}

bool valid_host(std::string_view text)
{
    try {
        parse_host(text);
        return true;
    } catch (const UsageError&) {
        return false;
    }
}

bool valid_port(std::string_view text)
{
    try {
        parse_port(text);
        return true;
    } catch (const UsageError&) {
        return false;
    }
}

} // namespace

std::string Endpoint::to_string() const
{
    std::string port_text = std::to_string(port);
    if (host.find(':') != std::string::npos) return "[" + host + "]:" + port_text;
    return host + ":" + port_text;
}

std::uint16_t parse_port(std::string_view text)
{
    if (text.empty()) fail("port", text, "empty");
    if (text.front() == '-' && all_digits(text.substr(1))) fail("port", text, "must be 0-65535");
    if (!all_digits(text)) fail("port", text, "not a number");

    std::string_view digits = text;
    while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
    // Five digits at most, so a huge number cannot overflow on its way here.
    if (digits.size() > 5) fail("port", text, "must be 0-65535");
    int value = std::stoi(std::string(digits));
    if (value > 65535) fail("port", text, "must be 0-65535");
    return static_cast<std::uint16_t>(value);
}

std::string parse_host(std::string_view text)
{
    if (text.empty()) throw UsageError("invalid host '': empty");

    bool digits_and_dots = true;
    for (char c : text) {
        if (!is_digit(c) && c != '.') digits_and_dots = false;
    }

    if (digits_and_dots) {
        std::string why = ipv4_problem(text);
        if (!why.empty()) fail("IPv4 address", text, why);
    } else if (text.find(':') != std::string_view::npos) {
        check_ipv6(text);
    } else {
        check_host_name(text);
    }
    return std::string(text);
}

Endpoint parse_endpoint(std::string_view text)
{
    auto bad = [text](std::string_view why) { fail("endpoint", text, why); };
    if (text.empty()) bad("empty");

    std::string_view host;
    std::string_view port;
    if (text.front() == '[') {
        // [v6]:port
        std::size_t close = text.find(']');
        if (close == std::string_view::npos) bad("missing ']'");
        host = text.substr(1, close - 1);
        if (host.empty()) bad("empty host");
        if (host.find(':') == std::string_view::npos) {
            bad("brackets are only for IPv6 addresses, e.g. [::1]:8000");
        }
        std::string_view rest = text.substr(close + 1);
        if (rest.empty()) bad("missing ':PORT' after ']' (e.g. [::1]:8000)");
        if (rest.front() != ':') bad("missing ':' after ']'");
        port = rest.substr(1);
    } else {
        std::size_t colon = text.rfind(':');
        if (colon == std::string_view::npos) {
            std::string example = valid_host(text) ? std::string(text) : "127.0.0.1";
            bad("missing ':PORT' (e.g. " + example + ":8000)");
        }
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
        if (host.find(':') != std::string_view::npos) {
            // "::1:8000" is itself a valid IPv6 address: only brackets can
            // say where the address ends.
            std::string example = "[::1]:8000";
            if (valid_host(host) && valid_port(port)) {
                example = "[" + std::string(host) + "]:" + std::string(port);
            } else if (valid_host(text)) {
                example = "[" + std::string(text) + "]:8000";
            }
            bad("write an IPv6 address in brackets, e.g. " + example);
        }
        if (host.empty()) bad("empty host");
    }
    if (port.empty()) bad("missing port after ':'");

    Endpoint endpoint;
    endpoint.host = parse_host(host);
    endpoint.port = parse_port(port);
    return endpoint;
}

Endpoint make_endpoint(std::string_view host, std::string_view port)
{
    Endpoint endpoint;
    endpoint.host = parse_host(host);
    endpoint.port = parse_port(port);
    return endpoint;
}

} // namespace netlabs

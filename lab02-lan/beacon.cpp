#include "beacon.hpp"

#include <charconv>
#include <sstream>
#include <vector>

#include <asio/ip/host_name.hpp>

#include "netlabs/errors.hpp"
#include "netlabs/not_implemented.hpp"

namespace netlabs::lab02 {
namespace {

constexpr std::size_t max_name = 63;

bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

// Why `name` is not a server name, or "".
std::string name_problem(std::string_view name)
{
    if (name.empty()) return "empty";
    if (name.size() > max_name) return "longer than 63 characters";
    for (char c : name)
        if (!name_char(c)) return "use only letters, digits, '.', '_' and '-' (one word)";
    return "";
}

} // namespace

std::string encode_beacon(const Beacon& beacon)
{
    // BEGIN SOLUTION lab02-ex2
    return std::string(beacon_tag) + ' ' + beacon.name + ' ' + std::to_string(beacon.port) + '\n';
    // END SOLUTION
    // STUDENT: (void)beacon;
    // STUDENT: throw netlabs::NotImplemented("lab02-ex2");
}

// Anything may arrive on the discovery port: whatever is not exactly a beacon
// is nullopt, never an exception.
std::optional<Beacon> parse_beacon(std::string_view datagram)
{
    // BEGIN SOLUTION lab02-ex2
    while (!datagram.empty() && (datagram.back() == '\n' || datagram.back() == '\r')) datagram.remove_suffix(1);
    std::vector<std::string_view> fields;
    for (std::size_t at = 0; at <= datagram.size();) {
        std::size_t space = datagram.find(' ', at);
        if (space == std::string_view::npos) space = datagram.size();
        fields.push_back(datagram.substr(at, space - at));
        at = space + 1;
    }
    if (fields.size() != 3 || fields[0] != beacon_tag || !name_problem(fields[1]).empty()) return std::nullopt;
    std::uint16_t port = 0;
    const std::string_view p = fields[2];
    auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
    if (p.empty() || ec != std::errc{} || ptr != p.data() + p.size() || port == 0 ||
        (p.size() > 1 && p.front() == '0'))
        return std::nullopt;
    return Beacon{std::string(fields[1]), port};
    // END SOLUTION
    // STUDENT: (void)datagram;
    // STUDENT: throw netlabs::NotImplemented("lab02-ex2");
}

std::string check_server_name(std::string_view name)
{
    const std::string why = name_problem(name);
    if (!why.empty()) {
        std::string shown;  // a control character must not break the one-line error
        for (char c : name) shown += static_cast<unsigned char>(c) < 0x20 ? '?' : c;
        throw UsageError("invalid --name '" + shown + "': " + why);
    }
    return std::string(name);
}

std::string default_server_name()
{
    std::error_code ec;
    std::string name = asio::ip::host_name(ec);
    if (ec) return "lab02-server";
    if (auto dot = name.find('.'); dot != std::string::npos) name.erase(dot);  // "desktop.lan" -> "desktop"
    if (name.size() > max_name) name.resize(max_name);
    for (char& c : name)
        if (!name_char(c)) c = '-';
    return name.empty() ? "lab02-server" : name;
}

} // namespace netlabs::lab02

// The router's port-forwarding table: reading a row, checking it, and the
// checks between rows.
#include "port_forward.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "netlabs/endpoint.hpp"
#include "netlabs/not_implemented.hpp"

namespace netlabs::lab03 {
namespace {

// Services that speak TCP only: forwarding UDP to them opens a port for nothing.
const std::map<std::uint16_t, std::string_view> tcp_only_services = {
    {22, "SSH"},   {25, "SMTP"},         {80, "HTTP"},   {3306, "MySQL"}, {5000, "Flask / lab02-server"},
    {5432, "PostgreSQL"}, {8000, "HTTP"}, {8080, "HTTP"},
};

bool all_digits(std::string_view text)
{
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string trim(std::string_view text)
{
    const auto begin = text.find_first_not_of(" \t\r");
    if (begin == std::string_view::npos) return {};
    const auto end = text.find_last_not_of(" \t\r");
    return std::string(text.substr(begin, end - begin + 1));
}

} // namespace

std::string_view to_string(Protocol protocol)
{
    switch (protocol) {
    case Protocol::tcp: return "TCP";
    case Protocol::udp: return "UDP";
    case Protocol::tcp_udp: return "TCP+UDP";
    }
    return "?";
}

bool covers(Protocol protocol, Protocol packet)
{
    return protocol == Protocol::tcp_udp || protocol == packet;
}

std::string PortRange::to_string() const
{
    return first == last ? std::to_string(first) : std::to_string(first) + "-" + std::to_string(last);
}

bool Lan::contains(const asio::ip::address_v4& address) const
{
    const std::uint32_t mask = prefix == 0 ? 0 : ~std::uint32_t(0) << (32 - prefix);
    return (address.to_uint() & mask) == (network.to_uint() & mask);
}

bool Lan::is_host(const asio::ip::address_v4& address) const
{
    if (!contains(address)) return false;
    const std::uint32_t host_bits = prefix == 32 ? 0 : ~std::uint32_t(0) >> prefix;
    const std::uint32_t host = address.to_uint() & host_bits;
    return prefix >= 31 || (host != 0 && host != host_bits);
}

std::string Lan::to_string() const
{
    return network.to_string() + "/" + std::to_string(prefix);
}

Lan parse_lan(std::string_view text)
{
    const auto slash = text.find('/');
    const std::string shown(text);
    if (slash == std::string_view::npos || !all_digits(text.substr(slash + 1)) || slash + 4 < text.size())
        throw UsageError("invalid --lan '" + shown + "': give a network as ADDRESS/PREFIX, e.g. 192.168.99.0/24");
    const std::string address = parse_host(text.substr(0, slash));
    std::error_code ec;
    Lan lan;
    lan.network = asio::ip::make_address_v4(address, ec);
    lan.prefix = std::stoi(std::string(text.substr(slash + 1)));
    if (ec) throw UsageError("invalid --lan '" + shown + "': " + address + " is not an IPv4 address");
    if (lan.prefix < 8 || lan.prefix > 30)
        throw UsageError("invalid --lan '" + shown + "': the prefix length must be 8-30");
    const std::uint32_t host_bits = ~std::uint32_t(0) >> lan.prefix;
    if ((lan.network.to_uint() & host_bits) != 0)
        throw UsageError("invalid --lan '" + shown + "': the host bits are not zero (did you mean " +
                         asio::ip::address_v4(lan.network.to_uint() & ~host_bits).to_string() + "/" +
                         std::to_string(lan.prefix) + "?)");
    return lan;
}

std::string PortForward::to_string() const
{
    std::string text = service.first == service.last
                           ? std::to_string(service.first) + "-" + std::to_string(service.last)
                           : service.to_string();
    text += " " + std::string(lab03::to_string(protocol)) + " " + internal_ip.to_string() + " " +
            internal.to_string();
    if (!description.empty()) text += " " + description;
    return text;
}

namespace {

// A port of the table: 1-65535 (port 0 means "any port" to the OS, and a
// router cannot forward it).
std::uint16_t parse_table_port(std::string_view text, std::string_view column)
{
    const std::string shown(text);
    if (!all_digits(text) || text.size() > 5)
        throw RowError("invalid " + std::string(column) + " '" + shown + "': must be a number 1-65535");
    const unsigned long value = std::stoul(shown);
    if (value < 1 || value > 65535)
        throw RowError("invalid " + std::string(column) + " '" + shown + "': must be 1-65535");
    return static_cast<std::uint16_t>(value);
}

// "5000", "5000-5000", "6000-6010".
[[maybe_unused]] PortRange parse_port_range(std::string_view text, std::string_view column)
{
    const auto dash = text.find('-');
    if (dash == std::string_view::npos) {
        const auto port = parse_table_port(text, column);
        return {port, port};
    }
    const PortRange range{parse_table_port(text.substr(0, dash), column),
                          parse_table_port(text.substr(dash + 1), column)};
    if (range.first > range.last)
        throw RowError("invalid " + std::string(column) + " range '" + std::string(text) +
                       "': the first port is greater than the last");
    return range;
}

} // namespace

PortForward parse_row(std::string_view text, const Lan& lan)
{
    PortForward row;
    // BEGIN SOLUTION lab03-ex1
    // Four words, then the description: the rest of the line.
    std::vector<std::string> words;
    std::size_t at = 0;
    while (words.size() < 4) {
        at = text.find_first_not_of(" \t", at);
        if (at == std::string_view::npos) break;
        const auto end = std::min(text.find_first_of(" \t", at), text.size());
        words.emplace_back(text.substr(at, end - at));
        at = end;
    }
    static const char* const columns[] = {"a service port", "a protocol", "an internal IP", "an internal port"};
    if (words.size() < 4)
        throw RowError("missing " + std::string(columns[words.size()]) +
                       ": a row is SERVICE-PORT PROTOCOL INTERNAL-IP INTERNAL-PORT [DESCRIPTION]");
    row.description = at < text.size() ? trim(text.substr(at)) : std::string();

    row.service = parse_port_range(words[0], "service port");

    std::string protocol = words[1];
    std::transform(protocol.begin(), protocol.end(), protocol.begin(), [](char c) { return char(std::toupper(c)); });
    if (protocol == "TCP") row.protocol = Protocol::tcp;
    else if (protocol == "UDP") row.protocol = Protocol::udp;
    else if (protocol == "TCP+UDP" || protocol == "BOTH") row.protocol = Protocol::tcp_udp;
    else throw RowError("invalid protocol '" + words[1] + "': must be TCP, UDP or TCP+UDP");

    std::error_code ec;
    const std::string ip = words[2];
    try {
        parse_host(ip);  // names the bad part of a broken dotted quad: "277 is more than 255"
    } catch (const UsageError& e) {
        throw RowError(e.what());
    }
    row.internal_ip = asio::ip::make_address_v4(ip, ec);
    if (ec) throw RowError("invalid internal IP '" + ip + "': must be an IPv4 address on the LAN, e.g. 192.168.99.123");
    if (!lan.contains(row.internal_ip))
        throw RowError("internal IP " + ip + " is not in the LAN " + lan.to_string() +
                       ": the router forwards only to its own LAN");
    if (!lan.is_host(row.internal_ip))
        throw RowError("internal IP " + ip + " is the LAN's network or broadcast address, not a host");

    row.internal = parse_port_range(words[3], "internal port");
    if (row.internal.first == row.internal.last && row.service.size() > 1) {
        // One internal port for a range: the router maps the range port by port from it.
        if (row.internal.first + row.service.size() - 1 > 65535)
            throw RowError("internal ports " + std::to_string(row.internal.first) + "-" +
                           std::to_string(row.internal.first + row.service.size() - 1) +
                           " go past 65535");
        row.internal.last = std::uint16_t(row.internal.first + row.service.size() - 1);
    } else if (row.internal.size() != row.service.size()) {
        throw RowError("service ports " + row.service.to_string() + " (" + std::to_string(row.service.size()) +
                       " ports) and internal ports " + row.internal.to_string() + " (" +
                       std::to_string(row.internal.size()) + " ports) differ in length");
    }

    // The description becomes an nftables comment: one printable line, no quotes.
    if (row.description.size() > 100)
        throw RowError("description too long (" + std::to_string(row.description.size()) +
                       " bytes): at most 100");
    for (char c : row.description)
        if (c == '"' || c == '\\' || (static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f)
            throw RowError("invalid description '" + row.description + "': no quotes, backslashes or control characters");
    // END SOLUTION
    // STUDENT: (void)text;
    // STUDENT: (void)lan;
    // STUDENT: throw netlabs::NotImplemented("lab03-ex1");
    return row;
}

std::string conflict(const PortForward& earlier, const PortForward& later)
{
    const bool shared = covers(earlier.protocol, later.protocol) || covers(later.protocol, earlier.protocol);
    if (!shared || !earlier.service.overlaps(later.service)) return {};
    const std::uint16_t port = std::max(earlier.service.first, later.service.first);
    const Protocol p = later.protocol == Protocol::tcp_udp ? (earlier.protocol == Protocol::udp ? Protocol::udp : Protocol::tcp)
                                                           : later.protocol;
    return "external " + std::string(to_string(p)) + " port " + std::to_string(port) + " is already forwarded" +
           (earlier.line ? " by line " + std::to_string(earlier.line) : std::string()) + " (" + earlier.to_string() +
           "): one public port can lead to one place only";
}

std::string too_wide(const PortForward& row)
{
    if (row.protocol != Protocol::tcp_udp) return {};
    for (const auto& [port, name] : tcp_only_services)
        if (row.service.contains(port))
            return "TCP+UDP also opens UDP port " + std::to_string(port) + " to the internet, but " +
                   std::string(name) + " speaks only TCP: forward only what you serve (write TCP)";
    return {};
}

Table read_table(std::istream& in, const std::string& file, const Lan& lan)
{
    Table table;
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
        if (trim(line).empty()) continue;
        const std::string where = file + ":" + std::to_string(number) + ": ";
        PortForward row;
        try {
            row = parse_row(line, lan);
        } catch (const RowError& e) {
            throw UsageError(where + e.what());
        }
        row.line = number;
        for (const auto& earlier : table.rows)
            if (const auto why = conflict(earlier, row); !why.empty()) throw UsageError(where + why);
        if (const auto warning = too_wide(row); !warning.empty()) table.warnings.push_back(where + "warning: " + warning);
        table.rows.push_back(std::move(row));
    }
    return table;
}

Table read_table_file(const std::string& path, const Lan& lan)
{
    std::ifstream in(path);
    if (!in) throw UsageError("cannot read table '" + path + "': no such file, or not readable");
    return read_table(in, path, lan);
}

} // namespace netlabs::lab03

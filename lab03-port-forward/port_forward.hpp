// PortForward: one row of the router's port-forwarding page (seed 001).
//
//   service port  protocol  internal IP      port  description
//   5000-5000     TCP+UDP   192.168.99.123   5000  비고
//
// A table file holds one row per line, columns separated by spaces; the
// description is the rest of the line. '#' starts a comment, blank lines are
// fine. Every problem is one line that names the file, the line and the bad
// part: "forwards.txt:3: invalid port '70000': must be 1-65535".
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include <asio/ip/address_v4.hpp>

#include "netlabs/errors.hpp"

namespace netlabs::lab03 {

enum class Protocol { tcp, udp, tcp_udp };

// "TCP", "UDP", "TCP+UDP": as the router's page writes them.
std::string_view to_string(Protocol protocol);

// Does a rule for `protocol` catch packets of `packet` ("tcp" or "udp")?
bool covers(Protocol protocol, Protocol packet);

// A range of ports, first..last; one port is a range of one.
struct PortRange {
    std::uint16_t first = 0;
    std::uint16_t last = 0;

    std::size_t size() const { return std::size_t(last) - first + 1; }
    bool contains(std::uint16_t port) const { return port >= first && port <= last; }
    bool overlaps(const PortRange& other) const { return first <= other.last && other.first <= last; }
    std::string to_string() const;  // "5000", "6000-6010"
};

// The home network: 192.168.99.0/24 unless the router says otherwise.
struct Lan {
    asio::ip::address_v4 network = asio::ip::make_address_v4("192.168.99.0");
    int prefix = 24;

    bool contains(const asio::ip::address_v4& address) const;
    bool is_host(const asio::ip::address_v4& address) const;  // in it, and not its network or broadcast address
    std::string to_string() const;                            // "192.168.99.0/24"
};

// "192.168.99.0/24" -> Lan; a UsageError naming the bad part otherwise.
Lan parse_lan(std::string_view text);

struct PortForward {
    PortRange service;  // the router's public ports ("service port")
    Protocol protocol = Protocol::tcp;
    asio::ip::address_v4 internal_ip;
    PortRange internal;  // as long as `service`: port service.first goes to internal.first, and so on
    std::string description;
    int line = 0;  // where it is in its table file (0: not from a file)

    // "5000-5000 TCP+UDP 192.168.99.123 5000 비고": a row as the table writes it.
    std::string to_string() const;
    // The internal port that external `port` (in `service`) goes to.
    std::uint16_t internal_port(std::uint16_t port) const { return std::uint16_t(internal.first + (port - service.first)); }
};

// A row that is wrong, without the file and line (read_table adds them).
class RowError : public UsageError {
public:
    using UsageError::UsageError;
};

// Parses and checks one row (exercise lab03-ex1): five columns, the last one
// the rest of the line and optional. Throws RowError naming the bad column:
//   invalid port '70000': must be 1-65535
//   internal IP 10.0.0.5 is not in the LAN 192.168.99.0/24
//   service ports 6000-6010 (11 ports) and internal ports 7000-7004 (5 ports) differ in length
PortForward parse_row(std::string_view text, const Lan& lan);

struct Table {
    std::vector<PortForward> rows;
    std::vector<std::string> warnings;  // "forwards.txt:3: warning: ..." (seed error 13)
};

// Reads a whole table: comments, blank lines, every row, and the checks
// between rows (no external port forwarded twice). Throws UsageError
// "FILE:LINE: what is wrong" at the first problem.
Table read_table(std::istream& in, const std::string& file, const Lan& lan);
Table read_table_file(const std::string& path, const Lan& lan);

// Why two rows may not both be in one table, or "" when they may.
std::string conflict(const PortForward& earlier, const PortForward& later);

// The warning for a row that forwards more than its service needs (seed
// error 13: TCP+UDP for a TCP-only service), or "".
std::string too_wide(const PortForward& row);

} // namespace netlabs::lab03

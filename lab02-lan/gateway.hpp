// The default gateway: where a host sends every packet for a network it is
// not on itself (seed 001 finds it with `ipconfig` on Windows and
// `route -n get default` on macOS). On a home LAN it is the router, usually
// 192.168.0.1 or 192.168.1.1; in the lab's topology 192.168.99.1.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <asio/ip/address_v4.hpp>

namespace netlabs::lab02 {

struct Gateway {
    asio::ip::address_v4 address;  // 192.168.99.1
    std::string interface;         // the interface the route goes out of: "eth0"
};

// Linux keeps its IPv4 routing table in /proc/net/route, one route a line:
//
//   Iface  Destination  Gateway   Flags  RefCnt  Use  Metric  Mask      ...
//   eth0   00000000     0163A8C0  0003   0       0    0       00000000  ...
//
// Addresses are the 32-bit value of the address in memory, printed in hex:
// on a little-endian machine 192.168.99.1 reads 0163A8C0. The default route
// has destination and mask 0 and the gateway flag; with several, the lowest
// metric wins, as in the kernel. nullopt: no default route.
std::optional<Gateway> parse_default_gateway(std::string_view route_table);

// True where default_gateway() can read the routing table (Linux).
bool can_read_default_gateway();

// Reads /proc/net/route (Linux); nullopt elsewhere or without a default route.
std::optional<Gateway> default_gateway();

// Where a learner looks on a system this program cannot read: one line.
std::string_view how_to_find_gateway();

} // namespace netlabs::lab02

// What kind of address is this? Loopback, private, public ... (seed 001).
//
// classify() is your exercise (lab02-ex3): lab02-ifaces prints its answer
// next to every address, and lab02 picks the address a friend on the LAN can
// reach with it (lan_address.hpp).
#pragma once

#include <string_view>

#include <asio/ip/address.hpp>

namespace netlabs::lab02 {

enum class AddressKind {
    unspecified,    // 0.0.0.0, ::            "any address" when binding
    loopback,       // 127.0.0.0/8, ::1        this machine only
    private_,       // RFC 1918 10/8, 172.16/12, 192.168/16; IPv6 ULA fc00::/7
    shared,         // 100.64.0.0/10           carrier-grade NAT (RFC 6598)
    link_local,     // 169.254.0.0/16, fe80::/10
    documentation,  // RFC 5737 192.0.2/24, 198.51.100/24, 203.0.113/24; 2001:db8::/32, 3fff::/20
    multicast,      // 224.0.0.0/4, ff00::/8
    reserved,       // 0/8, 240/4, 255.255.255.255, 198.18/15 benchmarking, 192.0.0/24
    public_,        // everything else: reachable on the internet
};

// IPv4-mapped IPv6 addresses (::ffff:192.168.1.2) are classified as their IPv4 address.
AddressKind classify(const asio::ip::address& address);

// "loopback", "private", "shared", "link-local", "documentation",
// "multicast", "reserved", "public", "unspecified".
std::string_view to_string(AddressKind kind);

// One line for a learner: "private (RFC 1918): used inside a LAN, not routed on the internet".
std::string_view explain(AddressKind kind);

} // namespace netlabs::lab02

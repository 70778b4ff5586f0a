// Interface: one network interface of this machine and its addresses (seed 003:
// "an IP address belongs to an interface, not to a computer").
//
// A laptop has several: `lo` (loopback, 127.0.0.1, this machine only), a
// wired or wireless one (`eth0`, `wlan0`, `en0`) with the address the LAN
// knows it by, perhaps `docker0` or a VPN. Each can hold IPv4 and IPv6
// addresses. This is what `ip -br addr`, `ifconfig` and `ipconfig` list.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <asio/ip/address.hpp>
#include <asio/ip/address_v4.hpp>

namespace netlabs::lab02 {

struct InterfaceAddress {
    asio::ip::address address;                     // no IPv6 scope: "fe80::1", not "fe80::1%eth0"
    int prefix = -1;                               // 24 for 255.255.255.0; -1 when unknown
    std::optional<asio::ip::address_v4> broadcast; // IPv4 only: 192.168.99.255 for 192.168.99.0/24

    std::string to_string() const;  // "192.168.99.123/24"
};

struct Interface {
    std::string name;   // "eth0"
    bool up = false;
    bool loopback = false;
    std::vector<InterfaceAddress> addresses;  // IPv4 first, then IPv6; may be empty
};

// Every interface of this machine, in the kernel's order (getifaddrs).
// Throws NetworkError if the system cannot say; on Windows, where there is
// no getifaddrs, throws NetworkError pointing to `ipconfig`.
std::vector<Interface> list_interfaces();

// "255.255.255.0" -> 24. Counts the leading one bits of a netmask.
int prefix_length(const asio::ip::address& netmask);

} // namespace netlabs::lab02

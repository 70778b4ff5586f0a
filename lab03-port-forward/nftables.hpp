// A port-forwarding table as the nftables ruleset a real router loads.
//
// The shape is OpenWrt's fw4 (`nft list ruleset` on an OpenWrt router), cut
// down to what port forwarding needs:
//
//   dstnat    (prerouting)  a packet from the WAN to a forwarded port: new destination, the LAN host
//   forward   (filter)      replies and the LAN's own traffic pass; from the WAN only what
//                           dstnat rewrote ("ct status dnat accept"); nothing else
//   srcnat    (postrouting) the LAN's traffic leaves with the router's WAN address (masquerade)
//
// With reflection (NAT loopback, "hairpin"), the LAN can use the public
// address too: dstnat on the LAN side as well, and srcnat so that the reply
// comes back through the router.
#pragma once

#include <string>
#include <vector>

#include "port_forward.hpp"

namespace netlabs::lab03 {

// The router around the table.
struct Router {
    Lan lan;
    std::string lan_if = "eth0";
    std::string wan_if = "eth1";
    asio::ip::address_v4 lan_ip = asio::ip::make_address_v4("192.168.99.1");
    asio::ip::address_v4 wan_ip = asio::ip::make_address_v4("203.0.113.123");  // seed 001's 111.222.33.123
    bool reflection = false;
};

// The match of one row, what a packet must be to take it:
//   "tcp dport 5000", "udp dport 6000-6010", "meta l4proto { tcp, udp } th dport 5000"
std::string nft_match(const PortForward& row);

// The rules of one row in the WAN's dstnat chain (exercise lab03-ex2):
//   meta nfproto ipv4 tcp dport 5000 dnat ip to 192.168.99.123:5000 comment "lab02 server"
// A range that keeps its ports needs no port in the target; a range moved
// to other ports becomes one rule per port.
std::vector<std::string> dnat_rules(const PortForward& row);

// The whole ruleset: "table inet fw4 ... ", ready for `nft -f`.
std::string ruleset(const Table& table, const Router& router, const std::string& source);

} // namespace netlabs::lab03

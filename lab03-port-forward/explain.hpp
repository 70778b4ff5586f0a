// Where does one packet go? What the router does to it, step by step
// (`lab03-portfwd TABLE --explain PACKET`):
//
//   198.51.100.8:40000 -> 203.0.113.123:5000/tcp
//     dstnat: line 3 (5000-5000 TCP 192.168.99.123 5000 lab02 server)
//     becomes 198.51.100.8:40000 -> 192.168.99.123:5000/tcp
#pragma once

#include <string>
#include <string_view>

#include "nftables.hpp"
#include "port_forward.hpp"

namespace netlabs::lab03 {

// One packet, as seen on the wire: "198.51.100.8:40000 -> 203.0.113.123:5000/tcp".
struct Packet {
    asio::ip::address_v4 source;
    std::uint16_t source_port = 0;
    asio::ip::address_v4 destination;
    std::uint16_t destination_port = 0;
    Protocol protocol = Protocol::tcp;  // tcp or udp, never tcp_udp

    std::string to_string() const;
    friend bool operator==(const Packet&, const Packet&) = default;
};

// "SRC:PORT -> DST:PORT/tcp" (or /udp); a UsageError naming the bad part.
Packet parse_packet(std::string_view text);

struct Verdict {
    enum class Kind {
        forwarded,    // from the internet to a forwarded port: new destination, the LAN host
        reflected,    // from the LAN to the public address, with reflection: forwarded, and source rewritten
        to_router,    // to the router's own address with no rule: the router itself answers
        masqueraded,  // from the LAN to the internet: leaves with the router's WAN address
        on_lan,       // from the LAN to the LAN: never reaches the router
        not_ours,     // from the internet to an address this router does not have
    };
    Kind kind = Kind::to_router;
    Packet after;                        // the packet as it leaves the router (or reaches its own stack)
    const PortForward* rule = nullptr;   // the row that matched (forwarded, reflected)
};

// Exercise lab03-ex3: what the router does to `packet`.
Verdict decide(const Table& table, const Router& router, const Packet& packet);

// The verdict for a reader, a few lines, starting with the packet itself.
std::string explain(const Verdict& verdict, const Packet& packet, const Router& router);

} // namespace netlabs::lab03

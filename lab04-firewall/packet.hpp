// What lab04-sniff reads in a captured frame: Ethernet, then IPv4, then TCP,
// UDP or ICMP. Addresses are kept as numbers and printed dotted (seed 004
// prints dpkt's raw bytes instead: error 10).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "rules.hpp"

namespace lab04 {

struct Frame {
    std::uint16_t ethertype = 0;     // 0x0800 IPv4, 0x0806 ARP, 0x86dd IPv6 ...
    std::size_t length = 0;          // the whole frame, bytes
    bool ipv4 = false;               // an IPv4 header was read
    bool truncated = false;          // shorter than its headers say
    Ipv4 source = 0, destination = 0;
    std::uint8_t protocol = 0;       // 1 ICMP, 6 TCP, 17 UDP
    bool fragment = false;           // a later fragment: no transport header
    bool has_ports = false;          // TCP or UDP header read
    std::uint16_t source_port = 0, destination_port = 0;
    std::uint8_t tcp_flags = 0;      // FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10
    bool has_icmp = false;
    std::uint8_t icmp_type = 0, icmp_code = 0;
    std::size_t payload = 0;         // TCP, UDP: bytes after the header; ICMP: the whole message
};

// Reads the headers of one Ethernet frame. Never reads past `bytes`: a frame
// too short for a header it announces is marked truncated.
Frame decode(std::span<const std::uint8_t> bytes);

// One line, as tcpdump -n prints it:
//   IP 198.51.100.8.40000 > 192.168.99.123.5000: Flags [S], length 0
//   IP 192.168.99.123 > 198.51.100.8: ICMP echo reply, length 56
std::string describe(const Frame& frame);

} // namespace lab04

// Decoding a frame: each header says how long it is and what comes next.
//
//   Ethernet  6 destination MAC, 6 source MAC, 2 type (0x0800: IPv4)
//   IPv4      version and header length (IHL, in 4-byte words), total length,
//             fragment offset, protocol, source, destination (network order)
//   TCP       source port, destination port, ..., data offset, flags
//   UDP       source port, destination port, length
//   ICMP      type, code
#include "packet.hpp"

#include <algorithm>
#include <cstdio>

#include "netlabs/not_implemented.hpp"

namespace lab04 {

namespace {

std::uint16_t be16(std::span<const std::uint8_t> b, std::size_t at)
{
    return static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]);
}

std::uint32_t be32(std::span<const std::uint8_t> b, std::size_t at)
{
    return (static_cast<std::uint32_t>(b[at]) << 24) | (static_cast<std::uint32_t>(b[at + 1]) << 16) |
           (static_cast<std::uint32_t>(b[at + 2]) << 8) | b[at + 3];
}

std::string flags_of(std::uint8_t f)
{
    std::string s;
    if (f & 0x02) s += 'S';
    if (f & 0x01) s += 'F';
    if (f & 0x04) s += 'R';
    if (f & 0x08) s += 'P';
    if (f & 0x10) s += '.';
    return s.empty() ? "none" : s;
}

std::string icmp_name(std::uint8_t type, std::uint8_t code)
{
    switch (type) {
    case 0: return "echo reply";
    case 8: return "echo request";
    case 3:
        switch (code) {
        case 1: return "host unreachable";
        case 3: return "port unreachable";
        case 13: return "administratively prohibited";
        default: return "destination unreachable, code " + std::to_string(code);
        }
    case 11: return "time exceeded";
    default: return "type " + std::to_string(type) + ", code " + std::to_string(code);
    }
}

} // namespace

Frame decode(std::span<const std::uint8_t> bytes)
{
    // BEGIN SOLUTION lab04-ex4
    Frame f;
    f.length = bytes.size();
    if (bytes.size() < 14) {
        f.truncated = true;
        return f;
    }
    f.ethertype = be16(bytes, 12);
    if (f.ethertype != 0x0800) return f;
    const auto ip = bytes.subspan(14);
    if (ip.size() < 20 || (ip[0] >> 4) != 4) {
        f.truncated = ip.size() < 20;
        return f;
    }
    const std::size_t ihl = (ip[0] & 0x0f) * 4u;
    const std::size_t total = be16(ip, 2);
    if (ihl < 20 || ip.size() < ihl || total < ihl) {
        f.truncated = true;
        return f;
    }
    f.ipv4 = true;
    f.protocol = ip[9];
    f.source = be32(ip, 12);
    f.destination = be32(ip, 16);
    f.fragment = (be16(ip, 6) & 0x1fff) != 0;
    // The IPv4 total length says where the packet ends (Ethernet pads short frames).
    const auto l4 = ip.subspan(ihl, std::min(total, ip.size()) - ihl);
    if (total > ip.size()) f.truncated = true;
    if (f.fragment) return f;
    if (f.protocol == 6) {
        if (l4.size() < 20 || l4.size() < (l4[12] >> 4) * 4u) {
            f.truncated = true;
            return f;
        }
        f.has_ports = true;
        f.source_port = be16(l4, 0);
        f.destination_port = be16(l4, 2);
        f.tcp_flags = l4[13];
        f.payload = l4.size() - (l4[12] >> 4) * 4u;
    } else if (f.protocol == 17) {
        if (l4.size() < 8) {
            f.truncated = true;
            return f;
        }
        f.has_ports = true;
        f.source_port = be16(l4, 0);
        f.destination_port = be16(l4, 2);
        f.payload = l4.size() - 8;
    } else if (f.protocol == 1) {
        if (l4.size() < 4) {
            f.truncated = true;
            return f;
        }
        f.has_icmp = true;
        f.icmp_type = l4[0];
        f.icmp_code = l4[1];
        f.payload = l4.size();  // the whole ICMP message, as tcpdump counts it
    }
    return f;
    // END SOLUTION
    // STUDENT: (void)bytes, (void)be16, (void)be32;
    // STUDENT: throw netlabs::NotImplemented("lab04-ex4");
}

std::string describe(const Frame& f)
{
    if (!f.ipv4) {
        if (f.truncated) return "[truncated frame], length " + std::to_string(f.length);
        if (f.ethertype == 0x0806) return "ARP, length " + std::to_string(f.length);
        if (f.ethertype == 0x86dd) return "IP6, length " + std::to_string(f.length);
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%04x", f.ethertype);
        return std::string("ethertype ") + hex + ", length " + std::to_string(f.length);
    }
    const std::string src = to_string(f.source), dst = to_string(f.destination);
    std::string line = "IP ";
    if (f.has_ports) {
        line += src + "." + std::to_string(f.source_port) + " > " + dst + "." + std::to_string(f.destination_port) + ": ";
        if (f.protocol == 6) line += "Flags [" + flags_of(f.tcp_flags) + "], length " + std::to_string(f.payload);
        else line += "UDP, length " + std::to_string(f.payload);
    } else if (f.has_icmp) {
        line += src + " > " + dst + ": ICMP " + icmp_name(f.icmp_type, f.icmp_code) + ", length " +
                std::to_string(f.payload);
    } else {
        line += src + " > " + dst + ": ip-proto-" + std::to_string(f.protocol);
        if (f.fragment) line += " (fragment)";
    }
    if (f.truncated) line += " [truncated]";
    return line;
}

} // namespace lab04

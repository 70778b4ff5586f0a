// lab04-sniff's filter: a small part of tcpdump's (pcap-filter) language.
//
//   tcp port 80            TCP, either port 80 (both directions of a connection)
//   host 192.168.99.123    either address
//   src 198.51.100.8       src host 198.51.100.8
//   dst port 22            either TCP or UDP, destination port 22
//   net 192.168.99.0/24    either address in that network
//   icmp or (udp and not port 53)
//
// A primitive is [PROTO] [src|dst] [host|net|port] VALUE, or PROTO alone
// (tcp, udp, icmp, ip, arp); primitives combine with and/or/not (&&, ||, !)
// and parentheses, nested at most 64 deep. "and" binds tighter than "or". tcpdump compiles this to
// BPF and runs it in the kernel; here it runs on each decoded frame.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "packet.hpp"

namespace lab04 {

class Filter {
public:
    // The empty filter matches every frame.
    Filter() = default;
    // Throws std::invalid_argument: "unknown word 'prot' (expected ...)".
    static Filter parse(std::string_view text);
    bool matches(const Frame& frame) const;
    bool empty() const { return root_ == nullptr; }

    struct Node;

private:
    std::shared_ptr<const Node> root_;
};

} // namespace lab04

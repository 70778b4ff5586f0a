// Address classification: which block of the address space is this in?
//
// Each block is a prefix: the first `bits` bits of the address equal those of
// `network`. Blocks do not overlap, except 0.0.0.0 inside 0/8 and
// 255.255.255.255 inside 240/4, so the order of the checks only matters there.
#include "classify.hpp"

#include <cstdint>
#include <initializer_list>

#include <asio/ip/address_v4.hpp>
#include <asio/ip/address_v6.hpp>

#include "netlabs/not_implemented.hpp"

namespace netlabs::lab02 {
namespace {

// BEGIN SOLUTION lab02-ex3
// --- IPv4 ----------------------------------------------------------------------

struct Block4 {
    std::uint32_t network;
    int bits;
    AddressKind kind;
};

constexpr std::uint32_t ip(std::uint32_t a, std::uint32_t b, std::uint32_t c, std::uint32_t d)
{
    return (a << 24) | (b << 16) | (c << 8) | d;
}

constexpr Block4 v4_blocks[] = {
    {ip(127, 0, 0, 0), 8, AddressKind::loopback},
    {ip(10, 0, 0, 0), 8, AddressKind::private_},
    {ip(172, 16, 0, 0), 12, AddressKind::private_},
    {ip(192, 168, 0, 0), 16, AddressKind::private_},
    {ip(100, 64, 0, 0), 10, AddressKind::shared},
    {ip(169, 254, 0, 0), 16, AddressKind::link_local},
    {ip(192, 0, 2, 0), 24, AddressKind::documentation},     // TEST-NET-1
    {ip(198, 51, 100, 0), 24, AddressKind::documentation},  // TEST-NET-2
    {ip(203, 0, 113, 0), 24, AddressKind::documentation},   // TEST-NET-3
    {ip(224, 0, 0, 0), 4, AddressKind::multicast},
    {ip(0, 0, 0, 0), 8, AddressKind::reserved},            // "this network"
    {ip(255, 255, 255, 255), 32, AddressKind::reserved},   // limited broadcast
    {ip(240, 0, 0, 0), 4, AddressKind::reserved},          // future use
    {ip(198, 18, 0, 0), 15, AddressKind::reserved},        // benchmarking (RFC 2544)
    {ip(192, 0, 0, 0), 24, AddressKind::reserved},         // IETF protocol assignments
};

AddressKind classify_v4(const asio::ip::address_v4& address)
{
    std::uint32_t value = address.to_uint();
    if (value == 0) return AddressKind::unspecified;  // before 0/8
    for (const auto& block : v4_blocks) {
        std::uint32_t mask = ~std::uint32_t{0} << (32 - block.bits);
        if ((value & mask) == block.network) return block.kind;
    }
    return AddressKind::public_;
}

// --- IPv6 ----------------------------------------------------------------------

bool v6_in(const asio::ip::address_v6::bytes_type& bytes,
           std::initializer_list<unsigned char> prefix, int bits)
{
    int i = 0;
    for (unsigned char byte : prefix) {
        int take = bits >= 8 ? 8 : bits;
        if (take <= 0) break;
        unsigned char mask = static_cast<unsigned char>(0xff << (8 - take));
        if ((bytes[i] & mask) != (byte & mask)) return false;
        bits -= take;
        ++i;
    }
    return true;
}

AddressKind classify_v6(const asio::ip::address_v6& address)
{
    if (address.is_v4_mapped()) return classify_v4(asio::ip::make_address_v4(asio::ip::v4_mapped, address));
    if (address.is_unspecified()) return AddressKind::unspecified;  // ::
    if (address.is_loopback()) return AddressKind::loopback;        // ::1

    auto bytes = address.to_bytes();
    if (v6_in(bytes, {0xfc}, 7)) return AddressKind::private_;             // fc00::/7 (ULA)
    if (v6_in(bytes, {0xfe, 0x80}, 10)) return AddressKind::link_local;    // fe80::/10
    if (v6_in(bytes, {0x20, 0x01, 0x0d, 0xb8}, 32)) return AddressKind::documentation;  // 2001:db8::/32
    if (v6_in(bytes, {0x3f, 0xff}, 20)) return AddressKind::documentation; // 3fff::/20 (RFC 9637)
    if (v6_in(bytes, {0xff}, 8)) return AddressKind::multicast;            // ff00::/8
    return AddressKind::public_;
}
// END SOLUTION
// STUDENT: // Your helpers go here: the blocks of classify.hpp, and a prefix check.

} // namespace

AddressKind classify(const asio::ip::address& address)
{
    // BEGIN SOLUTION lab02-ex3
    if (address.is_v4()) return classify_v4(address.to_v4());
    return classify_v6(address.to_v6());
    // END SOLUTION
    // STUDENT: (void)address;
    // STUDENT: throw netlabs::NotImplemented("lab02-ex3");
}

std::string_view to_string(AddressKind kind)
{
    switch (kind) {
    case AddressKind::unspecified: return "unspecified";
    case AddressKind::loopback: return "loopback";
    case AddressKind::private_: return "private";
    case AddressKind::shared: return "shared";
    case AddressKind::link_local: return "link-local";
    case AddressKind::documentation: return "documentation";
    case AddressKind::multicast: return "multicast";
    case AddressKind::reserved: return "reserved";
    case AddressKind::public_: return "public";
    }
    return "unknown";
}

std::string_view explain(AddressKind kind)
{
    switch (kind) {
    case AddressKind::unspecified:
        return "unspecified: \"any address\"; bind to it to listen on every interface, never send to it";
    case AddressKind::loopback:
        return "loopback: this machine only; packets never leave it";
    case AddressKind::private_:
        return "private (RFC 1918): used inside a LAN, not routed on the internet";
    case AddressKind::shared:
        return "shared (RFC 6598): inside a provider's carrier-grade NAT, not routed on the internet";
    case AddressKind::link_local:
        return "link-local: valid on one link (one LAN segment) only, set up by the host itself";
    case AddressKind::documentation:
        return "documentation (RFC 5737): reserved for examples, never on the real internet";
    case AddressKind::multicast:
        return "multicast: one packet to a group of listeners, not to one host";
    case AddressKind::reserved:
        return "reserved: set aside (broadcast, benchmarking, future use), not a host's address";
    case AddressKind::public_:
        return "public: routed on the internet, reachable from anywhere a firewall allows";
    }
    return "unknown";
}

} // namespace netlabs::lab02

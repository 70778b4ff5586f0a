// Listing the interfaces with getifaddrs(3): one linked list with an entry
// per (interface, address). An interface with no IP address appears only in
// its link-layer entry (AF_PACKET on Linux, AF_LINK on macOS), so every
// entry's name is collected, not only those with an IP address.
#include "interfaces.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

#include "netlabs/errors.hpp"

#ifndef _WIN32
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#endif

namespace netlabs::lab02 {

std::string InterfaceAddress::to_string() const
{
    std::string text = address.to_string();
    if (prefix >= 0) text += "/" + std::to_string(prefix);
    return text;
}

int prefix_length(const asio::ip::address& netmask)
{
    int bits = 0;
    if (netmask.is_v4()) {
        for (unsigned char byte : netmask.to_v4().to_bytes()) bits += std::popcount(byte);
    } else {
        for (unsigned char byte : netmask.to_v6().to_bytes()) bits += std::popcount(byte);
    }
    return bits;
}

#ifdef _WIN32

std::vector<Interface> list_interfaces()
{
    throw NetworkError("list interfaces: not supported on Windows by this program "
                       "(run 'ipconfig' to see them)",
                       std::make_error_code(std::errc::function_not_supported));
}

#else

namespace {

// The IP address in a sockaddr, or nullopt for a link-layer entry.
std::optional<asio::ip::address> ip_of(const sockaddr* sa)
{
    if (sa == nullptr) return std::nullopt;
    if (sa->sa_family == AF_INET) {
        sockaddr_in in{};
        std::memcpy(&in, sa, sizeof in);
        asio::ip::address_v4::bytes_type bytes{};
        std::memcpy(bytes.data(), &in.sin_addr, bytes.size());
        return asio::ip::address_v4(bytes);
    }
    if (sa->sa_family == AF_INET6) {
        sockaddr_in6 in6{};
        std::memcpy(&in6, sa, sizeof in6);
        asio::ip::address_v6::bytes_type bytes{};
        std::memcpy(bytes.data(), &in6.sin6_addr, bytes.size());
        return asio::ip::address_v6(bytes);  // scope id left out, as `ip -br addr` does
    }
    return std::nullopt;
}

} // namespace

std::vector<Interface> list_interfaces()
{
    ifaddrs* list = nullptr;
    if (::getifaddrs(&list) != 0)
        throw_network_error("list interfaces", "", std::error_code(errno, std::system_category()), "-");

    std::vector<Interface> interfaces;
    for (const ifaddrs* entry = list; entry != nullptr; entry = entry->ifa_next) {
        auto found = std::find_if(interfaces.begin(), interfaces.end(),
                                  [&](const Interface& i) { return i.name == entry->ifa_name; });
        if (found == interfaces.end()) {
            interfaces.push_back({entry->ifa_name, false, false, {}});
            found = interfaces.end() - 1;
        }
        found->up = found->up || (entry->ifa_flags & IFF_UP) != 0;
        found->loopback = found->loopback || (entry->ifa_flags & IFF_LOOPBACK) != 0;

        const auto address = ip_of(entry->ifa_addr);
        if (!address) continue;
        InterfaceAddress item{*address, -1, std::nullopt};
        if (const auto mask = ip_of(entry->ifa_netmask)) item.prefix = prefix_length(*mask);
        if (address->is_v4() && (entry->ifa_flags & IFF_BROADCAST) != 0) {
            if (const auto broadcast = ip_of(entry->ifa_broadaddr); broadcast && broadcast->is_v4())
                item.broadcast = broadcast->to_v4();
        }
        found->addresses.push_back(item);
    }
    ::freeifaddrs(list);

    // IPv4 before IPv6 within an interface, each in the kernel's order.
    for (auto& i : interfaces)
        std::stable_partition(i.addresses.begin(), i.addresses.end(),
                              [](const InterfaceAddress& a) { return a.address.is_v4(); });
    return interfaces;
}

#endif

} // namespace netlabs::lab02

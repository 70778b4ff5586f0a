// Which of this machine's addresses should a friend on the same LAN use?
//
// Not 127.0.0.1: loopback means "this machine" on every machine, so on the
// friend's machine it is the friend's own. Not a link-local address
// (169.254.x.x, fe80::): a host gives itself one when nothing else worked,
// and it is valid on one link only. The answer is the IPv4 address the LAN
// gave this machine (by DHCP, usually): a private one such as 192.168.99.123.
#pragma once

#include <optional>
#include <vector>

#include "gateway.hpp"
#include "interfaces.hpp"

namespace netlabs::lab02 {

struct LanAddress {
    const Interface* interface = nullptr;
    const InterfaceAddress* address = nullptr;
};

// The best IPv4 address for a friend on the LAN: on an interface that is up
// and not loopback; private or shared before public; the one on the default
// gateway's interface first. nullopt: this machine is on no LAN.
std::optional<LanAddress> choose_lan_address(const std::vector<Interface>& interfaces,
                                             const std::optional<Gateway>& gateway);

} // namespace netlabs::lab02

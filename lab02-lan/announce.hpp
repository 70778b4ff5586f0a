// The server's side of discovery: a beacon on the LAN every second.
//
// A UDP datagram to 255.255.255.255 (the "limited broadcast" address) goes
// to every host on the link, and no router passes it on: it finds servers on
// this LAN only, which is what a LAN service wants. Sending one needs
// SO_BROADCAST, the socket's "yes, I mean everyone" switch.
#pragma once

#include <chrono>
#include <optional>
#include <vector>

#include <asio/awaitable.hpp>
#include <asio/ip/address.hpp>
#include <asio/ip/udp.hpp>

#include "beacon.hpp"

namespace netlabs::lab02 {

struct Announcement {
    Beacon beacon;                                // "netlabs-lab02 desktop 5000"
    std::vector<asio::ip::udp::endpoint> to;      // 255.255.255.255:5001 by default
    asio::ip::address from;                       // the server's --bind address
    std::chrono::milliseconds interval{1000};
};

// Opens the beacon socket (SO_BROADCAST on; bound to `from` when that is one
// address, so the beacon's source is the address clients must connect to)
// and sends the beacon to every destination each interval, forever. A send
// that fails is reported on stderr once, then retried quietly.
asio::awaitable<void> announce(Announcement announcement);

} // namespace netlabs::lab02

// The discovery beacon: how a client finds the server without being told its
// address, because DHCP may give the server a new one tomorrow (seed 001).
//
// The server sends one UDP datagram every second to the LAN's broadcast
// address (255.255.255.255, "everyone on this link"), on UDP port 5001:
//
//   netlabs-lab02 desktop 5000
//
// tag, the server's name, its TCP port. The datagram does not carry the
// server's address: the receiver reads it from the datagram's source, which
// is always the server's current address.
//
// Three pieces, in this order: the beacon itself (encode_beacon and
// parse_beacon are your exercise, lab02-ex2), the server's side that sends
// it (announce) and the client's side that waits for it (discover).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <asio/awaitable.hpp>
#include <asio/ip/address.hpp>
#include <asio/ip/udp.hpp>

#include "netlabs/timed.hpp"

namespace netlabs::lab02 {

// --- the beacon ------------------------------------------------------------------

inline constexpr std::string_view beacon_tag = "netlabs-lab02";
inline constexpr std::uint16_t default_discovery_port = 5001;

struct Beacon {
    std::string name;        // one word: letters, digits, '.', '_', '-'
    std::uint16_t port = 0;  // the server's TCP port, 1-65535

    friend bool operator==(const Beacon&, const Beacon&) = default;
};

// "netlabs-lab02 desktop 5000\n"
std::string encode_beacon(const Beacon& beacon);

// The beacon in a datagram, or nullopt when the datagram is anything else
// (another program may use the same port): wrong tag, bad name, bad port.
std::optional<Beacon> parse_beacon(std::string_view datagram);

// Checks a server name for --name: 1-63 characters from [A-Za-z0-9._-].
// Throws UsageError "invalid --name 'a b': ..." otherwise.
std::string check_server_name(std::string_view name);

// This machine's host name made into a valid server name ("lab02-server"
// when there is nothing usable).
std::string default_server_name();

// --- the server's side: a beacon on the LAN every second ----------------------------
//
// A UDP datagram to 255.255.255.255 (the "limited broadcast" address) goes
// to every host on the link, and no router passes it on: it finds servers on
// this LAN only, which is what a LAN service wants. Sending one needs
// SO_BROADCAST, the socket's "yes, I mean everyone" switch.

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

// --- the client's side: wait for a server's beacon ---------------------------------
//
// The client binds UDP port 5001 on every interface (0.0.0.0: a broadcast is
// addressed to no single address of ours) and waits for the first datagram
// that is a beacon. The server's address is the datagram's source; its TCP
// port is in the beacon.

struct Discovered {
    Beacon beacon;               // name and TCP port
    asio::ip::address address;   // where the beacon came from
};

// Listens on 0.0.0.0:`port` (0: any free port) and returns the first beacon
// that arrives within `timeout`. Once listening it prints the ready line
//   listening on 0.0.0.0:5001 (UDP, waiting for a lab02-server beacon)
// Throws NetworkError when the port cannot be bound or no beacon came in time.
Discovered discover(std::uint16_t port, Timeout timeout);

} // namespace netlabs::lab02

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
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace netlabs::lab02 {

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

} // namespace netlabs::lab02

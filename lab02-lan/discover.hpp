// The client's side of discovery: wait for a server's beacon.
//
// The client binds UDP port 5001 on every interface (0.0.0.0: a broadcast is
// addressed to no single address of ours) and waits for the first datagram
// that is a beacon. The server's address is the datagram's source; its TCP
// port is in the beacon.
#pragma once

#include <cstdint>

#include <asio/ip/address.hpp>

#include "beacon.hpp"
#include "netlabs/timed.hpp"

namespace netlabs::lab02 {

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

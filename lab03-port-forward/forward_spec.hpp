// What a port forward is, written down: where to listen, where to relay to.
//
//   8080:2988                            listen on 0.0.0.0:8080, relay to 127.0.0.1:2988 (seed 003)
//   5000:192.168.99.123:5000             listen on 0.0.0.0:5000, relay to 192.168.99.123:5000
//   127.0.0.1:8080:127.0.0.1:2988        both addresses given
//   [::1]:8080:[::1]:2988                IPv6 addresses go in brackets
//
// and the long form's two halves, --listen 0.0.0.0:5000 --to 192.168.99.123:5000
// (each may be a bare port too). Every error is a netlabs::UsageError that
// names the bad part: "invalid port '70000': must be 0-65535".
#pragma once

#include <string>
#include <string_view>

#include "netlabs/endpoint.hpp"

namespace lab03 {

// A port alone listens on every interface: a forward is there to be reached
// from other machines (the router's WAN side). Give 127.0.0.1:PORT to stay local.
inline constexpr std::string_view default_listen_host = "0.0.0.0";
// A port alone is relayed to this machine, as in seed 003's 8080:2988.
inline constexpr std::string_view default_target_host = "127.0.0.1";

struct ForwardSpec {
    netlabs::Endpoint listen;  // an IP address (it is bound) and a port, 0 = any free port
    netlabs::Endpoint target;  // an address or host name and a port 1-65535
};

// "8080:2988", "8080:HOST:2988" or "LHOST:8080:THOST:2988".
ForwardSpec parse_forward(std::string_view text);

// --listen: "5000" or "0.0.0.0:5000".
netlabs::Endpoint parse_listen(std::string_view text);

// --to: "2988" or "192.168.99.123:5000".
netlabs::Endpoint parse_target(std::string_view text);

} // namespace lab03

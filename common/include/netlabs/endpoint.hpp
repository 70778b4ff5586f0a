// Endpoint: a host and a port, written "IP:port" (seed 003), parsed strictly.
//
//   127.0.0.1:8000   localhost:8000   [::1]:8000   (host, "8000")
//
// Every parse error is a UsageError whose message names the bad part and why:
//   invalid IPv4 address '210.10.94.277': 277 is more than 255
//   invalid port '70000': must be 0-65535
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace netlabs {

struct Endpoint {
    std::string host;        // an IPv4 or IPv6 address (no brackets) or a host name
    std::uint16_t port = 0;  // 0 asks the OS for any free port

    // "127.0.0.1:8000", "[::1]:8000", "localhost:8000".
    std::string to_string() const;
    friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

// "8000" -> 8000. Rejects "", "abc", "-1", "70000", "8000x", " 80".
std::uint16_t parse_port(std::string_view text);

// Checks that `text` is an IPv4 address, an IPv6 address or a host name (RFC
// 1123) and returns it unchanged. Text made only of digits and dots is taken
// as an IPv4 address, so "210.10.94.277" fails as one.
std::string parse_host(std::string_view text);

// "host:port" or "[v6]:port".
Endpoint parse_endpoint(std::string_view text);

// A host and a port given separately, as on a command line.
Endpoint make_endpoint(std::string_view host, std::string_view port);

} // namespace netlabs

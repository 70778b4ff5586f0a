// Printing asio endpoints the way netlabs prints every endpoint:
// "127.0.0.1:8000", "[::1]:8000".
#pragma once

#include <string>

#include <asio/ip/address.hpp>

namespace netlabs {

std::string to_string(const asio::ip::address& address, unsigned short port);

// Works for asio::ip::tcp::endpoint and asio::ip::udp::endpoint.
template <typename AsioEndpoint>
    requires requires(const AsioEndpoint& e) { e.address(); e.port(); }
std::string to_string(const AsioEndpoint& endpoint)
{
    return to_string(endpoint.address(), endpoint.port());
}

} // namespace netlabs

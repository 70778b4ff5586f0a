// A host name to one endpoint, IPv4 first.
//
// A name can stand for several addresses: "localhost" is 127.0.0.1 and ::1.
// Like the seeds' AF_INET sockets, the labs take the IPv4 one when there is
// one, so that what a program prints ("listening on 127.0.0.1:8000") is what
// the docs show.
#pragma once

#include <asio/io_context.hpp>

#include "netlabs/endpoint.hpp"

namespace netlabs {

// The first IPv4 endpoint `where` resolves to, else its first endpoint.
// Throws NetworkError "resolve HOST: ... (is the host name right?)".
// Protocol is asio::ip::tcp or asio::ip::udp.
template <typename Protocol>
typename Protocol::endpoint resolve_prefer_v4(asio::io_context& io, const Endpoint& where);

} // namespace netlabs

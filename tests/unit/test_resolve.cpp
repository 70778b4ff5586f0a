// common/resolve.hpp: a host name to one endpoint, IPv4 first. Only names
// this machine answers itself (addresses, "localhost" from /etc/hosts): no
// test here may ask a DNS server.
#include <asio/ip/tcp.hpp>
#include <asio/ip/udp.hpp>

#include "catch.hpp"
#include "netlabs/resolve.hpp"

using asio::ip::tcp;
using asio::ip::udp;

TEST_CASE("resolve_prefer_v4: an address resolves to itself, with the port", "[common][resolve]")
{
    asio::io_context io;
    const auto v4 = netlabs::resolve_prefer_v4<tcp>(io, {"127.0.0.1", 8000});
    CHECK(v4.address().to_string() == "127.0.0.1");
    CHECK(v4.port() == 8000);
    const auto v6 = netlabs::resolve_prefer_v4<udp>(io, {"::1", 5001});
    INFO("an IPv6 address has no IPv4 endpoint: the first endpoint it is");
    CHECK(v6.address().to_string() == "::1");
    CHECK(v6.port() == 5001);
}

TEST_CASE("resolve_prefer_v4: a name with IPv4 and IPv6 addresses gives the IPv4 one", "[common][resolve]")
{
    asio::io_context io;
    // "localhost" is 127.0.0.1 and, on most machines, ::1 too: either way the
    // answer is the IPv4 one, as the seeds' AF_INET sockets would use.
    const auto tcp_ep = netlabs::resolve_prefer_v4<tcp>(io, {"localhost", 0});
    CAPTURE(tcp_ep.address().to_string());
    CHECK(tcp_ep.address().is_v4());
    CHECK(tcp_ep.address().is_loopback());
    const auto udp_ep = netlabs::resolve_prefer_v4<udp>(io, {"localhost", 9});
    CHECK(udp_ep.address().is_v4());
    CHECK(udp_ep.port() == 9);
}

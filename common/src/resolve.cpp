#include "netlabs/resolve.hpp"

#include <string>

#include <asio/ip/tcp.hpp>
#include <asio/ip/udp.hpp>

#include "netlabs/errors.hpp"

namespace netlabs {

template <typename Protocol>
typename Protocol::endpoint resolve_prefer_v4(asio::io_context& io, const Endpoint& where)
{
    typename Protocol::resolver resolver(io);
    std::error_code ec;
    const auto results = resolver.resolve(where.host, std::to_string(where.port), ec);
    if (ec) throw_network_error("resolve", where.host, ec, "is the host name right?");
    for (const auto& entry : results)
        if (entry.endpoint().address().is_v4()) return entry.endpoint();
    return results.begin()->endpoint();
}

template asio::ip::tcp::endpoint resolve_prefer_v4<asio::ip::tcp>(asio::io_context&, const Endpoint&);
template asio::ip::udp::endpoint resolve_prefer_v4<asio::ip::udp>(asio::io_context&, const Endpoint&);

} // namespace netlabs

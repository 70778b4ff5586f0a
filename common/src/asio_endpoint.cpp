#include "netlabs/asio_endpoint.hpp"

#include "netlabs/endpoint.hpp"

namespace netlabs {

std::string to_string(const asio::ip::address& address, unsigned short port)
{
    return Endpoint{address.to_string(), port}.to_string();
}

} // namespace netlabs

#include "netlabs/timed.hpp"

#include <asio/connect.hpp>

namespace netlabs {

void timed_connect(asio::ip::tcp::socket& socket,
                   const asio::ip::tcp::resolver::results_type& endpoints,
                   Timeout timeout, std::string_view endpoint_text)
{
    auto attempt = [&]() -> asio::awaitable<void> {
        co_await asio::async_connect(socket, endpoints, asio::use_awaitable);
    };
    run_timed(socket, attempt(), timeout, "connect", endpoint_text);
}

} // namespace netlabs

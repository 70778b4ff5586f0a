// The relay: two pumps, one each way, and what happens when one side stops.
#include "relay.hpp"

#include <array>
#include <optional>
#include <system_error>

#include <asio/error.hpp>
#include <asio/multiple_exceptions.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include "netlabs/errors.hpp"
#include "netlabs/not_implemented.hpp"

using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;
using namespace asio::experimental::awaitable_operators;

namespace lab03 {
namespace {

// Copies `from` -> `to` until `from` sends EOF, then passes the EOF on.
// One read, then one write of what it read: no other copy, and no allocation
// per chunk (the buffer lives in the pump's coroutine frame).
awaitable<void> pump(tcp::socket& from, const char* from_name, tcp::socket& to, const char* to_name,
                     std::uint64_t& count)
{
    std::array<char, relay_chunk> buffer;
    std::error_code ec;
    for (;;) {
        const std::size_t n =
            co_await from.async_read_some(asio::buffer(buffer), asio::redirect_error(use_awaitable, ec));
        // BEGIN SOLUTION lab03-ex4
        if (ec == asio::error::eof) {
            // Half-close: `from` has finished sending, but it is still there
            // to read. Pass the EOF on, so that `to` reads EOF too and may
            // still answer the other way; then end this pump normally, and
            // relay()'s `&&` keeps the other direction going until its own EOF.
            to.shutdown(tcp::socket::shutdown_send, ec);
            co_return;
        }
        // END SOLUTION
        // STUDENT: if (ec == asio::error::eof) throw netlabs::NotImplemented("lab03-ex4");
        if (ec == asio::error::operation_aborted) co_return;  // the other pump broke first
        if (ec) throw Broken{from_name, ec};
        // Backpressure: no new read until this chunk is all written.
        co_await asio::async_write(to, asio::buffer(buffer.data(), n), asio::redirect_error(use_awaitable, ec));
        if (ec == asio::error::operation_aborted) co_return;
        if (ec) throw Broken{to_name, ec};
        count += n;
    }
}

bool is_reset(std::error_code ec)
{
    return ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
           ec == asio::error::connection_aborted;
}

} // namespace

void reset(tcp::socket& socket)
{
    std::error_code ignored;
    socket.set_option(tcp::socket::linger(true, 0), ignored);
    socket.close(ignored);
}

awaitable<RelayResult> relay(tcp::socket& client, tcp::socket& target)
{
    co_return co_await relay_with(client, target, pump);
}

awaitable<RelayResult> relay_with(tcp::socket& client, tcp::socket& target, Pump pump)
{
    RelayResult result;
    std::optional<Broken> broken;
    try {
        // Both pumps run at once; if one throws, the other is cancelled.
        co_await (pump(client, "client", target, "target", result.up) &&
                  pump(target, "target", client, "client", result.down));
    } catch (const Broken& first) {
        broken = first;
    } catch (const asio::multiple_exceptions& both) {
        // Both sides broke at the same moment: report the first.
        try {
            std::rethrow_exception(both.first_exception());
        } catch (const Broken& first) {
            broken = first;
        }
    }
    if (!broken) {
        result.how = "closed";
        co_return result;
    }
    result.how = is_reset(broken->code) ? std::string("reset by the ") + broken->side
                                        : std::string(broken->side) + " failed: " +
                                              netlabs::describe_error("", "", broken->code, "-");
    // Pass the reset on: the other side hears at once that the stream is broken.
    reset(client);
    reset(target);
    co_return result;
}

} // namespace lab03

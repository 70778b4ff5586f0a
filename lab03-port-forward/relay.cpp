// The relay: two pumps, one each way, and what happens when one side stops.
#include "relay.hpp"

#include <algorithm>
#include <array>
#include <exception>
#include <optional>
#include <string>
#include <system_error>
#include <variant>

#include <asio/error.hpp>
#include <asio/multiple_exceptions.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include "netlabs/cli.hpp"
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

// Returns once neither count has changed for `idle` (checked every quarter of
// it: a silent connection goes after 1 to 1.25 times `idle`). Counts grow
// only when a write completes, so a blocked write is silence too.
awaitable<bool> idle_watch(const RelayResult& result, std::chrono::milliseconds idle)
{
    asio::steady_timer timer(co_await asio::this_coro::executor);
    const auto step = std::max(idle / 4, std::chrono::milliseconds(1));
    auto last_moved = asio::steady_timer::clock_type::now();
    auto seen = result.up + result.down;
    for (;;) {
        timer.expires_after(step);
        std::error_code ec;
        co_await timer.async_wait(asio::redirect_error(use_awaitable, ec));
        if (ec) co_return false;  // cancelled: the pumps are done
        const auto now = asio::steady_timer::clock_type::now();
        if (result.up + result.down != seen) {
            seen = result.up + result.down;
            last_moved = now;
        } else if (now - last_moved >= idle) {
            co_return true;
        }
    }
}

// Both pumps at once; if one throws, the other is cancelled. What stopped
// them comes back as a value (nullptr: both reached EOF), never thrown.
awaitable<std::exception_ptr> both_pumps(tcp::socket& client, tcp::socket& target, Pump pump, RelayResult& result)
{
    std::exception_ptr stopped;
    try {
        co_await (pump(client, "client", target, "target", result.up) &&
                  pump(target, "target", client, "client", result.down));
    } catch (...) {
        stopped = std::current_exception();
    }
    co_return stopped;
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

awaitable<RelayResult> relay(tcp::socket& client, tcp::socket& target, std::chrono::milliseconds idle)
{
    co_return co_await relay_with(client, target, pump, idle);
}

awaitable<RelayResult> relay_with(tcp::socket& client, tcp::socket& target, Pump pump, std::chrono::milliseconds idle)
{
    RelayResult result;
    std::exception_ptr ended;
    if (idle.count() > 0) {
        // The idle watch races the pumps: if it ends first, the pumps are
        // cancelled. (asio's || waits for the first to *succeed*: both_pumps
        // hands back what stopped them as a value, never as an exception.)
        const auto raced = co_await (both_pumps(client, target, pump, result) || idle_watch(result, idle));
        if (raced.index() == 1 && std::get<1>(raced)) {
            result.how = "idle for " + netlabs::seconds_text(idle) + " s, reset both sides";
            reset(client);
            reset(target);
            co_return result;
        }
        ended = std::get<0>(raced);
    } else {
        ended = co_await both_pumps(client, target, pump, result);
    }
    std::optional<Broken> broken;
    if (ended) {
        try {
            std::rethrow_exception(ended);
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
        // Anything else (a stub's NotImplemented) goes on up to the caller.
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

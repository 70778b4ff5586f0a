// lab03-forward --idle-timeout: a connection that moves no byte either way
// for that long is reset on both sides; a blocked write (a client that never
// reads) is no movement either; a slow but steady transfer is not idle.
//
// Safety: 127.0.0.1 only, port 0; every wait has a deadline.
#include "catch.hpp"
#include "test_forward_support.hpp"

#include <asio/steady_timer.hpp>

using namespace fwd;
using namespace std::chrono_literals;

TEST_CASE("forward with --idle-timeout: a silent connection is reset on both sides and logged", "[lab03][forward][idle]")
{
    asio::io_context io;
    tcp::acceptor target(io, {loopback(), 0});
    const unsigned short target_port = target.local_endpoint().port();
    Forwarder forwarder(target_port, {"--idle-timeout", "0.5"});
    unsigned short client_port = 0;
    Received at_client, at_target;

    auto scenario = [&]() -> awaitable<void> {
        tcp::socket client = co_await connect_to(forwarder.port);
        client_port = client.local_endpoint().port();
        tcp::socket server = co_await target.async_accept(use_awaitable);
        co_await send_all(client, "hello");
        std::string got(5, '\0');
        co_await asio::async_read(server, asio::buffer(got), use_awaitable);
        // Then nobody says anything: both reads end when the forwarder gives up.
        at_client = co_await read_to_end(client);
        at_target = co_await read_to_end(server);
    };
    const bool finished = run_within(io, scenario(), 10s);
    INFO("the client's read ended with: " << describe(at_client) << "; the target's: " << describe(at_target));
    INFO("where to look: " << relay_cpp << ": relay_with races the pumps against an idle watch");
    CHECK(finished);
    CHECK(at_client.end == asio::error::connection_reset);
    // The target's socket was reset too, but Linux reports a reset once, and
    // asio's reactor may have collected it before this read: EOF then.
    CHECK(at_target.data.empty());
    CHECK((at_target.end == asio::error::connection_reset || at_target.end == asio::error::eof));
    forwarder.wait_log(route(client_port, target_port, "idle for 0\\.5 s, reset both sides, 5 B up, 0 B down"));
}

TEST_CASE("forward with --idle-timeout: a client that never reads is let go, and others are still served",
          "[lab03][forward][idle]")
{
    asio::io_context io;
    tcp::acceptor target(io, {loopback(), 0});
    const unsigned short target_port = target.local_endpoint().port();
    Forwarder forwarder(target_port, {"--idle-timeout", "0.5"});
    unsigned short client_port = 0;
    std::error_code flood_end;
    std::size_t flooded = 0;

    auto scenario = [&]() -> awaitable<void> {
        tcp::socket client = co_await connect_to(forwarder.port);
        client_port = client.local_endpoint().port();
        tcp::socket server = co_await target.async_accept(use_awaitable);
        // The target writes until its writes fail; the client reads nothing.
        // Once the kernel's buffers are full, the forwarder's write to the
        // client blocks: no byte moves, and the idle timeout applies.
        const std::string chunk(64 * 1024, 'x');
        for (;;) {
            co_await asio::async_write(server, asio::buffer(chunk), asio::redirect_error(use_awaitable, flood_end));
            if (flood_end) break;
            flooded += chunk.size();
        }
    };
    const bool finished = run_within(io, scenario(), 20s);
    INFO("the target wrote " << flooded / 1024 << " KiB, then its write ended with: " << flood_end.message());
    CHECK(finished);
    CHECK(flood_end);
    forwarder.wait_log(route(client_port, target_port, "idle for 0\\.5 s, reset both sides, [0-9]+ B up, [0-9]+ B down"));

    CHECK(still_relayed(io, forwarder.port, target) == "still there?");
}

TEST_CASE("forward with --idle-timeout: a slow but steady transfer is not idle", "[lab03][forward][idle]")
{
    asio::io_context io;
    tcp::acceptor target(io, {loopback(), 0});
    Forwarder forwarder(target.local_endpoint().port(), {"--idle-timeout", "2"});
    std::string echoed;
    std::error_code broke;

    // 16 bytes, one every 250 ms: 4 s in all, twice the idle timeout, but
    // never 2 s without a byte.
    auto scenario = [&]() -> awaitable<void> {
        asio::co_spawn(io, echo_target(target), asio::detached);
        tcp::socket client = co_await connect_to(forwarder.port);
        asio::steady_timer tick(io);
        for (int i = 0; i < 16 && !broke; ++i) {
            const char byte = static_cast<char>('a' + i);
            co_await asio::async_write(client, asio::buffer(&byte, 1), asio::redirect_error(use_awaitable, broke));
            char back = 0;
            if (!broke) co_await asio::async_read(client, asio::buffer(&back, 1), asio::redirect_error(use_awaitable, broke));
            if (!broke) echoed += back;
            tick.expires_after(250ms);
            co_await tick.async_wait(use_awaitable);
        }
    };
    CHECK(run_within(io, scenario(), 20s));
    INFO("echoed so far: '" << echoed << "'" << (broke ? "; then: " + broke.message() : std::string()));
    CHECK_FALSE(broke);
    CHECK(echoed == "abcdefghijklmnop");
}

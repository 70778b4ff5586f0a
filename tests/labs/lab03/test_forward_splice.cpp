// lab03-forward --splice (splice_relay.cpp): the same promises as relay.cpp,
// with the bytes moved by the kernel. Not an exercise: it passes in both
// editions. Doc: docs/en/lab03.md, "Speed".
#include <asio/experimental/awaitable_operators.hpp>

#include "test_forward_support.hpp"

using namespace fwd;
using namespace asio::experimental::awaitable_operators;

namespace {
const std::string splice_cpp = "lab03-port-forward/splice_relay.cpp";
}

TEST_CASE("with --splice: half-close, 1 MiB each way, and a client's reset", "[lab03][forward][splice]")
{
    asio::io_context io;
    tcp::acceptor target(io, {loopback(), 0});
    const unsigned short target_port = target.local_endpoint().port();
    Forwarder forwarder(target_port, {"--splice"});
    INFO("where to look: " << splice_cpp);

    // Half-close: the client's EOF reaches the target; the reply still comes back.
    Received at_target, at_client;
    unsigned short client_port = 0;
    auto half_close = [&]() -> awaitable<void> {
        tcp::socket client = co_await connect_to(forwarder.port);
        client_port = client.local_endpoint().port();
        tcp::socket server = co_await target.async_accept(use_awaitable);
        co_await asio::async_write(client, asio::buffer(std::string("hello")), use_awaitable);
        client.shutdown(tcp::socket::shutdown_send);
        at_target = co_await read_to_end(server);
        co_await asio::async_write(server, asio::buffer(std::string("reply after EOF")), use_awaitable);
        server.shutdown(tcp::socket::shutdown_send);
        at_client = co_await read_to_end(client);
    };
    REQUIRE(run_within(io, half_close(), 5s));
    CHECK(at_target.data == "hello");
    CHECK(at_target.clean());
    CHECK(at_client.data == "reply after EOF");
    CHECK(at_client.clean());
    forwarder.wait_log(route(client_port, target_port, "closed, 5 B up, 15 B down$"));

    // Both ways at once, 1 MiB each.
    const std::string up = pattern(1 << 20, 1), down = pattern(1 << 20, 2);
    Received big_at_target, big_at_client;
    auto both_ways = [&]() -> awaitable<void> {
        tcp::socket client = co_await connect_to(forwarder.port);
        tcp::socket server = co_await target.async_accept(use_awaitable);
        co_await (send_all(client, up) && read_to_end_into(client, big_at_client) && send_all(server, down) &&
                  read_to_end_into(server, big_at_target));
    };
    REQUIRE(run_within(io, both_ways(), 10s));
    CHECK(big_at_target.data == up);
    CHECK(big_at_client.data == down);
    forwarder.wait_log("closed, 1048576 B up, 1048576 B down$");

    // The client resets: the forwarder says so and resets the target's side.
    Received after_reset;
    auto reset_by_client = [&]() -> awaitable<void> {
        tcp::socket client = co_await connect_to(forwarder.port);
        client_port = client.local_endpoint().port();
        tcp::socket server = co_await target.async_accept(use_awaitable);
        co_await asio::async_write(client, asio::buffer(std::string("x")), use_awaitable);
        char one = 0;
        co_await asio::async_read(server, asio::buffer(&one, 1), use_awaitable);
        client.set_option(tcp::socket::linger(true, 0));
        client.close();
        after_reset = co_await read_to_end(server);
    };
    REQUIRE(run_within(io, reset_by_client(), 5s));
    forwarder.wait_log(route(client_port, target_port, "reset by the client"));
}

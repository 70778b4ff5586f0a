// lab03-forward --udp, black-box on 127.0.0.1: sessions per client address,
// replies routed back to the right client, idle sessions expiring.
// Doc: docs/en/lab03.md, "A forwarder in userspace"; code: lab03-port-forward/forward_udp.cpp.
#include <map>

#include "test_forward_support.hpp"

using namespace fwd;

namespace {

// A UDP target that answers every datagram with "reply to <it>", and
// remembers which source ports it heard from.
awaitable<void> udp_reply_target(udp::socket& socket, std::vector<unsigned short>& sources)
{
    char data[2048];
    for (;;) {
        udp::endpoint from;
        const std::size_t n = co_await socket.async_receive_from(asio::buffer(data), from, use_awaitable);
        sources.push_back(from.port());
        const std::string reply = "reply to " + std::string(data, n);
        co_await socket.async_send_to(asio::buffer(reply), from, use_awaitable);
    }
}

awaitable<std::string> ask(udp::socket& client, unsigned short port, std::string message)
{
    co_await client.async_send_to(asio::buffer(message), udp::endpoint(loopback(), port), use_awaitable);
    char data[2048];
    const std::size_t n = co_await client.async_receive(asio::buffer(data), use_awaitable);
    co_return std::string(data, n);
}

} // namespace

TEST_CASE("UDP: two clients get their own replies, and an idle session expires", "[lab03][forward][udp]")
{
    asio::io_context io;
    udp::socket target(io, {loopback(), 0});
    const unsigned short target_port = target.local_endpoint().port();
    Forwarder forwarder(target_port, {"--udp", "--udp-idle", "0.3"});
    udp::socket a(io, {loopback(), 0}), b(io, {loopback(), 0});
    std::vector<unsigned short> sources;
    std::string reply_a, reply_b;

    auto both = [&]() -> awaitable<void> {
        asio::co_spawn(io, udp_reply_target(target, sources), asio::detached);
        reply_a = co_await ask(a, forwarder.port, "from A");
        reply_b = co_await ask(b, forwarder.port, "from B");
    };
    const bool finished = run_within(io, both(), 5s);
    INFO("clients A (port " << a.local_endpoint().port() << ") and B (port " << b.local_endpoint().port()
                            << ") each sent one datagram; A got '" << reply_a << "', B got '" << reply_b << "'");
    INFO("where to look: " << forward_udp_cpp << ": one session (its own socket to the target) per client "
                           "address; a reply on that socket goes back to that client");
    REQUIRE(finished);
    CHECK(reply_a == "reply to from A");
    CHECK(reply_b == "reply to from B");
    REQUIRE(sources.size() == 2);
    CHECK(sources[0] != sources[1]);  // two sessions, two sockets

    // Both sessions end after 0.3 s of silence, each with its own line.
    forwarder.wait_log("closed after 0\\.3 s idle");
    forwarder.wait_log("closed after 0\\.3 s idle");
    const std::string log = forwarder.process.out();
    INFO("forwarder's log:\n" << log);
    CHECK_THAT(log, match::Matches("[\\s\\S]*" + route(a.local_endpoint().port(), target_port, "").substr(1) +
                                   "closed after 0\\.3 s idle, 6 B up, 15 B down[\\s\\S]*"));
    CHECK_THAT(log, match::Matches("[\\s\\S]*" + route(b.local_endpoint().port(), target_port, "").substr(1) +
                                   "closed after 0\\.3 s idle, 6 B up, 15 B down[\\s\\S]*"));

    // A speaks again after its session expired: a new session relays it.
    auto again = [&]() -> awaitable<void> { reply_a = co_await ask(a, forwarder.port, "A again"); };
    CHECK(run_within(io, again(), 5s));
    CHECK(reply_a == "reply to A again");
}

TEST_CASE("UDP: over --max-connections, a new client's datagrams are dropped and logged",
          "[lab03][forward][udp]")
{
    asio::io_context io;
    udp::socket target(io, {loopback(), 0});
    const unsigned short target_port = target.local_endpoint().port();
    Forwarder forwarder(target_port, {"--udp", "--max-connections", "1"});
    udp::socket a(io, {loopback(), 0}), b(io, {loopback(), 0});
    std::vector<unsigned short> sources;
    std::string reply_a;

    auto first = [&]() -> awaitable<void> {
        asio::co_spawn(io, udp_reply_target(target, sources), asio::detached);
        reply_a = co_await ask(a, forwarder.port, "from A");
        co_await b.async_send_to(asio::buffer(std::string("from B")), udp::endpoint(loopback(), forwarder.port),
                                 use_awaitable);
    };
    REQUIRE(run_within(io, first(), 5s));
    CHECK(reply_a == "reply to from A");
    INFO("where to look: " << forward_udp_cpp << ": count the sessions; over the limit, drop and log");
    forwarder.wait_log(route(b.local_endpoint().port(), target_port,
                             "dropped: already 1 sessions \\(--max-connections 1\\)"));
    CHECK(sources.size() == 1);
}

// lab03-forward over TCP, black-box on 127.0.0.1: the test plays both the
// client and the target, and checks what crosses the forwarder.
// Doc: docs/en/lab03.md, "A forwarder in userspace"; code: lab03-port-forward/relay.cpp.
#include <csignal>

#include <asio/experimental/awaitable_operators.hpp>
#include <asio/steady_timer.hpp>

#include "test_forward_support.hpp"

using namespace fwd;
using namespace asio::experimental::awaitable_operators;

TEST_CASE("half-close: the client's EOF reaches the target, and the reply still comes back",
          "[lab03][forward][ex4]")
{
    asio::io_context io;
    tcp::acceptor target(io, {loopback(), 0});
    Forwarder forwarder(target.local_endpoint().port());
    std::vector<std::string> steps;
    Received at_target, at_client;
    unsigned short client_port = 0;

    auto scenario = [&]() -> awaitable<void> {
        tcp::socket client = co_await connect_to(forwarder.port);
        client_port = client.local_endpoint().port();
        tcp::socket server = co_await target.async_accept(use_awaitable);
        steps.push_back("client connected; the forwarder connected to the target");
        co_await asio::async_write(client, asio::buffer(std::string("hello")), use_awaitable);
        client.shutdown(tcp::socket::shutdown_send);
        steps.push_back("client sent 'hello' and shut down its write side (shutdown(SHUT_WR))");
        at_target = co_await read_to_end(server);
        steps.push_back("target read " + describe(at_target));
        // A forwarder that closed at the client's EOF makes these fail: the
        // checks below and its log line then say more than an exception would.
        std::error_code ec;
        co_await asio::async_write(server, asio::buffer(std::string("reply after EOF")),
                                   asio::redirect_error(use_awaitable, ec));
        if (!ec) server.shutdown(tcp::socket::shutdown_send, ec);
        steps.push_back("target replied 'reply after EOF' and closed its write side: " +
                        (ec ? ec.message() : std::string("ok")));
        at_client = co_await read_to_end(client);
        steps.push_back("client read " + describe(at_client));
    };
    const bool finished = run_within(io, scenario(), 5s);
    INFO("steps:" << lines(steps));
    INFO("where to look: " << relay_cpp << ": after EOF from one side, shut down the other's write side "
                           "(shutdown_send), and keep the other direction going");
    REQUIRE(finished);
    CHECK(at_target.data == "hello");
    CHECK(at_target.clean());
    CHECK(at_client.data == "reply after EOF");
    CHECK(at_client.clean());
    forwarder.wait_log(route(client_port, target.local_endpoint().port(), "closed, 5 B up, 15 B down$"));
}

// Each side ends its direction with shutdown(SHUT_WR): half-close (lab03-ex4).
TEST_CASE("1 MiB each way arrives intact", "[lab03][forward][ex4]")
{
    asio::io_context io;
    tcp::acceptor target(io, {loopback(), 0});
    Forwarder forwarder(target.local_endpoint().port());
    const std::string up = pattern(1 << 20, 1), down = pattern(1 << 20, 2);
    Received at_target, at_client;

    // Each side writes its MiB and reads the other's at the same time: a
    // forwarder that relays one direction at a time would deadlock here.
    auto scenario = [&]() -> awaitable<void> {
        tcp::socket client = co_await connect_to(forwarder.port);
        tcp::socket server = co_await target.async_accept(use_awaitable);
        co_await (send_all(client, up) && read_to_end_into(client, at_client) && send_all(server, down) &&
                  read_to_end_into(server, at_target));
    };
    const bool finished = run_within(io, scenario(), 10s);
    INFO("client -> target: " << first_difference(up, at_target.data));
    INFO("target -> client: " << first_difference(down, at_client.data));
    INFO("where to look: " << relay_cpp << ": write every byte read (async_write, not write_some), both ways at once");
    REQUIRE(finished);
    CHECK(at_target.data == up);
    CHECK(at_client.data == down);
    forwarder.wait_log("closed, 1048576 B up, 1048576 B down$");
}

TEST_CASE("200 concurrent connections are all relayed", "[lab03][forward]")
{
    constexpr int clients = 200;
    // On one thread (the default), and spread over two (--threads 2).
    const std::vector<std::string> threads =
        GENERATE(std::vector<std::string>{}, std::vector<std::string>{"--threads", "2"});
    CAPTURE(threads);
    asio::io_context io;
    tcp::acceptor target(io, {loopback(), 0});
    Forwarder forwarder(target.local_endpoint().port(), threads);
    int connected = 0, relayed = 0;
    std::vector<std::string> wrong;
    // Timers that never expire, cancelled as events: nobody speaks until all
    // 200 are connected through (the forwarder holds them all at once).
    asio::steady_timer all_connected(io, std::chrono::steady_clock::time_point::max());
    asio::steady_timer all_done(io, std::chrono::steady_clock::time_point::max());

    auto one = [&](int i) -> awaitable<void> {
        tcp::socket client = co_await connect_to(forwarder.port);
        const std::string message = "client " + std::to_string(i) + "\n";
        std::string got(message.size(), '\0');
        co_await asio::async_write(client, asio::buffer("x", 1), use_awaitable);
        co_await asio::async_read(client, asio::buffer(got.data(), 1), use_awaitable);  // relayed both ways
        std::error_code ec;
        if (++connected == clients) all_connected.cancel();
        else co_await all_connected.async_wait(asio::redirect_error(use_awaitable, ec));
        co_await asio::async_write(client, asio::buffer(message), use_awaitable);
        co_await asio::async_read(client, asio::buffer(got), use_awaitable);
        if (got == message) ++relayed;
        else wrong.push_back("client " + std::to_string(i) + " got '" + got + "'");
        if (relayed + static_cast<int>(wrong.size()) == clients) all_done.cancel();
    };
    auto scenario = [&]() -> awaitable<void> {
        asio::co_spawn(io, echo_target(target), asio::detached);
        for (int i = 0; i < clients; ++i) asio::co_spawn(io, one(i), asio::detached);
        std::error_code ec;
        co_await all_done.async_wait(asio::redirect_error(use_awaitable, ec));
    };
    const bool finished = run_within(io, scenario(), 10s);
    INFO(connected << " of " << clients << " connected through, " << relayed << " relayed their line");
    INFO("where to look: " << forward_tcp_cpp << ": one coroutine per connection (co_spawn), "
                           "so that no client waits for another");
    CHECK(wrong.empty());
    CHECK(finished);
    CHECK(relayed == clients);
}

TEST_CASE("target down: the client is closed at once and the log names the target", "[lab03][forward]")
{
    const ClosedTcpPort closed;
    const unsigned short dead = closed.port();
    Forwarder forwarder(dead);
    asio::io_context io;
    TurnedAway client;
    const bool finished = run_within(io, connect_and_read(forwarder.port, client), 3s);
    INFO("nothing listens on 127.0.0.1:" << dead << "; the client read " << describe(client));
    INFO("where to look: " << forward_tcp_cpp << ": when connecting to the target fails, log it and close the client");
    CHECK(finished);
    CHECK(client.data.empty());
    forwarder.wait_log(route(client.port, dead, "connect failed: connection refused"));
}

TEST_CASE("target silent: the connect gives up after --connect-timeout", "[lab03][forward]")
{
    // A listener with backlog 0 whose one queue slot is taken: Linux drops
    // further SYNs, so a connect to it neither succeeds nor fails.
    asio::io_context io;
    tcp::acceptor silent(io, tcp::v4());
    silent.bind({loopback(), 0});
    silent.listen(0);
    tcp::socket filler(io);
    filler.connect(silent.local_endpoint());
    Forwarder forwarder(silent.local_endpoint().port(), {"--connect-timeout", "0.3"});

    TurnedAway client;
    const bool finished = run_within(io, connect_and_read(forwarder.port, client), 5s);
    INFO("the target never answers the SYN; the client read " << describe(client));
    INFO("where to look: " << forward_tcp_cpp << ": connect to the target with a deadline (a timer raced against async_connect)");
    CHECK(finished);
    forwarder.wait_log(route(client.port, silent.local_endpoint().port(), "connect failed: timed out"));
}

// [ex4]: Linux reports a reset once, to the first call on the socket; the
// other pump's read may then see EOF, and so reach the half-close.
TEST_CASE("client reset mid-transfer: the target side is closed, and others are still served",
          "[lab03][forward][ex4]")
{
    asio::io_context io;
    tcp::acceptor target(io, {loopback(), 0});
    const unsigned short target_port = target.local_endpoint().port();
    Forwarder forwarder(target_port);
    Received at_target;
    unsigned short client_port = 0;
    std::vector<std::string> steps;
    tcp::socket server(io);
    const std::string big = pattern(4 << 20, 3);

    auto scenario = [&]() -> awaitable<void> {
        tcp::socket client = co_await connect_to(forwarder.port);
        client_port = client.local_endpoint().port();
        server = co_await target.async_accept(use_awaitable);
        // The target streams 4 MiB; the client reads the first 64 KiB of it ...
        asio::co_spawn(io, [&]() -> awaitable<void> {
            std::error_code ignored;
            co_await asio::async_write(server, asio::buffer(big), asio::redirect_error(use_awaitable, ignored));
        }, asio::detached);
        std::string first(64 * 1024, '\0');
        co_await asio::async_read(client, asio::buffer(first), use_awaitable);
        steps.push_back("client read 64 KiB of the target's 4 MiB");
        // ... then resets: SO_LINGER 0 and close() sends an RST, not a FIN.
        client.set_option(tcp::socket::linger(true, 0));
        client.close();
        steps.push_back("client reset its connection");
        // The target hears a reset or an EOF: its own write may be the
        // call that sees the reset first, and Linux reports it only once.
        at_target = co_await read_to_end(server);
        steps.push_back("target's read ended: " + describe(at_target));
    };
    const bool finished = run_within(io, scenario(), 5s);
    INFO("steps:" << lines(steps));
    INFO("where to look: " << relay_cpp << ": when one side fails, reset the other (SO_LINGER 0, then close)");
    CHECK(finished);
    forwarder.wait_log(route(client_port, target_port, "reset by the client"));

    // The forwarder lives on: a new client is relayed as before.
    const std::string echoed = still_relayed(io, forwarder.port, target);
    INFO("after the reset, a new client sent 'still there?' and read '" << echoed << "'");
    CHECK(echoed == "still there?");
}

TEST_CASE("slow reader: the forwarder's memory stays bounded and the target's writes block",
          "[lab03][forward]")
{
    constexpr std::size_t total = 64u << 20;  // 64 MiB from the target
    constexpr std::size_t chunk = 64u << 10;
    asio::io_context io;
    tcp::acceptor target(io, {loopback(), 0});
    Forwarder forwarder(target.local_endpoint().port());
    tcp::socket client(io), server(io);
    std::size_t written = 0;

    auto setup = [&]() -> awaitable<void> {
        client = co_await connect_to(forwarder.port);
        server = co_await target.async_accept(use_awaitable);
    };
    REQUIRE(run_within(io, setup(), 5s));
    const std::size_t rss_before = forwarder.rss();

    // The target writes as fast as it can; the client reads nothing yet.
    const std::string bytes = pattern(total, 4);
    asio::co_spawn(io, [&]() -> awaitable<void> {
        while (written < total) {
            co_await asio::async_write(server, asio::buffer(bytes.data() + written, chunk), use_awaitable);
            written += chunk;
        }
        server.shutdown(tcp::socket::shutdown_send);
    }, asio::detached);
    // Run until the target's writes stop making progress (blocked), or it is all written.
    std::size_t last = 0;
    for (int round = 0; round < 40; ++round) {
        io.restart();
        io.run_for(250ms);
        if (written == total || (written == last && written > 0)) break;
        last = written;
    }
    const std::size_t rss_blocked = forwarder.rss();
    const double grown_mib = (static_cast<double>(rss_blocked) - static_cast<double>(rss_before)) / (1 << 20);
    INFO("the target wrote " << written / 1024 << " KiB of " << total / 1024 << " KiB before its writes blocked");
    INFO("the forwarder's VmRSS went from " << rss_before / 1024 << " KiB to " << rss_blocked / 1024 << " KiB");
    INFO("where to look: " << relay_cpp << ": read the next chunk only after the last one is written, "
                           "into one fixed buffer; never queue what the client has not taken");
    CHECK(rss_before > 0);
    CHECK(written < total);   // the writes blocked: backpressure reached the target
    CHECK(grown_mib < 16.0);  // and the forwarder did not hold the rest for the client

    // Now the client drains: all 64 MiB arrive, in order.
    Received at_client;
    auto drain = [&]() -> awaitable<void> { at_client = co_await read_to_end(client); };
    REQUIRE(run_within(io, drain(), 20s));
    INFO("draining: " << first_difference(bytes, at_client.data));
    CHECK(at_client.data.size() == total);
    CHECK(at_client.data == bytes);
}

TEST_CASE("connection limit: one client over --max-connections is refused and logged, a freed slot is reused",
          "[lab03][forward]")
{
    asio::io_context io;
    tcp::acceptor target(io, {loopback(), 0});
    const unsigned short target_port = target.local_endpoint().port();
    // On two threads, so that connections end on another thread than the
    // accept loop's: a freed slot must be free when its log line says so.
    Forwarder forwarder(target_port, {"--max-connections", "2", "--threads", "2"});
    tcp::socket a(io), b(io), ta(io), tb(io);
    TurnedAway third;

    auto two_then_one_more = [&]() -> awaitable<void> {
        a = co_await connect_to(forwarder.port);
        ta = co_await target.async_accept(use_awaitable);
        b = co_await connect_to(forwarder.port);
        tb = co_await target.async_accept(use_awaitable);
        co_await connect_and_read(forwarder.port, third);
    };
    bool finished = run_within(io, two_then_one_more(), 5s);
    INFO("two clients are relayed (the limit is 2); a third read " << describe(third));
    INFO("where to look: " << forward_tcp_cpp << ": count the connections being relayed; over the limit, "
                           "log and close the new client");
    CHECK(finished);
    CHECK(third.data.empty());
    forwarder.wait_log(route(third.port, target_port, "refused: already 2 connections \\(--max-connections 2\\)"));

    // The first client leaves; its slot serves a fourth client. (Whatever
    // its log line says, and the fourth reads its echo by size: this test
    // needs no half-close, lab03-ex4.)
    const unsigned short a_port = a.local_endpoint().port();
    a.close();
    ta.close();
    forwarder.wait_log(route(a_port, target_port, ""));
    std::string echoed(7, '\0');
    auto freed = [&]() -> awaitable<void> {
        asio::co_spawn(io, echo_target(target), asio::detached);
        tcp::socket fourth = co_await connect_to(forwarder.port);
        co_await asio::async_write(fourth, asio::buffer(std::string("my turn")), use_awaitable);
        co_await asio::async_read(fourth, asio::buffer(echoed), use_awaitable);
    };
    finished = run_within(io, freed(), 5s);
    INFO("after the first client left, a fourth sent 'my turn' and read '" << echoed << "'");
    CHECK(finished);
    CHECK(echoed == "my turn");
}

TEST_CASE("SIGTERM and SIGINT shut the forwarder down cleanly", "[lab03][forward]")
{
    asio::io_context io;
    tcp::acceptor target(io, {loopback(), 0});
    // --threads 2 too: its workers' io_contexts must outlive the accept
    // still waiting in the main one (a use-after-free on exit, once).
    const std::vector<std::string> threads =
        GENERATE(std::vector<std::string>{}, std::vector<std::string>{"--threads", "2"});
    CAPTURE(threads);
    for (int signal : {SIGTERM, SIGINT}) {
        Forwarder forwarder(target.local_endpoint().port(), threads);
        const Result done = forwarder.process.stop(signal);
        INFO("signal " << signal << ": " << done.describe());
        CHECK(done.exit_code == 0);
        CHECK_THAT(done.out, match::Contains(signal == SIGINT ? "Shutting down on SIGINT (0 connections open)"
                                                              : "Shutting down on SIGTERM (0 connections open)"));
        CHECK(done.err.empty());
    }
}

// Error messages: "<operation> <endpoint>: <what happened> (<hint>)".
// The codes are made the way the labs get them: from errno (as the OS gives
// them) and from asio (as asio's operations report them).
#include "catch.hpp"

#include <cerrno>
#include <string>
#include <system_error>

#include <asio/error.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

#include "netlabs/errors.hpp"

using netlabs::default_hint;
using netlabs::describe_error;

namespace {

// An errno value as the OS reports it (system_category on POSIX; Windows
// reports WSA codes instead, so there the portable generic category stands in).
std::error_code from_errno(int value)
{
#ifdef _WIN32
    return {value, std::generic_category()};
#else
    return {value, std::system_category()};
#endif
}

} // namespace

TEST_CASE("default_hint knows the usual socket errors", "[common][errors]")
{
    CHECK(default_hint(from_errno(ECONNREFUSED)) == "is the server running, and on that port?");
    CHECK(default_hint(from_errno(EADDRINUSE)) ==
          "is another server still using that port? wait for it to stop, or use SO_REUSEADDR");
    CHECK(default_hint(from_errno(ETIMEDOUT)) ==
          "no answer in time: is the host up, and is a firewall dropping packets?");
    CHECK(default_hint(from_errno(ENETUNREACH)) == "no route to that network from this host");
    CHECK(default_hint(from_errno(EHOSTUNREACH)) == "the host did not answer on its network");
    CHECK(default_hint(from_errno(EACCES)) == "ports below 1024 need root or CAP_NET_BIND_SERVICE");
    CHECK(default_hint(from_errno(EADDRNOTAVAIL)) == "that address is not on any interface of this machine");
    CHECK(default_hint(from_errno(ECONNRESET)) == "the peer closed the connection abruptly");
    CHECK(default_hint(asio::error::eof) == "it hung up first: its own output may say why");
}

TEST_CASE("default_hint matches asio's codes and std::errc alike", "[common][errors]")
{
    CHECK(default_hint(asio::error::connection_refused) == default_hint(from_errno(ECONNREFUSED)));
    CHECK(default_hint(asio::error::address_in_use) == default_hint(from_errno(EADDRINUSE)));
    CHECK(default_hint(asio::error::timed_out) == default_hint(from_errno(ETIMEDOUT)));
    CHECK(default_hint(asio::error::access_denied) == default_hint(from_errno(EACCES)));
    CHECK(default_hint(std::make_error_code(std::errc::connection_refused)) ==
          "is the server running, and on that port?");
}

TEST_CASE("default_hint works on the codes asio really reports", "[common][errors]")
{
    // asio 1.22 reports these in its own "asio.system" category, which does
    // not compare equal to std::errc: a check written only as
    // `code == std::errc::connection_refused` misses them.
    asio::io_context io;

    // A loopback port nobody listens on: bind to port 0, note it, close it.
    asio::ip::tcp::endpoint closed;
    {
        asio::ip::tcp::acceptor probe(io, {asio::ip::make_address("127.0.0.1"), 0});
        closed = probe.local_endpoint();
    }
    asio::ip::tcp::socket socket(io);
    asio::error_code refused;
    socket.connect(closed, refused);
    INFO("connect " << closed << " gave: " << refused.category().name() << ":" << refused.value());
    REQUIRE(refused);
    CHECK(default_hint(refused) == "is the server running, and on that port?");
    CHECK(describe_error("connect", "127.0.0.1:" + std::to_string(closed.port()), refused) ==
          "connect 127.0.0.1:" + std::to_string(closed.port()) +
              ": connection refused (is the server running, and on that port?)");

    // An address that is on no interface (a documentation address): bind fails.
    asio::ip::tcp::acceptor acceptor(io, asio::ip::tcp::v4());
    asio::error_code not_here;
    acceptor.bind({asio::ip::make_address("203.0.113.7"), 0}, not_here);
    if (!not_here) {
        WARN("bind 203.0.113.7:0 succeeded: this machine allows non-local binds, skipping");
        return;
    }
    INFO("bind 203.0.113.7:0 gave: " << not_here.category().name() << ":" << not_here.value());
    CHECK(default_hint(not_here) == "that address is not on any interface of this machine");
}

TEST_CASE("default_hint is empty for an error it has no advice for", "[common][errors]")
{
    CHECK(default_hint(from_errno(EINVAL)).empty());
    CHECK(default_hint(asio::error::operation_aborted).empty());
    CHECK(default_hint(std::error_code{}).empty());
    // misc category value 2 is asio's eof: another category's 2 (ENOENT) is not.
    CHECK(default_hint(from_errno(static_cast<int>(asio::error::eof))).empty());
}

TEST_CASE("describe_error: operation, endpoint, message, hint", "[common][errors]")
{
    CHECK(describe_error("connect", "127.0.0.1:8000", from_errno(ECONNREFUSED)) ==
          "connect 127.0.0.1:8000: connection refused (is the server running, and on that port?)");
    CHECK(describe_error("connect", "127.0.0.1:8000", asio::error::connection_refused,
                         "is lab01-server running?") ==
          "connect 127.0.0.1:8000: connection refused (is lab01-server running?)");
    CHECK(describe_error("bind", "127.0.0.1:8000", from_errno(EADDRINUSE), "-") ==
          "bind 127.0.0.1:8000: address already in use");
    CHECK(describe_error("listen", "", from_errno(EADDRINUSE), "-") == "listen: address already in use");
}

TEST_CASE("describe_error words end of file and time-outs for a learner", "[common][errors]")
{
    // asio says "End of file" and strerror "Connection timed out".
    CHECK(describe_error("read", "127.0.0.1:8000", asio::error::eof, "-") ==
          "read 127.0.0.1:8000: connection closed by the peer");
    CHECK(describe_error("connect", "192.168.99.123:5000", from_errno(ETIMEDOUT)) ==
          "connect 192.168.99.123:5000: timed out "
          "(no answer in time: is the host up, and is a firewall dropping packets?)");
    CHECK(describe_error("connect", "192.168.99.123:5000", std::make_error_code(std::errc::timed_out), "-") ==
          "connect 192.168.99.123:5000: timed out");
}

TEST_CASE("describe_error lower-cases the message's first letter only", "[common][errors]")
{
    std::string text = describe_error("bind", "0.0.0.0:80", from_errno(EACCES), "-");
    CHECK(text == "bind 0.0.0.0:80: permission denied");
}

TEST_CASE("throw_network_error throws a NetworkError that keeps the code", "[common][errors]")
{
    try {
        netlabs::throw_network_error("connect", "[::1]:8000", asio::error::connection_refused);
        FAIL("throw_network_error returned");
    } catch (const netlabs::NetworkError& error) {
        CHECK(std::string(error.what()) ==
              "connect [::1]:8000: connection refused (is the server running, and on that port?)");
        CHECK(error.code() == asio::error::connection_refused);
    }
    CHECK_THROWS_AS(netlabs::throw_network_error("send", "", from_errno(EPIPE), "-"), netlabs::NetworkError);
}

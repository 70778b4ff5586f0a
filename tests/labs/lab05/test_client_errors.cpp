// Why a request failed (lab05-ex3): classify, and what lab05-client prints for
// a refused connection, a silent server, a server that hangs up, and a name
// that does not resolve.
// Doc: docs/en/lab05.md, "When a request fails"; code: lab05-http/client_errors.cpp.
#include <asio/error.hpp>

#include "client_errors.hpp"
#include "lab05.hpp"
#include "virtual_network.hpp"

using namespace lab05::test;
using lab05::Failure;

TEST_CASE("classify: httplib's error and the cause, as one kind of failure", "[lab05][client][ex3]")
{
    INFO("see " << doc_failures << "; code: lab05-http/client_errors.cpp");
    using httplib::Error;
    const std::error_code none;
    struct Case {
        Error error;
        std::error_code cause;
        Failure expected;
    };
    const std::vector<Case> cases = {
        {Error::Connection, asio::error::host_not_found, Failure::dns},
        {Error::Connection, asio::error::host_not_found_try_again, Failure::dns},
        {Error::Connection, asio::error::connection_refused, Failure::refused},
        {Error::Connection, std::make_error_code(std::errc::connection_refused), Failure::refused},
        {Error::Connection, asio::error::timed_out, Failure::timeout},
        {Error::Connection, asio::error::network_unreachable, Failure::unreachable},
        {Error::Connection, asio::error::host_unreachable, Failure::unreachable},
        {Error::Connection, none, Failure::other},
        {Error::ConnectionTimeout, none, Failure::timeout},
        {Error::Read, std::make_error_code(std::errc::timed_out), Failure::timeout},
        {Error::Read, none, Failure::closed},
        {Error::Write, none, Failure::closed},
        {Error::Canceled, none, Failure::other},
    };
    for (const auto& c : cases) {
        INFO("classify(httplib::Error " << static_cast<int>(c.error) << " (" << httplib::to_string(c.error)
                                          << "), cause '" << c.cause.message() << "' [" << c.cause.category().name()
                                          << "])");
        const Failure got = lab05::classify(c.error, c.cause);
        INFO("expected " << lab05::to_string(c.expected) << ", got " << lab05::to_string(got));
        CHECK(got == c.expected);
    }
}

TEST_CASE("lab05-client: refused, exit 1 with the hint", "[lab05][client][ex3]")
{
    INFO("see " << doc_failures);
    ClosedTcpPort closed;
    const Result r = run({bin("lab05-client"), "get", "http://127.0.0.1:" + closed.text() + "/hello"});
    INFO(r.describe());
    CHECK(r.exit_code == 1);
    CHECK(r.err == "lab05-client: connect 127.0.0.1:" + closed.text() +
                       ": connection refused (is the server running, and on that port? bound to 127.0.0.1? is the "
                       "port forwarded?)\n");
}

TEST_CASE("lab05-client: a server that never answers is a timeout, one that hangs up is not", "[lab05][client][ex3]")
{
    INFO("see " << doc_failures);
    {
        // Listening, never accepting: the kernel completes the handshake, nobody answers.
        asio::io_context io;
        asio::ip::tcp::acceptor silent(io, {loopback(), 0});
        const std::string url = "http://127.0.0.1:" + std::to_string(silent.local_endpoint().port()) + "/hello";
        const Result r = run({bin("lab05-client"), "get", url, "--timeout", "0.5"});
        INFO(r.describe());
        CHECK(r.exit_code == 1);
        CHECK(r.err == "lab05-client: GET " + url +
                           ": timed out after 0.5 s (no answer: a firewall dropping packets, a host that is gone, or "
                           "a stuck server)\n");
    }
    {
        OneShotServer hangs_up("");
        const Result r = run({bin("lab05-client"), "get", hangs_up.url("/hello"), "--timeout", "5"});
        INFO(r.describe());
        CHECK(r.exit_code == 1);
        CHECK(r.err == "lab05-client: GET " + hangs_up.url("/hello") + ": the server closed the connection without a response\n");
    }
}

TEST_CASE("lab05-client: a name that does not resolve", "[lab05][client][ex3]")
{
    INFO("see " << doc_failures);
    // In a network namespace of its own: the lookup cannot leave this machine.
    if (const std::string why = netlabs::test::netlab_unavailable(); !why.empty())
        SKIP("no network namespace for the DNS test: " << why);
    const Result r = run({bin("netlabs-net"), "isolate", "--", bin("lab05-client"), "get", "http://nosuch.invalid:5000/", "--timeout", "5"});
    INFO(r.describe());
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, match::StartsWith("lab05-client: resolve nosuch.invalid: "));
    CHECK_THAT(r.err, match::EndsWith("(is the host name right? a friend's machine has no name: use its public IP)\n"));
}

// lab03-whatsmyip against hostile clients (tests/support/hostile.hpp). It
// reads nothing from a client and writes one short line, so a client that
// drips or never reads cannot hold it; what it must survive is the rest.
// Each test ends with an ordinary --ask answered and no sanitizer report.
#include "hostile.hpp"
#include "programs.hpp"

using namespace netlabs::test;
namespace hostile = netlabs::test::hostile;

namespace {

void still_serves(Process& server, const netlabs::Endpoint& ep, const std::string& steps)
{
    const Result ask = run({bin("lab03-whatsmyip"), "--ask", "127.0.0.1:" + port_of(ep), "--timeout", "5"});
    INFO("steps: " << steps << "; then lab03-whatsmyip --ask\n" << ask.describe() << "\nserver said:\n" << server.out()
                   << server.err());
    CHECK(ask.exit_code == 0);
    CHECK_THAT(ask.out, match::StartsWith("127.0.0.1 sees you as 127.0.0.1\n"));
    CHECK_FALSE(hostile::has_sanitizer_report(server.err()));
}

} // namespace

TEST_CASE("lab03-whatsmyip: a storm of 200 connect-and-reset clients", "[lab03][whatsmyip][hostile]")
{
    Process server({bin("lab03-whatsmyip"), "--port", "0"});
    const auto ep = server.wait_listening();
    hostile::reset_storm(ep.port, 200);
    still_serves(server, ep, "200 clients connected and reset at once");
}

TEST_CASE("lab03-whatsmyip: clients that never read, and binary bytes, change nothing", "[lab03][whatsmyip][hostile]")
{
    Process server({bin("lab03-whatsmyip"), "--port", "0"});
    const auto ep = server.wait_listening();
    std::vector<hostile::NeverReads> greedy;
    for (int i = 0; i < 20; ++i) greedy.emplace_back(ep.port, hostile::control_bytes());
    for (auto& g : greedy) CHECK(hostile::wait_closed(g.fd) == hostile::Ended::by_server);
    CHECK(server.out().find('\x1b') == std::string::npos);
    still_serves(server, ep, "20 clients sent control bytes and never read");
}

TEST_CASE("lab03-whatsmyip: 100 silent clients in the accept queue", "[lab03][whatsmyip][hostile]")
{
    Process server({bin("lab03-whatsmyip"), "--port", "0"});
    const auto ep = server.wait_listening();
    auto held = hostile::hold_connections(ep.port, 100);
    still_serves(server, ep, "100 clients connected at once and said nothing");
}

TEST_CASE("lab03-whatsmyip: out of file descriptors, it waits and serves again", "[lab03][whatsmyip][hostile]")
{
    Process server({bin("lab03-whatsmyip"), "--port", "0"});
    const auto ep = server.wait_listening();
    {
        hostile::FdLimit limit(server.pid());
        // Two clients: if the server was already waiting in accept(), Linux
        // gave it its descriptor before the limit came down and the first is
        // answered; if it was not there yet (a busy machine), the first meets
        // the limit. Either way one of them does, and both get their answer
        // once the limit lifts.
        RawClient first(ep.port);
        RawClient second(ep.port);
        hostile::wait_for_err(server, "lab03-whatsmyip: accept: Too many open files \\(out of file descriptors\\? "
                                      "see ulimit -n\\); retrying");
        limit.lift();
        CHECK(first.read_to_end() == "127.0.0.1\n");
        CHECK(second.read_to_end() == "127.0.0.1\n");
    }
    hostile::wait_for_err(server, "accept works again after [0-9]+ failures");
    still_serves(server, ep, "the server ran out of file descriptors, then had some again");
}

// lab01-echo-async against hostile clients (tests/support/hostile.hpp): each
// ends with an ordinary client served, one clear line about the hostile one,
// and no sanitizer report. Doc: docs/en/lab01.md, "Many clients at once".
#include <csignal>

#include "hostile.hpp"
#include "support.hpp"

using namespace lab01;
namespace hostile = netlabs::test::hostile;

namespace {

// An ordinary client gets its bytes back; then, stopped with SIGTERM, the
// server exits 0 and no sanitizer (LeakSanitizer runs at exit) said a word.
void still_serves(Process& server, const netlabs::Endpoint& ep, const std::string& steps)
{
    {
        RawClient other(ep.port);
        other.send("ping");
        std::string got(4, '\0');
        asio::read(other.socket, asio::buffer(got));
        INFO("steps: " << steps << "; then an ordinary client sent 'ping'\nserver said:\n" << server.out()
                       << server.err());
        CHECK(got == "ping");
    }
    const Result done = server.stop(SIGTERM);
    INFO("steps: " << steps << "; then SIGTERM\n" << done.describe());
    CHECK(done.exit_code == 0);
    CHECK_FALSE(hostile::has_sanitizer_report(done.err));
}

} // namespace

TEST_CASE("lab01-echo-async: a storm of 200 connect-and-reset clients", "[lab01][echo][hostile]")
{
    Process server({bin("lab01-echo-async"), "--port", "0"});
    const auto ep = server.wait_listening();
    hostile::reset_storm(ep.port, 200);
    still_serves(server, ep, "200 clients connected and reset at once");
}

TEST_CASE("lab01-echo-async: a client that drips a byte at a time leaves at --client-timeout",
          "[lab01][echo][hostile]")
{
    // Each byte comes well inside --idle-timeout: only --client-timeout ends it.
    Process server({bin("lab01-echo-async"), "--port", "0", "--idle-timeout", "0.5", "--client-timeout", "1"});
    const auto ep = server.wait_listening();
    const auto ended = hostile::drip(ep.port, "drip", 50ms, 10s);
    INFO("a client sent one byte every 50 ms for up to 10 s; --idle-timeout 0.5, --client-timeout 1\nserver said:\n"
         << server.out());
    CHECK(ended == hostile::Ended::by_server);
    CHECK_NOTHROW(server.wait_for_line("^Client 127\\.0\\.0\\.1:[0-9]+ was connected longer than --client-timeout "
                                       "and was dropped \\(0 left\\)$"));
    still_serves(server, ep, "a client dripped a byte every 50 ms");
}

TEST_CASE("lab01-echo-async: a client that never reads its echo is idle, and dropped", "[lab01][echo][hostile]")
{
    // It sends 8 MB and reads nothing: the echo's write blocks, and the idle
    // clock must keep running while it does.
    Process server({bin("lab01-echo-async"), "--port", "0", "--idle-timeout", "0.5"});
    const auto ep = server.wait_listening();
    hostile::NeverReads greedy(ep.port, std::string(8 << 20, 'x'));
    INFO("a client sent " << greedy.sent << " bytes and never read its echo; --idle-timeout 0.5\nserver said:\n"
                          << server.out());
    CHECK_NOTHROW(server.wait_for_line("^Client 127\\.0\\.0\\.1:[0-9]+ was idle too long and was dropped"));
    CHECK(hostile::wait_closed(greedy.fd) == hostile::Ended::by_server);
    still_serves(server, ep, "a client never read its echo");
}

TEST_CASE("lab01-echo-async: 100 silent clients do not keep the next one out", "[lab01][echo][hostile]")
{
    Process server({bin("lab01-echo-async"), "--port", "0"});
    const auto ep = server.wait_listening();
    auto held = hostile::hold_connections(ep.port, 100);
    server.wait_for_line("connected \\(100 now\\)");
    still_serves(server, ep, "100 clients connected and said nothing");
}

TEST_CASE("lab01-echo-async: out of file descriptors, it waits and serves again", "[lab01][echo][hostile]")
{
    Process server({bin("lab01-echo-async"), "--port", "0"});
    const auto ep = server.wait_listening();
    {
        hostile::FdLimit limit(server.pid());
        RawClient queued(ep.port);
        server.wait_for_line("^accept: Too many open files \\(out of file descriptors\\? see ulimit -n\\); retrying$");
        limit.lift();
        queued.send("back");
        std::string got(4, '\0');
        asio::read(queued.socket, asio::buffer(got));
        CHECK(got == "back");
    }
    server.wait_for_line("^accept works again after [0-9]+ failures$");
    still_serves(server, ep, "the server ran out of file descriptors, then had some again");
}

TEST_CASE("lab01-echo-async: binary and control bytes come back as they were sent", "[lab01][echo][hostile]")
{
    Process server({bin("lab01-echo-async"), "--port", "0"});
    const auto ep = server.wait_listening();
    {
        RawClient raw(ep.port);
        raw.send(hostile::control_bytes());
        std::string got(hostile::control_bytes().size(), '\0');
        asio::read(raw.socket, asio::buffer(got));
        CHECK(got == hostile::control_bytes());
    }
    server.wait_for_line("closed the connection \\(0 left\\)");
    CHECK(server.out().find('\x1b') == std::string::npos);  // nothing of the data reaches its log
    still_serves(server, ep, "a client sent control bytes");
}

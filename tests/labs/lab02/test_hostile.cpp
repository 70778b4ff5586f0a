// lab02-server against hostile clients (tests/support/hostile.hpp): each
// ends with an ordinary client served, one clear line about the hostile one,
// and no sanitizer report. Doc: docs/en/lab02.md, "When it does not work".
#include <csignal>

#include "hostile.hpp"
#include "support.hpp"

using namespace lab02;
namespace hostile = netlabs::test::hostile;

namespace {

// An ordinary client's line comes back as "Received: ..."; then, stopped with
// SIGTERM, the server exits 0 and no sanitizer (LeakSanitizer runs at exit)
// said a word.
void still_serves(Process& server, const netlabs::Endpoint& ep, const std::string& steps)
{
    {
        RawClient other(ep.port);
        other.send("hello\n");
        INFO("steps: " << steps << "; then an ordinary client sent 'hello'\nserver said:\n" << server.out()
                       << server.err());
        CHECK(other.read_line() == "Received: hello");
    }
    const Result done = server.stop(SIGTERM);
    INFO("steps: " << steps << "; then SIGTERM\n" << done.describe());
    CHECK(done.exit_code == 0);
    CHECK_FALSE(hostile::has_sanitizer_report(done.err));
}

} // namespace

TEST_CASE("lab02-server: a storm of 200 connect-and-reset clients", "[lab02][server][hostile][ex1]")
{
    Process server({bin("lab02-server"), "--port", "0"});
    const auto ep = server.wait_listening();
    hostile::reset_storm(ep.port, 200);
    still_serves(server, ep, "200 clients connected and reset at once");
}

TEST_CASE("lab02-server: a silent client is dropped after --idle-timeout", "[lab02][server][hostile][ex1]")
{
    Process server({bin("lab02-server"), "--port", "0", "--idle-timeout", "0.3"});
    const auto ep = server.wait_listening();
    RawClient silent(ep.port);
    server.wait_for_line("^Client 127\\.0\\.0\\.1:[0-9]+ was idle longer than --idle-timeout and was dropped \\(0 left\\)$");
    CHECK(silent.read_to_end().empty());
    still_serves(server, ep, "a client connected and said nothing");
}

TEST_CASE("lab02-server: a client that drips a line at a time leaves at --client-timeout",
          "[lab02][server][hostile][ex1]")
{
    // Each line comes well inside --idle-timeout: only --client-timeout ends it.
    Process server({bin("lab02-server"), "--port", "0", "--idle-timeout", "0.5", "--client-timeout", "1"});
    const auto ep = server.wait_listening();
    const auto ended = hostile::drip(ep.port, "a\n", 50ms, 10s);
    INFO("a client sent one byte every 50 ms for up to 10 s; --idle-timeout 0.5, --client-timeout 1\nserver said:\n"
         << server.out());
    CHECK(ended == hostile::Ended::by_server);
    server.wait_for_line("^Client 127\\.0\\.0\\.1:[0-9]+ was connected longer than --client-timeout and was dropped "
                         "\\(0 left\\)$");
    still_serves(server, ep, "a client dripped a byte every 50 ms");
}

TEST_CASE("lab02-server: a client that never reads its replies is idle, and dropped", "[lab02][server][hostile][ex1]")
{
    // 8 MB in lines of 60 000 bytes, and not one reply read: the server's write blocks.
    std::string lines;
    while (lines.size() < (8u << 20)) lines += std::string(60000, 'x') + "\n";
    Process server({bin("lab02-server"), "--port", "0", "--idle-timeout", "0.5"});
    const auto ep = server.wait_listening();
    hostile::NeverReads greedy(ep.port, lines);
    INFO("a client sent " << greedy.sent << " bytes of lines and never read a reply; --idle-timeout 0.5");
    server.wait_for_line("^Client 127\\.0\\.0\\.1:[0-9]+ was idle longer than --idle-timeout and was dropped");
    CHECK(hostile::wait_closed(greedy.fd) == hostile::Ended::by_server);
    still_serves(server, ep, "a client never read its replies");
}

TEST_CASE("lab02-server: 100 silent clients do not keep the next one out", "[lab02][server][hostile][ex1]")
{
    Process server({bin("lab02-server"), "--port", "0"});
    const auto ep = server.wait_listening();
    auto held = hostile::hold_connections(ep.port, 100);
    server.wait_for_line("connected \\(100 now\\)");
    still_serves(server, ep, "100 clients connected and said nothing");
}

TEST_CASE("lab02-server: out of file descriptors, it waits and serves again", "[lab02][server][hostile][ex1]")
{
    Process server({bin("lab02-server"), "--port", "0"});
    const auto ep = server.wait_listening();
    {
        hostile::FdLimit limit(server.pid());
        RawClient queued(ep.port);
        server.wait_for_line("^accept: Too many open files \\(out of file descriptors\\? see ulimit -n\\); retrying$");
        limit.lift();
        queued.send("back\n");
        CHECK(queued.read_line() == "Received: back");
    }
    server.wait_for_line("^accept works again after [0-9]+ failures$");
    still_serves(server, ep, "the server ran out of file descriptors, then had some again");
}

TEST_CASE("lab02-server: binary and control bytes are escaped in its log", "[lab02][server][hostile][ex1]")
{
    Process server({bin("lab02-server"), "--port", "0"});
    const auto ep = server.wait_listening();
    {
        RawClient raw(ep.port);
        raw.send(hostile::control_bytes() + "\n");
        CHECK(raw.read_line() == "Received: " + hostile::control_bytes());
    }
    const auto line = server.wait_for_line("^\\[127\\.0\\.0\\.1:[0-9]+\\] (.*)$");
    INFO("a client sent a line with ESC, NUL and DEL in it; the log says: " << line[0]);
    CHECK(line[1] == "\\x01\\x02\\x1b[31mred\\x1b[0m\\x7f\xff\xfe\\x00end");
    CHECK(server.out().find('\x1b') == std::string::npos);  // no raw terminal escape reaches the terminal
    still_serves(server, ep, "a client sent control bytes");
}

// lab05-server against hostile clients (tests/support/hostile.hpp): each
// ends with an ordinary GET served, one clear line about the hostile one (its
// access-log line), and no sanitizer report after SIGTERM.
#include <csignal>

#include "hostile.hpp"
#include "programs.hpp"

using namespace netlabs::test;
namespace hostile = netlabs::test::hostile;

namespace {

const std::string get_hello = "GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";

void still_serves(Process& server, const netlabs::Endpoint& ep, const std::string& steps)
{
    {
        RawClient other(ep.port);
        other.send(get_hello);
        const std::string answer = other.read_to_end();
        INFO("steps: " << steps << "; then an ordinary GET /hello\nit got:\n" << answer << "\nserver said:\n"
                       << server.out() << server.err());
        CHECK_THAT(answer, match::StartsWith("HTTP/1.1 200 OK\r\n"));
        CHECK_THAT(answer, match::Contains("hello from lab05-server\n"));
    }
    const Result done = server.stop(SIGTERM);
    INFO("steps: " << steps << "; then SIGTERM\n" << done.describe());
    CHECK(done.exit_code == 0);
    CHECK_FALSE(hostile::has_sanitizer_report(done.err));
}

} // namespace

TEST_CASE("lab05-server: a storm of 20 connect-and-reset clients", "[lab05][server][hostile]")
{
    Process server({bin("lab05-server"), "--host", "127.0.0.1", "--port", "0"});
    const auto ep = server.wait_listening();
    // 20, not 200: cpp-httplib listens with a backlog of 5, and a connect
    // that finds the queue full waits a second for the SYN to be resent.
    hostile::reset_storm(ep.port, 20);
    still_serves(server, ep, "20 clients connected and reset at once");
}

TEST_CASE("lab05-server: control bytes in a request never reach its log raw", "[lab05][server][hostile]")
{
    Process server({bin("lab05-server"), "--host", "127.0.0.1", "--port", "0"});
    const auto ep = server.wait_listening();
    for (const std::string target : {"/%1b[31mred%01", "/\x1b[31mred\x01"}) {
        RawClient raw(ep.port);
        raw.send("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        const std::string answer = raw.read_to_end();
        CHECK_THAT(answer, match::StartsWith("HTTP/1.1 4"));  // 400 or 404, never served
    }
    server.wait_for_line("^127\\.0\\.0\\.1:[0-9]+ \"GET /%1b\\[31mred%01 HTTP/1\\.1\" 404 ");
    INFO("server said:\n" << server.out());
    CHECK(server.out().find('\x1b') == std::string::npos);
    CHECK(server.out().find('\x01') == std::string::npos);
    still_serves(server, ep, "two requests with control bytes in their target");
}

TEST_CASE("lab05-server: clients that send requests and never read the answers hold nothing",
          "[lab05][server][hostile]")
{
    // Every answer is small: what a client does not read waits in the socket
    // buffers, and the thread moves on (--write-timeout would end a write
    // that blocks). Each asks to close, so no thread waits for its next
    // request either (keep-alive holds a thread for --read-timeout).
    Process server({bin("lab05-server"), "--host", "127.0.0.1", "--port", "0", "--write-timeout", "1"});
    const auto ep = server.wait_listening();
    std::vector<hostile::NeverReads> greedy;
    for (int i = 0; i < 16; ++i) greedy.emplace_back(ep.port, get_hello);  // twice the 8 threads
    for (auto& g : greedy) CHECK(hostile::wait_closed(g.fd) == hostile::Ended::by_server);
    still_serves(server, ep, "16 clients sent a request each and read no answer");
}

TEST_CASE("lab05-server: silent clients fill its queue, and each is dropped after --read-timeout",
          "[lab05][server][hostile]")
{
    // 8 threads read 8 of them; the rest wait in cpp-httplib's backlog of 5,
    // or in SYN retries beyond it. The ordinary GET is served once the read
    // timeouts have drained them: a thread per connection, the lesson of the
    // questions' "Why a read timeout".
    Process server({bin("lab05-server"), "--host", "127.0.0.1", "--port", "0", "--read-timeout", "0.3"});
    const auto ep = server.wait_listening();
    auto held = hostile::hold_connections(ep.port, 20);
    still_serves(server, ep, "20 clients connected at once and said nothing");
}

TEST_CASE("lab05-server: out of file descriptors, it serves again once it has some", "[lab05][server][hostile]")
{
    // cpp-httplib's accept loop retries EMFILE every millisecond and says
    // nothing (it has no hook to log it); what the test can check is that
    // the server neither exits nor loses a client that waited.
    Process server({bin("lab05-server"), "--host", "127.0.0.1", "--port", "0"});
    const auto ep = server.wait_listening();
    {
        hostile::FdLimit limit(server.pid());
        // Two clients: a server already waiting in accept() had its next
        // descriptor before the limit came down, so the first may get in;
        // the second meets the limit and waits in the queue.
        RawClient first(ep.port);
        RawClient second(ep.port);
        first.send(get_hello);
        second.send(get_hello);
        limit.lift();
        CHECK_THAT(first.read_to_end(), match::StartsWith("HTTP/1.1 200 OK\r\n"));
        CHECK_THAT(second.read_to_end(), match::StartsWith("HTTP/1.1 200 OK\r\n"));
    }
    still_serves(server, ep, "the server ran out of file descriptors, then had some again");
}

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

// lab01-server against hostile clients (tests/support/hostile.hpp): each
// ends with an ordinary client served, one clear line about the hostile one,
// and no sanitizer report. Doc: docs/en/lab01.md, "When it does not work".
#include "hostile.hpp"
#include "support.hpp"

using namespace lab01;
namespace hostile = netlabs::test::hostile;

namespace {

// One ordinary client, played by the test (not lab01-client, which is
// lab01-ex2's: these tests grade ex1 alone): it sends a message, says it is
// done, and returns the whole reply.
std::string ordinary_client(const netlabs::Endpoint& ep)
{
    RawClient client(ep.port);
    client.send("Hello from client!");
    client.socket.shutdown(asio::ip::tcp::socket::shutdown_send);
    return client.read_to_end();
}

// The server still serves: an ordinary client gets the seed's reply. Then it
// has said nothing a sanitizer prints.
void still_serves(const Process& server, const netlabs::Endpoint& ep, const std::string& steps)
{
    const std::string reply = ordinary_client(ep);
    INFO("steps: " << steps << "; then an ordinary client, which got '" << reply << "'\nserver said:\n"
                   << server.out() << server.err());
    CHECK(reply == "Hello from server!");
    CHECK_FALSE(hostile::has_sanitizer_report(server.err()));
}

} // namespace

TEST_CASE("lab01-server: a storm of 200 connect-and-reset clients", "[lab01][server][hostile][ex1]")
{
    Process server({bin("lab01-server"), "--port", "0", "--backlog", "64", "--client-timeout", "2"});
    const auto ep = server.wait_listening();
    hostile::reset_storm(ep.port, 200);
    still_serves(server, ep, "200 clients connected and reset at once");
}

TEST_CASE("lab01-server: a client that drips a byte at a time is dropped at --client-timeout",
          "[lab01][server][hostile][ex1]")
{
    // Each byte comes well inside a read's timeout: only a deadline for the
    // whole client ends it (lab01-server.cpp, serve_client).
    Process server({bin("lab01-server"), "--port", "0", "--client-timeout", "0.5"});
    const auto ep = server.wait_listening();
    const auto ended = hostile::drip(ep.port, "drip", 50ms, 10s);
    INFO("a client sent one byte every 50 ms for up to 10 s; --client-timeout is 0.5 s\nserver said:\n"
         << server.out() << server.err());
    CHECK(ended == hostile::Ended::by_server);
    CHECK_NOTHROW(hostile::wait_for_err(server, "lab01-server: dropped 127\\.0\\.0\\.1:[0-9]+: timed out, not done "
                                                "within --client-timeout \\(0\\.5 s in all\\)"));
    still_serves(server, ep, "a client dripped a byte every 50 ms");
}

TEST_CASE("lab01-server: a client that never reads the reply is dropped at --client-timeout",
          "[lab01][server][hostile][ex1]")
{
    // A reply far bigger than the client's receive buffer: the server's write
    // blocks, and the deadline must cover it too.
    Process server({bin("lab01-server"), "--port", "0", "--client-timeout", "0.5", "--reply",
                    std::string(100000, 'x')});
    const auto ep = server.wait_listening();
    hostile::NeverReads greedy(ep.port, "send me everything");
    INFO("a client asked, then never read the 100 000-byte reply\nserver said:\n" << server.out() << server.err());
    CHECK_NOTHROW(hostile::wait_for_err(server, "lab01-server: dropped 127\\.0\\.0\\.1:[0-9]+: timed out"));
    CHECK(hostile::wait_closed(greedy.fd) == hostile::Ended::by_server);
    const std::string reply = ordinary_client(ep);
    INFO("then an ordinary client got " << reply.size() << " bytes");
    CHECK(reply == std::string(100000, 'x'));
    CHECK_FALSE(hostile::has_sanitizer_report(server.err()));
}

TEST_CASE("lab01-server: a full accept queue", "[lab01][server][hostile][ex1]")
{
    Process server({bin("lab01-server"), "--port", "0", "--backlog", "1"});
    const auto ep = server.wait_listening();
    {
        // 50 silent clients: the first is served (and says nothing), one
        // waits in the queue, the rest wait for a place in it.
        auto held = hostile::hold_connections(ep.port, 50);
        server.wait_for_line("^Connection from ");
    }  // ...and all of them leave
    still_serves(server, ep, "50 silent clients filled the accept queue (--backlog 1), then left");
}

TEST_CASE("lab01-server: out of file descriptors, it waits and serves again", "[lab01][server][hostile][ex1]")
{
    Process server({bin("lab01-server"), "--port", "0", "--client-timeout", "5"});
    const auto ep = server.wait_listening();
    {
        hostile::FdLimit limit(server.pid());  // as if started with a low ulimit -n
        // Two clients, each with its whole message sent. If the server was
        // already waiting in accept(), Linux gave that accept its descriptor
        // before the limit came down and the first is served; if it was not
        // there yet (a busy machine), the first meets the limit. Either way
        // one of them does, and both are served once the limit lifts.
        RawClient first(ep.port);
        first.send("first");
        first.socket.shutdown(asio::ip::tcp::socket::shutdown_send);
        RawClient second(ep.port);
        second.send("second");
        second.socket.shutdown(asio::ip::tcp::socket::shutdown_send);
        INFO("the server's RLIMIT_NOFILE was lowered to the descriptors it had open; two clients connected");
        CHECK_NOTHROW(hostile::wait_for_err(server, "lab01-server: accept: Too many open files \\(out of file "
                                                    "descriptors\\? see ulimit -n\\); retrying"));
        limit.lift();
        CHECK(first.read_to_end() == "Hello from server!");
        CHECK(second.read_to_end() == "Hello from server!");
    }
    CHECK(hostile::wait_for_err(server, "accept works again after [0-9]+ failures").size() > 0);
    // One line for the whole episode, not one per retry.
    const std::string err = server.err();
    CHECK(std::count(err.begin(), err.end(), '\n') == 2);
    still_serves(server, ep, "the server ran out of file descriptors, then had some again");
}

TEST_CASE("lab01-server: binary and control bytes are escaped in its log", "[lab01][server][hostile][ex1]")
{
    Process server({bin("lab01-server"), "--port", "0"});
    const auto ep = server.wait_listening();
    {
        RawClient raw(ep.port);
        raw.send(hostile::control_bytes());
        raw.socket.shutdown(asio::ip::tcp::socket::shutdown_send);
        CHECK(raw.read_to_end() == "Hello from server!");
    }
    const auto line = server.wait_for_line("^Received data: .*$");
    INFO("a client sent " << hostile::control_bytes().size() << " bytes with ESC, NUL and DEL in them\nthe log says: "
                          << line[0]);
    CHECK(line[0] == "Received data: \\x01\\x02\\x1b[31mred\\x1b[0m\\x7f\xff\xfe\\x00end");
    CHECK(server.out().find('\x1b') == std::string::npos);  // no raw terminal escape reaches the terminal
    still_serves(server, ep, "a client sent control bytes");
}

// lab03-forward's accept loop against hostile clients (tests/support/hostile.hpp).
// What happens on a relayed connection (a client that never reads, resets
// mid-transfer, goes silent) has its own tests in test_forward*.cpp; here the
// forwarder itself must survive: a reset storm, a full accept queue, no file
// descriptor left. Each test ends with an ordinary client relayed to
// lab01-echo-async and no sanitizer report.
#include "hostile.hpp"
#include "programs.hpp"
#include "test_forward_support.hpp"

using namespace netlabs::test;
namespace hostile = netlabs::test::hostile;

namespace {

// lab01-echo-async on 127.0.0.1, and lab03-forward in front of it.
struct EchoBehindForward {
    Process target{{bin("lab01-echo-async"), "--port", "0"}};
    unsigned short target_port = target.wait_listening().port;
    fwd::Forwarder forwarder{target_port};
};

void still_relays(EchoBehindForward& f, const std::string& steps)
{
    RawClient client(f.forwarder.port);
    client.send("still there?\n");
    const std::string echoed = client.read_line();
    INFO("steps: " << steps << "; then a client sent a line through the forwarder\nforwarder said:\n"
                   << f.forwarder.process.out() << f.forwarder.process.err());
    CHECK(echoed == "still there?");
    CHECK_FALSE(hostile::has_sanitizer_report(f.forwarder.process.err()));
}

} // namespace

TEST_CASE("lab03-forward: a storm of 200 connect-and-reset clients", "[lab03][forward][hostile]")
{
    EchoBehindForward f;
    hostile::reset_storm(f.forwarder.port, 200);
    still_relays(f, "200 clients connected and reset at once");
}

TEST_CASE("lab03-forward: 100 silent clients, relayed and waiting", "[lab03][forward][hostile]")
{
    EchoBehindForward f;
    auto held = hostile::hold_connections(f.forwarder.port, 100);
    still_relays(f, "100 clients connected at once and said nothing");
}

TEST_CASE("lab03-forward: out of file descriptors, it says so once, waits, and relays again",
          "[lab03][forward][hostile]")
{
    EchoBehindForward f;
    {
        hostile::FdLimit limit(f.forwarder.process.pid());
        // Its next accept() fails: the client waits in the queue meanwhile.
        RawClient waiting(f.forwarder.port);
        f.forwarder.wait_log("^accept: Too many open files \\(out of file descriptors\\? see ulimit -n\\); retrying$",
                             10s);
        limit.lift();
        waiting.send("served after all\n");
        CHECK(waiting.read_line() == "served after all");
    }
    f.forwarder.wait_log("^accept works again after [0-9]+ failures$");
    const std::string log = f.forwarder.process.out();
    INFO(log);
    CHECK(log.find("Too many open files") == log.rfind("Too many open files"));  // one line, not one per retry
    still_relays(f, "the forwarder ran out of file descriptors, then had some again");
}

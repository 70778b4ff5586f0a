// Our programs speak the seeds' protocol: each works with the other side
// written in Python as the posts wrote it. Doc: docs/en/lab01.md, "The seeds' Python, and ours".
#include "support.hpp"

using namespace lab01;

namespace {

std::string python() { return netlabs::test::python_interpreter(); }
std::string seed(const std::string& file) { return netlabs::test::source_dir() + "/tests/labs/lab01/seeds/" + file; }

} // namespace

TEST_CASE("lab01-client talks to seed 002's Python server", "[lab01][interop][ex2]")
{
    if (python().empty()) SKIP("python3 was not found when the build was configured");
    Process server({python(), seed("seed002_server.py"), "0"});
    const auto ep = server.wait_listening();
    const Result client = run({bin("lab01-client"), "--port", port_of(ep)});
    INFO(client.describe());
    CHECK(client.exit_code == 0);
    CHECK(client.out == "Received: Hello from server!\n");
    const Result done = server.wait();
    CHECK_THAT(done.out, match::Contains("Received data: Hello, server!\n"));
}

TEST_CASE("seed 004's Python client talks to lab01-server", "[lab01][interop][ex1]")
{
    if (python().empty()) SKIP("python3 was not found when the build was configured");
    Process server({bin("lab01-server"), "--port", "0"});
    const auto ep = server.wait_listening();
    const Result client = run({python(), seed("seed004_client.py"), port_of(ep)});
    INFO(client.describe());
    CHECK(client.exit_code == 0);
    CHECK(client.out == "Received: Hello from server!\n");
    server.wait_for_line("^Received data: Hello, server!$");
}

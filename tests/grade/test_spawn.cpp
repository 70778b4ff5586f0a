// The grader runs each test with a deadline, and cleans up what it leaves behind.
#include "catch.hpp"
#include "grade.hpp"
#include "spawn.hpp"

using namespace netlabs::grade;
using namespace std::chrono_literals;

TEST_CASE("a command's output and exit status are collected", "[grade][spawn]")
{
    const Spawned r = run_captured({"sh", "-c", "echo out; echo err >&2; exit 3"}, {}, 10s);
    CHECK(r.exit_code == 3);
    CHECK(r.output == "out\nerr\n");
    CHECK_FALSE(r.timed_out);
}

TEST_CASE("a command that runs past its deadline is killed with what it started", "[grade][spawn]")
{
    // The sleep in the background keeps the output open: it must die too.
    const Spawned r = run_captured({"sh", "-c", "sleep 30 & echo started; sleep 30"}, {}, 300ms);
    CHECK(r.timed_out);
    CHECK(r.signal == 9);
    CHECK(r.output == "started\n");
    CHECK(r.seconds < 5);
}

TEST_CASE("what a finished command left running does not hold the grader", "[grade][spawn]")
{
    const Spawned r = run_captured({"sh", "-c", "sleep 30 & echo done"}, {}, 20s);
    CHECK(r.exit_code == 0);
    CHECK(r.seconds < 5);
}

TEST_CASE("a program that cannot start is reported", "[grade][spawn]")
{
    const Spawned r = run_captured({"/nonexistent/program"}, {}, 10s);
    CHECK_FALSE(r.started);
    CHECK(r.output == "cannot run '/nonexistent/program': No such file or directory");
}

TEST_CASE("environment variables are added for the command", "[grade][spawn]")
{
    const Spawned r = run_captured({"sh", "-c", "echo \"$NETLABS_X\""}, {}, 10s, {{"NETLABS_X", "yes"}});
    CHECK(r.output == "yes\n");
}

TEST_CASE("sanitizer reports and Catch2 failures are recognised", "[grade][spawn]")
{
    CHECK(has_sanitizer_report("==1==ERROR: AddressSanitizer: heap-use-after-free"));
    CHECK(has_sanitizer_report("x.cpp:3:5: runtime error: signed integer overflow"));
    CHECK_FALSE(has_sanitizer_report("all fine"));
    const std::string catch_output =
        "-------------------------------------------------------------------------------\n"
        "a test\n"
        "-------------------------------------------------------------------------------\n"
        "/src/test.cpp:10\n"
        "...............................................................................\n"
        "\n"
        "/src/test.cpp:12: FAILED:\n"
        "  CHECK( a == b )\n"
        "with expansion:\n"
        "  1 == 2\n";
    const auto why = failure_lines(catch_output);
    REQUIRE(why.size() == 4);
    CHECK(why[0] == "/src/test.cpp:12: FAILED:");
    CHECK(why[3] == "  1 == 2");
}

TEST_CASE("a test's status comes from its exit, its output and the deadline", "[grade][spawn]")
{
    auto run = [](int exit_code, std::string output, int signal = 0, bool timed_out = false) {
        Spawned s;
        s.exit_code = exit_code;
        s.output = std::move(output);
        s.signal = signal;
        s.timed_out = timed_out;
        return classify(s, 4);
    };
    CHECK(run(0, "All tests passed") == Status::passed);
    CHECK(run(1, "x.cpp:3: FAILED:") == Status::failed);
    CHECK(run(4, "warning:\n  skipped: python3 was not found") == Status::skipped);
    // Catch2 v2: four failed checks exit 4 too, and that is no skip.
    CHECK(run(4, "x.cpp:3: FAILED:\n(4 failed)") == Status::failed);
    CHECK(run(-1, "", 11) == Status::crashed);
    CHECK(run(1, "==7==ERROR: AddressSanitizer: stack-buffer-overflow") == Status::crashed);
    CHECK(run(-1, "", 9, true) == Status::timed_out);
}

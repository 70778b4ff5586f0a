// netlabs::process: the one way the tools start a program.
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <filesystem>

#include <poll.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/syscall.h>
#endif

#include "catch.hpp"
#include "netlabs/process.hpp"

using namespace netlabs::process;
using namespace std::chrono_literals;

namespace {

Spec sh(const std::string& script)
{
    return Spec({"sh", "-c", script});
}

// True while `pid` runs; a process being killed gets up to 5 s to end
// (a zombie counts as ended).
bool alive(pid_t pid)
{
    return !netlabs::process::wait_gone(pid, std::chrono::seconds(5));
}

} // namespace

TEST_CASE("a program's exit status, stdout and stderr come back separately", "[process]")
{
    const Result r = run(sh("echo out; echo err >&2; exit 3"), 10s);
    INFO("stdout: " << r.out << "stderr: " << r.err);
    CHECK(r.exit.code == 3);
    CHECK(r.exit.signal == 0);
    CHECK(r.exit.status() == 3);
    CHECK(r.out == "out\n");
    CHECK(r.err == "err\n");
    CHECK_FALSE(r.timed_out);
}

TEST_CASE("merged output keeps stdout and stderr in write order", "[process]")
{
    Spec spec = sh("echo one; echo two >&2; echo three");
    spec.output = Output::merged;
    const Result r = run(spec, 10s);
    CHECK(r.out == "one\ntwo\nthree\n");
    CHECK(r.err.empty());
}

TEST_CASE("standard input is /dev/null, a given string, or a pipe", "[process]")
{
    SECTION("null by default: cat ends at once")
    {
        const Result r = run(Spec({"cat"}), 10s);
        CHECK(r.exit.code == 0);
        CHECK(r.out.empty());
    }
    SECTION("a string, larger than a pipe holds")
    {
        Spec spec({"cat"});
        spec.stdin_from = Input::text;
        spec.input = std::string(300 * 1024, 'x') + "end\n";
        const Result r = run(spec, 10s);
        CHECK(r.exit.code == 0);
        CHECK(r.out.size() == spec.input.size());
        CHECK(r.out == spec.input);
    }
    SECTION("a pipe the caller writes to and closes")
    {
        Spec spec({"cat"});
        spec.stdin_from = Input::pipe;
        Child child = spawn(spec);
        REQUIRE(child.input_fd() >= 0);
        REQUIRE(::write(child.input_fd(), "hello\n", 6) == 6);
        child.close_input();
        std::string out;
        while (child.pump(Clock::now() + 10s, [&](bool, std::string_view c) { out += c; }, false)) {}
        CHECK(out == "hello\n");
        CHECK(child.wait().code == 0);
    }
}

TEST_CASE("a child that stops reading its input does not kill the parent with SIGPIPE", "[process]")
{
    Spec spec({"true"});
    spec.stdin_from = Input::text;
    spec.input = std::string(1024 * 1024, 'x');
    const Result r = run(spec, 10s);
    CHECK(r.exit.code == 0);
}

TEST_CASE("the deadline kills the child and everything in its group", "[process]")
{
    // The background sleep holds stdout open: without killing the group the
    // run would last 30 s.
    Spec spec = sh("sleep 30 & echo $!; echo started; sleep 30");
    spec.own_group = true;
    const Result r = run(spec, 300ms);
    INFO(r.out);
    CHECK(r.timed_out);
    CHECK(r.exit.signal == SIGKILL);
    CHECK(r.exit.status() == 128 + SIGKILL);
    CHECK(r.seconds < 5);
    const auto newline = r.out.find('\n');
    REQUIRE(newline != std::string::npos);
    CHECK(r.out.substr(newline + 1) == "started\n");
    const pid_t sleeper = std::stoi(r.out.substr(0, newline));
    CHECK_FALSE(alive(sleeper));
}

TEST_CASE("what a finished child left in its group is killed, and does not hold the run", "[process]")
{
    Spec spec = sh("sleep 30 & echo $!");
    spec.own_group = true;
    const Result r = run(spec, 20s);
    CHECK(r.exit.code == 0);
    CHECK_FALSE(r.timed_out);
    CHECK(r.seconds < 5);
    CHECK_FALSE(alive(std::stoi(r.out)));
}

TEST_CASE("wait_until returns at the deadline while the child runs, and the exit after", "[process]")
{
    Spec spec({"sleep", "30"});
    Child child = spawn(spec);
    const auto before = Clock::now();
    CHECK_FALSE(child.wait_until(before + 100ms));
    CHECK(Clock::now() - before >= 100ms);
    CHECK(child.running());
    child.kill(SIGTERM);
    const auto exit = child.wait_until(Clock::now() + 10s);
    REQUIRE(exit);
    CHECK(exit->signal == SIGTERM);
    CHECK(exit->code == -1);
    CHECK(exit->describe().rfind("killed by signal 15", 0) == 0);
    CHECK_FALSE(child.running());
}

TEST_CASE("a missing program is one line naming it", "[process]")
{
    SECTION("looked up on PATH")
    {
        try {
            spawn(Spec({"netlabs-no-such-program"}));
            FAIL("spawn did not throw");
        } catch (const SpawnError& e) {
            CHECK(std::string(e.what()) == "cannot run 'netlabs-no-such-program': No such file or directory");
            CHECK(e.error() == ENOENT);
        }
    }
    SECTION("a path that does not exist fails at exec")
    {
        try {
            run(Spec({"/nonexistent/program"}), 10s);
            FAIL("run did not throw");
        } catch (const SpawnError& e) {
            CHECK(std::string(e.what()) == "cannot run '/nonexistent/program': No such file or directory");
        }
    }
    SECTION("not executable")
    {
        try {
            spawn(Spec({"/etc/passwd"}));
            FAIL("spawn did not throw");
        } catch (const SpawnError& e) {
            CHECK(e.error() == EACCES);
        }
    }
}

TEST_CASE("a failing pre-exec hook is reported with its name, and nothing runs", "[process]")
{
    const auto marker = std::filesystem::temp_directory_path() / ("netlabs-process-" + std::to_string(::getpid()));
    std::filesystem::remove(marker);
    Spec spec({"touch", marker.string()});
    spec.pre_exec = {"setns", [](const char*&) { return EPERM; }};
    try {
        spawn(spec);
        FAIL("spawn did not throw");
    } catch (const SpawnError& e) {
        CHECK(std::string(e.what()) == "cannot run 'touch': setns: Operation not permitted");
        CHECK(e.reason() == "setns: Operation not permitted");
        CHECK(e.error() == EPERM);
    }
    CHECK_FALSE(std::filesystem::exists(marker));

    // A hook of several steps names the one that failed.
    spec.pre_exec = {"enter", [](const char*& step) {
                         step = "unshare(CLONE_NEWNET)";
                         return EINVAL;
                     }};
    CHECK_THROWS_WITH(spawn(spec), "cannot run 'touch': unshare(CLONE_NEWNET): Invalid argument");
}

TEST_CASE("a pre-exec hook runs in the child, before exec", "[process]")
{
    Spec spec({"pwd"});
    spec.pre_exec = {"chdir", [](const char*&) { return ::chdir("/") == 0 ? 0 : errno; }};
    const Result r = run(spec, 10s);
    CHECK(r.out == "/\n");
}

TEST_CASE("cwd and environment are the child's", "[process]")
{
    Spec spec = sh("pwd; echo \"$NETLABS_X/$HOME\"");
    spec.cwd = "/";
    spec.env = {{"NETLABS_X", "yes"}, {"HOME", "/nowhere"}};
    const Result r = run(spec, 10s);
    CHECK(r.out == "/\nyes//nowhere\n");

    Spec bad({"true"});
    bad.cwd = "/nonexistent-dir";
    CHECK_THROWS_WITH(spawn(bad), "cannot run 'true': chdir /nonexistent-dir: No such file or directory");

    Spec only = sh("echo \"[$NETLABS_Y]\"");
    only.environment = std::vector<std::string>{"PATH=/usr/bin:/bin", "NETLABS_Y=only"};
    CHECK(run(only, 10s).out == "[only]\n");
}

TEST_CASE("the output cap keeps the start and the end", "[process]")
{
    const Result r = run(sh("i=0; while [ $i -lt 2000 ]; do echo line$i; i=$((i+1)); done"), 10s, 1000);
    CHECK(r.dropped > 0);
    CHECK(r.out.rfind("line0\n", 0) == 0);
    CHECK(r.out.find("bytes left out") != std::string::npos);
    CHECK(r.out.size() < 1100);
    CHECK(r.out.substr(r.out.size() - 9) == "line1999\n");
}

TEST_CASE("a program that closes its output but runs on is killed at the deadline", "[process]")
{
    const Result r = run(sh("exec >&- 2>&-; sleep 30"), 300ms);
    CHECK(r.timed_out);
    CHECK(r.exit.signal == SIGKILL);
    CHECK(r.seconds < 5);
}

TEST_CASE("a Child going out of scope kills and reaps its process", "[process]")
{
    pid_t pid;
    {
        Child child = spawn(Spec({"sleep", "30"}));
        pid = child.pid();
        CHECK(::kill(pid, 0) == 0);
    }
    CHECK_FALSE(alive(pid));
}

TEST_CASE("find_program looks along a search path", "[process]")
{
    CHECK(find_program("sh", "/nonexistent:/bin:/usr/bin").value_or("").ends_with("/sh"));
    CHECK_FALSE(find_program("netlabs-no-such-program", "/bin:/usr/bin"));
    CHECK(find_program("./x", "") == "./x");
}

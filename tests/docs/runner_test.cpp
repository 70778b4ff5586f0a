// The real netlabs-docrun on the fixture docs: it passes a good doc, and it
// FAILS, naming file:line, on a wrong line, a non-zero exit, a hang, a server
// that is never ready, shell syntax and a missing program.
#include "catch.hpp"
#include "paths.hpp"
#include "virtual_network.hpp"

#include <chrono>
#include <string>
#include <vector>

#include "netlabs/testing/process.hpp"

using match::Contains;
using namespace std::chrono_literals;

namespace {

const std::string docrun = netlabs::test::bin_dir() + "/netlabs-docrun";
const std::string fixtures = netlabs::test::source_dir() + "/tests/docs/fixtures/";

netlabs::testing::Result docrun_with(std::vector<std::string> args, std::optional<std::string> input = "")
{
    args.insert(args.begin(), docrun);
    auto result = netlabs::testing::run(args, std::move(input), 60s);
    INFO("netlabs-docrun " << args.size() - 1 << " arguments: " << result.describe());
    return result;
}

netlabs::testing::Result check(const std::string& fixture, std::vector<std::string> options = {})
{
    options.insert(options.begin(), "check");
    options.push_back(fixtures + fixture);
    return docrun_with(options);
}

} // namespace

TEST_CASE("check passes a doc that uses every feature", "[docs][runner]")
{
    const auto r = check("passes.md");
    INFO(r.describe());
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Contains("passes.md:79: skipped: needs the virtual network (lab topology)"));
    CHECK_THAT(r.out, Contains("passes.md: 16 passed, 0 failed, 1 skipped"));
}

TEST_CASE("check fails on a wrong expected line and shows expected and got", "[docs][runner]")
{
    const auto r = check("wrong-line.md");
    INFO(r.describe());
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Contains("wrong-line.md:6: printf 'Received: Hello\\nsecond line\\n'\n"
                               "  expected (line 7): Received: Hello from server!\n"
                               "                got: Received: Hello\n"
                               "  full output (exit 0):\n"
                               "    Received: Hello\n"
                               "    second line\n"));
    // The doc stops at its first failure.
    CHECK_THAT(r.out, Contains("wrong-line.md: 1 passed, 1 failed, 0 skipped, 1 not run"));
}

TEST_CASE("check fails on a command that exits non-zero", "[docs][runner]")
{
    const auto r = check("exit-nonzero.md");
    INFO(r.describe());
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Contains("exit-nonzero.md:5: false\n  expected: exit 0"));
    CHECK_THAT(r.out, Contains("got: exit 1"));
}

TEST_CASE("check fails on a command that hangs, after --timeout", "[docs][runner]")
{
    const auto r = check("hang.md", {"--timeout", "1"});
    INFO(r.describe());
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Contains("hang.md:4: `sleep 30` did not finish within 1 s"));
}

TEST_CASE("check fails on a background server that never prints its ready line", "[docs][runner]")
{
    const auto r = check("never-ready.md", {"--ready-timeout", "3"});
    INFO(r.describe());
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Contains("never-ready.md:4: `python3 -c"));
    CHECK_THAT(r.out, Contains("did not print its ready line ('listening on ...') within 3 s"));
}

TEST_CASE("check fails on a background command that exits before its ready line", "[docs][runner]")
{
    const auto r = check("exits-before-ready.md");
    INFO(r.describe());
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Contains("exits-before-ready.md:4: `printf"));
    CHECK_THAT(r.out, Contains("exited (exit 0) before printing its ready line"));
    CHECK_THAT(r.out, Contains("    bind 127.0.0.1:8000: address already in use"));
}

TEST_CASE("check refuses shell syntax before running anything", "[docs][runner]")
{
    const auto r = check("shell-syntax.md");
    INFO(r.describe());
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Contains("shell-syntax.md:6: pipes and redirections are not supported in doc commands"));
    CHECK_THAT(r.out, !Contains("passed"));
}

TEST_CASE("check fails on a program that does not exist", "[docs][runner]")
{
    const auto r = check("missing-program.md");
    INFO(r.describe());
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Contains("missing-program.md:4: program 'netlabs-no-such-program' not found in"));
}

TEST_CASE("check fails when a line after ... never comes", "[docs][runner]")
{
    const auto r = check("missing-output-line.md");
    INFO(r.describe());
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Contains("  expected (line 7): three\n                got: no such line in the rest of the output"));
}

TEST_CASE("check fails on a host the lab's topology does not have", "[docs][runner][netlab]")
{
    if (const std::string why = netlabs::test::netlab_unavailable(); !why.empty()) SKIP(why);
    const auto r = check("lab02-missing-host.md");
    INFO(r.describe());
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out + r.err, Contains("lab02-missing-host.md:6: echo hello"));
    CHECK_THAT(r.out + r.err, Contains("printer"));
    CHECK_THAT(r.out + r.err, Contains("1 failed"));
}

TEST_CASE("check goes on to the next doc after a failure", "[docs][runner]")
{
    const auto r = docrun_with({"check", fixtures + "exit-nonzero.md", fixtures + "parity/en.md"});
    INFO(r.describe());
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Contains("exit-nonzero.md: 1 passed, 1 failed, 0 skipped"));
    CHECK_THAT(r.out, Contains("en.md: 1 passed, 0 failed, 1 skipped"));
    CHECK_THAT(r.out, Contains("2 docs: 1 passed, 1 failed"));
}

TEST_CASE("bad usage exits 2 with one line", "[docs][runner]")
{
    const auto none = docrun_with({"check"});
    CHECK(none.exit_code == 2);
    const auto missing = docrun_with({"check", fixtures + "no-such-doc.md"});
    CHECK(missing.exit_code == 2);
    CHECK_THAT(missing.err, Contains("no-such-doc.md"));
    const auto timeout = docrun_with({"check", "--timeout", "soon", fixtures + "passes.md"});
    CHECK(timeout.exit_code == 2);
    CHECK_THAT(timeout.err, Contains("invalid --timeout 'soon'"));
    CHECK(docrun_with({}).exit_code == 2);
    CHECK(docrun_with({"--help"}).exit_code == 0);
}

TEST_CASE("tour narrates: title, seed, headings, progress, commands, output", "[docs][runner][tour]")
{
    const auto r = docrun_with({"tour", "--no-color", fixtures + "passes.md"});
    INFO(r.describe());
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Contains("Fixture: a doc that passes\nFollows: nothing; this doc exercises every feature"));
    CHECK_THAT(r.out, Contains("## Plain commands\nOutput is compared line by line.\n"));
    CHECK_THAT(r.out, Contains("lab 1/1, step 1/17\n$ echo hello   world\nhello world\n"));
    CHECK_THAT(r.out, Contains("$ printf '%s %s\\n' \\\n    continued \\\n    line\ncontinued line\n"));
    CHECK_THAT(r.out, Contains("  [python3] got ping\n"));
    CHECK_THAT(r.out, Contains("(in the doc, not run by the tour:)\n  C:\\> netstat -ano | findstr 8000\n"));
    CHECK_THAT(r.out, Contains("laptop$ lab02-client 192.168.99.123 5000 \"from the laptop\"\n"
                               "(skipped: needs the virtual network (lab topology))"));
    CHECK_THAT(r.out, Contains("tour done: 1 lab(s), 16 steps ran and matched their docs, 1 skipped"));
    CHECK_THAT(r.out, !Contains("\x1b["));  // no colour on a pipe
}

TEST_CASE("tour exits non-zero at a step that does not match, naming it", "[docs][runner][tour]")
{
    const auto r = docrun_with({"tour", "--no-color", fixtures + "parity/en.md", fixtures + "wrong-line.md"});
    INFO(r.describe());
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Contains("lab 2/2, step 2/3"));
    CHECK_THAT(r.out, Contains("expected (line 7): Received: Hello from server!"));
    CHECK_THAT(r.out, Contains("tour stopped at " + fixtures + "wrong-line.md:6 (lab 2/2, step 2/3)"));
}

TEST_CASE("tour --pause waits for Enter, and goes on at end of input", "[docs][runner][tour]")
{
    const auto r = docrun_with({"tour", "--pause", "--no-color", fixtures + "exit-nonzero.md"}, "");
    INFO(r.describe());
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Contains("$ true\n[Enter: next step]\n"));
    CHECK_THAT(r.out, Contains("lab 1/1, step 2/2\n$ false\n"));
}

TEST_CASE("list prints each doc's title and step count", "[docs][runner]")
{
    const auto r = docrun_with({"list", fixtures + "passes.md"});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Contains("passes.md: Fixture: a doc that passes (17 steps, 1 on lab hosts)"));
}

TEST_CASE("parity accepts a faithful translation and names the first difference", "[docs][runner][parity]")
{
    const auto same = docrun_with({"parity", fixtures + "parity/en.md", fixtures + "parity/ko.md"});
    INFO(same.describe());
    CHECK(same.exit_code == 0);
    const auto differs = docrun_with({"parity", fixtures + "parity/en.md", fixtures + "parity/ko-differs.md"});
    INFO(differs.describe());
    CHECK(differs.exit_code == 1);
    CHECK_THAT(differs.out, Contains("parity/en.md:17 and " + fixtures + "parity/ko-differs.md:11: the commands differ"));
}

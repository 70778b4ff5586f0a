// The tour of a student edition: at the first step that reaches a stub
// (netlabs::NotImplemented logs its line to NETLABS_NOT_IMPLEMENTED_LOG,
// which the doc runner sets for every command) it stops with one line that
// names the exercise, its file, its doc section and the grade command, in the
// doc's language; once the exercise is done, it goes on. The programs here
// are small scripts that do what a stubbed and a finished lab01-server do, so
// nothing is built; the CI proof (grade-student-edition, under
// NETLABS_PROVE_EDITIONS) tours the real student edition.
#include "catch.hpp"
#include "paths.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

#include "netlabs/testing/process.hpp"
#include "tour.hpp"

using match::Contains;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

const std::string docrun_program = netlabs::test::bin_dir() + "/netlabs-docrun";

void write(const fs::path& file, const std::string& text, bool executable = false)
{
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
    if (executable) ::chmod(file.c_str(), 0755);
}

const std::string stub_line =
    "lab01-ex1 is not implemented yet: in lab01-loopback/server.cpp, open the acceptor, bind and listen "
    "(see docs/en/lab01.md#the-server)";

// A small student edition: its points table, lab01's server with ex1's stub,
// the lab's doc in English and Korean (the same commands), and a bin
// directory whose lab01-server reaches the stub, as the real one does.
struct Edition {
    fs::path root = fs::temp_directory_path() / ("netlabs-tour-stub-" + std::to_string(::getpid()));
    Edition()
    {
        fs::remove_all(root);
        write(root / "tests/points.json", R"({"labs": [{"lab": "lab01", "exercises": [
            {"id": "ex1", "title": "The server: bind, listen, accept", "points": 30, "hint": "bind",
             "doc": "docs/en/lab01.md#the-server"}]}]})");
        write(root / "lab01-loopback/server.cpp",
              "// TODO(lab01-ex1): bind\nthrow netlabs::NotImplemented(\"lab01-ex1\", \"bind\");\n");
        const std::string steps = "```console\n$ echo before the server\nbefore the server\n$ lab01-server &\n"
                                  "listening on 127.0.0.1:8000\n$ echo after the server\nafter the server\n```\n";
        write(root / "docs/en/lab01.md", "# Lab 01: one socket\n\n## The server\n\nA server binds.\n\n" + steps +
                                             "\n## Your turn: the graded exercises\n\n"
                                             "### lab01-ex1: The server: bind, listen, accept\n");
        write(root / "docs/ko/lab01.md", "# 실습 01: 소켓 하나\n\n## 서버\n\n서버는 바인드합니다.\n\n" + steps +
                                             "\n## 직접 해 보기: 채점되는 연습 문제\n\n"
                                             "### lab01-ex1: 서버: bind, listen, accept\n");
        stubbed();
    }
    ~Edition() { fs::remove_all(root); }

    // What the student edition's lab01-server does: NotImplemented logs its
    // line, run_main prints it, exit 1.
    void stubbed() const
    {
        write(root / "bin/lab01-server",
              "#!/bin/sh\nline='" + stub_line + "'\n"
              "[ -n \"$NETLABS_NOT_IMPLEMENTED_LOG\" ] && echo \"$line\" >> \"$NETLABS_NOT_IMPLEMENTED_LOG\"\n"
              "echo \"lab01-server: $line\" >&2\nexit 1\n",
              true);
    }
    // The exercise done: the server listens (and waits to be stopped).
    void finished() const
    {
        write(root / "bin/lab01-server", "#!/bin/sh\necho 'listening on 127.0.0.1:8000'\nexec sleep 30\n", true);
    }

    netlabs::testing::Result tour(const std::string& lang) const
    {
        const std::vector<std::string> argv = {docrun_program, "tour", "--no-color", "--bin", (root / "bin").string(),
                                               (root / "docs" / lang / "lab01.md").string()};
        return netlabs::testing::run(argv, std::string(), 60s);
    }
};

} // namespace

TEST_CASE("the tour stops at the first step that reaches a stub, with one line saying what to do", "[docs][tour][stub]")
{
    const Edition edition;
    const auto r = edition.tour("en");
    INFO(r.describe());
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Contains("before the server"));
    const std::string stop = "tour stopped: this step needs lab01-ex1 (The server: bind, listen, accept), an exercise "
                             "not done yet: open lab01-loopback/server.cpp, read "
                             "docs/en/lab01.md#lab01-ex1-the-server-bind-listen-accept, check it with "
                             "'./netlabs grade lab01-ex1'; once it passes, './netlabs tour' runs on past this step.\n";
    INFO("the last line is the stop line, and nothing after it");
    CHECK_THAT(r.out, match::EndsWith(stop));
    INFO("not a failing step's report, and no step after the stub");
    CHECK_THAT(r.out, !Contains("does not match"));
    CHECK_THAT(r.out, !Contains("after the server"));
}

TEST_CASE("the Korean tour stops with the line in Korean, pointing at the Korean doc", "[docs][tour][stub]")
{
    const Edition edition;
    const auto r = edition.tour("ko");
    INFO(r.describe());
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Contains("투어를 여기서 멈춥니다. 이 단계에는 lab01-ex1(The server: bind, listen, accept) 문제가 "
                               "필요한데 아직 끝나지 않았습니다. lab01-loopback/server.cpp 파일을 열고, "
                               "docs/ko/lab01.md#lab01-ex1-서버-bind-listen-accept 절을 읽은 다음, "
                               "'./netlabs grade lab01-ex1'로 확인하세요."));
}

TEST_CASE("once the exercise is done the tour goes on past that step", "[docs][tour][stub]")
{
    const Edition edition;
    edition.finished();
    const auto r = edition.tour("en");
    INFO(r.describe());
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Contains("after the server"));
    CHECK_THAT(r.out, !Contains("tour stopped"));
}

TEST_CASE("the doc tests fail at a stub too, naming it", "[docs][runner][stub]")
{
    const Edition edition;
    const auto r = netlabs::testing::run({docrun_program, "check", "--bin", (edition.root / "bin").string(),
                                          (edition.root / "docs/en/lab01.md").string()},
                                         std::string(), 60s);
    INFO(r.describe());
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Contains("a program reached a stub of the student edition: " + stub_line));
}

TEST_CASE("the stop line without a points table, or for a stub it does not know, is the stub's own line",
          "[docs][tour][stub]")
{
    CHECK(docrun::stub_stop_line("/nonexistent/docs/en/lab01.md", {stub_line}) ==
          "tour stopped: a program reached an exercise that is not done yet: " + stub_line);
    const Edition edition;
    CHECK(docrun::stub_stop_line((edition.root / "docs/en/lab01.md").string(), {"lab09-ex1 is not implemented yet: x"}) ==
          "tour stopped: a program reached an exercise that is not done yet: lab09-ex1 is not implemented yet: x");
}

// What the grader and the tour tell a student to do next for an exercise:
// the file, the doc section (in the doc's language), the grade command.
#include <fstream>

#include <unistd.h>

#include "catch.hpp"
#include "grade.hpp"
#include "next_step.hpp"
#include "report.hpp"

using namespace netlabs::grade;
namespace fs = std::filesystem;

namespace {

void write(const fs::path& file, const std::string& text)
{
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
}

const Points& two_exercises()
{
    static const Points p = parse_points(R"({"labs": [{"lab": "lab01", "exercises": [
        {"id": "ex1", "title": "The server", "points": 30, "hint": "h", "doc": "docs/en/lab01.md#the-server"},
        {"id": "ex12", "title": "Twelve", "points": 20, "hint": "h", "doc": "docs/en/lab01.md#twelve"}]}]})", "p.json");
    return p;
}

// A repository with lab01's two exercises: ex1 as the reference has it
// (markers), ex12 as the student edition has it (a stub), and docs whose
// "Your turn" section names ex1 but not ex12.
struct Repo {
    fs::path root = fs::temp_directory_path() / ("netlabs-next-step-" + std::to_string(::getpid()));
    Repo()
    {
        fs::remove_all(root);
        write(root / "lab01-loopback/server.cpp", "int f() {\n// BEGIN SOLUTION lab01-ex1\nreturn 1;\n// END SOLUTION\n}\n");
        write(root / "lab01-loopback/client.cpp",
              "// TODO(lab01-ex12): h\nthrow netlabs::NotImplemented(\"lab01-ex12\", \"h\");\n");
        write(root / "lab01-loopback/reply.cpp", "// mentions lab01-ex1 in prose only\n");
        write(root / "lab02-lan/server.cpp", "// BEGIN SOLUTION lab01-ex1 (not lab01's folder)\n");
        write(root / "docs/en/lab01.md", "# Lab 01\n\n```text\n### lab01-ex1: not a heading\n```\n\n"
                                         "## Your turn: the graded exercises\n\n### lab01-ex1: The server, `bind()` & listen\n");
        write(root / "docs/ko/lab01.md", "# 실습 01\n\n## 직접 해 보기: 채점되는 연습 문제\n\n"
                                         "### lab01-ex1: 서버 (bind, listen)\n");
    }
    ~Repo() { fs::remove_all(root); }
};

} // namespace

TEST_CASE("heading anchors are GitHub's, in English and in Korean", "[grade][next]")
{
    CHECK(heading_anchor("Your turn: the graded exercises") == "your-turn-the-graded-exercises");
    CHECK(heading_anchor("lab01-ex1: The server: bind, listen, accept") == "lab01-ex1-the-server-bind-listen-accept");
    CHECK(heading_anchor("The server (seed 002)") == "the-server-seed-002");
    CHECK(heading_anchor("`0.0.0.0`: every interface") == "0000-every-interface");
    CHECK(heading_anchor("직접 해 보기: 채점되는 연습 문제") == "직접-해-보기-채점되는-연습-문제");
}

TEST_CASE("next step: the exercise's file, its section in the doc's language, the grade command", "[grade][next]")
{
    const Repo repo;
    const Exercise& ex1 = two_exercises().labs[0].exercises[0];
    const Exercise& ex12 = two_exercises().labs[0].exercises[1];
    INFO("files are found by the exercise's marker or stub, in its own lab's folder only; ex1 is not ex12");
    CHECK(exercise_files(repo.root, ex1) == std::vector<std::string>{"lab01-loopback/server.cpp"});
    CHECK(exercise_files(repo.root, ex12) == std::vector<std::string>{"lab01-loopback/client.cpp"});

    INFO("the heading that names the exercise (not a line in a code block), in the doc's language");
    CHECK(exercise_section(repo.root, ex1, "en") == "docs/en/lab01.md#lab01-ex1-the-server-bind--listen");
    CHECK(exercise_section(repo.root, ex1, "ko") == "docs/ko/lab01.md#lab01-ex1-서버-bind-listen");
    INFO("no heading names ex12: the 'Your turn' section, in each language");
    CHECK(exercise_section(repo.root, ex12, "en") == "docs/en/lab01.md#your-turn-the-graded-exercises");
    CHECK(exercise_section(repo.root, ex12, "ko") == "docs/ko/lab01.md#직접-해-보기-채점되는-연습-문제");
    INFO("no doc in that language: the points table's doc");
    CHECK(exercise_section(repo.root, ex12, "fr") == "docs/en/lab01.md#twelve");

    const NextStep next = next_step(repo.root, ex1);
    CHECK(describe(next) == "open lab01-loopback/server.cpp, read docs/en/lab01.md#lab01-ex1-the-server-bind--listen, "
                            "then run ./netlabs grade lab01-ex1");
}

TEST_CASE("a stub's line names its exercise", "[grade][next]")
{
    CHECK(stub_exercise("lab01-ex2 is not implemented yet: in lab01-loopback/client.cpp, ...") == "lab01-ex2");
    CHECK(stub_exercise("lab01-server: lab01-ex1 is not implemented yet: bind") == "lab01-ex1");
    CHECK_FALSE(stub_exercise("lab01-server: listening on 127.0.0.1:8000").has_value());
    CHECK_FALSE(stub_exercise("xlab01-ex1 is not implemented").has_value());
}

TEST_CASE("a stub's message wrapped by Catch2 is dropped from why a test failed, the rest stays", "[grade][report]")
{
    const std::string stub = "lab01-ex2 is not implemented yet: in lab01-loopback/client.cpp, resolve the server's host "
                             "and port with tcp::resolver, then connect (see docs/en/lab01.md#the-client-seed-004)";
    const std::vector<std::string> why = {
        "../tests/labs/lab01/test_server_client.cpp:17: FAILED:",
        "  CHECK( client.exit_code == 0 )",
        "with messages:",
        "  client: lab01-client --port 4242",
        "  stderr: \"lab01-client: lab01-ex2 is not implemented yet: in lab01-loopback/",
        "  client.cpp, resolve the server's host and port with tcp::resolver, then",
        "  connect (see docs/en/lab01.md#the-client-seed-004)",
        "\"",
    };
    const auto kept = drop_stub_lines(why, {stub});
    CHECK(kept == std::vector<std::string>{why[0], why[1], why[2], why[3], "  (the stub's message, shown once above)",
                                           why[7]});
}

TEST_CASE("the table shows a stub once and whole, what to do next, and a rerun of only that exercise's tests",
          "[grade][report]")
{
    const Points& p = two_exercises();
    const std::string stub = "lab01-ex1 is not implemented yet: in lab01-loopback/server.cpp, open the acceptor, set "
                             "SO_REUSEADDR, bind it to `local`, listen, and accept each client (see docs/en/lab01.md#x)";
    GradeResult r;
    LabResult lab;
    lab.lab = &p.labs[0];
    ExerciseResult e{&lab.lab->exercises[0], Status::failed, 0, {}, {}, {}, {}};
    e.next = NextStep{"lab01-ex1", "The server", {"lab01-loopback/server.cpp"}, "docs/en/lab01.md#lab01-ex1-the-server",
                      "./netlabs grade lab01-ex1"};
    e.rerun = "build/bin/lab01-tests '[lab01][ex1]'";
    for (int i = 0; i < 5; ++i) {
        TestRun t;
        t.name = "server test " + std::to_string(i);
        t.status = Status::failed;
        t.stubs = {stub};
        t.output = "/t.cpp:9: FAILED:\n  CHECK( server.exit_code == 0 )\nwith message:\n"
                   "  lab01-server: lab01-ex1 is not implemented yet: in lab01-loopback/server.cpp, open the\n"
                   "  acceptor, set SO_REUSEADDR, bind it to `local`, listen, and accept each client\n";
        e.tests.push_back(t);
    }
    lab.exercises = {e};
    r.labs.push_back(lab);
    const std::string table = format_table(r);
    INFO(table);
    std::size_t count = 0;
    for (auto at = table.find("is not implemented yet"); at != std::string::npos;
         at = table.find("is not implemented yet", at + 1))
        ++count;
    CHECK(count == 1);
    CHECK_THAT(table, match::Contains("      " + stub + "\n"));
    CHECK_THAT(table, match::Contains("CHECK( server.exit_code == 0 )"));
    CHECK_THAT(table, match::Contains("... and 2 more failing tests"));
    CHECK_THAT(table, match::Contains("  next: open lab01-loopback/server.cpp, read docs/en/lab01.md#lab01-ex1-the-server, "
                                      "then run ./netlabs grade lab01-ex1\n"));
    CHECK_THAT(table, match::Contains("  rerun its tests alone: build/bin/lab01-tests '[lab01][ex1]'\n"));
    CHECK_THAT(table, !match::Contains("ctest"));
}

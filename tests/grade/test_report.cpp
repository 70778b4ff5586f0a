// The grader's reports: the table, Gradescope's results.json, JUnit XML.
#include <nlohmann/json.hpp>

#include "catch.hpp"
#include "grade.hpp"
#include "report.hpp"

using namespace netlabs::grade;

namespace {

const Points& report_points()
{
    static const Points p = parse_points(R"({"labs": [{"lab": "lab01", "exercises": [
        {"id": "ex1", "title": "The server", "points": 30, "hint": "h", "doc": "docs/en/lab01.md#the-server"},
        {"id": "ex2", "title": "The client", "points": 20, "hint": "h"}]}]})", "p.json");
    return p;
}

GradeResult sample()
{
    GradeResult r;
    LabResult lab;
    lab.lab = &report_points().labs[0];
    ExerciseResult one{&lab.lab->exercises[0], Status::passed, 30, {}, {}, {}, {}};
    TestRun ok;
    ok.name = "a server listens";
    ok.status = Status::passed;
    one.tests.push_back(ok);
    ExerciseResult two{&lab.lab->exercises[1], Status::failed, 0, {}, {}, {}, {}};
    TestRun bad;
    bad.name = "a client <connects> & \"talks\"";
    bad.status = Status::failed;
    bad.output = "/t.cpp:9: FAILED:\n  CHECK( x )\n";
    bad.stubs = {"lab01-ex2 is not implemented yet: connect"};
    two.tests.push_back(bad);
    lab.exercises = {one, two};
    r.labs.push_back(lab);
    r.seconds = 1.2;
    return r;
}

} // namespace

TEST_CASE("the table shows each exercise's points and status, a total, and why one failed", "[grade][report]")
{
    const std::string table = format_table(sample());
    INFO(table);
    CHECK_THAT(table, match::Contains("lab01 ex1       The server  30/30    passed"));
    CHECK_THAT(table, match::Contains("lab01 ex2       The client  0/20     failed (0 of 1 tests passed)"));
    CHECK_THAT(table, match::Contains("total"));
    CHECK_THAT(table, match::Contains("30/50"));
    CHECK_THAT(table, match::Contains("lab01-ex2 is not implemented yet: connect"));
    CHECK_THAT(table, match::Contains("/t.cpp:9: FAILED:"));
}

TEST_CASE("results.json has Gradescope's fields", "[grade][report]")
{
    const auto doc = nlohmann::json::parse(gradescope_json(sample()));
    CHECK(doc["score"] == 30);
    CHECK(doc["execution_time"] == 2);
    REQUIRE(doc["tests"].size() == 2);
    const auto& t = doc["tests"][1];
    CHECK(t["name"] == "lab01-ex2: The client");
    CHECK(t["number"] == "1.2");
    CHECK(t["score"] == 0);
    CHECK(t["max_score"] == 20);
    CHECK(t["status"] == "failed");
    CHECK(t["visibility"] == "visible");
    CHECK_THAT(t["output"].get<std::string>(), match::Contains("not implemented yet"));
}

TEST_CASE("results.json is written when a lab does not build, with the compiler's output", "[grade][report]")
{
    GradeResult r = sample();
    r.labs[0].built = false;
    r.labs[0].build_output = std::string(50000, 'x') + "server.cpp:3: error: expected ';'";
    for (auto& e : r.labs[0].exercises) {
        e.status = Status::did_not_build;
        e.earned = 0;
        e.tests.clear();
    }
    const auto doc = nlohmann::json::parse(gradescope_json(r));
    CHECK(doc["score"] == 0);
    REQUIRE(doc["tests"].size() == 3);
    CHECK(doc["tests"][0]["name"] == "lab01: build");
    CHECK(doc["tests"][0]["status"] == "failed");
    CHECK(doc["tests"][0]["output"].get<std::string>().size() <= 10000);
    CHECK(doc["tests"][1]["status"] == "failed");
    CHECK_THAT(format_table(r), match::Contains("lab01 did not build"));
}

TEST_CASE("JUnit XML escapes names and marks failures", "[grade][report]")
{
    const std::string xml = junit_xml(sample());
    INFO(xml);
    CHECK_THAT(xml, match::StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"netlabs\" tests=\"2\" failures=\"1\""));
    CHECK_THAT(xml, match::Contains("name=\"a client &lt;connects&gt; &amp; &quot;talks&quot;\""));
    CHECK_THAT(xml, match::Contains("<failure message=\"lab01-ex2 is not implemented yet: connect\" type=\"failed\">"));
}

TEST_CASE("long outputs are cut at a character boundary", "[grade][report]")
{
    const std::string korean = "가나다라마바사";  // 3 bytes each
    const std::string cut = cap_text(korean + std::string(100, 'x'), 60);
    CHECK(cut.size() <= 60);
    CHECK(format_points(12.5) == "12.50");
    CHECK(format_points(30) == "30");
}

// The points table: what it holds, and what it refuses. Doc: docs/en/instructors.md.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <iterator>
#include <regex>
#include <fstream>
#include <set>
#include <string>

#include "catch.hpp"
#include "paths.hpp"
#include "grade.hpp"
#include "points.hpp"

using namespace netlabs::grade;

namespace {

// The anchors of a Markdown file's headings, as GitHub makes them: lower
// case, spaces to '-', ASCII punctuation other than '-' and '_' dropped
// ("## 0.0.0.0: every interface" -> "0000-every-interface").
std::set<std::string> heading_anchors(const std::string& file)
{
    std::set<std::string> anchors;
    std::ifstream in(file);
    bool fenced = false;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("```", 0) == 0) fenced = !fenced;
        if (fenced || line.rfind("#", 0) != 0) continue;
        const auto text = line.find_first_not_of('#');
        if (text == std::string::npos || line[text] != ' ') continue;
        std::string anchor;
        for (char c : line.substr(text + 1)) {
            const auto u = static_cast<unsigned char>(c);
            if (u >= 0x80 || std::isalnum(u) || c == '-' || c == '_') anchor += static_cast<char>(std::tolower(u));
            else if (c == ' ') anchor += '-';
        }
        anchors.insert(anchor);
    }
    return anchors;
}

} // namespace

TEST_CASE("the course's points table loads, and every exercise has a title, a hint and a doc", "[grade][points]")
{
    const Points p = load_points(netlabs::test::source_dir() + "/tests/points.json");
    REQUIRE_FALSE(p.labs.empty());
    for (const auto& lab : p.labs) {
        INFO(lab.id);
        CHECK(lab.exercises.size() >= 3);  // issue 5: at least three exercises per lab
        for (const auto& e : lab.exercises) {
            INFO(e.id);
            CHECK_FALSE(e.title.empty());
            CHECK_FALSE(e.hint.empty());
            CHECK(e.doc.rfind("docs/en/" + lab.id + ".md#", 0) == 0);
            CHECK(e.points > 0);
            // The doc link of the hint leads to a heading of that doc.
            const auto hash = e.doc.find('#');
            if (hash != std::string::npos) {
                const auto anchors = heading_anchors(netlabs::test::source_dir() + "/" + e.doc.substr(0, hash));
                INFO("headings' anchors in " << e.doc.substr(0, hash) << ": " << anchors.size());
                CHECK(anchors.count(e.doc.substr(hash + 1)) == 1);
            }
        }
    }
}

TEST_CASE("a broken points table is refused with what is wrong", "[grade][points]")
{
    CHECK_THROWS_WITH(parse_points("{", "p.json"), match::StartsWith("p.json: not valid JSON"));
    CHECK_THROWS_WITH(parse_points(R"({"labs": [{"lab": "lab1", "exercises": []}]})", "p.json"),
                      "p.json: lab \"lab1\": 'lab' must look like lab01");
    CHECK_THROWS_WITH(parse_points(R"({"labs": [{"lab": "lab01", "exercises": [{"id": "ex1", "title": "t", "hint": "h"}]}]})", "p.json"),
                      "p.json: lab \"lab01\" exercise 'ex1': 'points' must be a number, 0 or more");
    CHECK_THROWS_WITH(parse_points(R"({"labs": [{"lab": "lab01", "exercises": [{"id": "ex1", "title": "t", "hint": "h", "points": 1},
                                    {"id": "ex1", "title": "t", "hint": "h", "points": 1}]}]})", "p.json"),
                      "p.json: lab \"lab01\" exercise 'ex1': listed twice");
}

TEST_CASE("labs and exercises are selected by name", "[grade][points]")
{
    const Points p = parse_points(R"({"labs": [
        {"lab": "lab01", "exercises": [{"id": "ex1", "title": "a", "hint": "h", "points": 1}, {"id": "ex2", "title": "b", "hint": "h", "points": 2}]},
        {"lab": "lab02", "exercises": [{"id": "ex1", "title": "c", "hint": "h", "points": 3}]}]})", "p.json");
    CHECK(select(p, {}).size() == 2);
    const auto one = select(p, {"1"});
    REQUIRE(one.size() == 1);
    CHECK(one[0].first->id == "lab01");
    CHECK(one[0].second.size() == 2);
    const auto ex = select(p, {"lab02", "lab01-ex2"});
    REQUIRE(ex.size() == 2);
    CHECK(ex[0].first->id == "lab01");  // table order
    CHECK(ex[0].second.size() == 1);
    CHECK(ex[0].second[0]->id == "lab01-ex2");
    CHECK_THROWS_WITH(select(p, {"lab05"}), "no exercises for lab05 in tests/points.json (labs with exercises: lab01, lab02)");
    CHECK_THROWS_WITH(select(p, {"lab01-ex7"}), "no exercise lab01-ex7 (lab01 has lab01-ex1, lab01-ex2)");
    CHECK_THROWS_WITH(select(p, {"http"}), "invalid lab 'http': give a lab (lab01, 1) or an exercise (lab01-ex2)");
}

TEST_CASE("every test tagged for an exercise is in its lab's test program, which the grader builds", "[grade][points]")
{
    // The grader builds a lab's "targets" and runs the tests tagged
    // [labNN][exK] in them: a test of an exercise anywhere else (a unit test
    // in another program) would never count.
    namespace fs = std::filesystem;
    const fs::path root = netlabs::test::source_dir();
    const Points points = load_points(root / "tests" / "points.json");
    const std::regex test_case(R"re(TEST_CASE\s*\(\s*"(?:[^"\\]|\\.)*"\s*,\s*"([^"]*)")re");
    const std::regex lab_tag(R"(\[(lab\d\d)\])"), ex_tag(R"(\[(ex\d+)\])");
    std::set<std::string> tagged;
    for (const auto& entry : fs::recursive_directory_iterator(root / "tests")) {
        if (!entry.is_regular_file() || entry.path().extension() != ".cpp") continue;
        const std::string rel = fs::relative(entry.path(), root).generic_string();
        if (rel.rfind("tests/grade/", 0) == 0) continue;  // the grader's own tests name made-up exercises
        std::ifstream in(entry.path());
        const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        for (auto it = std::sregex_iterator(text.begin(), text.end(), test_case); it != std::sregex_iterator(); ++it) {
            const std::string tags = (*it)[1];
            std::smatch lab, ex;
            if (!std::regex_search(tags, ex, ex_tag)) continue;
            INFO(rel << ": a test tagged " << tags);
            REQUIRE(std::regex_search(tags, lab, lab_tag));
            const Lab* l = points.find_lab(lab[1]);
            REQUIRE(l != nullptr);
            CHECK(rel.rfind("tests/labs/" + l->id + "/", 0) == 0);
            CHECK(std::find(l->targets.begin(), l->targets.end(), l->id + "-tests") != l->targets.end());
            tagged.insert(l->id + "-" + ex[1].str());
        }
    }
    for (const auto& lab : points.labs)
        for (const auto& e : lab.exercises) {
            INFO("tests/points.json has " << e.id << ": some test must be tagged [" << lab.id << "][" << e.key << "]");
            CHECK(tagged.count(e.id) == 1);
        }
}

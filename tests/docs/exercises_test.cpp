// The docs and the points table agree: every graded exercise in
// tests/points.json is taught in its lab's doc, in English and Korean, under
// the heading the grader and the tour send students to:
//
//   ## Your turn: the graded exercises        (ko: ## 직접 해 보기: 채점되는 연습 문제)
//   ### lab04-ex2: First match wins
//
// and every link to a section (an exercise's `doc` field, a doc's
// `[...](#anchor)` or `[...](instructors.md#anchor)`) lands on a heading.
#include "catch.hpp"
#include "paths.hpp"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "points.hpp"

namespace exercises_named {

namespace fs = std::filesystem;

const std::string your_turn_en = "Your turn: the graded exercises";
const std::string your_turn_ko = "직접 해 보기: 채점되는 연습 문제";

struct Heading {
    int level = 0;
    std::string text;
    int line = 0;
};

struct Link {
    std::string target;  // "instructors.md#answers" or "#the-rule-language"
    int line = 0;
};

struct Markdown {
    std::string path;
    std::string text;            // the whole file
    std::vector<Heading> headings;
    std::vector<Link> links;     // outside fenced blocks
};

std::string read(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

Markdown load(const fs::path& path)
{
    Markdown doc;
    doc.path = path.lexically_relative(netlabs::test::source_dir()).generic_string();
    doc.text = read(path);
    std::istringstream in(doc.text);
    std::string line;
    bool fenced = false;
    for (int number = 1; std::getline(in, line); ++number) {
        const auto first = line.find_first_not_of(' ');
        if (first != std::string::npos && line.compare(first, 3, "```") == 0) {
            fenced = !fenced;
            continue;
        }
        if (fenced) continue;
        if (line.starts_with('#')) {
            const auto hashes = line.find_first_not_of('#');
            if (hashes != std::string::npos && line[hashes] == ' ')
                doc.headings.push_back({static_cast<int>(hashes), line.substr(hashes + 1), number});
        }
        for (auto at = line.find("]("); at != std::string::npos; at = line.find("](", at + 2)) {
            const auto end = line.find(')', at + 2);
            if (end == std::string::npos) break;
            const std::string target = line.substr(at + 2, end - at - 2);
            if (target.find('#') != std::string::npos && target.find("://") == std::string::npos)
                doc.links.push_back({target, number});
        }
    }
    return doc;
}

// The anchor GitHub gives a heading: lower case, spaces to '-', punctuation
// dropped; letters of other scripts (Hangul) kept as they are.
std::string slug(const std::string& heading)
{
    std::string out;
    for (std::size_t i = 0; i < heading.size();) {
        const auto c = static_cast<unsigned char>(heading[i]);
        if (c < 0x80) {
            if (std::isalnum(c) || c == '-' || c == '_') out += static_cast<char>(std::tolower(c));
            else if (c == ' ') out += '-';
            ++i;
            continue;
        }
        const std::size_t length = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
        const std::string character = heading.substr(i, length);
        unsigned code = 0;
        if (length == 2) code = ((c & 0x1fu) << 6) | (heading[i + 1] & 0x3f);
        if (length == 3) code = ((c & 0x0fu) << 12) | ((heading[i + 1] & 0x3f) << 6) | (heading[i + 2] & 0x3f);
        const bool punctuation = (code >= 0xa0 && code <= 0xbf) || (code >= 0x2000 && code <= 0x206f) ||
                                 (code >= 0x3000 && code <= 0x303f);
        if (!punctuation) out += character;
        i += length;
    }
    return out;
}

bool has_anchor(const Markdown& doc, const std::string& anchor)
{
    for (const auto& h : doc.headings)
        if (slug(h.text) == anchor) return true;
    return false;
}

std::string heading_list(const Markdown& doc)
{
    std::string list;
    for (const auto& h : doc.headings) list += "  " + std::string(h.level, '#') + " " + h.text + "  (#" + slug(h.text) + ")\n";
    return list;
}

const netlabs::grade::Points& points()
{
    static const auto table = netlabs::grade::load_points(fs::path(netlabs::test::source_dir()) / "tests/points.json");
    return table;
}

fs::path doc_path(const std::string& lang, const std::string& lab)
{
    return fs::path(netlabs::test::source_dir()) / "docs" / lang / (lab + ".md");
}

// The "### labNN-exK..." headings under the "Your turn" section, in order;
// nullopt when the doc has no such section.
std::optional<std::vector<Heading>> exercise_headings(const Markdown& doc, const std::string& section)
{
    std::optional<std::vector<Heading>> found;
    bool inside = false;
    for (const auto& h : doc.headings) {
        if (h.level <= 2) inside = false;
        if (h.level == 2 && h.text == section) {
            if (found) FAIL(doc.path << ":" << h.line << ": a second '## " << section << "'");
            found.emplace();
            inside = true;
            continue;
        }
        if (inside && h.level == 3) found->push_back(h);
    }
    return found;
}

} // namespace exercises_named

using namespace exercises_named;

TEST_CASE("docs: the anchors and the section names", "[docs][exercises]")
{
    CHECK(slug("Your turn: the graded exercises") == "your-turn-the-graded-exercises");
    CHECK(slug("lab04-ex1: Ports and port ranges in a rule") == "lab04-ex1-ports-and-port-ranges-in-a-rule");
    CHECK(slug("Answers to the docs' questions: labs 04-05") == "answers-to-the-docs-questions-labs-04-05");
    CHECK(slug("HTTP by hand: lab05-raw") == "http-by-hand-lab05-raw");
    CHECK(slug("0.0.0.0: every interface") == "0000-every-interface");
    CHECK(slug("직접 해 보기: 채점되는 연습 문제") == "직접-해-보기-채점되는-연습-문제");
    CHECK(slug("실습 04 · 방화벽") == "실습-04--방화벽");
}

TEST_CASE("docs: every graded exercise is named in its lab's doc, in English and Korean", "[docs][exercises]")
{
    REQUIRE_FALSE(points().labs.empty());
    for (const auto& lab : points().labs) {
        for (const std::string lang : {"en", "ko"}) {
            const auto path = doc_path(lang, lab.id);
            INFO("tests/points.json lists " << lab.id << "; its doc is docs/" << lang << "/" << lab.id << ".md");
            REQUIRE(fs::exists(path));
            const Markdown doc = load(path);
            for (const auto& exercise : lab.exercises) {
                INFO(exercise.id << " (" << exercise.title << ") must be named by its id in " << doc.path
                                 << ", so that a student who reads the doc finds the exercise it teaches");
                CHECK(doc.text.find(exercise.id) != std::string::npos);
            }
        }
    }
}

TEST_CASE("docs: 'Your turn' has one subsection per exercise, headed by its id", "[docs][exercises]")
{
    for (const auto& lab : points().labs) {
        for (const auto& [lang, section] : std::map<std::string, std::string>{{"en", your_turn_en}, {"ko", your_turn_ko}}) {
            const Markdown doc = load(doc_path(lang, lab.id));
            const auto headings = exercise_headings(doc, section);
            INFO(doc.path << " should end with '## " << section << "' and one '### " << lab.id
                          << "-exK: ...' per exercise of tests/points.json; its headings:\n"
                          << heading_list(doc));
            if (!headings) FAIL(doc.path << " has no '## " << section << "'");
            std::vector<std::string> ids;
            for (const auto& h : *headings) ids.push_back(h.text.substr(0, h.text.find(':')));
            std::vector<std::string> expected;
            for (const auto& exercise : lab.exercises) expected.push_back(exercise.id);
            CHECK(ids == expected);
            for (std::size_t i = 0; i < headings->size(); ++i) {
                const Heading& h = (*headings)[i];
                INFO(doc.path << ":" << h.line << ": '### " << h.text << "': an id, a colon, then the title");
                CHECK(h.text.find(": ") != std::string::npos);
                // In English the title is the grade table's, so that the line a
                // student reads in ./netlabs grade is the heading to look for.
                if (lang == "en" && i < lab.exercises.size())
                    CHECK(h.text == lab.exercises[i].id + ": " + lab.exercises[i].title);
            }
        }
    }
}

TEST_CASE("docs: each exercise's doc link in tests/points.json lands on a heading", "[docs][exercises]")
{
    for (const auto& lab : points().labs) {
        for (const auto& exercise : lab.exercises) {
            const auto hash = exercise.doc.find('#');
            INFO(exercise.id << ": doc \"" << exercise.doc << "\" (shown in its hint and its stub's message)");
            REQUIRE(hash != std::string::npos);
            const auto path = fs::path(netlabs::test::source_dir()) / exercise.doc.substr(0, hash);
            REQUIRE(fs::exists(path));
            const Markdown doc = load(path);
            INFO("the headings of " << doc.path << ":\n" << heading_list(doc));
            CHECK(has_anchor(doc, exercise.doc.substr(hash + 1)));
        }
    }
}

TEST_CASE("docs: links to a section of a doc land on a heading", "[docs][exercises]")
{
    // Every doc in docs/en and docs/ko: the labs and the instructors' page.
    std::vector<fs::path> files;
    for (const std::string lang : {"en", "ko"})
        for (const auto& entry : fs::directory_iterator(fs::path(netlabs::test::source_dir()) / "docs" / lang))
            if (entry.path().extension() == ".md") files.push_back(entry.path());
    REQUIRE(files.size() >= 12);
    for (const auto& path : files) {
        const Markdown doc = load(path);
        for (const auto& link : doc.links) {
            const auto hash = link.target.find('#');
            const std::string target_file = link.target.substr(0, hash);
            const auto target_path = target_file.empty() ? path : path.parent_path() / target_file;
            INFO(doc.path << ":" << link.line << ": a link to " << link.target);
            if (target_file.ends_with(".yml")) continue;
            REQUIRE(fs::exists(target_path));
            const Markdown target = target_file.empty() ? doc : load(target_path);
            INFO("the headings of " << target.path << ":\n" << heading_list(target));
            CHECK(has_anchor(target, link.target.substr(hash + 1)));
        }
    }
}

// Every graded exercise of tests/points.json is taught in its lab's doc, in
// both languages: named, and given a section of its own under the doc's
// "Your turn" heading, which its "doc" link points at. Doc: docs/README.md,
// and the "Your turn" section at the end of every docs/<lang>/labNN.md.
#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "catch.hpp"
#include "paths.hpp"

namespace {

// The one heading every lab doc ends with; the tour's stop line points there.
const char* const your_turn_en = "## Your turn: the graded exercises";
const char* const your_turn_ko = "## 직접 해 보기: 채점되는 연습 문제";

// Labs whose docs must have the section already. A doc of another lab is
// held to the same rules as soon as it has the heading (labs 04 and 05 get
// it in the other half of issue 12; then every lab is in this set).
const std::set<std::string> labs_with_your_turn = {"lab01", "lab02", "lab03"};

std::string read_text(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The headings of a Markdown file, outside fenced blocks, as written.
std::vector<std::string> doc_headings(const std::string& text)
{
    std::vector<std::string> headings;
    std::istringstream in(text);
    bool fenced = false;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("```", 0) == 0) fenced = !fenced;
        else if (!fenced && line.rfind("#", 0) == 0) headings.push_back(line);
    }
    return headings;
}

// A heading's anchor as GitHub makes it: lower case, spaces to '-', other
// punctuation dropped, non-ASCII kept.
std::string heading_anchor(const std::string& heading)
{
    std::string anchor;
    for (char c : heading.substr(heading.find_first_not_of('#'))) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x80 || std::isalnum(u) || c == '-' || c == '_') anchor += static_cast<char>(std::tolower(u));
        else if (c == ' ') anchor += '-';
    }
    return anchor.substr(anchor.find_first_not_of('-'));
}

// The "### ..." headings between `section` and the next "## " heading;
// empty when the doc has no such section.
std::vector<std::string> subsections(const std::vector<std::string>& headings, const std::string& section)
{
    std::vector<std::string> found;
    bool inside = false;
    for (const auto& h : headings) {
        if (h.rfind("## ", 0) == 0) inside = (h == section);
        else if (inside && h.rfind("### ", 0) == 0) found.push_back(h);
    }
    return found;
}

} // namespace

TEST_CASE("every graded exercise is named in its lab's English and Korean doc, with a section of its own",
          "[docs][exercises]")
{
    const std::string root = netlabs::test::source_dir();
    const auto points = nlohmann::json::parse(read_text(root + "/tests/points.json"));
    REQUIRE(points.contains("labs"));
    for (const auto& lab : points["labs"]) {
        const std::string lab_id = lab.at("lab").get<std::string>();
        for (const std::string lang : {"en", "ko"}) {
            const std::string file = "docs/" + lang + "/" + lab_id + ".md";
            const std::string text = read_text(root + "/" + file);
            INFO(file);
            REQUIRE_FALSE(text.empty());
            const auto headings = doc_headings(text);
            const std::string section = lang == "en" ? your_turn_en : your_turn_ko;
            const auto exercises = subsections(headings, section);
            const bool has_section =
                std::find(headings.begin(), headings.end(), section) != headings.end();
            if (labs_with_your_turn.count(lab_id)) {
                INFO("expected the heading '" << section << "' near the end of the doc");
                CHECK(has_section);
            }
            for (const auto& exercise : lab.at("exercises")) {
                const std::string id = lab_id + "-" + exercise.at("id").get<std::string>();
                INFO("exercise " << id);
                CHECK(text.find(id) != std::string::npos);
                if (!has_section) continue;
                // Its own "### labNN-exK: ..." under the section, and (EN) the
                // points table's doc link leads to it.
                const auto own = std::find_if(exercises.begin(), exercises.end(), [&](const std::string& h) {
                    return h.rfind("### " + id + ":", 0) == 0;
                });
                INFO("expected a heading '### " << id << ": ...' under '" << section << "'");
                REQUIRE(own != exercises.end());
                if (lang == "en") CHECK(exercise.at("doc").get<std::string>() == file + "#" + heading_anchor(*own));
            }
        }
    }
}

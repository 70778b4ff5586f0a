#include "next_step.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <regex>
#include <sstream>

namespace fs = std::filesystem;

namespace netlabs::grade {
namespace {

std::string read_file_text(const fs::path& file)
{
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// `id` in `text` as a whole id: "lab01-ex1" but not inside "lab01-ex12".
bool names_id(std::string_view text, std::string_view id)
{
    for (auto at = text.find(id); at != std::string_view::npos; at = text.find(id, at + 1)) {
        const auto end = at + id.size();
        const bool before_ok = at == 0 || !std::isalnum(static_cast<unsigned char>(text[at - 1]));
        const bool after_ok = end == text.size() || !std::isdigit(static_cast<unsigned char>(text[end]));
        if (before_ok && after_ok) return true;
    }
    return false;
}

struct DocHeading {
    int level;
    std::string text;
};

// The headings of a Markdown text, outside fenced blocks.
std::vector<DocHeading> headings_of(const std::string& text)
{
    std::vector<DocHeading> out;
    std::istringstream in(text);
    bool fenced = false;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.rfind("```", 0) == 0 || line.rfind("~~~", 0) == 0) {
            fenced = !fenced;
            continue;
        }
        if (fenced || line.empty() || line[0] != '#') continue;
        const auto hashes = line.find_first_not_of('#');
        if (hashes == std::string::npos || hashes > 6 || line[hashes] != ' ') continue;
        out.push_back({static_cast<int>(hashes), line.substr(hashes + 1)});
    }
    return out;
}

} // namespace

std::string heading_anchor(std::string_view heading)
{
    std::string out;
    for (std::size_t i = 0; i < heading.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(heading[i]);
        if (c >= 0x80) {
            // A letter of another script (one UTF-8 sequence), kept as is;
            // but not the punctuation GitHub drops (U+2000-U+206F, U+3000-U+303F).
            std::size_t len = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
            len = std::min(len, heading.size() - i);
            const std::string_view seq = heading.substr(i, len);
            const bool punctuation = len == 3 && ((c == 0xE2 && static_cast<unsigned char>(seq[1]) >= 0x80 &&
                                                   static_cast<unsigned char>(seq[1]) <= 0x81) ||
                                                  (c == 0xE3 && static_cast<unsigned char>(seq[1]) == 0x80));
            if (!punctuation) out += seq;
            i += len - 1;
        } else if (std::isalnum(c) || c == '-' || c == '_') {
            out += static_cast<char>(std::tolower(c));
        } else if (c == ' ') {
            out += '-';
        }
    }
    return out;
}

std::vector<std::string> exercise_files(const fs::path& source, const Exercise& exercise)
{
    std::vector<std::string> files;
    std::error_code ec;
    const std::vector<std::string> marks = {"BEGIN SOLUTION " + exercise.id, "TODO(" + exercise.id + ")",
                                            "NotImplemented(\"" + exercise.id + "\""};
    for (const auto& dir : fs::directory_iterator(source, ec)) {
        const std::string name = dir.path().filename().string();
        if (!dir.is_directory() || name.rfind(exercise.lab + "-", 0) != 0) continue;
        for (auto it = fs::recursive_directory_iterator(dir.path(), ec); it != fs::recursive_directory_iterator();
             it.increment(ec)) {
            if (ec) break;
            const auto ext = it->path().extension().string();
            if (!it->is_regular_file() || (ext != ".cpp" && ext != ".hpp" && ext != ".h" && ext != ".cc")) continue;
            const std::string text = read_file_text(it->path());
            const bool holds = std::any_of(marks.begin(), marks.end(), [&](const std::string& m) {
                return names_id(text, m);
            });
            if (holds) files.push_back(fs::relative(it->path(), source).generic_string());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::string exercise_section(const fs::path& source, const Exercise& exercise, const std::string& lang)
{
    const std::string doc = "docs/" + lang + "/" + exercise.lab + ".md";
    const auto headings = headings_of(read_file_text(source / doc));
    for (const auto& h : headings)
        if (names_id(h.text, exercise.id)) return doc + "#" + heading_anchor(h.text);
    for (const auto& h : headings)
        if (h.level == 2 && (h.text.rfind("Your turn", 0) == 0 || h.text.rfind("직접 해 보기", 0) == 0))
            return doc + "#" + heading_anchor(h.text);
    return exercise.doc;
}

NextStep next_step(const fs::path& source, const Exercise& exercise, const std::string& lang)
{
    NextStep next;
    next.exercise = exercise.id;
    next.title = exercise.title;
    next.files = exercise_files(source, exercise);
    next.section = exercise_section(source, exercise, lang);
    next.command = "./netlabs grade " + exercise.id;
    return next;
}

std::string describe(const NextStep& next)
{
    std::string text;
    if (!next.files.empty()) {
        text = "open ";
        for (std::size_t i = 0; i < next.files.size(); ++i) text += (i ? " and " : "") + next.files[i];
        text += ", ";
    }
    if (!next.section.empty()) text += "read " + next.section + ", ";
    text += "then run " + next.command;
    return text;
}

std::optional<std::string> stub_exercise(std::string_view line)
{
    static const std::regex shape(R"((?:^|[\s:])(lab\d\d-ex\d+) is not implemented yet)");
    std::match_results<std::string_view::const_iterator> m;
    if (!std::regex_search(line.begin(), line.end(), m, shape)) return std::nullopt;
    return m[1].str();
}

} // namespace netlabs::grade

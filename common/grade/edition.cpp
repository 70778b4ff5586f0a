#include "edition.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "points.hpp"
#include "spawn.hpp"

namespace fs = std::filesystem;

namespace netlabs::grade {
namespace {

enum class Marker { none, begin, end, student };

std::string trim(std::string_view s)
{
    const auto first = s.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t\r");
    return std::string(s.substr(first, last - first + 1));
}

// A marker is a line comment whose text starts with the marker word.
Marker classify(const std::string& line, std::string& rest)
{
    const std::string t = trim(line);
    if (t.rfind("//", 0) != 0) return Marker::none;
    const std::string body = trim(std::string_view(t).substr(2));
    auto starts = [&](std::string_view word) { return body.rfind(word, 0) == 0; };
    if (starts("BEGIN SOLUTION")) {
        rest = trim(std::string_view(body).substr(14));
        return Marker::begin;
    }
    if (starts("END SOLUTION")) {
        rest = trim(std::string_view(body).substr(12));
        return Marker::end;
    }
    if (starts("STUDENT:")) {
        rest = body.substr(8);
        if (!rest.empty() && rest[0] == ' ') rest.erase(0, 1);
        return Marker::student;
    }
    return Marker::none;
}

std::string indentation(const std::string& line)
{
    return line.substr(0, line.find_first_not_of(" \t"));
}

std::vector<std::string> split_lines(const std::string& text)
{
    std::vector<std::string> lines;
    std::size_t at = 0;
    while (at < text.size()) {
        const auto nl = text.find('\n', at);
        if (nl == std::string::npos) {
            lines.push_back(text.substr(at));
            break;
        }
        lines.push_back(text.substr(at, nl - at));
        at = nl + 1;
    }
    return lines;
}

std::string where(std::string_view path, std::size_t line)
{
    return std::string(path) + ":" + std::to_string(line) + ": ";
}

// A C++ string literal holding `text`.
std::string literal(const std::string& text)
{
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + '"';
}

std::string read_file(const fs::path& file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + file.string());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// "// TODO(lab01-ex1): <hint>", wrapped at about 100 columns.
std::string todo_comment(const std::string& indent, const std::string& exercise, const std::string& hint)
{
    std::string out, line = indent + "// TODO(" + exercise + "):";
    std::istringstream words(hint);
    for (std::string word; words >> word;) {
        if (line.size() + 1 + word.size() > 100 && line.size() > indent.size() + 8) {
            out += line + "\n";
            line = indent + "//  ";
        }
        line += " " + word;
    }
    return out + line + "\n";
}

} // namespace

HintLookup hints_from(const Points& points)
{
    return [&points](const std::string& id) -> std::optional<std::string> {
        if (const Exercise* e = points.find_exercise(id)) return e->full_hint();
        return std::nullopt;
    };
}

std::vector<Region> find_regions(std::string_view path, const std::string& text, const HintLookup& hints)
{
    const auto lines = split_lines(text);
    std::vector<Region> regions;
    std::optional<Region> open;
    bool after_end = false;  // STUDENT lines may follow an END directly
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::size_t n = i + 1;
        std::string rest;
        const Marker m = classify(lines[i], rest);
        switch (m) {
        case Marker::begin: {
            if (open)
                throw MarkerError(where(path, n) + "BEGIN SOLUTION inside the region that starts at line " +
                                  std::to_string(open->begin_line) + " (regions do not nest; close it with END SOLUTION first)");
            const std::string id = rest.substr(0, rest.find_first_of(" \t"));
            if (id.empty())
                throw MarkerError(where(path, n) + "BEGIN SOLUTION needs the exercise id, e.g. '// BEGIN SOLUTION lab01-ex1'");
            if (!is_exercise_id(id))
                throw MarkerError(where(path, n) + "invalid exercise id '" + id + "': must look like lab01-ex1");
            if (hints && !hints(id))
                throw MarkerError(where(path, n) + "exercise '" + id + "' is not in the points table (tests/points.json)");
            open = Region{};
            open->exercise = id;
            open->begin_line = n;
            open->indent = indentation(lines[i]);
            after_end = false;
            break;
        }
        case Marker::end:
            if (!open) throw MarkerError(where(path, n) + "END SOLUTION without a BEGIN SOLUTION before it");
            open->end_line = open->last_line = n;
            regions.push_back(std::move(*open));
            open.reset();
            after_end = true;
            break;
        case Marker::student:
            if (open) {
                open->student.push_back(indentation(lines[i]) + rest);
            } else if (after_end) {
                regions.back().student.push_back(indentation(lines[i]) + rest);
                regions.back().last_line = n;
            } else {
                throw MarkerError(where(path, n) + "STUDENT line outside a solution region (it must be inside one, "
                                  "or right after its END SOLUTION)");
            }
            break;
        case Marker::none:
            if (open) open->solution.push_back(lines[i]);
            after_end = false;
            break;
        }
    }
    if (open)
        throw MarkerError(where(path, open->begin_line) + "BEGIN SOLUTION " + open->exercise +
                          " is never closed: add '// END SOLUTION'");
    return regions;
}

std::string strip_solutions(std::string_view path, const std::string& text, const HintLookup& hints)
{
    const auto regions = find_regions(path, text, hints);
    if (regions.empty()) return text;
    if (text.find("netlabs/not_implemented.hpp") == std::string::npos)
        throw MarkerError(where(path, regions.front().begin_line) +
                          "a file with solution regions must #include \"netlabs/not_implemented.hpp\"");
    const auto lines = split_lines(text);
    std::string out;
    std::size_t next = 0;  // index into regions
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::size_t n = i + 1;
        if (next < regions.size() && n == regions[next].begin_line) {
            const Region& r = regions[next];
            const std::string hint = hints ? hints(r.exercise).value_or("") : "";
            out += todo_comment(r.indent, r.exercise, hint);
            if (r.student.empty()) {
                out += r.indent + "throw netlabs::NotImplemented(" + literal(r.exercise) + ", " + literal(hint) + ");\n";
            } else {
                const std::string bare = "NotImplemented(" + literal(r.exercise) + ")";
                const std::string full = "NotImplemented(" + literal(r.exercise) + ", " + literal(hint) + ")";
                for (std::string code : r.student) {
                    for (auto at = code.find(bare); at != std::string::npos; at = code.find(bare, at + full.size()))
                        code.replace(at, bare.size(), full);
                    out += code + "\n";
                }
            }
            i = r.last_line - 1;
            ++next;
            continue;
        }
        out += lines[i];
        if (i + 1 < lines.size() || (!text.empty() && text.back() == '\n')) out += '\n';
    }
    return out;
}

bool may_hold_markers(const fs::path& relative)
{
    static const std::set<std::string> extensions = {".c", ".cc", ".cpp", ".cxx", ".h", ".hh", ".hpp", ".hxx", ".ipp", ".inl"};
    return extensions.count(relative.extension().string()) > 0;
}

bool is_hidden_test(const fs::path& relative)
{
    const std::string generic = relative.generic_string();
    if (generic.rfind("tests/hidden/", 0) == 0) return true;
    const std::string stem = relative.stem().string();
    return stem.size() >= 7 && stem.compare(stem.size() - 7, 7, "_hidden") == 0;
}

std::vector<fs::path> repository_files(const fs::path& root)
{
    std::vector<fs::path> files;
    if (fs::exists(root / ".git")) {
        const Spawned git = run_captured({"git", "-C", root.string(), "ls-files", "-z", "--cached", "--others",
                                         "--exclude-standard"},
                                        {}, std::chrono::seconds(60));
        if (git.exit_code == 0) {
            std::size_t at = 0;
            while (at < git.output.size()) {
                auto end = git.output.find('\0', at);
                if (end == std::string::npos) end = git.output.size();
                const fs::path rel = git.output.substr(at, end - at);
                at = end + 1;
                std::error_code ec;
                if (!rel.empty() && fs::is_regular_file(root / rel, ec)) files.push_back(rel);
            }
            std::sort(files.begin(), files.end());
            files.erase(std::unique(files.begin(), files.end()), files.end());
            return files;
        }
    }
    for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
        const std::string name = it->path().filename().string();
        if (it->is_directory() && (name == ".git" || name == "build" || name.rfind("build-", 0) == 0 || name == ".cache")) {
            it.disable_recursion_pending();
            continue;
        }
        if (it->is_regular_file()) files.push_back(fs::relative(it->path(), root));
    }
    std::sort(files.begin(), files.end());
    return files;
}

EditionReport write_student_edition(const fs::path& source, const fs::path& out, const Points& points, bool force)
{
    const fs::path src = fs::weakly_canonical(source);
    const fs::path dst = fs::weakly_canonical(out);
    if (dst == src) throw std::runtime_error("the student edition cannot be written over the repository itself");
    const auto [s_end, d_end] = std::mismatch(src.begin(), src.end(), dst.begin(), dst.end());
    if (d_end == dst.end())
        throw std::runtime_error(dst.string() + " holds the repository: pick a directory outside it");
    if (s_end == src.end() && d_end->string().rfind("build", 0) != 0)
        throw std::runtime_error(dst.string() + " is inside the repository: pick a directory outside it (or under build/)");
    if (fs::exists(dst) && !fs::is_directory(dst)) throw std::runtime_error(dst.string() + " exists and is not a directory");
    if (!force && fs::exists(dst) && !fs::is_empty(dst))
        throw std::runtime_error(dst.string() + " is not empty: pick an empty directory, or pass --force to overwrite");

    const HintLookup hints = hints_from(points);
    EditionReport report;
    // First everything in memory, so that a bad marker writes nothing.
    std::vector<std::pair<fs::path, std::string>> edition;
    for (const fs::path& rel : repository_files(src)) {
        if (is_hidden_test(rel)) {
            report.hidden.push_back(rel.generic_string());
            continue;
        }
        std::string text = read_file(src / rel);
        if (may_hold_markers(rel)) {
            const std::string stripped = strip_solutions(rel.generic_string(), text, hints);
            if (stripped != text) {
                ++report.stripped_files;
                report.regions += find_regions(rel.generic_string(), text, hints).size();
            }
            text = stripped;
        }
        edition.emplace_back(rel, std::move(text));
    }
    for (const auto& [rel, text] : edition) {
        const fs::path target = dst / rel;
        ++report.files;
        std::error_code ec;
        if (fs::is_regular_file(target, ec) && read_file(target) == text) continue;
        fs::create_directories(target.parent_path());
        {
            std::ofstream file(target, std::ios::binary | std::ios::trunc);
            if (!file) throw std::runtime_error("cannot write " + target.string());
            file << text;
            if (!file) throw std::runtime_error("cannot write " + target.string());
        }
        fs::permissions(target, fs::status(src / rel).permissions(), ec);
        ++report.written;
    }
    return report;
}

std::vector<std::string> find_leaks(const fs::path& source, const fs::path& edition, const Points& points)
{
    std::vector<std::string> leaks;
    const HintLookup hints = hints_from(points);
    for (const fs::path& rel : repository_files(source)) {
        const fs::path copy = edition / rel;
        const std::string name = rel.generic_string();
        if (is_hidden_test(rel)) {
            if (fs::exists(copy)) leaks.push_back(name + ": a hidden test is in the student edition");
            continue;
        }
        if (!may_hold_markers(rel) || !fs::exists(copy)) continue;
        const std::string reference = read_file(source / rel);
        const auto regions = find_regions(name, reference, hints);
        const auto student_lines = split_lines(read_file(copy));
        std::map<std::string, int> in_student;
        for (std::size_t i = 0; i < student_lines.size(); ++i) {
            std::string rest;
            if (classify(student_lines[i], rest) != Marker::none)
                leaks.push_back(name + ":" + std::to_string(i + 1) + ": a solution marker survived: " + trim(student_lines[i]));
            ++in_student[trim(student_lines[i])];
        }
        if (regions.empty()) continue;
        // Lines outside the regions may legitimately repeat a solution line.
        const auto ref_lines = split_lines(reference);
        std::map<std::string, int> outside;
        std::set<std::string> given;  // STUDENT code is meant to be there
        std::size_t r = 0;
        for (std::size_t i = 0; i < ref_lines.size(); ++i) {
            const std::size_t n = i + 1;
            while (r < regions.size() && n > regions[r].last_line) ++r;
            if (r < regions.size() && n >= regions[r].begin_line) continue;
            ++outside[trim(ref_lines[i])];
        }
        for (const auto& region : regions)
            for (const auto& s : region.student) given.insert(trim(s));
        for (const auto& region : regions)
            for (const auto& line : region.solution) {
                const std::string t = trim(line);
                if (t.size() < 8 || given.count(t)) continue;  // braces, "break;", "}" ...
                if (in_student[t] > outside[t])
                    leaks.push_back(name + ": a solution line of " + region.exercise + " (line " +
                                    std::to_string(region.begin_line) + "...) survived: " + t);
            }
    }
    return leaks;
}

} // namespace netlabs::grade

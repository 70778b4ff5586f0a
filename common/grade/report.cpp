#include "report.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

#include <nlohmann/json.hpp>

namespace netlabs::grade {
namespace {

std::string pad(const std::string& text, std::size_t width)
{
    // Width in characters, not bytes (titles may be Korean some day).
    std::size_t chars = 0;
    for (const unsigned char c : text)
        if ((c & 0xC0) != 0x80) ++chars;
    return chars >= width ? text : text + std::string(width - chars, ' ');
}

std::string status_text(const ExerciseResult& e)
{
    std::string s = to_string(e.status);
    if (!e.tests.empty() && e.status != Status::passed && e.status != Status::did_not_build)
        s += " (" + std::to_string(e.passed()) + " of " + std::to_string(e.tests.size()) + " tests passed)";
    return s;
}

// Drops bytes that are not valid in XML 1.0 and ANSI colour escapes.
std::string xml_escape(const std::string& text)
{
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == 0x1b) {  // ESC [ ... m
            while (i < text.size() && text[i] != 'm') ++i;
            continue;
        }
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        default:
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
            out += static_cast<char>(c);
        }
    }
    return out;
}

// JSON strings must be valid UTF-8: replace what is not.
std::string valid_utf8(const std::string& text)
{
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        bool ok = len > 0 && i + len <= text.size();
        for (std::size_t k = 1; ok && k < len; ++k)
            ok = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
        if (ok) {
            out.append(text, i, len);
            i += len;
        } else {
            out += '?';
            ++i;
        }
    }
    return out;
}

std::string exercise_output(const LabResult& lab, const ExerciseResult& e)
{
    std::ostringstream out;
    out << e.exercise->id << ": " << e.exercise->title << "\n";
    out << format_points(e.earned) << "/" << format_points(e.exercise->points) << " points, " << status_text(e) << "\n";
    if (!e.exercise->doc.empty()) out << "doc: " << e.exercise->doc << "\n";
    if (e.status != Status::passed) out << "next: " << describe(e.next) << "\n";
    if (!lab.built) {
        out << "\n" << lab.lab->id << " did not build; the compiler said:\n" << cap_text(lab.build_output, 6000);
        return out.str();
    }
    if (!e.note.empty()) out << e.note << "\n";
    out << "\n";
    for (const auto& t : e.tests) out << "  " << pad(to_string(t.status), 10) << " " << t.name << "\n";
    for (const auto& t : e.tests) {
        if (t.status == Status::passed || t.status == Status::skipped) continue;
        out << "\n" << to_string(t.status) << ": " << t.name << "\n";
        for (const auto& line : t.why()) out << "    " << line << "\n";
    }
    return out.str();
}

} // namespace

std::string format_points(double points)
{
    std::ostringstream s;
    if (std::fabs(points - std::round(points)) < 1e-9) s << static_cast<long long>(std::llround(points));
    else s << std::fixed << std::setprecision(2) << points;
    return s.str();
}

std::string cap_text(const std::string& text, std::size_t max)
{
    if (text.size() <= max) return text;
    const std::string note = "\n... (cut: " + std::to_string(text.size()) + " bytes in all)\n";
    std::size_t keep = max > note.size() ? max - note.size() : 0;
    while (keep > 0 && (static_cast<unsigned char>(text[keep]) & 0xC0) == 0x80) --keep;
    return text.substr(0, keep) + note;
}

std::string format_table(const GradeResult& result, bool color)
{
    auto paint = [&](const std::string& text, Status s) {
        if (!color) return text;
        const char* code = s == Status::passed ? "32" : s == Status::failed ? "33" : "31";
        return std::string("\x1b[") + code + "m" + text + "\x1b[0m";
    };
    std::size_t title_width = 5;
    for (const auto& lab : result.labs)
        for (const auto& e : lab.exercises) title_width = std::max(title_width, e.exercise->title.size());
    title_width = std::min<std::size_t>(title_width, 48);
    std::ostringstream out;
    out << pad("lab", 6) << pad("exercise", 10) << pad("title", title_width + 2) << pad("points", 9) << "status\n";
    for (const auto& lab : result.labs) {
        for (const auto& e : lab.exercises) {
            std::string title = e.exercise->title;
            if (title.size() > title_width) title = title.substr(0, title_width - 3) + "...";
            out << pad(lab.lab->id, 6) << pad(e.exercise->key, 10) << pad(title, title_width + 2)
                << pad(format_points(e.earned) + "/" + format_points(e.exercise->points), 9)
                << paint(status_text(e), e.status) << "\n";
        }
    }
    out << pad("total", 16 + title_width + 2)
        << pad(format_points(result.earned()) + "/" + format_points(result.possible()), 9)
        << "(" << std::fixed << std::setprecision(1) << result.seconds << " s)\n";

    // Why, for what did not pass.
    for (const auto& lab : result.labs) {
        if (!lab.built) {
            out << "\n" << lab.lab->id << " did not build. The first errors:\n";
            std::istringstream in(lab.build_output);
            int shown = 0;
            bool seen_error = false;
            for (std::string line; std::getline(in, line) && shown < 20;) {
                const bool error_line = line.find(": error") != std::string::npos ||
                                        line.find(": fatal error") != std::string::npos ||
                                        line.find("CMake Error") != std::string::npos ||
                                        line.find("undefined reference") != std::string::npos;
                if (!seen_error && !error_line) continue;
                seen_error = true;
                out << "    " << line << "\n";
                ++shown;
            }
            if (!seen_error) out << cap_text(lab.build_output, 3000) << "\n";
            continue;
        }
        for (const auto& e : lab.exercises) {
            if (e.status == Status::passed) continue;
            out << "\n" << e.exercise->id << " (" << e.exercise->title << "): " << status_text(e) << "\n";
            if (!e.note.empty()) out << "    " << e.note << "\n";
            // The stubs these tests reached, once each and whole: often the whole story.
            std::vector<std::string> stubs;
            for (const auto& t : e.tests)
                for (const auto& s : t.stubs)
                    if (std::find(stubs.begin(), stubs.end(), s) == stubs.end()) stubs.push_back(s);
            if (!stubs.empty()) {
                out << "  " << (stubs.size() == 1 ? "the stub" : "the stubs") << " these tests reached:\n";
                for (const auto& s : stubs) out << "      " << s << "\n";
            }
            std::size_t shown = 0, failing = 0;
            for (const auto& t : e.tests) failing += t.status != Status::passed && t.status != Status::skipped;
            for (const auto& t : e.tests) {
                if (t.status == Status::passed || t.status == Status::skipped) continue;
                if (shown == 3) {
                    out << "  ... and " << failing - shown << " more failing tests\n";
                    break;
                }
                ++shown;
                out << "  " << to_string(t.status) << ": " << t.name << "\n";
                std::vector<std::string> why = drop_stub_lines(failure_lines(t.output, 8), stubs);
                if (t.status == Status::timed_out) why.insert(why.begin(), "the test did not finish in time and was stopped");
                for (const auto& line : why) out << "      " << line << "\n";
            }
            out << "  next: " << describe(e.next) << "\n";
            if (!e.rerun.empty()) out << "  rerun its tests alone: " << e.rerun << "\n";
        }
    }
    return out.str();
}

std::string gradescope_json(const GradeResult& result)
{
    nlohmann::json tests = nlohmann::json::array();
    for (const auto& lab : result.labs) {
        if (!lab.built) {
            tests.push_back({{"name", lab.lab->id + ": build"},
                             {"number", std::to_string(lab.lab->number) + ".0"},
                             {"score", 0},
                             {"max_score", 0},
                             {"status", "failed"},
                             {"output", valid_utf8(cap_text(lab.lab->id + " did not build; the compiler said:\n" + lab.build_output, 10000))},
                             {"visibility", "visible"}});
        }
        for (const auto& e : lab.exercises) {
            tests.push_back({{"name", e.exercise->id + ": " + e.exercise->title},
                             {"number", std::to_string(lab.lab->number) + "." + std::to_string(e.exercise->number)},
                             {"score", e.earned},
                             {"max_score", e.exercise->points},
                             {"status", e.status == Status::passed ? "passed" : "failed"},
                             {"output", valid_utf8(cap_text(exercise_output(lab, e), 10000))},
                             {"visibility", "visible"}});
        }
    }
    nlohmann::json doc = {{"score", result.earned()},
                          {"execution_time", static_cast<long long>(std::ceil(result.seconds))},
                          {"output", valid_utf8(cap_text(format_table(result), 10000))},
                          {"visibility", "visible"},
                          {"stdout_visibility", "visible"},
                          {"tests", tests}};
    return doc.dump(2) + "\n";
}

std::string junit_xml(const GradeResult& result)
{
    std::ostringstream out;
    std::size_t total = 0, failures = 0, errors = 0;
    for (const auto& lab : result.labs) {
        if (!lab.built) {
            ++total;
            ++errors;
        }
        for (const auto& e : lab.exercises) {
            total += e.tests.size();
            for (const auto& t : e.tests) {
                if (t.status == Status::failed) ++failures;
                if (t.status == Status::crashed || t.status == Status::timed_out) ++errors;
            }
        }
    }
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out << "<testsuites name=\"netlabs\" tests=\"" << total << "\" failures=\"" << failures << "\" errors=\""
        << errors << "\" time=\"" << std::fixed << std::setprecision(3) << result.seconds << "\">\n";
    for (const auto& lab : result.labs) {
        if (!lab.built) {
            out << "  <testsuite name=\"" << lab.lab->id << ": build\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n"
                << "    <testcase classname=\"" << lab.lab->id << "\" name=\"build\">\n"
                << "      <error message=\"did not build\">" << xml_escape(cap_text(lab.build_output, 64000)) << "</error>\n"
                << "    </testcase>\n  </testsuite>\n";
        }
        for (const auto& e : lab.exercises) {
            std::size_t f = 0, err = 0, skipped = 0;
            double seconds = 0;
            for (const auto& t : e.tests) {
                f += t.status == Status::failed;
                err += t.status == Status::crashed || t.status == Status::timed_out;
                skipped += t.status == Status::skipped;
                seconds += t.seconds;
            }
            out << "  <testsuite name=\"" << xml_escape(e.exercise->id + ": " + e.exercise->title) << "\" tests=\""
                << e.tests.size() << "\" failures=\"" << f << "\" errors=\"" << err << "\" skipped=\"" << skipped
                << "\" time=\"" << seconds << "\">\n";
            out << "    <properties><property name=\"points\" value=\"" << format_points(e.earned) << "/"
                << format_points(e.exercise->points) << "\"/></properties>\n";
            for (const auto& t : e.tests) {
                out << "    <testcase classname=\"" << lab.lab->id << "." << e.exercise->key << "\" name=\""
                    << xml_escape(t.name) << "\" time=\"" << t.seconds << "\"";
                if (t.status == Status::passed) {
                    out << "/>\n";
                    continue;
                }
                out << ">\n";
                std::string why;
                for (const auto& l : t.why()) why += l + "\n";
                const std::string first = t.why().empty() ? to_string(t.status) : t.why().front();
                if (t.status == Status::skipped) out << "      <skipped/>\n";
                else if (t.status == Status::failed)
                    out << "      <failure message=\"" << xml_escape(cap_text(first, 500)) << "\" type=\"failed\">"
                        << xml_escape(why) << "</failure>\n";
                else
                    out << "      <error message=\"" << xml_escape(to_string(t.status) + ": " + cap_text(first, 500))
                        << "\" type=\"" << xml_escape(to_string(t.status)) << "\">" << xml_escape(why) << "</error>\n";
                out << "      <system-out>" << xml_escape(cap_text(t.output, 64000)) << "</system-out>\n";
                out << "    </testcase>\n";
            }
            if (e.tests.empty() && !e.note.empty() && lab.built)
                out << "    <testcase classname=\"" << lab.lab->id << "." << e.exercise->key
                    << "\" name=\"tests\"><failure message=\"" << xml_escape(e.note) << "\"/></testcase>\n";
            out << "  </testsuite>\n";
        }
    }
    out << "</testsuites>\n";
    return out.str();
}

} // namespace netlabs::grade

#include "report_text.hpp"

#include <cstdio>

namespace docrun {
namespace {

std::string exit_text(int exit_code, std::optional<int> signal)
{
    std::string text = "exit " + std::to_string(exit_code);
    if (signal) text += " (killed by signal " + std::to_string(*signal) + ")";
    return text;
}

// "  <title>:" and the output, indented.
std::string output_block(const std::string& title, const std::string& output)
{
    std::string text = "  " + title + ":\n";
    const auto lines = split_lines(output);
    if (lines.empty()) text += "    (nothing)\n";
    for (const auto& line : lines) text += "    " + line + "\n";
    return text;
}

// The command in one line, for "`...` did not finish".
std::string quoted(const Step& step) { return "`" + step.text + "`"; }

} // namespace

std::string seconds_text(milliseconds duration)
{
    const auto ms = duration.count();
    if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g s", static_cast<double>(ms) / 1000.0);
    return buffer;
}

std::string located(const Doc& doc, const Step& step, const std::string& message)
{
    return doc.path + ":" + std::to_string(step.line) + ": " + message + "\n";
}

std::string output_mismatch(const Doc& doc, const Step& step, const Mismatch& mismatch,
                            const std::vector<std::string>& actual, const std::string& output,
                            std::optional<int> exit_code, std::optional<int> signal)
{
    std::string expected, got;
    if (mismatch.expected < step.expected.size()) {
        const ExpectedLine& line = step.expected[mismatch.expected];
        expected = "expected (line " + std::to_string(line.line) + "): " + line.text;
    } else {
        expected = "expected (after line " + std::to_string(step.expected.back().line) + "): end of output";
    }
    if (mismatch.after_any_lines) got = "no such line in the rest of the output";
    else if (mismatch.actual) got = actual[*mismatch.actual];
    else got = "end of output";

    const std::size_t label = expected.find(": ");
    std::string text = located(doc, step, step.text);
    text += "  " + expected + "\n";
    text += "  " + std::string(label > 3 ? label - 3 : 0, ' ') + "got: " + got + "\n";
    text += output_block(exit_code ? "full output (" + exit_text(*exit_code, signal) + ")" : "full output", output);
    return text;
}

std::string exit_mismatch(const Doc& doc, const Step& step, const std::string& output, int exit_code,
                          std::optional<int> signal)
{
    std::string text = located(doc, step, step.text);
    const std::string where = step.exit_line ? " (line " + std::to_string(*step.exit_line) + ")" : "";
    text += "  expected" + where + ": exit " + std::to_string(step.exit_code) +
            (step.exit_line ? "" : " (add a last line '[exit N]' if it should fail)") + "\n";
    text += "  " + std::string(where.size(), ' ') + "     got: " + exit_text(exit_code, signal) + "\n";
    text += output_block("full output", output);
    return text;
}

std::string timed_out(const Doc& doc, const Step& step, const std::string& output, milliseconds timeout)
{
    return located(doc, step, quoted(step) + " did not finish within " + seconds_text(timeout) +
                                  " (stopped; --timeout sets the limit)") +
           output_block("output so far", output);
}

std::string not_ready(const Doc& doc, const Step& step, const Started& started, milliseconds wait)
{
    std::string what;
    if (started.timed_out)
        what = " did not print its ready line ('listening on ...') within " + seconds_text(wait) + " (stopped)";
    else
        what = " exited (exit " + std::to_string(started.exit_code.value_or(-1)) +
               ") before printing its ready line ('listening on ...')";
    return located(doc, step, quoted(step) + what) + output_block("its output", started.output);
}

} // namespace docrun

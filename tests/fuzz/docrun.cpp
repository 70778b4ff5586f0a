// Fuzzes the doc runner's readers (common/tools/docrun): a doc's Markdown and
// its console blocks (markdown.cpp), the commands in them (words.cpp) and the
// expected-output patterns ({PORT}, {N}, {ANY}, "...", match.cpp). The first
// byte chooses which; docs come from contributors and translators, output
// from any program. A doc is at parity with itself; a line without
// placeholders matches itself; split lines hold no newline.
#include <cstdint>
#include <string>

#include "error.hpp"
#include "fuzz.hpp"
#include "markdown.hpp"
#include "match.hpp"
#include "parity.hpp"
#include "words.hpp"

namespace {

bool has_placeholder(std::string_view line)
{
    return line.find("{PORT}") != std::string_view::npos || line.find("{N}") != std::string_view::npos ||
           line.find("{ANY}") != std::string_view::npos;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::uint8_t mode = fuzz::take_byte(data, size);
    const std::string_view text = fuzz::text(data, size);
    switch (mode % 4) {
    case 0:
        try {
            const docrun::Doc doc = docrun::parse_doc("fuzz.md", text);
            fuzz::check(!docrun::parity_difference(doc, doc), "a doc is at parity with itself");
            for (const auto& step : doc.steps) fuzz::check(!step.command.argv.empty(), "a step has a program");
        } catch (const docrun::DocError&) {
        }
        break;
    case 1: {  // an expected line, '\n', an actual line
        const auto nl = text.find('\n');
        const std::string_view expected = text.substr(0, nl);
        const std::string_view actual = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        (void)docrun::line_matches(expected, actual);
        if (!has_placeholder(expected))
            fuzz::check(docrun::line_matches(expected, expected), "a line without placeholders matches itself");
        break;
    }
    case 2: {  // expected output, NUL, actual output
        const auto nul = text.find('\0');
        const auto expected = docrun::split_lines(text.substr(0, nul));
        const auto actual = docrun::split_lines(nul == std::string_view::npos ? std::string_view{} : text.substr(nul + 1));
        for (const auto& l : expected) fuzz::check(l.find('\n') == std::string::npos, "a split line has no newline");
        const auto mismatch = docrun::match_lines(expected, actual);
        if (mismatch) {
            fuzz::check(mismatch->expected <= expected.size(), "a mismatch points into the expected lines");
            fuzz::check(!mismatch->actual || *mismatch->actual < actual.size(), "a mismatch points into the output");
        }
        break;
    }
    default:
        try {
            const docrun::Command c = docrun::split_command(text);
            for (const auto& [name, value] : c.env) fuzz::check(!name.empty(), "an environment name is not empty");
        } catch (const docrun::WordsError&) {
        }
        break;
    }
    return 0;
}

#include "parity.hpp"

#include <algorithm>
#include <vector>

namespace docrun {
namespace {

std::vector<const Block*> runnable(const Doc& doc)
{
    std::vector<const Block*> blocks;
    for (const Block& block : doc.blocks)
        if (!block.norun) blocks.push_back(&block);
    return blocks;
}

std::string where(const Doc& doc, int line) { return doc.path + ":" + std::to_string(line); }

std::string both(const Doc& a, int line_a, const Doc& b, int line_b)
{
    return where(a, line_a) + " and " + where(b, line_b) + ": ";
}

std::string lines_text(const Step& step)
{
    std::string text;
    for (const auto& line : step.expected) text += "\n    " + line.text;
    if (step.exit_line) text += "\n    [exit " + std::to_string(step.exit_code) + "]";
    return text.empty() ? "\n    (not compared)" : text;
}

std::optional<std::string> compare_steps(const Doc& a, const Step& sa, const Doc& b, const Step& sb)
{
    if (sa.text != sb.text)
        return both(a, sa.line, b, sb.line) + "the commands differ:\n  " + sa.text + "\n  " + sb.text;
    std::vector<std::string> ea, eb;
    for (const auto& line : sa.expected) ea.push_back(line.text);
    for (const auto& line : sb.expected) eb.push_back(line.text);
    if (ea != eb || sa.exit_code != sb.exit_code || sa.exit_line.has_value() != sb.exit_line.has_value()) {
        std::size_t i = 0;
        while (i < ea.size() && i < eb.size() && ea[i] == eb[i]) ++i;
        const int la = i < sa.expected.size() ? sa.expected[i].line : sa.line;
        const int lb = i < sb.expected.size() ? sb.expected[i].line : sb.line;
        return both(a, la, b, lb) + "the expected output of `" + sa.text + "` differs:\n  " + a.path + ":" +
               lines_text(sa) + "\n  " + b.path + ":" + lines_text(sb);
    }
    return std::nullopt;
}

} // namespace

std::optional<std::string> parity_difference(const Doc& a, const Doc& b)
{
    const auto ba = runnable(a), bb = runnable(b);
    for (std::size_t k = 0; k < std::min(ba.size(), bb.size()); ++k) {
        const Block& x = *ba[k];
        const Block& y = *bb[k];
        if (x.info != y.info)
            return both(a, x.line, b, y.line) + "runnable block " + std::to_string(k + 1) +
                   " has different info strings: 'console " + x.info + "' and 'console " + y.info + "'";
        for (std::size_t s = 0; s < std::min(x.steps.size(), y.steps.size()); ++s)
            if (auto difference = compare_steps(a, a.steps[x.steps[s]], b, b.steps[y.steps[s]])) return difference;
        if (x.steps.size() != y.steps.size()) {
            const bool a_longer = x.steps.size() > y.steps.size();
            const Doc& longer = a_longer ? a : b;
            const Block& lb = a_longer ? x : y;
            const Block& sb = a_longer ? y : x;
            const Doc& shorter = a_longer ? b : a;
            const Step& extra = longer.steps[lb.steps[std::min(x.steps.size(), y.steps.size())]];
            return where(longer, extra.line) + ": `" + extra.text + "` has no counterpart in " +
                   where(shorter, sb.end_line) + " (that block ends with " + std::to_string(sb.steps.size()) +
                   " commands, this one has " + std::to_string(lb.steps.size()) + ")";
        }
    }
    if (ba.size() != bb.size()) {
        const bool a_longer = ba.size() > bb.size();
        const Doc& longer = a_longer ? a : b;
        const Doc& shorter = a_longer ? b : a;
        const auto& shorter_blocks = a_longer ? bb : ba;
        const Block& extra = *(a_longer ? ba : bb)[shorter_blocks.size()];
        const int end = shorter_blocks.empty() ? 1 : shorter_blocks.back()->end_line;
        return where(longer, extra.line) + ": runnable block " + std::to_string(shorter_blocks.size() + 1) +
               " has no counterpart in " + where(shorter, end) + " (" + shorter.path + " has " +
               std::to_string(shorter_blocks.size()) + " runnable blocks, " + longer.path + " has " +
               std::to_string((a_longer ? ba : bb).size()) + ")";
    }
    return std::nullopt;
}

} // namespace docrun

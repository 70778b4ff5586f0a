#include "markdown.hpp"

#include <cctype>
#include <fstream>
#include <sstream>

#include "error.hpp"
#include "match.hpp"

namespace docrun {
namespace {

std::string_view ltrim(std::string_view s)
{
    const auto start = s.find_first_not_of(" \t");
    return start == std::string_view::npos ? std::string_view{} : s.substr(start);
}

std::string_view trim(std::string_view s) { return rstrip(ltrim(s)); }

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::vector<std::string_view> split_words(std::string_view s)
{
    std::vector<std::string_view> words;
    std::size_t i = 0;
    while (true) {
        i = s.find_first_not_of(" \t", i);
        if (i == std::string_view::npos) break;
        auto end = s.find_first_of(" \t", i);
        if (end == std::string_view::npos) end = s.size();
        words.push_back(s.substr(i, end - i));
        i = end;
    }
    return words;
}

// "**Follows:** seed 002" -> "Follows: seed 002"; "[text](url)" -> "text".
std::string plain_text(std::string_view s)
{
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s.substr(i, 2) == "**" || s.substr(i, 2) == "__") { ++i; continue; }
        if (s[i] == ']' && i + 1 < s.size() && s[i + 1] == '(') {
            const auto close = s.find(')', i);
            if (close != std::string_view::npos) { i = close; continue; }
        }
        if (s[i] == '[') {
            const auto close = s.find(']', i);
            if (close != std::string_view::npos && close + 1 < s.size() && s[close + 1] == '(') continue;
        }
        out += s[i];
    }
    return out;
}

// An opening or closing fence: ``` or ~~~, three or more.
struct Fence {
    char mark = 0;
    std::size_t length = 0;
    std::size_t indent = 0;
    std::string_view info;
};

std::optional<Fence> read_fence(std::string_view line)
{
    const std::string_view text = ltrim(line);
    if (text.size() < 3 || (text[0] != '`' && text[0] != '~')) return std::nullopt;
    Fence fence;
    fence.mark = text[0];
    while (fence.length < text.size() && text[fence.length] == fence.mark) ++fence.length;
    if (fence.length < 3) return std::nullopt;
    fence.indent = line.size() - text.size();
    fence.info = trim(text.substr(fence.length));
    if (fence.mark == '`' && fence.info.find('`') != std::string_view::npos) return std::nullopt;
    return fence;
}

bool valid_host(std::string_view name)
{
    if (name.empty()) return false;
    for (char c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
    return true;
}

// "[exit 3]" -> 3.
std::optional<int> exit_line(std::string_view line)
{
    if (!starts_with(line, "[exit ") || line.back() != ']') return std::nullopt;
    const auto digits = line.substr(6, line.size() - 7);
    if (digits.empty() || digits.size() > 3) return std::nullopt;
    int value = 0;
    for (char c : digits) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value <= 255 ? std::optional<int>(value) : std::nullopt;
}

class Parser {
public:
    Parser(const std::string& path) { doc_.path = path; }

    Doc run(std::string_view text)
    {
        int number = 0;
        std::size_t start = 0;
        while (start <= text.size()) {
            auto end = text.find('\n', start);
            if (end == std::string_view::npos) end = text.size();
            if (start == text.size() && end == start) break;
            line(++number, rstrip(text.substr(start, end - start)));
            start = end + 1;
        }
        if (fence_)
            throw DocError(doc_.path, fence_line_, "this code fence is never closed");
        end_paragraph();
        if (doc_.follows.empty()) doc_.follows = intro_;
        return std::move(doc_);
    }

private:
    void line(int number, std::string_view text)
    {
        if (fence_) return inside_fence(number, text);
        if (const auto fence = read_fence(text)) return open_fence(number, *fence);
        const std::string_view body = ltrim(text);
        if (body.empty()) return end_paragraph();
        if (heading(number, body)) return;
        // "Follows:" anywhere before the first "##" section names the seed.
        std::string plain = plain_text(body);
        if (starts_with(plain, "> ")) plain.erase(0, 2);
        if (doc_.follows.empty() && !in_section_ && starts_with(plain, "Follows:")) doc_.follows = plain;
        if (!paragraph_.empty()) paragraph_ += ' ';
        paragraph_ += plain;
    }

    bool heading(int number, std::string_view body)
    {
        std::size_t level = 0;
        while (level < body.size() && body[level] == '#') ++level;
        if (level == 0 || level > 6 || level >= body.size() || body[level] != ' ') return false;
        end_paragraph();
        if (level > 3) return true;  // deeper headings are not narrated
        std::string_view title = trim(body.substr(level));
        while (!title.empty() && title.back() == '#') title = rstrip(title.substr(0, title.size() - 1));
        Heading h{static_cast<int>(level), plain_text(title), number, {}};
        while (!path_.empty() && doc_.headings[path_.back()].level >= h.level) path_.pop_back();
        path_.push_back(doc_.headings.size());
        lead_for_ = doc_.headings.size();
        if (h.level == 1 && doc_.title.empty()) doc_.title = h.text;
        if (h.level >= 2) in_section_ = true;
        doc_.headings.push_back(std::move(h));
        return true;
    }

    void end_paragraph()
    {
        if (paragraph_.empty()) return;
        if (lead_for_ && doc_.headings[*lead_for_].lead.empty()) {
            doc_.headings[*lead_for_].lead = first_sentence(paragraph_);
            if (doc_.headings[*lead_for_].level == 1 && intro_.empty()) intro_ = doc_.headings[*lead_for_].lead;
        }
        lead_for_.reset();
        paragraph_.clear();
    }

    void open_fence(int number, const Fence& fence)
    {
        end_paragraph();
        lead_for_.reset();
        fence_ = fence;
        fence_line_ = number;
        const auto words = split_words(fence.info);
        console_ = !words.empty() && words[0] == "console";
        if (!console_) return;
        Block block;
        block.line = number;
        block.headings = path_;
        for (std::size_t i = 1; i < words.size(); ++i) {
            const auto word = words[i];
            if (!block.info.empty()) block.info += ' ';
            block.info += word;
            if (word == "norun") block.norun = true;
            else if (starts_with(word, "host=") && valid_host(word.substr(5))) block.host = word.substr(5);
            else
                throw DocError(doc_.path, number, "unknown word '" + std::string(word) +
                               "' after ```console (known: host=NAME, norun)");
        }
        doc_.blocks.push_back(std::move(block));
    }

    void inside_fence(int number, std::string_view text)
    {
        if (const auto close = read_fence(text);
            close && close->mark == fence_->mark && close->length >= fence_->length && close->info.empty()) {
            if (console_) close_block(number);
            fence_.reset();
            return;
        }
        if (!console_) return;
        // Content lines lose the fence's own indentation (a fence inside a list item).
        std::size_t cut = 0;
        while (cut < fence_->indent && cut < text.size() && text[cut] == ' ') ++cut;
        text = text.substr(cut);
        Block& block = doc_.blocks.back();
        if (block.norun) {
            block.lines.emplace_back(text);
            return;
        }
        command_line(number, text);
    }

    void command_line(int number, std::string_view text)
    {
        Block& block = doc_.blocks.back();
        if (continuing_) {
            std::string_view more = ltrim(text);
            if (starts_with(more, "> ")) more.remove_prefix(2);
            else more = text;
            Step& step = doc_.steps.back();
            step.shown += "\n" + std::string(text);
            step.text += std::string(more);
            continue_step(step);
            return;
        }
        if (text == "$" || starts_with(text, "$ ")) {
            Step step;
            step.line = number;
            step.block = doc_.blocks.size() - 1;
            step.headings = block.headings;
            step.shown = std::string(text.substr(text.size() > 1 ? 2 : 1));
            step.text = step.shown;
            block.steps.push_back(doc_.steps.size());
            doc_.steps.push_back(std::move(step));
            continue_step(doc_.steps.back());
            return;
        }
        if (block.steps.empty()) {
            if (text.empty()) return;
            throw DocError(doc_.path, number,
                           "output before any command in a console block (commands start with '$ ')");
        }
        doc_.steps.back().expected.push_back({number, std::string(text)});
    }

    // A trailing backslash continues the command on the next line.
    void continue_step(Step& step)
    {
        continuing_ = !step.text.empty() && step.text.back() == '\\';
        if (continuing_) step.text.pop_back();
    }

    void close_block(int number)
    {
        Block& block = doc_.blocks.back();
        block.end_line = number;
        if (continuing_)
            throw DocError(doc_.path, doc_.steps.back().line, "the command's last line ends with '\\' but the block ends");
        for (std::size_t index : block.steps) finish_step(doc_.steps[index]);
    }

    void finish_step(Step& step)
    {
        auto& expected = step.expected;
        while (!expected.empty() && expected.back().text.empty()) expected.pop_back();
        if (!expected.empty()) {
            if (const auto code = exit_line(expected.back().text)) {
                step.exit_code = *code;
                step.exit_line = expected.back().line;
                expected.pop_back();
                while (!expected.empty() && expected.back().text.empty()) expected.pop_back();
            }
        }
        if (trim(step.text).empty()) throw DocError(doc_.path, step.line, "empty command after '$'");
        try {
            step.command = split_command(step.text);
        } catch (const WordsError& e) {
            throw DocError(doc_.path, step.line, e.what());
        }
        if (step.command.background && step.exit_line)
            throw DocError(doc_.path, *step.exit_line,
                           "a background command's exit is not checked: remove this '[exit N]'");
        step.text = std::string(trim(step.text));
    }

    Doc doc_;
    std::optional<Fence> fence_;
    int fence_line_ = 0;
    bool console_ = false;
    bool continuing_ = false;
    bool in_section_ = false;
    std::vector<std::size_t> path_;          // current heading path
    std::optional<std::size_t> lead_for_;    // heading waiting for its first paragraph
    std::string paragraph_;
    std::string intro_;
};

} // namespace

std::size_t Doc::host_steps() const
{
    std::size_t count = 0;
    for (const Step& step : steps) count += blocks[step.block].host.empty() ? 0 : 1;
    return count;
}

std::string first_sentence(std::string_view paragraph)
{
    const std::string text = plain_text(trim(paragraph));
    std::size_t end = text.size();
    for (std::size_t i = 0; i + 1 < text.size(); ++i) {
        const char c = text[i];
        if ((c == '.' || c == '!' || c == '?' || c == ':') && text[i + 1] == ' ') { end = i + 1; break; }
    }
    return text.substr(0, end);
}

Doc parse_doc(const std::string& path, std::string_view text)
{
    return Parser(path).run(text);
}

Doc load_doc(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw DocError(path, 1, "cannot read this file");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_doc(path, text.str());
}

} // namespace docrun

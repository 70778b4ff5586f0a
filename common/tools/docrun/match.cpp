#include "match.hpp"

#include <cctype>
#include <utility>

namespace docrun {
namespace {

enum class Kind { literal, port, number, any };
struct Token {
    Kind kind;
    std::string_view text;  // for literals
};

std::vector<Token> tokenize(std::string_view pattern)
{
    static constexpr std::pair<std::string_view, Kind> placeholders[] = {
        {"{PORT}", Kind::port}, {"{N}", Kind::number}, {"{ANY}", Kind::any}};
    std::vector<Token> tokens;
    std::size_t start = 0, i = 0;
    while (i < pattern.size()) {
        bool found = false;
        for (const auto& [name, kind] : placeholders) {
            if (pattern.substr(i, name.size()) == name) {
                if (i > start) tokens.push_back({Kind::literal, pattern.substr(start, i - start)});
                tokens.push_back({kind, {}});
                i += name.size();
                start = i;
                found = true;
                break;
            }
        }
        if (!found) ++i;
    }
    if (start < pattern.size()) tokens.push_back({Kind::literal, pattern.substr(start)});
    return tokens;
}

bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

// Does `line` match `tokens`? Dynamic programming from the last token back:
// after[pos] says whether the tokens after the current one match line[pos..].
// Each (token, position) is decided once in O(1), so a line of n bytes and k
// tokens costs O(k * n), however many {ANY} there are (backtracking over
// {ANY} took O(k * n^2): minutes for a 20 KB line). No recursion: a long line
// cannot overflow the stack.
bool match_tokens(const std::vector<Token>& tokens, std::string_view line)
{
    const std::size_t n = line.size();
    // digits[pos]: how many digits start at pos.
    std::vector<std::size_t> digits(n + 1, 0);
    for (std::size_t pos = n; pos-- > 0;) digits[pos] = is_digit(line[pos]) ? digits[pos + 1] + 1 : 0;

    std::vector<char> after(n + 1, 0), here(n + 1, 0);
    after[n] = 1;  // no tokens left: only the end of the line matches
    std::vector<std::size_t> count(n + 2, 0);  // count[i]: how many of after[0..i) are true
    for (std::size_t t = tokens.size(); t-- > 0;) {
        const Token& token = tokens[t];
        for (std::size_t i = 0; i <= n; ++i) count[i + 1] = count[i] + (after[i] ? 1 : 0);
        // Is after[] true anywhere in [first, last]?
        auto any_after = [&](std::size_t first, std::size_t last) { return count[last + 1] > count[first]; };
        for (std::size_t pos = n + 1; pos-- > 0;) {
            bool ok = false;
            switch (token.kind) {
            case Kind::literal:
                ok = line.substr(pos, token.text.size()) == token.text && pos + token.text.size() <= n &&
                     after[pos + token.text.size()];
                break;
            case Kind::any:  // stop here, or take one more byte
                ok = after[pos] || (pos < n && here[pos + 1]);
                break;
            case Kind::port:
            case Kind::number: {
                const std::size_t sign = (token.kind == Kind::number && pos < n && line[pos] == '-') ? 1 : 0;
                std::size_t run = pos + sign <= n ? digits[pos + sign] : 0;
                if (token.kind == Kind::port && run > 5) run = 5;
                ok = run >= 1 && any_after(pos + sign + 1, pos + sign + run);
                break;
            }
            }
            here[pos] = ok ? 1 : 0;
        }
        std::swap(after, here);
    }
    return after[0] != 0;
}

} // namespace

std::string_view rstrip(std::string_view text)
{
    const auto end = text.find_last_not_of(" \t\r");
    return end == std::string_view::npos ? std::string_view{} : text.substr(0, end + 1);
}

std::vector<std::string> split_lines(std::string_view output)
{
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < output.size()) {
        auto end = output.find('\n', start);
        if (end == std::string_view::npos) end = output.size();
        lines.emplace_back(rstrip(output.substr(start, end - start)));
        start = end + 1;
    }
    while (!lines.empty() && lines.back().empty()) lines.pop_back();
    return lines;
}

bool line_matches(std::string_view expected, std::string_view actual)
{
    return match_tokens(tokenize(rstrip(expected)), rstrip(actual));
}

std::optional<Mismatch> match_lines(const std::vector<std::string>& expected,
                                    const std::vector<std::string>& actual)
{
    // reach[i][j]: the first i expected lines match the first j actual lines.
    const std::size_t n = expected.size(), m = actual.size();
    std::vector<std::vector<bool>> reach(n + 1, std::vector<bool>(m + 1, false));
    reach[0][0] = true;
    for (std::size_t i = 0; i < n; ++i) {
        const bool wildcard = rstrip(expected[i]) == any_lines;
        bool reached = false;
        for (std::size_t j = 0; j <= m; ++j) {
            reached = reached || reach[i][j];
            if (wildcard) reach[i + 1][j] = reached;
            else if (reach[i][j] && j < m && line_matches(expected[i], actual[j])) reach[i + 1][j + 1] = true;
        }
    }
    if (reach[n][m]) return std::nullopt;

    // The furthest expected line reached, and the furthest actual line there.
    std::size_t i = n;
    while (true) {
        for (std::size_t j = m + 1; j-- > 0;) {
            if (!reach[i][j]) continue;
            Mismatch mismatch;
            mismatch.expected = i;
            if (j < m) mismatch.actual = j;
            mismatch.after_any_lines = i > 0 && i < n && rstrip(expected[i - 1]) == any_lines;
            return mismatch;
        }
        --i;  // reach[0][0] is true, so this stops
    }
}

} // namespace docrun

#include "match.hpp"

#include <cctype>

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

// Backtracking over the tokens, memoised on (token, position) so that several
// {ANY} on a long line stay cheap.
class LineMatcher {
public:
    LineMatcher(std::vector<Token> tokens, std::string_view line)
        : tokens_(std::move(tokens)), line_(line),
          failed_((tokens_.size() + 1) * (line.size() + 1), false) {}

    bool match(std::size_t t, std::size_t pos)
    {
        if (t == tokens_.size()) return pos == line_.size();
        const std::size_t key = t * (line_.size() + 1) + pos;
        if (failed_[key]) return false;
        if (try_token(t, pos)) return true;
        failed_[key] = true;
        return false;
    }

private:
    bool try_token(std::size_t t, std::size_t pos)
    {
        const Token& token = tokens_[t];
        const std::string_view rest = line_.substr(pos);
        switch (token.kind) {
        case Kind::literal:
            return rest.substr(0, token.text.size()) == token.text && match(t + 1, pos + token.text.size());
        case Kind::any:
            for (std::size_t end = line_.size() + 1; end-- > pos;)
                if (match(t + 1, end)) return true;
            return false;
        case Kind::port:
        case Kind::number: {
            std::size_t sign = (token.kind == Kind::number && !rest.empty() && rest[0] == '-') ? 1 : 0;
            std::size_t digits = 0;
            while (sign + digits < rest.size() && is_digit(rest[sign + digits])) ++digits;
            if (token.kind == Kind::port && digits > 5) digits = 5;
            for (std::size_t n = digits; n >= 1; --n)
                if (match(t + 1, pos + sign + n)) return true;
            return false;
        }
        }
        return false;
    }

    std::vector<Token> tokens_;
    std::string_view line_;
    std::vector<bool> failed_;
};

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
    LineMatcher matcher(tokenize(rstrip(expected)), rstrip(actual));
    return matcher.match(0, 0);
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

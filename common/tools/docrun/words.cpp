#include "words.hpp"

#include <cctype>

namespace docrun {
namespace {

bool is_name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || std::isdigit(static_cast<unsigned char>(c)); }

[[noreturn]] void refuse_operator(std::string_view op)
{
    throw WordsError("pipes and redirections are not supported in doc commands (unquoted '" +
                     std::string(op) + "'; doc commands run without a shell)");
}

// Refuses "$(", "${", "$NAME"; a lone "$" is literal, as in a shell.
void check_dollar(std::string_view text, std::size_t i)
{
    if (i + 1 >= text.size()) return;
    const char next = text[i + 1];
    if (next == '(')
        throw WordsError("command substitution is not supported in doc commands ('$(')");
    if (next == '{' || is_name_start(next)) {
        std::size_t end = i + 1;
        while (end < text.size() && (is_name_char(text[end]) || text[end] == '{' || text[end] == '}')) ++end;
        throw WordsError("shell variables are not expanded in doc commands ('" +
                         std::string(text.substr(i, end - i)) +
                         "'); write the value, or put it in '...' to pass it literally");
    }
}

// One word being built, and whether it can still be a NAME=value assignment.
struct Word {
    std::string text;
    bool started = false;
    bool name_quoted = false;  // a quoted or escaped character came before any '='
    std::size_t equals = std::string::npos;

    void add(char c, bool quoted)
    {
        started = true;
        if (equals == std::string::npos) {
            if (quoted) name_quoted = true;
            else if (c == '=' && !name_quoted && !text.empty() && is_name_start(text[0])) {
                bool name = true;
                for (char n : text) name = name && is_name_char(n);
                if (name) equals = text.size();
            }
        }
        text += c;
    }
    bool is_assignment() const { return equals != std::string::npos; }
};

} // namespace

Command split_command(std::string_view text)
{
    enum class State { plain, single, dbl } state = State::plain;
    std::vector<Word> words;
    Word word;
    bool background = false;
    const auto finish = [&] {
        if (word.started) words.push_back(word);
        word = Word{};
    };

    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (state == State::single) {
            if (c == '\'') state = State::plain;
            else word.add(c, true);
            continue;
        }
        if (state == State::dbl) {
            if (c == '"') state = State::plain;
            else if (c == '\\' && i + 1 < text.size() && std::string_view("\"\\$`").find(text[i + 1]) != std::string_view::npos)
                word.add(text[++i], true);
            else if (c == '`') throw WordsError("command substitution is not supported in doc commands ('`')");
            else {
                if (c == '$') check_dollar(text, i);
                word.add(c, true);
            }
            continue;
        }
        switch (c) {
        case ' ': case '\t': case '\n': case '\r': finish(); break;
        case '\'': word.started = true; word.name_quoted |= !word.is_assignment(); state = State::single; break;
        case '"': word.started = true; word.name_quoted |= !word.is_assignment(); state = State::dbl; break;
        case '\\':
            if (i + 1 >= text.size()) throw WordsError("a backslash ends the command: nothing follows it");
            word.add(text[++i], true);
            break;
        case '#':
            if (!word.started) i = text.size();  // a comment runs to the end
            else word.add(c, false);
            break;
        case '|': refuse_operator(i + 1 < text.size() && text[i + 1] == '|' ? "||" : "|");
        case ';': refuse_operator(";");
        case '<': refuse_operator("<");
        case '>': refuse_operator(">");
        case '`': throw WordsError("command substitution is not supported in doc commands ('`')");
        case '(': case ')':
            throw WordsError(std::string("unquoted '") + c + "' is shell syntax; put it in quotes");
        case '&': {
            if (i + 1 < text.size() && text[i + 1] == '&') refuse_operator("&&");
            const auto rest = text.substr(i + 1);
            if (rest.find_first_not_of(" \t\r\n") != std::string_view::npos) refuse_operator("&");
            background = true;
            i = text.size();
            break;
        }
        case '$': check_dollar(text, i); word.add(c, false); break;
        default: word.add(c, false);
        }
    }
    if (state != State::plain)
        throw WordsError(std::string("unclosed ") + (state == State::single ? "'" : "\"") + " quote");
    finish();

    Command command;
    command.background = background;
    std::size_t k = 0;
    for (; k < words.size() && words[k].is_assignment(); ++k)
        command.env.emplace_back(words[k].text.substr(0, words[k].equals), words[k].text.substr(words[k].equals + 1));
    for (; k < words.size(); ++k) command.argv.push_back(words[k].text);
    if (command.argv.empty())
        throw WordsError(background ? "nothing to run in the background" : "no program to run");
    return command;
}

} // namespace docrun

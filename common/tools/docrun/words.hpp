// Splits a doc command into words the way a POSIX shell would, but without a
// shell: quotes and backslashes are understood; pipes, redirections, command
// substitution and variables are refused, so that what the runner executes is
// exactly the argument vector a reader sees.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace docrun {

struct Command {
    std::vector<std::pair<std::string, std::string>> env;  // leading NAME=value words
    std::vector<std::string> argv;                         // argv[0] is the program
    bool background = false;                               // ended with " &"
};

// Thrown with a message that has no file:line (the caller adds it).
class WordsError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// "A=1 lab01-client --message 'hi there' &" -> env {A=1},
// argv {lab01-client, --message, hi there}, background.
// Rules: whitespace separates words; '...' is literal; in "..." only \" \\ \$
// and \` are escapes; outside quotes \x is x; an unquoted # at the start of a
// word begins a comment. Throws WordsError on | ; < > && ( ) $( ` $VAR and
// unclosed quotes.
Command split_command(std::string_view text);

} // namespace docrun

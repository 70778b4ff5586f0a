// Compares a command's real output with the lines a doc expects.
//
// Expected lines are literal text, except:
//   ...       (a whole line) any number of lines, including none
//   {PORT}    a port number: 1 to 5 digits
//   {N}       an integer: an optional '-' and digits
//   {ANY}     any text on the line, including none
// Trailing whitespace is ignored on both sides, and so are blank lines at the
// end of the output. No other character is special.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace docrun {

inline constexpr std::string_view any_lines = "...";

// The text without trailing spaces, tabs and carriage returns.
std::string_view rstrip(std::string_view text);

// Output split at '\n', each line right-stripped, blank lines at the end dropped.
std::vector<std::string> split_lines(std::string_view output);

// Does one actual line match one expected line (with {PORT}, {N}, {ANY})?
bool line_matches(std::string_view expected, std::string_view actual);

// Where a comparison failed: the first expected line that could not be
// matched (index == expected.size() when the output has lines left over),
// and the actual line it met (nullopt: the output had ended).
struct Mismatch {
    std::size_t expected = 0;
    std::optional<std::size_t> actual;
    bool after_any_lines = false;  // the expected line follows "...": it was looked for, not found
};

// nullopt when `actual` matches `expected` line for line.
std::optional<Mismatch> match_lines(const std::vector<std::string>& expected,
                                    const std::vector<std::string>& actual);

} // namespace docrun

// `netlabs-docrun parity EN.md KO.md`: the two languages of a doc must hold
// the same runnable console blocks (not norun ones), in the same order, with
// the same info strings, commands, expected output and [exit N]. Prose, and
// the text of norun blocks, may differ.
#pragma once

#include <optional>
#include <string>

#include "doc.hpp"

namespace docrun {

// nullopt when they agree; else the first difference, naming file:line in
// both docs ("docs/en/lab01.md:57 and docs/ko/lab01.md:61: the commands differ ...").
std::optional<std::string> parity_difference(const Doc& a, const Doc& b);

} // namespace docrun

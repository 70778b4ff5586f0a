// DocError: something wrong in a doc or in running it, reported as
// "docs/en/lab01.md:57: <message>" (the path and line come first, so an
// editor or a terminal can jump to the place).
#pragma once

#include <stdexcept>
#include <string>

namespace docrun {

class DocError : public std::runtime_error {
public:
    DocError(const std::string& path, int line, const std::string& message)
        : std::runtime_error(path + ":" + std::to_string(line) + ": " + message) {}
};

} // namespace docrun

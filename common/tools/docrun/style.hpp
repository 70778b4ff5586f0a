// ANSI styles for the tour: on only when standard output is a terminal,
// NO_COLOR is unset (https://no-color.org) and --no-color was not given.
#pragma once

#include <cstdlib>
#include <string>
#include <string_view>

#include <unistd.h>

namespace docrun {

class Style {
public:
    explicit Style(bool on) : on_(on) {}
    static bool wanted(bool no_color_option)
    {
        const char* no_color = std::getenv("NO_COLOR");
        return !no_color_option && !(no_color && *no_color) && isatty(STDOUT_FILENO);
    }

    std::string bold(std::string_view s) const { return wrap("1", s); }
    std::string dim(std::string_view s) const { return wrap("2", s); }
    std::string red(std::string_view s) const { return wrap("31", s); }
    std::string green(std::string_view s) const { return wrap("32", s); }
    std::string cyan(std::string_view s) const { return wrap("36", s); }
    std::string magenta(std::string_view s) const { return wrap("35", s); }

private:
    std::string wrap(std::string_view code, std::string_view s) const
    {
        if (!on_) return std::string(s);
        return "\x1b[" + std::string(code) + "m" + std::string(s) + "\x1b[0m";
    }
    bool on_;
};

} // namespace docrun

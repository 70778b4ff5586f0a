// What a peer sent, safe to print in a log: a control byte (a terminal
// escape, say, or NUL) becomes \xNN instead of reaching the terminal that
// shows the log. Bytes from 0x80 up stay: they are how UTF-8 writes Korean.
//
//   the bytes ESC [ 3 1 m r e d SOH  ->  the text \x1b[31mred\x01
#pragma once

#include <string>
#include <string_view>

namespace netlabs {

inline std::string printable(std::string_view data)
{
    static constexpr char hex[] = "0123456789abcdef";
    std::string shown;
    shown.reserve(data.size());
    for (const char c : data) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\t') || u == 0x7f) {
            shown += "\\x";
            shown += hex[u >> 4];
            shown += hex[u & 0xf];
        } else {
            shown += c;
        }
    }
    return shown;
}

} // namespace netlabs

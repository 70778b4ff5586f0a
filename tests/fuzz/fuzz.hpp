// What the fuzz targets share: the input as text, and a check that stops the
// run (a crash libFuzzer records, a failure in the replay) with a message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace fuzz {

inline std::string_view text(const std::uint8_t* data, std::size_t size)
{
    return {reinterpret_cast<const char*>(data), size};
}

// A property every input must keep; a broken one is a bug in the parser.
inline void check(bool ok, const char* what)
{
    if (ok) return;
    std::fprintf(stderr, "fuzz check failed: %s\n", what);
    std::abort();
}

// Takes the first byte (0 when there is none) to choose among a target's parsers.
inline std::uint8_t take_byte(const std::uint8_t*& data, std::size_t& size)
{
    if (size == 0) return 0;
    const std::uint8_t b = *data;
    ++data;
    --size;
    return b;
}

} // namespace fuzz

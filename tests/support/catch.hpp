// One include for Catch2 v2 (Debian 12) and v3 (newer systems, Homebrew, vcpkg).
//
// String matchers differ by name between the two (v2 Contains, v3
// ContainsSubstring); tests use the `match::` names below, which work on both.
#pragma once

#include <string>

#if __has_include(<catch2/catch_all.hpp>)
#include <catch2/catch_all.hpp>
namespace match {
inline auto Contains(const std::string& text) { return Catch::Matchers::ContainsSubstring(text); }
} // namespace match
#else
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <sstream>
// Catch2 v2 has no SKIP: print the line ctest is told means "skipped"
// (tests/CMakeLists.txt) and end the test process at once. The exit code 4
// is what Catch2 v3 returns when it skipped everything it ran.
#define SKIP(why)                                                                                  \
    do {                                                                                           \
        std::ostringstream netlabs_skip_reason_;                                                   \
        netlabs_skip_reason_ << why;                                                               \
        std::printf("netlabs-test-skipped: %s\n", netlabs_skip_reason_.str().c_str());              \
        std::fflush(nullptr);                                                                      \
        std::_Exit(4);                                                                             \
    } while (false)
namespace match {
inline auto Contains(const std::string& text) { return Catch::Matchers::Contains(text); }
} // namespace match
#endif

namespace match {
inline auto StartsWith(const std::string& text) { return Catch::Matchers::StartsWith(text); }
inline auto EndsWith(const std::string& text) { return Catch::Matchers::EndsWith(text); }
inline auto Matches(const std::string& regex) { return Catch::Matchers::Matches(regex); }
} // namespace match

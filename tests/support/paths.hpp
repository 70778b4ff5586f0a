// Where the build put the programs, where the course's sources are, and the
// Python the interop tests run. They come from CMake, but only paths.cpp is
// compiled with them: every other test file then compiles the same in any
// checkout, so ccache reuses it (the student edition's build in CI).
#pragma once

#include <string>

namespace netlabs::test {

std::string bin_dir();             // <build>/bin
std::string source_dir();          // the repository's root
std::string python_interpreter();  // "" when CMake found no python3

} // namespace netlabs::test

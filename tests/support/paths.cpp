#include "paths.hpp"

namespace netlabs::test {

std::string bin_dir() { return NETLABS_BIN_DIR; }
std::string source_dir() { return NETLABS_SOURCE_DIR; }
std::string python_interpreter() { return NETLABS_PYTHON; }

} // namespace netlabs::test

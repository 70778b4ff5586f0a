// The course's folder as CMake saw it, in a file of its own: main.cpp then
// compiles the same in every checkout, so ccache can reuse it.
#include <string>

namespace netlabs::netlab {

std::string configured_source_dir() { return NETLABS_SOURCE_DIR; }

} // namespace netlabs::netlab

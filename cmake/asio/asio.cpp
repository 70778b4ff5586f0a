// asio's own functions, compiled once for the whole build.
//
// asio is header-only: by default every file that includes it compiles its
// socket, resolver and scheduler code again. With ASIO_SEPARATE_COMPILATION
// (set on netlabs::asio) the headers only declare them, and this file is
// where they are defined. A learner's code does not change.
#include <asio/impl/src.hpp>

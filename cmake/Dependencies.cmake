# Finds the course's dependencies on the system first (Debian/Ubuntu packages,
# Homebrew, vcpkg) and falls back to a pinned FetchContent download only for
# what is missing, so that nothing is downloaded where the packages are there.
#
# Offline, or to build exactly what a learner without the packages builds:
#   NETLABS_DEPS_DIR=DIR      take each fallback from DIR's source archives
#                             (the files pinned below, SHA-256 checked) instead
#                             of the network; also read from the environment
#   NETLABS_PREFER_SYSTEM=OFF ignore the system's packages: every dependency
#                             through the fallback (the portable preset)
# The FetchContent_Declare lines stay the same either way: only where the
# sources come from differs.
#
# Targets provided:
#   netlabs::asio      standalone asio (ASIO_STANDALONE, compiled once: cmake/asio/)
#   netlabs::httplib   cpp-httplib
#   CLI11::CLI11, nlohmann_json::nlohmann_json
#   Catch2::Catch2WithMain (v2 or v3; tests/support/catch.hpp hides which)

include(FetchContent)
find_package(Threads REQUIRED)

option(NETLABS_PREFER_SYSTEM "Use a dependency's system package where there is one (OFF: always the pinned fallback)" ON)
if(NOT DEFINED NETLABS_DEPS_DIR AND DEFINED ENV{NETLABS_DEPS_DIR})
  set(NETLABS_DEPS_DIR "$ENV{NETLABS_DEPS_DIR}")
endif()
set(NETLABS_DEPS_DIR "${NETLABS_DEPS_DIR}" CACHE PATH
  "A folder with the pinned source archives of the dependencies (offline fallback; empty: download)")

# The archives NETLABS_DEPS_DIR holds, one per FetchContent name: the file
# (`git archive` of the tag the FetchContent_Declare below pins, with the
# folder <file without .tar.gz> at its top) and its SHA-256.
set(netlabs_archive_asio    asio-1-28-0.tar.gz        6e44056f34f64332027987bdb0dc82a61552eded279d1fcd9ce7af48ae648738)
set(netlabs_archive_httplib cpp-httplib-0.14.3.tar.gz de23a7db37ee6971c4f607c572b5c4cbacf1a8ea51ee31b6880b3c4ff8827bb8)
set(netlabs_archive_cli11   cli11-2.3.2.tar.gz        3ca26c7a5d48c7367ad9fe83ebd95c42cb20365620f88950d8ed405d68ea2ed7)
set(netlabs_archive_json    json-3.11.3.tar.gz        d24308bff6b19fab43cb6c4eb4babf4e0ecc4fcde835669cad44a7fc90558d20)
set(netlabs_archive_catch2  catch2-3.4.0.tar.gz       43a7845a455f6ce82a68a7a3cb5c65ecaf054fe7e960b74bd63c3606dc7b921f)

# Points FetchContent at the archive of `content` (a FetchContent name) in
# NETLABS_DEPS_DIR: checks its hash, extracts it once under the build folder
# and sets FETCHCONTENT_SOURCE_DIR_<NAME>, so that nothing is downloaded.
function(netlabs_use_archive content)
  list(GET netlabs_archive_${content} 0 file)
  list(GET netlabs_archive_${content} 1 expected)
  set(archive "${NETLABS_DEPS_DIR}/${file}")
  if(NOT EXISTS "${archive}")
    message(FATAL_ERROR "NETLABS_DEPS_DIR: ${archive} does not exist (the pinned source of ${content})")
  endif()
  file(SHA256 "${archive}" actual)
  if(NOT actual STREQUAL expected)
    message(FATAL_ERROR "NETLABS_DEPS_DIR: ${archive} has SHA-256 ${actual}, "
      "not the pinned ${expected}: not the release cmake/Dependencies.cmake expects")
  endif()
  string(REGEX REPLACE "\\.tar\\.gz$" "" top "${file}")
  set(into "${CMAKE_BINARY_DIR}/_deps/archives")
  set(stamp "${into}/${top}.sha256")
  set(have "")
  if(EXISTS "${stamp}")
    file(READ "${stamp}" have)
  endif()
  if(NOT have STREQUAL actual OR NOT IS_DIRECTORY "${into}/${top}")
    file(REMOVE_RECURSE "${into}/${top}")
    file(ARCHIVE_EXTRACT INPUT "${archive}" DESTINATION "${into}")
    file(WRITE "${stamp}" "${actual}")
  endif()
  string(TOUPPER "${content}" upper)
  set(FETCHCONTENT_SOURCE_DIR_${upper} "${into}/${top}" PARENT_SCOPE)
  message(STATUS "${content}: from ${archive} (SHA-256 checked)")
endfunction()

# netlabs_fetch(<display name> <FetchContent name> <FetchContent_Declare arguments>...)
macro(netlabs_fetch name content)
  if(NOT NETLABS_FETCH_DEPS)
    message(FATAL_ERROR
      "${name} was not found on this system and NETLABS_FETCH_DEPS is OFF. "
      "Run './netlabs setup' to install the packages the course needs.")
  endif()
  if(NETLABS_DEPS_DIR)
    netlabs_use_archive(${content})
  elseif(NETLABS_PREFER_SYSTEM)
    message(STATUS "${name}: not found on the system, using a pinned download")
  else()
    message(STATUS "${name}: NETLABS_PREFER_SYSTEM is OFF, using a pinned download")
  endif()
  FetchContent_Declare(${content} ${ARGN})
endmacro()

# --- asio (standalone, header-only) ------------------------------------------
if(NETLABS_PREFER_SYSTEM)
  find_path(NETLABS_ASIO_INCLUDE_DIR asio.hpp)
endif()
if(NOT NETLABS_ASIO_INCLUDE_DIR OR NOT NETLABS_PREFER_SYSTEM)
  netlabs_fetch(asio asio
    GIT_REPOSITORY https://github.com/chriskohlhoff/asio.git
    GIT_TAG asio-1-28-0
    GIT_SHALLOW TRUE)
  FetchContent_MakeAvailable(asio)
  set(NETLABS_ASIO_INCLUDE_DIR ${asio_SOURCE_DIR}/asio/include CACHE PATH "" FORCE)
endif()
# Compiled once (cmake/asio/asio.cpp) rather than in every file that uses it:
# about a sixth of each such file's compile time.
add_library(netlabs_asio STATIC ${CMAKE_CURRENT_LIST_DIR}/asio/asio.cpp)
add_library(netlabs::asio ALIAS netlabs_asio)
target_include_directories(netlabs_asio SYSTEM PUBLIC ${NETLABS_ASIO_INCLUDE_DIR})
target_compile_definitions(netlabs_asio PUBLIC ASIO_STANDALONE ASIO_NO_DEPRECATED ASIO_SEPARATE_COMPILATION)
target_link_libraries(netlabs_asio PUBLIC Threads::Threads)
if(WIN32)
  target_compile_definitions(netlabs_asio PUBLIC _WIN32_WINNT=0x0A00)
  # bcrypt: asio's pipes call BCryptGenRandom; only MSVC links it from asio's #pragma.
  target_link_libraries(netlabs_asio PUBLIC ws2_32 mswsock bcrypt)
endif()
message(STATUS "asio: ${NETLABS_ASIO_INCLUDE_DIR}")

# asio turns on co_spawn and use_awaitable only where its config.hpp knows the
# compiler: asio before 1.24 (Debian 12 ships 1.22) does not know that clang
# 14 compiles the standard <coroutine>. Ask the compiler instead, and tell
# asio when it can.
include(CheckCXXSourceCompiles)
set(CMAKE_REQUIRED_INCLUDES ${NETLABS_ASIO_INCLUDE_DIR})
set(CMAKE_REQUIRED_DEFINITIONS -DASIO_STANDALONE)
set(CMAKE_REQUIRED_QUIET ON)
check_cxx_source_compiles([[
#include <asio/detail/config.hpp>
#if !defined(ASIO_HAS_CO_AWAIT) || !defined(ASIO_HAS_STD_COROUTINE)
#error asio does not see the coroutines
#endif
int main() {}]] NETLABS_ASIO_SEES_COROUTINES)
if(NOT NETLABS_ASIO_SEES_COROUTINES)
  check_cxx_source_compiles([[
#include <coroutine>
struct task {
  struct promise_type {
    task get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};
task f() { co_return; }
int main() { f(); }]] NETLABS_CXX_HAS_COROUTINES)
  if(NOT NETLABS_CXX_HAS_COROUTINES)
    message(FATAL_ERROR "${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION} does not compile C++20 "
      "coroutines (<coroutine>, co_await), which the labs' concurrent programs use: "
      "use g++ 11+, clang 14+ or MSVC 19.28+")
  endif()
  target_compile_definitions(netlabs_asio PUBLIC ASIO_HAS_CO_AWAIT=1 ASIO_HAS_STD_COROUTINE=1)
  message(STATUS "asio: coroutines turned on by hand (this asio does not detect ${CMAKE_CXX_COMPILER_ID}'s)")
endif()
unset(CMAKE_REQUIRED_INCLUDES)
unset(CMAKE_REQUIRED_DEFINITIONS)
unset(CMAKE_REQUIRED_QUIET)

# --- cpp-httplib ----------------------------------------------------------------
# Upstream ships a CMake config; Debian ships only a shared library with a
# pkg-config file; elsewhere we fetch the single header.
add_library(netlabs_httplib INTERFACE)
add_library(netlabs::httplib ALIAS netlabs_httplib)
if(NETLABS_PREFER_SYSTEM)
  find_package(httplib CONFIG QUIET)
  find_package(PkgConfig QUIET)
  if(NOT httplib_FOUND AND PKG_CONFIG_FOUND)
    pkg_check_modules(CPPHTTPLIB QUIET IMPORTED_TARGET cpp-httplib)
  endif()
endif()
if(httplib_FOUND)
  target_link_libraries(netlabs_httplib INTERFACE httplib::httplib)
  message(STATUS "cpp-httplib: CMake config ${httplib_DIR}")
elseif(CPPHTTPLIB_FOUND)
  target_link_libraries(netlabs_httplib INTERFACE PkgConfig::CPPHTTPLIB)
  message(STATUS "cpp-httplib: pkg-config ${CPPHTTPLIB_VERSION}")
else()
  netlabs_fetch(cpp-httplib httplib
    GIT_REPOSITORY https://github.com/yhirose/cpp-httplib.git
    GIT_TAG v0.14.3
    GIT_SHALLOW TRUE)
  # One header: used straight from the sources, without its CMakeLists (which
  # would pick up whatever OpenSSL, zlib or Brotli happen to be installed; the
  # labs speak plain HTTP everywhere).
  # (CMake 3.30 and later deprecate this form of FetchContent_Populate but
  # keep it under CMP0169 OLD: MakeAvailable would add the CMakeLists.)
  if(POLICY CMP0169)
    cmake_policy(SET CMP0169 OLD)
  endif()
  FetchContent_GetProperties(httplib)
  if(NOT httplib_POPULATED)
    FetchContent_Populate(httplib)
  endif()
  target_include_directories(netlabs_httplib SYSTEM INTERFACE ${httplib_SOURCE_DIR})
  target_link_libraries(netlabs_httplib INTERFACE Threads::Threads $<$<BOOL:${WIN32}>:ws2_32>)
endif()

# --- CLI11 ---------------------------------------------------------------------
if(NETLABS_PREFER_SYSTEM)
  find_package(CLI11 CONFIG QUIET)
endif()
if(NOT CLI11_FOUND)
  netlabs_fetch(CLI11 cli11
    GIT_REPOSITORY https://github.com/CLIUtils/CLI11.git
    GIT_TAG v2.3.2
    GIT_SHALLOW TRUE)
  FetchContent_MakeAvailable(cli11)
endif()

# --- nlohmann/json -------------------------------------------------------------
if(NETLABS_PREFER_SYSTEM)
  find_package(nlohmann_json 3.9 CONFIG QUIET)
endif()
if(NOT nlohmann_json_FOUND)
  netlabs_fetch(nlohmann_json json
    GIT_REPOSITORY https://github.com/nlohmann/json.git
    GIT_TAG v3.11.3
    GIT_SHALLOW TRUE)
  FetchContent_MakeAvailable(json)
endif()

# --- Catch2 (v2 on Debian 12, v3 on newer systems) ------------------------------
if(NETLABS_BUILD_TESTS)
  if(NETLABS_PREFER_SYSTEM)
    find_package(Catch2 CONFIG QUIET)
  endif()
  if(NOT Catch2_FOUND)
    netlabs_fetch(Catch2 catch2
      GIT_REPOSITORY https://github.com/catchorg/Catch2.git
      GIT_TAG v3.4.0
      GIT_SHALLOW TRUE)
    FetchContent_MakeAvailable(catch2)
    list(APPEND CMAKE_MODULE_PATH ${catch2_SOURCE_DIR}/extras)
    set(NETLABS_CATCH2_MAJOR 3)
  else()
    list(APPEND CMAKE_MODULE_PATH ${Catch2_DIR})
    string(REGEX MATCH "^[0-9]+" NETLABS_CATCH2_MAJOR "${Catch2_VERSION}")
  endif()
  include(Catch)
  message(STATUS "Catch2: v${NETLABS_CATCH2_MAJOR}")
endif()

# Finds the course's dependencies on the system first (Debian/Ubuntu packages,
# Homebrew, vcpkg) and falls back to a pinned FetchContent download only for
# what is missing, so that nothing is downloaded where the packages are there.
#
# Targets provided:
#   netlabs::asio      standalone asio (ASIO_STANDALONE, compiled once: cmake/asio/)
#   netlabs::httplib   cpp-httplib
#   CLI11::CLI11, nlohmann_json::nlohmann_json
#   Catch2::Catch2WithMain (v2 or v3; tests/support/catch.hpp hides which)

include(FetchContent)
find_package(Threads REQUIRED)

function(netlabs_fetch name)
  if(NOT NETLABS_FETCH_DEPS)
    message(FATAL_ERROR
      "${name} was not found on this system and NETLABS_FETCH_DEPS is OFF. "
      "Run './netlabs setup' to install the packages the course needs.")
  endif()
  message(STATUS "${name}: not found on the system, using a pinned download")
  FetchContent_Declare(${ARGN})
endfunction()

# --- asio (standalone, header-only) ------------------------------------------
find_path(NETLABS_ASIO_INCLUDE_DIR asio.hpp)
if(NOT NETLABS_ASIO_INCLUDE_DIR)
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
  target_link_libraries(netlabs_asio PUBLIC ws2_32 mswsock)
endif()
message(STATUS "asio: ${NETLABS_ASIO_INCLUDE_DIR}")

# --- cpp-httplib ----------------------------------------------------------------
# Upstream ships a CMake config; Debian ships only a shared library with a
# pkg-config file; elsewhere we fetch the single header.
add_library(netlabs_httplib INTERFACE)
add_library(netlabs::httplib ALIAS netlabs_httplib)
find_package(httplib CONFIG QUIET)
if(httplib_FOUND)
  target_link_libraries(netlabs_httplib INTERFACE httplib::httplib)
  message(STATUS "cpp-httplib: CMake config ${httplib_DIR}")
else()
  find_package(PkgConfig QUIET)
  if(PKG_CONFIG_FOUND)
    pkg_check_modules(CPPHTTPLIB QUIET IMPORTED_TARGET cpp-httplib)
  endif()
  if(CPPHTTPLIB_FOUND)
    target_link_libraries(netlabs_httplib INTERFACE PkgConfig::CPPHTTPLIB)
    message(STATUS "cpp-httplib: pkg-config ${CPPHTTPLIB_VERSION}")
  else()
    netlabs_fetch(cpp-httplib httplib
      GIT_REPOSITORY https://github.com/yhirose/cpp-httplib.git
      GIT_TAG v0.14.3
      GIT_SHALLOW TRUE)
    FetchContent_MakeAvailable(httplib)
    target_link_libraries(netlabs_httplib INTERFACE httplib::httplib)
  endif()
endif()

# --- CLI11 ---------------------------------------------------------------------
find_package(CLI11 CONFIG QUIET)
if(NOT CLI11_FOUND)
  netlabs_fetch(CLI11 cli11
    GIT_REPOSITORY https://github.com/CLIUtils/CLI11.git
    GIT_TAG v2.3.2
    GIT_SHALLOW TRUE)
  FetchContent_MakeAvailable(cli11)
endif()

# --- nlohmann/json -------------------------------------------------------------
find_package(nlohmann_json 3.9 CONFIG QUIET)
if(NOT nlohmann_json_FOUND)
  netlabs_fetch(nlohmann_json json
    GIT_REPOSITORY https://github.com/nlohmann/json.git
    GIT_TAG v3.11.3
    GIT_SHALLOW TRUE)
  FetchContent_MakeAvailable(json)
endif()

# --- Catch2 (v2 on Debian 12, v3 on newer systems) ------------------------------
if(NETLABS_BUILD_TESTS)
  find_package(Catch2 CONFIG QUIET)
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

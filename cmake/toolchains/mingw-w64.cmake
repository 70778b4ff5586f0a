# Cross-compiles the course's Windows programs (labs 01 and 05) on Linux with
# MinGW-w64 (Debian/Ubuntu: g++-mingw-w64-x86-64-posix). Used by the
# windows-mingw preset; the dependencies come through the FetchContent
# fallback, as on a Windows machine without vcpkg.
#
# The posix flavour of the compiler: its libstdc++ has std::thread and
# std::mutex (the win32 flavour has neither).
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(NETLABS_MINGW_PREFIX x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${NETLABS_MINGW_PREFIX}-gcc-posix)
set(CMAKE_CXX_COMPILER ${NETLABS_MINGW_PREFIX}-g++-posix)
set(CMAKE_RC_COMPILER ${NETLABS_MINGW_PREFIX}-windres)

# Libraries and headers from the MinGW sysroot only, never the build machine's.
set(CMAKE_FIND_ROOT_PATH /usr/${NETLABS_MINGW_PREFIX})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# One .exe that runs on its own: libstdc++, libgcc and winpthread linked in,
# so a learner can copy it to a Windows machine (or run it under wine)
# without MinGW's DLLs next to it.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")

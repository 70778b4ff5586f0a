#!/bin/sh
# The Windows build of lab01, proven on Linux: cross-compiles the programs of
# labs 01 and 05 with MinGW-w64 (the windows-mingw preset, dependencies from
# the pinned archives), then runs the Windows lab01-server under wine on
# 127.0.0.1, port 0, and the Windows lab01-client against it.
#
# usage: lab01-under-wine.sh SOURCE_DIR DEPS_DIR
# Exits 0 when the client got the server's reply, 1 when anything failed, and
# 77 (ctest: skipped) with one line saying why when MinGW-w64, wine or the
# archives are not here.
set -eu

source_dir=$1
deps_dir=${2:-}

skip() { printf 'skipped: %s\n' "$*"; exit 77; }
fail() { printf 'FAILED: %s\n' "$*"; exit 1; }

command -v x86_64-w64-mingw32-g++-posix >/dev/null 2>&1 ||
    skip "no MinGW-w64 compiler (x86_64-w64-mingw32-g++-posix; Debian: g++-mingw-w64-x86-64-posix)"
command -v wine >/dev/null 2>&1 || skip "no wine to run the Windows programs (Debian: wine64)"
[ -n "$deps_dir" ] && [ -d "$deps_dir" ] ||
    skip "no pinned source archives (NETLABS_DEPS_DIR) for the Windows build's dependencies"

# 1. The cross build: what a Windows learner builds (README, "Windows").
cd "$source_dir"
build=build/windows
log=$(mktemp "${TMPDIR:-/tmp}/netlabs-windows-build.XXXXXX")
if ! { { [ -f "$build/CMakeCache.txt" ] || NETLABS_DEPS_DIR=$deps_dir cmake --preset windows-mingw; } &&
       cmake --build --preset windows-mingw; } >"$log" 2>&1; then
    tail -n 40 "$log"
    rm -f "$log"
    fail "the Windows programs did not build (cmake --build --preset windows-mingw)"
fi
rm -f "$log"
bin="$source_dir/$build/bin"
for exe in lab01-server lab01-client lab01-echo-async lab01-udp lab05-server lab05-client; do
    [ -f "$bin/$exe.exe" ] || fail "the build made no $bin/$exe.exe"
done

# 2. wine, in a prefix of its own under the build folder. The first run
# creates it (about 15 s); no Mono or Gecko prompts, no debug chatter.
WINEPREFIX="$source_dir/$build/wineprefix"
WINEDEBUG=-all
WINEDLLOVERRIDES="mscoree,mshtml="
export WINEPREFIX WINEDEBUG WINEDLLOVERRIDES
work=$(mktemp -d "${TMPDIR:-/tmp}/netlabs-wine.XXXXXX")
server_pid=""
cleanup() {
    [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
    wineserver -k 2>/dev/null || true   # this prefix's wineserver only
    rm -rf "$work"
}
trap cleanup EXIT

# 3. The server: one client, then exit. Wait (bounded) for its ready file.
cd "$work"
timeout 120 wine "$bin/lab01-server.exe" --host 127.0.0.1 --port 0 --once --ready-file ready.txt \
    >server.out 2>&1 &
server_pid=$!
waited=0
while [ ! -s ready.txt ]; do
    if ! kill -0 "$server_pid" 2>/dev/null; then
        cat server.out
        fail "lab01-server.exe ended before it said it was listening"
    fi
    [ "$waited" -lt 900 ] || { cat server.out; fail "lab01-server.exe not listening after 90 s"; }
    sleep 0.1
    waited=$((waited + 1))
done
endpoint=$(tr -d '\r' <ready.txt)  # a Windows program writes text files with CRLF
port=${endpoint##*:}
printf 'lab01-server.exe (wine): listening on %s\n' "$endpoint"
case "$endpoint" in 127.0.0.1:[1-9]*) ;; *) fail "expected a ready file with 127.0.0.1:PORT, got '$endpoint'" ;; esac

# 4. The client, against it.
if ! timeout 60 wine "$bin/lab01-client.exe" --host 127.0.0.1 --port "$port" "hello from wine" >client.out 2>&1; then
    cat client.out
    fail "lab01-client.exe failed against lab01-server.exe on $endpoint"
fi
cat client.out
grep -q '^Received: Hello from server!' client.out ||
    fail "expected the client to print 'Received: Hello from server!'"
if ! wait "$server_pid"; then
    server_pid=""
    cat server.out
    fail "lab01-server.exe --once did not exit 0 after its client"
fi
server_pid=""
cat server.out
grep -q 'Received data: hello from wine' server.out ||
    fail "expected the server to print 'Received data: hello from wine'"
printf 'passed: the Windows lab01-client and lab01-server talked over 127.0.0.1 under wine\n'

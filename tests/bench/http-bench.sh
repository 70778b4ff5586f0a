#!/usr/bin/env bash
# http-bench.sh: lab05-server against what a seed user runs instead, the Flask
# development server (lab05-http/interop/app.py), with wrk on loopback:
# requests per second and latency for GET /hello and POST /messages (JSON),
# each as a ratio against Flask in the same run, and each server's peak memory
# (VmHWM). Measured, not asserted.
#
#   tests/bench/http-bench.sh [SECONDS_PER_RUN] [CONNECTIONS]     (defaults: 5 16)
#
# Needs: wrk (Debian/Ubuntu: sudo apt-get install wrk), python3 with flask
# (python3-flask), unshare (util-linux). It builds the release lab05-server
# (cmake --preset release) into build/release/.
#
# Safety: everything runs inside a fresh network namespace of its own
# (unshare -rn: only a loopback interface, no route anywhere) and on
# 127.0.0.1 there; both servers are stopped by PID when the script ends. Each
# wrk run stops by itself after SECONDS_PER_RUN: the whole run takes about
# 4 x SECONDS_PER_RUN plus the build.
set -euo pipefail

SECONDS_PER_RUN=${1:-5}
CONNECTIONS=${2:-16}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SERVER=$ROOT/build/release/bin/lab05-server
APP=$ROOT/lab05-http/interop/app.py
PYTHON=${PYTHON:-python3}
OURS=9101
FLASK=9102

if [ "${HTTP_BENCH_INSIDE:-}" != 1 ]; then
    command -v wrk >/dev/null || { echo "http-bench: wrk is missing (sudo apt-get install wrk)" >&2; exit 1; }
    command -v unshare >/dev/null || { echo "http-bench: unshare is missing (util-linux)" >&2; exit 1; }
    "$PYTHON" -c 'import flask' 2>/dev/null || { echo "http-bench: $PYTHON has no flask (sudo apt-get install python3-flask)" >&2; exit 1; }
    (cd "$ROOT" && cmake --preset release >/dev/null && cmake --build --preset release --target lab05-server >/dev/null)
    exec unshare --user --map-root-user --net env HTTP_BENCH_INSIDE=1 "$0" "$@"
fi

# --- inside the namespace ----------------------------------------------------
ip link set lo up
pids=()
work=$(mktemp -d)
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

"$SERVER" --host 127.0.0.1 --port "$OURS" --ready-file "$work/ours.ready" >/dev/null &
ours_pid=$!
pids+=("$ours_pid")
"$PYTHON" "$APP" --host 127.0.0.1 --port "$FLASK" >"$work/flask.out" 2>/dev/null &
flask_pid=$!
pids+=("$flask_pid")

# Both ready? Each prints the course's ready line (bounded: 200 x 50 ms).
for _ in $(seq 200); do
    [ -f "$work/ours.ready" ] && grep -q '^listening on ' "$work/flask.out" && break
    sleep 0.05
done
[ -f "$work/ours.ready" ] || { echo "http-bench: lab05-server did not start" >&2; exit 1; }
grep -q '^listening on ' "$work/flask.out" || { echo "http-bench: the Flask app did not start" >&2; exit 1; }

cat >"$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"name": "bench", "text": "hello from wrk"}'
wrk.headers["Content-Type"] = "application/json"
LUA

# One wrk run: prints "REQUESTS_PER_SECOND AVERAGE_LATENCY".
measure() {  # PORT PATH [SCRIPT]
    local args=(-t 2 -c "$CONNECTIONS" -d "${SECONDS_PER_RUN}s" --latency)
    [ -n "${3:-}" ] && args+=(-s "$3")
    local out
    out=$(wrk "${args[@]}" "http://127.0.0.1:$1$2")
    local rps latency
    rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
    latency=$(awk '/^    Latency/ {print $2}' <<<"$out")
    echo "$rps $latency"
}

peak_kib() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }

echo "http-bench: wrk -t 2 -c $CONNECTIONS -d ${SECONDS_PER_RUN}s on 127.0.0.1, $(nproc) CPUs, $(date -u +%Y-%m-%d)"
read -r ours_get ours_get_lat < <(measure "$OURS" /hello)
read -r flask_get flask_get_lat < <(measure "$FLASK" /hello)
read -r ours_post ours_post_lat < <(measure "$OURS" /messages "$work/post.lua")
read -r flask_post flask_post_lat < <(measure "$FLASK" /messages "$work/post.lua")
ours_mem=$(peak_kib "$ours_pid")
flask_mem=$(peak_kib "$flask_pid")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "-" }'; }
echo
echo "| request | lab05-server req/s | latency | Flask dev server req/s | latency | ratio |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
echo "| GET /hello | $ours_get | $ours_get_lat | $flask_get | $flask_get_lat | $(ratio "$ours_get" "$flask_get") |"
echo "| POST /messages (JSON) | $ours_post | $ours_post_lat | $flask_post | $flask_post_lat | $(ratio "$ours_post" "$flask_post") |"
echo "| peak memory (VmHWM) | $((ours_mem / 1024)) MiB | | $((flask_mem / 1024)) MiB | | |"

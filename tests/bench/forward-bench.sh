#!/usr/bin/env bash
# forward-bench.sh: lab03-forward against what a user would pick instead,
# socat (TCP-LISTEN,fork) and the kernel's own DNAT, on the same path:
# throughput (MB/s) and connections per second, at 1 and 64 connections at
# once, each as a ratio against socat in the same run. Measured, not asserted.
#
#   tests/bench/forward-bench.sh [SECONDS_PER_RUN] [ROUNDS]      (defaults: 2 3)
#   FORWARD_BENCH_CPUS=0 tests/bench/forward-bench.sh             all on CPU 0
#   FORWARD_BENCH_RELAY_CPUS=0 FORWARD_BENCH_LOAD_CPUS=1 tests/bench/forward-bench.sh
#                       every relay on CPU 0, the load generator on CPU 1:
#                       each relay gets one whole core, and so does the load
#
# Paths: direct (the generator's own target, no relay: the ceiling),
# lab03-forward with its defaults (one thread), with --threads $(nproc),
# with --splice, socat, and kernel DNAT. The rounds go round-robin over the
# paths, so that a change in the machine's load falls on all of them.
# Besides the rates, it prints what each relay did per CPU-second it used
# (its own CPU time from /proc; socat's includes its per-connection
# children): what a relay costs, whatever share of a shared machine it got.
#
# Needs: socat (Debian/Ubuntu: sudo apt-get install socat), unshare
# (util-linux), ip (iproute2), nft (nftables) and g++. It builds the release
# lab03-forward (cmake --preset release) and its own load generator
# (forward_bench.cpp) into build/release/.
#
# Safety: everything runs inside a fresh network namespace of its own
# (unshare -rn: only a loopback interface, no route anywhere) and on
# 127.0.0.1 there. The namespace, the nft rule and every process started
# here end with the script; nothing is left behind. Each measurement stops by
# itself after SECONDS_PER_RUN; the whole run takes about
# 2 (sizes) x 2 (metrics) x 6 (paths) x ROUNDS x SECONDS_PER_RUN.
set -euo pipefail

SECONDS_PER_RUN=${1:-2}
ROUNDS=${2:-3}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$ROOT/build/release
FORWARD=$OUT/bin/lab03-forward
DRIVER=$OUT/forward-bench

TARGET=9000       # the load generator's own target
VIA_FORWARD=9001  # lab03-forward 9001 -> 9000 (its defaults)
VIA_SOCAT=9002    # socat TCP-LISTEN:9002,fork,reuseaddr,backlog=1024 TCP:127.0.0.1:9000
VIA_DNAT=9003     # nft: tcp dport 9003 dnat to 127.0.0.1:9000
VIA_THREADS=9004  # lab03-forward --threads $THREADS 9004 -> 9000
THREADS=$(nproc)
VIA_SPLICE=9005   # lab03-forward --splice 9005 -> 9000

if [ "${FORWARD_BENCH_INSIDE:-}" != 1 ]; then
    command -v socat >/dev/null || { echo "forward-bench: socat is missing (sudo apt-get install socat)" >&2; exit 1; }
    command -v unshare >/dev/null || { echo "forward-bench: unshare is missing (util-linux)" >&2; exit 1; }
    (cd "$ROOT" && cmake --preset release >/dev/null && cmake --build --preset release --target lab03-forward >/dev/null)
    if [ ! -x "$DRIVER" ] || [ "$ROOT/tests/bench/forward_bench.cpp" -nt "$DRIVER" ]; then
        "${CXX:-g++}" -std=c++20 -O2 -pthread "$ROOT/tests/bench/forward_bench.cpp" -o "$DRIVER"
    fi
    # FORWARD_BENCH_CPUS=0: everything (load generator and relays) on those
    # CPUs only, so that on a shared machine every path gets the same share.
    pin=()
    [ -n "${FORWARD_BENCH_CPUS:-}" ] && pin=(taskset -c "$FORWARD_BENCH_CPUS")
    # A network namespace (and user namespace) of our own, gone when we exit.
    exec "${pin[@]}" unshare --user --map-root-user --net env FORWARD_BENCH_INSIDE=1 "$0" "$@"
fi

# --- inside the namespace ----------------------------------------------------
ip link set lo up
# FORWARD_BENCH_RELAY_CPUS / FORWARD_BENCH_LOAD_CPUS: the relays on some CPUs,
# the load generator (client and target) on others, so that no relay competes
# with the load for its core. Either may be set alone.
relay_pin=()
load_pin=()
[ -n "${FORWARD_BENCH_RELAY_CPUS:-}" ] && relay_pin=(taskset -c "$FORWARD_BENCH_RELAY_CPUS")
[ -n "${FORWARD_BENCH_LOAD_CPUS:-}" ] && load_pin=(taskset -c "$FORWARD_BENCH_LOAD_CPUS")
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# Each forwarder writes its ready file when it listens.
readies=()
declare -A relay_pid  # port -> the process relaying it
start_forward() {  # PORT [options...]
    local port=$1 ready
    shift
    ready=$(mktemp -u)
    readies+=("$ready")
    "${relay_pin[@]}" "$FORWARD" "127.0.0.1:$port:127.0.0.1:$TARGET" "$@" --ready-file "$ready" >/dev/null &
    pids+=($!)
    relay_pid[$port]=$!
}
start_forward "$VIA_FORWARD"
start_forward "$VIA_THREADS" --threads "$THREADS"
start_forward "$VIA_SPLICE" --splice
# socat's default listen backlog is 5: 64 clients connecting at once then
# overflow its accept queue and some are reset mid-run (measured: 7-51 of 64
# clients lost), which would leave socat fewer connections to carry. 1024 is
# fair to it. Its complaints (a target gone between runs) are not results.
"${relay_pin[@]}" socat "TCP-LISTEN:$VIA_SOCAT,fork,reuseaddr,backlog=1024,bind=127.0.0.1" "TCP:127.0.0.1:$TARGET" 2>/dev/null &
pids+=($!)
relay_pid[$VIA_SOCAT]=$!
dnat=yes
if ! nft -f - 2>/dev/null <<NFT
table ip forward_bench {
    chain output {
        type nat hook output priority -100;
        ip daddr 127.0.0.1 tcp dport $VIA_DNAT dnat to 127.0.0.1:$TARGET
    }
}
NFT
then
    dnat=no
    echo "forward-bench: nft could not load a DNAT rule here (nf_nat not available?); skipping kernel DNAT" >&2
fi

# All listeners up? (bounded: 100 x 50 ms)
all_ready() { for r in "${readies[@]}"; do [ -f "$r" ] || return 1; done; }
for _ in $(seq 100); do
    all_ready && ss -ltn "sport = :$VIA_SOCAT" | grep -q LISTEN && break
    sleep 0.05
done
all_ready || { echo "forward-bench: lab03-forward did not start" >&2; exit 1; }
rm -f "${readies[@]}"

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a != "n/a") printf "%.2fx", a / b; else print "n/a" }'; }

# CPU time (1/100 s) a relay has used, with its children's that have ended
# (socat's per-connection processes); 0 for the paths with no relay process.
cpu_ticks() {
    local pid=${relay_pid[$1]:-}
    [ -n "$pid" ] || { echo 0; return; }
    awk '{ print $14 + $15 + $16 + $17 }' "/proc/$pid/stat"
}

paths=("$TARGET" "$VIA_FORWARD" "$VIA_THREADS" "$VIA_SPLICE" "$VIA_SOCAT")
[ "$dnat" = yes ] && paths+=("$VIA_DNAT")
echo "| metric | conns | direct | lab03-forward | --threads $THREADS | --splice | socat | kernel DNAT | forward / socat | --threads $THREADS / socat | --splice / socat | DNAT / socat |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
results=$(mktemp)
efficiency=()
for metric in throughput connections; do
    unit=$([ "$metric" = throughput ] && echo "MB/s" || echo "conn/s")
    for conns in 1 64; do
        # Round-robin: round 1 of every path, then round 2 ... so that a
        # change in the machine's load falls on all paths alike.
        : >"$results"
        for _ in $(seq "$ROUNDS"); do
            for port in "${paths[@]}"; do
                before=$(cpu_ticks "$port")
                value=$("${load_pin[@]}" "$DRIVER" "$metric" "$TARGET" "$port" "$conns" "$SECONDS_PER_RUN")
                # socat's children end (and are counted) up to 0.5 s after their client.
                [ "$port" = "$VIA_SOCAT" ] && sleep 0.7
                echo "$port $value $(( $(cpu_ticks "$port") - before ))" >>"$results"
            done
        done
        m() { awk -v p="$1" '$1 == p { print $2 }' "$results" | median; }
        # Bytes (or connections) per CPU-second the relay itself used: what it
        # costs, whatever share of the CPU the machine gave it.
        e() { awk -v p="$1" -v s="$SECONDS_PER_RUN" '$1 == p && $3 > 0 { print $2 * s / ($3 / 100) }' "$results" | median | awk '{ printf "%.0f", $1 }'; }
        direct=$(m "$TARGET"); fwd=$(m "$VIA_FORWARD"); thr=$(m "$VIA_THREADS"); spl=$(m "$VIA_SPLICE"); soc=$(m "$VIA_SOCAT")
        nat=n/a
        [ "$dnat" = yes ] && nat=$(m "$VIA_DNAT")
        echo "| $metric ($unit) | $conns | $direct | $fwd | $thr | $spl | $soc | $nat | $(ratio "$fwd" "$soc") | $(ratio "$thr" "$soc") | $(ratio "$spl" "$soc") | $(ratio "$nat" "$soc") |"
        efwd=$(e "$VIA_FORWARD"); ethr=$(e "$VIA_THREADS"); espl=$(e "$VIA_SPLICE"); esoc=$(e "$VIA_SOCAT")
        efficiency+=("| $([ "$metric" = throughput ] && echo MB || echo connections) per relay CPU-second | $conns | | $efwd | $ethr | $espl | $esoc | | $(ratio "$efwd" "$esoc") | $(ratio "$ethr" "$esoc") | $(ratio "$espl" "$esoc") | |")
    done
done
printf '%s\n' "${efficiency[@]}"
rm -f "$results"

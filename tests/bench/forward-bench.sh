#!/usr/bin/env bash
# forward-bench.sh: lab03-forward against what a user would pick instead,
# socat (TCP-LISTEN,fork) and the kernel's own DNAT, on the same path:
# throughput (MB/s) and connections per second, at 1 and 64 connections at
# once, each as a ratio against socat in the same run. Measured, not asserted.
#
#   tests/bench/forward-bench.sh [SECONDS_PER_RUN] [ROUNDS]      (defaults: 2 3)
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
# 2 (sizes) x 2 (metrics) x 5 (paths) x ROUNDS x SECONDS_PER_RUN.
set -euo pipefail

SECONDS_PER_RUN=${1:-2}
ROUNDS=${2:-3}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$ROOT/build/release
FORWARD=$OUT/bin/lab03-forward
DRIVER=$OUT/forward-bench

TARGET=9000       # the load generator's own target
VIA_FORWARD=9001  # lab03-forward 9001 -> 9000
VIA_SOCAT=9002    # socat TCP-LISTEN:9002,fork,reuseaddr TCP:127.0.0.1:9000
VIA_DNAT=9003     # nft: tcp dport 9003 dnat to 127.0.0.1:9000
VIA_THREADS=9004  # lab03-forward --threads $THREADS 9004 -> 9000
THREADS=$(nproc)

if [ "${FORWARD_BENCH_INSIDE:-}" != 1 ]; then
    command -v socat >/dev/null || { echo "forward-bench: socat is missing (sudo apt-get install socat)" >&2; exit 1; }
    command -v unshare >/dev/null || { echo "forward-bench: unshare is missing (util-linux)" >&2; exit 1; }
    (cd "$ROOT" && cmake --preset release >/dev/null && cmake --build --preset release --target lab03-forward >/dev/null)
    if [ ! -x "$DRIVER" ] || [ "$ROOT/tests/bench/forward_bench.cpp" -nt "$DRIVER" ]; then
        "${CXX:-g++}" -std=c++20 -O2 -pthread "$ROOT/tests/bench/forward_bench.cpp" -o "$DRIVER"
    fi
    # A network namespace (and user namespace) of our own, gone when we exit.
    exec unshare --user --map-root-user --net env FORWARD_BENCH_INSIDE=1 "$0" "$@"
fi

# --- inside the namespace ----------------------------------------------------
ip link set lo up
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

ready=$(mktemp -u)
"$FORWARD" "127.0.0.1:$VIA_FORWARD:127.0.0.1:$TARGET" --ready-file "$ready" >/dev/null &
pids+=($!)
ready_threads=$(mktemp -u)
"$FORWARD" "127.0.0.1:$VIA_THREADS:127.0.0.1:$TARGET" --threads "$THREADS" --ready-file "$ready_threads" >/dev/null &
pids+=($!)
# socat's complaints (a target gone between runs) are not results.
socat "TCP-LISTEN:$VIA_SOCAT,fork,reuseaddr,bind=127.0.0.1" "TCP:127.0.0.1:$TARGET" 2>/dev/null &
pids+=($!)
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

# Both listeners up? (bounded: 100 x 50 ms)
for _ in $(seq 100); do
    [ -f "$ready" ] && [ -f "$ready_threads" ] && ss -ltn "sport = :$VIA_SOCAT" | grep -q LISTEN && break
    sleep 0.05
done
[ -f "$ready" ] && [ -f "$ready_threads" ] || { echo "forward-bench: lab03-forward did not start" >&2; exit 1; }
rm -f "$ready" "$ready_threads"

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
measure() {  # metric port conns -> median over ROUNDS
    for _ in $(seq "$ROUNDS"); do "$DRIVER" "$1" "$TARGET" "$2" "$3" "$SECONDS_PER_RUN"; done | median
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a != "n/a") printf "%.2fx", a / b; else print "n/a" }'; }

echo "| metric | conns | direct | lab03-forward | lab03-forward --threads $THREADS | socat | kernel DNAT | forward / socat | forward --threads $THREADS / socat | DNAT / socat |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for metric in throughput connections; do
    unit=$([ "$metric" = throughput ] && echo "MB/s" || echo "conn/s")
    for conns in 1 64; do
        direct=$(measure "$metric" "$TARGET" "$conns")
        fwd=$(measure "$metric" "$VIA_FORWARD" "$conns")
        thr=$(measure "$metric" "$VIA_THREADS" "$conns")
        soc=$(measure "$metric" "$VIA_SOCAT" "$conns")
        nat=n/a
        [ "$dnat" = yes ] && nat=$(measure "$metric" "$VIA_DNAT" "$conns")
        echo "| $metric ($unit) | $conns | $direct | $fwd | $thr | $soc | $nat | $(ratio "$fwd" "$soc") | $(ratio "$thr" "$soc") | $(ratio "$nat" "$soc") |"
    done
done

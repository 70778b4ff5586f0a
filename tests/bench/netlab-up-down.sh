#!/bin/sh
# Times `netlabs-net up --detach` + `down`, as a learner runs them (process
# start included), for lab02's topology (4 hosts) and netlab-five-hosts.txt
# (lab02's LAN + an internet server behind a NAT router: 5 hosts, 2 bridges,
# nftables). DESIGN.md: "a five-host topology comes up in well under a
# second". Prints the times; asserts nothing (speed is measured, not asserted).
#
#   tests/bench/netlab-up-down.sh [BIN_DIR] [RUNS]     (default: build/bin, 10)
#
# Use a release build for the number to quote (cmake --preset release): the
# dev build's sanitizers slow every process start.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../../build/bin}
runs=${2:-10}
net="$bin/netlabs-net"
[ -x "$net" ] || { echo "netlab-up-down: $net not found (build first)" >&2; exit 2; }
if ! "$net" probe >/dev/null 2>&1; then
    echo "netlab-up-down: skipped: $("$net" probe 2>&1)"
    exit 0
fi
ms() { echo $(( $(date +%s%N) / 1000000 )); }

bench() {  # bench TOPOLOGY LABEL
    name="bench$$"
    total_up=0 total_down=0 best=999999
    i=0
    while [ "$i" -lt "$runs" ]; do
        t0=$(ms)
        "$net" up "$1" --name "$name" --detach >/dev/null
        t1=$(ms)
        "$net" down "$name" >/dev/null
        t2=$(ms)
        up=$((t1 - t0)) down=$((t2 - t1))
        total_up=$((total_up + up)) total_down=$((total_down + down))
        [ $((up + down)) -lt "$best" ] && best=$((up + down))
        i=$((i + 1))
    done
    printf '%s: mean up %d ms, mean down %d ms, best up+down %d ms (%d runs)\n' \
        "$2" $((total_up / runs)) $((total_down / runs)) "$best" "$runs"
}

echo "$("$net" probe 2>&1); load: $(cut -d' ' -f1-3 /proc/loadavg)"
bench lab02 "lab02 (4 hosts, 1 bridge)"
bench "$here/netlab-five-hosts.txt" "five hosts (2 bridges, NAT router)"

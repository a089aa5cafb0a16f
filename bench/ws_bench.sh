#!/usr/bin/env bash
# WebSocket echo messages per second (issue 4): direct, through Spyglass and through mitmdump,
# in one run on this machine. ws_echo.c is both ends (an epoll echo server and a ping-pong
# client), so the proxies are what is measured. Each proxy intercepts the CONNECT tunnel and
# records every message (Spyglass: WebSocketLayer; mitmdump: its websocket layer).
#   bench/ws_bench.sh [--conns 16] [--seconds 10] [--size 64] [--repeat 3]
# Prints a markdown table with medians and the ratios the issue sets (>= 1/2 of direct,
# >= 20x mitmdump).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
conns=16 seconds=10 size=64 repeat=3
while [[ $# -gt 0 ]]; do
    case $1 in
    --conns) conns=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    *) echo "ws_bench.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
dump="${SPYGLASS_DUMP:-$root/build/app/spyglass-dump}"
[[ -x $dump ]] || { echo "ws_bench.sh: build first (./dev.sh build): $dump missing" >&2; exit 2; }
me=ws_bench.sh
source "$here/lib.sh"
bench_init
cc -O2 -Wall -o "$work/ws_echo" "$here/ws_echo.c" -lcrypto


origin=$(free_port)
"$work/ws_echo" server "$origin" & pids+=($!)
wait_port "$origin"

# run NAME [PROXYPORT]: one measured run, prints the rate
run() {
    if [[ -n ${2:-} ]]; then
        "$work/ws_echo" client 127.0.0.1 "$origin" "$conns" "$seconds" "$size" 127.0.0.1 "$2"
    else
        "$work/ws_echo" client 127.0.0.1 "$origin" "$conns" "$seconds" "$size"
    fi | sed -n 's/.*rate=\([0-9]*\).*/\1/p'
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -A rate
measure() { # NAME [PROXYPORT]
    local name=$1 values=()
    for _ in $(seq "$repeat"); do values+=("$(run "$name" "${2:-}")"); done
    rate[$name]=$(printf '%s\n' "${values[@]}" | median)
}

measure direct

sg=$(free_port)
"$dump" -q --listen-host 127.0.0.1 -p "$sg" --confdir "$work/sg" & sgpid=$!
pids+=($sgpid)
wait_port "$sg"
measure spyglass "$sg"
sgrss=$(awk '/VmHWM/ {print $2}' "/proc/$sgpid/status")
kill "$sgpid"

if command -v mitmdump >/dev/null; then
    mp=$(free_port)
    mitmdump -q --listen-host 127.0.0.1 -p "$mp" --set confdir="$work/mitm" & mppid=$!
    pids+=($mppid)
    wait_port "$mp"
    measure mitmdump "$mp"
    kill "$mppid"
fi

echo "WebSocket echo, $conns connections, $size-byte text messages, ${seconds} s, median of $repeat"
echo
echo "| target | messages/s | vs direct | vs mitmdump |"
echo "|---|---|---|---|"
for t in direct spyglass mitmdump; do
    [[ -n ${rate[$t]:-} ]] || continue
    vd=$(awk -v a="${rate[$t]}" -v b="${rate[direct]}" 'BEGIN {printf "%.0f%%", 100*a/b}')
    vm=-
    [[ -n ${rate[mitmdump]:-} && ${rate[mitmdump]} -gt 0 ]] &&
        vm=$(awk -v a="${rate[$t]}" -v b="${rate[mitmdump]}" 'BEGIN {printf "%.1fx", a/b}')
    echo "| $t | ${rate[$t]} | $vd | $vm |"
done
echo
echo "spyglass-dump peak RSS: $((sgrss / 1024)) MiB"

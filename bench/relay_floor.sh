#!/usr/bin/env bash
# What fraction of the direct WebSocket echo rate can ANY relay reach on this machine (issue 4)?
# Runs bench/ws_echo.c's ping-pong client directly and through: relay_floor.c with epoll and
# with io_uring (plain TCP relays, so the client connects to them as if they were the server;
# one thread, and two: relay-epoll2, relay-uring2, as many as spyglass has workers on 2 cores),
# and spyglass-dump intercepting the CONNECT tunnel (default worker threads, and one).
#   bench/relay_floor.sh [--targets direct,relay-epoll,relay-uring,spyglass,spyglass-1t,...]
#                        [--conns 16] [--seconds 5] [--size 64] [--repeat 3]
# SPYGLASS_DUMP picks the binary (default build/app/spyglass-dump); SPYGLASS_DUMP_B adds a
# target "spyglass-b" with a second binary, for an A/B of two builds in the same run.
# The targets are interleaved round by round (A B C, A B C, ...), so load from other processes
# hits all of them alike; prints the median rate, and the CPU of the middle process per
# message (utime+stime from /proc/PID/stat over the run, in microseconds; medians), which
# depends much less on that load than the rate does, and its context switches per message.
# "all CPU" adds the client's and the echo server's CPU: nproc * 1e6 / that is the rate the run
# would reach if it could use every core fully, a load-independent estimate of each target's
# ceiling (the quiet-machine rate sits below it when the ping-pong leaves cores idle).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
targets=direct,relay-epoll,relay-uring,relay-epoll2,relay-uring2,spyglass,spyglass-1t
conns=16 seconds=5 size=64 repeat=3
while [[ $# -gt 0 ]]; do
    case $1 in
    --targets) targets=$2; shift 2 ;;
    --conns) conns=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    *) echo "relay_floor.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
IFS=, read -r -a wanted <<<"$targets"
wants() { local x; for x in "${wanted[@]}"; do [[ $x == "$1" ]] && return 0; done; return 1; }
if [[ -n ${SPYGLASS_DUMP_B:-} ]] && ! wants spyglass-b; then
    wanted+=(spyglass-b)
fi
dump="${SPYGLASS_DUMP:-$root/build/app/spyglass-dump}"
me=relay_floor.sh
source "$here/lib.sh"
bench_init
cc -O2 -Wall -o "$work/ws_echo" "$here/ws_echo.c" -lcrypto
# the io_uring backend needs liburing (Debian: liburing-dev); without it that target is skipped
if echo '#include <liburing.h>' | cc -E -x c - >/dev/null 2>&1; then
    cc -O2 -Wall -DHAVE_LIBURING -o "$work/relay_floor" "$here/relay_floor.c" -luring -lpthread
else
    cc -O2 -Wall -o "$work/relay_floor" "$here/relay_floor.c" -lpthread
    for t in relay-uring relay-uring2; do
        if wants "$t"; then
            echo "relay_floor.sh: liburing.h not found (apt-get install liburing-dev): skipping $t" >&2
            wanted=("${wanted[@]/%$t/}")
        fi
    done
fi

hz=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# context switches (voluntary + not) of every thread of a process: the wake-ups that dominate
ctx_switches() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ {n += $2} END {print n + 0}'; }

origin=$(free_port)
"$work/ws_echo" server "$origin" & origin_pid=$!
pids+=("$origin_pid")
wait_port "$origin"

# Start every middle process once; each target has a port, a pid and a mode (tcp: connect to
# it as the server; connect: it is an HTTP proxy the client sends CONNECT to).
declare -A port pid mode
for t in "${wanted[@]}"; do
    [[ -n $t ]] || continue
    p=$(free_port)
    case $t in
    direct) mode[$t]=direct; continue ;;
    relay-epoll) "$work/relay_floor" --epoll "$p" 127.0.0.1 "$origin" & mode[$t]=tcp ;;
    relay-uring) "$work/relay_floor" --uring "$p" 127.0.0.1 "$origin" & mode[$t]=tcp ;;
    relay-epoll2) "$work/relay_floor" --epoll --threads 2 "$p" 127.0.0.1 "$origin" & mode[$t]=tcp ;;
    relay-uring2) "$work/relay_floor" --uring --threads 2 "$p" 127.0.0.1 "$origin" & mode[$t]=tcp ;;
    spyglass | spyglass-1t | spyglass-b)
        bin=$dump
        [[ $t == spyglass-b ]] && bin=$SPYGLASS_DUMP_B
        [[ -x $bin ]] || { echo "relay_floor.sh: $bin missing (build first)" >&2; exit 2; }
        extra=()
        [[ $t == spyglass-1t ]] && extra=(--set worker_threads=1)
        "$bin" -q --listen-host 127.0.0.1 -p "$p" --confdir "$work/$t" "${extra[@]}" &
        mode[$t]=connect
        ;;
    *) echo "relay_floor.sh: unknown target $t" >&2; exit 2 ;;
    esac
    pid[$t]=$! port[$t]=$p
    pids+=($!)
    wait_port "$p"
done

# run TARGET: one measured run; prints "messages rate cpu-ticks context-switches total-cpu-s"
# (ticks and switches of the middle process; total: client + echo server + middle, in seconds)
run() {
    local t=$1 before=0 after=0 sw0=0 sw1=0 out o0 o1
    local client=(/usr/bin/time -f '%U %S' -o "$work/client.time" "$work/ws_echo" client)
    o0=$(cpu_ticks "$origin_pid")
    [[ ${mode[$t]} == direct ]] || { before=$(cpu_ticks "${pid[$t]}"); sw0=$(ctx_switches "${pid[$t]}"); }
    case ${mode[$t]} in
    direct) out=$("${client[@]}" 127.0.0.1 "$origin" "$conns" "$seconds" "$size") ;;
    tcp) out=$("${client[@]}" 127.0.0.1 "${port[$t]}" "$conns" "$seconds" "$size") ;;
    connect) out=$("${client[@]}" 127.0.0.1 "$origin" "$conns" "$seconds" "$size" \
        127.0.0.1 "${port[$t]}") ;;
    esac
    o1=$(cpu_ticks "$origin_pid")
    [[ ${mode[$t]} == direct ]] || { after=$(cpu_ticks "${pid[$t]}"); sw1=$(ctx_switches "${pid[$t]}"); }
    echo "$out" | sed -n 's/messages=\([0-9]*\).*rate=\([0-9]*\).*/\1 \2/p' | tr -d '\n'
    echo " $((after - before)) $((sw1 - sw0))" \
        "$(awk -v hz="$hz" -v t=$((after - before + o1 - o0)) '{printf "%.2f", $1 + $2 + t/hz}' "$work/client.time")"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -A rates cpus switches totals
loads=()
for round in $(seq "$repeat"); do
    loads+=("$(cut -d' ' -f1 /proc/loadavg)")
    for t in "${wanted[@]}"; do
        [[ -n $t ]] || continue
        read -r msgs rate ticks sw total <<<"$(run "$t")"
        [[ $msgs -gt 0 ]] && totals[$t]+="$(awk -v c="$total" -v m="$msgs" 'BEGIN {printf "%.1f", 1e6*c/m}') "
        rates[$t]+="$rate "
        if [[ ${mode[$t]} != direct && $msgs -gt 0 ]]; then
            cpus[$t]+="$(awk -v t="$ticks" -v m="$msgs" -v hz="$hz" 'BEGIN {printf "%.1f", 1e6*t/hz/m}') "
            switches[$t]+="$(awk -v s="$sw" -v m="$msgs" 'BEGIN {printf "%.2f", s/m}') "
        fi
        echo "round $round $t: rate=$rate cpu_ticks=$ticks ctx_switches=$sw all_cpu_s=$total" >&2
    done
done

cores=$(nproc)
echo "WebSocket echo, $conns connections, $size-byte messages, ${seconds} s per run, median of" \
    "$repeat interleaved rounds; load average at each round start: ${loads[*]}"
echo
echo "| target | messages/s (runs) | median | vs direct | middle CPU µs/msg | middle context switches/msg | all CPU µs/msg | $cores-core ceiling msg/s | ceiling vs direct's |"
echo "|---|---|---|---|---|---|---|---|---|"
direct_rate=
[[ -n ${rates[direct]:-} ]] && direct_rate=$(tr ' ' '\n' <<<"${rates[direct]}" | grep . | median)
direct_ceil=0
[[ -n ${totals[direct]:-} ]] &&
    direct_ceil=$(tr ' ' '\n' <<<"${totals[direct]}" | grep . | median |
        awk -v n="$cores" '{printf "%.0f", n*1e6/$1}')
for t in "${wanted[@]}"; do
    [[ -n $t && -n ${rates[$t]:-} ]] || continue
    m=$(tr ' ' '\n' <<<"${rates[$t]}" | grep . | median)
    vd=-
    [[ -n $direct_rate && $direct_rate -gt 0 ]] &&
        vd=$(awk -v a="$m" -v b="$direct_rate" 'BEGIN {printf "%.0f%%", 100*a/b}')
    c=-
    [[ -n ${cpus[$t]:-} ]] && c=$(tr ' ' '\n' <<<"${cpus[$t]}" | grep . | median)
    w=-
    [[ -n ${switches[$t]:-} ]] && w=$(tr ' ' '\n' <<<"${switches[$t]}" | grep . | median)
    a=$(tr ' ' '\n' <<<"${totals[$t]}" | grep . | median)
    ceil=$(awk -v a="$a" -v n="$cores" 'BEGIN {printf "%.0f", n*1e6/a}')
    cd=$(awk -v a="$ceil" -v b="$direct_ceil" 'BEGIN {if (b > 0) printf "%.0f%%", 100*a/b; else print "-"}')
    echo "| $t | ${rates[$t]}| $m | $vd | $c | $w | $a | $ceil | $cd |"
done

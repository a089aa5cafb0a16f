#!/usr/bin/env bash
# The floor of any relay for S4 (issue 2: "at least 60% of direct" for one 100 MiB download over
# plain HTTP/1.1): curl downloads /100m from nginx (the shared harness's configuration: sendfile,
# tcp_nopush) directly, through bench/relay_floor.c (a C relay that only forwards bytes: --epoll
# copies them through a 256 KiB buffer, --splice moves them socket -> pipe -> socket without
# copying them into user space) and through spyglass-dump recording the flow as bench/run.sh runs
# it. curl talks to each relay as to a proxy (absolute-form request, which nginx accepts), so every
# target carries the same bytes. Targets are interleaved round by round; prints the median MB/s,
# its share of direct's median, and the middle process's CPU seconds per download (utime+stime).
#   bench/s4_floor.sh [--targets direct,relay-epoll,relay-splice,spyglass] [--repeat 5]
# SPYGLASS_DUMP picks the binary (default build/app/spyglass-dump).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
shared="${SPYGLASS_SHARED:-$root/../shared}/bench"
targets=direct,relay-epoll,relay-splice,spyglass
repeat=5
while [[ $# -gt 0 ]]; do
    case $1 in
    --targets) targets=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    *) echo "s4_floor.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
dump="${SPYGLASS_DUMP:-$root/build/app/spyglass-dump}"

me=s4_floor.sh
source "$here/lib.sh"
bench_init

mkdir -p "$work/docroot"
head -c $((100 * 1024 * 1024)) /dev/zero >"$work/docroot/100m"
start_origin "$shared"

cc -O2 -Wall -o "$work/relay_floor" "$here/relay_floor.c" -lpthread

declare -A port pid
IFS=, read -r -a names <<<"$targets"
for t in "${names[@]}"; do
    case $t in
    direct) continue ;;
    relay-epoll | relay-splice)
        port[$t]=$(free_port)
        "$work/relay_floor" "--${t#relay-}" "${port[$t]}" 127.0.0.1 "$http_port" &
        ;;
    spyglass)
        [[ -x $dump ]] || { echo "s4_floor.sh: build first: $dump missing" >&2; exit 2; }
        port[$t]=$(free_port)
        "$dump" -q --listen-host 127.0.0.1 -p "${port[$t]}" --confdir "$work/conf" \
            --set ssl_insecure=true 2>"$work/proxy.err" &
        ;;
    *) echo "s4_floor.sh: unknown target $t" >&2; exit 2 ;;
    esac
    pid[$t]=$!
    pids+=($!)
    wait_port "${port[$t]}"
done

ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
url="http://127.0.0.1:$http_port/100m"
for r in $(seq "$repeat"); do
    for t in "${names[@]}"; do
        proxy=()
        [[ $t == direct ]] || proxy=(-x "http://127.0.0.1:${port[$t]}")
        c0=0
        [[ $t == direct ]] || c0=$(cpu_ticks "${pid[$t]}")
        speed=$(curl -sS -o /dev/null --max-time 300 --http1.1 "${proxy[@]}" -w '%{speed_download}' "$url")
        cpu=-
        [[ $t == direct ]] || cpu=$(awk -v a="$c0" -v b="$(cpu_ticks "${pid[$t]}")" -v t="$ticks" \
            'BEGIN { printf "%.2f", (b - a) / t }')
        echo "$r $t $speed $cpu" >>"$work/results"
    done
done

echo "S4 http, one 100 MiB download, $repeat rounds, load=$(cut -d' ' -f1 /proc/loadavg)"
/usr/bin/python3 - "$work/results" "${names[@]}" <<'EOF'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
def med(t, i):
    vals = [float(r[i]) for r in rows if r[1] == t and r[i] != "-"]
    return statistics.median(vals) if vals else None
direct = med("direct", 2)
print(f"{'target':<14} {'MB/s':>8} {'of direct':>10} {'CPU s/download':>15}")
for t in sys.argv[2:]:
    mbs = med(t, 2)
    share = f"{100 * mbs / direct:.0f}%" if direct else "-"
    cpu = med(t, 3)
    print(f"{t:<14} {mbs / 1e6:>8.0f} {share:>10} {cpu if cpu is not None else '-':>15}")
EOF

#!/usr/bin/env bash
# What a loaded script costs (issue 8): the shared harness's S1 (HTTP/1.1 keep-alive, 1 KiB,
# 32 connections) against spyglass-dump three ways, interleaved repeat by repeat so a busy
# machine weighs on each the same:
#   spyglass               no script
#   spyglass-script-noop   -s noop.js    function request(flow) {}
#   spyglass-script-header -s header.js  function request(flow) { headers.set("X-Bench", "1") }
# then prints the harness's table and each variant's median req/s as a ratio of no script.
#   bench/script_bench.sh [--repeat N] [--duration S] [harness options...]
# Results land in bench/results/script-<timestamp>/ (results.jsonl, report.txt).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
shared="${SPYGLASS_SHARED:-$root/../shared}"
[[ -f $shared/bench/run.sh ]] || {
    echo "bench/script_bench.sh: the shared harness is not at $shared/bench (set SPYGLASS_SHARED)" >&2
    exit 2
}
dump="${SPYGLASS_DUMP:-$root/build/app/spyglass-dump}"
[[ -x $dump ]] || { echo "bench/script_bench.sh: build first (./dev.sh build): $dump missing" >&2; exit 2; }

repeat=3
duration=6
pass=()
while [[ $# -gt 0 ]]; do
    case $1 in
    --repeat) repeat=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    *) pass+=("$1"); shift ;;
    esac
done

out="$here/results/script-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
cat >"$out/noop.js" <<'EOF'
function request(flow) {}
EOF
cat >"$out/header.js" <<'EOF'
function request(flow) { flow.request.headers.set("X-Bench", "1"); }
EOF

export BENCH_WORK="${BENCH_WORK:-$here}"
base="$dump -q --listen-host 127.0.0.1 -p {port} --confdir {confdir} --set ssl_insecure=true"
variants=("spyglass|" "spyglass-script-noop|-s $out/noop.js" "spyglass-script-header|-s $out/header.js")
for ((rep = 1; rep <= repeat; rep++)); do
    for v in "${variants[@]}"; do
        name=${v%%|*}
        script=${v#*|}
        # Each invocation appends to the same results.jsonl.
        bash "$shared/bench/run.sh" --proxy-name "$name" --proxy-cmd "$base $script" \
            --targets "$name" --scenarios S1 --repeat 1 --rep-start "$rep" \
            --duration "$duration" --out "$out" "${pass[@]}" >&2
    done
done

py=/usr/bin/python3
[[ -x $py ]] || py="$(command -v python3)"
{
    echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
    bash "$shared/bench/run.sh" --report "$out/results.jsonl"
    "$py" - "$out/results.jsonl" <<'EOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
rps = {}
for r in rows:
    if r.get("scenario") == "S1" and r.get("rps"):
        rps.setdefault(r["target"], []).append(r["rps"])
base = statistics.median(rps.get("spyglass", [0])) or None
print("\n| variant | runs | median req/s | vs no script |\n|---|---|---|---|")
for name in ("spyglass", "spyglass-script-noop", "spyglass-script-header"):
    v = rps.get(name)
    if not v:
        continue
    m = statistics.median(v)
    ratio = f"{100 * m / base:.1f}%" if base else "-"
    print(f"| {name} | {len(v)} | {m:,.0f} | {ratio} |")
EOF
} | tee "$out/report.txt"

#!/usr/bin/env bash
# What a loaded script costs (issue 8): the shared harness's S1 (HTTP/1.1 keep-alive, 1 KiB,
# 32 connections) against spyglass-dump three ways, interleaved repeat by repeat so a busy
# machine weighs on each the same:
#   spyglass               no script
#   spyglass-script-noop   -s noop.js    function request(flow) {}
#   spyglass-script-header -s header.js  function request(flow) { headers.set("X-Bench", "1") }
# then prints the harness's table and each variant's median req/s as a ratio of no script,
# and its median proxy CPU per request (the steadier figure on a shared machine).
#   bench/script_bench.sh [--repeat N] [--duration S] [--base BINARY] [harness options...]
# --base BINARY adds the same three variants of another build (named base-...), interleaved
# with these, for an A/B of a change.
# Results land in bench/results/script-<timestamp>/ (results.jsonl, report.txt).
#
# What a scripted hook cost, and why (2026-11-30, S1 GET /1k, 32 connections, proxy CPU µs
# per request from /proc over 20,000 requests, bench/cpu_per_request.sh with a wrapper that
# passes -s; load average 4-6): before, no script 49, empty request hook ~350, header-setting
# hook ~315. perf showed the script thread's time mostly in the kernel: QJSEngine's collector
# gave each 64 KiB chunk a hook's garbage had filled back to the system (madvise + mprotect,
# with TLB shootdowns across the proxy's threads) and faulted a fresh one in on the next
# allocation, ~0.3 madvise per request. After (engine/script: JsCache keeps recurring strings
# and unchanged connections' raw objects; headers go flat and become Headers only when read;
# a hook's answer carries only what it touched; raw objects are object literals; the prelude
# keeps a small heap ballast so chunks are reused, not freed): empty hook ~80, header-setting
# hook ~90, and no madvise/mprotect at all under load.
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
base_dump=
pass=()
while [[ $# -gt 0 ]]; do
    case $1 in
    --repeat) repeat=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --base) base_dump=$2; shift 2 ;;
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
[[ -z $base_dump || -x $base_dump ]] || { echo "bench/script_bench.sh: --base $base_dump is not executable" >&2; exit 2; }
args="-q --listen-host 127.0.0.1 -p {port} --confdir {confdir} --set ssl_insecure=true"
# name|binary|script options
variants=("spyglass|$dump|" "spyglass-script-noop|$dump|-s $out/noop.js"
    "spyglass-script-header|$dump|-s $out/header.js")
if [[ -n $base_dump ]]; then
    variants+=("base-spyglass|$base_dump|" "base-script-noop|$base_dump|-s $out/noop.js"
        "base-script-header|$base_dump|-s $out/header.js")
fi
for ((rep = 1; rep <= repeat; rep++)); do
    for v in "${variants[@]}"; do
        name=${v%%|*}
        rest=${v#*|}
        bin=${rest%%|*}
        script=${rest#*|}
        # Each invocation appends to the same results.jsonl.
        bash "$shared/bench/run.sh" --proxy-name "$name" --proxy-cmd "$bin $args $script" \
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
rps, cpu = {}, {}
for r in rows:
    if r.get("scenario") == "S1" and r.get("rps"):
        rps.setdefault(r["target"], []).append(r["rps"])
        if r.get("proxy_cpu_us_per_req"):
            cpu.setdefault(r["target"], []).append(r["proxy_cpu_us_per_req"])
print("\n| variant | runs | median req/s | vs no script | median proxy CPU µs/req |")
print("|---|---|---|---|---|")
for prefix, plain in (("", "spyglass"), ("base-", "base-spyglass")):
    base = statistics.median(rps.get(plain, [0])) or None
    for name in (plain, prefix + ("spyglass-" if not prefix else "") + "script-noop",
                 prefix + ("spyglass-" if not prefix else "") + "script-header"):
        v = rps.get(name)
        if not v:
            continue
        m = statistics.median(v)
        ratio = f"{100 * m / base:.1f}%" if base else "-"
        c = f"{statistics.median(cpu[name]):.0f}" if cpu.get(name) else "-"
        print(f"| {name} | {len(v)} | {m:,.0f} | {ratio} | {c} |")
EOF
} | tee "$out/report.txt"

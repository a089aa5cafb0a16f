#!/usr/bin/env bash
# Proxy cost per request, measured so that a busy machine distorts it little: the CPU time
# spyglass-dump spends (utime+stime of all its threads, /proc/PID/stat, and their context
# switches) over a fixed number of requests, the system calls it makes per request
# (strace -c), the user-space instructions it executes per request (valgrind
# --tool=callgrind, deterministic), or where its cycles go (perf record: the top symbols by
# DSO, kernel included). The load is
# S1 (plain HTTP/1.1 keep-alive, GET /1k, 32 connections) or S2 (CONNECT + TLS interception)
# from the shared harness's load generator against a local nginx, spyglass-dump recording
# every flow as bench/run.sh runs it.
#   bench/cpu_per_request.sh [--mode cpu|strace|callgrind|perf] [--scenario S1|S2]
#                            [--requests N] [--conns C] [--repeat R] [BINARY...]
# BINARY may also be the word nghttpx-rp (--scenario S2, any mode): nghttpx as
# the shared harness runs it, a TLS-terminating reverse proxy to the same nginx, measured the
# same way, so that a figure of ours has its peer's beside it; or nghttpx (--scenario S1): the
# harness's plain forward proxy (--http2-proxy without TLS).
# SPYGLASS_CALLGRIND_KEEP=DIR keeps each callgrind profile there (SPYGLASS_PERF_KEEP=DIR each
# perf.data); SPYGLASS_DUMP_EXTRA adds
# arguments to every spyglass-dump (e.g. "--set http2=false").
# Several binaries are measured interleaved (A B A B ...), so that they share the machine's
# conditions; each line gives the binary, the figure and the load average at the time.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
shared="${SPYGLASS_SHARED:-$root/../shared}/bench"
mode=cpu scenario=S1 requests=20000 conns=32 repeat=1 bins=()
while [[ $# -gt 0 ]]; do
    case $1 in
    --mode) mode=$2; shift 2 ;;
    --scenario) scenario=$2; shift 2 ;;
    --requests) requests=$2; shift 2 ;;
    --conns) conns=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    -*) echo "cpu_per_request.sh: unknown option $1" >&2; exit 2 ;;
    *) bins+=("$1"); shift ;;
    esac
done
[[ ${#bins[@]} -gt 0 ]] || bins=("$root/build/app/spyglass-dump")
case $mode in cpu | strace | callgrind | perf) ;; *) echo "cpu_per_request.sh: --mode cpu|strace|callgrind|perf" >&2; exit 2 ;; esac
# valgrind follows no exec: a wrapper script would be profiled instead of spyglass-dump.
for b in "${bins[@]}"; do
    if [[ $b == nghttpx-rp && $scenario != S2 ]]; then
        echo "cpu_per_request.sh: nghttpx-rp is measured with --scenario S2 only" >&2
        exit 2
    fi
    if [[ $b == nghttpx && $scenario != S1 ]]; then
        echo "cpu_per_request.sh: nghttpx is measured with --scenario S1 only" >&2
        exit 2
    fi
done
if [[ $mode == callgrind ]]; then
    for b in "${bins[@]}"; do
        [[ $b == nghttpx-rp || $b == nghttpx ]] && continue
        if head -c 2 "$b" | grep -q '#!'; then
            echo "cpu_per_request.sh: --mode callgrind needs the binary itself, not the script $b (set its environment around this script instead)" >&2
            exit 2
        fi
    done
fi
case $scenario in S1 | S2) ;; *) echo "cpu_per_request.sh: --scenario S1|S2" >&2; exit 2 ;; esac

lg="$here/.build/lg"
if [[ ! -x $lg || $shared/loadgen/lg.c -nt $lg ]]; then
    make -s -C "$shared/loadgen" OUT="$here/.build" >&2
fi

me=cpu_per_request.sh
source "$here/lib.sh"
bench_init

# The origin: nginx as the shared harness configures it, serving /1k over HTTP and HTTPS.
mkdir -p "$work/docroot"
head -c 1024 /dev/zero | tr '\0' x >"$work/docroot/1k"
start_origin "$shared"

ticks=$(getconf CLK_TCK)
# utime and stime of all threads, in clock ticks, and minor page faults: "USER SYSTEM FAULTS"
cpu_ticks() { awk '{print $14, $15, $10}' "/proc/$1/stat"; }
# context switches of all threads, voluntary + involuntary
ctx_switches() { cat /proc/"$1"/task/*/status | awk '/ctxt_switches/ {n += $2} END {print n}'; }
# per thread: "TID NAME VOLUNTARY INVOLUNTARY USER SYSTEM" (times in clock ticks), one line each
thread_switches() {
    local t
    for t in /proc/"$1"/task/*; do
        awk -v tid="${t##*/}" -v stat="$(cat "$t/stat" 2>/dev/null)" '/^Name:/ {n = $2}
            /^voluntary_ctxt/ {v = $2} /^nonvoluntary_ctxt/ {i = $2}
            END {sub(/^.*\) /, "", stat); split(stat, f, " "); print tid, n, v, i, f[12] + 0, f[13] + 0}' "$t/status"
    done
}

# measure BINARY: one line of figures for one fresh spyglass-dump
measure() {
    local bin=$1 port confdir url extra=() pid tool=() t0 t1 out
    port=$(free_port)
    confdir="$work/conf"
    if [[ $scenario == S1 ]]; then
        url="http://127.0.0.1:$http_port/1k"
    else
        url="https://127.0.0.1:$https_port/1k"
        extra=(--cacert "$confdir/spyglass-ca-cert.pem")
    fi
    if [[ $mode == callgrind ]]; then
        tool=(valgrind --tool=callgrind --instr-atstart=no --dump-instr=no
            "--callgrind-out-file=$work/callgrind.%p")
    fi
    local via=(-x "127.0.0.1:$port")
    if [[ $bin == nghttpx-rp ]]; then
        # The harness's command line (harness.py, TARGETS["nghttpx-rp"]); the client talks to
        # it as to the origin, which it presents the certificate of. Under callgrind in one
        # process, which callgrind_control can reach (a forked worker it cannot).
        local single=()
        [[ $mode == callgrind ]] && single=(--single-process)
        "${tool[@]}" nghttpx "${single[@]}" --conf=/dev/null --frontend="127.0.0.1,$port" \
            --backend="127.0.0.1,$https_port;;tls" --insecure --workers=1 --no-ocsp --no-via \
            --errorlog-file="$work/nghttpx-error.log" \
            "$work/run/origin-key.pem" "$work/run/origin-cert.pem" 2>"$work/proxy.err" &
        via=()
        url="https://127.0.0.1:$port/1k"
        extra=(--cacert "$work/run/origin-cert.pem")
    elif [[ $bin == nghttpx ]]; then
        # The harness's forward proxy (TARGETS["nghttpx"]): absolute-form requests to nginx.
        local single=()
        [[ $mode == callgrind ]] && single=(--single-process)
        "${tool[@]}" nghttpx "${single[@]}" --conf=/dev/null --http2-proxy \
            --frontend="127.0.0.1,$port;no-tls" --backend="127.0.0.1,$http_port" \
            --backend-connections-per-host=1024 --workers=1 --no-ocsp --no-via \
            --errorlog-file="$work/nghttpx-error.log" 2>"$work/proxy.err" &
    else
        "${tool[@]}" "$bin" -q --listen-host 127.0.0.1 -p "$port" --confdir "$confdir" \
            --set ssl_insecure=true ${SPYGLASS_DUMP_EXTRA:-} 2>"$work/proxy.err" &
    fi
    pid=$!
    local owner=$pid
    wait_port "$port"
    # nghttpx's master process only supervises: its worker process does the work.
    [[ $bin == nghttpx* && $mode != callgrind ]] && pid=$(pgrep -P "$owner" | head -1)
    # Warm-up: connections, certificates and caches as in a run that has been going a while.
    "$lg" "${via[@]}" -c 32 -n 1000 -d 120 "${extra[@]}" "$url" >/dev/null 2>&1
    local sp=
    case $mode in
    strace)
        strace -c -f -p "$pid" -o "$work/strace.out" &
        sp=$!
        sleep 0.5
        ;;
    callgrind) callgrind_control -i on "$pid" >/dev/null ;;
    perf)
        perf record -q -g -p "$pid" -o "$work/perf.data" 2>/dev/null &
        sp=$!
        sleep 0.5
        ;;
    esac
    t0=$(cpu_ticks "$pid")
    local cs0 cs1
    cs0=$(ctx_switches "$pid")
    thread_switches "$pid" >"$work/threads.0"
    out=$("$lg" "${via[@]}" -c "$conns" -n "$requests" -d 600 "${extra[@]}" "$url" 2>&1 >/dev/null)
    t1=$(cpu_ticks "$pid")
    cs1=$(ctx_switches "$pid")
    thread_switches "$pid" >"$work/threads.1"
    case $mode in
    strace | perf)
        kill -INT "$sp"
        wait "$sp" || true
        ;;
    callgrind)
        callgrind_control -i off "$pid" >/dev/null
        callgrind_control -d "$pid" >/dev/null
        sleep 1
        ;;
    esac
    kill "$owner"
    wait "$owner" 2>/dev/null || true
    local line
    line="$(basename "$bin") $scenario load=$(cut -d' ' -f1 /proc/loadavg)"
    case $mode in
    cpu)
        line+=" $(awk -v a="$t0" -v b="$t1" -v t="$ticks" -v n="$requests" 'BEGIN {
            split(a, x, " "); split(b, y, " "); u = (y[1] - x[1]) * 1e6 / t / n; s = (y[2] - x[2]) * 1e6 / t / n
            printf "cpu_us/req=%.1f user=%.1f system=%.1f faults/req=%.2f", u + s, u, s, (y[3] - x[3]) / n }')"
        line+=" ctxsw/req=$(awk -v a="$cs0" -v b="$cs1" -v n="$requests" 'BEGIN { printf "%.2f", (b - a) / n }')"
        # per thread kind (workers summed): voluntary/involuntary switches and user/system
        # µs per request
        line+=" ($(awk -v n="$requests" -v t="$ticks" 'NR == FNR {v[$1] = $3; i[$1] = $4; u[$1] = $5; s[$1] = $6; next}
            {dv[$2] += $3 - v[$1]; di[$2] += $4 - i[$1]; du[$2] += $5 - u[$1]; ds[$2] += $6 - s[$1]}
            END {for (k in dv) {printf "%s%s %.2f/%.2f u%.1f s%.1f", sep, k, dv[k] / n, di[k] / n,
                du[k] * 1e6 / t / n, ds[k] * 1e6 / t / n; sep = ", "}}' \
            "$work/threads.0" "$work/threads.1"))"
        ;;
    strace)
        line+=" syscalls/req:"
        line+=$(awk -v n="$requests" '$NF ~ /^[a-z_0-9]+$/ && $4 ~ /^[0-9]+$/ && $NF != "total" {
            printf " %s=%.2f", $NF, $4 / n }' "$work/strace.out")
        ;;
    callgrind)
        local f total hs
        f=$(ls -S "$work"/callgrind.* | head -1)
        total=$(callgrind_annotate "$f" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
        hs=$(callgrind_annotate --inclusive=yes "$f" 2>/dev/null |
            awk '/\?\?\?:SSL_do_handshake / && !seen {gsub(",", "", $1); print $1; seen = 1}')
        line+=" instructions/req=$((total / requests)) without_tls_handshakes=$(((total - ${hs:-0}) / requests))"
        # SPYGLASS_CALLGRIND_KEEP=DIR keeps the profile for callgrind_annotate.
        if [[ -n ${SPYGLASS_CALLGRIND_KEEP:-} ]]; then
            mkdir -p "$SPYGLASS_CALLGRIND_KEEP"
            cp "$f" "$SPYGLASS_CALLGRIND_KEEP/callgrind.$scenario.$(basename "$bin").$$.$RANDOM"
        fi
        rm -f "$work"/callgrind.*
        ;;
    perf)
        # Self time by DSO and symbol, kernel included: where the cycles go, not the calls.
        line+=$'\n'$(perf report -i "$work/perf.data" --no-children --sort dso,symbol -g none \
            --percent-limit 0.7 2>/dev/null | grep -v '^#' | grep '%' |
            awk '{printf "  %s %s %s\n", $1, $2, $4}')
        if [[ -n ${SPYGLASS_PERF_KEEP:-} ]]; then
            mkdir -p "$SPYGLASS_PERF_KEEP"
            cp "$work/perf.data" "$SPYGLASS_PERF_KEEP/perf.$scenario.$(basename "$bin").$$.$RANDOM"
        fi
        rm -f "$work/perf.data"
        ;;
    esac
    echo "$line | ${out##*lg: }"
}

for _ in $(seq "$repeat"); do
    for b in "${bins[@]}"; do measure "$b"; done
done

#!/usr/bin/env bash
# Spyglass beside its peers, in one run, with the shared harness (../shared/bench; its README
# explains scenarios and columns). Spyglass records every flow while it is measured.
#   bench/run.sh [harness options...]     e.g. --scenarios S1,S2 --repeat 3
# Defaults: every scenario of issue 2 (S1 S2 S4 S5 S6), targets direct, mitmdump, nghttpx,
# nghttpx-rp and spyglass, 3 repeats. Results land in bench/results/<timestamp>/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
shared="${SPYGLASS_SHARED:-$root/../shared}"
[[ -x $shared/bench/run.sh || -f $shared/bench/run.sh ]] || {
    echo "bench/run.sh: the shared harness is not at $shared/bench (set SPYGLASS_SHARED)" >&2
    exit 2
}
dump="${SPYGLASS_DUMP:-$root/build/app/spyglass-dump}"
[[ -x $dump ]] || { echo "bench/run.sh: build first (./dev.sh build): $dump missing" >&2; exit 2; }

export BENCH_WORK="${BENCH_WORK:-$here}"
args=("$@")
has() { local k=$1; for a in "${args[@]}"; do [[ $a == "$k" ]] && return 0; done; return 1; }
extra=()
has --scenarios || extra+=(--scenarios S1,S2,S4,S5,S6)
has --targets || extra+=(--targets direct,mitmdump,nghttpx,nghttpx-rp)
has --repeat || extra+=(--repeat 3)
has --out || extra+=(--out "$here/results/$(date +%Y%m%d-%H%M%S)")

exec bash "$shared/bench/run.sh" --proxy-name spyglass \
    --proxy-cmd "$dump -q --listen-host 127.0.0.1 -p {port} --confdir {confdir} --set ssl_insecure=true" \
    "${extra[@]}" "${args[@]}"

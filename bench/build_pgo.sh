#!/usr/bin/env bash
# A profile-guided (GCC PGO) build of spyglass-dump, the way a release is built: an instrumented
# build is trained on proxy traffic of every common kind, then built again with that profile.
#   bench/build_pgo.sh [--out DIR]        (default: build-pgo; the result is DIR/app/spyglass-dump)
# Training (about a minute): through the instrumented spyglass-dump, recording every flow, to the
# shared harness's nginx: plain HTTP/1.1 keep-alive, HTTPS through CONNECT with interception,
# HTTP/2 over TLS, a fresh TLS connection per request, 100 KiB and 20 MiB bodies both ways of
# streaming (buffered and past stream_large_bodies), and a client that hangs up mid-download.
# The profile steers inlining and code layout; a path it never saw is still compiled, only
# without the profile's hints (-fprofile-partial-training).
# Needs what bench/run.sh needs (nginx, the harness's load generator, curl) and ~10 minutes on
# two cores. docs/benchmarks.md says what it changes.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
shared="${SPYGLASS_SHARED:-$root/../shared}/bench"
out="$root/build-pgo"
while [[ $# -gt 0 ]]; do
    case $1 in
    --out) out=$(realpath -m "$2"); shift 2 ;;
    *) echo "build_pgo.sh: unknown argument $1 (usage: bench/build_pgo.sh [--out DIR])" >&2; exit 2 ;;
    esac
done
[[ -f $shared/nginx.conf.tmpl ]] || {
    echo "build_pgo.sh: the shared harness is not at $shared (set SPYGLASS_SHARED)" >&2
    exit 2
}
for tool in nginx curl cmake ninja; do
    command -v "$tool" >/dev/null || { echo "build_pgo.sh: $tool is missing" >&2; exit 2; }
done

me=build_pgo.sh
source "$here/lib.sh"
bench_init

# Both builds in the same folder: a profile is found by the object file's path.
profile="$out/profile"
lg="$here/.build/lg"
if [[ ! -x $lg || $shared/loadgen/lg.c -nt $lg ]]; then
    make -s -C "$shared/loadgen" OUT="$here/.build" >&2
fi

configure() { # DIR FLAGS
    cmake -S "$root" -B "$1" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DSPYGLASS_BUILD_TESTS=OFF "-DCMAKE_C_FLAGS=$2" "-DCMAKE_CXX_FLAGS=$2" \
        "-DCMAKE_EXE_LINKER_FLAGS=$3" >"$work/cmake.log" 2>&1 ||
        { cat "$work/cmake.log" >&2; exit 1; }
}

echo "$me: instrumented build in $out" >&2
rm -rf "$profile"
configure "$out" "-fprofile-generate=$profile -fprofile-update=atomic" "-fprofile-generate=$profile"
cmake --build "$out" --parallel "$(nproc)" --target spyglass-dump >&2

echo "$me: training" >&2
mkdir -p "$work/docroot"
head -c 1024 /dev/urandom >"$work/docroot/1k"
head -c $((100 * 1024)) /dev/urandom >"$work/docroot/100k"
head -c $((20 * 1024 * 1024)) /dev/urandom >"$work/docroot/20m"
start_origin "$shared"
port=$(free_port)
confdir="$work/conf"
"$out/app/spyglass-dump" -q --listen-host 127.0.0.1 -p "$port" --confdir "$confdir" \
    --set ssl_insecure=true --set stream_large_bodies=1m >"$work/dump.out" 2>&1 &
dump=$!
pids+=("$dump")
wait_port "$port"
ca=(--cacert "$confdir/spyglass-ca-cert.pem")
plain="http://127.0.0.1:$http_port"
tls="https://127.0.0.1:$https_port"
train() { "$lg" -x "127.0.0.1:$port" -d 120 "$@" >/dev/null 2>&1 || { echo "$me: training step failed: lg $*" >&2; exit 1; }; }
train -c 32 -n 40000 "$plain/1k"
train -c 32 -n 40000 "${ca[@]}" "$tls/1k"
train -c 4 -m 8 -n 20000 --h2 "${ca[@]}" "$tls/1k"
train -c 8 -n 1500 --new-conn "${ca[@]}" "$tls/1k"
train -c 8 -n 3000 "${ca[@]}" "$tls/100k"
for url in "$plain/20m" "$tls/20m"; do
    curl -sS -o /dev/null -x "127.0.0.1:$port" "${ca[@]}" "$url"
done
# A client that leaves mid-body, and a request the proxy must refuse.
curl -sS -o /dev/null --max-time 0.05 -x "127.0.0.1:$port" --limit-rate 100k "${ca[@]}" "$tls/20m" 2>/dev/null || true
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET http://127.0.0.1:%s/1k HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n' \
    "$http_port" >&3
timeout 5 cat <&3 >/dev/null || true
exec 3>&-
kill -TERM "$dump"
wait "$dump" || { echo "$me: the instrumented spyglass-dump did not exit cleanly" >&2; cat "$work/dump.out" >&2; exit 1; }
[[ -n $(find "$profile" -name '*.gcda' -print -quit 2>/dev/null) ]] || {
    echo "$me: training wrote no profile into $profile" >&2
    exit 1
}

echo "$me: optimized build in $out" >&2
configure "$out" "-fprofile-use=$profile -fprofile-partial-training -Wno-missing-profile" ""
cmake --build "$out" --parallel "$(nproc)" --target spyglass-dump >&2
echo "$out/app/spyglass-dump"

# Shared by the bench scripts (sourced, not run): a work directory that goes away with the
# script together with every process it started, free loopback ports, waiting for a listener,
# and the shared harness's nginx as the origin. The sourcing script sets `me` (its name, for
# messages) first.

# A fresh $work and an empty $pids; both are cleaned up when the script exits.
bench_init() {
    work=$(mktemp -d)
    pids=()
    trap bench_cleanup EXIT
}

bench_cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Waits up to 30 s for something to listen on 127.0.0.1:PORT; else says so and exits.
wait_port() {
    for _ in $(seq 300); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.1
    done
    echo "$me: nothing listens on port $1" >&2
    exit 1
}

# nginx configured as the shared harness configures it (SHARED_BENCH: its bench folder),
# serving $work/docroot (which the caller fills) over HTTP on $http_port and HTTPS on
# $https_port (a fresh self-signed certificate for 127.0.0.1).
start_origin() {
    local shared_bench=$1
    chmod 755 "$work" # nginx's worker runs as nobody
    mkdir -p "$work/docroot" "$work/run"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
        -keyout "$work/run/origin-key.pem" -out "$work/run/origin-cert.pem" -subj /CN=127.0.0.1 \
        -addext subjectAltName=IP:127.0.0.1 2>/dev/null
    http_port=$(free_port)
    https_port=$(free_port)
    sed -e "s#@WORKERS@#1#; s#@RUNDIR@#$work/run#g; s#@HTTP_PORT@#$http_port#" \
        -e "s#@HTTPS_PORT@#$https_port#; s#@DOCROOT@#$work/docroot#" \
        "$shared_bench/nginx.conf.tmpl" >"$work/run/nginx.conf"
    nginx -c "$work/run/nginx.conf" -p "$work/run" >"$work/run/nginx.out" 2>&1 &
    pids+=($!)
    wait_port "$http_port"
    wait_port "$https_port"
}

#!/usr/bin/env bash
# Packaging test for Linux (issue 7): build the .deb from the build tree with CPack, unpack it
# into a scratch root with dpkg-deb -x, and check what a user gets:
#   - the installed spyglass-dump and spyglass print the CMake project's version;
#   - the installed spyglass-dump proxies a curl request to a local origin;
#   - the desktop entry passes desktop-file-validate, the metainfo appstreamcli validate;
#   - icons, man pages and docs are where they belong;
#   - lintian finds no error or warning that installers/linux/lintian-overrides does not name.
# Usage: test_deb.sh BUILD_DIR VERSION APP_ID   (registered in tests/CMakeLists.txt)
# The tools come from dev.sh's TEST_PACKAGES (lintian, desktop-file-utils, appstream, curl).
set -euo pipefail

build=$(cd "$1" && pwd)
version=$2
app_id=$3
python=/usr/bin/python3

fail() {
    echo "FAIL: $*" >&2
    exit 1
}
for tool in cpack dpkg-deb desktop-file-validate appstreamcli lintian curl "$python"; do
    command -v "$tool" >/dev/null || fail "$tool is missing: ./dev.sh deps installs it"
done

tmp=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT

echo "== cpack -G DEB"
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/out" >"$tmp/cpack.log" 2>&1 ||
    { cat "$tmp/cpack.log"; fail "cpack -G DEB failed"; }
debs=("$tmp"/out/spyglass_"$version"-*_*.deb)
[[ -f ${debs[0]} ]] || { ls -l "$tmp/out"; fail "no spyglass_${version}-*.deb was written"; }
deb=${debs[0]}
echo "built $(basename "$deb")"

[[ $(dpkg-deb -f "$deb" Version) == "$version"-* ]] || fail "package version is not $version"
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libqt6core6 libqt6widgets6 libssl3 libnghttp2-14; do
    [[ $depends == *"$lib "* ]] || fail "Depends lacks $lib (shlibdeps): $depends"
done
# Built with the io_uring path (engine/CMakeLists.txt found liburing): its runtime library.
if grep -qx 'LIBURING_FOUND:INTERNAL=1' "$build/CMakeCache.txt"; then
    [[ $depends == *"liburing2 "* ]] || fail "Depends lacks liburing2 (shlibdeps): $depends"
fi

echo "== dpkg-deb -x"
root=$tmp/root
dpkg-deb -x "$deb" "$root"
for f in usr/bin/spyglass usr/bin/spyglass-dump \
    "usr/share/applications/$app_id.desktop" "usr/share/metainfo/$app_id.metainfo.xml" \
    "usr/share/icons/hicolor/scalable/apps/$app_id.svg" \
    "usr/share/icons/hicolor/48x48/apps/$app_id.png" \
    "usr/share/icons/hicolor/256x256/apps/$app_id.png" \
    usr/share/man/man1/spyglass.1.gz usr/share/man/man1/spyglass-dump.1.gz \
    usr/share/doc/spyglass/copyright usr/share/doc/spyglass/changelog.gz \
    usr/share/doc/spyglass/changelog.Debian.gz usr/share/lintian/overrides/spyglass; do
    [[ -s $root/$f ]] || fail "/$f is not in the package"
done
file "$root/usr/share/icons/hicolor/48x48/apps/$app_id.png" | grep -q '48 x 48' ||
    fail "the 48x48 icon is not 48x48"

echo "== --version"
got=$("$root/usr/bin/spyglass-dump" --version)
[[ $got == "spyglass-dump $version" ]] || fail "spyglass-dump --version says '$got', not $version"
got=$(env -u DISPLAY -u WAYLAND_DISPLAY "$root/usr/bin/spyglass" --version)
[[ $got == "spyglass $version" ]] || fail "spyglass --version says '$got', not $version"
grep -q "<release version=\"$version\"" "$root/usr/share/metainfo/$app_id.metainfo.xml" ||
    fail "the metainfo's release is not $version"
zcat "$root/usr/share/man/man1/spyglass-dump.1.gz" | grep -q "\"Spyglass $version\"" ||
    fail "the man page is not for $version"
zcat "$root/usr/share/man/man1/spyglass-dump.1.gz" | grep -q '^\.B stream_large_bodies$' ||
    fail "the man page does not list the --options"

echo "== a request through the installed spyglass-dump"
mkdir -p "$tmp/www"
echo "hello from the origin $RANDOM" >"$tmp/www/hello.txt"
"$python" -u -c '
import http.server, functools, sys
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
print(server.server_address[1], flush=True)
server.serve_forever()' "$tmp/www" >"$tmp/origin.port" 2>"$tmp/origin.log" &
pids+=($!)
"$root/usr/bin/spyglass-dump" -p 0 --confdir "$tmp/conf" >"$tmp/dump.out" 2>"$tmp/dump.err" &
pids+=($!)
proxy_port='' origin_port=''
for _ in $(seq 100); do
    origin_port=$(head -n1 "$tmp/origin.port" 2>/dev/null || true)
    proxy_port=$(sed -n 's/^spyglass-dump: proxy listening at 127\.0\.0\.1:\([0-9]*\)$/\1/p' \
        "$tmp/dump.err")
    [[ -n $origin_port && -n $proxy_port ]] && break
    sleep 0.1
done
[[ -n $proxy_port ]] || { cat "$tmp/dump.err"; fail "the installed spyglass-dump did not start"; }
[[ -n $origin_port ]] || { cat "$tmp/origin.log"; fail "the origin did not start"; }
url="http://127.0.0.1:$origin_port/hello.txt"
body=$(curl -sS --max-time 20 --noproxy '' -x "http://127.0.0.1:$proxy_port" "$url") ||
    { cat "$tmp/dump.err"; fail "curl through the proxy failed"; }
[[ $body == "$(cat "$tmp/www/hello.txt")" ]] || fail "curl got '$body' through the proxy"
for _ in $(seq 100); do
    grep -q "GET $url" "$tmp/dump.out" && break
    sleep 0.1
done
grep "GET $url" "$tmp/dump.out" | grep -q 200 ||
    { cat "$tmp/dump.out" "$tmp/dump.err"; fail "the dump printed no line for $url with 200"; }
[[ -s $tmp/conf/spyglass-ca-cert.pem ]] || fail "no CA was created in --confdir"
echo "proxied: $(grep "GET $url" "$tmp/dump.out")"

echo "== desktop-file-validate, appstreamcli validate"
desktop-file-validate "$root/usr/share/applications/$app_id.desktop"
appstreamcli validate --no-net "$root/usr/share/metainfo/$app_id.metainfo.xml"

echo "== lintian"
rc=0
lintian --fail-on error,warning "$deb" >"$tmp/lintian.log" 2>&1 || rc=$?
grep -v '^running with root privileges' "$tmp/lintian.log" || true
((rc == 0)) ||
    fail "lintian reports errors or warnings that installers/linux/lintian-overrides does not excuse"
echo "PASS"

#!/usr/bin/env bash
# Packaging test for RPM-based systems (issue 7): CPack's RPM from the build tree carries the
# project's version, the same files as the .deb (test_deb.sh runs them) and requirements that
# rpm computed from the binaries.
# Usage: test_rpm.sh BUILD_DIR VERSION APP_ID   (registered in tests/CMakeLists.txt)
# rpmbuild comes from dev.sh's TEST_PACKAGES (rpm).
set -euo pipefail

build=$(cd "$1" && pwd)
version=$2
app_id=$3

fail() {
    echo "FAIL: $*" >&2
    exit 1
}
for tool in cpack rpmbuild rpm; do
    command -v "$tool" >/dev/null || fail "$tool is missing: ./dev.sh deps installs it"
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== cpack -G RPM"
cpack -G RPM --config "$build/CPackConfig.cmake" -B "$tmp/out" >"$tmp/cpack.log" 2>&1 ||
    { cat "$tmp/cpack.log"; fail "cpack -G RPM failed"; }
rpms=("$tmp"/out/spyglass-"$version"-*.rpm)
[[ -f ${rpms[0]} ]] || { ls -l "$tmp/out"; fail "no spyglass-${version}-*.rpm was written"; }
pkg=${rpms[0]}
echo "built $(basename "$pkg")"

got=$(rpm -qp --queryformat '%{NAME} %{VERSION}' "$pkg" 2>/dev/null)
[[ $got == "spyglass $version" ]] || fail "the package is '$got', not spyglass $version"
rpm -qp --queryformat '%{DESCRIPTION}' "$pkg" 2>/dev/null | grep -q '^Spyglass sits between' ||
    fail "the package has CPack's default description"

rpm -qpl "$pkg" 2>/dev/null >"$tmp/files"
for f in /usr/bin/spyglass /usr/bin/spyglass-dump "/usr/share/applications/$app_id.desktop" \
    "/usr/share/metainfo/$app_id.metainfo.xml" "/usr/share/icons/hicolor/scalable/apps/$app_id.svg" \
    /usr/share/man/man1/spyglass.1.gz /usr/share/man/man1/spyglass-dump.1.gz; do
    grep -qx "$f" "$tmp/files" || fail "$f is not in the package"
done
for d in /usr /usr/bin /usr/share /usr/share/applications /usr/share/man/man1; do
    ! grep -qx "$d" "$tmp/files" || fail "the package claims the system directory $d"
done

rpm -qp --requires "$pkg" 2>/dev/null >"$tmp/requires"
for lib in libQt6Core.so.6 libQt6Widgets.so.6 libssl.so.3 libnghttp2.so.14; do
    grep -q "^$lib" "$tmp/requires" || fail "Requires lacks $lib: $(tr '\n' ' ' <"$tmp/requires")"
done
# Built with the io_uring path (engine/CMakeLists.txt found liburing): its runtime library.
if grep -qx 'LIBURING_FOUND:INTERNAL=1' "$build/CMakeCache.txt"; then
    grep -q "^liburing.so.2" "$tmp/requires" ||
        fail "Requires lacks liburing.so.2: $(tr '\n' ' ' <"$tmp/requires")"
fi
echo "PASS"

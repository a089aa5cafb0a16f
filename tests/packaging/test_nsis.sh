#!/usr/bin/env bash
# The Windows installer's configuration (installers/cpack.cmake, windows/*.nsh), checked here
# with Debian's makensis since no Windows machine runs cpack: `cpack -G NSIS` with this build
# tree's CPackConfig.cmake fills CPack's NSIS template with our CPACK_NSIS_* values and
# compiles it, the association scripts included, into an installer. Its payload is a stand-in
# bin/ (CPACK_INSTALLED_DIRECTORIES instead of the install rules, which on Linux install the
# Linux programs): what is checked is the installer's script. The generated project.nsi must
# hold what a Windows user gets: the Start-menu entries for Spyglass and its uninstaller, the
# Programs and Features entry with the icon, and the .spyglass / .har associations written at
# install and removed at uninstall.
# Usage: test_nsis.sh BUILD_DIR VERSION   (registered in tests/CMakeLists.txt)
# Exits 77 (ctest: skipped) without makensis (package nsis: ./dev.sh deps installs it).
set -euo pipefail
build=$(cd "$1" && pwd)
version=$2

fail() {
    echo "FAIL: $*" >&2
    exit 1
}
if ! command -v makensis >/dev/null; then
    echo "SKIP: makensis is missing (package nsis)"
    exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/payload/bin"
echo "stand-in" >"$tmp/payload/bin/spyglass.exe"
echo "stand-in" >"$tmp/payload/bin/spyglass-dump.exe"
echo "== cpack -G NSIS"
cpack -G NSIS --config "$build/CPackConfig.cmake" -B "$tmp/out" -D CPACK_INSTALL_CMAKE_PROJECTS= \
    -D "CPACK_INSTALLED_DIRECTORIES=$tmp/payload;." >"$tmp/cpack.log" 2>&1 ||
    {
        cat "$tmp/cpack.log"
        # makensis's own message (the line of the .nsh it stopped at) is in NSISOutput.log.
        find "$tmp/out" -name NSISOutput.log -exec tail -n 15 {} \;
        fail "cpack -G NSIS failed"
    }
installers=("$tmp"/out/spyglass-"$version"-*.exe)
[[ -f ${installers[0]} ]] || { ls -l "$tmp/out"; fail "no spyglass-$version-*.exe was written"; }
file "${installers[0]}" | grep -q 'PE32' || fail "$(file "${installers[0]}") is not a Windows program"
nsi=$(find "$tmp/out/_CPack_Packages" -name project.nsi | head -n 1)
[[ -f $nsi ]] || fail "cpack left no project.nsi"

# expect PATTERN WHAT: a line of project.nsi matches the (grep -E) pattern.
expect() {
    grep -Eq -- "$1" "$nsi" || fail "project.nsi has no $2 (pattern: $1)"
    echo "ok   $2"
}
expect '^!define MUI_ICON ".*spyglass\.ico"' "installer icon"
expect 'CreateShortCut "\$SMPROGRAMS\\\$STARTMENU_FOLDER\\Spyglass\.lnk" "\$INSTDIR\\bin\\spyglass\.exe"' \
    "Start-menu entry for bin\\spyglass.exe"
expect 'CreateShortCut "\$SMPROGRAMS\\\$STARTMENU_FOLDER\\Uninstall\.lnk" "\$INSTDIR\\Uninstall\.exe"' \
    "Start-menu entry for the uninstaller"
expect 'Delete "\$SMPROGRAMS\\\$MUI_TEMP\\Spyglass\.lnk"' "Start-menu entry removed at uninstall"
expect '^  Push "UninstallString"' "Programs and Features entry"
grep -A1 '^  Push "DisplayIcon"' "$nsi" | grep -Fq 'Push "$INSTDIR\bin\spyglass.exe"' ||
    fail "the Programs and Features icon is not bin\\spyglass.exe"
echo "ok   Programs and Features icon"
expect "^!include '.*installers/windows/associate\.nsh'" "file associations at install"
expect "^!include '.*installers/windows/unassociate\.nsh'" "file associations removed at uninstall"

# The association scripts: in the install section and the uninstall section respectively.
awk '/^Section "-Core installation"/,/^SectionEnd/' "$nsi" | grep -q 'associate\.nsh' ||
    fail "associate.nsh is not in the install section"
awk '/^Section "Uninstall"/,/^SectionEnd/' "$nsi" | grep -q 'unassociate\.nsh' ||
    fail "unassociate.nsh is not in the uninstall section"
echo "ok   associations in the install and uninstall sections"
echo PASS

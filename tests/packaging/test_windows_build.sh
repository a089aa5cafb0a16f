#!/usr/bin/env bash
# The Windows code paths, compiled here with MinGW-w64 since no Windows machine builds them
# (issue 7). Every source file under engine/, ui/ and app/ with a platform branch is compiled
# for x86_64-w64-mingw32 to an object file, against this machine's Qt 6 and OpenSSL headers,
# with the project's warnings as errors: the files with a Windows branch (Q_OS_WIN, _WIN32),
# and those with a Linux, Unix or macOS one (Q_OS_LINUX, __linux__, Q_OS_UNIX, Q_OS_MACOS,
# __APPLE__), whose other branch is what Windows compiles. Then every Windows API function an
# object imports (an undefined __imp_NAME symbol, Qt's own left aside) must be exported by the
# MinGW import libraries its target links on Windows: the compiler's defaults (kernel32,
# user32, advapi32, shell32, msvcrt) plus the WIN32 link lines of the CMake files, passed in
# by tests/CMakeLists.txt. A wrong header, a misspelt or mistyped API call, a narrow string
# where Windows wants a wide one, or a system library missing from CMake fails this test.
#
# Qt's headers need no shim: the public ones are platform-neutral, qsystemdetection.h derives
# Q_OS_WIN from the compiler's _WIN32, and qconfig.h / qtcore-config.h only switch Qt features
# that are the same in Qt's Windows build for everything the sources use. OpenSSL's headers
# are portable too except openssl/configuration.h, generated per platform: the copy made below
# differs from this machine's in the one line that matters, BN_ULONG's width (Win64's long
# is 32 bits: SIXTY_FOUR_BIT, not SIXTY_FOUR_BIT_LONG). Nothing is linked against Qt or
# OpenSSL (there are no Windows builds of them here), and nothing runs: what the API calls do
# on a real Windows is still untested.
#
# Usage: test_windows_build.sh SOURCE_DIR QT_INCLUDE_DIRS OPENSSL_INCLUDE_DIR PREFIX=LIB,LIB ...
#   QT_INCLUDE_DIRS  :-separated (Qt6::Core, Network, Gui, Widgets include directories)
#   PREFIX=LIBS      the Windows libraries a file under PREFIX may use (longest prefix wins)
# Exits 77 (ctest: skipped) when the cross compiler is missing (./dev.sh deps installs it).
set -euo pipefail
src=$1
qt_dirs=$2
openssl_dir=$3
shift 3

cxx=
for c in x86_64-w64-mingw32-g++-posix x86_64-w64-mingw32-g++-win32 x86_64-w64-mingw32-g++; do
    if command -v "$c" >/dev/null; then cxx=$c; break; fi
done
if [[ -z $cxx ]]; then
    echo "SKIP: no MinGW-w64 C++ compiler (package g++-mingw-w64-x86-64-posix)"
    exit 77
fi
nm=x86_64-w64-mingw32-nm
sysroot=/usr/x86_64-w64-mingw32/lib
command -v "$nm" >/dev/null || { echo "FAIL: $nm is missing (binutils-mingw-w64-x86-64)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

declare -A prefix_libs=()
for spec in "$@"; do
    prefix_libs[${spec%%=*}]=${spec#*=}
done

includes=()
IFS=':' read -ra dirs <<<"$qt_dirs"
for d in "${dirs[@]}"; do
    # Linux's qplatformdefs.h (mkspecs) and the system's own headers must not shadow MinGW's.
    [[ $d == */mkspecs/* || $d == /usr/include || $d == /usr/local/include ]] && continue
    includes+=(-isystem "$d")
done
# OpenSSL: its headers through symlinks, configuration.h rewritten for Win64 (see above).
shim=$work/openssl-shim/openssl
mkdir -p "$shim"
conf=
# Debian keeps the generated headers in the multiarch directory.
multiarch=$(gcc -print-multiarch 2>/dev/null || true)
for d in "$openssl_dir/openssl" ${multiarch:+"$openssl_dir/$multiarch/openssl"}; do
    [[ -d $d ]] || continue
    for h in "$d"/*.h; do ln -sf "$h" "$shim/"; done
    [[ -f $d/configuration.h ]] && conf=$d/configuration.h
done
[[ -n $conf ]] || { echo "FAIL: no openssl/configuration.h under $openssl_dir" >&2; exit 1; }
rm "$shim/configuration.h"
sed -e 's/^\(# *define\) SIXTY_FOUR_BIT_LONG$/\1 SIXTY_FOUR_BIT/' \
    -e 's/^\(# *undef\) SIXTY_FOUR_BIT$/\1 SIXTY_FOUR_BIT_LONG/' "$conf" >"$shim/configuration.h"
grep -q '^# *define SIXTY_FOUR_BIT$' "$shim/configuration.h" ||
    { echo "FAIL: $conf does not define SIXTY_FOUR_BIT_LONG: the Win64 rewrite needs a look" >&2; exit 1; }
includes+=(-isystem "$work/openssl-shim" -I "$src/engine" -I "$src/ui" -I "$src/app/common")
# What Qt6::Platform defines for a MinGW build, and the project's warnings (SPYGLASS_WARNINGS).
flags=(-std=c++20 -Wall -Wextra -Wno-unused-parameter -Werror -DUNICODE -D_UNICODE -DWIN32
    -DMINGW_HAS_SECURE_API=1 -DSPYGLASS_VERSION='"0"')

# The probe: Qt's headers must see Windows, or every check below would test the POSIX branch.
printf '#include <QtGlobal>\n#ifndef Q_OS_WIN\n#error Q_OS_WIN is not defined\n#endif\n' >"$work/probe.cpp"
"$cxx" "${flags[@]}" "${includes[@]}" -fsyntax-only "$work/probe.cpp"

# The exports of a MinGW import library, listed once each (in this shell, not a subshell,
# so that the table keeps them).
declare -A lib_exports=()
load_exports() {
    local lib=$1 file=$sysroot/lib$1.a
    [[ -n ${lib_exports[$lib]:-} ]] && return 0
    [[ -f $file ]] || { echo "FAIL: $file does not exist (library '$lib' in CMake)" >&2; exit 1; }
    "$nm" --defined-only "$file" 2>/dev/null | awk '$3 ~ /^__imp_/ {print $3}' | sort -u >"$work/lib-$lib"
    lib_exports[$lib]=$work/lib-$lib
}

platform='Q_OS_WIN|_WIN32|Q_OS_LINUX|__linux__|Q_OS_UNIX|Q_OS_MACOS|__APPLE__'
mapfile -t files < <(cd "$src" && grep -rlE --include='*.cpp' "$platform" engine ui app | sort)
if ((${#files[@]} < 10)); then
    echo "FAIL: only ${#files[@]} files with a platform branch found; the grep is broken" >&2
    exit 1
fi

failed=0
for f in "${files[@]}"; do
    obj=$work/$(echo "$f" | tr / _).o
    if ! "$cxx" "${flags[@]}" "${includes[@]}" -c -o "$obj" "$src/$f"; then
        echo "FAIL: $f does not compile for Windows"
        failed=1
        continue
    fi
    best=
    for p in "${!prefix_libs[@]}"; do
        if [[ $f == "$p"/* && ${#p} -gt ${#best} ]]; then best=$p; fi
    done
    if [[ -z $best ]]; then
        echo "FAIL: $f: no PREFIX=LIBS argument covers it (tests/CMakeLists.txt)"
        failed=1
        continue
    fi
    libs=(kernel32 user32 advapi32 shell32 msvcrt)
    IFS=',' read -ra extra <<<"${prefix_libs[$best]}"
    libs+=("${extra[@]}")
    exports=()
    for l in "${libs[@]}"; do
        [[ -z $l ]] && continue
        load_exports "$l"
        exports+=("${lib_exports[$l]}")
    done
    imports=$("$nm" -u "$obj" | awk '$2 ~ /^__imp_/ && $2 !~ /^__imp__Z/ && $2 !~ /^__imp_qt_/ {print $2}' | sort -u)
    missing=$(comm -23 <(echo "$imports") <(sort -u "${exports[@]}"))
    if [[ -n $missing ]]; then
        echo "FAIL: $f calls Windows functions that none of ${libs[*]} exports:"
        echo "$missing" | sed 's/^__imp_/    /'
        failed=1
        continue
    fi
    echo "ok   $f ($(echo "$imports" | grep -c . || true) Windows imports, from ${libs[*]})"
done
# The programs' resource script (icon and version block, installers/windows/spyglass.rc.in),
# configured as install.cmake does and compiled by MinGW's resource compiler.
windres=x86_64-w64-mingw32-windres
if command -v "$windres" >/dev/null; then
    sed -e "s|@PROJECT_SOURCE_DIR@|$src|g" -e 's/@PROJECT_VERSION_[A-Z]*@/0/g' \
        -e 's/@PROJECT_VERSION@/0.0.0/g' "$src/installers/windows/spyglass.rc.in" >"$work/spyglass.rc"
    if grep -q '@[A-Z_]*@' "$work/spyglass.rc"; then
        echo "FAIL: spyglass.rc.in uses a variable this test does not fill in:"
        grep '@[A-Z_]*@' "$work/spyglass.rc"
        failed=1
    elif ! "$windres" -i "$work/spyglass.rc" -o "$work/spyglass.res.o"; then
        echo "FAIL: installers/windows/spyglass.rc.in does not compile"
        failed=1
    else
        echo "ok   installers/windows/spyglass.rc.in (icon and version resource)"
    fi
fi
((failed == 0)) || exit 1
echo PASS

#!/usr/bin/env bash
# Spyglass developer entry point (Debian/Ubuntu).
#   ./dev.sh deps    install what is missing (apt-get)
#   ./dev.sh build   deps + configure (Ninja) + build
#   ./dev.sh test    deps + build + every test through ctest
#   ./dev.sh run     deps + build + start the app (the window; spyglass-dump without a display)
#   ./dev.sh fuzz    build the libFuzzer targets with clang into build-fuzz and run each briefly
#   ./dev.sh translations   bring translations/*.ts up to date with the sources (lupdate)
set -euo pipefail
cd "$(dirname "$0")"

BUILD_DIR=${BUILD_DIR:-build}
BUILD_PACKAGES=(build-essential cmake ninja-build pkgconf file qt6-base-dev qt6-tools-dev qt6-declarative-dev
    libssl-dev libnghttp2-dev node-llhttp zlib1g-dev libgoogle-perftools-dev libbrotli-dev
    libzstd-dev librsvg2-bin qt6-l10n-tools libqt6svg6 liburing-dev)
# The packaging tests (tests/packaging) build and check the .deb and .rpm: rpm, lintian,
# desktop-file-utils, appstream, yamllint; test_windows_build compiles the Windows code with
# MinGW-w64 (g++-mingw-w64-x86-64-posix) and test_nsis the Windows installer (nsis).
# test_transparent makes network namespaces: iproute2, iptables. test_export_cli runs the
# exported httpie commands: httpie. test_app_xvfb runs the window under Xvfb and takes a
# screenshot: xvfb, imagemagick, xdotool. Build: lupdate/lrelease (qt6-l10n-tools) for
# translations/, libqt6svg6 draws the SVG icons, liburing-dev the io_uring path (on by default).
TEST_PACKAGES=(curl ca-certificates openssl python3 git clang-14 clang-format-14 libclang-rt-14-dev
    nginx nghttp2-client python3-h2 python3-websockets rpm lintian desktop-file-utils appstream
    yamllint g++-mingw-w64-x86-64-posix nsis iproute2 iptables httpie xvfb xauth imagemagick xdotool)

need_root() {
    if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

deps() {
    local missing=()
    for p in "${BUILD_PACKAGES[@]}" "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
            missing+=("$p")
    done
    if ((${#missing[@]})); then
        echo "dev.sh: installing ${missing[*]}"
        need_root apt-get update -qq
        need_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            --no-install-recommends "${missing[@]}"
    fi
}

build() {
    if [[ ! -f $BUILD_DIR/build.ninja ]]; then
        cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
    fi
    cmake --build "$BUILD_DIR" --parallel "$(nproc)"
}

fuzz() {
    deps clang-14 libclang-rt-14-dev
    local dir=${FUZZ_BUILD_DIR:-build-fuzz}
    if [[ ! -f $dir/build.ninja ]]; then
        CC=clang-14 CXX=clang++-14 cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
            -DSPYGLASS_FUZZ=ON -DSPYGLASS_BUILD_TESTS=ON
    fi
    cmake --build "$dir" --parallel "$(nproc)" --target spyglass_fuzzers
    ctest --test-dir "$dir" -L fuzz --output-on-failure
}

case ${1:-} in
deps) deps "${TEST_PACKAGES[@]}" ;;
build) deps; build ;;
test)
    deps "${TEST_PACKAGES[@]}"
    build
    ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$(nproc)" -LE fuzz
    if [[ ${SPYGLASS_SKIP_FUZZ:-0} != 1 && -f tests/fuzz/CMakeLists.txt ]]; then fuzz; fi
    ;;
run)
    deps
    build
    shift
    # The window needs a display; without one (ssh, CI) the headless proxy takes the same options.
    if [[ -x $BUILD_DIR/app/spyglass && -n ${DISPLAY:-}${WAYLAND_DISPLAY:-}${QT_QPA_PLATFORM:-} ]]; then
        exec "$BUILD_DIR/app/spyglass" "$@"
    fi
    if [[ -x $BUILD_DIR/app/spyglass ]]; then
        echo "dev.sh: no display (DISPLAY/WAYLAND_DISPLAY unset): starting spyglass-dump instead" >&2
    fi
    exec "$BUILD_DIR/app/spyglass-dump" "$@"
    ;;
fuzz) fuzz ;;
translations)
    deps
    if [[ ! -f $BUILD_DIR/build.ninja ]]; then
        cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
    fi
    cmake --build "$BUILD_DIR" --target update_translations
    ;;
*)
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac

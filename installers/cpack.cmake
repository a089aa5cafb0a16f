# CPack: one configuration for every package, included last from the top-level CMakeLists.txt.
#
#   cpack -G DEB        Debian/Ubuntu   spyglass_<version>-1_<arch>.deb
#   cpack -G RPM        Fedora/openSUSE spyglass-<version>-1.<arch>.rpm
#   cpack -G NSIS       Windows         spyglass-<version>-win64.exe
#   cpack -G DragNDrop  macOS           spyglass-<version>-Darwin.dmg
#
# The version is PROJECT_VERSION everywhere; dependencies of the Linux packages are computed
# from the binaries (dpkg-shlibdeps, rpm's automatic requirements), never listed by hand.
set(CPACK_PACKAGE_NAME spyglass)
set(CPACK_PACKAGE_VENDOR "The Spyglass developers")
set(CPACK_PACKAGE_CONTACT "${SPYGLASS_PACKAGE_CONTACT}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "HTTPS-intercepting proxy with a desktop window")
# Lines of at most 80 characters: the Debian description shows them as they are.
set(CPACK_PACKAGE_DESCRIPTION [=[
Spyglass sits between an application or a browser and the network, decrypts
TLS with certificates it mints from its own certificate authority, and records
every exchange: HTTP/1.1, HTTP/2, WebSocket and raw TCP, in regular, reverse
and SOCKS5 modes.

The spyglass program shows the flows live in a window, with mitmproxy's filter
language, session files and HAR export. spyglass-dump is the same proxy
without a window, for servers, CI and scripts: one line per finished exchange.]=])
set(CPACK_PACKAGE_INSTALL_DIRECTORY Spyglass)
set(CPACK_PACKAGE_EXECUTABLES spyglass Spyglass)
set(CPACK_RESOURCE_FILE_README ${PROJECT_SOURCE_DIR}/README.md)
set(CPACK_RESOURCE_FILE_LICENSE ${CMAKE_CURRENT_LIST_DIR}/linux/copyright)
set(CPACK_STRIP_FILES ON)
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build[^/]*/" "__pycache__")

if(WIN32)
    set(CPACK_GENERATOR NSIS)
elseif(APPLE)
    set(CPACK_GENERATOR DragNDrop)
else()
    set(CPACK_GENERATOR DEB)
endif()

# --- Debian -------------------------------------------------------------------------------
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Runtime libraries come from the binaries themselves: dpkg-shlibdeps here, rpm's AUTOREQ below.
# That covers liburing when the io_uring path is built in (engine/CMakeLists.txt): the .deb
# then depends on liburing2 (>= the version built against), the .rpm requires liburing.so.2
# (Fedora's liburing, openSUSE's liburing2); tests/packaging checks both.
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# The window needs a platform plugin; Debian's libqt6gui6 only recommends one. The SVG icon
# engine (libqt6svg6) draws the action icons; without it the actions show text only.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-qpa-plugins, libqt6svg6")

# --- RPM ----------------------------------------------------------------------------------
set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
set(CPACK_RPM_PACKAGE_RELEASE 1)
set(CPACK_RPM_PACKAGE_GROUP "Applications/Internet")
set(CPACK_RPM_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
set(CPACK_RPM_PACKAGE_AUTOREQ ON)
# Directories that the filesystem package owns; the package must not claim them.
set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
    /usr/share/applications /usr/share/metainfo /usr/share/icons /usr/share/icons/hicolor
    /usr/share/man /usr/share/man/man1 /usr/share/doc /usr/share/lintian
    /usr/share/lintian/overrides)

# --- Windows (NSIS) -----------------------------------------------------------------------
# Start-menu entry from CPACK_PACKAGE_EXECUTABLES, an uninstaller with its Start-menu entry
# and its Programs and Features entry (the NSIS generator's own), file associations from
# windows/associate.nsh. Single quotes keep the paths intact through CPackConfig.cmake.
set(CPACK_NSIS_PACKAGE_NAME Spyglass)
set(CPACK_NSIS_DISPLAY_NAME "Spyglass ${PROJECT_VERSION}")
set(CPACK_NSIS_MUI_ICON ${PROJECT_SOURCE_DIR}/resources/icons/spyglass.ico)
set(CPACK_NSIS_MUI_UNIICON ${PROJECT_SOURCE_DIR}/resources/icons/spyglass.ico)
set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\\\spyglass.exe")
set(CPACK_NSIS_MUI_FINISHPAGE_RUN spyglass.exe)
set(CPACK_NSIS_INSTALL_ROOT "$PROGRAMFILES64")
set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
# Offers to put bin\ on the PATH, for spyglass-dump in a terminal.
set(CPACK_NSIS_MODIFY_PATH ON)
set(CPACK_NSIS_EXECUTABLES_DIRECTORY bin)
set(CPACK_NSIS_EXTRA_INSTALL_COMMANDS "!include '${CMAKE_CURRENT_LIST_DIR}/windows/associate.nsh'")
set(CPACK_NSIS_EXTRA_UNINSTALL_COMMANDS "!include '${CMAKE_CURRENT_LIST_DIR}/windows/unassociate.nsh'")

# --- macOS (DragNDrop) --------------------------------------------------------------------
# The DMG holds Spyglass.app and a link to /Applications. Signing the DMG and notarising it
# happen after cpack: installers/macos/README.md.
set(CPACK_DMG_VOLUME_NAME "Spyglass ${PROJECT_VERSION}")
set(CPACK_DMG_FORMAT UDZO)
# The copyright text is not a licence to agree to (and DMG agreements need the deprecated Rez).
set(CPACK_DMG_SLA_USE_RESOURCE_FILE_LICENSE OFF)

include(CPack)

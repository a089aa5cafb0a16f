# Where the programs and their files go when installed, per platform (included from the
# top-level CMakeLists.txt after the targets exist). cpack.cmake turns the result into packages.
#
#   Linux    /usr/bin/spyglass, /usr/bin/spyglass-dump; resources/CMakeLists.txt adds the
#            desktop entry, metainfo, icons and man pages; docs in /usr/share/doc/spyglass.
#   Windows  bin/spyglass.exe (a GUI program), bin/spyglass-dump.exe, and beside them the Qt
#            libraries and plugins (windeployqt), OpenSSL and the other DLLs they need, and the
#            MSVC runtime: the NSIS installer puts this tree in Program Files.
#   macOS    Spyglass.app with spyglass-dump inside it (Contents/MacOS), Qt deployed into the
#            bundle by macdeployqt and, when SPYGLASS_CODESIGN_IDENTITY is set, signed.

if(APPLE)
    set(SPYGLASS_CODESIGN_IDENTITY "" CACHE STRING
        "macOS: codesign identity for the app bundle, e.g. 'Developer ID Application: Name (TEAMID)' (empty: not signed)")
    set(icns ${PROJECT_SOURCE_DIR}/resources/icons/spyglass.icns)
    target_sources(spyglass PRIVATE ${icns})
    set_source_files_properties(${icns} PROPERTIES MACOSX_PACKAGE_LOCATION Resources)
    set_target_properties(spyglass PROPERTIES
        MACOSX_BUNDLE ON
        OUTPUT_NAME Spyglass
        MACOSX_BUNDLE_INFO_PLIST ${CMAKE_CURRENT_LIST_DIR}/macos/Info.plist.in
        MACOSX_BUNDLE_BUNDLE_NAME Spyglass
        MACOSX_BUNDLE_EXECUTABLE_NAME Spyglass
        MACOSX_BUNDLE_GUI_IDENTIFIER ${SPYGLASS_APP_ID}
        MACOSX_BUNDLE_ICON_FILE spyglass.icns
        MACOSX_BUNDLE_BUNDLE_VERSION ${PROJECT_VERSION}
        MACOSX_BUNDLE_SHORT_VERSION_STRING ${PROJECT_VERSION}
        MACOSX_BUNDLE_COPYRIGHT "The Spyglass developers")
    install(TARGETS spyglass BUNDLE DESTINATION .)
    install(TARGETS spyglass-dump RUNTIME DESTINATION Spyglass.app/Contents/MacOS)
    find_program(SPYGLASS_MACDEPLOYQT macdeployqt HINTS "${QT6_INSTALL_PREFIX}/${QT6_INSTALL_BINS}")
    if(NOT SPYGLASS_MACDEPLOYQT)
        message(FATAL_ERROR "macdeployqt not found next to Qt (${QT6_INSTALL_PREFIX}/${QT6_INSTALL_BINS})")
    endif()
    set(SPYGLASS_DEPLOY_TOOL ${SPYGLASS_MACDEPLOYQT})
    configure_file(${CMAKE_CURRENT_LIST_DIR}/macos/deploy.cmake.in
                   ${PROJECT_BINARY_DIR}/installers/deploy_macos.cmake @ONLY)
    install(SCRIPT ${PROJECT_BINARY_DIR}/installers/deploy_macos.cmake)
elseif(WIN32)
    set_target_properties(spyglass PROPERTIES WIN32_EXECUTABLE ON)
    configure_file(${CMAKE_CURRENT_LIST_DIR}/windows/spyglass.rc.in
                   ${PROJECT_BINARY_DIR}/installers/spyglass.rc @ONLY)
    target_sources(spyglass PRIVATE ${PROJECT_BINARY_DIR}/installers/spyglass.rc)
    target_sources(spyglass-dump PRIVATE ${PROJECT_BINARY_DIR}/installers/spyglass.rc)
    # Non-Qt DLLs (OpenSSL, nghttp2, zlib, brotli, zstd) are found from the import tables;
    # Qt's own are windeployqt's job, the system's stay where they are.
    set(dll_dirs)
    foreach(p ${CMAKE_PREFIX_PATH} ${OPENSSL_ROOT_DIR})
        list(APPEND dll_dirs ${p}/bin)
    endforeach()
    if(DEFINED VCPKG_INSTALLED_DIR AND DEFINED VCPKG_TARGET_TRIPLET)
        list(APPEND dll_dirs ${VCPKG_INSTALLED_DIR}/${VCPKG_TARGET_TRIPLET}/bin)
    endif()
    get_filename_component(openssl_bin "${OPENSSL_INCLUDE_DIR}/../bin" ABSOLUTE)
    list(APPEND dll_dirs ${openssl_bin})
    install(TARGETS spyglass spyglass-dump RUNTIME DESTINATION bin
            RUNTIME_DEPENDENCY_SET spyglass_dlls)
    install(RUNTIME_DEPENDENCY_SET spyglass_dlls DESTINATION bin
            PRE_EXCLUDE_REGEXES "^api-ms-" "^ext-ms-" "^[Qq]t6"
            POST_EXCLUDE_REGEXES "[Ss]ystem32" "[Ww]indows[/\\\\]"
            DIRECTORIES ${dll_dirs})
    set(CMAKE_INSTALL_SYSTEM_RUNTIME_DESTINATION bin)
    include(InstallRequiredSystemLibraries)
    find_program(SPYGLASS_WINDEPLOYQT windeployqt HINTS "${QT6_INSTALL_PREFIX}/${QT6_INSTALL_BINS}")
    if(NOT SPYGLASS_WINDEPLOYQT)
        message(FATAL_ERROR "windeployqt not found next to Qt (${QT6_INSTALL_PREFIX}/${QT6_INSTALL_BINS})")
    endif()
    set(SPYGLASS_DEPLOY_TOOL ${SPYGLASS_WINDEPLOYQT})
    configure_file(${CMAKE_CURRENT_LIST_DIR}/windows/deploy.cmake.in
                   ${PROJECT_BINARY_DIR}/installers/deploy_windows.cmake @ONLY)
    install(SCRIPT ${PROJECT_BINARY_DIR}/installers/deploy_windows.cmake)
else()
    install(TARGETS spyglass spyglass-dump RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
    install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/spyglass)
    # Debian wants the copyright, the upstream changelog (CHANGELOG.md) as changelog.gz and a
    # Debian changelog for the packaging, made here from the version and its release date.
    install(FILES ${CMAKE_CURRENT_LIST_DIR}/linux/copyright DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/spyglass)
    find_program(SPYGLASS_GZIP gzip REQUIRED)
    execute_process(COMMAND date -u -R -d "${SPYGLASS_RELEASE_DATE} 12:00"
                    OUTPUT_VARIABLE release_rfc2822 OUTPUT_STRIP_TRAILING_WHITESPACE)
    configure_file(${CMAKE_CURRENT_LIST_DIR}/linux/changelog.Debian.in
                   ${PROJECT_BINARY_DIR}/installers/changelog.Debian @ONLY)
    set(changelogs)
    foreach(pair "CHANGELOG.md|${PROJECT_SOURCE_DIR}/CHANGELOG.md|changelog.gz"
                 "changelog.Debian|${PROJECT_BINARY_DIR}/installers/changelog.Debian|changelog.Debian.gz")
        string(REPLACE "|" ";" pair "${pair}")
        list(GET pair 0 what)
        list(GET pair 1 from)
        list(GET pair 2 to)
        add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/installers/${to}
            COMMAND ${SPYGLASS_GZIP} -9nc ${from} > ${PROJECT_BINARY_DIR}/installers/${to}
            DEPENDS ${from}
            COMMENT "Compressing ${what}")
        list(APPEND changelogs ${PROJECT_BINARY_DIR}/installers/${to})
    endforeach()
    add_custom_target(spyglass_changelog ALL DEPENDS ${changelogs})
    install(FILES ${changelogs} DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/spyglass)
    install(FILES ${CMAKE_CURRENT_LIST_DIR}/linux/lintian-overrides
            DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides RENAME spyglass)
endif()

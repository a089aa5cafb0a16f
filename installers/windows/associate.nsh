; File associations, written by the NSIS installer (CPACK_NSIS_EXTRA_INSTALL_COMMANDS in
; installers/cpack.cmake). SHCTX is HKLM for the all-users install that the CPack template
; does for an administrator, HKCU otherwise.
;   .spyglass  Spyglass's own session files (SessionWriter; File > Save session): Spyglass is
;              their default program.
;   .har       HAR files belong to browsers and many tools: Spyglass is offered in "Open with"
;              (OpenWithProgids) and takes no default away.
; Both open with -n -r FILE: the file in the window, no proxy started (which would fail while
; another Spyglass holds the port); the toolbar starts one.
WriteRegStr SHCTX "Software\Classes\.spyglass" "" "Spyglass.Session"
WriteRegStr SHCTX "Software\Classes\.spyglass" "Content Type" "application/x-spyglass-session"
WriteRegStr SHCTX "Software\Classes\Spyglass.Session" "" "Spyglass session"
WriteRegStr SHCTX "Software\Classes\Spyglass.Session\DefaultIcon" "" "$INSTDIR\bin\spyglass.exe,0"
WriteRegStr SHCTX "Software\Classes\Spyglass.Session\shell\open\command" "" '"$INSTDIR\bin\spyglass.exe" -n -r "%1"'
WriteRegStr SHCTX "Software\Classes\.har\OpenWithProgids" "Spyglass.HAR" ""
WriteRegStr SHCTX "Software\Classes\Spyglass.HAR" "" "HTTP Archive (HAR)"
WriteRegStr SHCTX "Software\Classes\Spyglass.HAR\DefaultIcon" "" "$INSTDIR\bin\spyglass.exe,0"
WriteRegStr SHCTX "Software\Classes\Spyglass.HAR\shell\open\command" "" '"$INSTDIR\bin\spyglass.exe" -n -r "%1"'
; Tell Explorer (SHCNE_ASSOCCHANGED, SHCNF_IDLIST).
System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'

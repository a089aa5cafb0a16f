; Undoes associate.nsh when Spyglass is uninstalled (CPACK_NSIS_EXTRA_UNINSTALL_COMMANDS).
; .spyglass is only removed while it still points at Spyglass.Session.
ReadRegStr $0 SHCTX "Software\Classes\.spyglass" ""
StrCmp $0 "Spyglass.Session" 0 +2
DeleteRegKey SHCTX "Software\Classes\.spyglass"
DeleteRegKey SHCTX "Software\Classes\Spyglass.Session"
DeleteRegValue SHCTX "Software\Classes\.har\OpenWithProgids" "Spyglass.HAR"
DeleteRegKey SHCTX "Software\Classes\Spyglass.HAR"
System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'

#pragma once
// Light and dark looks (issue 6 "Looks"): View > Theme offers System, Light and Dark, kept in
// QSettings ("appearance/theme"). System follows the desktop: Qt 6.5's colour scheme where it
// exists; on Qt 6.4 the GNOME setting (gsettings org.gnome.desktop.interface color-scheme or
// a "-dark" GTK theme), then KDE's kdeglobals window colour, then the lightness of the palette
// the platform gave the application. Dark is a palette over the current style (Fusion where
// the platform has no native one), so every widget follows without style sheets.
//
// Also the action icons: SVGs compiled into the library (resources/icons/actions, prefix
// :/icons/actions), drawn in mid tones that read on light and dark backgrounds alike.

#include <QIcon>
#include <QString>

class QMenu;
class QWidget;

namespace spyglass {

class Theme
{
public:
    enum class Mode
    {
        System,
        Light,
        Dark
    };

    // The stored choice (System when none).
    static Mode stored();
    // Stores and applies.
    static void setMode(Mode mode);
    // Applies to the running application (call once QApplication exists).
    static void apply(Mode mode);
    static Mode current();
    // Whether the desktop asks for dark windows (see above for how it is read).
    static bool systemPrefersDark();
    // Whether the application's palette is dark now (window lightness below half).
    static bool isDark();
    static QString modeName(Mode mode);

    // View > Theme: three exclusive entries, checked as stored; choosing one applies it.
    static QMenu* createMenu(QWidget* parent);
    // An action icon from :/icons/actions/NAME.svg; the app icon for "spyglass".
    static QIcon icon(const QString& name);
};

} // namespace spyglass

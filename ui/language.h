#pragma once
// The window's language (issue 6 "Translations"): the .qm files compiled from translations/*.ts
// are resources of this library (:/i18n/spyglass_<code>.qm). The language follows the system
// locale unless View > Language names one; the choice is kept in QSettings
// ("appearance/language") and takes effect at the next start (the menu says so), since the
// widgets made their texts once.

#include <QString>
#include <QStringList>

class QMenu;
class QWidget;

namespace spyglass {

class Language
{
public:
    // Codes with a translation, besides English (the source language): "de", "zh_CN".
    static QStringList available();
    // The stored choice: "" follows the system, else "en" or one of available().
    static QString stored();
    static void setStored(const QString& code);
    // What `code` ("" = the system locale) resolves to: "en" or one of available().
    static QString resolve(const QString& code);
    // Installs the translators for `code` ("" = the system) on the application: ours and Qt's
    // own (qtbase_*.qm, when installed). Returns the language in effect ("en" when none
    // loaded). Installing again replaces the previous ones.
    static QString install(const QString& code);
    // View > Language: System, English, Deutsch, 简体中文 (names in their own language).
    static QMenu* createMenu(QWidget* parent);
};

} // namespace spyglass

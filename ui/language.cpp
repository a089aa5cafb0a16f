#include "language.h"

#include <QActionGroup>
#include <QApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QMenu>
#include <QSettings>
#include <QTranslator>

#include <memory>

namespace spyglass {

namespace {

const QString LanguageKey = QStringLiteral("appearance/language");

std::unique_ptr<QTranslator> g_ours;
std::unique_ptr<QTranslator> g_qt;

} // namespace

QStringList Language::available()
{
    return {QStringLiteral("de"), QStringLiteral("zh_CN")};
}

QString Language::stored()
{
    return QSettings().value(LanguageKey).toString();
}

void Language::setStored(const QString& code)
{
    QSettings settings;
    if (code.isEmpty())
        settings.remove(LanguageKey);
    else
        settings.setValue(LanguageKey, code);
}

QString Language::resolve(const QString& code)
{
    if (!code.isEmpty())
        return code == QLatin1String("en") || available().contains(code) ? code
                                                                         : QStringLiteral("en");
    // The system's preferred languages in order ("de-DE", "zh-Hans-CN", "en-US", ...).
    for (const QString& ui : QLocale::system().uiLanguages()) {
        const QLocale l(ui);
        if (l.language() == QLocale::English)
            return QStringLiteral("en");
        if (l.language() == QLocale::German)
            return QStringLiteral("de");
        if (l.language() == QLocale::Chinese && l.script() != QLocale::TraditionalChineseScript &&
            l.territory() != QLocale::Taiwan && l.territory() != QLocale::HongKong)
            return QStringLiteral("zh_CN");
    }
    return QStringLiteral("en");
}

QString Language::install(const QString& code)
{
    for (auto* t : {&g_ours, &g_qt}) {
        if (*t)
            QCoreApplication::removeTranslator(t->get());
        t->reset();
    }
    const QString lang = resolve(code);
    if (lang == QLatin1String("en"))
        return lang;
    auto ours = std::make_unique<QTranslator>();
    if (!ours->load(QStringLiteral(":/i18n/spyglass_%1.qm").arg(lang)))
        return QStringLiteral("en");
    QCoreApplication::installTranslator(ours.get());
    g_ours = std::move(ours);
    // Qt's own strings (standard buttons, context menus), when the system has them.
    auto qt = std::make_unique<QTranslator>();
    if (qt->load(QStringLiteral("qtbase_%1").arg(lang),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt.get());
        g_qt = std::move(qt);
    }
    return lang;
}

QMenu* Language::createMenu(QWidget* parent)
{
    auto* menu = new QMenu(QCoreApplication::translate("spyglass::Language", "&Language"), parent);
    menu->setToolTipsVisible(true);
    auto* group = new QActionGroup(menu);
    const QString restart = QCoreApplication::translate(
        "spyglass::Language", "Takes effect when Spyglass is started again");
    // Language names are written in their own language, as language menus do.
    const std::pair<QString, QString> entries[] = {
        {QString(), QCoreApplication::translate("spyglass::Language", "&System language")},
        {QStringLiteral("en"), QStringLiteral("English")},
        {QStringLiteral("de"), QStringLiteral("Deutsch")},
        {QStringLiteral("zh_CN"), QStringLiteral("简体中文")},
    };
    const QString chosen = stored();
    for (const auto& [code, label] : entries) {
        QAction* a = menu->addAction(label);
        a->setCheckable(true);
        a->setChecked(code == chosen);
        a->setToolTip(restart);
        group->addAction(a);
        QObject::connect(a, &QAction::triggered, menu, [c = code] { setStored(c); });
    }
    menu->addSeparator();
    QAction* note = menu->addAction(restart);
    note->setEnabled(false);
    return menu;
}

} // namespace spyglass

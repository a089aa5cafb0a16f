#include "theme.h"

#include <QActionGroup>
#include <QApplication>
#include <QDir>
#include <QMenu>
#include <QPalette>
#include <QProcess>
#include <QSettings>
#include <QStandardPaths>
#include <QStyle>
#include <QStyleFactory>
#include <QStyleHints>

namespace spyglass {

namespace {

const QString ThemeKey = QStringLiteral("appearance/theme");

Theme::Mode g_current = Theme::Mode::System;

// What the platform gave the application before any theme was applied.
const QPalette& platformPalette()
{
    static const QPalette palette = QApplication::palette();
    return palette;
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x30), base(0x1f, 0x20, 0x22), text(0xe6, 0xe6, 0xe6);
    const QColor muted(0x8a, 0x8d, 0x91), highlight(0x3d, 0x7e, 0xc9);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x27, 0x29, 0x2c));
    p.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3d, 0x41));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, muted);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x35, 0x37, 0x3b));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
    p.setColor(QPalette::Light, QColor(0x45, 0x48, 0x4d));
    p.setColor(QPalette::Midlight, QColor(0x3a, 0x3d, 0x41));
    p.setColor(QPalette::Mid, QColor(0x24, 0x25, 0x28));
    p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1b));
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6c, 0xb0, 0xf5));
    p.setColor(QPalette::LinkVisited, QColor(0xb3, 0x8c, 0xf0));
    for (const auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText}) {
        p.setColor(QPalette::Disabled, role, muted);
    }
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x4a, 0x4d, 0x52));
    return p;
}

QPalette lightPalette()
{
    // The platform's own palette when it is light; else the style's standard (light) one.
    if (platformPalette().color(QPalette::Window).lightness() >= 128)
        return platformPalette();
    return QApplication::style()->standardPalette();
}

// GNOME (and desktops that share its settings): "prefer-dark", or a dark GTK theme.
int gnomePrefersDark()
{
    const QString gsettings = QStandardPaths::findExecutable(QStringLiteral("gsettings"));
    if (gsettings.isEmpty() || qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        return -1;
    auto read = [&](const QString& key) {
        QProcess p;
        p.start(gsettings,
                {QStringLiteral("get"), QStringLiteral("org.gnome.desktop.interface"), key});
        if (!p.waitForFinished(500) || p.exitCode() != 0) {
            p.kill();
            p.waitForFinished(100);
            return QString();
        }
        return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
    };
    const QString scheme = read(QStringLiteral("color-scheme"));
    if (scheme.contains(QLatin1String("prefer-dark")))
        return 1;
    if (scheme.contains(QLatin1String("prefer-light")))
        return 0;
    const QString gtk = read(QStringLiteral("gtk-theme"));
    if (gtk.isEmpty())
        return -1;
    return gtk.contains(QLatin1String("dark"), Qt::CaseInsensitive) ? 1 : 0;
}

// KDE Plasma: the window background of the colour scheme in kdeglobals.
int kdePrefersDark()
{
    const QString path =
        QStandardPaths::locate(QStandardPaths::GenericConfigLocation, QStringLiteral("kdeglobals"));
    if (path.isEmpty())
        return -1;
    const QSettings kde(path, QSettings::IniFormat);
    const QStringList rgb =
        kde.value(QStringLiteral("Colors:Window/BackgroundNormal")).toStringList();
    if (rgb.size() < 3)
        return -1;
    const QColor c(rgb[0].toInt(), rgb[1].toInt(), rgb[2].toInt());
    return c.lightness() < 128 ? 1 : 0;
}

} // namespace

Theme::Mode Theme::stored()
{
    const QString v = QSettings().value(ThemeKey).toString();
    if (v == QLatin1String("light"))
        return Mode::Light;
    if (v == QLatin1String("dark"))
        return Mode::Dark;
    return Mode::System;
}

QString Theme::modeName(Mode mode)
{
    switch (mode) {
    case Mode::Light:
        return QStringLiteral("light");
    case Mode::Dark:
        return QStringLiteral("dark");
    case Mode::System:
        break;
    }
    return QStringLiteral("system");
}

void Theme::setMode(Mode mode)
{
    QSettings().setValue(ThemeKey, modeName(mode));
    apply(mode);
}

Theme::Mode Theme::current()
{
    return g_current;
}

bool Theme::systemPrefersDark()
{
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    if (const auto scheme = QGuiApplication::styleHints()->colorScheme();
        scheme != Qt::ColorScheme::Unknown)
        return scheme == Qt::ColorScheme::Dark;
#endif
    const QString desktop = qEnvironmentVariable("XDG_CURRENT_DESKTOP");
    int dark = -1;
    if (desktop.contains(QLatin1String("KDE"), Qt::CaseInsensitive))
        dark = kdePrefersDark();
    if (dark < 0)
        dark = gnomePrefersDark();
    if (dark < 0)
        dark = platformPalette().color(QPalette::Window).lightness() < 128 ? 1 : 0;
    return dark == 1;
}

bool Theme::isDark()
{
    return QApplication::palette().color(QPalette::Window).lightness() < 128;
}

void Theme::apply(Mode mode)
{
    platformPalette(); // remembered before the first change
    g_current = mode;
    const bool dark = mode == Mode::Dark || (mode == Mode::System && systemPrefersDark());
    if (dark &&
        QApplication::style()->name().compare(QLatin1String("fusion"), Qt::CaseInsensitive) != 0) {
        // Native styles that draw with the platform's colours (Windows Vista, macOS) ignore a
        // dark palette; Fusion draws with the palette everywhere.
        const QString name = QApplication::style()->name().toLower();
        if (name.contains(QLatin1String("windows")) || name.contains(QLatin1String("mac")))
            QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    }
    QApplication::setPalette(dark ? darkPalette() : lightPalette());
}

QMenu* Theme::createMenu(QWidget* parent)
{
    auto* menu = new QMenu(QApplication::translate("spyglass::Theme", "&Theme"), parent);
    menu->setToolTipsVisible(true);
    auto* group = new QActionGroup(menu);
    const std::pair<Mode, const char*> entries[] = {
        {Mode::System, QT_TRANSLATE_NOOP("spyglass::Theme", "&System")},
        {Mode::Light, QT_TRANSLATE_NOOP("spyglass::Theme", "&Light")},
        {Mode::Dark, QT_TRANSLATE_NOOP("spyglass::Theme", "&Dark")},
    };
    const Mode chosen = stored();
    for (const auto& [mode, label] : entries) {
        QAction* a = menu->addAction(QApplication::translate("spyglass::Theme", label));
        a->setCheckable(true);
        a->setChecked(mode == chosen);
        a->setData(modeName(mode));
        if (mode == Mode::System)
            a->setToolTip(
                QApplication::translate("spyglass::Theme", "Light or dark as the desktop is set"));
        group->addAction(a);
        QObject::connect(a, &QAction::triggered, menu, [m = mode] { setMode(m); });
    }
    return menu;
}

QIcon Theme::icon(const QString& name)
{
    if (name == QLatin1String("spyglass"))
        return QIcon(QStringLiteral(":/icons/spyglass.svg"));
    return QIcon(QStringLiteral(":/icons/actions/%1.svg").arg(name));
}

} // namespace spyglass

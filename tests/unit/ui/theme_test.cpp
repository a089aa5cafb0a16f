// The theme, offscreen: Dark makes the application's palette dark and Light makes it light
// again, the choice is stored, View > Theme offers the three modes with the stored one checked,
// and the action icons and the app icon load from the resources (SVG, when Qt's SVG icon
// engine is installed).

#include "theme.h"

#include <QAction>
#include <QApplication>
#include <QIcon>
#include <QImageReader>
#include <QMenu>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QWidget>

using namespace spyglass;

class ThemeTest : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void switchesThePalette();
    void menuOffersTheModes();
    void iconsLoad();

private:
    QTemporaryDir m_dir;
};

void ThemeTest::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("SpyglassTest"));
    QCoreApplication::setApplicationName(QStringLiteral("theme_test"));
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.path());
    QSettings().clear();
}

void ThemeTest::switchesThePalette()
{
    QCOMPARE(Theme::stored(), Theme::Mode::System);
    QWidget widget;
    widget.show();
    QVERIFY(QTest::qWaitForWindowExposed(&widget));

    Theme::setMode(Theme::Mode::Dark);
    QVERIFY(Theme::isDark());
    QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 80);
    QVERIFY(QApplication::palette().color(QPalette::WindowText).lightness() > 180);
    QTRY_VERIFY(widget.palette().color(QPalette::Window).lightness() < 80); // widgets follow
    QCOMPARE(Theme::stored(), Theme::Mode::Dark);
    QCOMPARE(Theme::current(), Theme::Mode::Dark);

    Theme::setMode(Theme::Mode::Light);
    QVERIFY(!Theme::isDark());
    QTRY_VERIFY(widget.palette().color(QPalette::Window).lightness() > 150);
    QCOMPARE(QSettings().value("appearance/theme").toString(), QStringLiteral("light"));

    // System: whatever the desktop says; offscreen that is the platform's (light) palette.
    Theme::setMode(Theme::Mode::System);
    QCOMPARE(Theme::isDark(), Theme::systemPrefersDark());
}

void ThemeTest::menuOffersTheModes()
{
    Theme::setMode(Theme::Mode::Dark);
    QWidget parent;
    QMenu* menu = Theme::createMenu(&parent);
    const QList<QAction*> actions = menu->actions();
    QCOMPARE(actions.size(), 3);
    QCOMPARE(actions[2]->data().toString(), QStringLiteral("dark"));
    QVERIFY(actions[2]->isChecked());
    QVERIFY(!actions[0]->isChecked());
    actions[1]->trigger(); // Light
    QVERIFY(!Theme::isDark());
    QCOMPARE(Theme::stored(), Theme::Mode::Light);
    QVERIFY(actions[1]->isChecked());
    QVERIFY(!actions[2]->isChecked());
}

void ThemeTest::iconsLoad()
{
    const QStringList names{"start",     "stop",   "clear",      "open", "save",
                            "intercept", "resume", "resume-all", "kill", "preferences"};
    for (const QString& name : names)
        QVERIFY2(QFile::exists(QStringLiteral(":/icons/actions/%1.svg").arg(name)),
                 qPrintable(name));
    QVERIFY(QFile::exists(QStringLiteral(":/icons/spyglass.svg")));
    if (!QImageReader::supportedImageFormats().contains("svg"))
        QSKIP("Qt's SVG plugins (libqt6svg6) are not installed: the icons cannot be drawn");
    for (const QString& name : names) {
        const QPixmap pixmap = Theme::icon(name).pixmap(24, 24);
        QVERIFY2(!pixmap.isNull(), qPrintable(name));
        // Drawn: some pixels are not transparent.
        const QImage image = pixmap.toImage();
        int opaque = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                opaque += qAlpha(image.pixel(x, y)) > 128;
        QVERIFY2(opaque > 20, qPrintable(name));
    }
    QVERIFY(!Theme::icon(QStringLiteral("spyglass")).pixmap(64, 64).isNull());
}

QTEST_MAIN(ThemeTest)
#include "theme_test.moc"

// Translations, offscreen: German and Simplified Chinese are compiled into the library and
// load, a window made afterwards shows its actions in that language, English needs no file,
// an unknown code falls back to English, and the choice is stored for the next start.

#include "language.h"
#include "main_window.h"

#include "server/proxy_engine.h"

#include <QAction>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace spyglass;

class LanguageTest : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanup();
    void germanLoads();
    void chineseLoads();
    void englishAndFallback();
    void choiceIsStored();

private:
    QTemporaryDir m_dir;
};

void LanguageTest::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("SpyglassTest"));
    QCoreApplication::setApplicationName(QStringLiteral("language_test"));
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.path());
    QSettings().clear();
}

void LanguageTest::cleanup()
{
    Language::install(QStringLiteral("en"));
}

void LanguageTest::germanLoads()
{
    QVERIFY(QFile::exists(QStringLiteral(":/i18n/spyglass_de.qm")));
    QCOMPARE(Language::install(QStringLiteral("de")), QStringLiteral("de"));
    ProxyEngine engine;
    MainWindow window(&engine, Options{});
    QCOMPARE(window.preferencesAction()->text(), QStringLiteral("&Einstellungen…"));
    QCOMPARE(window.resumeAllAction()->text(), QStringLiteral("&Alle fortsetzen"));
    QCOMPARE(window.menuBar()->actions().first()->text(), QStringLiteral("&Datei"));
}

void LanguageTest::chineseLoads()
{
    QCOMPARE(Language::install(QStringLiteral("zh_CN")), QStringLiteral("zh_CN"));
    ProxyEngine engine;
    MainWindow window(&engine, Options{});
    QCOMPARE(window.preferencesAction()->text(), QStringLiteral("首选项(&P)…"));
    QCOMPARE(window.menuBar()->actions().first()->text(), QStringLiteral("文件(&F)"));
}

void LanguageTest::englishAndFallback()
{
    QCOMPARE(Language::install(QStringLiteral("en")), QStringLiteral("en"));
    ProxyEngine engine;
    {
        MainWindow window(&engine, Options{});
        QCOMPARE(window.preferencesAction()->text(), QStringLiteral("&Preferences…"));
    }
    QCOMPARE(Language::resolve(QStringLiteral("fr")), QStringLiteral("en"));
    QCOMPARE(Language::install(QStringLiteral("fr")), QStringLiteral("en"));
    QCOMPARE(Language::resolve(QStringLiteral("de")), QStringLiteral("de"));
}

void LanguageTest::choiceIsStored()
{
    QCOMPARE(Language::stored(), QString());
    QWidget parent;
    QMenu* menu = Language::createMenu(&parent);
    QAction* deutsch = nullptr;
    for (QAction* a : menu->actions())
        if (a->text() == QStringLiteral("Deutsch"))
            deutsch = a;
    QVERIFY(deutsch);
    deutsch->trigger();
    QCOMPARE(Language::stored(), QStringLiteral("de"));
    QVERIFY(deutsch->isChecked());
    QVERIFY(!deutsch->toolTip().isEmpty()); // "takes effect when Spyglass is started again"
    Language::setStored(QString());
    QVERIFY(!QSettings().contains("appearance/language"));
}

QTEST_MAIN(LanguageTest)
#include "language_test.moc"

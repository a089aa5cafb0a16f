// The options dialog, offscreen: it lists every registered option with an editor for its type,
// the search field filters, a bool, an int and a list edited and applied reach the running
// engine through setOption (or wait for the next start) and are stored in QSettings, a bad
// value changes nothing, and stored options load below the command line. With
// SPYGLASS_SCREENSHOTS=DIR it saves options_dialog.png there for a person to look at.

#include "option_settings.h"
#include "options_dialog.h"

#include "main_window.h"
#include "options/option_registry.h"
#include "server/proxy_engine.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QLineEdit>
#include <QListWidget>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace spyglass;

class OptionsDialogTest : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void listsEveryOption();
    void searchFilters();
    void appliesToTheRunningEngineAndStores();
    void badValueChangesNothing();
    void withoutEngineEverythingWaitsForStart();
    void storedOptionsLoadBelowTheCommandLine();
    void windowOpensItAndTakesTheOptions();
    void screenshot();

private:
    QTemporaryDir m_dir;
};

void OptionsDialogTest::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("SpyglassTest"));
    QCoreApplication::setApplicationName(QStringLiteral("options_dialog_test"));
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.path());
}

void OptionsDialogTest::init()
{
    QSettings().clear();
}

void OptionsDialogTest::listsEveryOption()
{
    OptionsDialog dialog(nullptr, Options{});
    QStringList registered;
    for (const OptionSpec& s : OptionRegistry::all())
        registered << s.name;
    QStringList shown = dialog.optionNames();
    QCOMPARE(shown.size(), registered.size());
    shown.sort();
    registered.sort();
    QCOMPARE(shown, registered);
    for (const OptionSpec& s : OptionRegistry::all()) {
        QWidget* e = dialog.editor(s.name);
        QVERIFY2(e, qPrintable(s.name));
        QCOMPARE(e->toolTip(), s.help);
        if (s.isList)
            QVERIFY2(qobject_cast<QListWidget*>(e), qPrintable(s.name));
        else if (s.type == QLatin1String("bool"))
            QVERIFY2(qobject_cast<QCheckBox*>(e), qPrintable(s.name));
        else if (s.type == QLatin1String("int"))
            QVERIFY2(qobject_cast<QSpinBox*>(e), qPrintable(s.name));
        else if (s.type == QLatin1String("choice"))
            QVERIFY2(qobject_cast<QComboBox*>(e), qPrintable(s.name));
        else
            QVERIFY2(qobject_cast<QLineEdit*>(e), qPrintable(s.name));
        // Each shows the value in force, as --options prints it.
        if (!s.isList)
            QCOMPARE(dialog.value(s.name).toString(), s.get(Options{}));
    }
    QCOMPARE(dialog.value(QStringLiteral("mode")).toStringList(), QStringList{"regular"});
    QCOMPARE(OptionsDialog::category(QStringLiteral("ssl_insecure")), QStringLiteral("TLS"));
    QCOMPARE(OptionsDialog::category(QStringLiteral("block_list")), QStringLiteral("Addons"));
    QCOMPARE(OptionsDialog::category(QStringLiteral("ssl_something_new")), QStringLiteral("TLS"));
    QVERIFY(OptionsDialog::isRuntimeChangeable(QStringLiteral("modify_headers")));
    QVERIFY(!OptionsDialog::isRuntimeChangeable(QStringLiteral("listen_port")));
}

void OptionsDialogTest::searchFilters()
{
    OptionsDialog dialog(nullptr, Options{});
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QTest::keyClicks(dialog.searchField(), QStringLiteral("ssl_"));
    QVERIFY(dialog.isOptionShown(QStringLiteral("ssl_insecure")));
    QVERIFY(!dialog.isOptionShown(QStringLiteral("listen_port")));
    dialog.searchField()->setText(QStringLiteral("304-not-modified")); // anticache's help
    QVERIFY(dialog.isOptionShown(QStringLiteral("anticache")));
    QVERIFY(!dialog.isOptionShown(QStringLiteral("ssl_insecure")));
    dialog.searchField()->clear();
    for (const QString& name : dialog.optionNames())
        QVERIFY2(dialog.isOptionShown(name), qPrintable(name));
}

void OptionsDialogTest::appliesToTheRunningEngineAndStores()
{
    ProxyEngine engine;
    Options options;
    options.listenPort = 0;
    options.confdir = m_dir.filePath(QStringLiteral("conf"));
    QString error;
    QVERIFY2(engine.start(options, &error), qPrintable(error));
    OptionsDialog dialog(&engine, options);
    QSignalSpy applied(&dialog, &OptionsDialog::optionsApplied);

    // A bool by clicking, an int by typing, a list by adding entries.
    auto* anticache = qobject_cast<QCheckBox*>(dialog.editor(QStringLiteral("anticache")));
    QVERIFY(anticache && !anticache->isChecked());
    anticache->click();
    auto* timeout = qobject_cast<QSpinBox*>(dialog.editor(QStringLiteral("tcp_timeout")));
    timeout->setValue(77);
    auto* blocks = qobject_cast<QListWidget*>(dialog.editor(QStringLiteral("block_list")));
    blocks->addItem(QStringLiteral("/~d blocked.example/403"));
    blocks->addItem(QStringLiteral("|~u /ads,more|404")); // a comma inside an entry
    QStringList errors;
    QVERIFY2(dialog.apply(&errors), qPrintable(errors.join('\n')));
    QCOMPARE(applied.size(), 1);

    // Live options reached the engine; tcp_timeout waits for the next start.
    QVERIFY(engine.options().anticache);
    QCOMPARE(engine.options().blockList,
             (QStringList{"/~d blocked.example/403", "|~u /ads,more|404"}));
    QCOMPARE(engine.options().tcpTimeout, 600);
    QCOMPARE(dialog.pendingRestart(), QStringList{"tcp_timeout"});
    QCOMPARE(dialog.options().tcpTimeout, 77);
    QVERIFY(dialog.options().anticache);

    // Stored: only what changed.
    QSettings settings;
    QCOMPARE(settings.value("options/anticache").toString(), QStringLiteral("true"));
    QCOMPARE(settings.value("options/tcp_timeout").toString(), QStringLiteral("77"));
    QCOMPARE(settings.value("options/block_list").toStringList(),
             (QStringList{"/~d blocked.example/403", "|~u /ads,more|404"}));
    QVERIFY(!settings.contains("options/listen_port"));
    QVERIFY(!settings.contains("options/confdir"));

    // Emptying the list empties it in the engine too; back to the default removes the key.
    blocks->clear();
    anticache->click();
    QVERIFY(dialog.apply());
    QVERIFY(engine.options().blockList.isEmpty());
    QVERIFY(!engine.options().anticache);
    QVERIFY(!settings.contains("options/block_list"));
    QVERIFY(!settings.contains("options/anticache"));
    QCOMPARE(settings.value("options/tcp_timeout").toString(), QStringLiteral("77"));
    engine.stop();
}

void OptionsDialogTest::badValueChangesNothing()
{
    ProxyEngine engine;
    OptionsDialog dialog(&engine, Options{});
    dialog.setValue(QStringLiteral("anticomp"), QStringLiteral("true"));
    dialog.setValue(QStringLiteral("modify_headers"), QStringList{QStringLiteral("/~q (/X/1")});
    QStringList errors;
    QVERIFY(!dialog.apply(&errors));
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors.first().startsWith(QStringLiteral("modify_headers: ")),
             qPrintable(errors.first()));
    QVERIFY(dialog.editor(QStringLiteral("modify_headers"))->toolTip() !=
            OptionRegistry::find(QStringLiteral("modify_headers"))->help);
    QVERIFY(!dialog.options().anticomp);
    QVERIFY(!QSettings().contains("options/anticomp"));
}

void OptionsDialogTest::withoutEngineEverythingWaitsForStart()
{
    OptionsDialog dialog(nullptr, Options{});
    dialog.setValue(QStringLiteral("listen_port"), QStringLiteral("9091"));
    dialog.setValue(QStringLiteral("connection_strategy"), QStringLiteral("lazy"));
    dialog.setValue(QStringLiteral("mode"), QStringList{"socks5@9092", "regular"});
    dialog.setValue(QStringLiteral("stream_large_bodies"), QStringLiteral("2m"));
    QStringList errors;
    QVERIFY2(dialog.apply(&errors), qPrintable(errors.join('\n')));
    QVERIFY(dialog.pendingRestart().isEmpty()); // nothing runs: nothing to restart
    QCOMPARE(dialog.options().listenPort, 9091);
    QCOMPARE(dialog.options().connectionStrategy, QStringLiteral("lazy"));
    QCOMPARE(dialog.options().mode, (QStringList{"socks5@9092", "regular"}));
    QCOMPARE(dialog.options().streamLargeBodies, std::optional<qint64>(2 * 1024 * 1024));
    dialog.restoreDefaults();
    QCOMPARE(dialog.value(QStringLiteral("listen_port")).toString(), QStringLiteral("8080"));
    QVERIFY(dialog.apply());
    QVERIFY(!QSettings().contains("options/listen_port"));
    QVERIFY(!QSettings().contains("options/mode"));
}

void OptionsDialogTest::storedOptionsLoadBelowTheCommandLine()
{
    OptionSettings::store(QStringLiteral("listen_port"), QStringLiteral("9099"));
    OptionSettings::store(QStringLiteral("ssl_insecure"), QStringLiteral("true"));
    OptionSettings::store(QStringLiteral("ignore_hosts"),
                          QStringList{"^a\\.example:443$", "b{1,2}"});
    OptionSettings::store(QStringLiteral("mode"), QStringList{"socks5"});
    QSettings().setValue("options/tcp_timeout", QStringLiteral("not a number"));
    QSettings().setValue("options/no_such_option", QStringLiteral("1"));

    Options o;
    const QStringList warnings = OptionSettings::load(o, {QStringLiteral("listen_port")});
    QCOMPARE(warnings.size(), 2); // the bad value and the unknown name, each said once
    QCOMPARE(o.listenPort, 8080); // the command line named it: not taken from storage
    QVERIFY(o.sslInsecure);
    QCOMPARE(o.ignoreHosts, (QStringList{"^a\\.example:443$", "b{1,2}"}));
    QCOMPARE(o.mode, QStringList{"socks5"});
    QCOMPARE(o.tcpTimeout, 600);

    Options all;
    OptionSettings::load(all);
    QCOMPARE(all.listenPort, 9099);
}

void OptionsDialogTest::windowOpensItAndTakesTheOptions()
{
    ProxyEngine engine;
    MainWindow window(&engine, Options{});
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    const QList<QKeySequence> keys = window.preferencesAction()->shortcuts();
    QCOMPARE(keys.count(QKeySequence(Qt::CTRL | Qt::Key_Comma)), 1);
    QTest::keyClick(&window, Qt::Key_Comma, Qt::ControlModifier);
    OptionsDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = window.findChild<OptionsDialog*>()) != nullptr);
    QTRY_VERIFY(dialog->isVisible());
    dialog->setValue(QStringLiteral("intercept"), QStringLiteral("~u /api"));
    dialog->setValue(QStringLiteral("listen_port"), QStringLiteral("18555"));
    QVERIFY(dialog->apply());
    QCOMPARE(window.options().intercept, QStringLiteral("~u /api"));
    QCOMPARE(window.options().listenPort, 18555);
    QCOMPARE(window.interceptFilterEdit()->text(), QStringLiteral("~u /api"));
    QCOMPARE(window.listenAddress(), QStringLiteral("127.0.0.1:18555"));
    dialog->reject();
}

void OptionsDialogTest::screenshot()
{
    const QString dir = qEnvironmentVariable("SPYGLASS_SCREENSHOTS");
    if (dir.isEmpty())
        QSKIP("set SPYGLASS_SCREENSHOTS=DIR to save options_dialog.png");
    Options o;
    o.blockList = {QStringLiteral("/~d ads.example/403")};
    OptionsDialog dialog(nullptr, o);
    dialog.resize(820, 900);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QVERIFY(QDir().mkpath(dir));
    QVERIFY(dialog.grab().save(QDir(dir).filePath(QStringLiteral("options_dialog.png"))));
    dialog.searchField()->setText(QStringLiteral("timeout"));
    QCoreApplication::processEvents();
    QVERIFY(dialog.grab().save(QDir(dir).filePath(QStringLiteral("options_dialog_search.png"))));
}

QTEST_MAIN(OptionsDialogTest)
#include "options_dialog_test.moc"

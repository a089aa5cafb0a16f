// The Scripts panel (ui/scripts_panel.h) over a real ScriptSet: two scripts from temp files
// are listed with their state and hooks; a file broken on disk turns its row to Error with
// FILE:LINE, live; a hook that throws shows up the same way; Unload and Reload act on the
// selected row; a script added while the proxy runs answers requests at once, and stops when
// unloaded. ScriptListModel runs under QAbstractItemModelTester. A PNG of the panel goes to
// the build directory (scripts_panel.png) and to $SPYGLASS_SCREENSHOTS when set.

#include "main_window.h"
#include "script_list_model.h"
#include "scripts_panel.h"

#include "options/options.h"
#include "script/script_addon.h"
#include "script/script_set.h"
#include "server/proxy_engine.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>

using namespace spyglass;
using script::ScriptAddon;

namespace {

// One request through the proxy; returns the status line ("" on failure).
QByteArray statusThrough(quint16 proxyPort, const QByteArray& url)
{
    QTcpSocket s;
    s.connectToHost(QStringLiteral("127.0.0.1"), proxyPort);
    if (!s.waitForConnected(5000))
        return {};
    s.write("GET " + url + " HTTP/1.1\r\nHost: 127.0.0.1:1\r\nConnection: close\r\n\r\n");
    QByteArray got;
    while (!got.contains("\r\n") && s.waitForReadyRead(5000))
        got += s.readAll();
    return got.left(got.indexOf("\r\n"));
}

} // namespace

class ScriptsPanelTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString write(const QString& name, const QByteArray& source)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            qFatal("cannot write %s", qPrintable(path));
        f.write(source);
        return path;
    }

    static QString cell(const ScriptsPanel& panel, int row, int column)
    {
        return panel.model()->index(row, column).data().toString();
    }

    static void select(ScriptsPanel& panel, int row)
    {
        QTreeView* view = panel.view();
        view->setCurrentIndex(panel.model()->index(row, 0));
        view->selectionModel()->select(panel.model()->index(row, 0),
                                       QItemSelectionModel::ClearAndSelect |
                                           QItemSelectionModel::Rows);
    }

    static void shoot(QWidget& widget, const QString& name)
    {
        QCoreApplication::processEvents();
        const QPixmap shot = widget.grab();
        QVERIFY(shot.save(QCoreApplication::applicationDirPath() + QLatin1Char('/') + name));
        const QString dir = qEnvironmentVariable("SPYGLASS_SCREENSHOTS");
        if (!dir.isEmpty())
            shot.save(dir + QLatin1Char('/') + name);
    }

private Q_SLOTS:
    void initTestCase()
    {
        // The window keeps its layout in QSettings: here, not in the user's.
        QVERIFY(m_dir.isValid());
        QCoreApplication::setOrganizationName(QStringLiteral("SpyglassTest"));
        QCoreApplication::setApplicationName(QStringLiteral("scripts_panel_test"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.path());
        QSettings().clear();
    }

    void listsErrorsUnloadsReloads()
    {
        const QString a = write("alpha.js", "function request(flow) {}\n"
                                            "function response(flow) {}\n"
                                            "function running() {\n"
                                            "  throw new Error('no backend configured');\n"
                                            "}\n");
        const QString b = write("beta.js", "function load(loader) {}\n"
                                           "function requestheaders(flow) {}\n");
        script::ScriptSet set;
        Options options;
        QCOMPARE(set.loadForStartup({a, b}, {}, options), QString());

        ScriptsPanel panel(&set);
        QAbstractItemModelTester tester(panel.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        panel.resize(900, 260);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));

        QCOMPARE(panel.model()->rowCount(), 2);
        QCOMPARE(panel.model()->headerData(ScriptListModel::HooksColumn, Qt::Horizontal).toString(),
                 QStringLiteral("Hooks"));
        QCOMPARE(cell(panel, 0, ScriptListModel::FileColumn), QStringLiteral("alpha.js"));
        QCOMPARE(cell(panel, 1, ScriptListModel::FileColumn), QStringLiteral("beta.js"));
        QCOMPARE(cell(panel, 0, ScriptListModel::StateColumn), QStringLiteral("Running"));
        QCOMPARE(cell(panel, 0, ScriptListModel::HooksColumn),
                 QStringLiteral("running, request, response"));
        QCOMPARE(cell(panel, 1, ScriptListModel::HooksColumn),
                 QStringLiteral("load, requestheaders"));
        QCOMPARE(panel.model()->index(0, 0).data(ScriptListModel::PathRole).toString(),
                 QFileInfo(a).absoluteFilePath());
        QVERIFY(!panel.reloadAction()->isEnabled()); // nothing selected yet
        QVERIFY(panel.details()->text().contains(QStringLiteral("Select a script")));

        // A hook that throws (here `running`) is an error of the script, shown live.
        QSignalSpy changed(&set, &script::ScriptSet::scriptChanged);
        set.running();
        // The row repaints on the set's signal, relayed from the script's thread.
        QTRY_VERIFY(changed.count() >= 1);
        QCOMPARE(cell(panel, 0, ScriptListModel::StateColumn), QStringLiteral("Error"));
        QCOMPARE(changed.first().first().toInt(), 0);
        QCOMPARE(panel.model()->index(0, 0).data(ScriptListModel::ErrorLineRole).toInt(), 4);
        QVERIFY2(cell(panel, 0, ScriptListModel::ErrorColumn)
                     .contains(QStringLiteral("no backend configured")),
                 qPrintable(cell(panel, 0, ScriptListModel::ErrorColumn)));
        QCOMPARE(cell(panel, 1, ScriptListModel::StateColumn), QStringLiteral("Running"));

        // Broken on disk: the watcher reloads, the reload fails, the row says where.
        QTest::qWait(50);
        write("beta.js", "function load(loader) {}\n"
                         "function requestheaders(flow) {}\n"
                         "var broken = ;\n");
        QTRY_COMPARE_WITH_TIMEOUT(cell(panel, 1, ScriptListModel::StateColumn),
                                  QStringLiteral("Error"), 5000);
        QCOMPARE(panel.model()->index(1, 0).data(ScriptListModel::ErrorLineRole).toInt(), 3);
        QVERIFY2(cell(panel, 1, ScriptListModel::ErrorColumn).startsWith(QStringLiteral("line 3")),
                 qPrintable(cell(panel, 1, ScriptListModel::ErrorColumn)));
        // The previous version keeps running: its hooks are still listed.
        QCOMPARE(cell(panel, 1, ScriptListModel::HooksColumn),
                 QStringLiteral("load, requestheaders"));
        select(panel, 1);
        const QString details = panel.details()->text();
        QVERIFY2(details.contains(QDir::toNativeSeparators(QFileInfo(b).absoluteFilePath()) +
                                  QStringLiteral(":3</a>")),
                 qPrintable(details));
        QVERIFY(details.contains(QStringLiteral("SyntaxError")));
        QVERIFY(panel.details()->textInteractionFlags() & Qt::TextSelectableByMouse);
        QSignalSpy open(&panel, &ScriptsPanel::openFileRequested);
        Q_EMIT panel.details()->linkActivated(QUrl::fromLocalFile(b).toString() +
                                              QStringLiteral("#3"));
        QCOMPARE(open.count(), 1);
        QCOMPARE(open.first().at(0).toString(), QFileInfo(b).absoluteFilePath());
        QCOMPARE(open.first().at(1).toInt(), 3);
        shoot(panel, QStringLiteral("scripts_panel.png"));

        // Unload, then Reload, on the selected row.
        select(panel, 0);
        QVERIFY(panel.unloadAction()->isEnabled());
        panel.unloadAction()->trigger();
        QTRY_COMPARE(cell(panel, 0, ScriptListModel::StateColumn), QStringLiteral("Unloaded"));
        QCOMPARE(cell(panel, 0, ScriptListModel::HooksColumn), QString());
        QCOMPARE(set.scripts()[0]->wantedHooks(), quint64(0));
        QTRY_VERIFY(!panel.unloadAction()->isEnabled()); // once the change reached the panel
        QVERIFY(panel.reloadAction()->isEnabled());
        panel.reloadAction()->trigger();
        QTRY_COMPARE(cell(panel, 0, ScriptListModel::StateColumn), QStringLiteral("Running"));
        QCOMPARE(cell(panel, 0, ScriptListModel::HooksColumn),
                 QStringLiteral("running, request, response"));
        QCOMPARE(cell(panel, 0, ScriptListModel::ErrorColumn), QString());
        QVERIFY(set.scripts()[0]->wantedHooks() != 0);

        // Fixed on disk: running again, the error gone.
        QTest::qWait(50);
        write("beta.js", "function load(loader) {}\nfunction error(flow) {}\n");
        QTRY_COMPARE_WITH_TIMEOUT(cell(panel, 1, ScriptListModel::StateColumn),
                                  QStringLiteral("Running"), 5000);
        QCOMPARE(cell(panel, 1, ScriptListModel::HooksColumn), QStringLiteral("load, error"));
        QCOMPARE(cell(panel, 1, ScriptListModel::ErrorColumn), QString());

        // Add script… with a broken file: the error, and no row.
        const QString bad = write("gamma.js", "function request(flow {\n");
        const QString error = panel.addScript(bad, false);
        QVERIFY2(error.contains(QStringLiteral("gamma.js:1")), qPrintable(error));
        QCOMPARE(panel.model()->rowCount(), 2);
    }

    // A script added while the proxy runs joins it at once (ProxyEngine::addAddon from the
    // window, workers running hooks meanwhile), and stops answering once unloaded.
    void addWhileRunning()
    {
        QTemporaryDir conf;
        Options o;
        o.confdir = conf.path();
        o.listenPort = 0;
        script::ScriptSet set;
        QCOMPARE(set.loadForStartup({}, {}, o), QString());
        ProxyEngine engine;
        set.install(engine);
        ScriptsPanel panel(&set);
        QAbstractItemModelTester tester(panel.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(panel.details()->text().contains(QStringLiteral("No scripts")));
        QString err;
        QVERIFY2(engine.start(o, &err), qPrintable(err));
        set.running();
        const quint16 port = engine.listenPort();
        // Port 1: nothing listens, so without a script the answer is a 502.
        QVERIFY(statusThrough(port, "http://127.0.0.1:1/x").startsWith("HTTP/1.1 502"));

        const QString path = write("teapot.js", "function request(flow) {\n"
                                                "  flow.response = Response.make(418, 'tea', {});\n"
                                                "}\n");
        QSignalSpy added(&set, &script::ScriptSet::scriptAdded);
        QCOMPARE(panel.addScript(path, false), QString());
        QCOMPARE(added.count(), 1);
        QCOMPARE(panel.model()->rowCount(), 1);
        QCOMPARE(cell(panel, 0, ScriptListModel::HooksColumn), QStringLiteral("request"));
        QVERIFY(panel.view()->selectionModel()->isRowSelected(0, {}));
        QVERIFY(statusThrough(port, "http://127.0.0.1:1/x").startsWith("HTTP/1.1 418"));

        panel.unloadSelected();
        QTRY_COMPARE(cell(panel, 0, ScriptListModel::StateColumn), QStringLiteral("Unloaded"));
        QVERIFY(statusThrough(port, "http://127.0.0.1:1/x").startsWith("HTTP/1.1 502"));
        panel.reloadSelected();
        QTRY_COMPARE(cell(panel, 0, ScriptListModel::StateColumn), QStringLiteral("Running"));
        QVERIFY(statusThrough(port, "http://127.0.0.1:1/x").startsWith("HTTP/1.1 418"));
        engine.stop();
    }

    // The window: a hidden dock, View > Scripts toggles it (Ctrl+Shift+J), Tools > Scripts…
    // shows it.
    void windowDock()
    {
        const QString a = write("w.js", "function response(flow) {}\n");
        script::ScriptSet set;
        Options o;
        QCOMPARE(set.loadForStartup({a}, {}, o), QString());
        ProxyEngine engine;
        set.install(engine);
        MainWindow window(&engine, Options{});
        window.setScriptSet(&set);
        QVERIFY(window.scriptsPanel());
        QCOMPARE(window.scriptsPanel()->model()->rowCount(), 1);
        QCOMPARE(window.scriptsDock()->objectName(), QStringLiteral("scriptsDock"));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.scriptsDock()->hide();

        QMenu* view = nullptr;
        QMenu* tools = nullptr;
        for (QAction* m : window.menuBar()->actions()) {
            if (m->text() == QStringLiteral("&View"))
                view = m->menu();
            if (m->text() == QStringLiteral("&Tools"))
                tools = m->menu();
        }
        QVERIFY(view && tools);
        QAction* toggle = window.scriptsDock()->toggleViewAction();
        QVERIFY(view->actions().contains(toggle));
        QCOMPARE(toggle->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_J));
        QVERIFY(!toggle->toolTip().isEmpty());
        toggle->trigger();
        QVERIFY(window.scriptsDock()->isVisible());
        toggle->trigger();
        QVERIFY(!window.scriptsDock()->isVisible());

        QAction* show = nullptr;
        for (QAction* t : tools->actions())
            if (t->text() == QStringLiteral("&Scripts…"))
                show = t;
        QVERIFY(show);
        show->trigger();
        QVERIFY(window.scriptsDock()->isVisible());
        QVERIFY(window.scriptsPanel()->view()->selectionModel()->isRowSelected(0, {}));
        QVERIFY(window.scriptsPanel()->reloadAction()->isEnabled());
        // A strip at the bottom, not half the window.
        QTRY_VERIFY(window.scriptsDock()->height() < window.height() / 3);
        shoot(window, QStringLiteral("scripts_panel_window.png"));
    }
};

QTEST_MAIN(ScriptsPanelTest)
#include "scripts_panel_test.moc"

// The Scripts panel (ui/scripts_panel.h) over a real ScriptSet: two scripts from temp files
// are listed with their state and hooks; a file broken on disk turns its row to Error with
// FILE:LINE, live; a hook that throws shows up the same way; Unload and Reload act on the
// selected row; a script added while the proxy runs answers requests at once, and stops when
// unloaded. Adding loads off the GUI thread: a slow script's row says Loading while the event
// loop keeps turning, then Running; a broken one ends in Error with FILE:LINE, Reload tries
// again, Unload removes the row. The panel's size hint is a strip (a few rows), in the window
// too, and the dock's height survives a restart. ScriptListModel runs under
// QAbstractItemModelTester. PNGs of the panel go to the build directory (scripts_panel*.png)
// and to $SPYGLASS_SCREENSHOTS when set.

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
#include <QTimer>
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
    }

    // Add script… loads on a thread of its own: the call returns at once with a Loading row,
    // the window stays responsive (a timer keeps firing) while the top level runs, and the row
    // becomes the set's, Running. A broken file ends in Error with FILE:LINE in the details,
    // the set untouched; fixed on disk, Reload loads it; Unload removes a failed row.
    void addLoadsOffTheGuiThread()
    {
        script::ScriptSet set;
        Options options;
        QCOMPARE(set.loadForStartup({}, {}, options), QString());
        ScriptsPanel panel(&set);
        QAbstractItemModelTester tester(panel.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        panel.resize(900, 200);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QSignalSpy loaded(&panel, &ScriptsPanel::scriptLoaded);

        // A top level that runs for 800 ms (script_timeout is 5 s).
        const QString slow = write("slow.js", "var end = Date.now() + 800;\n"
                                              "while (Date.now() < end) {}\n"
                                              "function request(flow) {}\n");
        int ticks = 0;
        QTimer timer;
        timer.setInterval(20);
        connect(&timer, &QTimer::timeout, [&ticks] { ++ticks; });
        timer.start();
        panel.addScript(slow);
        QCOMPARE(panel.loadingCount(), 1);
        QCOMPARE(panel.model()->rowCount(), 1);
        QVERIFY(set.scripts().empty());
        QCOMPARE(cell(panel, 0, ScriptListModel::FileColumn), QStringLiteral("slow.js"));
        QCOMPARE(cell(panel, 0, ScriptListModel::StateColumn), QStringLiteral("Loading…"));
        QVERIFY(panel.model()->index(0, 0).data(ScriptListModel::LoadingRole).toBool());
        QVERIFY(panel.view()->selectionModel()->isRowSelected(0, {}));
        QVERIFY2(panel.details()->text().contains(QStringLiteral("Loading")),
                 qPrintable(panel.details()->text()));
        QVERIFY(!panel.reloadAction()->isEnabled()); // nothing to do with a loading row
        QVERIFY(!panel.unloadAction()->isEnabled());
        shoot(panel, QStringLiteral("scripts_panel_loading.png"));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 10000);
        QCOMPARE(loaded.first().at(0).toString(), slow);
        QCOMPARE(loaded.first().at(1).toString(), QString());
        QVERIFY2(ticks >= 10, qPrintable(QString::number(ticks))); // ~40 unless frozen
        QCOMPARE(panel.loadingCount(), 0);
        QCOMPARE(set.scripts().size(), size_t(1));
        QCOMPARE(panel.model()->rowCount(), 1);
        QCOMPARE(cell(panel, 0, ScriptListModel::StateColumn), QStringLiteral("Running"));
        QCOMPARE(cell(panel, 0, ScriptListModel::HooksColumn), QStringLiteral("request"));
        QVERIFY(panel.model()->scriptAt(0));
        QVERIFY(panel.view()->selectionModel()->isRowSelected(0, {}));
        QVERIFY(panel.reloadAction()->isEnabled());

        // A syntax error: the row stays, in Error, and says where.
        const QString bad = write("gamma.js", "function request(flow) {}\n"
                                              "function response(flow {\n");
        panel.addScript(bad);
        QCOMPARE(panel.model()->rowCount(), 2);
        QCOMPARE(cell(panel, 1, ScriptListModel::StateColumn), QStringLiteral("Loading…"));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 2, 10000);
        const QString error = loaded.last().at(1).toString();
        QVERIFY2(error.contains(QStringLiteral("gamma.js:2")), qPrintable(error));
        QVERIFY(error.contains(QStringLiteral("SyntaxError")));
        QCOMPARE(set.scripts().size(), size_t(1));
        QCOMPARE(panel.model()->rowCount(), 2);
        QVERIFY(!panel.model()->scriptAt(1));
        QCOMPARE(cell(panel, 1, ScriptListModel::StateColumn), QStringLiteral("Error"));
        QCOMPARE(panel.model()->index(1, 0).data(ScriptListModel::ErrorLineRole).toInt(), 2);
        QVERIFY2(cell(panel, 1, ScriptListModel::ErrorColumn).startsWith(QStringLiteral("line 2")),
                 qPrintable(cell(panel, 1, ScriptListModel::ErrorColumn)));
        QVERIFY(panel.view()->selectionModel()->isRowSelected(1, {}));
        const QString details = panel.details()->text();
        QVERIFY2(details.contains(QDir::toNativeSeparators(QFileInfo(bad).absoluteFilePath()) +
                                  QStringLiteral(":2</a>")),
                 qPrintable(details));
        QVERIFY(panel.reloadAction()->isEnabled());
        QVERIFY(panel.unloadAction()->isEnabled());
        shoot(panel, QStringLiteral("scripts_panel_load_error.png"));

        // Fixed on disk, Reload: Loading again, then the set's second script.
        write("gamma.js", "function request(flow) {}\nfunction response(flow) {}\n");
        panel.reloadAction()->trigger();
        QCOMPARE(cell(panel, 1, ScriptListModel::StateColumn), QStringLiteral("Loading…"));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 3, 10000);
        QCOMPARE(loaded.last().at(1).toString(), QString());
        QCOMPARE(set.scripts().size(), size_t(2));
        QCOMPARE(panel.model()->rowCount(), 2);
        QCOMPARE(cell(panel, 1, ScriptListModel::StateColumn), QStringLiteral("Running"));
        QCOMPARE(cell(panel, 1, ScriptListModel::HooksColumn), QStringLiteral("request, response"));

        // Broken again, added again, then Unload: the failed row goes, the set keeps its two.
        write("delta.js", "var = 1;\n");
        panel.addScript(m_dir.filePath(QStringLiteral("delta.js")));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 4, 10000);
        QCOMPARE(cell(panel, 2, ScriptListModel::StateColumn), QStringLiteral("Error"));
        panel.unloadAction()->trigger();
        QCOMPARE(panel.model()->rowCount(), 2);
        QCOMPARE(set.scripts().size(), size_t(2));
    }

    // Destroyed while a load runs: the panel waits for it, nothing is added afterwards.
    void destroyedWhileLoading()
    {
        script::ScriptSet set;
        Options options;
        QCOMPARE(set.loadForStartup({}, {}, options), QString());
        const QString slow = write("slow2.js", "var end = Date.now() + 300;\n"
                                               "while (Date.now() < end) {}\n");
        {
            ScriptsPanel panel(&set);
            panel.addScript(slow);
            QCOMPARE(panel.loadingCount(), 1);
        }
        QCoreApplication::processEvents();
        QVERIFY(set.scripts().empty());
    }

    // The size hint: a strip of a few rows, whether the set holds one script or twenty.
    void sizeHintIsAStrip()
    {
        script::ScriptSet set;
        Options options;
        QStringList paths;
        for (int i = 0; i < 20; ++i)
            paths << write(QStringLiteral("s%1.js").arg(i), "function request(f) {}\n");
        QCOMPARE(set.loadForStartup(paths.mid(0, 1), {}, options), QString());
        ScriptsPanel one(&set);
        one.resize(900, 400);
        const int row = one.view()->sizeHintForRow(0);
        const int header = one.view()->header()->sizeHint().height();
        const int hint = one.sizeHint().height();
        // Three rows, the header, the toolbar and a line of details; not the 192 px list.
        QVERIFY2(hint >= header + 3 * row + one.details()->fontMetrics().height(),
                 qPrintable(QString::number(hint)));
        QVERIFY2(hint <= 200, qPrintable(QString::number(hint)));

        script::ScriptSet many;
        QCOMPARE(many.loadForStartup(paths, {}, options), QString());
        ScriptsPanel panel(&many);
        panel.resize(900, 400);
        QCOMPARE(panel.model()->rowCount(), 20);
        const int manyHint = panel.sizeHint().height();
        QVERIFY2(manyHint > hint, qPrintable(QString::number(manyHint)));
        // Six rows, not twenty.
        const int step = std::max(row, panel.view()->fontMetrics().height() + 4);
        QVERIFY2(manyHint <= hint + 3 * step, qPrintable(QString::number(manyHint)));
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
        panel.addScript(path);
        QTRY_COMPARE_WITH_TIMEOUT(added.count(), 1, 10000);
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

    // Shown from the menu the first time, the dock is as tall as the panel asks (a strip over
    // the status bar), not the list view's default; the height the user gives it comes back
    // with the window's saved state.
    void windowDockSize()
    {
        QSettings().clear();
        const QString a = write("size.js", "function response(flow) {}\n");
        script::ScriptSet set;
        Options o;
        QCOMPARE(set.loadForStartup({a}, {}, o), QString());
        ProxyEngine engine;
        set.install(engine);
        int userHeight = 0;
        {
            MainWindow window(&engine, Options{});
            window.setScriptSet(&set);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            QVERIFY(!window.scriptsDock()->isVisible());
            window.scriptsDock()->toggleViewAction()->trigger();
            QTest::qWait(50); // any deferred resize happens
            QDockWidget* dock = window.scriptsDock();
            const int hint = window.scriptsPanel()->sizeHint().height();
            const int panel = window.scriptsPanel()->height();
            QVERIFY2(panel >= hint - 2 && panel <= hint + 2,
                     qPrintable(QStringLiteral("%1 vs %2").arg(panel).arg(hint)));
            QVERIFY2(dock->height() < 220, qPrintable(QString::number(dock->height())));
            shoot(window, QStringLiteral("scripts_panel_window_first.png"));

            // The user makes it taller; the window saves its state on close.
            window.resizeDocks({dock}, {300}, Qt::Vertical);
            QTRY_VERIFY(dock->height() > 260);
            userHeight = dock->height();
            window.saveSettings();
        }
        MainWindow window(&engine, Options{});
        window.setScriptSet(&set);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        // The dock comes back as the user left it: shown, with its height.
        QTRY_VERIFY(window.scriptsDock()->isVisible());
        QTRY_COMPARE(window.scriptsDock()->height(), userHeight);
        // Hidden at the next save, it stays hidden at the next start.
        window.scriptsDock()->toggleViewAction()->trigger();
        QTRY_VERIFY(!window.scriptsDock()->isVisible());
        window.saveSettings();
        MainWindow third(&engine, Options{});
        third.setScriptSet(&set);
        third.show();
        QVERIFY(QTest::qWaitForWindowExposed(&third));
        QTest::qWait(50);
        QVERIFY(!third.scriptsDock()->isVisible());
        third.scriptsDock()->toggleViewAction()->trigger();
        QTRY_VERIFY(third.scriptsDock()->isVisible());
    }
};

QTEST_MAIN(ScriptsPanelTest)
#include "scripts_panel_test.moc"

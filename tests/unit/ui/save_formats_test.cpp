// Saving in every format the window offers, offscreen: the Save dialog's four file-type filters
// (Spyglass session, HAR, mitmproxy flows, Charles JSON), the format chosen by the filter or
// the extension (SaveFileDialog::resolve, what File > Save As… and "Save selected flows…" do
// with the dialog's answer), and MainWindow::saveSession / FlowListActions::saveFlows in each
// format, every file read back with FlowFileReader.

#include "flow_list_actions.h"
#include "flow_list_model.h"
#include "flow_table_model.h"
#include "flow_table_view.h"
#include "main_window.h"
#include "save_file_dialog.h"
#include "synthetic_flows.h"

#include "io/flow_file_reader.h"
#include "io/flow_file_writer.h"
#include "server/proxy_engine.h"

#include <QItemSelectionModel>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace spyglass;
using spyglass::test::uiFlow;
using Format = FlowFileWriter::Format;

namespace {

struct Case
{
    Format format;
    const char* extension;
    FlowFileReader::Format read;
};

const Case Cases[] = {
    {Format::Session, "spyglass", FlowFileReader::Format::Session},
    {Format::Har, "har", FlowFileReader::Format::Har},
    {Format::Mitmproxy, "mitm", FlowFileReader::Format::Mitmproxy},
    {Format::Charles, "chlsj", FlowFileReader::Format::Charles},
};

} // namespace

class SaveFormatsTest : public QObject
{
    Q_OBJECT

    struct Window
    {
        ProxyEngine engine;
        std::unique_ptr<MainWindow> window;
    };

    QTemporaryDir m_dir;

    std::unique_ptr<Window> makeWindow(int flows)
    {
        auto w = std::make_unique<Window>();
        Options options;
        options.listenPort = 18082;
        w->window = std::make_unique<MainWindow>(&w->engine, options);
        w->window->resize(1000, 700);
        w->window->show();
        if (!QTest::qWaitForWindowExposed(w->window.get()))
            qWarning("window not exposed");
        for (int i = 0; i < flows; ++i)
            w->engine.hub().publish(uiFlow(i));
        w->engine.hub().flush();
        if (!QTest::qWaitFor([&] { return w->window->tableModel()->rowCount() == flows; }))
            qWarning("the flows did not arrive");
        return w;
    }

    static QStringList paths(const QList<HttpFlow>& flows)
    {
        QStringList p;
        for (const HttpFlow& f : flows)
            p.append(QString::fromUtf8(f.request.path));
        return p;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QCoreApplication::setOrganizationName(QStringLiteral("SpyglassTest"));
        QCoreApplication::setApplicationName(QStringLiteral("save_formats_test"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.path());
        QSettings().clear();
    }

    void filtersAndResolve()
    {
        const QString filters = SaveFileDialog::filters();
        QCOMPARE(filters.split(QStringLiteral(";;")).size(), 4);
        QVERIFY(filters.contains(QLatin1String("(*.spyglass)")));
        QVERIFY(filters.contains(QLatin1String("(*.har)")));
        QVERIFY(filters.contains(QLatin1String("*.mitm *.flows")));
        QVERIFY(filters.contains(QLatin1String("(*.chlsj)")));
        for (const Case& c : Cases) {
            // No extension: the filter decides and its extension is added.
            const auto chosen = SaveFileDialog::resolve(QStringLiteral("/tmp/capture"),
                                                        SaveFileDialog::filter(c.format));
            QCOMPARE(chosen.format, c.format);
            QCOMPARE(chosen.path, QStringLiteral("/tmp/capture.") + QLatin1String(c.extension));
            // A known extension wins over the filter.
            const QString named = QStringLiteral("/tmp/x.") + QLatin1String(c.extension);
            const auto byName =
                SaveFileDialog::resolve(named, SaveFileDialog::filter(Format::Session));
            QCOMPARE(byName.format, c.format);
            QCOMPARE(byName.path, named);
            QCOMPARE(FlowFileWriter::formatForPath(named), c.format);
        }
        QCOMPARE(FlowFileWriter::formatForPath(QStringLiteral("a.FLOWS")), Format::Mitmproxy);
        QCOMPARE(
            SaveFileDialog::resolve(QStringLiteral("a.txt"), SaveFileDialog::filter(Format::Har))
                .path,
            QStringLiteral("a.txt.har"));
    }

    void windowSavesEveryFormat()
    {
        auto w = makeWindow(6);
        MainWindow& win = *w->window;
        QStringList expected;
        for (int i = 0; i < 6; ++i)
            expected.append(QStringLiteral("/item/%1").arg(i));
        for (const Case& c : Cases) {
            const QString path = m_dir.filePath(QStringLiteral("all.") + c.extension);
            QString error;
            QVERIFY2(win.saveSession(path, &error), qPrintable(error));
            const FlowFileReader::Result r = FlowFileReader::readAll(path);
            QVERIFY2(r.ok(), qPrintable(r.error));
            QCOMPARE(r.format, c.read);
            QCOMPARE(paths(r.flows), expected);
            QCOMPARE(r.flows[3].response->statusCode, 200);
            QCOMPARE(r.flows[4].response->statusCode, 404);
        }
    }

    void selectedFlowsInEveryFormat()
    {
        auto w = makeWindow(10);
        MainWindow& win = *w->window;
        FlowListActions* actions = win.listActions();
        auto* selection = win.flowView()->selectionModel();
        selection->select(win.tableModel()->index(2, 0),
                          QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        selection->select(win.tableModel()->index(7, 0),
                          QItemSelectionModel::Select | QItemSelectionModel::Rows);
        QCOMPARE(actions->selectedStoreRows().size(), 2);
        for (const Case& c : Cases) {
            const QString path = m_dir.filePath(QStringLiteral("selected.") + c.extension);
            QCOMPARE(FlowListActions::formatForPath(path), c.format);
            QCOMPARE(actions->saveFlows(actions->selectedStoreRows(), path, c.format), QString());
            const FlowFileReader::Result r = FlowFileReader::readAll(path);
            QVERIFY2(r.ok(), qPrintable(r.error));
            QCOMPARE(r.format, c.read);
            QCOMPARE(paths(r.flows), (QStringList{"/item/2", "/item/7"}));
        }
    }
};

QTEST_MAIN(SaveFormatsTest)
#include "save_formats_test.moc"

// CompactFilter: which expressions are decided on compact row data, and that its answer is
// the filter's own on the decoded flow for every kind of flow the list holds.

#include "compact_filter.h"
#include "flow_list_model.h"
#include "varied_flows.h"

#include <QTest>

using namespace spyglass;

class CompactFilterTest : public QObject
{
    Q_OBJECT
private slots:
    void tellsWhatNeedsDecoding_data();
    void tellsWhatNeedsDecoding();
    void agreesWithTheFilter_data();
    void agreesWithTheFilter();
    void decodesOnlyUndecidedRows();
};

static filter::Filter parse(const QString& expression)
{
    auto parsed = filter::Filter::parse(expression);
    if (const auto* e = std::get_if<filter::ParseError>(&parsed))
        qFatal("bad test filter %s: %s", qPrintable(expression), qPrintable(e->message));
    return std::get<filter::Filter>(parsed);
}

void CompactFilterTest::tellsWhatNeedsDecoding_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<bool>("decode");
    QTest::newRow("method") << "~m POST" << false;
    QTest::newRow("bare word") << "item/4" << false;
    QTest::newRow("combined") << "~d example & !(~c 404 | ~e) ~s" << false;
    QTest::newRow("flags") << "~websocket | ~tcp | ~http | ~replay | ~q" << false;
    QTest::newRow("header") << "~h Accept" << true;
    QTest::newRow("body inside not") << "~m GET & !~b item" << true;
    QTest::newRow("content type") << "~t json" << true;
    QTest::newRow("marked") << "~marked | ~marker grapes | ~comment x" << false;
    QTest::newRow("source") << "~src 127.0.0.1" << true;
}

void CompactFilterTest::tellsWhatNeedsDecoding()
{
    QFETCH(QString, expression);
    QFETCH(bool, decode);
    const CompactFilter f(parse(expression));
    QVERIFY(!f.matchesAll());
    QCOMPARE(f.needsDecode(), decode);
    QCOMPARE(f.expression(), expression);
    QVERIFY(CompactFilter().matchesAll());
}

void CompactFilterTest::agreesWithTheFilter_data()
{
    QTest::addColumn<QString>("expression");
    for (const char* e : {"~m POST",
                          "~m CONNECT",
                          "item/1",
                          "~u https://a3",
                          "~u :8443/",
                          "~u ^http://",
                          "~d a2.example.com",
                          "~d bücher",
                          "~d other.example.org",
                          "~c 404",
                          "~c 101",
                          "~s",
                          "~q",
                          "~e",
                          "~websocket",
                          "~tcp",
                          "~http",
                          "~replay",
                          "!~s & ~http",
                          "~d example | ~tcp",
                          "~meta x",
                          "~m GET ~c 200 !~u 7$",
                          "~h Accept | ~m POST",
                          "~t json & ~c 200",
                          "~t json",
                          "~t html | ~tq form",
                          "~ts text/",
                          "!~ts json & ~m GET",
                          "~tq .",
                          "~b item",
                          "~marked",
                          "!~marked & ~m GET",
                          "~marker grapes",
                          "~marker ^a$",
                          "~comment note",
                          "~comment \"note 1\" | ~marked"})
        QTest::newRow(e) << QString::fromUtf8(e);
}

void CompactFilterTest::agreesWithTheFilter()
{
    QFETCH(QString, expression);
    FlowListModel model;
    QList<FlowSnapshot> batch;
    for (int i = 0; i < 400; ++i) {
        // Marks and comments on some, as the list's actions set them.
        auto f = std::make_shared<HttpFlow>(*test::variedFlow(i));
        if (i % 3 == 0)
            f->marked = i % 2 ? QStringLiteral(":grapes:") : QStringLiteral("a");
        if (i % 5 == 0)
            f->comment = QStringLiteral("note %1\nmore").arg(i);
        batch.append(f);
    }
    model.applyBatch(batch);
    const filter::Filter plain = parse(expression);
    const CompactFilter compact(plain);
    int matched = 0;
    for (int r = 0; r < model.rowCount(); ++r) {
        const bool expected = plain.matches(*model.flowAt(r));
        QVERIFY2(compact.matches(model, r) == expected,
                 qPrintable(QStringLiteral("row %1 (flow %2)").arg(r).arg(r % 13)));
        matched += expected;
    }
    qInfo("%s: %d of %d rows", qPrintable(expression), matched, model.rowCount());
}

// A mixed expression decodes only the rows its compact part leaves open: `~h Accept & ~c 404`
// the 404 rows, `~c 404 | ~h Accept` the rows that are not 404, `~m GET` none.
void CompactFilterTest::decodesOnlyUndecidedRows()
{
    FlowListModel model;
    QList<FlowSnapshot> batch;
    for (int i = 0; i < 400; ++i)
        batch.append(test::variedFlow(i));
    model.applyBatch(batch);
    int notFound = 0;
    for (int r = 0; r < model.rowCount(); ++r) {
        const FlowSnapshot f = model.flowAt(r);
        notFound += f->response && f->response->statusCode == 404;
    }
    QVERIFY(notFound > 0 && notFound < model.rowCount());

    const auto decodes = [&](const char* expression) {
        const CompactFilter f(parse(QString::fromUtf8(expression)));
        for (int r = 0; r < model.rowCount(); ++r)
            f.matches(model, r);
        return f.decodedRows();
    };
    QCOMPARE(decodes("~m GET"), 0);
    QCOMPARE(decodes("~h Accept & ~c 404"), notFound);
    QCOMPARE(decodes("~c 404 | ~h Accept"), model.rowCount() - notFound);
    QCOMPARE(decodes("!(~c 404 | ~h Accept)"), model.rowCount() - notFound);
    QCOMPARE(decodes("~h Accept"), model.rowCount());

    // Content types: only rows whose request has a Content-Type (for ~t, ~tq) or whose
    // response has more than the one kept are decoded, and the answers stay the filter's.
    FlowListModel typed;
    QList<FlowSnapshot> typedBatch;
    int requestTyped = 0, inexact = 0;
    for (int i = 0; i < 400; ++i) {
        auto f = std::make_shared<HttpFlow>(*test::variedFlow(i));
        if (i % 4 == 0) {
            f->request.headers.add("Content-Type", "application/json");
            ++requestTyped;
        }
        if (i % 7 == 0 && f->response) {
            inexact += f->response->headers.contains("content-type"); // now two of them
            f->response->headers.add("Content-Type", "text/html");
        }
        typedBatch.append(f);
    }
    typed.applyBatch(typedBatch);
    const auto typedDecodes = [&](const char* expression) {
        const filter::Filter plain = parse(QString::fromUtf8(expression));
        const CompactFilter f(plain);
        for (int r = 0; r < typed.rowCount(); ++r)
            if (f.matches(typed, r) != plain.matches(*typed.flowAt(r)))
                qFatal("%s disagrees on row %d", expression, r);
        return f.decodedRows();
    };
    QCOMPARE(typedDecodes("~ts json"), inexact);
    QCOMPARE(typedDecodes("~tq json"), requestTyped);
    QVERIFY(typedDecodes("~t html") <= requestTyped + inexact);
    QVERIFY(typedDecodes("~t json | ~ts html") < typed.rowCount() / 2);
}

QTEST_MAIN(CompactFilterTest)
#include "compact_filter_test.moc"

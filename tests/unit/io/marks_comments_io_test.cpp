// Marks and comments (HttpFlow::marked, ::comment) wherever a flow is kept: a session file keeps
// them exactly, HAR keeps them as the entry's `comment` (HAR 1.2) and our `_marked` (mitmproxy's
// savehar writes neither), and the filter operators ~marked, ~marker and ~comment see them in
// the flows read back.
#include "filter/filter.h"
#include "flow/flow_marker.h"
#include "io/har_reader.h"
#include "io/har_writer.h"
#include "io/session_reader.h"
#include "io/session_writer.h"
#include "sample_flows.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace spyglass;
using namespace spyglass::test;

namespace {

struct Mark
{
    QString marked;
    QString comment;
};

// One flow per case: unmarked, :default:, an emoji code, a letter, an unknown code kept as is,
// comments with quotes, newlines, tabs and non-ASCII text.
const QList<Mark> marks = {
    {QString(), QString()},
    {QStringLiteral(":default:"), QStringLiteral("look here")},
    {QStringLiteral(":grapes:"), QStringLiteral("first line\nsecond \"line\"\twith a tab")},
    {QStringLiteral("a"), QStringLiteral("日本語 ✓ émoji 🍇")},
    {QStringLiteral(":not_in_the_table:"), QString()},
    {QString(), QStringLiteral("commented, not marked")},
};

QList<HttpFlow> markedFlows()
{
    QList<HttpFlow> flows;
    for (qsizetype i = 0; i < marks.size(); ++i) {
        HttpFlow f = smallFlow(int(i));
        f.marked = marks[i].marked;
        f.comment = marks[i].comment;
        flows.append(f);
    }
    return flows;
}

QList<int> matching(const QList<HttpFlow>& flows, const QString& expression)
{
    auto parsed = filter::Filter::parse(expression);
    if (const auto* e = std::get_if<filter::ParseError>(&parsed))
        qFatal("bad expression %s: %s", qPrintable(expression), qPrintable(e->message));
    const filter::Filter f = std::get<filter::Filter>(parsed);
    QList<int> out;
    for (qsizetype i = 0; i < flows.size(); ++i)
        if (f.matches(flows[i]))
            out.append(int(i));
    return out;
}

void checkMarks(const QList<HttpFlow>& flows)
{
    QCOMPARE(flows.size(), marks.size());
    for (qsizetype i = 0; i < marks.size(); ++i) {
        QCOMPARE(flows[i].marked, marks[i].marked);
        QCOMPARE(flows[i].comment, marks[i].comment);
    }
}

void checkFilters(const QList<HttpFlow>& flows)
{
    QCOMPARE(matching(flows, "~marked"), QList<int>({1, 2, 3, 4}));
    QCOMPARE(matching(flows, "!~marked"), QList<int>({0, 5}));
    QCOMPARE(matching(flows, "~marker :default:"), QList<int>({1}));
    QCOMPARE(matching(flows, "~marker grapes"), QList<int>({2}));
    QCOMPARE(matching(flows, "~marker '^a$'"), QList<int>({3}));
    QCOMPARE(matching(flows, "~marker A"), QList<int>({1, 2, 3, 4}));  // regex, case-insensitive
    QCOMPARE(matching(flows, "~comment '^second'"), QList<int>({2}));  // ^ at each line
    QCOMPARE(matching(flows, "~comment 'line.second'"), QList<int>()); // . stops at a newline
    QCOMPARE(matching(flows, "~comment 🍇"), QList<int>({3}));
    QCOMPARE(matching(flows, "~comment ."), QList<int>({1, 2, 3, 5}));
    QCOMPARE(matching(flows, "~marked & ~comment here"), QList<int>({1}));
}

} // namespace

class MarksCommentsIoTest : public QObject
{
    Q_OBJECT

private slots:
    void filtersOnBuiltFlows() { checkFilters(markedFlows()); }

    void sessionRoundTrip()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("marks.spyglass");
        QCOMPARE(SessionWriter::save(path, markedFlows()), QString());
        const SessionReader::Result r = SessionReader::readAll(path);
        QVERIFY2(r.ok(), qPrintable(r.errors.join("; ")));
        checkMarks(r.flows);
        checkFilters(r.flows);
    }

    // A mark set after the flow was first saved (the user marks a finished flow): the later
    // record wins when the session is read.
    void sessionMarkLater()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("later.spyglass");
        SessionWriter w;
        QCOMPARE(w.open(path), QString());
        HttpFlow f = smallFlow(1);
        QCOMPARE(w.append(f), QString());
        f.marked = FlowMarker::defaultMarker.toString();
        f.comment = QStringLiteral("marked afterwards");
        QCOMPARE(w.append(f), QString());
        w.close();
        const SessionReader::Result r = SessionReader::readAll(path);
        QCOMPARE(r.flows.size(), 1);
        QCOMPARE(r.flows[0].marked, QStringLiteral(":default:"));
        QCOMPARE(r.flows[0].comment, QStringLiteral("marked afterwards"));
    }

    void harRoundTrip()
    {
        const QByteArray har = HarWriter::toHar(markedFlows());
        const QJsonArray entries =
            QJsonDocument::fromJson(har).object()["log"].toObject()["entries"].toArray();
        QCOMPARE(entries.size(), marks.size());
        for (qsizetype i = 0; i < marks.size(); ++i) {
            const QJsonObject e = entries[i].toObject();
            QCOMPARE(e.contains("comment"), !marks[i].comment.isEmpty());
            QCOMPARE(e.value("comment").toString(), marks[i].comment);
            QCOMPARE(e.contains("_marked"), !marks[i].marked.isEmpty());
            QCOMPARE(e.value("_marked").toString(), marks[i].marked);
        }
        const HarReader::Result r = HarReader::parse(har, "marks.har");
        QVERIFY2(r.ok(), qPrintable(r.error));
        checkMarks(r.flows);
        checkFilters(r.flows);
    }

    // A HAR from another tool: the entry comment is read, a non-string `_marked` is ignored.
    void harFromElsewhere()
    {
        // Our own HAR of an unmarked flow, with the entry changed as another tool writes it.
        QJsonObject doc =
            QJsonDocument::fromJson(HarWriter::toHar(QList<HttpFlow>{smallFlow(1)})).object();
        QJsonObject log = doc["log"].toObject();
        QJsonArray entries = log["entries"].toArray();
        QJsonObject e = entries[0].toObject();
        e["comment"] = QStringLiteral("from Chrome");
        e["_marked"] = 5;
        entries[0] = e;
        log["entries"] = entries;
        doc["log"] = log;
        const QByteArray har = QJsonDocument(doc).toJson();
        const HarReader::Result r = HarReader::parse(har, "chrome.har");
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.flows.size(), 1);
        QCOMPARE(r.flows[0].comment, QStringLiteral("from Chrome"));
        QCOMPARE(r.flows[0].marked, QString());
    }
};

QTEST_GUILESS_MAIN(MarksCommentsIoTest)
#include "marks_comments_io_test.moc"

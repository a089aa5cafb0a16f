#include "io/flow_file_reader.h"
#include "io/har_writer.h"
#include "io/session_writer.h"
#include "sample_flows.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace spyglass;
using namespace spyglass::test;

namespace {

QString write(const QTemporaryDir& dir, const QString& name, const QByteArray& data)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

// One mitmproxy 8.1 flow (format 17), the minimum the reader needs.
QByteArray mitmFlow(const QByteArray& path)
{
    auto tn = [](const QByteArray& d, char t) {
        return QByteArray::number(d.size()) + ':' + d + t;
    };
    const QByteArray request =
        tn(tn("host", ';') + tn("example.org", ';') + tn("port", ';') + tn("80", '#') +
               tn("method", ';') + tn("GET", ',') + tn("scheme", ';') + tn("http", ',') +
               tn("path", ';') + tn(path, ',') + tn("http_version", ';') + tn("HTTP/1.1", ',') +
               tn("content", ';') + tn("", ','),
           '}');
    return tn(tn("version", ';') + tn("17", '#') + tn("type", ';') + tn("http", ';') +
                  tn("request", ';') + request,
              '}');
}

const QByteArray CharlesJson =
    R"([ { "status": "COMPLETE", "method": "GET", "protocolVersion": "HTTP/1.1",
           "scheme": "http", "host": "charles.example", "port": 80, "path": "/c",
           "request": { "header": { "headers": [] } },
           "response": { "status": 200, "header": { "headers": [] } } } ])";

} // namespace

class FlowFileReaderTest : public QObject
{
    Q_OBJECT

private slots:
    void detect_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<FlowFileReader::Format>("format");
        using F = FlowFileReader::Format;
        QTest::newRow("session") << QByteArray("SPYGLASS-SESSION\x01\x00") << F::Session;
        QTest::newRow("har") << QByteArray("{\"log\": {") << F::Har;
        QTest::newRow("har with BOM and space") << QByteArray("\xEF\xBB\xBF\n  {") << F::Har;
        QTest::newRow("charles") << QByteArray("[ {\"host\":") << F::Charles;
        QTest::newRow("mitmproxy") << QByteArray("2244:4:type;") << F::Mitmproxy;
        QTest::newRow("digits without colon") << QByteArray("1234567") << F::Unknown;
        QTest::newRow("too many digits") << QByteArray("12345678901234:") << F::Unknown;
        QTest::newRow("text") << QByteArray("GET / HTTP/1.1") << F::Unknown;
        QTest::newRow("blank") << QByteArray("  \n") << F::Unknown;
        QTest::newRow("empty") << QByteArray() << F::Empty;
    }

    void detect()
    {
        QFETCH(QByteArray, head);
        QFETCH(FlowFileReader::Format, format);
        QCOMPARE(FlowFileReader::detect(head), format);
    }

    void readsEveryFormat()
    {
        QTemporaryDir dir;
        const QString session = dir.filePath(QStringLiteral("a.spyglass"));
        {
            SessionWriter w;
            QVERIFY(w.open(session).isEmpty());
            HttpFlow f = smallFlow(1);
            QVERIFY(w.append(f).isEmpty());
            f.comment = QStringLiteral("updated");
            QVERIFY(w.append(f).isEmpty()); // the same flow again: readAll keeps the last
            QVERIFY(w.append(smallFlow(2)).isEmpty());
        }
        auto r = FlowFileReader::readAll(session);
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.format, FlowFileReader::Format::Session);
        QCOMPARE(r.flows.size(), 2);
        QCOMPARE(r.flows[0].comment, QStringLiteral("updated"));

        // Named as anything: the content decides.
        const QString har = write(dir, QStringLiteral("export.txt"),
                                  HarWriter::toHar({std::make_shared<HttpFlow>(smallFlow(3))}));
        r = FlowFileReader::readAll(har);
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.format, FlowFileReader::Format::Har);
        QCOMPARE(r.flows.size(), 1);

        r = FlowFileReader::readAll(write(dir, QStringLiteral("c.chlsj"), CharlesJson));
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.format, FlowFileReader::Format::Charles);
        QCOMPARE(r.flows[0].request.url(), QByteArray("http://charles.example/c"));

        r = FlowFileReader::readAll(
            write(dir, QStringLiteral("m.flow"), mitmFlow("/one") + mitmFlow("/two")));
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.format, FlowFileReader::Format::Mitmproxy);
        QCOMPARE(r.flows.size(), 2);
        QCOMPARE(r.flows[1].request.url(), QByteArray("http://example.org/two"));
    }

    void streams()
    {
        QTemporaryDir dir;
        const QString session = dir.filePath(QStringLiteral("s.spyglass"));
        {
            SessionWriter w;
            QVERIFY(w.open(session).isEmpty());
            for (int i = 0; i < 3; ++i)
                QVERIFY(w.append(smallFlow(i)).isEmpty());
        }
        QStringList seen;
        auto r = FlowFileReader::stream(session, [&](HttpFlow&& f) {
            seen << QString::fromLatin1(f.request.path);
            return true;
        });
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(seen.size(), 3);
        QVERIFY(r.flows.isEmpty());

        const QString mitm = write(dir, QStringLiteral("m"), mitmFlow("/a") + mitmFlow("/b"));
        seen.clear();
        r = FlowFileReader::stream(mitm, [&](HttpFlow&& f) {
            seen << QString::fromLatin1(f.request.path);
            return false; // stop after the first
        });
        QVERIFY(r.ok());
        QCOMPARE(r.format, FlowFileReader::Format::Mitmproxy);
        QCOMPARE(seen, QStringList{QStringLiteral("/a")});
    }

    void errorsNameTheFile()
    {
        QTemporaryDir dir;
        auto r =
            FlowFileReader::readAll(write(dir, QStringLiteral("junk.bin"), "GET / HTTP/1.1\r\n"));
        QVERIFY(!r.ok());
        QVERIFY2(r.error.contains(QLatin1String("junk.bin")), qPrintable(r.error));
        QVERIFY(r.error.contains(QLatin1String("not a capture")));

        r = FlowFileReader::readAll(
            write(dir, QStringLiteral("cut.flow"), mitmFlow("/x").left(30)));
        QVERIFY(!r.ok());
        QVERIFY2(r.error.contains(QLatin1String("cut.flow")), qPrintable(r.error));
        QVERIFY(r.error.contains(QLatin1String("byte")));

        r = FlowFileReader::readAll(write(dir, QStringLiteral("bad.har"), "{\"log\": "));
        QVERIFY(!r.ok());
        QVERIFY(r.error.contains(QLatin1String("bad.har")));

        r = FlowFileReader::readAll(
            write(dir, QStringLiteral("bad.spyglass"), QByteArray("SPYGLASS-SESSION\x09\x00", 18)));
        QVERIFY(!r.ok());
        QVERIFY(r.error.contains(QLatin1String("bad.spyglass")));

        r = FlowFileReader::stream(dir.filePath(QStringLiteral("absent")),
                                   [](HttpFlow&&) { return true; });
        QVERIFY(!r.ok());
        QVERIFY(r.error.contains(QLatin1String("absent")));

        r = FlowFileReader::readAll(write(dir, QStringLiteral("empty"), QByteArray()));
        QVERIFY(r.ok());
        QCOMPARE(r.format, FlowFileReader::Format::Empty);
        QVERIFY(r.flows.isEmpty());
        QCOMPARE(r.warnings.size(), 1);
    }
};

QTEST_GUILESS_MAIN(FlowFileReaderTest)
#include "flow_file_reader_test.moc"

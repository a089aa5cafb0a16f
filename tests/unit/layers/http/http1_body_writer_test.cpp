// Http1BodyWriter: outgoing body framing and the guards on it.
#include "layers/http/http1_body_writer.h"

#include <QtTest>

using namespace spyglass;
using namespace spyglass::layers::http;

using Framing = Http1BodyWriter::Framing;

class Http1BodyWriterTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void framingFromHeaders_data()
    {
        QTest::addColumn<QList<QByteArray>>("fields"); // name, value, name, value...
        QTest::addColumn<bool>("isResponse");
        QTest::addColumn<int>("framing");
        QTest::addColumn<qint64>("length");
        auto row = [](const char* name, QList<QByteArray> f, bool response, Framing fr, qint64 n) {
            QTest::newRow(name) << f << response << int(fr) << n;
        };
        row("nothing, response", {}, true, Framing::UntilClose, 0);
        row("nothing, request", {}, false, Framing::None, 0);
        row("chunked", {"Transfer-Encoding", "chunked"}, true, Framing::Chunked, 0);
        row("gzip then chunked", {"transfer-encoding", "gzip", "Transfer-Encoding", "CHUNKED"},
            false, Framing::Chunked, 0);
        row("chunked wins over length", {"Content-Length", "5", "Transfer-Encoding", "chunked"},
            true, Framing::Chunked, 0);
        row("gzip only, response", {"Transfer-Encoding", "gzip"}, true, Framing::UntilClose, 0);
        row("gzip only, request", {"Transfer-Encoding", "gzip"}, false, Framing::None, 0);
        row("length", {"Content-Length", "42"}, true, Framing::Length, 42);
        row("length zero", {"Content-Length", "0"}, false, Framing::Length, 0);
        row("equal repeats", {"Content-Length", "7", "content-length", "7, 7"}, true,
            Framing::Length, 7);
        row("different lengths", {"Content-Length", "7", "Content-Length", "8"}, true,
            Framing::UntilClose, 0);
        row("negative", {"Content-Length", "-1"}, false, Framing::None, 0);
        row("not a number", {"Content-Length", "12a"}, true, Framing::UntilClose, 0);
        row("spaces around", {"Content-Length", " 12\t"}, true, Framing::Length, 12);
        row("empty list element", {"Content-Length", "7, ,7"}, true, Framing::UntilClose, 0);
        row("trailing comma", {"Content-Length", "7,"}, false, Framing::None, 0);
        row("19 digits", {"Content-Length", "1000000000000000000"}, true, Framing::UntilClose, 0);
        row("18 digits", {"Content-Length", "100000000000000000"}, true, Framing::Length,
            100000000000000000);
    }

    void framingFromHeaders()
    {
        QFETCH(QList<QByteArray>, fields);
        QFETCH(bool, isResponse);
        QFETCH(int, framing);
        QFETCH(qint64, length);
        Headers headers;
        for (qsizetype i = 0; i + 1 < fields.size(); i += 2)
            headers.add(fields[i], fields[i + 1]);
        qint64 n = -1;
        QCOMPARE(int(Http1BodyWriter::framingFor(headers, isResponse, &n)), framing);
        QCOMPARE(n, length);
    }

    void chunked()
    {
        Http1BodyWriter w(Framing::Chunked, 0);
        QByteArray wire;
        QStringList debug;
        QCOMPARE(w.writeData("hello", wire), 0);
        QCOMPARE(w.writeData("", wire), 0); // an empty chunk would end the body
        QCOMPARE(w.writeData(QByteArray(26, 'x'), wire), 0);
        QVERIFY(w.writeTrailers({{"X-A", "1"}, {"bad name", "2"}}, wire, debug));
        QVERIFY(w.finish(wire));
        QCOMPARE(wire, "5\r\nhello\r\n1a\r\n" + QByteArray(26, 'x') + "\r\n0\r\nX-A: 1\r\n\r\n");
        QCOMPARE(debug.size(), 1);
        QCOMPARE(w.writeData("late", wire), 4);
    }

    void chunkedWithoutTrailers()
    {
        Http1BodyWriter w(Framing::Chunked, 0);
        QByteArray wire;
        QVERIFY(w.finish(wire));
        QCOMPARE(wire, QByteArray("0\r\n\r\n"));
    }

    void length()
    {
        Http1BodyWriter w(Framing::Length, 5);
        QByteArray wire;
        QStringList debug;
        QCOMPARE(w.writeData("abc", wire), 0);
        QVERIFY(!w.finish(wire)); // 3 of 5
        QCOMPARE(w.writeData("defgh", wire), 3);
        QCOMPARE(wire, QByteArray("abcde"));
        QVERIFY(w.finish(wire));
        QVERIFY(!w.writeTrailers({{"X", "1"}}, wire, debug));
        QCOMPARE(wire, QByteArray("abcde"));
    }

    void untilCloseAndNone()
    {
        Http1BodyWriter raw(Framing::UntilClose, 0);
        QByteArray wire;
        QCOMPARE(raw.writeData("anything", wire), 0);
        QVERIFY(raw.finish(wire));
        QCOMPARE(wire, QByteArray("anything"));

        Http1BodyWriter none;
        QByteArray nothing;
        QCOMPARE(none.writeData("dropped", nothing), 7);
        QVERIFY(none.finish(nothing));
        QVERIFY(nothing.isEmpty());
    }
};

QTEST_GUILESS_MAIN(Http1BodyWriterTest)
#include "http1_body_writer_test.moc"

// Http1Parser: llhttp behind the small interface both HTTP/1 codecs use. Each case is fed
// whole, byte by byte and at random cut points.
#include "layers/http/http1_parser.h"
#include "playbook.h"

#include <QtTest>

using namespace spyglass;
using namespace spyglass::test;
using namespace spyglass::layers::http;

namespace {

using Framing = Http1Parser::Framing;

QString framingName(Framing f)
{
    switch (f) {
    case Framing::None:
        return "none";
    case Framing::Length:
        return "length";
    case Framing::Chunked:
        return "chunked";
    case Framing::UntilClose:
        return "until-close";
    }
    return {};
}

// Records what the parser reports, one line per callback.
class Recorder : public Http1Parser::Listener
{
public:
    bool skipBody = false;
    QStringList lines;
    QByteArray body;

    bool onHead(Http1Parser::Head&& h) override
    {
        QStringList fields;
        for (const auto& [n, v] : h.headers.fields())
            fields << QString::fromLatin1(n + ": " + v);
        lines << QStringLiteral("head %1 %2 %3 %4 %5 framing=%6 length=%7 keepAlive=%8 upgrade=%9")
                     .arg(QString::fromLatin1(h.method), QString::fromLatin1(h.target))
                     .arg(h.statusCode)
                     .arg(QString::fromLatin1(h.reason), QString::fromLatin1(h.version),
                          framingName(h.framing))
                     .arg(h.contentLength)
                     .arg(h.keepAlive)
                     .arg(h.upgrade)
              << QStringLiteral("fields {%1}").arg(fields.join(", "));
        return !skipBody;
    }
    void onBody(QByteArrayView data) override { body += data; }
    void onTrailers(Headers&& trailers) override
    {
        flushBody();
        QStringList fields;
        for (const auto& [n, v] : trailers.fields())
            fields << QString::fromLatin1(n + ": " + v);
        lines << QStringLiteral("trailers {%1}").arg(fields.join(", "));
    }
    void onMessageEnd() override
    {
        flushBody();
        lines << "end";
    }
    void flushBody()
    {
        if (!body.isEmpty())
            lines << "body " + QString::fromLatin1(body);
        body.clear();
    }
};

struct Result
{
    QStringList lines;
    qsizetype used = 0; // bytes that belonged to the first message
    Http1Parser::State state = Http1Parser::State::Idle;
    QString error;
    int status = 0;
};

Result parse(Http1Parser::Kind kind, const QList<QByteArray>& pieces, qint64 limit = 64 * 1024,
             bool skipBody = false)
{
    Recorder recorder;
    recorder.skipBody = skipBody;
    Http1Parser parser(kind, limit, recorder);
    Result r;
    for (const QByteArray& piece : pieces) {
        r.used += parser.parse(piece);
        if (parser.state() == Http1Parser::State::Done ||
            parser.state() == Http1Parser::State::Error)
            break;
    }
    recorder.flushBody();
    r.lines = recorder.lines;
    r.state = parser.state();
    r.error = parser.errorMessage();
    r.status = parser.errorStatus();
    return r;
}

// Parses `input` whole, byte by byte and with 10 random cuts; fails if any differs.
Result parseAllCuts(QString* mismatch, Http1Parser::Kind kind, const QByteArray& input,
                    qint64 limit = 64 * 1024, bool skipBody = false)
{
    const Result whole = parse(kind, {input}, limit, skipBody);
    QList<QList<QByteArray>> cuts{splitEvery(input, 1)};
    for (quint32 seed = 1; seed <= 10; ++seed)
        cuts << splitRandom(input, seed);
    mismatch->clear();
    for (const auto& pieces : cuts) {
        const Result r = parse(kind, pieces, limit, skipBody);
        // (Where an error is noticed within the input is not part of the contract.)
        const bool usedDiffers = r.state != Http1Parser::State::Error && r.used != whole.used;
        if (r.lines != whole.lines || usedDiffers || r.state != whole.state ||
            r.error != whole.error) {
            *mismatch = QStringLiteral("cut into %1 pieces:\n  %2 (used %3, %4)\nwhole:\n  %5 "
                                       "(used %6, %7)")
                            .arg(pieces.size())
                            .arg(r.lines.join("\n  "))
                            .arg(r.used)
                            .arg(r.error, whole.lines.join("\n  "))
                            .arg(whole.used)
                            .arg(whole.error);
            break;
        }
    }
    return whole;
}

} // namespace

#define PARSE_ALL_CUTS(result, ...)                                                                \
    QString result##Mismatch;                                                                      \
    const Result result = parseAllCuts(&result##Mismatch, __VA_ARGS__);                            \
    QVERIFY2(result##Mismatch.isEmpty(), qPrintable(result##Mismatch))

class Http1ParserTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void requestHeads_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("head");
        QTest::newRow("GET")
            << QByteArray("GET /x HTTP/1.1\r\nHost: h\r\n\r\n")
            << "head GET /x 0  HTTP/1.1 framing=none length=0 keepAlive=1 upgrade=0";
        QTest::newRow("Content-Length")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 12\r\n\r\n")
            << "head POST / 0  HTTP/1.1 framing=length length=12 keepAlive=1 upgrade=0";
        QTest::newRow("Content-Length 0")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n")
            << "head POST / 0  HTTP/1.1 framing=none length=0 keepAlive=1 upgrade=0";
        QTest::newRow("chunked") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, "
                                               "chunked\r\n\r\n")
                                 << "head POST / 0  HTTP/1.1 framing=chunked length=0 keepAlive=1 "
                                    "upgrade=0";
        QTest::newRow("close")
            << QByteArray("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n")
            << "head GET / 0  HTTP/1.1 framing=none length=0 keepAlive=0 upgrade=0";
        QTest::newRow("1.0")
            << QByteArray("GET / HTTP/1.0\r\n\r\n")
            << "head GET / 0  HTTP/1.0 framing=none length=0 keepAlive=0 upgrade=0";
        QTest::newRow("1.0 keep-alive")
            << QByteArray("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            << "head GET / 0  HTTP/1.0 framing=none length=0 keepAlive=1 upgrade=0";
        QTest::newRow("CONNECT") << QByteArray("CONNECT h:443 HTTP/1.1\r\n\r\n")
                                 << "head CONNECT h:443 0  HTTP/1.1 framing=none length=0 "
                                    "keepAlive=1 upgrade=1";
        QTest::newRow("upgrade")
            << QByteArray("GET / HTTP/1.1\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n")
            << "head GET / 0  HTTP/1.1 framing=none length=0 keepAlive=1 upgrade=1";
        QTest::newRow("leading blank lines") << QByteArray("\r\n\r\nGET / HTTP/1.1\r\n\r\n")
                                             << "head GET / 0  HTTP/1.1 framing=none length=0 "
                                                "keepAlive=1 upgrade=0";
    }

    void requestHeads()
    {
        QFETCH(QByteArray, input);
        QFETCH(QString, head);
        PARSE_ALL_CUTS(r, Http1Parser::Kind::Request, input);
        QCOMPARE(r.lines.value(0), head);
        // A message without a body ends with its head.
        QCOMPARE(r.state, head.contains("framing=none") ? Http1Parser::State::Done
                                                        : Http1Parser::State::Body);
    }

    void responseHeads()
    {
        PARSE_ALL_CUTS(r, Http1Parser::Kind::Response,
                       QByteArray("HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nabc"));
        QCOMPARE(r.lines, (QStringList{"head   404 Not Found HTTP/1.1 framing=length length=3 "
                                       "keepAlive=1 upgrade=0",
                                       "fields {Content-Length: 3}", "body abc", "end"}));
        PARSE_ALL_CUTS(u, Http1Parser::Kind::Response, QByteArray("HTTP/1.0 200 OK\r\n\r\nx"));
        QCOMPARE(u.lines.value(0), "head   200 OK HTTP/1.0 framing=until-close length=0 "
                                   "keepAlive=0 upgrade=0");
        PARSE_ALL_CUTS(s, Http1Parser::Kind::Response,
                       QByteArray("HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\n"
                                  "Upgrade: h2c\r\n\r\n"));
        QVERIFY(s.lines.value(0).endsWith("upgrade=1"));
    }

    void stopsAtTheEndOfEachMessage()
    {
        const QByteArray first = "POST /1 HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                                 "3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n";
        const QByteArray second = "GET /2 HTTP/1.1\r\n\r\n";
        PARSE_ALL_CUTS(r, Http1Parser::Kind::Request, first + second);
        QCOMPARE(r.used, first.size());
        QCOMPARE(r.state, Http1Parser::State::Done);
        QCOMPARE(r.lines.mid(2), (QStringList{"body abc", "trailers {X-T: 1}", "end"}));

        Recorder recorder;
        Http1Parser parser(Http1Parser::Kind::Request, 1024, recorder);
        const QByteArray both = first + second;
        QCOMPARE(parser.parse(both), first.size());
        QCOMPARE(parser.parse(QByteArrayView(both).sliced(first.size())), 0); // paused
        parser.startNextMessage();
        QCOMPARE(parser.state(), Http1Parser::State::Idle);
        QCOMPARE(parser.parse(QByteArrayView(both).sliced(first.size())), second.size());
        QCOMPARE(parser.state(), Http1Parser::State::Done);
        QCOMPARE(recorder.lines.last(), "end");
        QVERIFY(recorder.lines.contains("head GET /2 0  HTTP/1.1 framing=none length=0 "
                                        "keepAlive=1 upgrade=0"));
    }

    void connectionCloseDoesNotStopTheParser()
    {
        // Keep-alive is the codec's decision: each message starts from a fresh llhttp state.
        Recorder recorder;
        Http1Parser parser(Http1Parser::Kind::Request, 1024, recorder);
        const QByteArray a = "GET / HTTP/1.0\r\n\r\n";
        QCOMPARE(parser.parse(a + "GET /b HTTP/1.1\r\n\r\n"), a.size());
        parser.startNextMessage();
        QCOMPARE(parser.parse("GET /b HTTP/1.1\r\n\r\n"), 19);
        QCOMPARE(parser.state(), Http1Parser::State::Done);
    }

    void skippedBody()
    {
        // What a response to HEAD looks like: the listener says there is no body.
        PARSE_ALL_CUTS(r, Http1Parser::Kind::Response,
                       QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nHTTP/1.1 ..."),
                       64 * 1024, true);
        QCOMPARE(r.lines.last(), "end");
        QCOMPARE(r.used, 39);
    }

    void finishEndsAReadUntilCloseBody()
    {
        Recorder recorder;
        Http1Parser parser(Http1Parser::Kind::Response, 1024, recorder);
        QVERIFY(parser.finish()); // nothing started: nothing lost
        parser.parse("HTTP/1.1 200 OK\r\n\r\nsome");
        QCOMPARE(parser.state(), Http1Parser::State::Body);
        QVERIFY(parser.finish());
        QCOMPARE(parser.state(), Http1Parser::State::Done);
        recorder.flushBody();
        QCOMPARE(recorder.lines.mid(2), (QStringList{"body some", "end"}));
    }

    void finishReportsACutMessage()
    {
        for (const QByteArray& input :
             {QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab"),
              QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: "
                         "chunked\r\n\r\n"),
              QByteArray("HTTP/1.1 200")}) {
            Recorder recorder;
            Http1Parser parser(Http1Parser::Kind::Response, 1024, recorder);
            parser.parse(input);
            QVERIFY(parser.inMessage());
            QVERIFY(!parser.finish());
            QCOMPARE(parser.state(), Http1Parser::State::Error);
            QCOMPARE(parser.errorMessage(),
                     QString("the response was cut short by the end of the connection"));
            QVERIFY(!recorder.lines.contains("end"));
        }
    }

    void headLimitIsExact()
    {
        // Counted from the first byte to the end of the last field value.
        const QByteArray head = "GET / HTTP/1.1\r\nX: " + QByteArray(81, 'v'); // 100 bytes
        QCOMPARE(head.size(), 100);
        PARSE_ALL_CUTS(fits, Http1Parser::Kind::Request, head + "\r\n\r\n", 100);
        QCOMPARE(fits.state, Http1Parser::State::Done);
        PARSE_ALL_CUTS(over, Http1Parser::Kind::Request, head + "w\r\n\r\n", 100);
        QCOMPARE(over.state, Http1Parser::State::Error);
        QCOMPARE(over.status, 431);
        QCOMPARE(over.error, QString("request head larger than the limit of 100 bytes"));
        PARSE_ALL_CUTS(response, Http1Parser::Kind::Response,
                       "HTTP/1.1 200 OK\r\nX: " + QByteArray(200, 'v') + "\r\n\r\n", 100);
        QCOMPARE(response.error, QString("response head larger than the limit of 100 bytes"));
    }

    void badByteBeyondTheHeadLimit()
    {
        // Fed whole, llhttp stops at the bad byte before any callback has measured the
        // head; fed in pieces, the callbacks see the size first. Both say "too large".
        PARSE_ALL_CUTS(beyond, Http1Parser::Kind::Request,
                       "GET / HTTP/1.1\r\nHost: h\r\nUser-Agent" + QByteArray(90, 'a') +
                           "\x01: x\r\n\r\n",
                       100);
        QCOMPARE(beyond.status, 431);
        PARSE_ALL_CUTS(within, Http1Parser::Kind::Request,
                       QByteArray("GET / HTTP/1.1\r\nHost: h\r\nUser-Agent\x01: x\r\n\r\n"), 100);
        QCOMPARE(within.status, 400);
    }

    void headLimitCatchesEndlessWhitespace()
    {
        Recorder recorder;
        Http1Parser parser(Http1Parser::Kind::Request, 100, recorder);
        parser.parse("GET / HTTP/1.1\r\nX:");
        for (int i = 0; i < 20 && parser.state() != Http1Parser::State::Error; ++i)
            parser.parse(QByteArray(10, ' '));
        QCOMPARE(parser.state(), Http1Parser::State::Error);
        QCOMPARE(parser.errorStatus(), 431);
    }

    void trailerLimit()
    {
        PARSE_ALL_CUTS(r, Http1Parser::Kind::Request,
                       "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: " +
                           QByteArray(120, 't') + "\r\n\r\n",
                       100);
        QCOMPARE(r.state, Http1Parser::State::Error);
        QCOMPARE(r.error, QString("request trailer section larger than the limit of 100 bytes"));
    }

    void obsFold()
    {
        PARSE_ALL_CUTS(request, Http1Parser::Kind::Request,
                       QByteArray("GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n"));
        QCOMPARE(request.state, Http1Parser::State::Error);
        QVERIFY(request.error.startsWith("obsolete line folding"));
        PARSE_ALL_CUTS(response, Http1Parser::Kind::Response,
                       QByteArray("HTTP/1.1 204 No Content\r\nX:\r\n   b \r\n\t c\r\n\r\n"));
        QCOMPARE(response.lines.value(1), "fields {X: b c}");
    }

    void strictness_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("error");
        QTest::newRow("space in field name")
            << QByteArray("GET / HTTP/1.1\r\nX Y: 1\r\n\r\n") << 400
            << "invalid header field name \"X Y\" in the request";
        QTest::newRow("non-token in field name")
            << QByteArray("GET / HTTP/1.1\r\nX\"Y: 1\r\n\r\n") << 400
            << "invalid character in the request header: Invalid header token";
        QTest::newRow("TE not chunked") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: "
                                                      "identity\r\n\r\n")
                                        << 400
                                        << "Transfer-Encoding \"identity\" does not end in "
                                           "chunked, so the request body length is unknown "
                                           "(RFC 9112 6.3)";
        QTest::newRow("HTTP/1.2") << QByteArray("GET / HTTP/1.2\r\n\r\n") << 505
                                  << "unsupported HTTP version 1.2 in the request (HTTP/1.0 and "
                                     "HTTP/1.1 are spoken here)";
        QTest::newRow("not HTTP") << QByteArray("hello\r\n") << 400
                                  << "not an HTTP request: Invalid method encountered";
    }

    void strictness()
    {
        QFETCH(QByteArray, input);
        QFETCH(int, status);
        QFETCH(QString, error);
        PARSE_ALL_CUTS(r, Http1Parser::Kind::Request, input);
        QCOMPARE(r.state, Http1Parser::State::Error);
        QCOMPARE(r.status, status);
        QCOMPARE(r.error, error);
    }

    void bodyBytesSharesOnlyAWholeBuffer()
    {
        const QByteArray buffer("0123456789");
        const QByteArray whole = Http1Parser::bodyBytes(QByteArrayView(buffer), buffer);
        QCOMPARE(whole, buffer);
        QCOMPARE(whole.constData(), buffer.constData()); // shared, not copied

        const QByteArray tail = Http1Parser::bodyBytes(QByteArrayView(buffer).sliced(4), buffer);
        QCOMPARE(tail, QByteArray("456789"));
        QVERIFY(tail.constData() != buffer.constData() + 4); // a copy of its own

        const QByteArray head = Http1Parser::bodyBytes(QByteArrayView(buffer).first(4), buffer);
        QCOMPARE(head, QByteArray("0123"));
        QVERIFY(head.constData() != buffer.constData());

        const QByteArray other("0123456789"); // same bytes elsewhere: a copy
        const QByteArray copy = Http1Parser::bodyBytes(QByteArrayView(other), buffer);
        QCOMPARE(copy, other);
        QVERIFY(copy.constData() != buffer.constData());
    }

    void fieldsShareOneSmallBlockAndStayIndependent()
    {
        class Keeping : public Recorder
        {
        public:
            QList<Http1Parser::Head> heads;
            bool onHead(Http1Parser::Head&& h) override
            {
                heads << h;
                return Recorder::onHead(std::move(h));
            }
        } listener;
        const QByteArray body(200 * 1024, 'b'); // in the same buffer as the head
        auto parser =
            std::make_unique<Http1Parser>(Http1Parser::Kind::Request, 64 * 1024, listener);
        const QByteArray first = "POST /upload HTTP/1.1\r\nHost: example.com\r\nX-Trace: abc\r\n"
                                 "Content-Length: " +
                                 QByteArray::number(body.size()) + "\r\n\r\n" + body;
        QCOMPARE(parser->parse(first), first.size());
        parser->startNextMessage();
        parser->parse("GET /next HTTP/1.1\r\nHost: other.org\r\n\r\n");
        parser.reset(); // the fields outlive the parser and its block
        QCOMPARE(listener.heads.size(), 2);
        const Http1Parser::Head& h = listener.heads[0];
        QCOMPARE(h.method, QByteArray("POST"));
        QCOMPARE(h.target, QByteArray("/upload"));
        QCOMPARE(h.headers.value("x-trace"), QByteArray("abc"));
        QCOMPARE(listener.heads[1].headers.value("host"), QByteArray("other.org"));
        // One block per head, NUL after every span, and the block is not the read buffer
        // with the 200 KiB body in it.
        QList<QByteArray> spans{h.method, h.target};
        for (const auto& [name, value] : h.headers.fields())
            spans << name << value;
        const auto allocation = [](QByteArray s) { return s.data_ptr().d_ptr(); };
        for (const QByteArray& s : spans) {
            QCOMPARE(s.constData()[s.size()], '\0');
            QCOMPARE(allocation(s), allocation(h.method));
            QVERIFY(s.capacity() <= 4096);
        }
        // Changing one field copies it; the others sharing the block keep their bytes.
        QByteArray method = h.method;
        method.append("X");
        method[0] = 'p';
        QCOMPARE(method, QByteArray("pOSTX"));
        QCOMPARE(h.method, QByteArray("POST"));
        QCOMPARE(h.target, QByteArray("/upload"));
        Http1Parser::Head last = listener.heads.takeLast();
        listener.heads.clear();
        QByteArray host = last.headers.value("host"); // now the block's only other holder
        last = {};
        host.append(".example"); // may grow in place: nobody else reads the block
        QCOMPARE(host, QByteArray("other.org.example"));
    }

    void rejectFromTheListener()
    {
        class Rejecting : public Recorder
        {
        public:
            Http1Parser* parser = nullptr;
            bool onHead(Http1Parser::Head&& h) override
            {
                Recorder::onHead(std::move(h));
                parser->reject(403, "no");
                return true;
            }
        } listener;
        Http1Parser parser(Http1Parser::Kind::Request, 1024, listener);
        listener.parser = &parser;
        parser.parse("POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
        QCOMPARE(parser.state(), Http1Parser::State::Error);
        QCOMPARE(parser.errorStatus(), 403);
        QCOMPARE(parser.errorMessage(), QString("no"));
        QVERIFY(listener.body.isEmpty());
        QCOMPARE(parser.parse("more"), 0);
    }
};

QTEST_GUILESS_MAIN(Http1ParserTest)
#include "http1_parser_test.moc"

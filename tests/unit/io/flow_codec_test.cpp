#include "flow/field_table.h"
#include "io/flow_codec.h"
#include "sample_flows.h"

#include <QRandomGenerator>
#include <QtTest>

using namespace spyglass;
using namespace spyglass::test;

class FlowCodecTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTripsEveryField()
    {
        const HttpFlow f = fullFlow();
        const QByteArray payload = FlowCodec::encodeFlow(f);
        HttpFlow back;
        QCOMPARE(FlowCodec::decodeFlow(payload, {}, back), QString());
        compareFlows(f, back);
    }

    void roundTripsDefaultsAndOddValues()
    {
        HttpFlow f; // everything default, no response, no error
        HttpFlow back;
        QCOMPARE(FlowCodec::decodeFlow(FlowCodec::encodeFlow(f), {}, back), QString());
        compareFlows(f, back);
        if (QTest::currentTestFailed())
            return;

        f.request.timestampStart = -0.0; // not +0.0: must survive as its own bit pattern
        f.request.timestampEnd = 1e300;
        f.request.body.size = -1;
        Response r;
        r.statusCode = -5;
        f.response = r;
        QCOMPARE(FlowCodec::decodeFlow(FlowCodec::encodeFlow(f), {}, back), QString());
        QVERIFY(std::signbit(back.request.timestampStart));
        QCOMPARE(back.request.timestampEnd, 1e300);
        QCOMPARE(back.request.body.size, qint64(-1));
        QCOMPARE(back.response->statusCode, -5);
        QVERIFY(!back.error.has_value());
    }

    void decodesAPayloadWrittenFromTheDocs()
    {
        // docs/session-format.md, "Flow record", written by hand.
        auto bytes = [](const QByteArray& b) { return char(b.size()) + b; }; // short ones
        auto section = bytes;
        QByteArray p;
        for (int i = 0; i < 16; ++i)
            p += char(i);                                             // id
        p += char(0x08);                                              // flags: a response follows
        p += bytes("");                                               // marked
        p += bytes("hi");                                             // comment
        p += section(QByteArray("\x05\x00\x03", 3)                    // id 5, client, open
                     + bytes("127.0.0.1") + QByteArray("\xc0\x3e", 2) // peer, port 8000
                     + bytes("") + char(0) + bytes("") + char(0)      // sockname, via
                     + bytes("")                                      // error
                     + char(0x01) + QByteArray("\0\0\0\0\0\0\xf8\x3f", 8)); // start = 1.5
        p += section(QByteArray("\x00\x01\x00", 3) + QByteArray(8, '\0'));  // server, empty
        p += section(bytes("GET") + bytes("http") + bytes("") + bytes("h") + char(80) + bytes("/") +
                     bytes("HTTP/1.1") + char(1) + bytes("Host") + bytes("h") +
                     QByteArray(3, '\0')   // body: no flags, size 0, no content
                     + char(0) + char(0)); // trailers, timestamps
        p += section(bytes("HTTP/1.1") + QByteArray("\x90\x03", 2) // status 200 (zigzag 400)
                     + bytes("OK") + char(0)                       // reason, headers
                     + char(1) + char(20) + bytes("ab")            // streamed, size 10
                     + char(0) + char(0));
        HttpFlow f;
        QCOMPARE(FlowCodec::decodeFlow(p, {}, f), QString());
        QCOMPARE(f.id.toRfc4122(), QByteArray::fromHex("000102030405060708090a0b0c0d0e0f"));
        QVERIFY(!f.live && !f.intercepted && !f.isReplay && !f.error);
        QCOMPARE(f.comment, QStringLiteral("hi"));
        QCOMPARE(f.client.id, 5u);
        QCOMPARE(f.client.role, Connection::Role::Client);
        QCOMPARE(f.client.state, ConnectionState::Open);
        QCOMPARE(f.client.peer, (Address{"127.0.0.1", 8000}));
        QCOMPARE(f.client.timestampStart, 1.5);
        QCOMPARE(f.server.role, Connection::Role::Server);
        QCOMPARE(f.request.url(), QByteArray("http://h/"));
        QCOMPARE(f.request.headers, (Headers{{"Host", "h"}}));
        QCOMPARE(f.response->statusCode, 200);
        QCOMPARE(f.response->body.content, QByteArray("ab"));
        QCOMPARE(f.response->body.size, 10);
        QVERIFY(f.response->body.streamed);
        // And the encoder writes exactly these bytes back.
        QCOMPARE(FlowCodec::encodeFlow(f), p);

        // Fields appended to a section by a later minor version are skipped.
        QByteArray later = p;
        const qsizetype errorSection = later.size();
        later += section(bytes("boom") + char(0) + "future field");
        later[16] = char(0x08 | 0x10);
        QCOMPARE(FlowCodec::decodeFlow(later, {}, f), QString());
        QCOMPARE(f.error->message, QStringLiteral("boom"));
        QCOMPARE(later.size() - errorSection, 19);
    }

    void chainsByReference()
    {
        const HttpFlow f = fullFlow();
        const QList<FlowCodec::CertificateChain> chains{f.client.certificateChainDer,
                                                        f.server.certificateChainDer};
        const QByteArray inlined = FlowCodec::encodeFlow(f);
        const QByteArray referenced = FlowCodec::encodeFlow(f, {1, 2});
        QVERIFY(referenced.size() < inlined.size() - 1500);
        HttpFlow back;
        QCOMPARE(FlowCodec::decodeFlow(referenced, chains, back), QString());
        compareFlows(f, back);
        if (QTest::currentTestFailed())
            return;
        // A reference to a chain the reader does not have is an error, not a crash.
        const QString err = FlowCodec::decodeFlow(referenced, chains.first(1), back);
        QVERIFY2(err.contains("unknown certificate chain 2"), qPrintable(err));

        FlowCodec::CertificateChain chain;
        QCOMPARE(
            FlowCodec::decodeCertificateChain(FlowCodec::encodeCertificateChain(chains[1]), chain),
            QString());
        QCOMPARE(chain, chains[1]);
    }

    void storeFormDecodesToALeanCopyWithoutConnections()
    {
        // FlowStore keeps bodies, WebSocket and TCP data, the two connections and the id
        // apart, and repeated fields in its FieldTable: its form must decode, with the same
        // table, to a copy without those, whether the fields were in the table or not yet.
        HttpFlow f = fullFlow();
        auto ws = std::make_shared<WebSocketData>();
        ws->closeCode = 1000;
        ws->closeReason = QStringLiteral("bye");
        f.websocket = ws;
        auto tcp = std::make_shared<TcpData>();
        tcp->closedByClient = true;
        tcp->timestampEnd = 5;
        f.tcp = tcp;
        f.request.timestampEnd = 1700000001.2345678; // not whole milliseconds: kept as a double
        f.response->timestampStart = -0.0;           // nor this
        f.error = FlowError{QStringLiteral("upstream gone"), 1700000003.001};
        f.request.headers.add(QByteArray(FieldTable::MaxValueSize + 1, 'v'), "long name");
        f.request.headers.add("X-Long", QByteArray(FieldTable::MaxValueSize + 1, 'v'));
        for (const FlowKind kind : {FlowKind::Http, FlowKind::Tcp}) {
            f.kind = kind;
            HttpFlow lean(f);
            lean.request.body.content = QByteArray();
            lean.response->body.content = QByteArray();
            lean.websocket.reset();
            lean.tcp.reset();
            FieldTable table;
            // First mostly literal (only what repeats within the flow, as its HTTP version, is
            // taken in), then the rest is taken in, then all are references.
            const QByteArray first = FlowCodec::encodeFlowForStore(f, table);
            const qsizetype takenFirst = table.pairCount();
            QVERIFY(takenFirst <= 1);
            const QByteArray second = FlowCodec::encodeFlowForStore(f, table);
            QVERIFY(table.pairCount() > takenFirst + 5);
            const QByteArray third = FlowCodec::encodeFlowForStore(f, table); // references
            QCOMPARE(third, second);
            const qsizetype longFields = 2 * (FieldTable::MaxValueSize + 1);
            QVERIFY2(second.size() - longFields + 150 < first.size() - longFields,
                     qPrintable(QStringLiteral("%1 vs %2").arg(second.size()).arg(first.size())));
            QVERIFY(first.size() + 200 < FlowCodec::encodeFlow(lean, {1, 2}).size());

            for (const QByteArray& form : {first, second}) {
                HttpFlow back;
                back.id = f.id; // left as they are
                back.client = f.client;
                back.server = f.server;
                QCOMPARE(FlowCodec::decodeFlowForStore(form, table, back), QString());
                QCOMPARE(FlowCodec::encodeFlow(back), FlowCodec::encodeFlow(lean));
                QVERIFY(std::signbit(back.response->timestampStart));
                QVERIFY(back.request.body.content.isEmpty());
                QCOMPARE(back.request.body.size, f.request.body.size);
                QVERIFY(!back.websocket);
                // Read as a session file's payload, the form is refused.
                QVERIFY(!FlowCodec::decodeFlow(form, {}, back).isEmpty());
            }
            // With another table, references are unknown: an error, not a crash or a guess.
            FieldTable other;
            HttpFlow back;
            QVERIFY(FlowCodec::decodeFlowForStore(second, other, back)
                        .contains(QLatin1String("unknown field")));
        }
    }

    void storeFormSurvivesTruncation()
    {
        // Cut anywhere, the form is an error or a flow, never a read past its end.
        const HttpFlow f = fullFlow();
        FieldTable table;
        FlowCodec::encodeFlowForStore(f, table);
        const QByteArray form = FlowCodec::encodeFlowForStore(f, table);
        for (qsizetype n = 0; n < form.size(); ++n) {
            HttpFlow back;
            QVERIFY(!FlowCodec::decodeFlowForStore(QByteArray(form.constData(), n), table, back)
                         .isEmpty());
        }
    }

    void aConnectionRoundTripsOnItsOwn()
    {
        Connection c = fullFlow().server;
        c.peername = {"93.184.216.34", 443};
        const QList<FlowCodec::CertificateChain> chains{{}, {}, c.certificateChainDer};
        for (const quint32 chainRef : {0u, 3u}) {
            Connection back;
            QCOMPARE(
                FlowCodec::decodeConnection(FlowCodec::encodeConnection(c, chainRef), chains, back),
                QString());
            compareConnections(c, back);
            QCOMPARE(back.peername, c.peername);
            QVERIFY(back == c);
        }
        Connection back;
        QVERIFY(!FlowCodec::decodeConnection(FlowCodec::encodeConnection(c, 4), chains, back)
                     .isEmpty());
        QVERIFY(!FlowCodec::decodeConnection(QByteArray("\x05"), chains, back).isEmpty());
    }

    void smallFlowIsLean()
    {
        const QByteArray payload = FlowCodec::encodeFlow(smallFlow(42));
        // Its strings (URL parts, three request and two response headers, a 12-byte body,
        // peer hosts) are 159 bytes, plus 16 for the id and 32 for four timestamps: 207.
        // Everything else (lengths, flags, empty fields) must stay well under 70 bytes.
        qDebug() << "small flow payload:" << payload.size() << "bytes";
        QVERIFY2(payload.size() < 207 + 70, QByteArray::number(payload.size()));
    }

    void everyTruncationFailsCleanly()
    {
        const QByteArray payload = FlowCodec::encodeFlow(fullFlow());
        HttpFlow back;
        for (qsizetype n = 0; n < payload.size(); ++n) {
            const QString err = FlowCodec::decodeFlow(payload.first(n), {}, back);
            QVERIFY2(!err.isEmpty(), qPrintable(QString::number(n)));
        }
    }

    void garbageNeverCrashes()
    {
        const QByteArray payload = FlowCodec::encodeFlow(fullFlow());
        QRandomGenerator rng(1234);
        HttpFlow back;
        int failures = 0;
        for (int i = 0; i < 3000; ++i) {
            QByteArray bad = payload;
            const int flips = 1 + int(rng.bounded(4));
            for (int k = 0; k < flips; ++k)
                bad[rng.bounded(int(bad.size()))] = char(rng.bounded(256));
            if (!FlowCodec::decodeFlow(bad, {}, back).isEmpty())
                ++failures;
        }
        // Many mutations land in content bytes and decode "fine"; structural ones must fail.
        QVERIFY(failures > 0);
        for (int i = 0; i < 2000; ++i) {
            QByteArray noise(int(rng.bounded(200)), '\0');
            for (char& c : noise)
                c = char(rng.bounded(256));
            FlowCodec::decodeFlow(noise, {}, back); // must simply return
        }
    }

    void hugeLengthsAreRefusedBeforeAllocating()
    {
        // uuid, flags, then `marked` claiming 2^62 bytes.
        QByteArray p(16, 'u');
        p += char(0);
        p += QByteArray("\xff\xff\xff\xff\xff\xff\xff\xff\x3f", 9);
        HttpFlow back;
        QString err = FlowCodec::decodeFlow(p, {}, back);
        QVERIFY2(err.contains("exceeds"), qPrintable(err));

        // A varint of more than 64 bits.
        QByteArray q(16, 'u');
        q += QByteArray(11, '\xff');
        err = FlowCodec::decodeFlow(q, {}, back);
        QVERIFY2(err.contains("number too"), qPrintable(err));

        // A header count of 2^32: refused against the bytes left, not reserved.
        FlowCodec::CertificateChain chain;
        err = FlowCodec::decodeCertificateChain(QByteArray("\x80\x80\x80\x80\x10", 5), chain);
        QVERIFY2(err.contains("exceeds"), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(FlowCodecTest)
#include "flow_codec_test.moc"

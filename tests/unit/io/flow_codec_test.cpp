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

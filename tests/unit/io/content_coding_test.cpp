#include "io/content_coding.h"

#include <QtTest>

using namespace spyglass;

class ContentCodingTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesHeader()
    {
        QCOMPARE(ContentCoding::parse("gzip"), QList<QByteArray>{"gzip"});
        QCOMPARE(ContentCoding::parse(" Deflate , identity, GZIP"),
                 (QList<QByteArray>{"deflate", "gzip"}));
        QVERIFY(ContentCoding::parse("").isEmpty());
    }

    void roundTrips()
    {
        const QByteArray data = QByteArray("hello, world. ").repeated(1000);
        for (const QList<QByteArray>& codings :
             {QList<QByteArray>{"gzip"}, {"x-gzip"}, {"deflate"}, {"deflate", "gzip"}}) {
            const auto enc = ContentCoding::encode(codings, data);
            QVERIFY(enc && enc->size() < data.size() / 10);
            const auto dec = ContentCoding::decode(codings, *enc, 1 << 20);
            QVERIFY(dec);
            QCOMPARE(*dec, data);
        }
        // gzip output starts with the gzip magic; deflate with a zlib header.
        QVERIFY(ContentCoding::encode({"gzip"}, data)->startsWith("\x1f\x8b"));
        QCOMPARE(quint8(ContentCoding::encode({"deflate"}, data)->at(0)) & 0x0f, 8);
        QCOMPARE(*ContentCoding::encode({}, "same"), QByteArray("same"));
    }

    void lenientLikeBrowsers()
    {
        const QByteArray a = "first member ", b = "second member";
        const QByteArray two =
            *ContentCoding::encode({"gzip"}, a) + *ContentCoding::encode({"gzip"}, b);
        QCOMPARE(*ContentCoding::decode({"gzip"}, two, 1 << 20), a + b);
        // Trailing padding after a complete member is ignored.
        QCOMPARE(*ContentCoding::decode(
                     {"gzip"}, *ContentCoding::encode({"gzip"}, a) + QByteArray(8, '\0'), 1 << 20),
                 a);
        // Raw deflate sent as "deflate" (no zlib header).
        const QByteArray zlib = *ContentCoding::encode({"deflate"}, a);
        const QByteArray raw = zlib.mid(2, zlib.size() - 6);
        QCOMPARE(*ContentCoding::decode({"deflate"}, raw, 1 << 20), a);
    }

    void refusesWhatItCannotDo()
    {
        const QByteArray data = QByteArray(100000, 'a');
        const QByteArray gz = *ContentCoding::encode({"gzip"}, data);
        QVERIFY(!ContentCoding::decode({"gzip"}, gz.first(gz.size() / 2), 1 << 20));
        QVERIFY(!ContentCoding::decode({"gzip"}, "not gzip at all", 1 << 20));
        QVERIFY(!ContentCoding::decode({"gzip"}, gz, 50000)); // larger than allowed
        QVERIFY(!ContentCoding::decode({"br"}, "x", 100));
        QVERIFY(!ContentCoding::encode({"br"}, "x"));
        QVERIFY(!ContentCoding::encode({"gzip", "zstd"}, "x"));
    }
};

QTEST_GUILESS_MAIN(ContentCodingTest)
#include "content_coding_test.moc"

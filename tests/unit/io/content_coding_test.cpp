#include "io/content_coding.h"

#include <QtTest>
#include <zstd.h>

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
        for (const QList<QByteArray>& codings : {QList<QByteArray>{"gzip"},
                                                 {"x-gzip"},
                                                 {"deflate"},
                                                 {"deflate", "gzip"},
                                                 {"br"},
                                                 {"zstd"},
                                                 {"gzip", "br"},
                                                 {"zstd", "deflate", "br"}}) {
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
        // zstd frames start with the magic 28 b5 2f fd (RFC 8878 3.1.1).
        QVERIFY(ContentCoding::encode({"zstd"}, data)->startsWith("\x28\xb5\x2f\xfd"));
        for (const QByteArray c : {"br", "zstd"}) {
            QVERIFY(ContentCoding::isSupported(c));
            // Empty and binary bodies survive too.
            QCOMPARE(*ContentCoding::decode({c}, *ContentCoding::encode({c}, ""), 10),
                     QByteArray());
            QByteArray binary(70000, '\0');
            for (int i = 0; i < binary.size(); ++i)
                binary[i] = char((i * 7919) ^ (i >> 5));
            QCOMPARE(*ContentCoding::decode({c}, *ContentCoding::encode({c}, binary), 1 << 20),
                     binary);
        }
        // Output that ends exactly at a multiple of the decoders' 64 KiB buffer.
        const QByteArray exact = QByteArray("0123456789abcdef").repeated(2 * 4096);
        for (const QByteArray c : {"gzip", "deflate", "br", "zstd"}) {
            const auto dec =
                ContentCoding::decode({c}, *ContentCoding::encode({c}, exact), 1 << 20);
            QVERIFY2(dec && *dec == exact, c.constData());
        }
    }

    void decodesWhatOthersWrote()
    {
        // "hello" as `brotli` and `zstd` (the command-line tools) write it, so decoding is not
        // only checked against our own encoder.
        const QByteArray br = QByteArray::fromHex("0b028068656c6c6f03");
        QCOMPARE(*ContentCoding::decode({"br"}, br, 100), QByteArray("hello"));
        const QByteArray zst = QByteArray::fromHex("28b52ffd045829000068656c6c6fa36d9f88");
        QCOMPARE(*ContentCoding::decode({"zstd"}, zst, 100), QByteArray("hello"));
    }

    void zstdFramesConcatenate()
    {
        const QByteArray a = "first frame ", b = "second frame";
        const QByteArray two =
            *ContentCoding::encode({"zstd"}, a) + *ContentCoding::encode({"zstd"}, b);
        QCOMPARE(*ContentCoding::decode({"zstd"}, two, 1 << 20), a + b);
    }

    void zstdWindowIsLimitedTo8MiB()
    {
        // A frame that needs a 16 MiB window: RFC 9659 lets decoders refuse it, and browsers do.
        QByteArray data(12 << 20, '\0');
        for (qsizetype i = 0; i < data.size(); ++i)
            data[i] = char((i * 2654435761u) >> 24);
        ZSTD_CCtx* ctx = ZSTD_createCCtx();
        QVERIFY(!ZSTD_isError(ZSTD_CCtx_setParameter(ctx, ZSTD_c_windowLog, 24)));
        QVERIFY(!ZSTD_isError(ZSTD_CCtx_setParameter(ctx, ZSTD_c_compressionLevel, 1)));
        QByteArray wide(qsizetype(ZSTD_compressBound(size_t(data.size()))), Qt::Uninitialized);
        const size_t n =
            ZSTD_compress2(ctx, wide.data(), size_t(wide.size()), data.data(), size_t(data.size()));
        ZSTD_freeCCtx(ctx);
        QVERIFY(!ZSTD_isError(n));
        wide.truncate(qsizetype(n));
        QVERIFY(!ContentCoding::decode({"zstd"}, wide, 64 << 20));
        // The same data with the default window decodes.
        QCOMPARE(*ContentCoding::decode({"zstd"}, *ContentCoding::encode({"zstd"}, data), 64 << 20),
                 data);
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
        QVERIFY(!ContentCoding::isSupported("compress"));
        QVERIFY(!ContentCoding::decode({"compress"}, "x", 100));
        QVERIFY(!ContentCoding::decode({"gzip", "xz"}, gz, 1 << 20));
        QVERIFY(!ContentCoding::encode({"compress"}, "x"));
        QVERIFY(!ContentCoding::encode({"gzip", "xz"}, "x"));

        for (const QByteArray c : {"br", "zstd"}) {
            const QByteArray enc = *ContentCoding::encode({c}, data);
            QVERIFY2(ContentCoding::decode({c}, enc, 1 << 20), c.constData());
            // Truncated, damaged, empty, not compressed at all, or too large: refused.
            QVERIFY2(!ContentCoding::decode({c}, enc.first(enc.size() - 3), 1 << 20),
                     c.constData());
            QVERIFY2(!ContentCoding::decode({c}, enc.first(enc.size() / 2), 1 << 20),
                     c.constData());
            QByteArray damaged = enc;
            damaged[damaged.size() / 2] = char(damaged[damaged.size() / 2] ^ 0x5a);
            damaged[3] = char(damaged[3] ^ 0x33);
            const auto d = ContentCoding::decode({c}, damaged, 1 << 20);
            QVERIFY2(!d || *d != data, c.constData());
            QVERIFY2(!ContentCoding::decode({c}, "", 1 << 20), c.constData());
            QVERIFY2(!ContentCoding::decode({c}, "plainly not compressed data", 1 << 20),
                     c.constData());
            QVERIFY2(!ContentCoding::decode({c}, enc, 50000), c.constData());
            // A bomb: 64 MiB of zeros squeezed small must stop at the limit.
            const QByteArray bomb = *ContentCoding::encode({c}, QByteArray(64 << 20, '\0'));
            QVERIFY(bomb.size() < 100000);
            QVERIFY2(!ContentCoding::decode({c}, bomb, 1 << 20), c.constData());
        }
    }
};

QTEST_GUILESS_MAIN(ContentCodingTest)
#include "content_coding_test.moc"

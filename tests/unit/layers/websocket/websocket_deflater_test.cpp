// The proxy's own permessage-deflate writer and reader, checked against zlib used directly,
// and the reading of the negotiated parameters.
#include "layers/websocket/permessage_deflate_params.h"
#include "layers/websocket/websocket_deflater.h"
#include "layers/websocket/websocket_inflater.h"
#include "websocket_test_util.h"

#include <QtTest>

using namespace spyglass;
using namespace spyglass::layers::websocket;
using namespace spyglass::test;

class WebSocketDeflaterTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTripWithContextTakeover()
    {
        WebSocketDeflater d(15, false);
        QVERIFY(d.isValid());
        ZlibReceiver zlib;
        WebSocketInflater ours;
        QByteArray m;
        for (int i = 0; i < 300; ++i)
            m += QByteArray::number(quint32(i) * 2654435761u, 36) + ',';
        qsizetype first = 0;
        for (int i = 0; i < 4; ++i) {
            const QByteArray c = d.deflateMessage(m);
            QVERIFY(!c.endsWith(QByteArray("\x00\x00\xff\xff", 4)));
            if (i == 0)
                first = c.size();
            else
                QVERIFY2(c.size() < first / 4, "later messages should refer back");
            QCOMPARE(zlib.decompress(c), std::optional<QByteArray>(m));
            const auto r = ours.inflateMessage(c, 1 << 20);
            QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
            QCOMPARE(r.data, m);
        }
    }

    void noContextTakeoverMessagesStandAlone()
    {
        WebSocketDeflater d(12, true);
        for (int i = 0; i < 3; ++i) {
            const QByteArray m = chatter(30 + i);
            ZlibReceiver fresh(12); // a new receiver each time: nothing to refer back to
            QCOMPARE(fresh.decompress(d.deflateMessage(m)), std::optional<QByteArray>(m));
        }
    }

    void emptyMessage()
    {
        WebSocketDeflater d(15, false);
        const QByteArray c = d.deflateMessage({});
        QCOMPARE(c, QByteArray(1, '\0')); // RFC 7692 7.2.3.6
        WebSocketInflater in;
        const auto r = in.inflateMessage(c, 100);
        QVERIFY(r.error.isEmpty());
        QVERIFY(r.data.isEmpty());
    }

    void dictionaryKeepsBackReferencesValid()
    {
        // The receiver has decompressed `history`; the proxy's deflater, primed with it, may
        // refer into it and the receiver still reads the result.
        const QByteArray history = chatter(200);
        ZlibSender sender(true);
        ZlibReceiver receiver;
        QCOMPARE(receiver.decompress(sender.compress(history)), std::optional<QByteArray>(history));

        WebSocketDeflater d(15, false);
        d.setDictionary(history);
        const QByteArray next = chatter(100);
        const QByteArray c = d.deflateMessage(next);
        QVERIFY2(c.size() < 64, "the message should be mostly back-references");
        QCOMPARE(receiver.decompress(c), std::optional<QByteArray>(next));
    }

    void smallWindowIsRespected()
    {
        // Window 9 (512 bytes): a receiver with exactly that window must read the output,
        // even with a dictionary much longer than the window.
        QByteArray history;
        for (int i = 0; i < 40; ++i)
            history += QByteArray::number(i * 7919) + "-block-";
        WebSocketDeflater d(9, false);
        d.setDictionary(history);
        ZlibReceiver receiver(9);
        receiver.setDictionary(history.right(512));
        const QByteArray m = history + history;
        QCOMPARE(receiver.decompress(d.deflateMessage(m)), std::optional<QByteArray>(m));
    }

    void params_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<bool>("present");
        QTest::addColumn<bool>("serverNct");
        QTest::addColumn<bool>("clientNct");
        QTest::addColumn<int>("serverBits");
        QTest::addColumn<int>("clientBits");
        QTest::addColumn<int>("notes");
        QTest::newRow("none") << QByteArray("") << false << false << false << 15 << 15 << 0;
        QTest::newRow("plain") << QByteArray("permessage-deflate") << true << false << false << 15
                               << 15 << 0;
        QTest::newRow("python websockets")
            << QByteArray(
                   "permessage-deflate; server_max_window_bits=12; client_max_window_bits=13")
            << true << false << false << 12 << 13 << 0;
        QTest::newRow("no takeover, quoted, case")
            << QByteArray("Permessage-Deflate;Server_No_Context_Takeover; "
                          "client_no_context_takeover; client_max_window_bits=\"10\"")
            << true << true << true << 15 << 10 << 0;
        QTest::newRow("other extension first")
            << QByteArray("x-webkit-foo; a=1, permessage-deflate; server_max_window_bits=9") << true
            << false << false << 9 << 15 << 1;
        QTest::newRow("bad bits")
            << QByteArray("permessage-deflate; server_max_window_bits=20; frobnicate") << true
            << false << false << 15 << 15 << 2;
        QTest::newRow("only unknown")
            << QByteArray("x-foo") << false << false << false << 15 << 15 << 1;
    }
    void params()
    {
        QFETCH(QByteArray, header);
        QFETCH(bool, present);
        QFETCH(bool, serverNct);
        QFETCH(bool, clientNct);
        QFETCH(int, serverBits);
        QFETCH(int, clientBits);
        QFETCH(int, notes);
        QStringList got;
        const auto p = PerMessageDeflateParams::fromResponseHeader(header, &got);
        QCOMPARE(p.has_value(), present);
        QCOMPARE(got.size(), notes);
        if (!p)
            return;
        QCOMPARE(p->serverNoContextTakeover, serverNct);
        QCOMPARE(p->clientNoContextTakeover, clientNct);
        QCOMPARE(p->serverMaxWindowBits, serverBits);
        QCOMPARE(p->clientMaxWindowBits, clientBits);
        QCOMPARE(p->noContextTakeover(true), clientNct);
        QCOMPARE(p->maxWindowBits(false), serverBits);
    }
};

QTEST_GUILESS_MAIN(WebSocketDeflaterTest)
#include "websocket_deflater_test.moc"

#include "addons/block.h"

#include "addon_flows.h"
#include "addons/ip_address.h"

using namespace spyglass;
using namespace spyglass::addons;
using namespace spyglass::test;

class BlockTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void classifiesLikePython_data()
    {
        QTest::addColumn<QByteArray>("ip");
        QTest::addColumn<bool>("loopback");
        QTest::addColumn<bool>("isPrivate");
        QTest::addColumn<bool>("global");
        QTest::newRow("v4 loopback") << QByteArray("127.0.0.1") << true << true << false;
        QTest::newRow("10/8") << QByteArray("10.1.2.3") << false << true << false;
        QTest::newRow("192.168") << QByteArray("192.168.1.10") << false << true << false;
        QTest::newRow("172.16/12") << QByteArray("172.31.255.1") << false << true << false;
        QTest::newRow("172.32 global") << QByteArray("172.32.0.1") << false << false << true;
        QTest::newRow("cgnat") << QByteArray("100.64.0.1") << false << false << false;
        QTest::newRow("global v4") << QByteArray("8.8.8.8") << false << false << true;
        QTest::newRow("v6 loopback") << QByteArray("::1") << true << true << false;
        QTest::newRow("link-local v6") << QByteArray("fe80::1%eth0") << false << true << false;
        QTest::newRow("ula") << QByteArray("fd00::5") << false << true << false;
        QTest::newRow("global v6")
            << QByteArray("2a00:1450:4001:80b::200e") << false << false << true;
        QTest::newRow("doc v6") << QByteArray("2001:db8::1") << false << true << false;
        QTest::newRow("mapped global") << QByteArray("::ffff:8.8.4.4") << false << false << true;
        QTest::newRow("mapped loopback") << QByteArray("::ffff:127.0.0.1") << true << true << false;
    }
    void classifiesLikePython()
    {
        QFETCH(QByteArray, ip);
        QFETCH(bool, loopback);
        QFETCH(bool, isPrivate);
        QFETCH(bool, global);
        const auto a = IpAddress::parse(ip);
        QVERIFY(a);
        QCOMPARE(a->isLoopback(), loopback);
        QCOMPARE(a->isPrivate(), isPrivate);
        QCOMPARE(a->isGlobal(), global);
    }

    void rejectsNonLiterals()
    {
        for (const char* s : {"example.com", "1.2.3", "1.2.3.256", "1::2::3", "12345::", ""})
            QVERIFY2(!IpAddress::parse(s), s);
        QVERIFY(IpAddress::parse("1:2:3:4:5:6:7:8"));
        QVERIFY(IpAddress::parse("::"));
    }

    void blockGlobalByDefault()
    {
        Block a;
        QVERIFY(a.configure(Options{}).isEmpty());
        QVERIFY(a.wantedHooks() != 0);
        Connection publicClient;
        publicClient.peer = {"8.8.8.8", 1234};
        a.clientConnected(publicClient);
        QCOMPARE(publicClient.error, QStringLiteral("Connection killed by block_global."));
        for (const char* ok : {"127.0.0.1", "::1", "192.168.0.2", "10.0.0.1"}) {
            Connection c;
            c.peer = {ok, 1234};
            a.clientConnected(c);
            QVERIFY2(c.error.isEmpty(), ok);
        }
    }

    void blockPrivate()
    {
        Block a;
        QVERIFY(a.configure(optionsWith({"block_global=false", "block_private=true"})).isEmpty());
        Connection lan;
        lan.peer = {"192.168.0.2", 1};
        a.clientConnected(lan);
        QCOMPARE(lan.error, QStringLiteral("Connection killed by block_private."));
        Connection local;
        local.peer = {"127.0.0.1", 1};
        a.clientConnected(local);
        QVERIFY(local.error.isEmpty());
        Connection wan;
        wan.peer = {"8.8.8.8", 1};
        a.clientConnected(wan);
        QVERIFY(wan.error.isEmpty());

        Block off;
        QVERIFY(off.configure(optionsWith({"block_global=false"})).isEmpty());
        QCOMPARE(off.wantedHooks(), quint64(0));
    }
};

QTEST_APPLESS_MAIN(BlockTest)
#include "block_test.moc"

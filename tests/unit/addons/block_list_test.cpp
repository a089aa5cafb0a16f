#include "addons/block_list.h"

#include "addon_flows.h"

using namespace spyglass;
using namespace spyglass::addons;
using namespace spyglass::test;

class BlockListTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void answersWithTheStatusWithoutServer()
    {
        BlockList a;
        QVERIFY(a.configure(optionsWith({"block_list=/~d example.com/403"})).isEmpty());
        QVERIFY(a.wantedHooks() != 0);
        HttpFlow f = requestFlow("http://example.com/x");
        a.request(f);
        QVERIFY(f.response);
        QCOMPARE(f.response->statusCode, 403);
        QCOMPARE(f.response->body.content, QByteArray());
        QVERIFY(!f.error);

        HttpFlow other = requestFlow("http://example.org/x");
        a.request(other);
        QVERIFY(!other.response && !other.error);
    }

    void status444KillsTheFlow()
    {
        BlockList a;
        QVERIFY(a.configure(optionsWith({"block_list=|~u secret|444"})).isEmpty());
        HttpFlow f = requestFlow("http://example.com/secret/1");
        a.request(f);
        QVERIFY(!f.response);
        QVERIFY(f.error);
        QCOMPARE(f.error->message, QStringLiteral("Connection killed."));
    }

    void firstMatchWinsAndReplaysAreExempt()
    {
        BlockList a;
        QVERIFY(
            a.configure(optionsWith({"block_list=/~u a/404", "block_list=/~u b/410"})).isEmpty());
        HttpFlow f = requestFlow("http://example.com/ab");
        a.request(f);
        QCOMPARE(f.response->statusCode, 404);
        HttpFlow replay = requestFlow("http://example.com/ab");
        replay.isReplay = true;
        a.request(replay);
        QVERIFY(!replay.response);
    }

    void idleWithoutEntries()
    {
        BlockList a;
        QVERIFY(a.configure(Options{}).isEmpty());
        QCOMPARE(a.wantedHooks(), quint64(0));
    }

    void badValues()
    {
        QVERIFY(setError("block_list=/~d example.com/abc").contains("invalid HTTP status code"));
        QVERIFY(setError("block_list=/~d example.com/999").contains("invalid HTTP status code"));
        QVERIFY(setError("block_list=/~d example.com").contains("2 are expected"));
        QVERIFY(setError("block_list=/~bogus x/404").contains("invalid filter expression"));
        QVERIFY(setError("block_list=/~d example.com/444").isEmpty());
        QVERIFY(setError("block_list=/~d example.com/200").isEmpty());
    }
};

QTEST_APPLESS_MAIN(BlockListTest)
#include "block_list_test.moc"

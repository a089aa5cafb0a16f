#include "addons/map_remote.h"

#include "addon_flows.h"

using namespace spyglass;
using namespace spyglass::addons;
using namespace spyglass::test;

class MapRemoteTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void mapsToAnotherServerAndUpdatesHost()
    {
        MapRemote a;
        QVERIFY(a.configure(
                     optionsWith({"map_remote=|http://example.com/api|http://127.0.0.1:9000/v2"}))
                    .isEmpty());
        HttpFlow f = requestFlow("http://example.com/api/users?id=1");
        f.request.authority = "example.com";
        a.request(f);
        QCOMPARE(f.request.host, QByteArray("127.0.0.1"));
        QCOMPARE(f.request.port, quint16(9000));
        QCOMPARE(f.request.path, QByteArray("/v2/users?id=1"));
        QCOMPARE(f.request.headers.value("host"), QByteArray("127.0.0.1:9000"));
        QCOMPARE(f.request.authority, QByteArray("127.0.0.1:9000"));
    }

    void groupsAndFilter()
    {
        MapRemote a;
        QVERIFY(a.configure(optionsWith({"map_remote=|~m POST|/old/(\\w+)|/new/\\1"})).isEmpty());
        HttpFlow get = requestFlow("http://example.com/old/x");
        a.request(get);
        QCOMPARE(get.request.path, QByteArray("/old/x"));
        HttpFlow post = requestFlow("http://example.com/old/x", "POST");
        a.request(post);
        QCOMPARE(post.request.path, QByteArray("/new/x"));
        QCOMPARE(post.request.headers.value("host"), QByteArray("example.com"));
    }

    void nonHttpResultIsIgnored()
    {
        MapRemote a;
        QVERIFY(a.configure(optionsWith({"map_remote=|http://|ftp://"})).isEmpty());
        HttpFlow f = requestFlow("http://example.com/");
        a.request(f);
        QCOMPARE(f.request.url(), QByteArray("http://example.com/"));
    }

    void badValues()
    {
        QVERIFY(setError("map_remote=/a(/b").contains("invalid regular expression"));
        QVERIFY(setError("map_remote=/a").contains("2 or 3 are expected"));
    }
};

QTEST_APPLESS_MAIN(MapRemoteTest)
#include "map_remote_test.moc"

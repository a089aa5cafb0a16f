#include "addons/sticky_auth.h"

#include "addon_flows.h"

using namespace spyglass;
using namespace spyglass::addons;
using namespace spyglass::test;

class StickyAuthTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void replaysAuthorizationPerHost()
    {
        StickyAuth a;
        QVERIFY(a.configure(optionsWith({"stickyauth=~q"})).isEmpty());
        QVERIFY(a.wantedHooks() != 0);
        HttpFlow first = requestFlow("http://example.com/a");
        first.request.headers.add("Authorization", "Basic dTpw");
        a.request(first);
        HttpFlow second = requestFlow("http://example.com/b");
        a.request(second);
        QCOMPARE(second.request.headers.value("authorization"), QByteArray("Basic dTpw"));
        HttpFlow other = requestFlow("http://example.org/b");
        a.request(other);
        QVERIFY(!other.request.headers.contains("authorization"));
    }

    void filterLimitsWhereItIsAdded()
    {
        StickyAuth a;
        QVERIFY(a.configure(optionsWith({"stickyauth=~m POST"})).isEmpty());
        HttpFlow first = requestFlow("http://example.com/a");
        first.request.headers.add("Authorization", "Bearer t");
        a.request(first);
        HttpFlow get = requestFlow("http://example.com/b");
        a.request(get);
        QVERIFY(!get.request.headers.contains("authorization"));
        HttpFlow post = requestFlow("http://example.com/b", "POST");
        a.request(post);
        QCOMPARE(post.request.headers.value("authorization"), QByteArray("Bearer t"));
        QVERIFY(setError("stickyauth=(~q").contains("invalid filter expression"));
    }
};

QTEST_APPLESS_MAIN(StickyAuthTest)
#include "sticky_auth_test.moc"

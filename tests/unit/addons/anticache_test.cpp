#include "addons/anticache.h"

#include "addon_flows.h"

using namespace spyglass;
using namespace spyglass::addons;
using namespace spyglass::test;

class AntiCacheTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void stripsConditionalHeaders()
    {
        AntiCache a;
        QVERIFY(a.configure(Options{}).isEmpty());
        QCOMPARE(a.wantedHooks(), quint64(0));
        QVERIFY(a.configure(optionsWith({"anticache=true"})).isEmpty());
        QVERIFY(a.wantedHooks() != 0);
        HttpFlow f = requestFlow("http://example.com/");
        f.request.headers.add("If-None-Match", "\"abc\"");
        f.request.headers.add("If-Modified-Since", "Mon, 01 Jan 2024 00:00:00 GMT");
        f.request.headers.add("Accept", "*/*");
        a.request(f);
        QVERIFY(!f.request.headers.contains("if-none-match"));
        QVERIFY(!f.request.headers.contains("if-modified-since"));
        QVERIFY(f.request.headers.contains("accept"));
    }
};

QTEST_APPLESS_MAIN(AntiCacheTest)
#include "anticache_test.moc"

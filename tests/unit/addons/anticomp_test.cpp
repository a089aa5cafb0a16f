#include "addons/anticomp.h"

#include "addon_flows.h"

using namespace spyglass;
using namespace spyglass::addons;
using namespace spyglass::test;

class AntiCompTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void asksForIdentity()
    {
        AntiComp a;
        QVERIFY(a.configure(optionsWith({"anticomp"})).isEmpty());
        HttpFlow f = requestFlow("http://example.com/");
        f.request.headers.add("Accept-Encoding", "gzip, br");
        a.request(f);
        QCOMPARE(f.request.headers.values("accept-encoding"), QList<QByteArray>{"identity"});
        QVERIFY(a.configure(Options{}).isEmpty());
        QCOMPARE(a.wantedHooks(), quint64(0));
    }
};

QTEST_APPLESS_MAIN(AntiCompTest)
#include "anticomp_test.moc"

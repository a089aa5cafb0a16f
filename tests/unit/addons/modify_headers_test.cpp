#include "addons/modify_headers.h"

#include "addon_flows.h"

#include <QTemporaryDir>

using namespace spyglass;
using namespace spyglass::addons;
using namespace spyglass::test;

class ModifyHeadersTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void setsReplacesAndRemoves()
    {
        ModifyHeaders a;
        QVERIFY(a.configure(optionsWith({"modify_headers=/~q/X-Added/yes",
                                         "modify_headers=/~q/User-Agent/spyglass",
                                         "modify_headers=/~q/Accept/"}))
                    .isEmpty());
        HttpFlow f = requestFlow("http://example.com/");
        f.request.headers.add("User-Agent", "curl");
        f.request.headers.add("Accept", "*/*");
        a.request(f);
        QCOMPARE(f.request.headers.value("x-added"), QByteArray("yes"));
        QCOMPARE(f.request.headers.values("user-agent"), QList<QByteArray>{"spyglass"});
        QVERIFY(!f.request.headers.contains("accept"));
    }

    void noFilterMatchesRequestsAndResponses()
    {
        ModifyHeaders a;
        QVERIFY(a.configure(optionsWith({"modify_headers=:X-Tag:t"})).isEmpty());
        HttpFlow f = requestFlow("http://example.com/");
        a.request(f);
        QCOMPARE(f.request.headers.value("x-tag"), QByteArray("t"));
        addResponse(f, 200, "ok");
        a.response(f);
        QCOMPARE(f.response->headers.value("x-tag"), QByteArray("t"));
    }

    void responseFilter()
    {
        ModifyHeaders a;
        QVERIFY(a.configure(optionsWith({"modify_headers=/~s & ~c 404/X-Missing/1"})).isEmpty());
        HttpFlow ok = requestFlow("http://example.com/");
        addResponse(ok, 200, "ok");
        a.response(ok);
        QVERIFY(!ok.response->headers.contains("x-missing"));
        HttpFlow missing = requestFlow("http://example.com/");
        addResponse(missing, 404, "no");
        a.response(missing);
        QCOMPARE(missing.response->headers.value("x-missing"), QByteArray("1"));
    }

    void valueFromFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("v.txt");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("from-file\n");
        file.close();
        ModifyHeaders a;
        QVERIFY(a.configure(optionsWith({"modify_headers=|X-File|@" + path})).isEmpty());
        HttpFlow f = requestFlow("http://example.com/");
        a.request(f);
        QCOMPARE(f.request.headers.value("x-file"), QByteArray("from-file"));
    }

    void badValues()
    {
        QVERIFY(setError("modify_headers=/X-A").contains("2 or 3 are expected"));
        QVERIFY(setError("modify_headers=/~x/X-A/b").contains("invalid filter expression"));
        QVERIFY(setError("modify_headers=|X-A|@/nonexistent/file").contains("cannot read"));
        QVERIFY(setError("modify_headers=/X-A/b").isEmpty());
    }
};

QTEST_APPLESS_MAIN(ModifyHeadersTest)
#include "modify_headers_test.moc"

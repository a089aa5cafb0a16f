#include "flow/headers.h"
#include "flow/http_message.h"

#include <QtTest>

using namespace spyglass;

class HeadersTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void lookupIgnoresCase()
    {
        Headers h{{"Content-Type", "text/html"}, {"set-cookie", "a=1"}, {"Set-Cookie", "b=2"}};
        QCOMPARE(h.value("content-type"), QByteArray("text/html"));
        QCOMPARE(h.values("SET-COOKIE"), (QList<QByteArray>{"a=1", "b=2"}));
        QCOMPARE(h.joined("set-cookie"), QByteArray("a=1, b=2"));
        QVERIFY(!h.contains("x"));
    }
    void setKeepsPositionAndRemovesDuplicates()
    {
        Headers h{{"A", "1"}, {"B", "2"}, {"a", "3"}};
        h.set("a", "9");
        QCOMPARE(h.size(), 2);
        QCOMPARE(h.fields().at(0), (Headers::Field{"A", "9"}));
        QCOMPARE(h.remove("b"), 1);
        QCOMPARE(h.size(), 1);
    }
    void tokens()
    {
        Headers h{{"Connection", "keep-alive, Upgrade"}};
        QVERIFY(h.hasToken("connection", "upgrade"));
        QVERIFY(!h.hasToken("connection", "close"));
    }
    void urls()
    {
        Request r;
        QVERIFY(r.setUrl("http://Example.com:8080/a/b?c=d"));
        QCOMPARE(r.host, QByteArray("example.com"));
        QCOMPARE(r.port, 8080);
        QCOMPARE(r.path, QByteArray("/a/b?c=d"));
        QCOMPARE(r.url(), QByteArray("http://example.com:8080/a/b?c=d"));
        QVERIFY(r.setUrl("https://[::1]/x"));
        QCOMPARE(r.host, QByteArray("::1"));
        QCOMPARE(r.url(), QByteArray("https://[::1]/x"));
        QVERIFY(r.setUrl("http://h?q=1"));
        QCOMPARE(r.path, QByteArray("/?q=1"));
        QVERIFY(!r.setUrl("/relative"));
        QVERIFY(!r.setUrl("ftp://x/"));
    }
};

QTEST_GUILESS_MAIN(HeadersTest)
#include "headers_test.moc"

#include "flow/headers.h"
#include "flow/http_message.h"

#include <QUrl>
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
    // setUrl reads common URLs without QUrl: it must agree with QUrl's reading (as setUrl
    // did it before) on those and on the near misses that take QUrl's path.
    void urlsAgreeWithQUrl_data()
    {
        QTest::addColumn<QByteArray>("url");
        for (const char* u : {"http://127.0.0.1:18080/1k",
                              "http://example.com/",
                              "HTTP://WWW.Example.COM/A?b=C",
                              "https://a-b.c.d:443/x/y;z?q=1&r=(2)",
                              "ws://h:1/",
                              "wss://h.example:65535",
                              "http://h:65536/",
                              "http://h:/",
                              "http://h:0/",
                              "http://h:080/",
                              "http://h",
                              "http://h?x",
                              "http://h/#frag",
                              "http://h/%41",
                              "http://h/%zz",
                              "http://h/a b",
                              "http://h/\x7f",
                              "http://user@h/",
                              "http://user:pw@h/",
                              "http://[::1]:8/",
                              "http://0127.0.0.1/",
                              "http://127.1/",
                              "http://256.1.1.1/",
                              "http://1.2.3.4.5/",
                              "http://1password.com/",
                              "http://xn--bcher-kva.example/",
                              "http://-a.com/",
                              "http://a-.com/",
                              "http://a..b/",
                              "http://a.b./",
                              "http://.a/",
                              "http://a_b.c/",
                              "http://b\xc3\xbc"
                              "cher.example/",
                              "http://h:12a/",
                              "ftp://h/",
                              "http:/h/",
                              "http:///x",
                              "http://",
                              "mailto:x@y",
                              "http://h/~a/!$&'*+,;=:@/?/?x",
                              "http://h/[x]",
                              "http://h/\"",
                              "http://h/`",
                              "http://h/{}",
                              "http://h/|",
                              "http://h/^",
                              "http://h\\x/",
                              "http://h/\\x"})
            QTest::newRow(u) << QByteArray(u);
    }
    void urlsAgreeWithQUrl()
    {
        QFETCH(QByteArray, url);
        Request expected;
        const QUrl u = QUrl::fromEncoded(url, QUrl::StrictMode);
        const QByteArray s = u.scheme().toLatin1().toLower();
        const bool valid = u.isValid() && !u.host().isEmpty() &&
                           (s == "http" || s == "https" || s == "ws" || s == "wss");
        Request r;
        QCOMPARE(r.setUrl(url), valid);
        if (!valid)
            return;
        QByteArray host = QUrl::toAce(u.host());
        if (host.isEmpty())
            host = u.host().toLatin1();
        QCOMPARE(r.scheme, s);
        QCOMPARE(r.host, host);
        QCOMPARE(int(r.port), u.port(defaultPort(s)));
    }
    void caseInsensitiveComparison()
    {
        QVERIFY(equalsIgnoreCase("Content-Length", "content-length"));
        QVERIFY(!equalsIgnoreCase("Content-Length", "content-lengtH2"));
        QVERIFY(!equalsIgnoreCase("a", "b"));
        QVERIFY(!equalsIgnoreCase("@", "`"));
        QVERIFY(!equalsIgnoreCase("[", "{"));
        QVERIFY(equalsIgnoreCase("", ""));
        // Bytes above 0x7f compare as Qt compares them.
        for (const auto& [a, b] : {std::pair<QByteArrayView, QByteArrayView>{"x\xc0y", "X\xe0Y"},
                                   {"x\xc0y", "x\xc1y"},
                                   {"\xc0", "a"},
                                   {"\xc0", "\xc0"},
                                   {"a\xe9", "A\xc9"}})
            QCOMPARE(equalsIgnoreCase(a, b), a.compare(b, Qt::CaseInsensitive) == 0);
    }
    void tokenLists()
    {
        Headers h{{"Connection", ""}, {"Upgrade", " WebSocket ,h2c,"}, {"TE", ",,trailers"}};
        QVERIFY(h.hasToken("connection", ""));
        QVERIFY(h.hasToken("upgrade", "websocket"));
        QVERIFY(h.hasToken("upgrade", "H2C"));
        QVERIFY(h.hasToken("upgrade", ""));
        QVERIFY(!h.hasToken("upgrade", "web"));
        QVERIFY(h.hasToken("te", "trailers"));
        QVERIFY(!h.hasToken("te", "trailer"));
    }
};

QTEST_GUILESS_MAIN(HeadersTest)
#include "headers_test.moc"

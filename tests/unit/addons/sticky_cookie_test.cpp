#include "addons/sticky_cookie.h"

#include "addon_flows.h"

using namespace spyglass;
using namespace spyglass::addons;
using namespace spyglass::test;

class StickyCookieTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void remembersAndAddsCookies()
    {
        StickyCookie a;
        QVERIFY(a.configure(optionsWith({"stickycookie=~d example.com"})).isEmpty());
        HttpFlow login = requestFlow("http://example.com/login");
        addResponse(login, 200, "ok",
                    {{"Set-Cookie", "session=abc; Path=/; HttpOnly"},
                     {"Set-Cookie", "theme=dark; Path=/app"}});
        a.response(login);

        HttpFlow later = requestFlow("http://example.com/app/page");
        later.request.headers.add("Cookie", "theme=light");
        a.request(later);
        const QByteArray cookie = later.request.headers.value("cookie");
        QVERIFY2(cookie.contains("session=abc"), cookie.constData());
        QVERIFY2(cookie.contains("theme=light") && !cookie.contains("theme=dark"),
                 cookie.constData());

        HttpFlow root = requestFlow("http://example.com/");
        a.request(root);
        QCOMPARE(root.request.headers.value("cookie"), QByteArray("session=abc"));

        // Another host, another port, or a request the filter does not match: nothing.
        HttpFlow other = requestFlow("http://example.org/");
        a.request(other);
        QVERIFY(!other.request.headers.contains("cookie"));
        HttpFlow port = requestFlow("http://example.com:8080/");
        a.request(port);
        QVERIFY(!port.request.headers.contains("cookie"));
    }

    void expiredCookiesAreForgotten()
    {
        StickyCookie a;
        QVERIFY(a.configure(optionsWith({"stickycookie=~all"})).isEmpty());
        HttpFlow set = requestFlow("http://example.com/");
        addResponse(set, 200, "", {{"Set-Cookie", "a=1"}});
        a.response(set);
        HttpFlow unset = requestFlow("http://example.com/");
        addResponse(unset, 200, "", {{"Set-Cookie", "a=; Max-Age=0"}});
        a.response(unset);
        HttpFlow req = requestFlow("http://example.com/");
        a.request(req);
        QVERIFY(!req.request.headers.contains("cookie"));
    }

    void domainMatching()
    {
        QVERIFY(StickyCookie::domainMatch("example.com", "example.com"));
        QVERIFY(StickyCookie::domainMatch("www.example.com", ".example.com"));
        QVERIFY(!StickyCookie::domainMatch("www.example.com", "example.com"));
        QVERIFY(!StickyCookie::domainMatch("badexample.com", ".example.com"));
        QVERIFY(StickyCookie::domainMatch("example.com", ".example.com"));
    }

    void offWithoutFilterAndBadFilter()
    {
        StickyCookie a;
        QVERIFY(a.configure(Options{}).isEmpty());
        QCOMPARE(a.wantedHooks(), quint64(0));
        QVERIFY(setError("stickycookie=~q ~~").contains("invalid filter expression"));
    }
};

QTEST_APPLESS_MAIN(StickyCookieTest)
#include "sticky_cookie_test.moc"

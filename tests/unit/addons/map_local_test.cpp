#include "addons/map_local.h"

#include "addon_flows.h"

#include <QDir>
#include <QTemporaryDir>

using namespace spyglass;
using namespace spyglass::addons;
using namespace spyglass::test;

namespace {
void writeFile(const QString& path, const QByteArray& data)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(data);
}
} // namespace

class MapLocalTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void servesFilesFromADirectory()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath("site/app.js"), "js!");
        writeFile(dir.filePath("site/index.html"), "<p>home</p>");
        writeFile(dir.filePath("site/sub/index.html"), "sub");
        MapLocal a;
        QVERIFY(a.configure(optionsWith({"map_local=|example.com/static|" + dir.filePath("site")}))
                    .isEmpty());
        HttpFlow js = requestFlow("http://example.com/static/app.js?v=3");
        a.request(js);
        QVERIFY(js.response);
        QCOMPARE(js.response->statusCode, 200);
        QCOMPARE(js.response->body.content, QByteArray("js!"));
        QVERIFY(js.response->headers.value("content-type").contains("javascript"));

        HttpFlow home = requestFlow("http://example.com/static/");
        a.request(home);
        QCOMPARE(home.response->body.content, QByteArray("<p>home</p>"));
        QCOMPARE(home.response->headers.value("content-type"), QByteArray("text/html"));

        HttpFlow sub = requestFlow("http://example.com/static/sub");
        a.request(sub);
        QCOMPARE(sub.response->body.content, QByteArray("sub"));

        HttpFlow missing = requestFlow("http://example.com/static/nope.css");
        a.request(missing);
        QCOMPARE(missing.response->statusCode, 404);

        HttpFlow elsewhere = requestFlow("http://example.org/static/app.js");
        a.request(elsewhere);
        QVERIFY(!elsewhere.response);
    }

    void singleFileAndFilter()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath("data.json"), "{}");
        MapLocal a;
        QVERIFY(a.configure(optionsWith({"map_local=/~m GET/api/" + dir.filePath("data.json")}))
                    .isEmpty());
        HttpFlow f = requestFlow("http://example.com/api/anything");
        a.request(f);
        QCOMPARE(f.response->body.content, QByteArray("{}"));
        QCOMPARE(f.response->headers.value("content-type"), QByteArray("application/json"));
        HttpFlow post = requestFlow("http://example.com/api/anything", "POST");
        a.request(post);
        QVERIFY(!post.response);
    }

    void noPathTraversal()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath("secret.txt"), "secret");
        writeFile(dir.filePath("pub/ok.txt"), "ok");
        MapLocal a;
        QVERIFY(
            a.configure(optionsWith({"map_local=|example.com/|" + dir.filePath("pub")})).isEmpty());
        for (const QByteArray& url :
             {QByteArray("http://example.com/../secret.txt"),
              QByteArray("http://example.com/%2e%2e/secret.txt"),
              QByteArray("http://example.com/x/%2e%2e/%2e%2e/secret.txt")}) {
            HttpFlow f = requestFlow("http://example.com/");
            f.request.path = url.mid(QByteArray("http://example.com").size());
            a.request(f);
            QVERIFY2(f.response, url.constData());
            QCOMPARE(f.response->statusCode, 404);
        }
        HttpFlow ok = requestFlow("http://example.com/ok.txt");
        a.request(ok);
        QCOMPARE(ok.response->body.content, QByteArray("ok"));
    }

    void badValues()
    {
        QVERIFY(setError("map_local=|x|/nonexistent/dir/xyz").contains("does not exist"));
        QVERIFY(setError("map_local=|x(|/tmp").contains("invalid regular expression"));
    }
};

QTEST_APPLESS_MAIN(MapLocalTest)
#include "map_local_test.moc"

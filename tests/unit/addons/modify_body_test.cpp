#include "addons/modify_body.h"

#include "addon_flows.h"
#include "io/content_coding.h"

#include <QTemporaryDir>

using namespace spyglass;
using namespace spyglass::addons;
using namespace spyglass::test;

class ModifyBodyTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void replacesInRequestAndResponse()
    {
        ModifyBody a;
        QVERIFY(
            a.configure(optionsWith({"modify_body=/~q/cat/dog", "modify_body=/~s/(\\d+)/<\\1>"}))
                .isEmpty());
        HttpFlow f = requestFlow("http://example.com/", "POST");
        f.request.body.content = "cat and cat";
        f.request.headers.add("Content-Length", "11");
        a.request(f);
        QCOMPARE(f.request.body.content, QByteArray("dog and dog"));
        QCOMPARE(f.request.headers.value("content-length"), QByteArray("11"));
        addResponse(f, 200, "a 12 b 3");
        a.response(f);
        QCOMPARE(f.response->body.content, QByteArray("a <12> b <3>"));
        QCOMPARE(f.response->headers.value("content-length"), QByteArray("12"));
    }

    void dotMatchesNewlinesAndBytesStayBytes()
    {
        ModifyBody a;
        QVERIFY(a.configure(optionsWith({"modify_body=/a.b/X", "modify_body=/é/e"})).isEmpty());
        HttpFlow f = requestFlow("http://example.com/");
        addResponse(f, 200, QByteArray("a\nb caf\xc3\xa9 \xff"));
        a.response(f);
        QCOMPARE(f.response->body.content, QByteArray("X cafe \xff"));
    }

    void worksOnTheDecodedBody()
    {
        ModifyBody a;
        QVERIFY(a.configure(optionsWith({"modify_body=/hello/bye"})).isEmpty());
        HttpFlow f = requestFlow("http://example.com/");
        const QByteArray gz = *ContentCoding::encode({"gzip"}, "hello world");
        addResponse(f, 200, gz, {{"Content-Encoding", "gzip"}});
        a.response(f);
        QCOMPARE(f.response->headers.value("content-encoding"), QByteArray("gzip"));
        QCOMPARE(*ContentCoding::decode({"gzip"}, f.response->body.content, 1000),
                 QByteArray("bye world"));
    }

    void streamedBodiesAreLeftAlone()
    {
        ModifyBody a;
        QVERIFY(a.configure(optionsWith({"modify_body=/a/b"})).isEmpty());
        HttpFlow f = requestFlow("http://example.com/");
        addResponse(f, 200, "");
        f.response->body.streamed = true;
        f.response->body.size = 100;
        a.response(f);
        QCOMPARE(f.response->body.size, qint64(100));
    }

    void replacementFromFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("r.txt");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("FILE");
        file.close();
        ModifyBody a;
        QVERIFY(a.configure(optionsWith({"modify_body=|x|@" + path})).isEmpty());
        HttpFlow f = requestFlow("http://example.com/");
        addResponse(f, 200, "axb");
        a.response(f);
        QCOMPARE(f.response->body.content, QByteArray("aFILEb"));
    }

    void badValues()
    {
        QVERIFY(setError("modify_body=/(/x").contains("invalid regular expression"));
        QVERIFY(setError("modify_body=|a|@/nonexistent").contains("cannot read"));
        QVERIFY(setError("modify_body=x").contains("2 or 3 are expected"));
    }
};

QTEST_APPLESS_MAIN(ModifyBodyTest)
#include "modify_body_test.moc"

// FormCodec: URL-encoded forms and multipart bodies to fields and back. A browser-shaped
// multipart body comes back byte for byte with its own boundary; odd input is refused, not
// guessed.

#include "form_codec.h"

#include <QtTest>

using namespace spyglass;

class FormCodecTest : public QObject
{
    Q_OBJECT
private slots:
    void urlEncodedRoundTrip()
    {
        const QList<FormCodec::Field> fields =
            FormCodec::parseUrlEncoded("name=J%C3%BCrgen+M&empty=&flag&&a%26b=1%3D2");
        QCOMPARE(fields.size(), 4);
        QCOMPARE(fields[0].name, QByteArray("name"));
        QCOMPARE(fields[0].value, QByteArray("J\xc3\xbcrgen M"));
        QCOMPARE(fields[1], (FormCodec::Field{"empty", ""}));
        QCOMPARE(fields[2], (FormCodec::Field{"flag", ""}));
        QCOMPARE(fields[3], (FormCodec::Field{"a&b", "1=2"}));
        QCOMPARE(FormCodec::encodeUrlEncoded(fields),
                 QByteArray("name=J%C3%BCrgen+M&empty=&flag=&a%26b=1%3D2"));
        QCOMPARE(FormCodec::encodeUrlEncoded({{"q", "a+b c~*"}}), QByteArray("q=a%2Bb+c%7E*"));
        QVERIFY(FormCodec::parseUrlEncoded("").isEmpty());
    }

    void multipartRoundTripKeepsBytes()
    {
        const QByteArray boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW";
        const QByteArray body = "------WebKitFormBoundary7MA4YWxkTrZu0gW\r\n"
                                "Content-Disposition: form-data; name=\"title\"\r\n"
                                "\r\n"
                                "Hello\r\nworld\r\n"
                                "------WebKitFormBoundary7MA4YWxkTrZu0gW\r\n"
                                "Content-Disposition: form-data; name=\"file\"; "
                                "filename=\"a.bin\"\r\n"
                                "Content-Type: application/octet-stream\r\n"
                                "\r\n" +
                                QByteArray::fromHex("00ff0d0a2d2d") +
                                "\r\n"
                                "------WebKitFormBoundary7MA4YWxkTrZu0gW--\r\n";
        const auto parts = FormCodec::parseMultipart(body, boundary);
        QVERIFY(parts);
        QCOMPARE(parts->size(), 2);
        QCOMPARE((*parts)[0].name, QByteArray("title"));
        QCOMPARE((*parts)[0].value, QByteArray("Hello\r\nworld"));
        QVERIFY((*parts)[0].filename.isEmpty());
        QCOMPARE((*parts)[1].filename, QByteArray("a.bin"));
        QCOMPARE((*parts)[1].contentType, QByteArray("application/octet-stream"));
        QCOMPARE((*parts)[1].value, QByteArray::fromHex("00ff0d0a2d2d"));
        QCOMPARE(FormCodec::encodeMultipart(*parts, boundary), body);
    }

    void multipartOddShapes()
    {
        // A preamble, a part without headers, other part headers, escaped quotes, an epilogue.
        const QByteArray body = "preamble\r\n--b\r\n\r\nbare\r\n--b\r\n"
                                "content-disposition: form-data; name=\"a\\\"b\"; x=1\r\n"
                                "Content-Transfer-Encoding: 8bit\r\n\r\n\r\n--b--\r\nepilogue";
        const auto parts = FormCodec::parseMultipart(body, "b");
        QVERIFY(parts);
        QCOMPARE(parts->size(), 2);
        QCOMPARE((*parts)[0].value, QByteArray("bare"));
        QCOMPARE((*parts)[1].name, QByteArray("a\"b"));
        QCOMPARE((*parts)[1].value, QByteArray());
        QCOMPARE((*parts)[1].otherHeaders.value("content-transfer-encoding"), QByteArray("8bit"));
        QCOMPARE(FormCodec::encodeMultipart(*parts, "b"),
                 QByteArray("--b\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nbare\r\n"
                            "--b\r\nContent-Disposition: form-data; name=\"a%22b\"\r\n"
                            "Content-Transfer-Encoding: 8bit\r\n\r\n\r\n--b--\r\n"));

        QVERIFY(!FormCodec::parseMultipart("no delimiter here", "b"));
        QVERIFY(!FormCodec::parseMultipart("--b\r\nX: y\r\n", "b"));             // no header end
        QVERIFY(!FormCodec::parseMultipart("--b\r\n\r\nvalue never ends", "b")); // no delimiter
        QVERIFY(!FormCodec::parseMultipart("--b\r\n\r\nx\r\n--b--", ""));
        const auto empty = FormCodec::parseMultipart("--b--\r\n", "b");
        QVERIFY(empty && empty->isEmpty());
    }

    void newBoundaryIsFresh()
    {
        const QByteArray a = FormCodec::newBoundary();
        QVERIFY(a.startsWith("----spyglass"));
        QCOMPARE(a.size(), 36);
        QVERIFY(a != FormCodec::newBoundary());
    }
};

QTEST_APPLESS_MAIN(FormCodecTest)
#include "form_codec_test.moc"

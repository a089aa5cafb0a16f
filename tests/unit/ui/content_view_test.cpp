// Content views: the pretty-printers keep what was sent (key order, numbers, strings with
// brackets inside), survive broken and truncated input, and Auto picks by Content-Type first,
// then by sniffing. MessageView offers the views, builds the JSON tree, shows images, finds
// text, and bounds what it renders for huge bodies.

#include "body_view.h"
#include "content_view.h"
#include "flow/headers.h"
#include "flow/http_message.h"
#include "json_tree_view.h"
#include "message_view.h"
#include "text_formatters.h"

#include <QBuffer>
#include <QImage>
#include <QTest>
#include <QTreeWidgetItem>

using namespace spyglass;
using Id = ContentView::Id;

namespace {

ContentInput input(const QByteArray& type, const QByteArray& data, const QByteArray& query = {})
{
    return ContentInput{data, type, query};
}

QByteArray pngBytes(int w, int h)
{
    QImage image(w, h, QImage::Format_RGB32);
    image.fill(Qt::blue);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}

Headers headers(std::initializer_list<std::pair<QByteArray, QByteArray>> fields)
{
    Headers h;
    for (const auto& [name, value] : fields)
        h.add(name, value);
    return h;
}

BodyInfo body(const QByteArray& content)
{
    BodyInfo b;
    b.content = content;
    b.size = content.size();
    return b;
}

// With SPYGLASS_SCREENSHOTS=DIR set, the views are saved there as PNGs to look at.
void shoot(QWidget& widget, const char* name)
{
    const QString dir = qEnvironmentVariable("SPYGLASS_SCREENSHOTS");
    if (!dir.isEmpty())
        widget.grab().save(dir + QLatin1Char('/') + QLatin1String(name) + QStringLiteral(".png"));
}

} // namespace

class ContentViewTest : public QObject
{
    Q_OBJECT
private slots:
    void prettyJsonKeepsOrderAndStrings()
    {
        const QString out = text::prettyJson(
            "{\"z\":1,\"a\":[1,2.50,{}],\"s\":\"x{,}[:]\\\"y\",\"e\":[],\"n\":null}");
        QCOMPARE(out, QStringLiteral("{\n"
                                     "  \"z\": 1,\n"
                                     "  \"a\": [\n"
                                     "    1,\n"
                                     "    2.50,\n"
                                     "    {}\n"
                                     "  ],\n"
                                     "  \"s\": \"x{,}[:]\\\"y\",\n"
                                     "  \"e\": [],\n"
                                     "  \"n\": null\n"
                                     "}"));
    }

    void prettyJsonSurvivesTruncation()
    {
        const QString out = text::prettyJson(R"({"a": {"b": [1, 2)");
        QVERIFY(out.startsWith(QStringLiteral("{\n  \"a\": {\n    \"b\": [\n      1,\n      2")));
        QVERIFY(!text::looksLikeJson(R"({"a": {"b": [1, 2)"));
        QVERIFY(text::looksLikeJson(" [1, {\"a\": true}]\n"));
        QVERIFY(!text::looksLikeJson("{hello world}"));
        QVERIFY(!text::looksLikeJson("<html>"));
    }

    void prettyMarkupIndentsXmlAndHtml()
    {
        QCOMPARE(text::prettyMarkup("<?xml version=\"1.0\"?><a><b x=\"1>2\">t</b><c/></a>", false),
                 QStringLiteral("<?xml version=\"1.0\"?>\n<a>\n  <b x=\"1>2\">\n    t\n  </b>\n"
                                "  <c/>\n</a>"));
        const QString html = text::prettyMarkup(
            "<!DOCTYPE html><html><head><meta charset=utf-8><script>if (a<b) x();</script>"
            "</head><body><p>Hi<br>there</p></body></html>",
            true);
        QCOMPARE(html,
                 QStringLiteral("<!DOCTYPE html>\n<html>\n  <head>\n    <meta charset=utf-8>\n"
                                "    <script>\nif (a<b) x();\n    </script>\n  </head>\n"
                                "  <body>\n    <p>\n      Hi\n      <br>\n      there\n"
                                "    </p>\n  </body>\n</html>"));
        // Garbage does not throw or hang.
        QVERIFY(!text::prettyMarkup("<<<>>><a <b", true).isEmpty());
    }

    void formsDecode()
    {
        const auto pairs = text::decodeUrlEncoded("a=1&b=two+words&c=%C3%A9&flag&=x");
        QCOMPARE(pairs.size(), 5);
        QCOMPARE(pairs[1].second, QStringLiteral("two words"));
        QCOMPARE(pairs[2].second, QStringLiteral("é"));
        QCOMPARE(pairs[3].first, QStringLiteral("flag"));
        QCOMPARE(text::alignedPairs({{"a", "1"}, {"long", "2"}}),
                 QStringLiteral("a:    1\nlong: 2\n"));
    }

    void autoPicksByTypeThenBySniffing()
    {
        QCOMPARE(ContentView::best(input("application/json; charset=utf-8", "{\"a\":1}")),
                 Id::Json);
        QCOMPARE(ContentView::best(input("application/problem+json", "{}")), Id::Json);
        QCOMPARE(ContentView::best(input("text/plain", "{\"a\": [1]}")), Id::Json); // sniffed
        QCOMPARE(ContentView::best(input("text/plain", "{not json")), Id::Raw);
        QCOMPARE(ContentView::best(input("text/html", "<p>x</p>")), Id::Html);
        QCOMPARE(ContentView::best(input("", "<?xml version='1.0'?><a/>")), Id::Xml);
        QCOMPARE(ContentView::best(input("image/svg+xml", "<svg/>")), Id::Xml);
        QCOMPARE(ContentView::best(input("application/x-www-form-urlencoded", "a=1")), Id::Form);
        QCOMPARE(
            ContentView::best(input("application/octet-stream", QByteArray::fromHex("000102"))),
            Id::Hex);
        QCOMPARE(ContentView::best(input("", "", "q=1&r=2")), Id::Query);
        QCOMPARE(ContentView::best(input("image/png", pngBytes(4, 3))), Id::Image);

        const QList<Id> json = ContentView::applicable(input("application/json", "[1]"));
        QCOMPARE(json.first(), Id::Json);
        QVERIFY(json.contains(Id::JsonTree));
        QCOMPARE(json.mid(json.size() - 2), (QList<Id>{Id::Raw, Id::Hex}));
    }

    void multipartShowsPartsAndFiles()
    {
        const QByteArray data =
            "--XyZ\r\n"
            "Content-Disposition: form-data; name=\"title\"\r\n\r\n"
            "Hello\r\n"
            "--XyZ\r\n"
            "Content-Disposition: form-data; name=\"upload\"; filename=\"a.bin\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n"
            "\1\2\3\4\r\n"
            "--XyZ--\r\n";
        const auto in = input("multipart/form-data; boundary=\"XyZ\"", data);
        QCOMPARE(ContentView::best(in), Id::Multipart);
        const ContentOutput out = ContentView::render(Id::Multipart, in, 1 << 20);
        QVERIFY2(out.text.startsWith(QStringLiteral("title:  Hello\nupload: file \"a.bin\"")),
                 qPrintable(out.text));
        QCOMPARE(out.note, QStringLiteral("2 part(s)"));
    }

    void imagesDecodeOrFallBack()
    {
        const ContentOutput ok =
            ContentView::render(Id::Image, input("image/png", pngBytes(7, 5)), 1 << 20);
        QVERIFY(!ok.failed);
        QCOMPARE(ok.image.size(), QSize(7, 5));
        QVERIFY(ok.note.contains(QStringLiteral("7 × 5")));
        const ContentOutput bad =
            ContentView::render(Id::Image, input("image/png", "not a png"), 1 << 20);
        QVERIFY(bad.failed);
        QVERIFY(bad.text.startsWith(QStringLiteral("00000000  6e 6f 74")));
    }

    void renderingIsBounded()
    {
        QByteArray big = "[";
        while (big.size() < 8 * 1024 * 1024)
            big += "{\"k\": \"vvvvvvvvvvvvvvvvvvvv\", \"n\": 12345},";
        big += "1]";
        const ContentOutput out =
            ContentView::render(Id::Json, input("application/json", big), 1 << 20);
        QVERIFY(out.cut);
        QVERIFY(out.text.size() < 3 * 1024 * 1024);
    }

    void jsonTreeKeepsOrderAndReportsErrors()
    {
        JsonTreeView tree;
        QVERIFY(tree.setJson(R"({"z": 1, "a": {"b": [true, null, "s\u00e9"]}})"));
        QTreeWidgetItem* root = tree.topLevelItem(0);
        QVERIFY(root);
        QCOMPARE(root->childCount(), 2);
        QCOMPARE(root->child(0)->text(0), QStringLiteral("z"));
        QCOMPARE(root->child(1)->text(0), QStringLiteral("a"));
        QTreeWidgetItem* list = root->child(1)->child(0);
        QCOMPARE(list->text(1), QStringLiteral("[3 item(s)]"));
        QCOMPARE(list->child(2)->text(1), QStringLiteral("sé"));
        QCOMPARE(list->child(0)->text(2), QStringLiteral("boolean"));

        QString error;
        QVERIFY(!tree.setJson(R"({"a": [1, 2)", &error));
        QVERIFY(error.contains(QStringLiteral("unexpected end")));
        QCOMPARE(tree.topLevelItemCount(), 0);
        QVERIFY(!tree.setJson(QByteArray(1000, '['), &error)); // deep nesting is refused
        QVERIFY(error.contains(QStringLiteral("nested")));
    }

    void messageViewOffersViewsAndFinds()
    {
        MessageView view;
        view.setMessage(QStringLiteral("HTTP/1.1 200 OK"),
                        headers({{"Content-Type", "application/json"}}),
                        body(R"({"name": "spyglass", "list": [1, 2, 3]})"));
        QCOMPARE(view.body()->currentView(), Id::Json);
        QVERIFY(view.bodyText().contains(QStringLiteral("\n  \"name\": \"spyglass\"")));
        QVERIFY(view.body()->availableViews().contains(Id::JsonTree));
        QVERIFY(view.body()->find(QStringLiteral("spyglass")));
        QVERIFY(!view.body()->find(QStringLiteral("absent")));

        view.resize(720, 420);
        shoot(view, "content-json");
        view.body()->setView(Id::JsonTree);
        shoot(view, "content-json-tree");
        QCOMPARE(view.body()->currentView(), Id::JsonTree);
        QCOMPARE(view.bodyText(), QString()); // the tree is shown, not text
        QCOMPARE(view.body()->jsonTree()->topLevelItem(0)->childCount(), 2);
        QVERIFY(view.body()->find(QStringLiteral("spyglass")));

        view.body()->setView(Id::Hex);
        QVERIFY(view.bodyText().startsWith(QStringLiteral("00000000  7b 22")));

        // A new message starts on Auto again.
        view.setMessage(QStringLiteral("HTTP/1.1 200 OK"), headers({{"Content-Type", "image/png"}}),
                        body(pngBytes(2, 2)));
        QCOMPARE(view.body()->currentView(), Id::Image);
        QVERIFY(view.body()->note().contains(QStringLiteral("2 × 2")));
    }

    void messageViewDecodesContentEncoding()
    {
        // "hello" gzip-compressed.
        const QByteArray gz =
            QByteArray::fromHex("1f8b0800000000000003cb48cdc9c9070086a6103605000000");
        MessageView view;
        view.setMessage(QStringLiteral("HTTP/1.1 200 OK"),
                        headers({{"Content-Type", "text/plain"}, {"Content-Encoding", "gzip"}}),
                        body(gz));
        QCOMPARE(view.bodyText(), QStringLiteral("hello"));
        QVERIFY(view.body()->note().contains(QStringLiteral("decoded from gzip")));
    }
};

QTEST_MAIN(ContentViewTest)
#include "content_view_test.moc"

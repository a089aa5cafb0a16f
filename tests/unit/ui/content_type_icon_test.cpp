// ContentTypeIcon: Content-Type values sorted into kinds as the list shows them, one distinct
// icon per kind, and the flow list giving each row's icon in the Path column (WebSocket and TCP
// flows by their kind, rows without a typed response none).

#include "content_type_icon.h"
#include "flow_list_model.h"
#include "varied_flows.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QImage>
#include <QSet>
#include <QTest>

using namespace spyglass;
using Kind = ContentTypeIcon::Kind;

class ContentTypeIconTest : public QObject
{
    Q_OBJECT
private slots:
    void kinds_data();
    void kinds();
    void oneIconPerKind();
    void listShowsThem();
};

void ContentTypeIconTest::kinds_data()
{
    QTest::addColumn<QByteArray>("type");
    QTest::addColumn<Kind>("kind");
    QTest::newRow("json") << QByteArray("application/json; charset=utf-8") << Kind::Json;
    QTest::newRow("+json") << QByteArray("application/problem+json") << Kind::Json;
    QTest::newRow("upper") << QByteArray("Application/JSON") << Kind::Json;
    QTest::newRow("html") << QByteArray("text/html;charset=UTF-8") << Kind::Html;
    QTest::newRow("js") << QByteArray("application/javascript") << Kind::Script;
    QTest::newRow("text/js") << QByteArray("text/javascript") << Kind::Script;
    QTest::newRow("css") << QByteArray("text/css") << Kind::Style;
    QTest::newRow("png") << QByteArray("image/png") << Kind::Image;
    QTest::newRow("svg") << QByteArray("image/svg+xml") << Kind::Image;
    QTest::newRow("woff2") << QByteArray("font/woff2") << Kind::Font;
    QTest::newRow("xml") << QByteArray("application/xml") << Kind::Xml;
    QTest::newRow("atom") << QByteArray("application/atom+xml") << Kind::Xml;
    QTest::newRow("plain") << QByteArray("text/plain") << Kind::Text;
    QTest::newRow("form") << QByteArray("application/x-www-form-urlencoded") << Kind::Text;
    QTest::newRow("video") << QByteArray("video/mp4") << Kind::Media;
    QTest::newRow("hls") << QByteArray("application/vnd.apple.mpegurl") << Kind::Media;
    QTest::newRow("octets") << QByteArray("application/octet-stream") << Kind::Binary;
    QTest::newRow("empty") << QByteArray("") << Kind::None;
    QTest::newRow("blank") << QByteArray("  ; charset=x") << Kind::None;
}

void ContentTypeIconTest::kinds()
{
    QFETCH(QByteArray, type);
    QFETCH(Kind, kind);
    QCOMPARE(ContentTypeIcon::kindOf(type), kind);
}

void ContentTypeIconTest::oneIconPerKind()
{
    QVERIFY(ContentTypeIcon::icon(Kind::None).isNull());
    QSet<QByteArray> images;
    int kinds = 0;
    for (int k = int(Kind::Json); k <= int(Kind::Tcp); ++k, ++kinds) {
        const QIcon icon = ContentTypeIcon::icon(Kind(k));
        QVERIFY(!icon.isNull());
        const QImage img = icon.pixmap(16, 16).toImage().convertToFormat(QImage::Format_ARGB32);
        QCOMPARE(img.size(), QSize(16, 16));
        QVERIFY(qAlpha(img.pixel(8, 2)) > 0); // something is drawn
        images.insert(
            QByteArray(reinterpret_cast<const char*>(img.constBits()), img.sizeInBytes()));
        // Made once: the same icon again.
        QCOMPARE(ContentTypeIcon::icon(Kind(k)).cacheKey(), icon.cacheKey());
    }
    QCOMPARE(images.size(), kinds); // every kind looks different
}

void ContentTypeIconTest::listShowsThem()
{
    FlowListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<FlowSnapshot> batch;
    for (int i = 0; i < 40; ++i)
        batch.append(test::variedFlow(i));
    model.applyBatch(batch);
    int withIcon = 0;
    for (int r = 0; r < model.rowCount(); ++r) {
        const FlowSnapshot f = model.flowAt(r);
        const QVariant v = model.index(r, FlowListModel::PathColumn).data(Qt::DecorationRole);
        Kind expected = Kind::None;
        if (f->kind == FlowKind::Tcp)
            expected = Kind::Tcp;
        else if (f->response && f->response->statusCode == 101)
            expected = Kind::WebSocket;
        else if (f->response)
            expected = ContentTypeIcon::kindOf(f->response->headers.value("content-type"));
        if (expected == Kind::None) {
            QVERIFY2(!v.isValid(), qPrintable(QString::number(r)));
            continue;
        }
        ++withIcon;
        QCOMPARE(v.value<QIcon>().cacheKey(), ContentTypeIcon::icon(expected).cacheKey());
    }
    QVERIFY(withIcon > 0 && withIcon < model.rowCount());
    // Other columns have none (the marker column only for marks).
    QVERIFY(!model.index(0, FlowListModel::HostColumn).data(Qt::DecorationRole).isValid());
}

QTEST_MAIN(ContentTypeIconTest)
#include "content_type_icon_test.moc"

// WebSocket messages and close details wherever a flow is kept or exported: the flow codec,
// session files (including files of the previous format version), FlowStore, and HAR in the
// `_webSocketMessages` shape Chrome writes, read back by HarReader.
#include "flow/flow_store.h"
#include "io/flow_codec.h"
#include "io/har_reader.h"
#include "io/har_writer.h"
#include "io/session_format.h"
#include "io/session_reader.h"
#include "io/session_writer.h"
#include "sample_flows.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace spyglass;
using namespace spyglass::test;

namespace {

HttpFlow webSocketFlow(bool closed = true)
{
    HttpFlow f = smallFlow(1);
    f.request.path = "/chat";
    f.request.headers = {{"Host", "example.org"},
                         {"Connection", "Upgrade"},
                         {"Upgrade", "websocket"},
                         {"Sec-WebSocket-Version", "13"}};
    f.response->statusCode = 101;
    f.response->reason = "Switching Protocols";
    f.response->headers = {{"Connection", "Upgrade"}, {"Upgrade", "websocket"}};
    f.response->body = {};
    f.websocket = sampleWebSocket(closed);
    return f;
}

} // namespace

class WebSocketIoTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void flowCodecRoundTrip()
    {
        for (bool closed : {true, false}) {
            const HttpFlow f = webSocketFlow(closed);
            HttpFlow back;
            QCOMPARE(FlowCodec::decodeFlow(FlowCodec::encodeFlow(f), {}, back), QString());
            compareFlows(f, back);
            if (QTest::currentTestFailed())
                return;
            QCOMPARE(back.websocket->closeCode.has_value(), closed);
        }
        // Every field elsewhere too, and a flow without WebSocket decodes without one even
        // into a flow that had one (FlowStore reuses one scratch flow).
        HttpFlow full = fullFlow();
        full.websocket = sampleWebSocket();
        HttpFlow back;
        QCOMPARE(FlowCodec::decodeFlow(FlowCodec::encodeFlow(full), {}, back), QString());
        compareFlows(full, back);
        QCOMPARE(FlowCodec::decodeFlow(FlowCodec::encodeFlow(smallFlow(2)), {}, back), QString());
        QVERIFY(!back.websocket);
        // An empty WebSocket (no message yet) is still a WebSocket.
        HttpFlow empty = smallFlow(3);
        empty.websocket = std::make_shared<const WebSocketData>();
        QCOMPARE(FlowCodec::decodeFlow(FlowCodec::encodeFlow(empty), {}, back), QString());
        QVERIFY(back.websocket);
        QVERIFY(back.websocket->messages.empty());
    }

    void truncatedWebSocketSectionFailsCleanly()
    {
        const QByteArray payload = FlowCodec::encodeFlow(webSocketFlow());
        const QByteArray without = FlowCodec::encodeFlow(smallFlow(1));
        for (qsizetype n = payload.size() - 1; n > without.size() - 8; n -= 97) {
            HttpFlow out;
            QVERIFY2(!FlowCodec::decodeFlow(QByteArrayView(payload).first(n), {}, out).isEmpty(),
                     qPrintable(QStringLiteral("cut at %1 decoded").arg(n)));
        }
    }

    void sessionFileRoundTrip()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("ws.spyglass");
        HttpFlow live = webSocketFlow(false);
        live.live = true;
        HttpFlow done = webSocketFlow(true);
        done.id = live.id;
        SessionWriter w;
        QCOMPARE(w.open(path), QString());
        QCOMPARE(w.append(live), QString());
        QCOMPARE(w.append(smallFlow(7)), QString());
        QCOMPARE(w.append(done), QString());
        w.close();
        const SessionReader::Result r = SessionReader::readAll(path);
        QVERIFY2(r.ok(), qPrintable(r.errors.join("; ")));
        QCOMPARE(r.flows.size(), 2);
        compareFlows(done, r.flows[0]);
        QVERIFY(!r.flows[1].websocket);
    }

    void previousMinorVersionStillReads()
    {
        // A file written before WebSocket support: same major version, minor 0.
        QTemporaryDir dir;
        const QString path = dir.filePath("old.spyglass");
        QByteArray file = SessionFormat::fileHeader();
        file[18] = 0;
        file[19] = 0;
        const HttpFlow f = smallFlow(9);
        SessionFormat::appendRecord(file, quint8(SessionFormat::RecordType::Flow),
                                    FlowCodec::encodeFlow(f));
        QFile out(path);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(file);
        out.close();
        const SessionReader::Result r = SessionReader::readAll(path);
        QVERIFY2(r.ok(), qPrintable(r.errors.join("; ")));
        QCOMPARE(r.flows.size(), 1);
        compareFlows(f, r.flows[0]);
        QVERIFY(SessionFormat::minorVersion >= 1);
    }

    void flowStoreKeepsMessages()
    {
        FlowStore store;
        auto live = std::make_shared<HttpFlow>(webSocketFlow(false));
        live->live = true;
        store.apply({live});
        QCOMPARE(store.at(0)->websocket->messages.size(), 6);
        auto done = std::make_shared<HttpFlow>(webSocketFlow(true));
        done->id = live->id;
        store.apply({done, std::make_shared<HttpFlow>(smallFlow(4))});
        QCOMPARE(store.size(), 2);
        compareFlows(*done, *store.at(0)); // decoded from the store's encoding
        if (QTest::currentTestFailed())
            return;
        QVERIFY(!store.at(1)->websocket);
        // Kept shared with the snapshot, not copied into the store's encoding.
        QCOMPARE(store.at(0)->websocket.get(), done->websocket.get());
        int seen = 0;
        store.forEach([&](const HttpFlow& f) {
            if (seen++ == 0)
                QCOMPARE(f.websocket->closeReason, QStringLiteral("bye"));
            else
                QVERIFY(!f.websocket); // the scratch flow does not keep the previous one's
        });
        QCOMPARE(seen, 2);
    }

    void harHasChromesWebSocketMessages()
    {
        const HttpFlow f = webSocketFlow();
        const QJsonObject entry = QJsonDocument::fromJson(HarWriter::toHar(QList<HttpFlow>{f}))
                                      .object()["log"]
                                      .toObject()["entries"]
                                      .toArray()[0]
                                      .toObject();
        QCOMPARE(entry["_resourceType"].toString(), QStringLiteral("websocket"));
        const QJsonArray msgs = entry["_webSocketMessages"].toArray();
        QCOMPARE(msgs.size(), 6);
        const QJsonObject first = msgs[0].toObject();
        QCOMPARE(first["type"].toString(), QStringLiteral("send"));
        QCOMPARE(first["opcode"].toInt(), 1);
        QCOMPARE(first["data"].toString(), QStringLiteral("hello ✓"));
        QCOMPARE(first["time"].toDouble(), 1700000010.125);
        const QJsonObject second = msgs[1].toObject();
        QCOMPARE(second["type"].toString(), QStringLiteral("receive"));
        QCOMPARE(second["opcode"].toInt(), 2);
        QCOMPARE(QByteArray::fromBase64(second["data"].toString().toLatin1()),
                 QByteArray("\0\x01\xff binary", 10));
        QVERIFY(msgs[4].toObject()["_injected"].toBool());
        QVERIFY(msgs[5].toObject()["_dropped"].toBool());
        QVERIFY(!first.contains("_dropped"));
        const QJsonObject close = entry["_webSocketClose"].toObject();
        QCOMPARE(close["code"].toInt(), 4000);
        QCOMPARE(close["reason"].toString(), QStringLiteral("bye"));
        QVERIFY(close["closedByClient"].toBool());
        // A plain flow has none of it.
        const QJsonObject plain = HarWriter::entry(smallFlow(1), false);
        QVERIFY(!plain.contains("_webSocketMessages"));
        QVERIFY(!plain.contains("_resourceType"));
    }

    void harRoundTrip()
    {
        const HttpFlow f = webSocketFlow();
        const HarReader::Result r =
            HarReader::parse(HarWriter::toHar(QList<HttpFlow>{f, smallFlow(2)}), "ws.har");
        QVERIFY2(r.ok(), qPrintable(r.error));
        QVERIFY2(r.warnings.isEmpty(), qPrintable(r.warnings.join("; ")));
        QCOMPARE(r.flows.size(), 2);
        QVERIFY(r.flows[0].websocket);
        QVERIFY(*r.flows[0].websocket == *f.websocket);
        QVERIFY(!r.flows[1].websocket);
    }

    void harReadsChromeExport()
    {
        // As Chrome's DevTools "Save all as HAR" writes a WebSocket (trimmed).
        auto message = [](const char* type, double time, int opcode, const char* data) {
            return QJsonObject{{"type", type}, {"time", time}, {"opcode", opcode}, {"data", data}};
        };
        const QJsonObject entry{
            {"startedDateTime", "2024-01-02T03:04:05.678Z"},
            {"time", 12},
            {"request", QJsonObject{{"method", "GET"},
                                    {"url", "wss://echo.example/socket"},
                                    {"httpVersion", "HTTP/1.1"},
                                    {"headers", QJsonArray{QJsonObject{{"name", "Upgrade"},
                                                                       {"value", "websocket"}}}}}},
            {"response",
             QJsonObject{{"status", 101},
                         {"statusText", "Switching Protocols"},
                         {"httpVersion", "HTTP/1.1"},
                         {"headers", QJsonArray()},
                         {"content", QJsonObject{{"size", 0}, {"mimeType", "x-unknown"}}}}},
            {"timings", QJsonObject{{"send", 1}, {"wait", 10}, {"receive", 1}}},
            {"_resourceType", "websocket"},
            {"_webSocketMessages", QJsonArray{message("send", 1704164645.9, 1, "ping"),
                                              message("receive", 1704164646.0, 2, "AAEC"),
                                              message("receive", 1704164646.1, 9, ""),
                                              message("receive", 1704164646.2, 2, "not base64!")}}};
        const QByteArray har =
            QJsonDocument(QJsonObject{{"log", QJsonObject{{"version", "1.2"},
                                                          {"entries", QJsonArray{entry}}}}})
                .toJson();
        const HarReader::Result r = HarReader::parse(har, "chrome.har");
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.flows.size(), 1);
        const WebSocketData& ws = *r.flows[0].websocket;
        QCOMPARE(ws.messages.size(), 3);
        QVERIFY(ws.messages[0].fromClient);
        QVERIFY(ws.messages[0].isText);
        QCOMPARE(ws.messages[0].content, QByteArray("ping"));
        QCOMPARE(ws.messages[0].timestamp, 1704164645.9);
        QVERIFY(!ws.messages[1].fromClient);
        QCOMPARE(ws.messages[1].content, QByteArray("\0\1\2", 3));
        QCOMPARE(ws.messages[2].content, QByteArray("not base64!"));
        QVERIFY(!ws.closeCode);
        QCOMPARE(r.warnings.size(), 2); // the opcode 9 and the bad base64
        QVERIFY(r.warnings[0].contains("_webSocketMessages[2]"));
    }
};

QTEST_GUILESS_MAIN(WebSocketIoTest)
#include "websocket_io_test.moc"

// The detail pane's tabs beyond request and response: WebSocket messages (table, filter,
// summary, the selected message through the content views, live growth), the TCP stream
// (replacing request and response for a TCP flow), the timing waterfall and the connection
// page with the certificate chain.

#include "body_view.h"
#include "connection_view.h"
#include "content_view.h"
#include "flow_detail_view.h"
#include "message_view.h"
#include "messages_model.h"
#include "messages_view.h"
#include "synthetic_flows.h"
#include "timing_view.h"
#include "tls/certificate_authority.h"

#include <QAbstractItemModelTester>
#include <QTemporaryDir>
#include <QTest>

using namespace spyglass;

namespace {

std::shared_ptr<HttpFlow> webSocketFlow(int messages)
{
    auto f = std::make_shared<HttpFlow>(*test::uiFlow(2));
    f->response->statusCode = 101;
    auto ws = std::make_shared<WebSocketData>();
    for (int i = 0; i < messages; ++i) {
        WebSocketMessage m;
        m.fromClient = i % 2 == 0;
        m.isText = i % 3 != 2;
        m.content = m.isText ? "{\"n\": " + QByteArray::number(i) + ", \"hello\": \"world\"}"
                             : QByteArray::fromHex("00ff10") + QByteArray::number(i);
        m.timestamp = f->response->timestampEnd + i * 0.5;
        ws->messages.push_back(m);
    }
    f->websocket = ws;
    return f;
}

void shoot(QWidget& widget, const char* name)
{
    const QString dir = qEnvironmentVariable("SPYGLASS_SCREENSHOTS");
    if (dir.isEmpty())
        return;
    widget.show(); // laid out as on screen
    QVERIFY(QTest::qWaitForWindowExposed(&widget));
    widget.grab().save(dir + QLatin1Char('/') + QLatin1String(name) + QStringLiteral(".png"));
}

} // namespace

class DetailPanesTest : public QObject
{
    Q_OBJECT
private slots:
    void webSocketTabListsFiltersAndShowsMessages()
    {
        FlowDetailView pane;
        pane.resize(900, 600);
        auto flow = webSocketFlow(6);
        pane.setFlow(flow);
        QVERIFY(pane.isTabVisible(pane.indexOf(pane.webSocketView())));
        QVERIFY(!pane.isTabVisible(pane.indexOf(pane.tcpView())));

        MessagesView* ws = pane.webSocketView();
        QAbstractItemModelTester tester(ws->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(ws->model()->rowCount(), 6);
        QCOMPARE(ws->summary(), QStringLiteral("6 message(s)"));
        // The first message is selected and shown through the content views: JSON, sniffed.
        QCOMPARE(ws->body()->currentView(), ContentView::Id::Json);
        QVERIFY(ws->body()->text().contains(QStringLiteral("\"hello\": \"world\"")));

        ws->selectMessage(2); // binary
        QCOMPARE(ws->body()->currentView(), ContentView::Id::Hex);
        QCOMPARE(ws->model()->data(ws->model()->index(2, MessagesModel::TypeColumn)).toString(),
                 QStringLiteral("binary"));
        QCOMPARE(
            ws->model()->data(ws->model()->index(1, MessagesModel::DirectionColumn)).toString(),
            QStringLiteral("↓ received"));

        ws->setTextFilter(QStringLiteral("\"N\": 4")); // case-insensitive
        QCOMPARE(ws->model()->rowCount(), 1);
        QCOMPARE(ws->summary(), QStringLiteral("1 of 6 message(s)"));
        ws->setTextFilter(QString());
        QCOMPARE(ws->model()->rowCount(), 6);

        // A newer snapshot of the same flow appends; the selection stays.
        ws->selectMessage(3);
        auto grown = std::make_shared<HttpFlow>(*flow);
        auto data = std::make_shared<WebSocketData>(*flow->websocket);
        WebSocketMessage last;
        last.isText = true;
        last.content = "bye";
        last.timestamp = 1767230000;
        data->messages.push_back(last);
        data->closeCode = 1000;
        data->closedByClient = true;
        grown->websocket = data;
        pane.setFlow(grown);
        QCOMPARE(ws->model()->rowCount(), 7);
        QVERIFY(ws->summary().contains(QStringLiteral("closed by the client 1000 (normal)")));
        pane.setCurrentWidget(ws);
        shoot(pane, "detail-websocket");
    }

    void tcpFlowShowsTheStreamInsteadOfRequestAndResponse()
    {
        auto f = std::make_shared<HttpFlow>();
        f->kind = FlowKind::Tcp;
        f->client.timestampStart = 1767225600;
        f->client.peer = {"127.0.0.1", 40000};
        f->server.peer = {"127.0.0.1", 25};
        auto tcp = std::make_shared<TcpData>();
        tcp->messages.push_back(TcpMessage{false, "220 mail ready\r\n", 1767225600.1});
        tcp->messages.push_back(TcpMessage{true, "EHLO x\r\n", 1767225600.2});
        tcp->timestampEnd = 1767225601;
        tcp->closedByClient = true;
        f->tcp = tcp;

        FlowDetailView pane;
        pane.setFlow(f);
        QVERIFY(!pane.isTabVisible(pane.indexOf(pane.requestView())));
        QVERIFY(!pane.isTabVisible(pane.indexOf(pane.webSocketView())));
        QVERIFY(pane.isTabVisible(pane.indexOf(pane.tcpView())));
        QCOMPARE(pane.currentWidget(), pane.tcpView());
        QCOMPARE(pane.tcpView()->model()->rowCount(), 2);
        QVERIFY(pane.tcpView()->summary().contains(QStringLiteral("closed by the client")));
        QCOMPARE(pane.tcpView()->body()->text(),
                 QStringLiteral("220 mail ready\n")); // CRLF shown as a line end

        // Back to an HTTP flow: request and response again.
        pane.setFlow(test::uiFlow(1));
        QVERIFY(pane.isTabVisible(pane.indexOf(pane.requestView())));
        QVERIFY(!pane.isTabVisible(pane.indexOf(pane.tcpView())));
    }

    void timingPhasesInOrder()
    {
        auto f = std::make_shared<HttpFlow>(*test::uiFlow(0));
        f->client.timestampStart = f->request.timestampStart - 0.2;
        f->client.tls = true;
        f->client.timestampTlsSetup = f->request.timestampStart - 0.05;
        f->server.timestampStart = f->request.timestampStart + 0.001;
        f->server.timestampTcpSetup = f->request.timestampStart + 0.003;
        f->server.tls = true;
        f->server.timestampTlsSetup = f->request.timestampStart + 0.008;
        QStringList labels;
        for (const auto& p : TimingView::phases(*f))
            labels.append(p.label);
        QCOMPARE(labels, (QStringList{"Client connected", "Client TLS handshake",
                                      "Server TCP connect", "Server TLS handshake", "Request sent",
                                      "Waiting for the response", "Response received"}));
        // A server connection reused from an earlier request is not drawn as set up now.
        f->server.timestampStart = f->request.timestampStart - 10;
        labels.clear();
        for (const auto& p : TimingView::phases(*f))
            labels.append(p.label);
        QVERIFY(!labels.contains(QStringLiteral("Server TCP connect")));

        TimingView view;
        view.resize(700, 260);
        view.setFlow(f);
        shoot(view, "detail-timing");
        QCOMPARE(view.shownPhases().size(), size_t(5));
    }

    void connectionPageShowsTheChainAndFingerprint()
    {
        QTemporaryDir dir;
        QString error;
        auto ca = CertificateAuthority::loadOrCreate(dir.path(), &error);
        QVERIFY2(ca, qPrintable(error));
        auto f = std::make_shared<HttpFlow>(*test::uiFlow(0));
        f->server.peer = {"a0.example.com", 443};
        f->server.tls = true;
        f->server.tlsEstablished = true;
        f->server.tlsVersion = "TLSv1.3";
        f->server.alpn = "h2";
        f->server.certificateChainDer = {ca->certificateDer()};
        const QString html = ConnectionView::describe(*f);
        QVERIFY(html.contains(QStringLiteral("TLSv1.3")));
        QVERIFY(!html.contains(QStringLiteral("session resumed")));
        QVERIFY(html.contains(QStringLiteral("Leaf certificate")));
        QVERIFY(html.contains(QStringLiteral("CN=")));
        const QByteArray digest =
            QCryptographicHash::hash(ca->certificateDer(), QCryptographicHash::Sha256);
        const QString fp = ConnectionView::fingerprintText(digest);
        QCOMPARE(fp.count(QLatin1Char('\n')), 1); // 32 bytes: two lines of 16
        QCOMPARE(fp.section(QLatin1Char('\n'), 0, 0).size(), 47);
        QVERIFY(html.contains(fp.section(QLatin1Char('\n'), 0, 0)));

        ConnectionView view;
        view.resize(700, 500);
        view.setFlow(f);
        shoot(view, "detail-connection");
        QVERIFY(view.toPlainText().contains(QStringLiteral("a0.example.com:443")));

        f->server.tlsResumed = true; // an abbreviated handshake: said next to the version
        QVERIFY(ConnectionView::describe(*f).contains(QStringLiteral("TLSv1.3, session resumed")));
    }
};

QTEST_MAIN(DetailPanesTest)
#include "detail_panes_test.moc"

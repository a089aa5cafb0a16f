#include "io/mitmproxy_reader.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace spyglass;

namespace {

// A tnetstring writer for building flow files the way mitmproxy writes them.
QByteArray tn(const QByteArray& data, char type)
{
    return QByteArray::number(data.size()) + ':' + data + type;
}
QByteArray B(const QByteArray& b)
{
    return tn(b, ',');
}
QByteArray S(const QByteArray& s)
{
    return tn(s, ';');
}
QByteArray I(qint64 i)
{
    return tn(QByteArray::number(i), '#');
}
QByteArray F(double d)
{
    return tn(QByteArray::number(d, 'f', 6), '^');
}
QByteArray Bool(bool b)
{
    return tn(b ? "true" : "false", '!');
}
const QByteArray Null = "0:~";
QByteArray L(std::initializer_list<QByteArray> items)
{
    QByteArray d;
    for (const QByteArray& i : items)
        d += i;
    return tn(d, ']');
}
using Fields = QList<std::pair<QByteArray, QByteArray>>;
QByteArray D(const Fields& fields)
{
    QByteArray d;
    for (const auto& [k, v] : fields)
        d += S(k) + v;
    return tn(d, '}');
}
Fields with(Fields f, const Fields& changes)
{
    for (const auto& [k, v] : changes) {
        bool replaced = false;
        for (auto& field : f) {
            if (field.first == k) {
                field.second = v;
                replaced = true;
            }
        }
        if (!replaced)
            f.append({k, v});
    }
    return f;
}
Fields without(Fields f, const QByteArray& key)
{
    f.removeIf([&](const auto& field) { return field.first == key; });
    return f;
}

constexpr double T = 1700000000.0;
const QByteArray ClientId = "3c1b2f4a-0000-4000-8000-000000000001";
const QByteArray ServerId = "3c1b2f4a-0000-4000-8000-000000000002";
const QByteArray FlowId = "0b7d6a1e-1111-4111-8111-111111111111";
const QByteArray PemCert = "-----BEGIN CERTIFICATE-----\nAAEC\nAwQ=\n-----END CERTIFICATE-----\n";

// mitmproxy 8.1 (format 17): Client and Server get_state().
Fields client17()
{
    return {{"address", L({S("127.0.0.1"), I(51000)})},
            {"alpn", B("h2")},
            {"cipher_name", S("TLS_AES_256_GCM_SHA384")},
            {"id", S(ClientId)},
            {"mitmcert", Null},
            {"sni", S("example.com")},
            {"timestamp_end", F(T + 5)},
            {"timestamp_start", F(T)},
            {"timestamp_tls_setup", F(T + 0.01)},
            {"tls_established", Bool(true)},
            {"tls_extensions", L({})},
            {"tls_version", S("TLSv1.3")},
            {"state", I(0)},
            {"sockname", L({S("127.0.0.1"), I(8080)})},
            {"error", Null},
            {"tls", Bool(true)},
            {"certificate_list", L({})},
            {"alpn_offers", L({B("h2"), B("http/1.1")})},
            {"cipher_list", L({})}};
}

Fields server17()
{
    return {{"address", L({S("example.com"), I(443)})},
            {"alpn", B("h2")},
            {"id", S(ServerId)},
            {"ip_address", L({S("93.184.215.14"), I(443)})},
            {"sni", S("example.com")},
            {"source_address", L({S("10.0.0.2"), I(40000)})},
            {"timestamp_end", F(T + 6)},
            {"timestamp_start", F(T + 0.02)},
            {"timestamp_tcp_setup", F(T + 0.03)},
            {"timestamp_tls_setup", F(T + 0.04)},
            {"tls_established", Bool(true)},
            {"tls_version", S("TLSv1.3")},
            {"via", Null},
            {"state", I(0)},
            {"error", Null},
            {"tls", Bool(true)},
            {"certificate_list", L({S(PemCert)})},
            {"alpn_offers", L({B("h2")})},
            {"cipher_name", S("TLS_AES_128_GCM_SHA256")},
            {"cipher_list", L({})},
            {"via2", Null}};
}

Fields request17()
{
    return {{"host", S("example.com")},
            {"port", I(443)},
            {"method", B("POST")},
            {"scheme", B("https")},
            {"authority", B("example.com")},
            {"path", B("/submit?x=1")},
            {"http_version", B("HTTP/2.0")},
            {"headers", L({L({B("content-type"), B("text/plain")}), L({B("x-a"), B("1")}),
                           L({B("x-a"), B("2")})})},
            {"content", B("hello")},
            {"trailers", Null},
            {"timestamp_start", F(T + 1)},
            {"timestamp_end", F(T + 1.5)}};
}

Fields response17()
{
    return {
        {"http_version", B("HTTP/2.0")},
        {"headers", L({L({B("content-encoding"), B("gzip")}), L({B("content-length"), B("4")})})},
        {"content", B(QByteArray("\x1f\x8b\x08\x00", 4))},
        {"trailers", L({L({B("grpc-status"), B("0")})})},
        {"timestamp_start", F(T + 2)},
        {"timestamp_end", F(T + 2.5)},
        {"status_code", I(201)},
        {"reason", B("Created")}};
}

Fields http17()
{
    return {{"version", I(17)},
            {"type", S("http")},
            {"id", S(FlowId)},
            {"error", Null},
            {"client_conn", D(client17())},
            {"server_conn", D(server17())},
            {"intercepted", Bool(true)},
            {"is_replay", S("request")},
            {"marked", S(":star:")},
            {"metadata", D({{"k", S("v")}})},
            {"comment", S("a note")},
            {"timestamp_created", F(T + 1)},
            {"request", D(request17())},
            {"response", D(response17())},
            {"websocket", Null}};
}

MitmproxyReader::Result parse(const QByteArray& data)
{
    return MitmproxyReader::parse(data, QStringLiteral("capture.flow"));
}

} // namespace

class MitmproxyReaderTest : public QObject
{
    Q_OBJECT

private slots:
    void format17Http()
    {
        const auto r = parse(D(http17()));
        QVERIFY2(r.ok(), qPrintable(r.error));
        QVERIFY2(r.warnings.isEmpty(), qPrintable(r.warnings.join('\n')));
        QCOMPARE(r.flows.size(), 1);
        const HttpFlow& f = r.flows[0];
        QCOMPARE(f.id, QUuid::fromString(QLatin1String(FlowId)));
        QCOMPARE(f.kind, FlowKind::Http);
        QVERIFY(!f.live);
        QVERIFY(!f.intercepted);
        QVERIFY(f.isReplay);
        QCOMPARE(f.marked, QStringLiteral(":star:"));
        QCOMPARE(f.comment, QStringLiteral("a note"));
        QCOMPARE(f.request.method, QByteArray("POST"));
        QCOMPARE(f.request.url(), QByteArray("https://example.com/submit?x=1"));
        QCOMPARE(f.request.authority, QByteArray("example.com"));
        QCOMPARE(f.request.httpVersion, QByteArray("HTTP/2.0"));
        QCOMPARE(f.request.headers.values("x-a"), (QList<QByteArray>{"1", "2"}));
        QCOMPARE(f.request.headers.size(), 3);
        QCOMPARE(f.request.body.content, QByteArray("hello"));
        QCOMPARE(f.request.body.size, 5);
        QVERIFY(!f.request.body.streamed);
        QCOMPARE(f.request.timestampStart, T + 1);
        QCOMPARE(f.request.timestampEnd, T + 1.5);
        QVERIFY(f.response);
        QCOMPARE(f.response->statusCode, 201);
        QCOMPARE(f.response->reason, QByteArray("Created"));
        // Kept as it travelled: mitmproxy stores the raw (still encoded) content.
        QCOMPARE(f.response->body.content, QByteArray("\x1f\x8b\x08\x00", 4));
        QCOMPARE(f.response->trailers.value("grpc-status"), QByteArray("0"));
        QCOMPARE(f.response->timestampEnd, T + 2.5);
        QVERIFY(!f.error);
        QVERIFY(!f.websocket);

        QCOMPARE(f.client.role, Connection::Role::Client);
        QCOMPARE(f.client.peer, (Address{"127.0.0.1", 51000}));
        QCOMPARE(f.client.sockname, (Address{"127.0.0.1", 8080}));
        QVERIFY(f.client.tls && f.client.tlsEstablished);
        QCOMPARE(f.client.sni, QByteArray("example.com"));
        QCOMPARE(f.client.alpn, QByteArray("h2"));
        QCOMPARE(f.client.alpnOffers, (QList<QByteArray>{"h2", "http/1.1"}));
        QCOMPARE(f.client.cipher, QByteArray("TLS_AES_256_GCM_SHA384"));
        QCOMPARE(f.client.tlsVersion, QByteArray("TLSv1.3"));
        QCOMPARE(f.client.timestampStart, T);
        QCOMPARE(f.client.timestampEnd, T + 5);

        QCOMPARE(f.server.role, Connection::Role::Server);
        QCOMPARE(f.server.peer, (Address{"93.184.215.14", 443}));
        QCOMPARE(f.server.sockname, (Address{"10.0.0.2", 40000}));
        QCOMPARE(f.server.cipher, QByteArray("TLS_AES_128_GCM_SHA256"));
        QCOMPARE(f.server.timestampTcpSetup, T + 0.03);
        QCOMPARE(f.server.timestampTlsSetup, T + 0.04);
        QCOMPARE(f.server.certificateChainDer, (QList<QByteArray>{QByteArray("\0\1\2\3\4", 5)}));
        QVERIFY(f.client.id != 0 && f.server.id != 0 && f.client.id != f.server.id);
    }

    void connectionsKeepTheirIdentity()
    {
        Fields second = with(http17(), {{"id", S("0b7d6a1e-1111-4111-8111-222222222222")}});
        Fields other = with(client17(), {{"id", S("another")}});
        Fields third = with(http17(), {{"client_conn", D(other)}});
        const auto r = parse(D(http17()) + D(second) + D(third));
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.flows.size(), 3);
        QCOMPARE(r.flows[0].client.id, r.flows[1].client.id);
        QCOMPARE(r.flows[0].server.id, r.flows[1].server.id);
        QVERIFY(r.flows[2].client.id != r.flows[0].client.id);
        QVERIFY(r.flows[0].id != r.flows[1].id);
    }

    void streamedBodyAndError()
    {
        Fields resp = with(response17(), {{"content", Null},
                                          {"headers", L({L({B("Content-Length"), B("123456")})})}});
        Fields req = with(request17(), {{"content", Null}, {"headers", L({})}});
        Fields flow =
            with(http17(),
                 {{"request", D(req)},
                  {"response", D(resp)},
                  {"error", D({{"msg", S("peer closed connection")}, {"timestamp", F(T + 3)}})}});
        const auto r = parse(D(flow));
        QVERIFY2(r.ok(), qPrintable(r.error));
        const HttpFlow& f = r.flows[0];
        QVERIFY(f.response->body.streamed);
        QCOMPARE(f.response->body.size, 123456);
        QVERIFY(f.response->body.content.isEmpty());
        QVERIFY(!f.request.body.streamed); // no length to tell: an empty body
        QCOMPARE(f.request.body.size, 0);
        QVERIFY(f.error);
        QCOMPARE(f.error->message, QStringLiteral("peer closed connection"));
        QCOMPARE(f.error->timestamp, T + 3);
    }

    // mitmproxy 7.0: marked is a boolean, messages have no `injected`, no comment.
    void format12WebSocket()
    {
        Fields ws = {{"messages",
                      L({L({I(1), Bool(true), B("hi"), F(T + 3), Bool(false)}),
                         L({I(2), Bool(false), B(QByteArray("\0\xff", 2)), F(T + 4), Bool(true)}),
                         L({I(9), Bool(false), B(""), F(T + 5), Bool(false)})})},
                     {"closed_by_client", Bool(true)},
                     {"close_code", I(1000)},
                     {"close_reason", S("bye")},
                     {"timestamp_end", F(T + 6)}};
        Fields flow = without(without(http17(), "comment"), "timestamp_created");
        flow = with(flow, {{"version", I(12)},
                           {"marked", Bool(true)},
                           {"is_replay", Null},
                           {"websocket", D(ws)},
                           {"request", D(without(request17(), "trailers"))}});
        const auto r = parse(D(flow));
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.warnings.size(), 1); // the ping
        QVERIFY(r.warnings[0].contains(QLatin1String("WebSocket")));
        const HttpFlow& f = r.flows[0];
        QCOMPARE(f.marked, QStringLiteral(":default:"));
        QVERIFY(!f.isReplay);
        QVERIFY(f.comment.isEmpty());
        QVERIFY(f.websocket);
        QCOMPARE(f.websocket->messages.size(), 2);
        const WebSocketMessage& a = f.websocket->messages[0];
        QVERIFY(a.isText && a.fromClient && !a.dropped && !a.injected);
        QCOMPARE(a.content, QByteArray("hi"));
        QCOMPARE(a.timestamp, T + 3);
        const WebSocketMessage& b = f.websocket->messages[1];
        QVERIFY(!b.isText && !b.fromClient && b.dropped);
        QCOMPARE(b.content, QByteArray("\0\xff", 2));
        QCOMPARE(f.websocket->closeCode, 1000);
        QCOMPARE(f.websocket->closeReason, QStringLiteral("bye"));
        QVERIFY(f.websocket->closedByClient);
        QCOMPARE(f.websocket->timestampEnd, T + 6);
    }

    void format15InjectedMessages()
    {
        Fields ws = {
            {"messages", L({L({I(1), Bool(false), B("x"), F(T), Bool(false), Bool(true)})})},
            {"closed_by_client", Null},
            {"close_code", Null},
            {"close_reason", Null},
            {"timestamp_end", Null}};
        const auto r = parse(D(with(http17(), {{"version", I(15)}, {"websocket", D(ws)}})));
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.flows[0].websocket->messages.size(), 1);
        QVERIFY(r.flows[0].websocket->messages[0].injected);
        QVERIFY(!r.flows[0].websocket->closeCode); // still open
    }

    // mitmproxy 10/11: peername/sockname on both sides, via as (scheme, (host, port)).
    void format19To21Connections()
    {
        Fields client = without(client17(), "address");
        client = with(client, {{"peername", L({S("::1"), I(51001), I(0), I(0)})},
                               {"proxy_mode", S("regular")}});
        Fields server =
            without(without(without(server17(), "ip_address"), "source_address"), "via2");
        server = with(server, {{"peername", L({S("93.184.215.15"), I(8443)})},
                               {"sockname", L({S("10.0.0.3"), I(40001)})},
                               {"via", L({S("http"), L({S("proxy.local"), I(3128)})})}});
        for (int version : {19, 20, 21}) {
            const auto r = parse(D(with(http17(), {{"version", I(version)},
                                                   {"client_conn", D(client)},
                                                   {"server_conn", D(server)}})));
            QVERIFY2(r.ok(), qPrintable(r.error));
            const HttpFlow& f = r.flows[0];
            QCOMPARE(f.client.peer, (Address{"::1", 51001}));
            QCOMPARE(f.server.peer, (Address{"93.184.215.15", 8443}));
            QCOMPARE(f.server.sockname, (Address{"10.0.0.3", 40001}));
            QCOMPARE(f.server.via, (Address{"proxy.local", 3128}));
        }
    }

    // mitmproxy 5/6 (formats 7..11): alpn_proto_negotiated, boolean marked, and WebSocket
    // messages in a flow of their own after the handshake.
    void formats7To11()
    {
        Fields client = without(client17(), "alpn");
        client = with(client, {{"alpn_proto_negotiated", B("http/1.1")}});
        Fields server = without(server17(), "ip_address"); // the destination only
        Fields handshake = with(http17(), {{"version", I(9)},
                                           {"marked", Bool(false)},
                                           {"client_conn", D(client)},
                                           {"server_conn", D(server)},
                                           {"metadata", D({{"websocket", Bool(true)}})}});
        handshake =
            with(handshake, {{"response", D(with(response17(), {{"status_code", I(101)}}))}});
        handshake = without(handshake, "websocket");
        const Fields ws = {{"version", I(9)},
                           {"type", S("websocket")},
                           {"id", S("ws-flow")},
                           {"client_conn", D(client)},
                           {"server_conn", D(with(server, {{"timestamp_end", F(T + 9)}}))},
                           {"metadata", D({{"websocket_handshake", S(FlowId)}})},
                           {"messages", L({L({I(1), B("old order"), Bool(true), F(T + 7)}),
                                           L({I(1), Bool(false), B("new order"), F(T + 8)})})},
                           {"close_sender", S("server")},
                           {"close_code", I(1001)},
                           {"close_reason", S("going away")}};
        const Fields orphan = with(ws, {{"metadata", D({{"websocket_handshake", S("nope")}})}});
        for (int version : {7, 8, 9, 10, 11}) {
            const auto r = parse(D(with(handshake, {{"version", I(version)}})) +
                                 D(with(ws, {{"version", I(version)}})) + D(orphan));
            QVERIFY2(r.ok(), qPrintable(r.error));
            QCOMPARE(r.flows.size(), 1);
            QCOMPARE(r.warnings.size(), 1);
            QVERIFY2(r.warnings[0].contains(QLatin1String("handshake is not in the file")),
                     qPrintable(r.warnings[0]));
            const HttpFlow& f = r.flows[0];
            QVERIFY(f.marked.isEmpty());
            QCOMPARE(f.client.alpn, QByteArray("http/1.1"));
            QCOMPARE(f.server.peer, (Address{"example.com", 443}));
            QVERIFY(f.websocket);
            QCOMPARE(f.websocket->messages.size(), 2);
            QCOMPARE(f.websocket->messages[0].content, QByteArray("old order"));
            QVERIFY(f.websocket->messages[0].fromClient);
            QCOMPARE(f.websocket->messages[1].content, QByteArray("new order"));
            QVERIFY(!f.websocket->messages[1].fromClient);
            QCOMPARE(f.websocket->closeCode, 1001);
            QVERIFY(!f.websocket->closedByClient);
            QCOMPARE(f.websocket->timestampEnd, T + 9);
        }
    }

    void tcpFlows()
    {
        const Fields tcp = {{"version", I(17)},
                            {"type", S("tcp")},
                            {"id", S("5d2c0000-0000-4000-8000-00000000aaaa")},
                            {"error", Null},
                            {"client_conn", D(client17())},
                            {"server_conn", D(server17())},
                            {"intercepted", Bool(false)},
                            {"is_replay", Null},
                            {"marked", S("")},
                            {"metadata", D({})},
                            {"comment", S("")},
                            {"timestamp_created", F(T)},
                            {"messages", L({L({Bool(true), B("EHLO x\r\n"), F(T + 1)}),
                                            L({Bool(false), B("250 ok\r\n"), F(T + 2)})})}};
        const auto r = parse(D(tcp));
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.flows.size(), 1);
        const HttpFlow& f = r.flows[0];
        QCOMPARE(f.kind, FlowKind::Tcp);
        QVERIFY(f.tcp);
        QCOMPARE(f.tcp->messages.size(), 2);
        QVERIFY(f.tcp->messages[0].fromClient);
        QCOMPARE(f.tcp->messages[1].content, QByteArray("250 ok\r\n"));
        QCOMPARE(f.tcp->messages[1].timestamp, T + 2);
        QCOMPARE(f.tcp->bytes(true), 8);
        QCOMPARE(f.tcp->timestampEnd, T + 6);
        QVERIFY(f.tcp->closedByClient);
        QCOMPARE(f.request.host, QByteArray("example.com"));
        QCOMPARE(f.request.port, 443);
        QCOMPARE(f.timestampCreated(), T);
    }

    void otherFlowTypesAreSkipped()
    {
        const Fields udp = {{"version", I(21)}, {"type", S("udp")}, {"messages", L({})}};
        const Fields dns = {{"version", I(21)}, {"type", S("dns")}};
        const QByteArray first = D(udp);
        const auto r = parse(first + D(dns) + D(http17()));
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.flows.size(), 1);
        QCOMPARE(r.warnings.size(), 2);
        QVERIFY(r.warnings[0].contains(QLatin1String("udp flow was skipped")));
        QVERIFY(r.warnings[1].contains(QStringLiteral("byte %1").arg(first.size())));
        QVERIFY(r.warnings[1].startsWith(QLatin1String("capture.flow")));
    }

    void unsupportedVersions_data()
    {
        QTest::addColumn<QByteArray>("version");
        QTest::addColumn<QString>("message");
        QTest::newRow("too new") << I(22) << "version 22 is not supported";
        QTest::newRow("too old") << I(6) << "version 6 is not supported";
        QTest::newRow("0.x tuple") << L({I(0), I(18)}) << "without a supported format version";
        QTest::newRow("missing") << Null << "without a supported format version";
    }

    void unsupportedVersions()
    {
        QFETCH(QByteArray, version);
        QFETCH(QString, message);
        const QByteArray good = D(http17());
        const auto r = parse(good + D(with(http17(), {{"version", version}})));
        QVERIFY(!r.ok());
        QVERIFY2(r.error.contains(message), qPrintable(r.error));
        QVERIFY2(r.error.startsWith(QLatin1String("capture.flow: ")), qPrintable(r.error));
        QVERIFY2(r.error.contains(QStringLiteral("at byte %1").arg(good.size())),
                 qPrintable(r.error));
    }

    void corruptFiles()
    {
        const QByteArray good = D(http17());
        // Not a flow file at all.
        auto r = parse("hello world");
        QVERIFY(!r.ok());
        QVERIFY2(r.error.contains(QLatin1String("capture.flow: not a mitmproxy flow file")),
                 qPrintable(r.error));
        r = parse(I(5));
        QVERIFY(!r.ok());
        QVERIFY2(r.error.contains(QLatin1String("not a flow")), qPrintable(r.error));
        // Garbage after a good flow: an error at its offset, the flow before it is kept.
        r = parse(good + "xx");
        QVERIFY(!r.ok());
        QVERIFY2(r.error.contains(QStringLiteral("corrupt flow at byte %1").arg(good.size())),
                 qPrintable(r.error));
        QCOMPARE(r.flows.size(), 1);
        // A flow cut short after a good one: kept with a warning.
        r = parse(good + good.left(good.size() / 2));
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.flows.size(), 1);
        QCOMPARE(r.warnings.size(), 1);
        QVERIFY(r.warnings[0].contains(
            QStringLiteral("ends inside the flow at byte %1").arg(good.size())));
        // Cut short with nothing before it: an error.
        r = parse(good.left(good.size() - 1));
        QVERIFY(!r.ok());
        // Every prefix and every single-byte corruption: no crash, an error or a result.
        for (qsizetype n = 0; n < good.size(); n += 7)
            (void)parse(good.left(n));
        for (qsizetype i = 0; i < good.size(); i += 3) {
            QByteArray bad = good;
            bad[i] = char(bad[i] ^ 0x5a);
            const auto b = parse(bad);
            QVERIFY(b.ok() || !b.error.isEmpty());
        }
        // Padding between flows is tolerated; an empty input is no flows with a warning.
        r = parse(good + "\n" + good + "\n");
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.flows.size(), 2);
        r = parse(QByteArray());
        QVERIFY(r.ok());
        QVERIFY(r.flows.isEmpty());
    }

    void readsFiles()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("x.flow"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(D(http17()) + D(http17()));
        f.close();
        auto r = MitmproxyReader::read(path);
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.flows.size(), 2);
        r = MitmproxyReader::read(dir.filePath(QStringLiteral("missing.flow")));
        QVERIFY(!r.ok());
        QVERIFY(r.error.contains(QLatin1String("missing.flow")));
    }
};

QTEST_GUILESS_MAIN(MitmproxyReaderTest)
#include "mitmproxy_reader_test.moc"

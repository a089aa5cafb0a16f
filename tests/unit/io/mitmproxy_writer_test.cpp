// MitmproxyWriter: files that mitmproxy itself reads (mitmdump -n -r, and mitmproxy.io's
// FlowReader through Debian's python3, field by field), and that our MitmproxyReader reads
// back to the flows that were written.
#include "io/mitmproxy_reader.h"
#include "io/mitmproxy_writer.h"
#include "io/tnetstring.h"
#include "io/tnetstring_writer.h"
#include "tls/certificate_authority.h"
#include "tls/x509_util.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace spyglass;

namespace {

constexpr double T = 1700000000.25;

// Prints, as JSON, the fields of every flow that mitmproxy's own FlowReader loads from argv[1].
const char* const PythonReader = R"PY(
import json, sys
from mitmproxy import io

def addr(a):
    return [a[0], a[1]] if a else None

def text(b):
    return b.decode("utf-8", "replace") if isinstance(b, bytes) else b

def conn(c):
    return {"address": addr(c.peername), "sni": c.sni, "alpn": text(c.alpn),
            "alpn_offers": [text(o) for o in c.alpn_offers], "tls_version": c.tls_version,
            "cipher": c.cipher, "tls": c.tls, "tls_established": c.tls_established,
            "certs": [x.cn for x in c.certificate_list], "error": c.error,
            "timestamp_start": c.timestamp_start, "timestamp_end": c.timestamp_end}

out = []
with open(sys.argv[1], "rb") as fo:
    for f in io.FlowReader(fo).stream():
        d = {"type": f.type, "id": f.id, "marked": f.marked, "comment": f.comment,
             "is_replay": f.is_replay, "error": f.error.msg if f.error else None,
             "client": conn(f.client_conn), "server": conn(f.server_conn),
             "server_address": addr(f.server_conn.address),
             "server_sockname": addr(f.server_conn.sockname),
             "via": [f.server_conn.via[0], addr(f.server_conn.via[1])]
                    if f.server_conn.via else None}
        if f.type == "http":
            q = f.request
            d["request"] = {"method": q.method, "url": q.url, "http_version": q.http_version,
                            "headers": [[k, v] for k, v in q.headers.items(multi=True)],
                            "content": q.raw_content.hex() if q.raw_content is not None else None,
                            "timestamp_start": q.timestamp_start}
            if f.response:
                r = f.response
                d["response"] = {"status": r.status_code, "reason": r.reason,
                                 "headers": [[k, v] for k, v in r.headers.items(multi=True)],
                                 "content": r.raw_content.hex() if r.raw_content is not None
                                            else None,
                                 "trailers": [[k, v] for k, v in r.trailers.items(multi=True)]
                                             if r.trailers else None}
            if f.websocket:
                w = f.websocket
                d["websocket"] = {"messages": [[int(m.type), m.from_client, m.content.hex(),
                                                m.timestamp, m.dropped, m.injected]
                                               for m in w.messages],
                                  "close_code": w.close_code, "close_reason": w.close_reason,
                                  "closed_by_client": w.closed_by_client}
        elif f.type == "tcp":
            d["messages"] = [[m.from_client, m.content.hex(), m.timestamp] for m in f.messages]
        out.append(d)
print(json.dumps(out))
)PY";

class MitmproxyWriterTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QByteArray m_certDer;

    QByteArray certificate()
    {
        if (m_certDer.isEmpty()) {
            QString error;
            auto ca = CertificateAuthority::loadOrCreate(m_dir.filePath("ca"), &error);
            if (ca)
                m_certDer = toDer(ca->certificate());
        }
        return m_certDer;
    }

    HttpFlow httpFlow()
    {
        HttpFlow f;
        f.id = QUuid::fromString(QStringLiteral("0b7d6a1e-1111-4111-8111-111111111111"));
        f.live = false;
        f.client.id = 7;
        f.client.role = Connection::Role::Client;
        f.client.peer = {"192.168.1.5", 50123};
        f.client.sockname = {"127.0.0.1", 8080};
        f.client.tls = true;
        f.client.tlsEstablished = true;
        f.client.sni = "example.com";
        f.client.alpnOffers = {"h2", "http/1.1"};
        f.client.alpn = "h2";
        f.client.tlsVersion = "TLSv1.3";
        f.client.cipher = "TLS_AES_256_GCM_SHA384";
        f.client.timestampStart = T;
        f.client.timestampTlsSetup = T + 0.01;
        f.client.timestampEnd = T + 9;
        f.server.id = 8;
        f.server.role = Connection::Role::Server;
        f.server.peer = {"example.com", 443};
        f.server.peername = {"93.184.215.14", 443};
        f.server.sockname = {"10.0.0.2", 40000};
        f.server.tls = true;
        f.server.tlsEstablished = true;
        f.server.sni = "example.com";
        f.server.alpnOffers = {"h2"};
        f.server.alpn = "h2";
        f.server.tlsVersion = "TLSv1.3";
        f.server.cipher = "TLS_AES_128_GCM_SHA256";
        f.server.certificateChainDer = {certificate(), QByteArray("not a certificate")};
        f.server.via = {"proxy.local", 3128};
        f.server.error = QStringLiteral("reset by peer ✗");
        f.server.timestampStart = T + 0.02;
        f.server.timestampTcpSetup = T + 0.03;
        f.server.timestampTlsSetup = T + 0.04;
        f.server.timestampEnd = T + 8;
        Request& r = f.request;
        r.method = "POST";
        r.scheme = "https";
        r.host = "example.com";
        r.port = 443;
        r.authority = "example.com";
        r.path = "/api/items?q=caf%C3%A9";
        r.httpVersion = "HTTP/2.0";
        r.headers = {{"content-type", "application/octet-stream"}, {"x-dup", "1"}, {"x-dup", "2"}};
        r.body.content = QByteArray("\x00\x01\x02\xff binary", 11);
        r.body.size = r.body.content.size();
        r.timestampStart = T + 0.05;
        r.timestampEnd = T + 0.06;
        Response s;
        s.httpVersion = "HTTP/2.0";
        s.statusCode = 201;
        s.reason = "Created";
        s.headers = {{"content-type", "text/plain; charset=utf-8"},
                     {"set-cookie", "a=1"},
                     {"set-cookie", "b=2"}};
        s.body.content = "h\xC3\xA9llo";
        s.body.size = s.body.content.size();
        s.trailers = {{"grpc-status", "0"}};
        s.timestampStart = T + 0.5;
        s.timestampEnd = T + 0.75;
        f.response = s;
        f.error = FlowError{QStringLiteral("connection killed ✂"), T + 1};
        f.marked = QStringLiteral(":star:");
        f.comment = QStringLiteral("héllo ✓\nsecond line");
        f.isReplay = true;
        return f;
    }

    static HttpFlow webSocketFlow()
    {
        HttpFlow f;
        f.id = QUuid::fromString(QStringLiteral("0b7d6a1e-2222-4222-8222-222222222222"));
        f.live = false;
        f.client.id = 9;
        f.client.peer = {"::1", 50200};
        f.server.id = 10;
        f.server.role = Connection::Role::Server;
        f.server.peer = {"ws.example", 80};
        f.request.method = "GET";
        f.request.scheme = "http";
        f.request.host = "ws.example";
        f.request.port = 80;
        f.request.path = "/chat";
        f.request.httpVersion = "HTTP/1.1";
        f.request.headers = {{"Upgrade", "websocket"}, {"Connection", "Upgrade"}};
        f.request.timestampStart = T + 2;
        f.request.timestampEnd = T + 2;
        Response s;
        s.httpVersion = "HTTP/1.1";
        s.statusCode = 101;
        s.reason = "Switching Protocols";
        s.timestampStart = T + 2.1;
        s.timestampEnd = T + 2.1;
        f.response = s;
        auto ws = std::make_shared<WebSocketData>();
        ws->messages.push_back({true, true, "hello text", T + 3, false, false});
        // {fromClient, isText, content, timestamp, injected, dropped}
        ws->messages.push_back({false, false, QByteArray("\x00\xfe bin", 6), T + 4, true, false});
        ws->messages.push_back({true, true, "dropped one", T + 5, false, true});
        ws->closeCode = 1001;
        ws->closeReason = QStringLiteral("going away");
        ws->closedByClient = true;
        ws->timestampEnd = T + 6;
        f.websocket = ws;
        f.isServerReplay = true;
        return f;
    }

    static HttpFlow tcpFlow()
    {
        HttpFlow f;
        f.kind = FlowKind::Tcp;
        f.id = QUuid::fromString(QStringLiteral("0b7d6a1e-3333-4333-8333-333333333333"));
        f.live = false;
        f.client.id = 11;
        f.client.peer = {"127.0.0.1", 50300};
        f.client.timestampStart = T + 10;
        f.client.timestampEnd = T + 12;
        f.server.id = 12;
        f.server.role = Connection::Role::Server;
        f.server.peer = {"db.example", 5432};
        f.server.timestampStart = T + 10.1;
        f.server.timestampEnd = T + 12.5;
        f.request.host = "db.example";
        f.request.port = 5432;
        auto tcp = std::make_shared<TcpData>();
        tcp->messages.push_back({true, "ping", T + 11});
        tcp->messages.push_back({false, QByteArray("po\0ng", 5), T + 11.5});
        tcp->closedByClient = true;
        tcp->timestampEnd = T + 12.5;
        f.tcp = tcp;
        return f;
    }

    // A download that streamed (only its size was kept) and a CONNECT that failed.
    static QList<HttpFlow> oddFlows()
    {
        HttpFlow streamed;
        streamed.live = false;
        streamed.request.method = "GET";
        streamed.request.scheme = "http";
        streamed.request.host = "big.example";
        streamed.request.port = 8080;
        streamed.request.path = "/big.iso";
        streamed.request.httpVersion = "HTTP/1.1";
        streamed.request.timestampStart = T + 20;
        Response s;
        s.httpVersion = "HTTP/1.1";
        s.statusCode = 200;
        s.reason = "OK";
        s.headers = {{"Content-Length", "50000000"}};
        s.body.size = 50000000;
        s.body.streamed = true;
        s.timestampStart = T + 21;
        streamed.response = s;

        HttpFlow connect;
        connect.live = false;
        connect.request.method = "CONNECT";
        connect.request.host = "tunnel.example";
        connect.request.port = 443;
        connect.request.path = "tunnel.example:443";
        connect.request.httpVersion = "HTTP/1.1";
        connect.request.timestampStart = T + 30;
        connect.error = FlowError{QStringLiteral("connection refused"), T + 31};
        return {streamed, connect};
    }

    QList<HttpFlow> allFlows()
    {
        QList<HttpFlow> flows{httpFlow(), webSocketFlow(), tcpFlow()};
        flows += oddFlows();
        return flows;
    }

    QString writeFile(const QString& name)
    {
        const QString path = m_dir.filePath(name);
        const QString err = MitmproxyWriter::write(path, allFlows());
        if (!err.isEmpty())
            qWarning("%s", qPrintable(err));
        return err.isEmpty() ? path : QString();
    }

    // Runs a program; its standard output, or a null array with a failure recorded.
    static QByteArray run(const QString& program, const QStringList& args, QByteArray* errors)
    {
        QProcess p;
        p.start(program, args);
        if (!p.waitForFinished(120000)) {
            p.kill();
            p.waitForFinished();
            *errors = "did not finish: " + p.errorString().toUtf8();
            return {};
        }
        *errors = p.readAllStandardError();
        if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
            *errors += "\nexit code " + QByteArray::number(p.exitCode());
            return {};
        }
        return p.readAllStandardOutput();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(!certificate().isEmpty(), "no test certificate");
    }

    void tnetstringEncodingMatchesPython()
    {
        // Byte for byte what mitmproxy/io/tnetstring.py dumps for the same values.
        TnetValue d = TnetValue::dict();
        d.set("b", TnetValue::ofBytes("x,y"))
            .set("s", TnetValue::ofText(QStringLiteral("é")))
            .set("i", TnetValue::ofInteger(-42))
            .set("f", TnetValue::ofFloat(3))
            .set("g", TnetValue::ofFloat(1700000000.25))
            .set("t", TnetValue::ofBool(true))
            .set("n", TnetValue::null())
            .set("l", TnetValue::list().append(TnetValue::ofBool(false)));
        QCOMPARE(TnetstringWriter::dump(d),
                 QByteArray("93:1:l;8:5:false!]1:n;0:~1:t;4:true!1:g;13:1700000000.25^1:f;3:3.0^"
                            "1:i;3:-42#1:s;2:\xC3\xA9;1:b;3:x,y,}"));
        QCOMPARE(TnetstringWriter::floatText(1e-7), QByteArray("1e-07"));
        QVERIFY(TnetValue::ofFloat(qInf()).isNull());
        // And it reads back.
        const auto r = TnetstringReader::parse(TnetstringWriter::dump(d));
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.value.get("g")->toDouble(), 1700000000.25);
        QCOMPARE(r.value.get("s")->bytes, QByteArray("\xC3\xA9"));
    }

    void stateHasMitmproxy81Shape()
    {
        const MitmproxyWriter w;
        const TnetValue s = w.state(httpFlow());
        QCOMPARE(s.get("version")->integer, qint64(17));
        QCOMPARE(s.get("type")->bytes, QByteArray("http"));
        // Exactly the keys mitmproxy 8.1's HTTPFlow.get_state() has (Request/Response are
        // built with cls(**state): an extra key would be refused).
        auto keys = [](const TnetValue* v) {
            QList<QByteArray> k = v->keys;
            std::sort(k.begin(), k.end());
            return k;
        };
        QCOMPARE(keys(&s), (QList<QByteArray>{
                               "client_conn", "comment", "error", "id", "intercepted", "is_replay",
                               "marked", "metadata", "request", "response", "server_conn",
                               "timestamp_created", "type", "version", "websocket"}));
        QCOMPARE(keys(s.get("request")),
                 (QList<QByteArray>{"authority", "content", "headers", "host", "http_version",
                                    "method", "path", "port", "scheme", "timestamp_end",
                                    "timestamp_start", "trailers"}));
        QCOMPARE(keys(s.get("response")),
                 (QList<QByteArray>{"content", "headers", "http_version", "reason", "status_code",
                                    "timestamp_end", "timestamp_start", "trailers"}));
        QCOMPARE(
            keys(s.get("client_conn")),
            (QList<QByteArray>{"address", "alpn", "alpn_offers", "certificate_list", "cipher_list",
                               "cipher_name", "error", "id", "mitmcert", "sni", "sockname", "state",
                               "timestamp_end", "timestamp_start", "timestamp_tls_setup", "tls",
                               "tls_established", "tls_extensions", "tls_version"}));
        QCOMPARE(keys(s.get("server_conn")), (QList<QByteArray>{"address",
                                                                "alpn",
                                                                "alpn_offers",
                                                                "certificate_list",
                                                                "cipher_list",
                                                                "cipher_name",
                                                                "error",
                                                                "id",
                                                                "ip_address",
                                                                "sni",
                                                                "source_address",
                                                                "state",
                                                                "timestamp_end",
                                                                "timestamp_start",
                                                                "timestamp_tcp_setup",
                                                                "timestamp_tls_setup",
                                                                "tls",
                                                                "tls_established",
                                                                "tls_version",
                                                                "via",
                                                                "via2"}));
        // Types as mitmproxy keeps them: host is str, method bytes.
        QCOMPARE(s.get("request")->get("host")->type, TnetValue::Type::Text);
        QCOMPARE(s.get("request")->get("method")->type, TnetValue::Type::Bytes);
        // The unparsable certificate is left out, the real one is PEM.
        const TnetValue* certs = s.get("server_conn")->get("certificate_list");
        QCOMPARE(certs->items.size(), size_t(1));
        QVERIFY(certs->items[0].bytes.startsWith("-----BEGIN CERTIFICATE-----"));
        // Flows on the same connection share its id; different connections do not.
        HttpFlow again = httpFlow();
        again.server.id = 99;
        const TnetValue s2 = w.state(again);
        QCOMPARE(s2.get("client_conn")->get("id")->bytes, s.get("client_conn")->get("id")->bytes);
        QVERIFY(s2.get("server_conn")->get("id")->bytes != s.get("server_conn")->get("id")->bytes);
        QVERIFY(
            !QUuid::fromString(QString::fromUtf8(s.get("server_conn")->get("id")->bytes)).isNull());
    }

    void roundTripThroughOurReader()
    {
        const QString path = writeFile("ours.mitm");
        QVERIFY(!path.isEmpty());
        const MitmproxyReader::Result r = MitmproxyReader::read(path);
        QVERIFY2(r.ok(), qPrintable(r.error));
        QVERIFY2(r.warnings.isEmpty(), qPrintable(r.warnings.join('\n')));
        const QList<HttpFlow> in = allFlows();
        QCOMPARE(r.flows.size(), in.size());

        const HttpFlow& a = r.flows[0];
        const HttpFlow& e = in[0];
        QCOMPARE(a.id, e.id);
        QCOMPARE(a.kind, FlowKind::Http);
        QCOMPARE(a.request.method, e.request.method);
        QCOMPARE(a.request.url(), e.request.url());
        QCOMPARE(a.request.authority, e.request.authority);
        QCOMPARE(a.request.httpVersion, e.request.httpVersion);
        QCOMPARE(a.request.headers, e.request.headers);
        QCOMPARE(a.request.body.content, e.request.body.content);
        QCOMPARE(a.request.timestampStart, e.request.timestampStart);
        QCOMPARE(a.request.timestampEnd, e.request.timestampEnd);
        QVERIFY(a.response);
        QCOMPARE(a.response->statusCode, 201);
        QCOMPARE(a.response->reason, e.response->reason);
        QCOMPARE(a.response->headers, e.response->headers);
        QCOMPARE(a.response->body.content, e.response->body.content);
        QCOMPARE(a.response->trailers, e.response->trailers);
        QCOMPARE(a.response->timestampStart, e.response->timestampStart);
        QCOMPARE(a.response->timestampEnd, e.response->timestampEnd);
        QVERIFY(a.error);
        QCOMPARE(a.error->message, e.error->message);
        QCOMPARE(a.error->timestamp, e.error->timestamp);
        QCOMPARE(a.marked, e.marked);
        QCOMPARE(a.comment, e.comment);
        QVERIFY(a.isReplay);
        QVERIFY(!a.isServerReplay);
        for (const auto* pair : {&a.client, &a.server}) {
            const Connection& c = *pair;
            const Connection& x = pair == &a.client ? e.client : e.server;
            QCOMPARE(c.sockname, x.sockname);
            QCOMPARE(c.tls, x.tls);
            QCOMPARE(c.tlsEstablished, x.tlsEstablished);
            QCOMPARE(c.sni, x.sni);
            QCOMPARE(c.alpn, x.alpn);
            QCOMPARE(c.alpnOffers, x.alpnOffers);
            QCOMPARE(c.tlsVersion, x.tlsVersion);
            QCOMPARE(c.cipher, x.cipher);
            QCOMPARE(c.error, x.error);
            QCOMPARE(c.timestampStart, x.timestampStart);
            QCOMPARE(c.timestampTlsSetup, x.timestampTlsSetup);
            QCOMPARE(c.timestampEnd, x.timestampEnd);
        }
        QCOMPARE(a.client.peer, e.client.peer);
        QCOMPARE(a.server.peername, e.server.peername);
        QCOMPARE(a.server.via, e.server.via);
        QCOMPARE(a.server.timestampTcpSetup, e.server.timestampTcpSetup);
        QCOMPARE(a.server.certificateChainDer, QList<QByteArray>{certificate()});

        const HttpFlow& w = r.flows[1];
        QVERIFY(w.websocket);
        QCOMPARE(*w.websocket, *in[1].websocket);
        QVERIFY(w.isServerReplay);
        QCOMPARE(w.client.peer, (Address{"::1", 50200}));
        QCOMPARE(w.server.peer, (Address{"ws.example", 80}));

        const HttpFlow& t = r.flows[2];
        QCOMPARE(t.kind, FlowKind::Tcp);
        QVERIFY(t.tcp);
        QCOMPARE(*t.tcp, *in[2].tcp);
        QCOMPARE(t.request.host, QByteArray("db.example"));
        QCOMPARE(t.request.port, quint16(5432));

        const HttpFlow& s = r.flows[3];
        QVERIFY(s.response);
        QVERIFY(s.response->body.streamed);
        QCOMPARE(s.response->body.size, qint64(50000000));
        QVERIFY(!s.error);

        const HttpFlow& c = r.flows[4];
        QCOMPARE(c.request.method, QByteArray("CONNECT"));
        QCOMPARE(c.request.path, QByteArray("tunnel.example:443"));
        QVERIFY(!c.response);
        QCOMPARE(c.error->message, QStringLiteral("connection refused"));
    }

    void mitmdumpReadsIt()
    {
        const QString mitmdump = QStandardPaths::findExecutable(QStringLiteral("mitmdump"));
        if (mitmdump.isEmpty())
            QSKIP("mitmdump is not installed (./dev.sh installs it)");
        const QString path = writeFile("for-mitmdump.mitm");
        QVERIFY(!path.isEmpty());
        QByteArray errors;
        const QByteArray out =
            run(mitmdump, {QStringLiteral("-n"), QStringLiteral("-r"), path}, &errors);
        QVERIFY2(!out.isNull(), errors.constData());
        QVERIFY2(!errors.contains("Traceback") && !errors.contains("rror"), errors.constData());
        const QString text = QString::fromUtf8(out);
        for (const char* expected : {"POST https://example.com/api/items?q=caf%C3%A9",
                                     "201 Created", "GET http://ws.example/chat",
                                     "101 Switching Protocols", "http://big.example:8080/big.iso",
                                     "CONNECT", "connection refused", "db.example:5432"}) {
            QVERIFY2(text.contains(QLatin1String(expected)),
                     qPrintable(QStringLiteral("'%1' missing from mitmdump's output:\n%2")
                                    .arg(QLatin1String(expected), text)));
        }
    }

    void mitmproxyFlowReaderSeesTheFields()
    {
        const QString python = QStringLiteral("/usr/bin/python3");
        if (QStandardPaths::findExecutable(QStringLiteral("mitmdump")).isEmpty() ||
            !QFile::exists(python))
            QSKIP("mitmproxy is not installed (./dev.sh installs it)");
        const QString path = writeFile("for-python.mitm");
        QVERIFY(!path.isEmpty());
        QByteArray errors;
        const QByteArray out =
            run(python, {QStringLiteral("-c"), QString::fromUtf8(PythonReader), path}, &errors);
        QVERIFY2(!out.isNull(), errors.constData());
        const QJsonArray flows = QJsonDocument::fromJson(out).array();
        QCOMPARE(flows.size(), 5);

        const QJsonObject h = flows[0].toObject();
        QCOMPARE(h["type"].toString(), QStringLiteral("http"));
        QCOMPARE(h["id"].toString(), QStringLiteral("0b7d6a1e-1111-4111-8111-111111111111"));
        QCOMPARE(h["marked"].toString(), QStringLiteral(":star:"));
        QCOMPARE(h["comment"].toString(), QStringLiteral("héllo ✓\nsecond line"));
        QCOMPARE(h["is_replay"].toString(), QStringLiteral("request"));
        QCOMPARE(h["error"].toString(), QStringLiteral("connection killed ✂"));
        const QJsonObject rq = h["request"].toObject();
        QCOMPARE(rq["method"].toString(), QStringLiteral("POST"));
        QCOMPARE(rq["url"].toString(), QStringLiteral("https://example.com/api/items?q=caf%C3%A9"));
        QCOMPARE(rq["http_version"].toString(), QStringLiteral("HTTP/2.0"));
        QCOMPARE(rq["content"].toString(), QStringLiteral("000102ff2062696e617279"));
        QCOMPARE(rq["timestamp_start"].toDouble(), T + 0.05);
        QCOMPARE(rq["headers"].toArray().size(), 3);
        QCOMPARE(rq["headers"].toArray()[2].toArray()[1].toString(), QStringLiteral("2"));
        const QJsonObject rs = h["response"].toObject();
        QCOMPARE(rs["status"].toInt(), 201);
        QCOMPARE(rs["reason"].toString(), QStringLiteral("Created"));
        QCOMPARE(rs["content"].toString(), QString::fromLatin1(QByteArray("h\xC3\xA9llo").toHex()));
        QCOMPARE(rs["trailers"].toArray()[0].toArray()[0].toString(),
                 QStringLiteral("grpc-status"));
        QCOMPARE(rs["headers"].toArray().size(), 3);
        const QJsonObject client = h["client"].toObject();
        QCOMPARE(client["address"].toArray(), (QJsonArray{"192.168.1.5", 50123}));
        QCOMPARE(client["sni"].toString(), QStringLiteral("example.com"));
        QCOMPARE(client["alpn"].toString(), QStringLiteral("h2"));
        QCOMPARE(client["alpn_offers"].toArray(), (QJsonArray{"h2", "http/1.1"}));
        QCOMPARE(client["tls_version"].toString(), QStringLiteral("TLSv1.3"));
        QCOMPARE(client["cipher"].toString(), QStringLiteral("TLS_AES_256_GCM_SHA384"));
        QVERIFY(client["tls_established"].toBool());
        QCOMPARE(client["timestamp_start"].toDouble(), T);
        QCOMPARE(client["timestamp_end"].toDouble(), T + 9);
        const QJsonObject server = h["server"].toObject();
        QCOMPARE(h["server_address"].toArray(), (QJsonArray{"example.com", 443}));
        QCOMPARE(server["address"].toArray(), (QJsonArray{"93.184.215.14", 443}));
        QCOMPARE(h["server_sockname"].toArray(), (QJsonArray{"10.0.0.2", 40000}));
        QCOMPARE(h["via"].toArray(), (QJsonArray{"http", QJsonArray{"proxy.local", 3128}}));
        QCOMPARE(server["cipher"].toString(), QStringLiteral("TLS_AES_128_GCM_SHA256"));
        QCOMPARE(server["error"].toString(), QStringLiteral("reset by peer ✗"));
        QCOMPARE(server["certs"].toArray().size(), 1);
        QVERIFY(!server["certs"].toArray()[0].toString().isEmpty());

        const QJsonObject w = flows[1].toObject();
        QCOMPARE(w["is_replay"].toString(), QStringLiteral("response"));
        QCOMPARE(w["client"].toObject()["address"].toArray(), (QJsonArray{"::1", 50200}));
        const QJsonObject ws = w["websocket"].toObject();
        QCOMPARE(ws["close_code"].toInt(), 1001);
        QCOMPARE(ws["close_reason"].toString(), QStringLiteral("going away"));
        QVERIFY(ws["closed_by_client"].toBool());
        const QJsonArray messages = ws["messages"].toArray();
        QCOMPARE(messages.size(), 3);
        QCOMPARE(messages[0].toArray(),
                 (QJsonArray{1, true, QString::fromLatin1(QByteArray("hello text").toHex()), T + 3,
                             false, false}));
        QCOMPARE(messages[1].toArray(),
                 (QJsonArray{2, false, QStringLiteral("00fe2062696e"), T + 4, false, true}));
        QCOMPARE(messages[2].toArray()[4].toBool(), true);

        const QJsonObject t = flows[2].toObject();
        QCOMPARE(t["type"].toString(), QStringLiteral("tcp"));
        QCOMPARE(t["server_address"].toArray(), (QJsonArray{"db.example", 5432}));
        QCOMPARE(t["messages"].toArray(),
                 (QJsonArray{QJsonArray{true, QStringLiteral("70696e67"), T + 11},
                             QJsonArray{false, QStringLiteral("706f006e67"), T + 11.5}}));

        const QJsonObject s = flows[3].toObject();
        QVERIFY(s["response"].toObject()["content"].isNull()); // streamed: not kept
        QCOMPARE(s["request"].toObject()["url"].toString(),
                 QStringLiteral("http://big.example:8080/big.iso"));

        const QJsonObject c = flows[4].toObject();
        QCOMPARE(c["request"].toObject()["method"].toString(), QStringLiteral("CONNECT"));
        QCOMPARE(c["request"].toObject()["url"].toString(), QStringLiteral("tunnel.example:443"));
        QCOMPARE(c["error"].toString(), QStringLiteral("connection refused"));
        QVERIFY(!c.contains("response"));
    }

    void unwritablePathIsAnError()
    {
        const QString err =
            MitmproxyWriter::write(m_dir.filePath("no/such/dir/x.mitm"), allFlows());
        QVERIFY(err.contains(QLatin1String("x.mitm")));
    }
};

} // namespace

QTEST_GUILESS_MAIN(MitmproxyWriterTest)
#include "mitmproxy_writer_test.moc"

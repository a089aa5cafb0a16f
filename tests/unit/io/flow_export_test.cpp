// FlowExport against mitmproxy's export addon: the flows are built as mitmproxy's test fixtures
// build them (tflow/treq/tresp: host "address", port 22, server peer 192.168.0.1) and the
// expected strings are what mitmproxy's export.py gives for them (its test_export.py, and for
// the cases it does not test, the output of mitmproxy's code run on the same flow). The three
// deliberate deviations (printf-safe '%' and '\', --data-raw for '@', no pseudo headers) are
// tested as such.
#include "io/flow_export.h"

#include "options/option_registry.h"

#include <QtTest>
#include <zlib.h>

using namespace spyglass;

namespace {

// mitmproxy tutils.treq
Request treq(const QByteArray& method = "GET", const QByteArray& path = "/path",
             Headers headers = {{"header", "qvalue"}, {"content-length", "7"}},
             const QByteArray& content = "content")
{
    Request r;
    r.host = "address";
    r.port = 22;
    r.method = method;
    r.scheme = "http";
    r.path = path;
    r.httpVersion = "HTTP/1.1";
    r.headers = std::move(headers);
    r.body.content = content;
    r.body.size = content.size();
    return r;
}

// mitmproxy tutils.tresp
Response tresp(int status = 200, const QByteArray& content = "message",
               Headers headers = {{"header-response", "svalue"}, {"content-length", "7"}})
{
    Response r;
    r.httpVersion = "HTTP/1.1";
    r.statusCode = status;
    r.reason = "OK";
    r.headers = std::move(headers);
    r.body.content = content;
    r.body.size = content.size();
    return r;
}

// mitmproxy tflow.tflow: the server was reached at 192.168.0.1.
HttpFlow tflow(Request request, std::optional<Response> response = std::nullopt)
{
    HttpFlow f;
    f.live = false;
    f.client.peer = {"127.0.0.1", 22};
    f.server.peer = {"192.168.0.1", 22};
    f.request = std::move(request);
    f.response = std::move(response);
    return f;
}

HttpFlow getRequest()
{
    return tflow(treq("GET", "/path?a=foo&a=bar&b=baz",
                      {{"header", "qvalue"}, {"content-length", "0"}}, ""));
}

HttpFlow postRequest(const QByteArray& content)
{
    return tflow(treq("POST", "/path", {}, content));
}

HttpFlow tcpFlow()
{
    HttpFlow f;
    f.kind = FlowKind::Tcp;
    f.tcp = std::make_shared<TcpData>();
    return f;
}

QByteArray gzip(const QByteArray& data)
{
    z_stream zs = {};
    deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    QByteArray out(int(deflateBound(&zs, uLong(data.size()))) + 32, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = uInt(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = uInt(out.size());
    deflate(&zs, Z_FINISH);
    out.resize(qsizetype(zs.total_out));
    deflateEnd(&zs);
    return out;
}

QByteArray curl(const HttpFlow& f, bool preserveIp = false)
{
    Options o;
    o.exportPreserveOriginalIp = preserveIp;
    QString err;
    const QByteArray out = FlowExport::curl(f, o, &err);
    if (!err.isEmpty())
        qWarning("curl export failed: %s", qPrintable(err));
    return out;
}

QByteArray httpie(const HttpFlow& f)
{
    QString err;
    const QByteArray out = FlowExport::httpie(f, &err);
    if (!err.isEmpty())
        qWarning("httpie export failed: %s", qPrintable(err));
    return out;
}

template <typename Fn> QString errorOf(Fn fn)
{
    QString err;
    const QByteArray out = fn(&err);
    return out.isEmpty() ? err : QStringLiteral("(no error, got %1)").arg(QString::fromUtf8(out));
}

} // namespace

class FlowExportTest : public QObject
{
    Q_OBJECT

private slots:
    void formatsAndOption()
    {
        QCOMPARE(FlowExport::formats(),
                 QStringList({"curl", "httpie", "raw", "raw_request", "raw_response"}));
        QVERIFY(FlowExport::isFormat("raw_request"));
        QVERIFY(!FlowExport::isFormat("har"));
        QString err;
        QVERIFY(FlowExport::exportFlow("nope", getRequest(), Options{}, &err).isEmpty());
        QCOMPARE(err, QStringLiteral("No such export format: nope"));
        err.clear();
        QCOMPARE(FlowExport::exportFlow("curl", getRequest(), Options{}, &err),
                 QByteArray("curl -H 'header: qvalue' 'http://address:22/path?a=foo&a=bar&b=baz'"));
        QVERIFY(err.isEmpty());

        Options o;
        QVERIFY(OptionRegistry::apply(o, "export_preserve_original_ip=true").isEmpty());
        QVERIFY(o.exportPreserveOriginalIp);
        QVERIFY(OptionRegistry::describeAll(Options{}).contains("export_preserve_original_ip"));
    }

    void shellQuote_data()
    {
        QTest::addColumn<QByteArray>("word");
        QTest::addColumn<QByteArray>("quoted");
        QTest::newRow("empty") << QByteArray() << QByteArray("''");
        QTest::newRow("safe") << QByteArray("abc_XYZ09@%+=:,./-")
                              << QByteArray("abc_XYZ09@%+=:,./-");
        QTest::newRow("space") << QByteArray("a b") << QByteArray("'a b'");
        QTest::newRow("single quote") << QByteArray("it's") << QByteArray("'it'\"'\"'s'");
        QTest::newRow("only quote") << QByteArray("'") << QByteArray("''\"'\"''");
        QTest::newRow("double quote") << QByteArray("say \"hi\"") << QByteArray("'say \"hi\"'");
        QTest::newRow("dollar") << QByteArray("$HOME") << QByteArray("'$HOME'");
        QTest::newRow("backtick") << QByteArray("`id`") << QByteArray("'`id`'");
        QTest::newRow("newline") << QByteArray("a\nb") << QByteArray("'a\nb'");
        QTest::newRow("non-ascii") << QByteArray("h\xc3\xa9") << QByteArray("'h\xc3\xa9'");
        QTest::newRow("query") << QByteArray("/p?a=1&b=2") << QByteArray("'/p?a=1&b=2'");
    }
    void shellQuote()
    {
        QFETCH(QByteArray, word);
        QFETCH(QByteArray, quoted);
        QCOMPARE(FlowExport::shellQuote(word), quoted);
    }

    // mitmproxy test_export.py TestExportCurlCommand
    void curlCommand()
    {
        QCOMPARE(curl(getRequest()),
                 QByteArray("curl -H 'header: qvalue' 'http://address:22/path?a=foo&a=bar&b=baz'"));
        QCOMPARE(curl(postRequest("nobinarysupport")),
                 QByteArray("curl -X POST http://address:22/path -d nobinarysupport"));
        QCOMPARE(curl(postRequest("")),
                 QByteArray("curl -H 'content-length: 0' -X POST http://address:22/path"));
        QCOMPARE(
            curl(tflow(treq("PATCH", "/path?query=param"))),
            QByteArray("curl -H 'header: qvalue' -X PATCH 'http://address:22/path?query=param' "
                       "-d content"));
        QCOMPARE(curl(postRequest("'&#")), QByteArray("curl -X POST http://address:22/path -d "
                                                      "''\"'\"'&#'"));
        QCOMPARE(curl(postRequest("foo\nbar")),
                 QByteArray("curl -X POST http://address:22/path -d \"$(printf 'foo\\x0abar')\""));
        QCOMPARE(curl(postRequest("foobar")),
                 QByteArray("curl -X POST http://address:22/path -d foobar"));

        HttpFlow strip = getRequest();
        strip.request.headers = {
            {"host", "address"}, {":authority", "address"}, {"accept-encoding", "br"}};
        QCOMPARE(curl(strip),
                 QByteArray("curl --compressed 'http://address:22/path?a=foo&a=bar&b=baz'"));
    }

    void curlFailures()
    {
        HttpFlow binary = postRequest(QByteArray(256, '\0'));
        for (int i = 0; i < 256; ++i)
            binary.request.body.content[i] = char(i);
        binary.request.headers.add("Content-Type", "application/json; charset=utf-8");
        QCOMPARE(errorOf([&](QString* e) { return FlowExport::curl(binary, Options{}, e); }),
                 QStringLiteral("Request content must be valid unicode"));
        QCOMPARE(errorOf([&](QString* e) { return FlowExport::httpie(binary, e); }),
                 QStringLiteral("Request content must be valid unicode"));
        QCOMPARE(errorOf([&](QString* e) { return FlowExport::curl(tcpFlow(), Options{}, e); }),
                 QStringLiteral("Can't export flow with no request."));
        QCOMPARE(errorOf([&](QString* e) { return FlowExport::httpie(tcpFlow(), e); }),
                 QStringLiteral("Can't export flow with no request."));
    }

    // test_correct_host_used, and when --resolve is left out.
    void curlPreserveOriginalIp()
    {
        HttpFlow f = getRequest();
        f.request.headers.add("host", "domain:22");
        QCOMPARE(curl(f), QByteArray("curl -H 'header: qvalue' -H 'host: domain:22' "
                                     "'http://domain:22/path?a=foo&a=bar&b=baz'"));
        QCOMPARE(curl(f, true),
                 QByteArray("curl --resolve 'domain:22:[192.168.0.1]' -H 'header: qvalue' -H "
                            "'host: domain:22' 'http://domain:22/path?a=foo&a=bar&b=baz'"));
        // The URL's host is the server's address already: nothing to pin.
        HttpFlow same = getRequest();
        same.request.headers.add("host", "192.168.0.1:22");
        QVERIFY(!curl(same, true).contains("--resolve"));
        // Spyglass keeps the address it dialled: a name cannot be pinned.
        f.server.peer.host = "origin.example";
        QVERIFY(!curl(f, true).contains("--resolve"));
        f.server.peer.host = "2001:db8::1";
        QVERIFY(curl(f, true).startsWith("curl --resolve 'domain:22:[2001:db8::1]' "));
        QCOMPARE(FlowExport::httpie(f, nullptr).contains("resolve"), false);
    }

    // mitmproxy test_export.py TestExportHttpieCommand
    void httpieCommand()
    {
        QCOMPARE(
            httpie(getRequest()),
            QByteArray("http GET 'http://address:22/path?a=foo&a=bar&b=baz' 'header: qvalue'"));
        QCOMPARE(httpie(postRequest("nobinarysupport")),
                 QByteArray("http POST http://address:22/path <<< nobinarysupport"));
        QCOMPARE(httpie(tflow(treq("PATCH", "/path?query=param"))),
                 QByteArray("http PATCH 'http://address:22/path?query=param' 'header: qvalue' <<< "
                            "content"));
        QCOMPARE(httpie(postRequest("'&#")),
                 QByteArray("http POST http://address:22/path <<< ''\"'\"'&#'"));
        HttpFlow f = getRequest();
        f.request.headers.add("host", "domain:22");
        QCOMPARE(httpie(f), QByteArray("http GET 'http://domain:22/path?a=foo&a=bar&b=baz' "
                                       "'header: qvalue' 'host: domain:22'"));
        QCOMPARE(httpie(postRequest("foo\nbar")),
                 QByteArray("http POST http://address:22/path <<< \"$(printf 'foo\\x0abar')\""));
    }

    // Cases mitmproxy's tests leave out; expected values are mitmproxy's output for them.
    void commandEdgeCases()
    {
        HttpFlow q = postRequest("a'b\"c $x");
        q.request.headers = {{"X-Q", "it's \"q\" $HOME `x`"},
                             {"Accept-Encoding", "gzip"},
                             {"host", "address"},
                             {"Cookie", "a=b; c=d"}};
        QCOMPARE(curl(q), QByteArray("curl -H 'X-Q: it'\"'\"'s \"q\" $HOME `x`' --compressed -H "
                                     "'Cookie: a=b; c=d' -X POST http://address:22/path -d "
                                     "'a'\"'\"'b\"c $x'"));
        QCOMPARE(httpie(q), QByteArray("http POST http://address:22/path 'X-Q: it'\"'\"'s \"q\" "
                                       "$HOME `x`' 'Accept-Encoding: gzip' 'Cookie: a=b; c=d' <<< "
                                       "'a'\"'\"'b\"c $x'"));

        // A gzip body is exported decoded; Content-Encoding and Content-Length go.
        HttpFlow gz = postRequest(gzip("{\"a\": \"\xc3\xa9\"}"));
        gz.request.headers = {{"content-encoding", "gzip"},
                              {"content-length", "999"},
                              {"content-type", "application/json"}};
        QCOMPARE(curl(gz), QByteArray("curl -H 'content-type: application/json' -X POST "
                                      "http://address:22/path -d '{\"a\": \"\xc3\xa9\"}'"));

        HttpFlow utf8 = tflow(treq("PUT", "/path", {{"content-type", "text/plain; charset=utf-8"}},
                                   "h\xc3\xa9llo \xe2\x9c\x93"));
        QCOMPARE(curl(utf8), QByteArray("curl -H 'content-type: text/plain; charset=utf-8' -X PUT "
                                        "http://address:22/path -d 'h\xc3\xa9llo \xe2\x9c\x93'"));
        QCOMPARE(httpie(utf8), QByteArray("http PUT http://address:22/path 'content-type: "
                                          "text/plain; charset=utf-8' <<< 'h\xc3\xa9llo "
                                          "\xe2\x9c\x93'"));
        // Without a charset mitmproxy reads a body as Latin-1 and writes the text as UTF-8.
        QCOMPARE(curl(postRequest("caf\xc3\xa9")),
                 QByteArray("curl -X POST http://address:22/path -d 'caf\xc3\x83\xc2\xa9'"));

        HttpFlow empty = tflow(treq("POST", "/path", {{"x-empty", ""}}, "foo\nbar"));
        QCOMPARE(httpie(empty), QByteArray("http POST http://address:22/path 'x-empty: ' <<< "
                                           "\"$(printf 'foo\\x0abar')\""));

        HttpFlow connect = tflow(treq("CONNECT", "", {{"Host", "example.com:443"}}, ""));
        connect.request.host = "example.com";
        connect.request.port = 443;
        connect.request.authority = "example.com:443";
        connect.request.scheme = "";
        QCOMPARE(curl(connect), QByteArray("curl -H 'Host: example.com:443' -H 'content-length: 0' "
                                           "-X CONNECT example.com:443"));
    }

    // Where Spyglass deliberately differs from mitmproxy, so that the command reproduces the body.
    void commandDeviations()
    {
        // mitmproxy: -d @etc/passwd, which makes curl send that file.
        QCOMPARE(curl(postRequest("@etc/passwd")),
                 QByteArray("curl -X POST http://address:22/path --data-raw @etc/passwd"));
        QCOMPARE(httpie(postRequest("@etc/passwd")),
                 QByteArray("http POST http://address:22/path <<< @etc/passwd"));
        // mitmproxy: printf 'a%b\c\x0ad' (printf eats the % and the backslash).
        QCOMPARE(
            curl(postRequest("a%b\\c\nd")),
            QByteArray("curl -X POST http://address:22/path -d \"$(printf 'a%%b\\\\c\\x0ad')\""));
        // Without a control character the body is quoted as it is.
        QCOMPARE(curl(postRequest("a%b\\c")),
                 QByteArray("curl -X POST http://address:22/path -d 'a%b\\c'"));
    }

    void http2()
    {
        Request rq;
        rq.method = "GET";
        rq.scheme = "https";
        rq.authority = "example.com";
        rq.host = "example.com";
        rq.port = 443;
        rq.path = "/index?x=1";
        rq.httpVersion = "HTTP/2.0";
        // As a HAR import may give them: pseudo headers among the headers.
        rq.headers = {{":method", "GET"},      {":authority", "example.com"}, {":scheme", "https"},
                      {":path", "/index?x=1"}, {"user-agent", "curl/8"},      {"accept", "*/*"}};
        Response rs;
        rs.httpVersion = "HTTP/2.0";
        rs.statusCode = 200;
        rs.reason = "OK"; // Spyglass fills in the default reason; mitmproxy has none for HTTP/2
        rs.headers = {{":status", "200"}, {"content-type", "text/plain"}, {"content-length", "2"}};
        rs.body.content = "hi";
        rs.body.size = 2;
        const HttpFlow f = tflow(rq, rs);

        QCOMPARE(curl(f), QByteArray("curl -H 'user-agent: curl/8' -H 'accept: */*' "
                                     "'https://example.com/index?x=1'"));
        QCOMPARE(httpie(f), QByteArray("http GET 'https://example.com/index?x=1' 'user-agent: "
                                       "curl/8' 'accept: */*'"));
        QString err;
        QCOMPARE(FlowExport::raw(f, &err),
                 QByteArray("GET https://example.com/index?x=1 HTTP/2.0\r\nuser-agent: curl/8\r\n"
                            "accept: */*\r\n\r\n\r\n\r\nHTTP/2.0 200 \r\ncontent-type: "
                            "text/plain\r\ncontent-length: 2\r\n\r\nhi"));
        QVERIFY(err.isEmpty());
    }

    // mitmproxy test_export.py TestRaw, TestRawRequest, TestRawResponse
    void rawFormats()
    {
        QString err;
        HttpFlow flow = tflow(treq("GET", "/path?a=foo&a=bar&b=baz",
                                   {{"header", "qvalue"}, {"content-length", "7"}}, ""),
                              tresp(404, "Test Response Body"));
        QCOMPARE(FlowExport::raw(flow, &err),
                 QByteArray("GET /path?a=foo&a=bar&b=baz HTTP/1.1\r\nheader: qvalue\r\n"
                            "content-length: 7\r\n\r\n\r\n\r\nHTTP/1.1 404 OK\r\nheader-response: "
                            "svalue\r\ncontent-length: 18\r\n\r\nTest Response Body"));
        QCOMPARE(FlowExport::rawResponse(flow, &err),
                 QByteArray("HTTP/1.1 404 OK\r\nheader-response: svalue\r\ncontent-length: "
                            "18\r\n\r\nTest Response Body"));
        QCOMPARE(FlowExport::rawRequest(getRequest(), &err),
                 QByteArray("GET /path?a=foo&a=bar&b=baz HTTP/1.1\r\nheader: qvalue\r\n"
                            "content-length: 0\r\n\r\n"));
        QCOMPARE(FlowExport::raw(getRequest(), &err), FlowExport::rawRequest(getRequest(), &err));
        QCOMPARE(FlowExport::rawRequest(tflow(treq("PATCH", "/path?query=param")), &err),
                 QByteArray("PATCH /path?query=param HTTP/1.1\r\nheader: qvalue\r\n"
                            "content-length: 7\r\n\r\ncontent"));
        QVERIFY(err.isEmpty());

        // A request whose body was not recorded: raw falls back to the response.
        HttpFlow noRequestBody = flow;
        noRequestBody.request.body = {QByteArray(), 100, true};
        QCOMPARE(FlowExport::raw(noRequestBody, &err), FlowExport::rawResponse(flow, &err));
        QCOMPARE(errorOf([&](QString* e) { return FlowExport::rawRequest(noRequestBody, e); }),
                 QStringLiteral("Request content missing."));
        HttpFlow noResponseBody = flow;
        noResponseBody.response->body = {QByteArray(), 100, true};
        QCOMPARE(errorOf([&](QString* e) { return FlowExport::rawResponse(noResponseBody, e); }),
                 QStringLiteral("Response content missing."));
        QCOMPARE(errorOf([&](QString* e) { return FlowExport::rawResponse(getRequest(), e); }),
                 QStringLiteral("Can't export flow with no response."));
        QCOMPARE(errorOf([&](QString* e) { return FlowExport::raw(tcpFlow(), e); }),
                 QStringLiteral("Can't export flow with no request or response."));
        QCOMPARE(errorOf([&](QString* e) { return FlowExport::rawRequest(tcpFlow(), e); }),
                 QStringLiteral("Can't export flow with no request."));
        QCOMPARE(errorOf([&](QString* e) { return FlowExport::rawResponse(tcpFlow(), e); }),
                 QStringLiteral("Can't export flow with no response."));

        // test_head_non_zero_content_length: an empty body keeps its Content-Length.
        const HttpFlow head = tflow(treq("HEAD"), tresp(200, "", {{"content-length", "7"}}));
        QCOMPARE(FlowExport::rawResponse(head, &err),
                 QByteArray("HTTP/1.1 200 OK\r\ncontent-length: 7\r\n\r\n"));
    }

    void rawDecodingAndFraming()
    {
        QString err;
        HttpFlow gz = postRequest(gzip("{\"a\": \"\xc3\xa9\"}"));
        gz.request.headers = {{"content-encoding", "gzip"},
                              {"content-length", "999"},
                              {"content-type", "application/json"}};
        QCOMPARE(FlowExport::rawRequest(gz, &err),
                 QByteArray("POST /path HTTP/1.1\r\ncontent-length: 11\r\ncontent-type: "
                            "application/json\r\n\r\n{\"a\": \"\xc3\xa9\"}"));
        // A coding that cannot be undone: the bytes stay, the header goes (strict=False).
        HttpFlow bad = postRequest("not gzip");
        bad.request.headers = {{"Content-Encoding", "gzip"}, {"Content-Length", "8"}};
        QCOMPARE(FlowExport::rawRequest(bad, &err),
                 QByteArray("POST /path HTTP/1.1\r\nContent-Length: 8\r\n\r\nnot gzip"));

        Request chunked = treq(
            "POST", "/up", {{"host", "example.com"}, {"transfer-encoding", "chunked"}}, "hello");
        chunked.host = "example.com";
        chunked.port = 80;
        chunked.trailers = {{"x-sum", "5"}};
        QCOMPARE(FlowExport::rawRequest(tflow(chunked), &err),
                 QByteArray("POST /up HTTP/1.1\r\nhost: example.com\r\ntransfer-encoding: "
                            "chunked\r\n\r\n5\r\nhello\r\n0\r\nx-sum: 5\r\n\r\n"));
        QCOMPARE(curl(tflow(chunked)), QByteArray("curl -H 'transfer-encoding: chunked' -X POST "
                                                  "http://example.com/up -d hello"));
        chunked.trailers = {};
        QCOMPARE(FlowExport::rawRequest(tflow(chunked), &err),
                 QByteArray("POST /up HTTP/1.1\r\nhost: example.com\r\ntransfer-encoding: "
                            "chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"));
        QVERIFY(err.isEmpty());
        HttpFlow trailersNoChunked = tflow(treq(), tresp());
        trailersNoChunked.response->trailers = {{"grpc-status", "0"}};
        QCOMPARE(errorOf([&](QString* e) { return FlowExport::rawResponse(trailersNoChunked, e); }),
                 QStringLiteral("Sending HTTP/1.1 trailer headers requires transfer-encoding: "
                                "chunked"));

        // An absolute-form HTTP/1 request (sent to the proxy) in origin form, as mitmproxy
        // records it in regular mode; CONNECT keeps its authority.
        Request abs = treq("GET", "/a b", {{"Host", "example.com:8080"}}, "");
        abs.host = "example.com";
        abs.port = 8080;
        abs.authority = "example.com:8080";
        QCOMPARE(FlowExport::rawRequest(tflow(abs), &err),
                 QByteArray("GET /a b HTTP/1.1\r\nHost: example.com:8080\r\n\r\n"));
        QCOMPARE(curl(tflow(abs)),
                 QByteArray("curl -H 'Host: example.com:8080' 'http://example.com:8080/a b'"));
        Request connect = treq("CONNECT", "example.com:443", {{"Host", "example.com:443"}}, "");
        connect.authority = "example.com:443";
        QCOMPARE(FlowExport::rawRequest(tflow(connect), &err),
                 QByteArray("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"));
    }

    // test_websocket: the messages follow the response.
    void rawWebSocket()
    {
        HttpFlow f = tflow(treq("GET", "/ws", {{"Upgrade", "websocket"}}, ""),
                           tresp(101, "", {{"Upgrade", "websocket"}}));
        f.response->reason = "Switching Protocols";
        auto ws = std::make_shared<WebSocketData>();
        ws->messages.push_back({true, true, "hello text", 1, false, false});
        ws->messages.push_back({false, false, QByteArray("hello binary\x01", 13), 2, false, false});
        ws->messages.push_back({true, true, "it's me", 3, false, false});
        f.websocket = ws;
        QString err;
        QCOMPARE(FlowExport::raw(f, &err),
                 QByteArray("GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n\r\n\r\n\r\n"
                            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\r\n\r\n"
                            "[OUTGOING] hello text\n[INCOMING] hello binary\x01\n"
                            "[OUTGOING] it's me"));
        QVERIFY(err.isEmpty());
        // raw_response alone does not carry them.
        QVERIFY(!FlowExport::rawResponse(f, &err).contains("OUTGOING"));
    }
};

QTEST_GUILESS_MAIN(FlowExportTest)
#include "flow_export_test.moc"

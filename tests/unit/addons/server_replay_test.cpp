#include "addons/server_replay.h"

#include "addon_flows.h"
#include "addons/addon_manager.h"
#include "filter/filter.h"
#include "io/har_writer.h"
#include "io/session_writer.h"
#include "proxy/context.h"
#include "server/proxy_engine.h"

#include <QSet>
#include <QTemporaryDir>
#include <algorithm>
#include <thread>

using namespace spyglass;
using namespace spyglass::addons;
using namespace spyglass::proxy;
using namespace spyglass::test;

namespace {

using Keys = ServerReplay::KeyOptions;

HttpFlow recorded(const QByteArray& url, const QByteArray& body, const QByteArray& method = "GET")
{
    HttpFlow f = requestFlow(url, method);
    addResponse(f, 200, body);
    f.response->timestampStart = 1000;
    f.response->timestampEnd = 1001;
    return f;
}

HttpFlow withBody(HttpFlow f, const QByteArray& contentType, const QByteArray& body)
{
    f.request.headers.set("Content-Type", contentType);
    f.request.body.content = body;
    f.request.body.size = body.size();
    return f;
}

QByteArray keyOf(const QByteArray& url, const Keys& keys = {})
{
    return ServerReplay::key(requestFlow(url).request, keys);
}

QByteArray multipart(const QByteArray& name1, const QByteArray& value1, const QByteArray& name2,
                     const QByteArray& value2)
{
    return "--XyZ\r\nContent-Disposition: form-data; name=\"" + name1 + "\"\r\n\r\n" + value1 +
           "\r\n--XyZ\r\nContent-Disposition: form-data; name=\"" + name2 +
           "\"; filename=\"f.txt\"\r\nContent-Type: text/plain\r\n\r\n" + value2 +
           "\r\n--XyZ--\r\n";
}

// The body the addon answered `url` with ("" = no answer).
QByteArray answer(ServerReplay& a, const QByteArray& url)
{
    HttpFlow f = requestFlow(url);
    a.request(f);
    return f.response ? f.response->body.content : QByteArray();
}

filter::Filter filterOf(const char* expression)
{
    auto parsed = filter::Filter::parse(QString::fromLatin1(expression));
    if (auto* e = std::get_if<filter::ParseError>(&parsed))
        qFatal("%s", qPrintable(e->message));
    return std::get<filter::Filter>(parsed);
}

} // namespace

class ServerReplayTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void keyCoversMethodSchemePathQueryAndBody()
    {
        const QByteArray base = keyOf("http://example.com/a?x=1&y=2");
        QCOMPARE(keyOf("http://example.com/a?x=1&y=2"), base);
        QVERIFY(keyOf("http://example.com/b?x=1&y=2") != base);
        QVERIFY(keyOf("http://example.com/a?x=1&y=3") != base);
        QVERIFY(keyOf("http://example.com/a?y=2&x=1") != base); // order counts, as in mitmproxy
        QVERIFY(keyOf("https://example.com:80/a?x=1&y=2") != base);
        QVERIFY(ServerReplay::key(requestFlow("http://example.com/a?x=1&y=2", "POST").request,
                                  {}) != base);
        // Query values are compared decoded (parse_qsl): %20 and + are the same space.
        QCOMPARE(keyOf("http://example.com/s?q=a+b"), keyOf("http://example.com/s?q=a%20b"));
        // A blank value is kept and differs from a missing parameter.
        QVERIFY(keyOf("http://example.com/s?q=") != keyOf("http://example.com/s"));
        QCOMPARE(keyOf("http://example.com/s?q="), keyOf("http://example.com/s?q"));

        HttpFlow one = withBody(requestFlow("http://example.com/p", "POST"), "text/plain", "one");
        HttpFlow two = withBody(requestFlow("http://example.com/p", "POST"), "text/plain", "two");
        QVERIFY(ServerReplay::key(one.request, {}) != ServerReplay::key(two.request, {}));
        Keys ignoreContent;
        ignoreContent.ignoreContent = true;
        QCOMPARE(ServerReplay::key(one.request, ignoreContent),
                 ServerReplay::key(two.request, ignoreContent));
    }

    void ignoreHostPortAndParams()
    {
        const QByteArray a = keyOf("http://one.example/x");
        const QByteArray b = keyOf("http://two.example/x");
        QVERIFY(a != b);
        Keys host;
        host.ignoreHost = true;
        QCOMPARE(keyOf("http://one.example/x", host), keyOf("http://two.example/x", host));
        QVERIFY(keyOf("http://one.example:8080/x", host) != keyOf("http://two.example/x", host));

        QVERIFY(keyOf("http://one.example:8080/x") != keyOf("http://one.example:9090/x"));
        Keys port;
        port.ignorePort = true;
        QCOMPARE(keyOf("http://one.example:8080/x", port),
                 keyOf("http://one.example:9090/x", port));

        // The host comes from the Host header (mitmproxy's pretty_host).
        HttpFlow viaHeader = requestFlow("http://10.0.0.1/x");
        viaHeader.request.headers.set("Host", "One.Example");
        QCOMPARE(ServerReplay::key(viaHeader.request, port), keyOf("http://one.example/x", port));

        Keys params;
        params.ignoreParams = {"t", "nonce"};
        QCOMPARE(keyOf("http://e.example/x?a=1&t=5&nonce=9", params),
                 keyOf("http://e.example/x?a=1&t=6", params));
        QVERIFY(keyOf("http://e.example/x?a=1&t=5", params) !=
                keyOf("http://e.example/x?a=2&t=5", params));
    }

    void useHeaders()
    {
        HttpFlow en = requestFlow("http://e.example/");
        en.request.headers.add("Accept-Language", "en");
        HttpFlow de = requestFlow("http://e.example/");
        de.request.headers.add("Accept-Language", "de");
        HttpFlow none = requestFlow("http://e.example/");
        QCOMPARE(ServerReplay::key(en.request, {}), ServerReplay::key(de.request, {}));
        Keys keys;
        keys.useHeaders = {"accept-language"};
        QVERIFY(ServerReplay::key(en.request, keys) != ServerReplay::key(de.request, keys));
        QVERIFY(ServerReplay::key(en.request, keys) != ServerReplay::key(none.request, keys));
        HttpFlow empty = requestFlow("http://e.example/");
        empty.request.headers.add("Accept-Language", "");
        QVERIFY(ServerReplay::key(empty.request, keys) != ServerReplay::key(none.request, keys));
        HttpFlow en2 = requestFlow("http://e.example/");
        en2.request.headers.add("ACCEPT-LANGUAGE", "en");
        QCOMPARE(ServerReplay::key(en.request, keys), ServerReplay::key(en2.request, keys));
    }

    void payloadParamsUrlencoded()
    {
        const QByteArray type = "application/x-www-form-urlencoded";
        HttpFlow a =
            withBody(requestFlow("http://e.example/login", "POST"), type, "user=ann&csrf=111");
        HttpFlow b =
            withBody(requestFlow("http://e.example/login", "POST"), type, "user=ann&csrf=222");
        HttpFlow c =
            withBody(requestFlow("http://e.example/login", "POST"), type, "user=bob&csrf=111");
        QVERIFY(ServerReplay::key(a.request, {}) != ServerReplay::key(b.request, {}));
        Keys keys;
        keys.ignorePayloadParams = {"csrf"};
        QCOMPARE(ServerReplay::key(a.request, keys), ServerReplay::key(b.request, keys));
        QVERIFY(ServerReplay::key(a.request, keys) != ServerReplay::key(c.request, keys));
        // Not a form: the whole body counts.
        HttpFlow ta = withBody(requestFlow("http://e.example/login", "POST"), "text/plain",
                               "user=ann&csrf=111");
        HttpFlow tb = withBody(requestFlow("http://e.example/login", "POST"), "text/plain",
                               "user=ann&csrf=222");
        QVERIFY(ServerReplay::key(ta.request, keys) != ServerReplay::key(tb.request, keys));
    }

    void payloadParamsMultipart()
    {
        const QByteArray type = "multipart/form-data; boundary=XyZ";
        HttpFlow a = withBody(requestFlow("http://e.example/up", "POST"), type,
                              multipart("token", "aaa", "file", "content"));
        HttpFlow b = withBody(requestFlow("http://e.example/up", "POST"), type,
                              multipart("token", "bbb", "file", "content"));
        HttpFlow c = withBody(requestFlow("http://e.example/up", "POST"), type,
                              multipart("token", "aaa", "file", "other"));
        QVERIFY(ServerReplay::key(a.request, {}) != ServerReplay::key(b.request, {}));
        Keys keys;
        keys.ignorePayloadParams = {"token"};
        QCOMPARE(ServerReplay::key(a.request, keys), ServerReplay::key(b.request, keys));
        QVERIFY(ServerReplay::key(a.request, keys) != ServerReplay::key(c.request, keys));
        // A quoted boundary parses the same.
        HttpFlow quoted = withBody(requestFlow("http://e.example/up", "POST"),
                                   "multipart/form-data; boundary=\"XyZ\"",
                                   multipart("token", "zzz", "file", "content"));
        QCOMPARE(ServerReplay::key(quoted.request, keys), ServerReplay::key(a.request, keys));
    }

    void consumesInRecordedOrderOrReuses()
    {
        ServerReplay a;
        a.setFlows({recorded("http://e.example/n", "first"),
                    recorded("http://e.example/n", "second"),
                    recorded("http://e.example/other", "other")});
        QCOMPARE(a.count(), 3);
        QVERIFY(a.wantedHooks() & Services::bit(HookKind::Request));
        QCOMPARE(answer(a, "http://e.example/n"), QByteArray("first"));
        QCOMPARE(answer(a, "http://e.example/n"), QByteArray("second"));
        QCOMPARE(answer(a, "http://e.example/n"), QByteArray()); // used up: forwarded
        QCOMPARE(a.count(), 1);
        QCOMPARE(answer(a, "http://e.example/other"), QByteArray("other"));
        QCOMPARE(a.count(), 0);
        QCOMPARE(a.wantedHooks(), quint64(0)); // nothing left: idle

        // A response whose body was streamed (not recorded) cannot answer.
        HttpFlow streamed = recorded("http://e.example/big", "");
        streamed.response->body.streamed = true;
        streamed.response->body.size = 50 << 20;
        QStringList logged;
        a.setLogSink([&](LogLevel, const QString& m) { logged << m; });
        a.setFlows({streamed, recorded("http://e.example/small", "s")});
        QCOMPARE(a.count(), 1);
        QVERIFY2(logged.size() == 1 && logged[0].contains("streamed"),
                 qPrintable(logged.join('|')));

        ServerReplay r;
        QVERIFY(r.configure(optionsWith({"server_replay_reuse=true"})).isEmpty());
        r.setFlows(
            {recorded("http://e.example/n", "first"), recorded("http://e.example/n", "second")});
        for (int i = 0; i < 3; ++i)
            QCOMPARE(answer(r, "http://e.example/n"), QByteArray("first"));
        QCOMPARE(r.count(), 2);
    }

    void replayedResponseIsMarkedAndNew()
    {
        ServerReplay a;
        a.setClock([] { return 5000.0; });
        a.setFlows({recorded("http://e.example/", "hi")});
        HttpFlow f = requestFlow("http://e.example/");
        a.request(f);
        QVERIFY(f.response);
        QVERIFY(f.isServerReplay);
        QVERIFY(!f.isReplay);
        QCOMPARE(f.response->timestampStart, 5000.0);
        QCOMPARE(f.response->timestampEnd, 5000.0);
        QVERIFY(filterOf("~replays").matches(f));
        QVERIFY(!filterOf("~replayq").matches(f));
        QVERIFY(filterOf("~replay").matches(f));
        QVERIFY(!filterOf("~replays").matches(requestFlow("http://e.example/")));

        // A flow answered before (block_list, a script) is left alone.
        a.setFlows({recorded("http://e.example/", "hi")});
        HttpFlow answered = requestFlow("http://e.example/");
        addResponse(answered, 403, "no");
        a.request(answered);
        QCOMPARE(answered.response->statusCode, 403);
        QVERIFY(!answered.isServerReplay);
    }

    void extraModes()
    {
        const QList<HttpFlow> flows{recorded("http://e.example/known", "k")};
        {
            ServerReplay a; // forward (the default): untouched
            a.setFlows(flows);
            HttpFlow f = requestFlow("http://e.example/unknown");
            a.request(f);
            QVERIFY(!f.response);
            QVERIFY(!f.error);
        }
        {
            ServerReplay a;
            QVERIFY(a.configure(optionsWith({"server_replay_extra=kill"})).isEmpty());
            a.setFlows(flows);
            HttpFlow f = requestFlow("http://e.example/unknown");
            a.request(f);
            QVERIFY(!f.response);
            QVERIFY(f.error);
            QCOMPARE(f.error->message, QStringLiteral("Connection killed."));
        }
        {
            ServerReplay a; // the deprecated alias
            QVERIFY(a.configure(optionsWith({"server_replay_kill_extra=true"})).isEmpty());
            a.setFlows(flows);
            HttpFlow f = requestFlow("http://e.example/unknown");
            a.request(f);
            QVERIFY(f.error);
        }
        for (const char* status : {"204", "400", "404", "500"}) {
            ServerReplay a;
            QVERIFY(a.configure(optionsWith({QStringLiteral("server_replay_extra=") +
                                             QLatin1String(status)}))
                        .isEmpty());
            a.setFlows(flows);
            HttpFlow f = requestFlow("http://e.example/unknown");
            a.request(f);
            QVERIFY(f.response);
            QCOMPARE(f.response->statusCode, QByteArray(status).toInt());
            QVERIFY(f.response->body.content.isEmpty());
            QVERIFY(f.isServerReplay);
            // The recorded one is still answered from the recording.
            QCOMPARE(answer(a, "http://e.example/known"), QByteArray("k"));
        }
        QVERIFY(!setError("server_replay_extra=302").isEmpty());
    }

    void refreshMovesDates()
    {
        Response r = Response::make(200, "x");
        r.timestampStart = 1000000000; // 2001-09-09 01:46:40 UTC
        r.headers.add("Date", "Sun, 09 Sep 2001 01:46:40 GMT");
        r.headers.add("Expires", "Sun, 09 Sep 2001 02:46:40 GMT");
        r.headers.add("Last-Modified", "Saturday, 08-Sep-01 01:46:40 GMT"); // RFC 850
        r.headers.add("Set-Cookie", "id=1; Expires=Mon, 10 Sep 2001 01:46:40 GMT; Path=/");
        r.headers.add("Set-Cookie", "bad=2; expires=not a date; Path=/");
        r.headers.add("X-Other", "Sun, 09 Sep 2001 01:46:40 GMT");
        ServerReplay::refresh(r, 1000000000 + 86400 + 3600); // a day and an hour later
        QCOMPARE(r.headers.value("date"), QByteArray("Mon, 10 Sep 2001 02:46:40 GMT"));
        QCOMPARE(r.headers.value("expires"), QByteArray("Mon, 10 Sep 2001 03:46:40 GMT"));
        QCOMPARE(r.headers.value("last-modified"), QByteArray("Sun, 09 Sep 2001 02:46:40 GMT"));
        const QList<QByteArray> cookies = r.headers.values("set-cookie");
        QCOMPARE(cookies.size(), 2);
        QCOMPARE(cookies[0], QByteArray("id=1; Expires=Tue, 11 Sep 2001 02:46:40 GMT; Path=/"));
        QCOMPARE(cookies[1], QByteArray("bad=2; Path=/"));
        QCOMPARE(r.headers.value("x-other"), QByteArray("Sun, 09 Sep 2001 01:46:40 GMT"));

        // Through the addon, and not with server_replay_refresh=false.
        HttpFlow f = recorded("http://e.example/", "x");
        f.response->timestampStart = 1000000000;
        f.response->headers.add("Date", "Sun, 09 Sep 2001 01:46:40 GMT");
        ServerReplay on;
        on.setClock([] { return 1000000060.0; });
        on.setFlows({f});
        HttpFlow g = requestFlow("http://e.example/");
        on.request(g);
        QCOMPARE(g.response->headers.value("date"), QByteArray("Sun, 09 Sep 2001 01:47:40 GMT"));
        ServerReplay off;
        QVERIFY(off.configure(optionsWith({"server_replay_refresh=false"})).isEmpty());
        off.setClock([] { return 1000000060.0; });
        off.setFlows({f});
        HttpFlow h = requestFlow("http://e.example/");
        off.request(h);
        QCOMPARE(h.response->headers.value("date"), QByteArray("Sun, 09 Sep 2001 01:46:40 GMT"));
    }

    void loadsSessionAndHarFilesAndRekeys()
    {
        QTemporaryDir dir;
        const QString session = dir.filePath("rec.spy");
        const QString har = dir.filePath("rec.har");
        QVERIFY(
            SessionWriter::save(session, QList<HttpFlow>{recorded("http://e.example/a?t=1", "A"),
                                                         requestFlow("http://e.example/none")})
                .isEmpty());
        QVERIFY(
            HarWriter::write(har, QList<HttpFlow>{recorded("http://e.example/b", "B")}).isEmpty());

        ServerReplay a;
        QVERIFY(a.configure(optionsWith({"server_replay=" + session, "server_replay=" + har}))
                    .isEmpty());
        QCOMPARE(a.count(), 2); // the flow without a response is not an answer
        QCOMPARE(answer(a, "http://e.example/b"), QByteArray("B"));
        QCOMPARE(answer(a, "http://e.example/a?t=2"), QByteArray());

        // A key option changed at run time re-files what is left, without reloading.
        Options o = optionsWith(
            {"server_replay=" + session, "server_replay=" + har, "server_replay_ignore_params=t"});
        QVERIFY(a.configure(o).isEmpty());
        QCOMPARE(a.count(), 1);
        QCOMPARE(answer(a, "http://e.example/a?t=2"), QByteArray("A"));
        QCOMPARE(a.count(), 0);
        // Configuring again with the same files does not reload them (answers stay used).
        QVERIFY(a.configure(o).isEmpty());
        QCOMPARE(a.count(), 0);
        // A changed file list does.
        QVERIFY(a.configure(optionsWith({"server_replay=" + har})).isEmpty());
        QCOMPARE(a.count(), 1);
        // No files: idle.
        QVERIFY(a.configure(Options{}).isEmpty());
        QCOMPARE(a.count(), 0);
        QCOMPARE(a.wantedHooks(), quint64(0));

        // Errors: one line naming the file, and the recording in force stays.
        QVERIFY(a.configure(optionsWith({"server_replay=" + har})).isEmpty());
        const QString garbage = dir.filePath("garbage.bin");
        {
            QFile f(garbage);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("this is not a session file at all");
        }
        Options bad;
        bad.serverReplay = {garbage};
        const QString err = a.configure(bad);
        QVERIFY(err.startsWith("server_replay: "));
        QVERIFY2(err.contains("garbage.bin"), qPrintable(err));
        QCOMPARE(a.count(), 1);
        QVERIFY(setError("server_replay=" + dir.filePath("missing.spy")).contains("missing.spy"));
    }

    void connectAndClientHelloNeedNoServer()
    {
        ServerReplay a;
        a.setFlows({recorded("https://e.example/x", "X")});
        HttpFlow connect = requestFlow("http://e.example/");
        connect.request.method = "CONNECT";
        connect.request.host = "e.example";
        connect.request.port = 443;
        connect.request.path = "e.example:443";
        a.httpConnect(connect);
        QVERIFY(connect.response);
        QCOMPARE(connect.response->statusCode, 200);

        HttpFlow elsewhere = connect;
        elsewhere.response.reset();
        elsewhere.request.host = "other.example";
        a.httpConnect(elsewhere);
        QVERIFY(!elsewhere.response); // forwarded: the server is opened as usual

        auto hello = std::make_shared<HookData>();
        hello->kind = HookKind::TlsClientHello;
        hello->clientHello = std::make_shared<ClientHelloData>();
        hello->clientHello->server = Address{"e.example", 443};
        QVERIFY(a.run(hello, [] {}));
        QVERIFY(!hello->clientHello->establishServerTlsFirst);
        // An open server connection always gets its TLS first.
        hello->clientHello->establishServerTlsFirst = true;
        hello->clientHello->serverConnected = true;
        QVERIFY(a.run(hello, [] {}));
        QVERIFY(hello->clientHello->establishServerTlsFirst);

        // With an extra mode other than forward every tunnel is answered here.
        QVERIFY(a.configure(optionsWith({"server_replay_extra=404"})).isEmpty());
        a.httpConnect(elsewhere);
        QVERIFY(elsewhere.response);
    }

    void optionsChangeWhileTheProxyRuns()
    {
        int names = 0;
        for (const OptionSpec& spec : OptionRegistry::all()) {
            if (!spec.name.startsWith(QLatin1String("server_replay")))
                continue;
            ++names;
            QVERIFY2(AddonManager::optionNames().contains(spec.name), qPrintable(spec.name));
        }
        QCOMPARE(names, 11);

        QTemporaryDir dir;
        const QString session = dir.filePath("rec.spy");
        QVERIFY(SessionWriter::save(session, QList<HttpFlow>{recorded("http://e.example/", "A")})
                    .isEmpty());
        ProxyEngine engine;
        QString error;
        QVERIFY2(engine.setOption("server_replay", session, &error), qPrintable(error));
        QVERIFY2(engine.setOption("server_replay_extra", "404", &error), qPrintable(error));
        QVERIFY2(engine.setOption("server_replay_ignore_params", "t", &error), qPrintable(error));
        QCOMPARE(engine.options().serverReplay, QStringList{session});
        QCOMPARE(engine.options().serverReplayExtra, QStringLiteral("404"));
        QVERIFY(!engine.setOption("server_replay", dir.filePath("missing.spy"), &error));
        QVERIFY2(error.contains("missing.spy"), qPrintable(error));
        QCOMPARE(engine.options().serverReplay, QStringList{session});
        QVERIFY(engine.setOption("server_replay", "", &error)); // empties the list
        QVERIFY(engine.options().serverReplay.isEmpty());
    }

    void concurrentConsumersTakeEachAnswerOnce()
    {
        ServerReplay a;
        QList<HttpFlow> flows;
        for (int i = 0; i < 400; ++i)
            flows.append(recorded("http://e.example/same", QByteArray::number(i)));
        a.setFlows(flows);
        std::vector<QByteArray> got[4];
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&, t] {
                for (int i = 0; i < 100; ++i)
                    got[t].push_back(answer(a, "http://e.example/same"));
            });
        for (auto& t : threads)
            t.join();
        QSet<QByteArray> all;
        for (const auto& g : got) {
            QList<int> numbers; // each thread sees the recording's order
            for (const QByteArray& b : g)
                numbers.append(b.toInt());
            QVERIFY(std::is_sorted(numbers.begin(), numbers.end()));
            for (const QByteArray& b : g)
                all.insert(b);
        }
        QCOMPARE(all.size(), 400);
        QCOMPARE(a.count(), 0);
    }
};

QTEST_GUILESS_MAIN(ServerReplayTest)
#include "server_replay_test.moc"

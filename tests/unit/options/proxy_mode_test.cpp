#include "options/option_registry.h"
#include "options/proxy_mode.h"

#include <QtTest>

using namespace spyglass;

class ProxyModeTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void regularAndSocks()
    {
        QString error;
        auto m = ProxyMode::parse("regular", &error);
        QVERIFY2(m, qPrintable(error));
        QCOMPARE(m->kind, ProxyMode::Kind::Regular);
        QVERIFY(!m->listenPort);
        QCOMPARE(m->effectivePort(8080), 8080);
        m = ProxyMode::parse("socks5@1080", &error);
        QVERIFY2(m, qPrintable(error));
        QCOMPARE(m->kind, ProxyMode::Kind::Socks5);
        QCOMPARE(m->effectivePort(8080), 1080);
        QCOMPARE(m->kindName(), QString("socks5"));
    }
    void reverse()
    {
        QString error;
        auto m = ProxyMode::parse("reverse:https://example.com:8443@9000", &error);
        QVERIFY2(m, qPrintable(error));
        QCOMPARE(m->kind, ProxyMode::Kind::Reverse);
        QCOMPARE(m->scheme, QByteArray("https"));
        QCOMPARE(m->host, QByteArray("example.com"));
        QCOMPARE(m->port, quint16(8443));
        QCOMPARE(m->listenPort, std::optional<quint16>(9000));
        QVERIFY(m->serverTls());
        QVERIFY(m->reverseHttp());
        m = ProxyMode::parse("reverse:http://127.0.0.1", &error);
        QVERIFY2(m, qPrintable(error));
        QCOMPARE(m->port, quint16(80));
        QVERIFY(!m->serverTls());
        m = ProxyMode::parse("reverse:https://bücher.example", &error);
        QVERIFY2(m, qPrintable(error));
        QCOMPARE(m->host, QByteArray("xn--bcher-kva.example"));
        QCOMPARE(m->port, quint16(443));
        m = ProxyMode::parse("reverse:tls://db.local:5432", &error);
        QVERIFY2(m, qPrintable(error));
        QVERIFY(m->serverTls());
        QVERIFY(!m->reverseHttp());
    }
    void upstream()
    {
        QString error;
        auto m = ProxyMode::parse("upstream:http://proxy.local:3128", &error);
        QVERIFY2(m, qPrintable(error));
        QCOMPARE(m->kind, ProxyMode::Kind::Upstream);
        QCOMPARE(m->host, QByteArray("proxy.local"));
        QCOMPARE(m->port, quint16(3128));
        QVERIFY(m->upstreamHttp());
        QVERIFY(!m->serverTls());
        m = ProxyMode::parse("upstream:http://proxy.local", &error);
        QVERIFY2(m, qPrintable(error));
        QCOMPARE(m->port, quint16(8080));
        m = ProxyMode::parse("upstream:https://proxy.local@9000", &error);
        QVERIFY2(m, qPrintable(error));
        QCOMPARE(m->port, quint16(443));
        QVERIFY(m->serverTls());
        QVERIFY(m->upstreamHttp());
        QCOMPARE(m->listenPort, std::optional<quint16>(9000));
        m = ProxyMode::parse("upstream:socks5://127.0.0.1", &error);
        QVERIFY2(m, qPrintable(error));
        QCOMPARE(m->scheme, QByteArray("socks5"));
        QCOMPARE(m->host, QByteArray("127.0.0.1"));
        QCOMPARE(m->port, quint16(1080));
        QVERIFY(!m->upstreamHttp());
        QVERIFY(!m->serverTls());
        m = ProxyMode::parse("upstream:SOCKS5://[::1]:1081", &error);
        QVERIFY2(m, qPrintable(error));
        QCOMPARE(m->host, QByteArray("::1"));
        QCOMPARE(m->port, quint16(1081));
        // Reverse mode has no socks5 target; upstream has no tcp/tls parent.
        QVERIFY(!ProxyMode::parse("reverse:socks5://x.com:1080", &error));
        QVERIFY(!ProxyMode::parse("upstream:tcp://x.com:1", &error));
        QVERIFY2(error.contains("use one of http, https, socks5"), qPrintable(error));
    }
    void transparent()
    {
        QString error;
        auto m = ProxyMode::parse("transparent@9000", &error);
        if (!ProxyMode::transparentSupported()) {
            QVERIFY(!m);
            QVERIFY2(error.contains("needs Linux"), qPrintable(error));
            return;
        }
        QVERIFY2(m, qPrintable(error));
        QCOMPARE(m->kind, ProxyMode::Kind::Transparent);
        QCOMPARE(m->kindName(), QString("transparent"));
        QCOMPARE(m->effectivePort(8080), 9000);
        m = ProxyMode::parse("Transparent", &error);
        QVERIFY2(m, qPrintable(error));
        QCOMPARE(m->effectivePort(8080), 8080);
        QCOMPARE(checkModes({"regular", "transparent@8081"}, 8080), QString());
        QVERIFY(checkModes({"regular", "transparent"}, 8080).contains("both listen on port"));
        QVERIFY(!ProxyMode::parse("sideways", &error));
        QVERIFY2(error.contains("transparent"), qPrintable(error)); // listed as available
    }
    void badSpecs_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << ""
                               << "empty";
        QTest::newRow("unknown") << "sideways"
                                 << "unknown mode 'sideways'";
        QTest::newRow("wireguard") << "wireguard"
                                   << "not supported in this version";
        QTest::newRow("transparent with data") << "transparent:x"
                                               << "takes no argument";
        QTest::newRow("no url") << "reverse"
                                << "needs a URL";
        QTest::newRow("not a url") << "reverse:example.com"
                                   << "SCHEME://HOST";
        QTest::newRow("bad scheme") << "reverse:ftp://x.com"
                                    << "scheme 'ftp'";
        QTest::newRow("socks4 upstream") << "upstream:socks4://x.com:1080"
                                         << "scheme 'socks4'";
        QTest::newRow("tcp without port") << "reverse:tcp://x.com"
                                          << "needs a port";
        QTest::newRow("path") << "reverse:http://x.com/api"
                              << "path";
        QTest::newRow("bad listen port") << "regular@99999"
                                         << "not a listen port";
        QTest::newRow("listen port text") << "regular@abc"
                                          << "not a listen port";
        QTest::newRow("regular with data") << "regular:x"
                                           << "takes no argument";
    }
    void badSpecs()
    {
        QFETCH(QString, spec);
        QFETCH(QString, message);
        QString error;
        QVERIFY(!ProxyMode::parse(spec, &error));
        QVERIFY2(error.contains(message), qPrintable(error));
        QVERIFY2(error.startsWith("invalid mode"), qPrintable(error));
    }
    void checkModesRejectsSharedPorts()
    {
        std::vector<ProxyMode> modes;
        QCOMPARE(checkModes({"regular", "reverse:tcp://db:5432@1080", "reverse:http://a.com@9000"},
                            8080, &modes),
                 QString());
        QCOMPARE(modes.size(), size_t(3));
        QVERIFY(
            checkModes({"regular", "reverse:http://a"}, 8080).contains("both listen on port 8080"));
        QVERIFY(checkModes({"regular@9000", "reverse:http://a@9000"}, 8080).contains("9000"));
        QCOMPARE(checkModes({"regular", "reverse:http://a"}, 0), QString()); // any free port, twice
        QVERIFY(!checkModes({}, 8080).isEmpty());
        QCOMPARE(checkModes({"upstream:http://p:3128", "upstream:socks5://p@9000"}, 8080, &modes),
                 QString());
        QCOMPARE(modes.at(1).kind, ProxyMode::Kind::Upstream);
    }
    void registryReplacesTheDefaultThenAppends()
    {
        Options o;
        QCOMPARE(o.mode, QStringList{"regular"});
        QCOMPARE(OptionRegistry::apply(o, "mode=socks5@1080"), QString());
        QCOMPARE(o.mode, QStringList{"socks5@1080"});
        QCOMPARE(OptionRegistry::apply(o, "mode=regular"), QString());
        QCOMPARE(o.mode, (QStringList{"socks5@1080", "regular"}));
        QVERIFY(OptionRegistry::apply(o, "mode=wireguard").startsWith("mode: invalid mode"));
    }
    void authOptions()
    {
        Options o;
        QCOMPARE(OptionRegistry::apply(o, "proxyauth=alice:secret"), QString());
        QCOMPARE(o.proxyauth, QString("alice:secret"));
        QVERIFY(OptionRegistry::apply(o, "proxyauth=@/nonexistent/htpasswd")
                    .contains("cannot read the htpasswd file"));
        QVERIFY(OptionRegistry::apply(o, "proxyauth=nocolon").contains("username:password"));
        QCOMPARE(OptionRegistry::apply(o, "proxyauth=any"), QString());
        QCOMPARE(OptionRegistry::apply(o, "upstream_auth=u:p:with:colons"), QString());
        QCOMPARE(o.upstreamAuth, QString("u:p:with:colons"));
        QVERIFY(OptionRegistry::apply(o, "upstream_auth=nocolon").contains("username:password"));
        QCOMPARE(OptionRegistry::apply(o, "upstream_auth="), QString());
        QVERIFY(o.upstreamAuth.isEmpty());
        QCOMPARE(OptionRegistry::apply(o, "keep_host_header=true"), QString());
        QVERIFY(o.keepHostHeader);
    }
};

QTEST_GUILESS_MAIN(ProxyModeTest)
#include "proxy_mode_test.moc"

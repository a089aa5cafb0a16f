// The filter language on raw TCP flows, as mitmproxy's flowfilter treats a TCPFlow: ~tcp
// matches and ~http does not; ~b / ~bq / ~bs search the messages (any / the client's / the
// server's); HTTP-only operators (~q, ~u, ~m, ~d) never match; ~src, ~dst, ~e, ~all do.
#include "filter/filter.h"
#include "filter_flows.h"

#include <QtTest>

using namespace spyglass;
using namespace spyglass::filter;
using namespace spyglass::test;

namespace {

HttpFlow tcpFlow()
{
    HttpFlow f;
    f.kind = FlowKind::Tcp;
    f.live = false;
    f.client.peer = {"127.0.0.1", 5000};
    f.server.peer = {"10.1.2.3", 25};
    auto d = std::make_shared<TcpData>();
    d->messages.push_back({false, "220 smtp.example ESMTP\r\n", 1.0});
    d->messages.push_back({true, "MAIL FROM:<alice@example.com>\r\n", 2.0});
    d->messages.push_back({false, "250 OK\r\n", 3.0});
    d->timestampEnd = 4.0;
    f.tcp = d;
    return f;
}

} // namespace

class TcpFilterTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void operators_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<bool>("onTcp");
        QTest::addColumn<bool>("onHttp");
        QTest::newRow("~tcp") << "~tcp" << true << false;
        QTest::newRow("~http") << "~http" << false << true;
        QTest::newRow("!~tcp") << "!~tcp" << false << true;
        QTest::newRow("~all") << "~all" << true << true;
        QTest::newRow("~b either side") << "~b alice" << true << false;
        QTest::newRow("~b server side") << "~b ESMTP" << true << false;
        QTest::newRow("~bq client") << "~bq alice" << true << false;
        QTest::newRow("~bq not server") << "~bq ESMTP" << false << false;
        QTest::newRow("~bs server") << "~bs '250 OK'" << true << false;
        QTest::newRow("~bs not client") << "~bs alice" << false << false;
        QTest::newRow("~b across messages does not join") << "~b 'ESMTP.*MAIL'" << false << false;
        QTest::newRow("~b http body") << "~b true" << false << true;
        QTest::newRow("~q http only") << "~q" << false << false;
        QTest::newRow("~s") << "~s" << false << true;
        QTest::newRow("~u") << "~u ." << false << true;
        QTest::newRow("bare regex is ~u") << "." << false << true;
        QTest::newRow("~m") << "~m ." << false << true;
        QTest::newRow("~d") << "~d ." << false << true;
        QTest::newRow("~dst") << "~dst 10.1.2.3:25" << true << false;
        QTest::newRow("~src") << "~src 127.0.0.1:5000" << true << false;
        QTest::newRow("~e") << "~e" << false << false;
        QTest::newRow("~tcp & ~bs 220") << "~tcp & ~bs 220" << true << false;
    }

    void operators()
    {
        QFETCH(QString, expression);
        QFETCH(bool, onTcp);
        QFETCH(bool, onHttp);
        auto r = Filter::parse(expression);
        QVERIFY2(std::holds_alternative<Filter>(r), qPrintable(expression));
        const Filter f = std::get<Filter>(r);
        QCOMPARE(f.matches(tcpFlow()), onTcp);
        QCOMPARE(f.matches(filterFlows()["get"]), onHttp);
    }

    void errorMatchesTcpToo()
    {
        HttpFlow f = tcpFlow();
        f.error = FlowError{QStringLiteral("connection refused"), 5.0};
        QVERIFY(std::get<Filter>(Filter::parse(u"~e & ~tcp")).matches(f));
    }

    void tcpWithoutDataMatchesNoBody()
    {
        HttpFlow f = tcpFlow();
        f.tcp.reset();
        QVERIFY(!std::get<Filter>(Filter::parse(u"~b .")).matches(f));
        QVERIFY(std::get<Filter>(Filter::parse(u"~tcp")).matches(f));
    }
};

QTEST_GUILESS_MAIN(TcpFilterTest)
#include "tcp_filter_test.moc"

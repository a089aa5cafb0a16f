#include "options/option_registry.h"

#include <QtTest>

using namespace spyglass;

class OptionRegistryTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sizes()
    {
        QCOMPARE(parseSize("10m"), std::optional<qint64>(10 * 1024 * 1024));
        QCOMPARE(parseSize("3K"), std::optional<qint64>(3072));
        QCOMPARE(parseSize("1gb"), std::optional<qint64>(1024LL * 1024 * 1024));
        QCOMPARE(parseSize("123"), std::optional<qint64>(123));
        QVERIFY(!parseSize("ten"));
        QVERIFY(!parseSize("-1m"));
        QCOMPARE(formatSize(10 * 1024 * 1024), QString("10m"));
    }
    void setParsesTypes()
    {
        Options o;
        QCOMPARE(OptionRegistry::apply(o, "ssl_insecure=true"), QString());
        QVERIFY(o.sslInsecure);
        QCOMPARE(OptionRegistry::apply(o, "ssl_insecure"), QString());
        QCOMPARE(OptionRegistry::apply(o, "stream_large_bodies=1k"), QString());
        QCOMPARE(o.streamLargeBodies, std::optional<qint64>(1024));
        QCOMPARE(OptionRegistry::apply(o, "stream_large_bodies="), QString());
        QVERIFY(!o.streamLargeBodies);
        QCOMPARE(OptionRegistry::apply(o, "tcp_timeout=5"), QString());
        QCOMPARE(o.tcpTimeout, 5);
        QCOMPARE(OptionRegistry::apply(o, "ignore_hosts=a\\.com"), QString());
        QCOMPARE(OptionRegistry::apply(o, "ignore_hosts=b\\.com:443"), QString());
        QCOMPARE(o.ignoreHosts.size(), 2);
    }
    void badValuesAreErrors()
    {
        Options o;
        QVERIFY(OptionRegistry::apply(o, "nope=1").contains("unknown option 'nope'"));
        QVERIFY(OptionRegistry::apply(o, "ssl_insecure=maybe").startsWith("ssl_insecure:"));
        QVERIFY(!OptionRegistry::apply(o, "tcp_timeout=abc").isEmpty());
        QVERIFY(!OptionRegistry::apply(o, "connection_strategy=sometimes").isEmpty());
        QVERIFY(!OptionRegistry::apply(o, "ignore_hosts=(").isEmpty());
        QVERIFY(!OptionRegistry::apply(o, "tcp_timeout").isEmpty());
    }
    void listingNamesEveryOption()
    {
        const QString text = OptionRegistry::describeAll(Options{});
        for (const auto& s : OptionRegistry::all())
            QVERIFY2(text.contains(s.name), qPrintable(s.name));
        QVERIFY(text.contains("stream_large_bodies (size, default: 10m)"));
    }
};

QTEST_GUILESS_MAIN(OptionRegistryTest)
#include "option_registry_test.moc"

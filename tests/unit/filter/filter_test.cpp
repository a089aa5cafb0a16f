// Filter: every operator matching and not matching, precedence, case-insensitivity, encoded
// bodies, the documentation, threads, and a large run checked against counts made by hand.

#include "filter/filter.h"
#include "filter_flows.h"

#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QThread>
#include <QtTest>

using namespace spyglass;
using namespace spyglass::filter;
using namespace spyglass::test;

namespace {

Filter parsed(const QString& expression)
{
    auto r = Filter::parse(expression);
    if (const ParseError* e = std::get_if<ParseError>(&r))
        qFatal("'%s' does not parse: %s", qPrintable(expression), qPrintable(e->message));
    return std::get<Filter>(r);
}

// The operator names an expression uses, for the coverage check.
QSet<QString> operatorsIn(const QString& expression)
{
    QSet<QString> out;
    static const QRegularExpression re(QStringLiteral("~[a-z]+"));
    for (const auto& m : re.globalMatch(expression))
        out.insert(m.captured());
    return out;
}

} // namespace

class FilterTest : public QObject
{
    Q_OBJECT

    QMap<QString, HttpFlow> m_flows = filterFlows();
    QSet<QString> m_tested;

private Q_SLOTS:
    void operators_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("flow");
        QTest::addColumn<bool>("expected");
        struct Row
        {
            const char* expression;
            const char* flow;
            bool expected;
        };
        const Row rows[] = {
            {"~all", "get", true},
            {"~all", "pending", true},
            {"!~all", "get", false},

            {"~a", "css", true},
            {"~a", "js", true},
            {"~a", "xjs", true},
            {"~a", "textjs", true},
            {"~a", "png", true},
            {"~a", "font", true},
            {"~a", "appfont", true},
            {"~a", "html", false},
            {"~a", "get", false},
            {"~a", "pending", false},

            {"~b hunter2", "post", true},    // request body
            {"~b 'Not here'", "post", true}, // response body
            {"~b hunter2", "get", false},
            {"~b 'secret payload, decoded'", "gzip", true},
            {"~b 'secret payload, decoded'", "deflate", true},
            {"~b 'secret payload, decoded'", "br", true},
            {"~b 'secret payload, decoded'", "zstd", true},
            {"~b 'secret payload, decoded'", "stacked", true},
            {"~b 'secret \\w+, decoded$'", "zstd", true}, // the regex path on a decoded body
            {"~b 'as it travelled'", "damaged", true},    // not decodable: matched as it is
            {"~b 'uploaded secret'", "gzipRequest", true},
            {"~b payload", "streamed", false},
            {"~bs ''", "streamed", false}, // not recorded: not even the empty regex
            {"~bq ''", "streamed", true},  // an empty request body was recorded
            {"~b ''", "get", true},
            {"~bq hunter2", "post", true},
            {"~bq 'Not here'", "post", false},
            {"~bq 'uploaded secret'", "gzipRequest", true},
            {"~bs 'Not here'", "post", true},
            {"~bs hunter2", "post", false},
            {"~bs .", "pending", false},

            {"~c 200", "get", true},
            {"~c 404", "post", true},
            {"~c 200", "post", false},
            {"~c 200", "pending", false},
            {"~c 101", "ws", true},

            {"~comment later", "post", true},
            {"~comment '^later$'", "post", true},     // ^ and $ at each line
            {"~comment 'this.later'", "post", false}, // '.' does not cross lines
            {"~comment .", "get", false},

            {"~d example.com", "get", true},
            {"~d '^example\\.com$'", "get", true},
            {"~d api.test", "post", true},
            {"~d 'api.test:8080'", "post", true}, // the Host header
            {"~d example.com", "post", false},
            {"~d bücher", "idn", true},        // shown in Unicode
            {"~d xn--bcher-kva", "idn", true}, // travels in IDNA
            {"~d '^bücher\\.example$'", "idn", true},

            {"~dst 93.184.216.34:443", "get", true},
            {"~dst ':443$'", "get", true},
            {"~dst '^10\\.0\\.0\\.7:8080$'", "post", true},
            {"~dst 10.0.0.7", "get", false},
            {"~dst '\\[2001:db8::1\\]:443'", "ipv6", true},
            {"~dst ''", "pending", false}, // no server address

            {"~e", "pending", true},
            {"~e", "get", false},

            {"~h 'user-agent: curl'", "get", true},
            {"~h 'content-type: text/html'", "post", true}, // in the response
            {"~h '^accept: \\*/\\*$'", "get", true},
            {"~h nginx", "get", true},
            {"~h nosuchthing", "get", false},
            {"~hq curl", "get", true},
            {"~hq nginx", "get", false},
            {"~hs nginx", "get", true},
            {"~hs curl", "get", false},
            {"~hs .", "pending", false},

            {"~http", "get", true},
            {"~http", "pending", true},
            {"~tcp", "get", false},
            {"~udp", "get", false},
            {"~dns", "get", false},

            {"~m POST", "post", true},
            {"~m '^GET$'", "get", true},
            {"~m POST", "get", false},
            {"~m CONNECT", "connect", true},

            {"~marked", "post", true},
            {"~marked", "get", false},
            {"~marker star", "post", true},
            {"~marker '^:star:$'", "post", true},
            {"~marker .", "get", false},
            {"~marker heart", "post", false},

            {"~meta ''", "get", true}, // no metadata yet: only what matches nothing does
            {"~meta .", "get", false},

            {"~q", "pending", true},
            {"~q", "get", false},
            {"~s", "get", true},
            {"~s", "pending", false},

            {"~replay", "post", true},
            {"~replay", "get", false},
            {"~replayq", "post", true},
            {"~replayq", "get", false},
            {"~replays", "post", false},
            {"~replays", "get", false},

            {"~src 192.168.1.5:50123", "get", true},
            {"~src '^192\\.168\\.'", "get", true},
            {"~src 10.9", "get", false},
            {"~src '^\\[::1\\]:5000$'", "ipv6", true},

            {"~t json", "get", true},
            {"~t form", "post", true}, // the request's
            {"~t html", "post", true}, // the response's
            {"~t xml", "get", false},
            {"~tq form", "post", true},
            {"~tq html", "post", false},
            {"~ts html", "post", true},
            {"~ts form", "post", false},
            {"~ts .", "pending", false},

            {"~u /api/items", "get", true},
            {"~u '^https://example\\.com/api/items\\?q=1$'", "get", true},
            {"~u '^http://api\\.test:8080/login$'", "post", true}, // port not the default
            {"~u '^example\\.com:443$'", "connect", true},         // CONNECT: host:port
            {"~u '^https://\\[2001:db8::1\\]/v6$'", "ipv6", true},
            {"~u nothing", "get", false},
            {"items", "get", true}, // a bare regex is ~u
            {"'^https://'", "get", true},
            {"'^https://'", "post", false},

            {"~websocket", "ws", true},
            {"~websocket", "h2c", false},
            {"~websocket", "wsRefused", false},
            {"~websocket", "get", false},
        };
        for (const Row& r : rows)
            QTest::addRow("%s on %s", r.expression, r.flow)
                << QString::fromUtf8(r.expression) << QString::fromUtf8(r.flow) << r.expected;
    }

    void operators()
    {
        QFETCH(QString, expression);
        QFETCH(QString, flow);
        QFETCH(bool, expected);
        QVERIFY2(m_flows.contains(flow), qPrintable(flow));
        QCOMPARE(parsed(expression).matches(m_flows[flow]), expected);
        // The negation says the opposite, always.
        QCOMPARE(parsed("!(" + expression + ")").matches(m_flows[flow]), !expected);
        m_tested += operatorsIn(expression);
    }

    void everyOperatorIsTested()
    {
        QSet<QString> missing;
        for (const OperatorHelp& op : Filter::operators())
            if (!m_tested.contains(op.name))
                missing.insert(op.name);
        QVERIFY2(missing.isEmpty(), qPrintable(QStringList(missing.values()).join(", ")));
    }

    void caseInsensitive_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("flow");
        const std::pair<const char*, const char*> rows[] = {
            {"~m post", "post"},
            {"~u /API/ITEMS", "get"},
            {"~h USER-AGENT", "get"},
            {"~d EXAMPLE.COM", "get"},
            {"~t JSON", "get"},
            {"~b HUNTER2", "post"},
            {"~b ZOË", "get"},
            {"~comment LATER", "post"},
            {"~marker STAR", "post"},
            {"~hs '^SERVER: NGINX$'", "get"},
            {"~bs 'NOT\\sHERE'", "post"},
            {"~d BÜCHER", "idn"},
        };
        for (const auto& [e, flow] : rows)
            QTest::newRow(e) << QString::fromUtf8(e) << QString::fromUtf8(flow);
    }

    void caseInsensitive()
    {
        QFETCH(QString, expression);
        QFETCH(QString, flow);
        QVERIFY(parsed(expression).matches(m_flows[flow]));
    }

    void precedence_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("flow");
        QTest::addColumn<bool>("expected");
        // get: GET, 200, not marked. post: POST, 404, marked. pending: GET, no response.
        QTest::newRow("! before &") << "!~s & ~e"
                                    << "pending" << true;
        QTest::newRow("! only the next") << "!~q & ~s"
                                         << "get" << true;
        QTest::newRow("& before |") << "~m POST | ~m GET & ~c 404"
                                    << "get" << false;
        QTest::newRow("& before | (2)") << "~m POST | ~m GET & ~c 404"
                                        << "post" << true;
        QTest::newRow("& before | (3)") << "~c 404 & ~m GET | ~marked"
                                        << "post" << true;
        QTest::newRow("parentheses") << "(~m POST | ~m GET) & ~c 404"
                                     << "get" << false;
        QTest::newRow("! of a group") << "!(~m POST | ~c 200)"
                                      << "get" << false;
        QTest::newRow("!!") << "!!~s"
                            << "get" << true;
        // Juxtaposition is AND at the lowest precedence: ~m GET (~c 404 | ~c 200).
        QTest::newRow("juxtaposition below |") << "~m GET ~c 404 | ~c 200"
                                               << "get" << true;
        QTest::newRow("juxtaposition below | (2)") << "~m GET ~c 404 | ~c 200"
                                                   << "post" << false;
        QTest::newRow("juxtaposition") << "~m POST ~marked ~c 404"
                                       << "post" << true;
        QTest::newRow("juxtaposition fails") << "~m POST ~marked ~c 200"
                                             << "post" << false;
        QTest::newRow("bare words") << "example com"
                                    << "get" << true;
        QTest::newRow("bare words fail") << "example nothing"
                                         << "get" << false;
        QTest::newRow("no spaces") << "!~q&~c 404|~e"
                                   << "post" << true;
        QTest::newRow("regex alternation") << "~m GET|POST"
                                           << "post" << true;
        QTest::newRow("~c then |") << "~c 500|~c 404"
                                   << "post" << true;
        QTest::newRow("group in juxtaposition") << "~s (~c 200 ~m GET)"
                                                << "get" << true;
        QTest::newRow("nested") << "((~s & (!~e)) | ~q) & !(~marked)"
                                << "get" << true;
        QTest::newRow("nested (2)") << "((~s & (!~e)) | ~q) & !(~marked)"
                                    << "post" << false;
    }

    void precedence()
    {
        QFETCH(QString, expression);
        QFETCH(QString, flow);
        QFETCH(bool, expected);
        QCOMPARE(parsed(expression).matches(m_flows[flow]), expected);
    }

    void decodedBodiesHaveACap()
    {
        // Decoded, the body is larger than the cap: it is matched as it travelled, so what only
        // the decoded text holds is not found; below the cap it is.
        for (const qsizetype zeros : {qsizetype(1) << 20, qsizetype(33) << 20}) {
            HttpFlow f = encodedFlow("gzip", "needle" + QByteArray(zeros, '\0'));
            QVERIFY(f.response->body.content.size() < 100000);
            QCOMPARE(parsed("~bs needle").matches(f), zeros < (qsizetype(32) << 20));
        }
    }

    void defaultAndExpression()
    {
        const Filter all;
        QVERIFY(all.expression().isEmpty());
        for (const HttpFlow& f : std::as_const(m_flows))
            QVERIFY(all.matches(f));
        const Filter f = parsed("  ~m POST  ");
        QCOMPARE(f.expression(), QStringLiteral("  ~m POST  "));
        const Filter copy = f; // shares the tree
        QVERIFY(copy.matches(m_flows["post"]));
        QVERIFY(!copy.matches(m_flows["get"]));
    }

    void operatorList()
    {
        const QList<OperatorHelp> ops = Filter::operators();
        QStringList names;
        for (const OperatorHelp& op : ops) {
            names << op.name;
            QVERIFY(op.name.startsWith('~'));
            QVERIFY2(op.help.size() > 8, qPrintable(op.name));
            QVERIFY(op.argument.isEmpty() || op.argument == "regex" || op.argument == "code");
            QCOMPARE(op.takesArgument(), !op.argument.isEmpty());
            // Each parses: with an argument when it takes one.
            const QString e = op.name + (op.argument == "code" ? " 200"
                                         : op.takesArgument()  ? " x"
                                                               : "");
            QVERIFY2(std::holds_alternative<Filter>(Filter::parse(e)), qPrintable(e));
        }
        QStringList sorted = names;
        std::sort(sorted.begin(), sorted.end());
        QCOMPARE(names, sorted);
        for (const char* n :
             {"~a",      "~all",  "~b",  "~bq",     "~bs",      "~c",        "~comment", "~d",
              "~dst",    "~e",    "~h",  "~hq",     "~hs",      "~http",     "~m",       "~marked",
              "~marker", "~meta", "~q",  "~replay", "~replayq", "~replays",  "~s",       "~src",
              "~t",      "~tcp",  "~tq", "~ts",     "~u",       "~websocket"})
            QVERIFY2(names.contains(QLatin1StringView(n)), n);
        QCOMPARE(ops[names.indexOf("~c")].argument, QStringLiteral("code"));
        QCOMPARE(ops[names.indexOf("~u")].argument, QStringLiteral("regex"));
        QCOMPARE(ops[names.indexOf("~s")].argument, QString());
    }

    void documentationNamesEveryOperator()
    {
        const QString dir = qEnvironmentVariable("SPYGLASS_SOURCE_DIR");
        QVERIFY2(!dir.isEmpty(), "SPYGLASS_SOURCE_DIR is not set");
        QFile doc(dir + "/docs/filters.md");
        QVERIFY2(doc.open(QIODevice::ReadOnly), qPrintable(doc.fileName()));
        const QString text = QString::fromUtf8(doc.readAll());
        for (const OperatorHelp& op : Filter::operators()) {
            // A row of the operator table: | `~name regex` | ... or | `~name` | ...
            const QString row =
                "| `" + op.name + (op.takesArgument() ? " " + op.argument : "") + "`";
            QVERIFY2(text.contains(row), qPrintable(row));
        }
    }

    void threadsShareOneFilter()
    {
        const Filter f = parsed("~b secret | ~h 'user-agent: curl' & !~c 404 | ~u '\\d+$'");
        const QList<HttpFlow> flows = m_flows.values();
        QList<bool> expected;
        for (const HttpFlow& fl : flows)
            expected << f.matches(fl);
        QAtomicInt mismatches = 0;
        QList<QThread*> threads;
        for (int t = 0; t < 4; ++t) {
            threads << QThread::create([&] {
                for (int round = 0; round < 300; ++round)
                    for (qsizetype i = 0; i < flows.size(); ++i)
                        if (f.matches(flows[i]) != expected[i])
                            mismatches.ref();
            });
            threads.last()->start();
        }
        for (QThread* t : threads) {
            QVERIFY(t->wait(60000));
            delete t;
        }
        QCOMPARE(mismatches.loadRelaxed(), 0);
    }

    // Not a timing test: a run over many flows, as the window's filter bar does, that must
    // give exactly the counts worked out from how the flows were made.
    void manyFlows()
    {
        constexpr int n = 100000;
        QList<HttpFlow> flows;
        flows.reserve(n);
        for (int i = 0; i < n; ++i) {
            HttpFlow f = makeGet(i % 2 ? "https" : "http", i % 3 ? "example.com" : "api.test",
                                 i % 2 ? 443 : 80, "/item/" + QByteArray::number(i));
            if (i % 5 == 0)
                f.request.method = "POST";
            if (i % 7 != 0)
                f.response =
                    makeResponse(i % 11 == 0 ? 404 : 200, "X", {{"Content-Type", "text/plain"}},
                                 "body " + QByteArray::number(i % 13));
            flows.append(std::move(f));
        }
        auto count = [&](const QString& e) {
            const Filter f = parsed(e);
            int c = 0;
            for (const HttpFlow& fl : flows)
                c += f.matches(fl);
            return c;
        };
        auto expect = [&](auto pred) {
            int c = 0;
            for (int i = 0; i < n; ++i)
                c += pred(i);
            return c;
        };
        QCOMPARE(count("~m POST"), expect([](int i) { return i % 5 == 0; }));
        QCOMPARE(count("~s & ~c 404"), expect([](int i) { return i % 7 && i % 11 == 0; }));
        QCOMPARE(count("~q"), expect([](int i) { return i % 7 == 0; }));
        QCOMPARE(count("~d api.test & !~m post"),
                 expect([](int i) { return i % 3 == 0 && i % 5 != 0; }));
        QCOMPARE(count("~u 'https://example\\.com/item/\\d*7$'"),
                 expect([](int i) { return i % 2 && i % 3 && i % 10 == 7; }));
        QCOMPARE(count("~bs 'body 12'"), expect([](int i) { return i % 7 && i % 13 == 12; }));
        QCOMPARE(count("~h 'host: example'"), expect([](int i) { return i % 3 != 0; }));
    }
};

QTEST_GUILESS_MAIN(FilterTest)
#include "filter_test.moc"

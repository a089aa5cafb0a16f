// FilterParser: the tree each expression becomes (precedence, juxtaposition, quoting), every
// error with its position, and random input that must never crash or hang the parser.

#include "filter/filter.h"
#include "filter/filter_parser.h"
#include "filter_flows.h"

#include <QRandomGenerator>
#include <QtTest>

using namespace spyglass;
using namespace spyglass::filter;

namespace {

QString name(NodeKind kind)
{
    for (const OperatorSpec& op : operatorSpecs())
        if (op.kind == kind)
            return QLatin1Char('~') + QLatin1StringView(op.name);
    return QStringLiteral("?");
}

// The tree as an S-expression: (and ~s (or ~u:a ~c:200)).
QString dump(const Node& n)
{
    QString head;
    switch (n.kind) {
    case NodeKind::And:
        head = QStringLiteral("and");
        break;
    case NodeKind::Or:
        head = QStringLiteral("or");
        break;
    case NodeKind::Not:
        head = QStringLiteral("not");
        break;
    case NodeKind::Code:
        return name(n.kind) + ':' + QString::number(n.statusCode);
    default: {
        const OperatorSpec* op = findOperator(name(n.kind).mid(1));
        if (op && op->argument == Argument::Regex)
            return name(n.kind) + ':' + n.pattern.pattern();
        return name(n.kind);
    }
    }
    QStringList parts{head};
    for (const Node& c : n.children)
        parts << dump(c);
    return '(' + parts.join(' ') + ')';
}

QString tree(const QString& expression)
{
    auto r = FilterParser::parse(expression);
    if (const ParseError* e = std::get_if<ParseError>(&r))
        return QStringLiteral("error ") + e->message;
    return dump(std::get<Node>(r));
}

} // namespace

class FilterParserTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void trees_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("tree");
        const std::pair<const char*, const char*> rows[] = {
            {"~s", "~s"},
            {"  ~s  ", "~s"},
            {"~c 200", "~c:200"},
            {"~c200", "error at 0: unknown operator ~c200"},
            {"~c\t404", "~c:404"},
            {"~u foo", "~u:foo"},
            {"foo", "~u:foo"},
            {"~ufoo", "error at 0: unknown operator ~ufoo"},
            {"~u/api", "~u:/api"},
            {"!~s", "(not ~s)"},
            {"!!~s", "(not (not ~s))"},
            {"~s & ~q", "(and ~s ~q)"},
            {"~s&~q", "(and ~s ~q)"},
            {"~s | ~q", "(or ~s ~q)"},
            {"~a & ~b x & ~e", "(and ~a ~b:x ~e)"},
            {"~a | ~e | ~s", "(or ~a ~e ~s)"},
            {"~a | ~e & ~s", "(or ~a (and ~e ~s))"},
            {"~a & ~e | ~s", "(or (and ~a ~e) ~s)"},
            {"!~a & ~e", "(and (not ~a) ~e)"},
            {"!~a | ~e", "(or (not ~a) ~e)"},
            {"!(~a | ~e)", "(not (or ~a ~e))"},
            {"(~a | ~e) & ~s", "(and (or ~a ~e) ~s)"},
            {"((~s))", "~s"},
            // Juxtaposition: AND, below | (mitmproxy's OneOrMore of whole expressions).
            {"~a ~e", "(and ~a ~e)"},
            {"~a ~e | ~s", "(and ~a (or ~e ~s))"},
            {"~a | ~e ~s", "(and (or ~a ~e) ~s)"},
            {"~a & ~e ~s", "(and ~a ~e ~s)"},
            {"(~a ~e) | ~s", "(or (and ~a ~e) ~s)"},
            {"foo bar", "(and ~u:foo ~u:bar)"},
            {"!foo", "(not ~u:foo)"},
            // Within a word, ! & | are the word's: write them with spaces to combine.
            {"a|b", "~u:a|b"},
            {"a&b", "~u:a&b"},
            {"a!", "~u:a!"},
            {"~m GET|POST", "~m:GET|POST"},
            {"~d x& ~s", "(and ~d:x& ~s)"},
            {"~u !x", "~u:!x"},
            {"~c 500|~c 404", "(or ~c:500 ~c:404)"},
            {"~c 404x", "(and ~c:404 ~u:x)"},
            // A word ends at ( ) ~ and quotes.
            {"~u a(b", "(and ~u:a error"},
            {"~d x~s", "(and ~d:x ~s)"},
            {"(~u x)", "~u:x"},
            {"a\"b\"", "(and ~u:a ~u:b)"},
            // Quoting.
            {"~u \"a b\"", "~u:a b"},
            {"~u 'a b'", "~u:a b"},
            {"\"~s\"", "~u:~s"},
            {"'(x)'", "~u:(x)"},
            {"~u \"a\\\"b\"", "~u:a\"b"},
            {"~u 'it\\'s'", "~u:it's"},
            {"~u \"it's\"", "~u:it's"},
            {"~u 'say \"hi\"'", "~u:say \"hi\""},
            {"~u \"a\\\\b\"", "~u:a\\b"},
            {"~u \"\\d+\\.js$\"", "~u:\\d+\\.js$"},
            {"~u \\d+\\.js$", "~u:\\d+\\.js$"},
            {"~u ''", "~u:"},
            {"~u \"\"", "~u:"},
            {"~b \"\\n\"", "~b:\\n"},
            {"~h 'a'~s", "(and ~h:a ~s)"},
            {"~u \"x\"y", "(and ~u:x ~u:y)"},
            // The examples of docs/filters.md.
            {"!~s & ~e", "(and (not ~s) ~e)"},
            {"~m GET | ~m HEAD & ~c 200", "(or ~m:GET (and ~m:HEAD ~c:200))"},
            {"~m GET ~c 404 | ~c 500", "(and ~m:GET (or ~c:404 ~c:500))"},
            {"~d example& ~s", "(and ~d:example& ~s)"},
            {"!~q&~c 200|~e", "(or (and (not ~q) ~c:200) ~e)"},
            {"(~s ~c 200)", "(and ~s ~c:200)"},
            {"(~s)", "~s"},
            {"'!important'", "~u:!important"},
            {"~u !important", "~u:!important"},
            {"~u \"(login|signin)\"", "~u:(login|signin)"},
        };
        for (const auto& [e, t] : rows)
            QTest::newRow(e) << QString::fromUtf8(e) << QString::fromUtf8(t);
    }

    void trees()
    {
        QFETCH(QString, expression);
        QFETCH(QString, tree);
        const QString got = ::tree(expression);
        if (tree.endsWith(QLatin1String(" error")))
            QVERIFY2(got.startsWith("error"), qPrintable(got)); // an error, checked below
        else
            QCOMPARE(got, tree);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<int>("position");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<QString>("message");
        struct Row
        {
            const char* expression;
            int position;
            const char* expected;
            const char* message;
        };
        const Row rows[] = {
            {"", 0, "a filter expression", "at 0: expected a filter expression"},
            {"   ", 3, "a filter expression", "at 3: expected a filter expression"},
            {"~s &", 4, "a filter after '&'", "at 4: expected a filter after '&'"},
            {"~s | ", 5, "a filter after '|'", "at 5: expected a filter after '|'"},
            {"~s & | ~q", 5, "a filter after '&'", "at 5: expected a filter after '&', found '|'"},
            {"& ~s", 0, "a filter expression", "at 0: expected a filter expression, found '&'"},
            {"| ~s", 0, "a filter expression", "at 0: expected a filter expression, found '|'"},
            {"!", 1, "a filter after '!'", "at 1: expected a filter after '!'"},
            {"!)", 1, "a filter after '!'", "at 1: expected a filter after '!', found ')'"},
            {"()", 1, "a filter after '('", "at 1: expected a filter after '(', found ')'"},
            {"(~s", 3, "')'", "at 3: expected ')' to close the '(' at 0"},
            {"~s & (~q | (~e)", 15, "')'", "at 15: expected ')' to close the '(' at 5"},
            {"~s)", 2, "the end of the expression",
             "at 2: unexpected ')': there is no '(' to close"},
            {"(~s))", 4, "the end of the expression",
             "at 4: unexpected ')': there is no '(' to close"},
            {"~", 0, "an operator name after '~'", "at 0: expected an operator name after '~'"},
            {"~s & ~ x", 5, "an operator name after '~'",
             "at 5: expected an operator name after '~'"},
            {"~foo", 0, "a known operator (~a, ~b, ~c, ~d, ~h, ~m, ~u, ...)",
             "at 0: unknown operator ~foo"},
            {"~S", 0, "a known operator (~a, ~b, ~c, ~d, ~h, ~m, ~u, ...)",
             "at 0: unknown operator ~S"},
            {"~u", 2, "a regular expression after ~u",
             "at 2: expected a regular expression after ~u"},
            {"~h  ", 4, "a regular expression after ~h",
             "at 4: expected a regular expression after ~h"},
            {"~u (x)", 3, "a regular expression after ~u",
             "at 3: expected a regular expression after ~u (quote a regex that begins with '(')"},
            {"~d ~s", 3, "a regular expression after ~d",
             "at 3: expected a regular expression after ~d (quote a regex that begins with '~')"},
            {"~c", 2, "a status code after ~c", "at 2: expected a status code after ~c (digits)"},
            {"~c abc", 3, "a status code after ~c",
             "at 3: expected a status code after ~c (digits)"},
            {"~c 1000", 3, "a status code after ~c",
             "at 3: status code 1000 is out of range (0 to 999)"},
            {"~c 99999999999999", 3, "a status code after ~c",
             "at 3: status code 99999999999999 is out of range (0 to 999)"},
            {"~u \"abc", 7, "a closing '\"'",
             "at 7: unterminated string: expected a closing '\"' for the one at 3"},
            {"'abc\\'", 6, "a closing '''",
             "at 6: unterminated string: expected a closing ''' for the one at 0"},
            {"~u a(b", 6, "')'", "at 6: expected ')' to close the '(' at 4"},
            {"~u a(", 5, "a filter after '('", "at 5: expected a filter after '('"},
            // Invalid regexes: the position is where PCRE2 gave up, in the expression.
            {"~u (", 3, "a regular expression after ~u", ""},
            {"~u [a", 5, "a valid regular expression", ""},
            {"~u 'x(y'", 7, "a valid regular expression", ""},
            {"~b \"a\\\"(\"", 8, "a valid regular expression", ""},
            {"~m *", 3, "a valid regular expression", ""},
            {"~s ~h 'a{2,1}' ~q", 12, "a valid regular expression", ""},
            {"x{2,1}", 5, "a valid regular expression", ""},
            // The examples of docs/filters.md.
            {"~u 'a(b'", 7, "a valid regular expression",
             "at 7: invalid regular expression after ~u: missing closing parenthesis"},
            {"~s & (~c 404", 12, "')'", "at 12: expected ')' to close the '(' at 5"},
        };
        for (const Row& r : rows)
            QTest::newRow(r.expression)
                << QString::fromUtf8(r.expression) << r.position << QString::fromUtf8(r.expected)
                << QString::fromUtf8(r.message);
    }

    void errors()
    {
        QFETCH(QString, expression);
        QFETCH(int, position);
        QFETCH(QString, expected);
        QFETCH(QString, message);
        auto r = Filter::parse(expression);
        QVERIFY2(std::holds_alternative<ParseError>(r), qPrintable(expression));
        const ParseError& e = std::get<ParseError>(r);
        QCOMPARE(e.position, position);
        QCOMPARE(e.expected, expected);
        if (!message.isEmpty())
            QCOMPARE(e.message, message);
        QVERIFY2(e.message.startsWith(QStringLiteral("at %1: ").arg(position)),
                 qPrintable(e.message));
        if (e.expected == "a valid regular expression")
            QVERIFY2(e.message.contains("invalid regular expression after ~"),
                     qPrintable(e.message));
        QVERIFY(!e.message.contains('\n'));
    }

    void nestingIsLimited()
    {
        for (const QString& open :
             {QStringLiteral("("), QStringLiteral("!"), QStringLiteral("!(")}) {
            const QString close = open.contains('(') ? QStringLiteral(")") : QString();
            const int limit = FilterParser::maxDepth / int(open.size());
            const QString ok = open.repeated(limit) + "~s" + close.repeated(limit);
            QVERIFY2(std::holds_alternative<Filter>(Filter::parse(ok)), qPrintable(open));
            // Far too deep (and unbalanced): an error, not a stack overflow.
            const QString deep = open.repeated(100000) + "~s";
            auto r = Filter::parse(deep);
            QVERIFY(std::holds_alternative<ParseError>(r));
            QVERIFY2(std::get<ParseError>(r).message.contains("nested more than"),
                     qPrintable(std::get<ParseError>(r).message));
        }
        // Long chains are not nesting: a million-term & or juxtaposition is fine.
        const QString chain = QStringLiteral("~s & ").repeated(20000) + "~s";
        QVERIFY(std::holds_alternative<Filter>(Filter::parse(chain)));
        QVERIFY(
            std::holds_alternative<Filter>(Filter::parse(QStringLiteral("a ").repeated(20000))));
    }

    // Random strings from the grammar's own characters, and random edits of valid
    // expressions: every one parses or gives an error inside the text; a filter that parses
    // can be run on flows.
    void randomInputNeverCrashes()
    {
        const QString alphabet = QStringLiteral("~()!&|\"'\\ abcdehmqstu01249.*[]{}^$?+-:/é\t");
        const QStringList valid{"~m POST & !~c 200", "(~s | ~q) ~u 'a b'", "~h \"x\\\"y\" | ~b z",
                                "!(~d example.com & ~ts json) | ~websocket", "~c 404 foo bar"};
        QStringList words;
        for (const OperatorHelp& op : Filter::operators())
            words << op.name;
        QRandomGenerator rng(20240611);
        const auto flows = test::filterFlows();
        int parsedCount = 0;
        for (int i = 0; i < 60000; ++i) {
            QString s;
            if (i % 3 == 0) {
                s = valid[rng.bounded(valid.size())];
                for (int k = rng.bounded(1, 4); k > 0; --k) {
                    const int at = rng.bounded(s.size() + 1);
                    if (rng.bounded(2) && at < s.size())
                        s.remove(at, 1);
                    else
                        s.insert(at, alphabet[rng.bounded(alphabet.size())]);
                }
            } else {
                for (int k = rng.bounded(0, 24); k > 0; --k) {
                    if (rng.bounded(4) == 0)
                        s += words[rng.bounded(words.size())];
                    else
                        s += alphabet[rng.bounded(alphabet.size())];
                }
            }
            const auto r = Filter::parse(s);
            if (const ParseError* e = std::get_if<ParseError>(&r)) {
                QVERIFY2(e->position >= 0 && e->position <= s.size(), qPrintable(s));
                QVERIFY2(!e->expected.isEmpty() && !e->message.isEmpty(), qPrintable(s));
            } else {
                ++parsedCount;
                const Filter& f = std::get<Filter>(r);
                for (const HttpFlow& fl : flows)
                    f.matches(fl);
            }
        }
        // Not all noise: a good share of the inputs parse, so matching ran on them too.
        QVERIFY2(parsedCount > 5000, qPrintable(QString::number(parsedCount)));
    }
};

QTEST_GUILESS_MAIN(FilterParserTest)
#include "filter_parser_test.moc"

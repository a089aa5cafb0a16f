// TextPattern: which patterns take the plain-word path, and that the word path and the regex
// engine agree on every subject, including the Unicode case-folding corners and bytes that
// are not UTF-8.

#include "filter/text_pattern.h"

#include <QRandomGenerator>
#include <QtTest>

using namespace spyglass::filter;

namespace {

// What the regex engine alone says: the reference for the plain-word path.
bool reference(const QString& pattern, QByteArrayView subject)
{
    const QRegularExpression re(pattern, QRegularExpression::CaseInsensitiveOption |
                                             QRegularExpression::UseUnicodePropertiesOption);
    return re.match(QString::fromUtf8(subject)).hasMatch();
}

} // namespace

class TextPatternTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void literalOrRegex()
    {
        using F = TextPattern::Flavor;
        for (const char* p : {"POST", "example", "/api/v1", "a b", "", "x-y_z:1 #=@%&!~'\"", "k"})
            QVERIFY2(TextPattern(QString::fromUtf8(p), F::Plain).isLiteral(), p);
        for (const char* p :
             {"a.b", "^a", "a$", "a|b", "a?", "a*", "a+", "(a)", "[a]", "a{2}", "\\d", "é", "ZOË"})
            QVERIFY2(!TextPattern(QString::fromUtf8(p), F::Plain).isLiteral(), p);
        const TextPattern bad(QStringLiteral("a(b"), F::Plain);
        QVERIFY(!bad.isValid());
        QVERIFY(!bad.isLiteral());
        QVERIFY(bad.errorOffset() >= 0);
        QVERIFY(!bad.errorString().isEmpty());
    }

    void flavors()
    {
        using F = TextPattern::Flavor;
        const QByteArray text = "first line\nsecond line\n";
        QVERIFY(!TextPattern(QStringLiteral("^second"), F::Plain).search(text));
        QVERIFY(TextPattern(QStringLiteral("^second"), F::Multiline).search(text));
        QVERIFY(TextPattern(QStringLiteral("first line$"), F::Multiline).search(text));
        QVERIFY(!TextPattern(QStringLiteral("line.second"), F::Plain).search(text));
        QVERIFY(!TextPattern(QStringLiteral("line.second"), F::Multiline).search(text));
        QVERIFY(TextPattern(QStringLiteral("line.second"), F::DotAll).search(text));
        // Text subjects go through the same rules.
        QVERIFY(TextPattern(QStringLiteral("SECOND"), F::Plain).search(QStringView(u"a second")));
        QVERIFY(TextPattern(QString(), F::Plain).search(QStringView()));
        QVERIFY(!TextPattern(QStringLiteral("x"), F::Plain).search(QStringView()));
    }

    void unicodeCaseFolding()
    {
        using F = TextPattern::Flavor;
        // U+212A KELVIN SIGN and U+017F LONG S fold to k and s: the word path must defer.
        QVERIFY(TextPattern(QStringLiteral("kilo"), F::Plain).search("\xE2\x84\xAAILO"));
        QVERIFY(TextPattern(QStringLiteral("dress"), F::Plain).search("DRE\xC5\xBF\xC5\xBF"));
        QVERIFY(!TextPattern(QStringLiteral("kilo"), F::Plain)
                     .search("\xE2\x84\xAA"
                             "ILX"));
        QVERIFY(TextPattern(QStringLiteral("été"), F::Plain).search("\xC3\x89T\xC3\x89"));
        // Binary around an ASCII word.
        QVERIFY(TextPattern(QStringLiteral("needle"), F::Plain)
                    .search(QByteArray("\xff\xfe\x00NeEdLe\x80", 11)));
    }

    void wordPathAgreesWithRegexEngine()
    {
        // Subjects of ASCII letters, case variants, multi-byte UTF-8 (the folding corners
        // among them), broken UTF-8 and NULs; words from the same letters.
        const QList<QByteArray> pieces{"k",
                                       "K",
                                       "s",
                                       "S",
                                       "a",
                                       "B",
                                       "-",
                                       " ",
                                       "/",
                                       "\xE2\x84\xAA",
                                       "\xC5\xBF",
                                       "\xC3\xA9",
                                       "\xC3",
                                       "\xE2\x84",
                                       "\x80",
                                       "\xff",
                                       QByteArray("\0", 1),
                                       "\xF0\x9F\x98\x80"};
        const QString letters = QStringLiteral("kKsSaB- /");
        QRandomGenerator rng(77);
        int matched = 0;
        for (int i = 0; i < 20000; ++i) {
            QString word;
            for (int k = rng.bounded(0, 4); k > 0; --k)
                word += letters[rng.bounded(letters.size())];
            QByteArray subject;
            for (int k = rng.bounded(0, 12); k > 0; --k)
                subject += pieces[rng.bounded(pieces.size())];
            const TextPattern p(word, TextPattern::Flavor::Plain);
            QVERIFY(p.isLiteral());
            const bool want = reference(word, subject);
            matched += want;
            if (p.search(subject) != want)
                QFAIL(qPrintable(QStringLiteral("'%1' in %2: regex says %3")
                                     .arg(word, QString::fromLatin1(subject.toHex(' ')))
                                     .arg(want)));
        }
        QVERIFY(matched > 2000 && matched < 18000); // both answers were exercised
    }
};

QTEST_GUILESS_MAIN(TextPatternTest)
#include "text_pattern_test.moc"

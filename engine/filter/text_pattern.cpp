#include "filter/text_pattern.h"

namespace spyglass::filter {

namespace {

// Characters that make a pattern more than a word. ']' and '}' alone are literal to PCRE2,
// but a pattern holding them is rare enough to leave to the regex engine.
bool isRegexSyntax(QChar c)
{
    switch (c.unicode()) {
    case '\\':
    case '^':
    case '$':
    case '.':
    case '|':
    case '?':
    case '*':
    case '+':
    case '(':
    case ')':
    case '[':
    case ']':
    case '{':
    case '}':
        return true;
    default:
        return false;
    }
}

constexpr uchar asciiLower(uchar c)
{
    return c >= 'A' && c <= 'Z' ? uchar(c | 0x20) : c;
}

// `needle` is ASCII lower-case.
bool containsFolded(QByteArrayView haystack, QByteArrayView needle)
{
    const qsizetype n = needle.size();
    if (n == 0)
        return true;
    const auto* h = reinterpret_cast<const uchar*>(haystack.data());
    const auto* w = reinterpret_cast<const uchar*>(needle.data());
    const uchar first = w[0];
    for (qsizetype i = 0, last = haystack.size() - n; i <= last; ++i) {
        if (asciiLower(h[i]) != first)
            continue;
        qsizetype k = 1;
        while (k < n && asciiLower(h[i + k]) == w[k])
            ++k;
        if (k == n)
            return true;
    }
    return false;
}

// The only characters outside ASCII that Unicode case folding equates with ASCII letters.
bool holdsKelvinOrLongS(QByteArrayView utf8)
{
    return utf8.indexOf(QByteArrayView("\xE2\x84\xAA")) >= 0 || // U+212A KELVIN SIGN ~ k
           utf8.indexOf(QByteArrayView("\xC5\xBF")) >= 0;       // U+017F LONG S ~ s
}

QRegularExpression::PatternOptions optionsFor(TextPattern::Flavor flavor)
{
    QRegularExpression::PatternOptions o = QRegularExpression::CaseInsensitiveOption |
                                           QRegularExpression::UseUnicodePropertiesOption |
                                           QRegularExpression::DontCaptureOption;
    if (flavor == TextPattern::Flavor::Multiline)
        o |= QRegularExpression::MultilineOption;
    else if (flavor == TextPattern::Flavor::DotAll)
        o |= QRegularExpression::DotMatchesEverythingOption;
    return o;
}

} // namespace

TextPattern::TextPattern(const QString& pattern, Flavor flavor)
    : m_pattern(pattern), m_regex(pattern, optionsFor(flavor))
{
    m_regex.optimize(); // compiled (and JIT-compiled) now, not on the first match
    if (!m_regex.isValid())
        return;
    m_literal = true;
    for (QChar c : pattern) {
        if (c.unicode() >= 0x80 || isRegexSyntax(c)) {
            m_literal = false;
            break;
        }
    }
    if (m_literal) {
        m_folded = pattern.toLatin1().toLower();
        m_foldsBeyondAscii = m_folded.contains('k') || m_folded.contains('s');
    }
}

bool TextPattern::search(QByteArrayView utf8) const
{
    if (m_literal) {
        if (containsFolded(utf8, m_folded))
            return true;
        if (!m_foldsBeyondAscii || !holdsKelvinOrLongS(utf8))
            return false;
    }
    // fromUtf8 always makes well-formed UTF-16: PCRE2 need not check it again.
    return m_regex
        .match(QString::fromUtf8(utf8), 0, QRegularExpression::NormalMatch,
               QRegularExpression::DontCheckSubjectStringMatchOption)
        .hasMatch();
}

bool TextPattern::search(QStringView text) const
{
    if (m_literal && m_folded.isEmpty())
        return true;
    // A QString from elsewhere may hold a lone surrogate: PCRE2 checks, and finds no match.
    return m_regex.match(text).hasMatch();
}

} // namespace spyglass::filter

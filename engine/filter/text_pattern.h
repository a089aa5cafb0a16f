#pragma once
// One regular expression of a filter (the argument of ~u, ~h, ~b, ...), compiled once when the
// filter is parsed and then only searched, from any thread. mitmproxy's `_Rex`: re.search with
// IGNORECASE (mitmproxy 11.1+ matches every filter regex case-insensitively).
//
// Subjects are the flow's bytes (URL, headers, bodies: UTF-8 or anything) or text (comment,
// marker). Bytes are read as UTF-8, a byte that is not UTF-8 becoming U+FFFD, so a pattern
// written in Unicode finds the text it names and ASCII patterns find ASCII anywhere, even in a
// binary body.
//
// Speed is the point: a filter runs over every row of a million-flow session. Most patterns
// are plain words ("POST", "example", "/api/"); those are searched in the bytes directly,
// ASCII case folded, with no conversion and no allocation. The regex engine only runs for a real
// regex, or in the one case where Unicode case folding differs from ASCII's (the subject holds
// U+212A KELVIN SIGN or U+017F LONG S and the word a 'k' or an 's'), so both paths agree on
// every input (tests/unit/filter/text_pattern_test.cpp checks that on random subjects).

#include <QByteArray>
#include <QRegularExpression>
#include <QString>

namespace spyglass::filter {

class TextPattern
{
public:
    enum class Flavor : quint8
    {
        Plain,     // '.' does not match a newline; ^ and $ only at the ends
        Multiline, // ^ and $ at every line (header blocks, comments, metadata)
        DotAll,    // '.' matches newlines too (bodies)
    };

    TextPattern() = default;
    TextPattern(const QString& pattern, Flavor flavor);

    bool isValid() const { return m_regex.isValid(); }
    QString errorString() const { return m_regex.errorString(); }
    // Offset in the pattern where it stops being a valid regex, -1 if valid.
    qsizetype errorOffset() const { return m_regex.patternErrorOffset(); }
    const QString& pattern() const { return m_pattern; }
    // True when the pattern has no regex syntax at all and is searched as a word.
    bool isLiteral() const { return m_literal; }

    // Does the pattern occur anywhere in `utf8` / `text`?
    bool search(QByteArrayView utf8) const;
    bool search(QStringView text) const;

private:
    QString m_pattern;
    QRegularExpression m_regex;
    QByteArray m_folded;             // the literal, ASCII lower-case
    bool m_literal = false;          // pure ASCII without regex syntax
    bool m_foldsBeyondAscii = false; // the literal holds 'k' or 's'
};

} // namespace spyglass::filter

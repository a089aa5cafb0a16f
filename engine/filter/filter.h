#pragma once
// The flow filter language: mitmproxy's (`mitmproxy/flowfilter.py`, 11.1+ semantics: every
// regex is case-insensitive), for the window's filter bar, spyglass-dump's trailing
// FILTER-EXPRESSION and the addons that take a filter. docs/filters.md is the user reference.
//
//   Filter::parse("~m POST & !~c 200")  ->  a Filter, or a ParseError saying where and what
//   filter.matches(flow)                ->  does this flow match?
//
// A Filter is immutable: it holds the expression and a shared pointer to its syntax tree, in
// which every regex was compiled once, at parse time. Copies are cheap and may be used from any
// number of threads at once. matches() is made to run over a million flows: operators that test
// a flag or a number do no allocation, and regex arguments that are plain words are searched in
// the flow's bytes without converting them (filter/text_pattern.h).
//
// Grammar (filter/filter_parser.h has the details): `!` binds tightest, then `&`, then `|`;
// expressions written one after the other are ANDed at the lowest precedence (as mitmproxy:
// `~a ~b | ~c` is `~a & (~b | ~c)`); a bare word or quoted string is `~u`.

#include <QList>
#include <QString>
#include <memory>
#include <variant>

namespace spyglass {

struct HttpFlow;

namespace filter {

struct Node;

struct ParseError
{
    // Where the expression stops making sense: an offset in UTF-16 code units, 0 = before
    // the first character (a UI puts its caret there).
    int position = 0;
    // What the parser wanted there, for a person: "')'", "a regular expression after ~u".
    QString expected;
    // One line for a person: "at 7: expected ')' to close the '(' at 0".
    QString message;
};

struct OperatorHelp
{
    QString name;     // "~u"
    QString argument; // "" (none), "regex" or "code"
    QString help;     // one line

    bool takesArgument() const { return !argument.isEmpty(); }
};

class Filter
{
public:
    // The empty filter: matches every flow, expression() is "".
    Filter() = default;

    static std::variant<Filter, ParseError> parse(QStringView expression);

    bool matches(const HttpFlow& flow) const;
    QString expression() const { return m_expression; }

    // Every ~operator, sorted by name: for help texts and completion.
    static QList<OperatorHelp> operators();

private:
    Filter(std::shared_ptr<const Node> root, QString expression);

    std::shared_ptr<const Node> m_root; // null: matches everything
    QString m_expression;
};

} // namespace filter
} // namespace spyglass

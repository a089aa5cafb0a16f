#pragma once
// Tokenizer and recursive-descent parser for the filter language (mitmproxy's pyparsing
// grammar in `flowfilter.py`, written out by hand so that every error says where and what was
// expected). Used by Filter::parse; its own header so that tests can reach the tree.
//
//   expression := sequence END
//   sequence   := or-expr { or-expr }             juxtaposition: AND, lowest precedence
//   or-expr    := and-expr { '|' and-expr }
//   and-expr   := unary { '&' unary }
//   unary      := '!' unary | primary
//   primary    := '(' sequence ')' | '~'name [argument] | text     (text alone means ~u text)
//   argument   := text (a regex) | digits (~c)
//   text       := bare-word | "..." | '...'
//
// Tokens:
//  - '(' ')' '!' '&' '|' at the start of a token are operators. Within a word they are part of
//    it (as in mitmproxy, where `~u a|b` is the regex a|b): write `a | b` with spaces.
//  - '~' starts an operator; its name is the letters and digits that follow (case-sensitive).
//  - a bare word runs to the next white space, '(', ')', '~', '"' or '\'', and is taken as it
//    is (a backslash is just a backslash, so `~u \.js$` is the regex \.js$).
//  - a quoted string runs to the matching unescaped quote; inside it `\"` (or `\'`) and `\\`
//    stand for the character, and every other backslash is kept, so regex escapes pass
//    through unchanged: "\d+ \w" is the regex \d+ \w. (mitmproxy's pyparsing drops the
//    backslash of unknown escapes instead, turning "\d" into d.)
// Nesting of '(' and '!' is limited to maxDepth, so no input can exhaust the stack.

#include "filter/filter.h"
#include "filter/filter_nodes.h"

#include <optional>

namespace spyglass::filter {

class FilterParser
{
public:
    static constexpr int maxDepth = 100;

    // The tree of `expression` with And/Or children in the order written (Filter::parse then
    // orders them cheapest first), or the first error.
    static std::variant<Node, ParseError> parse(QStringView expression);

private:
    enum class TokenType : quint8
    {
        End,
        LParen,
        RParen,
        Not,
        And,
        Or,
        Operator, // '~' and its name
        Text,     // a bare word or a quoted string
    };
    struct Token
    {
        TokenType type = TokenType::End;
        qsizetype start = 0;
        qsizetype end = 0; // one past the last character
    };

    explicit FilterParser(QStringView text) : m_text(text) {}

    Token peek();
    void skipSpace();
    // The value of the Text token at m_pos (quotes and escapes undone); sets m_pos past it.
    std::optional<QString> takeText();

    // `after` names what came before, for errors: "after '&'"; empty at the very start.
    std::optional<Node> sequence(int depth, const QString& after);
    std::optional<Node> orExpression(int depth, const QString& after);
    std::optional<Node> andExpression(int depth, const QString& after);
    std::optional<Node> unary(int depth, const QString& after);
    std::optional<Node> primary(int depth, const QString& after);
    std::optional<Node> operatorTerm(const Token& token);
    // `written` is the operator as written ("~u"); the pattern began at `start` in the text.
    std::optional<Node> regexNode(const OperatorSpec& op, const QString& written,
                                  const QString& pattern, qsizetype start, bool isQuoted);
    std::optional<Node> statusCodeArgument(const QString& written);

    bool startsTerm(TokenType t) const;
    std::nullopt_t fail(qsizetype position, const QString& expected, const QString& message = {});

    QStringView m_text;
    qsizetype m_pos = 0;
    std::optional<ParseError> m_error;
};

} // namespace spyglass::filter

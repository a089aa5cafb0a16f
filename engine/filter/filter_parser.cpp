#include "filter/filter_parser.h"

namespace spyglass::filter {

namespace {

bool endsBareWord(QChar c)
{
    return c.isSpace() || c == u'(' || c == u')' || c == u'~' || c == u'"' || c == u'\'';
}

bool isNameChar(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9');
}

QString quoted(QChar c)
{
    return QStringLiteral("'%1'").arg(c);
}

// And/Or of `items`: the one item itself, or a node whose children of the same kind are
// merged into it (a & b & c is one And of three).
Node combine(NodeKind kind, std::vector<Node>&& items)
{
    if (items.size() == 1)
        return std::move(items.front());
    Node n;
    n.kind = kind;
    for (Node& item : items) {
        if (item.kind == kind) {
            for (Node& grandchild : item.children)
                n.children.push_back(std::move(grandchild));
        } else {
            n.children.push_back(std::move(item));
        }
    }
    return n;
}

} // namespace

std::variant<Node, ParseError> FilterParser::parse(QStringView expression)
{
    FilterParser p(expression);
    std::optional<Node> root = p.sequence(0, {});
    if (root) {
        const Token t = p.peek();
        if (t.type != TokenType::End)
            p.fail(t.start, QStringLiteral("the end of the expression"),
                   QStringLiteral("unexpected ')': there is no '(' to close"));
    }
    if (p.m_error)
        return *p.m_error;
    return std::move(*root);
}

void FilterParser::skipSpace()
{
    while (m_pos < m_text.size() && m_text[m_pos].isSpace())
        ++m_pos;
}

FilterParser::Token FilterParser::peek()
{
    skipSpace();
    Token t{TokenType::End, m_pos, m_pos + 1};
    if (m_pos >= m_text.size()) {
        t.end = m_pos;
        return t;
    }
    switch (m_text[m_pos].unicode()) {
    case u'(':
        t.type = TokenType::LParen;
        break;
    case u')':
        t.type = TokenType::RParen;
        break;
    case u'!':
        t.type = TokenType::Not;
        break;
    case u'&':
        t.type = TokenType::And;
        break;
    case u'|':
        t.type = TokenType::Or;
        break;
    case u'~':
        t.type = TokenType::Operator;
        while (t.end < m_text.size() && isNameChar(m_text[t.end]))
            ++t.end;
        break;
    default:
        t.type = TokenType::Text; // its end is found by takeText()
        break;
    }
    return t;
}

bool FilterParser::startsTerm(TokenType t) const
{
    return t == TokenType::LParen || t == TokenType::Not || t == TokenType::Operator ||
           t == TokenType::Text;
}

std::nullopt_t FilterParser::fail(qsizetype position, const QString& expected,
                                  const QString& message)
{
    if (!m_error) {
        ParseError e;
        e.position = int(position);
        e.expected = expected;
        e.message = QStringLiteral("at %1: %2")
                        .arg(position)
                        .arg(message.isEmpty() ? QStringLiteral("expected ") + expected : message);
        m_error = std::move(e);
    }
    return std::nullopt;
}

std::optional<QString> FilterParser::takeText()
{
    skipSpace();
    const qsizetype start = m_pos;
    const QChar quote = m_text[start];
    if (quote != u'"' && quote != u'\'') {
        while (m_pos < m_text.size() && !endsBareWord(m_text[m_pos]))
            ++m_pos;
        return m_text.sliced(start, m_pos - start).toString();
    }
    QString value;
    for (qsizetype i = start + 1; i < m_text.size(); ++i) {
        const QChar c = m_text[i];
        if (c == u'\\' && i + 1 < m_text.size() &&
            (m_text[i + 1] == quote || m_text[i + 1] == u'\\')) {
            value += m_text[++i];
        } else if (c == quote) {
            m_pos = i + 1;
            return value;
        } else {
            value += c;
        }
    }
    return fail(m_text.size(), QStringLiteral("a closing ") + quoted(quote),
                QStringLiteral("unterminated string: expected a closing %1 for the one at %2")
                    .arg(quoted(quote))
                    .arg(start));
}

std::optional<Node> FilterParser::sequence(int depth, const QString& after)
{
    std::vector<Node> items;
    std::optional<Node> first = orExpression(depth, after);
    if (!first)
        return std::nullopt;
    items.push_back(std::move(*first));
    while (startsTerm(peek().type)) {
        std::optional<Node> next = orExpression(depth, {});
        if (!next)
            return std::nullopt;
        items.push_back(std::move(*next));
    }
    return combine(NodeKind::And, std::move(items));
}

std::optional<Node> FilterParser::orExpression(int depth, const QString& after)
{
    std::vector<Node> items;
    std::optional<Node> left = andExpression(depth, after);
    if (!left)
        return std::nullopt;
    items.push_back(std::move(*left));
    for (Token t = peek(); t.type == TokenType::Or; t = peek()) {
        m_pos = t.end;
        std::optional<Node> right = andExpression(depth, QStringLiteral("after '|'"));
        if (!right)
            return std::nullopt;
        items.push_back(std::move(*right));
    }
    return combine(NodeKind::Or, std::move(items));
}

std::optional<Node> FilterParser::andExpression(int depth, const QString& after)
{
    std::vector<Node> items;
    std::optional<Node> left = unary(depth, after);
    if (!left)
        return std::nullopt;
    items.push_back(std::move(*left));
    for (Token t = peek(); t.type == TokenType::And; t = peek()) {
        m_pos = t.end;
        std::optional<Node> right = unary(depth, QStringLiteral("after '&'"));
        if (!right)
            return std::nullopt;
        items.push_back(std::move(*right));
    }
    return combine(NodeKind::And, std::move(items));
}

std::optional<Node> FilterParser::unary(int depth, const QString& after)
{
    const Token t = peek();
    if (t.type != TokenType::Not)
        return primary(depth, after);
    if (depth >= maxDepth)
        return fail(t.start, QStringLiteral("a simpler expression"),
                    QStringLiteral("'(' and '!' are nested more than %1 deep").arg(maxDepth));
    m_pos = t.end;
    std::optional<Node> operand = unary(depth + 1, QStringLiteral("after '!'"));
    if (!operand)
        return std::nullopt;
    Node n;
    n.kind = NodeKind::Not;
    n.children.push_back(std::move(*operand));
    return n;
}

std::optional<Node> FilterParser::primary(int depth, const QString& after)
{
    const Token t = peek();
    const QString wanted = after.isEmpty() ? QStringLiteral("a filter expression")
                                           : QStringLiteral("a filter ") + after;
    switch (t.type) {
    case TokenType::LParen: {
        if (depth >= maxDepth)
            return fail(t.start, QStringLiteral("a simpler expression"),
                        QStringLiteral("'(' and '!' are nested more than %1 deep").arg(maxDepth));
        m_pos = t.end;
        std::optional<Node> inner = sequence(depth + 1, QStringLiteral("after '('"));
        if (!inner)
            return std::nullopt;
        const Token close = peek();
        if (close.type != TokenType::RParen)
            return fail(close.start, QStringLiteral("')'"),
                        QStringLiteral("expected ')' to close the '(' at %1").arg(t.start));
        m_pos = close.end;
        return inner;
    }
    case TokenType::Operator:
        m_pos = t.end;
        return operatorTerm(t);
    case TokenType::Text: {
        const qsizetype start = m_pos;
        const bool isQuoted = m_text[start] == u'"' || m_text[start] == u'\'';
        std::optional<QString> text = takeText();
        if (!text)
            return std::nullopt;
        return regexNode(*findOperator(u"u"), QStringLiteral("~u"), *text, start, isQuoted);
    }
    case TokenType::End:
        return fail(t.start, wanted);
    case TokenType::RParen:
    case TokenType::Not: // cannot happen: unary() took it
    case TokenType::And:
    case TokenType::Or:
        break;
    }
    return fail(t.start, wanted,
                QStringLiteral("expected %1, found %2").arg(wanted, quoted(m_text[t.start])));
}

std::optional<Node> FilterParser::operatorTerm(const Token& token)
{
    const QStringView name = m_text.sliced(token.start + 1, token.end - token.start - 1);
    const QString written = m_text.sliced(token.start, token.end - token.start).toString();
    if (name.isEmpty())
        return fail(token.start, QStringLiteral("an operator name after '~'"));
    const OperatorSpec* op = findOperator(name);
    if (!op)
        return fail(token.start,
                    QStringLiteral("a known operator (~a, ~b, ~c, ~d, ~h, ~m, ~u, ...)"),
                    QStringLiteral("unknown operator %1").arg(written));
    switch (op->argument) {
    case Argument::None: {
        Node n;
        n.kind = op->kind;
        return n;
    }
    case Argument::StatusCode:
        return statusCodeArgument(written);
    case Argument::Regex:
        break;
    }
    skipSpace();
    const qsizetype start = m_pos;
    const QString wanted = QStringLiteral("a regular expression after ") + written;
    if (start >= m_text.size())
        return fail(start, wanted);
    const QChar c = m_text[start];
    if (c == u'(' || c == u')' || c == u'~')
        return fail(start, wanted,
                    QStringLiteral("expected %1 (quote a regex that begins with %2)")
                        .arg(wanted, quoted(c)));
    const bool isQuoted = c == u'"' || c == u'\'';
    std::optional<QString> text = takeText();
    if (!text)
        return std::nullopt;
    return regexNode(*op, written, *text, start, isQuoted);
}

std::optional<Node> FilterParser::regexNode(const OperatorSpec& op, const QString& written,
                                            const QString& pattern, qsizetype start, bool isQuoted)
{
    Node n;
    n.kind = op.kind;
    n.pattern = TextPattern(pattern, op.flavor);
    if (n.pattern.isValid())
        return n;
    // Map the offset in the pattern back to the expression, through the quote and escapes.
    const qsizetype offset = qMax<qsizetype>(0, n.pattern.errorOffset());
    qsizetype raw = start;
    if (isQuoted) {
        const QChar quote = m_text[start];
        raw = start + 1;
        for (qsizetype v = 0; v < offset && raw < m_pos - 1; ++v)
            raw += m_text[raw] == u'\\' && (m_text[raw + 1] == quote || m_text[raw + 1] == u'\\')
                       ? 2
                       : 1;
    } else {
        raw = qMin(start + offset, m_pos);
    }
    return fail(raw, QStringLiteral("a valid regular expression"),
                QStringLiteral("invalid regular expression after %1: %2")
                    .arg(written, n.pattern.errorString()));
}

std::optional<Node> FilterParser::statusCodeArgument(const QString& written)
{
    skipSpace();
    const qsizetype start = m_pos;
    while (m_pos < m_text.size() && m_text[m_pos].unicode() >= '0' &&
           m_text[m_pos].unicode() <= '9')
        ++m_pos;
    const QString wanted = QStringLiteral("a status code after ") + written;
    if (m_pos == start)
        return fail(start, wanted, QStringLiteral("expected %1 (digits)").arg(wanted));
    bool ok = false;
    const int code = m_text.sliced(start, m_pos - start).toInt(&ok);
    if (!ok || code > 999)
        return fail(start, wanted,
                    QStringLiteral("status code %1 is out of range (0 to 999)")
                        .arg(m_text.sliced(start, m_pos - start)));
    Node n;
    n.kind = NodeKind::Code;
    n.statusCode = code;
    return n;
}

} // namespace spyglass::filter

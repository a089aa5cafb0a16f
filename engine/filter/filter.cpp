#include "filter/filter.h"

#include "filter/filter_nodes.h"
#include "filter/filter_parser.h"

namespace spyglass::filter {

Filter::Filter(std::shared_ptr<const Node> root, QString expression)
    : m_root(std::move(root)), m_expression(std::move(expression))
{
}

std::variant<Filter, ParseError> Filter::parse(QStringView expression)
{
    std::variant<Node, ParseError> parsed = FilterParser::parse(expression);
    if (ParseError* error = std::get_if<ParseError>(&parsed))
        return std::move(*error);
    Node root = std::move(std::get<Node>(parsed));
    orderCheapestFirst(root);
    return Filter(std::make_shared<const Node>(std::move(root)), expression.toString());
}

bool Filter::matches(const HttpFlow& flow) const
{
    return !m_root || evaluate(*m_root, flow);
}

QList<OperatorHelp> Filter::operators()
{
    QList<OperatorHelp> out;
    for (const OperatorSpec& op : operatorSpecs()) {
        QString argument;
        if (op.argument == Argument::Regex)
            argument = QStringLiteral("regex");
        else if (op.argument == Argument::StatusCode)
            argument = QStringLiteral("code");
        out.append(
            {QLatin1Char('~') + QLatin1StringView(op.name), argument, QString::fromUtf8(op.help)});
    }
    return out;
}

} // namespace spyglass::filter

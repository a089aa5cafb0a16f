#include "filter_bar.h"

#include <QTimer>

namespace spyglass {

namespace {

constexpr int ApplyDelayMs = 250;

} // namespace

FilterBar::FilterBar(QWidget* parent) : QLineEdit(parent), m_timer(new QTimer(this))
{
    setClearButtonEnabled(true);
    setPlaceholderText(tr("Filter, e.g. ~m POST & !~c 200 or ~d example.com"));
    setToolTip(operatorHelp());
    m_timer->setSingleShot(true);
    m_timer->setInterval(ApplyDelayMs);
    connect(m_timer, &QTimer::timeout, this, &FilterBar::emitFilter);
    connect(this, &QLineEdit::textChanged, this, &FilterBar::validate);
    connect(this, &QLineEdit::returnPressed, this, [this] {
        if (m_valid) {
            m_timer->stop();
            emitFilter();
        }
    });
}

QString FilterBar::operatorHelp()
{
    QStringList lines{tr("Filter expressions: ! (not), & (and), | (or), ( ). Operators:")};
    for (const filter::OperatorHelp& op : filter::Filter::operators()) {
        lines.append(op.takesArgument()
                         ? QStringLiteral("%1 %2\t%3").arg(op.name, op.argument, op.help)
                         : QStringLiteral("%1\t%2").arg(op.name, op.help));
    }
    return lines.join(QLatin1Char('\n'));
}

void FilterBar::setExpression(const QString& expression)
{
    setText(expression);
    if (m_valid) {
        m_timer->stop();
        emitFilter();
    }
}

void FilterBar::validate()
{
    const QString expression = text();
    if (expression.trimmed().isEmpty()) {
        m_valid = true;
        m_error.clear();
        m_pending = filter::Filter();
        setStyleSheet(QString());
        setToolTip(operatorHelp());
        m_timer->start();
        return;
    }
    auto parsed = filter::Filter::parse(expression);
    if (const auto* e = std::get_if<filter::ParseError>(&parsed)) {
        m_valid = false;
        m_error = e->message;
        m_timer->stop();
        setStyleSheet(QStringLiteral("QLineEdit { background-color: #f8d0d0; }"));
        setToolTip(e->message);
        return;
    }
    m_valid = true;
    m_error.clear();
    m_pending = std::get<filter::Filter>(std::move(parsed));
    setStyleSheet(QString());
    setToolTip(operatorHelp());
    m_timer->start();
}

void FilterBar::emitFilter()
{
    if (m_pending.expression() == m_filter.expression())
        return;
    m_filter = m_pending;
    Q_EMIT filterChanged(m_filter);
}

} // namespace spyglass

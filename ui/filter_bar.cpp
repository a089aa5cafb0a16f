#include "filter_bar.h"

#include <QAbstractItemView>
#include <QAction>
#include <QCompleter>
#include <QHeaderView>
#include <QKeyEvent>
#include <QMenu>
#include <QSettings>
#include <QStandardItemModel>
#include <QStyle>
#include <QTimer>
#include <QTreeView>

namespace spyglass {

namespace {

constexpr int ApplyDelayMs = 250;

} // namespace

FilterBar::FilterBar(QWidget* parent)
    : QLineEdit(parent), m_timer(new QTimer(this)), m_operators(new QStandardItemModel(this)),
      m_completer(new QCompleter(this))
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
            rememberCurrent();
        }
    });

    // Operators with their help, in two columns of the completer's popup.
    m_operators->setColumnCount(2);
    for (const filter::OperatorHelp& op : filter::Filter::operators()) {
        auto* name = new QStandardItem(op.name);
        auto* help = new QStandardItem(
            op.takesArgument() ? op.argument + QStringLiteral(" — ") + op.help : op.help);
        name->setToolTip(op.help);
        help->setToolTip(op.help);
        m_operators->appendRow({name, help});
    }
    auto* popup = new QTreeView;
    popup->setRootIsDecorated(false);
    popup->setHeaderHidden(true);
    popup->setUniformRowHeights(true);
    popup->setSelectionBehavior(QAbstractItemView::SelectRows);
    popup->setMinimumWidth(480);
    m_completer->setModel(m_operators);
    m_completer->setPopup(popup); // the completer owns it now
    popup->header()->resizeSection(0, 110);
    m_completer->setCompletionColumn(0);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setWidget(this);
    m_completer->setCompletionMode(QCompleter::PopupCompletion);
    connect(m_completer, qOverload<const QString&>(&QCompleter::activated), this,
            &FilterBar::insertCompletion);
    connect(this, &QLineEdit::textEdited, this, &FilterBar::updateCompletion);

    QAction* historyButton =
        addAction(style()->standardIcon(QStyle::SP_ArrowDown), QLineEdit::TrailingPosition);
    historyButton->setToolTip(tr("Recent expressions (Up and Down walk them)"));
    connect(historyButton, &QAction::triggered, this, [this] {
        QMenu* menu = historyMenu();
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->popup(mapToGlobal(rect().bottomRight()) - QPoint(menu->sizeHint().width(), 0));
    });
    setHistoryKey(QStringLiteral("filterBar/history"));
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

void FilterBar::setHistoryKey(const QString& key)
{
    m_historyKey = key;
    m_history = QSettings().value(key).toStringList().mid(0, MaxHistory);
    m_historyPos = -1;
}

void FilterBar::addToHistory(const QString& expression)
{
    const QString e = expression.trimmed();
    if (e.isEmpty())
        return;
    m_history.removeAll(e);
    m_history.prepend(e);
    while (m_history.size() > MaxHistory)
        m_history.removeLast();
    QSettings().setValue(m_historyKey, m_history);
    m_historyPos = -1;
}

void FilterBar::clearHistory()
{
    m_history.clear();
    m_historyPos = -1;
    QSettings().remove(m_historyKey);
}

void FilterBar::rememberCurrent()
{
    if (m_valid)
        addToHistory(text());
}

QMenu* FilterBar::historyMenu()
{
    auto* menu = new QMenu(tr("Recent expressions"), this);
    for (const QString& e : std::as_const(m_history)) {
        QAction* a = menu->addAction(e);
        a->setData(e);
        connect(a, &QAction::triggered, this, [this, e] {
            setExpression(e);
            addToHistory(e);
        });
    }
    if (m_history.isEmpty())
        menu->addAction(tr("No recent expressions"))->setEnabled(false);
    menu->addSeparator();
    QAction* clear = menu->addAction(tr("Clear history"));
    clear->setEnabled(!m_history.isEmpty());
    connect(clear, &QAction::triggered, this, &FilterBar::clearHistory);
    return menu;
}

void FilterBar::walkHistory(int step)
{
    if (m_history.isEmpty())
        return;
    const int pos = qBound(-1, m_historyPos + step, int(m_history.size()) - 1);
    if (pos == m_historyPos)
        return;
    m_historyPos = pos;
    setText(pos < 0 ? QString() : m_history.at(pos));
}

void FilterBar::keyPressEvent(QKeyEvent* event)
{
    if (m_completer->popup()->isVisible()) {
        // The popup handles these itself (the completer's event filter) and gives the rest.
        switch (event->key()) {
        case Qt::Key_Enter:
        case Qt::Key_Return:
        case Qt::Key_Escape:
        case Qt::Key_Tab:
        case Qt::Key_Backtab:
            event->ignore();
            return;
        default:
            break;
        }
    } else if (event->key() == Qt::Key_Up || event->key() == Qt::Key_Down) {
        walkHistory(event->key() == Qt::Key_Up ? 1 : -1);
        return;
    }
    QLineEdit::keyPressEvent(event);
}

void FilterBar::focusOutEvent(QFocusEvent* event)
{
    if (!m_completer->popup()->isVisible() && !text().trimmed().isEmpty() &&
        m_filter.expression() == text())
        rememberCurrent();
    QLineEdit::focusOutEvent(event);
}

std::pair<int, int> FilterBar::wordAtCursor() const
{
    const QString t = text();
    const int caret = cursorPosition();
    int start = caret;
    while (start > 0 && !t.at(start - 1).isSpace() && t.at(start - 1) != QLatin1Char('(') &&
           t.at(start - 1) != QLatin1Char('!') && t.at(start - 1) != QLatin1Char('&') &&
           t.at(start - 1) != QLatin1Char('|'))
        --start;
    int end = caret;
    while (end < t.size() && !t.at(end).isSpace() && t.at(end) != QLatin1Char(')'))
        ++end;
    return {start, end};
}

void FilterBar::updateCompletion()
{
    m_historyPos = -1;
    const auto [start, end] = wordAtCursor();
    const QString word = text().mid(start, cursorPosition() - start);
    if (!word.startsWith(QLatin1Char('~'))) {
        m_completer->popup()->hide();
        return;
    }
    m_completer->setCompletionPrefix(word);
    if (m_completer->completionCount() == 0 ||
        (m_completer->completionCount() == 1 && m_completer->currentCompletion() == word)) {
        m_completer->popup()->hide();
        return;
    }
    QRect at = cursorRect();
    at.setWidth(m_completer->popup()->minimumWidth());
    m_completer->complete(at);
}

void FilterBar::insertCompletion(const QString& op)
{
    const auto [start, end] = wordAtCursor();
    QString t = text();
    const bool spaceFollows = end < t.size() && t.at(end).isSpace();
    t.replace(start, end - start, spaceFollows ? op : op + QLatin1Char(' '));
    setText(t);
    setCursorPosition(start + int(op.size()) + 1);
}

} // namespace spyglass

#include "comment_view.h"

#include <QEvent>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTimer>
#include <QVBoxLayout>

namespace spyglass {

namespace {

constexpr int CommitDelayMs = 600;

} // namespace

CommentView::CommentView(QWidget* parent)
    : QWidget(parent), m_hint(new QLabel(this)), m_edit(new QPlainTextEdit(this)),
      m_timer(new QTimer(this))
{
    m_hint->setText(tr("A note for this flow: kept in saved sessions and HAR files, found "
                       "with ~comment."));
    m_hint->setWordWrap(true);
    m_edit->setPlaceholderText(tr("No comment. Type one here."));
    m_edit->setToolTip(tr("The flow's comment; saved as you type"));
    m_edit->installEventFilter(this);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_hint);
    layout->addWidget(m_edit, 1);
    m_timer->setSingleShot(true);
    m_timer->setInterval(CommitDelayMs);
    connect(m_timer, &QTimer::timeout, this, &CommentView::commit);
    connect(m_edit, &QPlainTextEdit::textChanged, this, [this] {
        if (!m_loading)
            m_timer->start();
    });
    setFlow(nullptr);
}

QString CommentView::text() const
{
    return m_edit->toPlainText();
}

void CommentView::setFlow(const FlowSnapshot& flow)
{
    const QUuid id = flow ? flow->id : QUuid();
    if (id != m_flow)
        commit(); // typed for the flow shown so far
    const QString comment = flow ? flow->comment : QString();
    const bool typing = id == m_flow && m_timer->isActive();
    m_flow = id;
    m_edit->setReadOnly(!flow);
    m_committed = comment;
    if (typing || m_edit->toPlainText() == comment)
        return;
    m_loading = true;
    m_edit->setPlainText(comment);
    m_loading = false;
}

void CommentView::commit()
{
    m_timer->stop();
    if (m_flow.isNull())
        return;
    const QString now = m_edit->toPlainText();
    if (now == m_committed)
        return;
    m_committed = now;
    Q_EMIT commentEdited(m_flow, now);
}

bool CommentView::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_edit && event->type() == QEvent::FocusOut)
        commit();
    return QWidget::eventFilter(watched, event);
}

} // namespace spyglass

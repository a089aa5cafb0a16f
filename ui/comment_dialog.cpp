#include "comment_dialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace spyglass {

CommentDialog::CommentDialog(const QString& comment, int flowCount, QWidget* parent)
    : QDialog(parent), m_edit(new QPlainTextEdit(this))
{
    setWindowTitle(flowCount == 1 ? tr("Comment on the flow")
                                  : tr("Comment on %n flows", nullptr, flowCount));
    auto* label = new QLabel(tr("Comment (empty removes it); find commented flows with "
                                "~comment TEXT:"),
                             this);
    label->setWordWrap(true);
    m_edit->setPlainText(comment);
    m_edit->selectAll();
    m_edit->setTabChangesFocus(true);
    m_edit->setToolTip(tr("Kept with the flow in saved sessions and HAR files"));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setToolTip(tr("Set the comment (Ctrl+Enter)"));
    buttons->button(QDialogButtonBox::Ok)->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(label);
    layout->addWidget(m_edit, 1);
    layout->addWidget(buttons);
    resize(420, 220);
}

QString CommentDialog::comment() const
{
    return m_edit->toPlainText();
}

} // namespace spyglass

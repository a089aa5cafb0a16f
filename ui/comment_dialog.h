#pragma once
// "Comment…" from the flow list: a small dialog to write the comment of the selected flows
// (one text for all of them; the first flow's comment is the starting text). The Comment tab
// of the detail pane (CommentView) edits the same value in place.

#include <QDialog>

class QPlainTextEdit;

namespace spyglass {

class CommentDialog : public QDialog
{
    Q_OBJECT
public:
    // `flowCount` only words the title.
    CommentDialog(const QString& comment, int flowCount, QWidget* parent = nullptr);

    QString comment() const;
    QPlainTextEdit* editor() const { return m_edit; }

private:
    QPlainTextEdit* m_edit;
};

} // namespace spyglass

#pragma once
// The detail pane's Comment tab: the selected flow's comment, editable in place. What the user
// types is handed on (commentEdited) after a short pause, when the field loses the focus, and
// before another flow is shown, so nothing typed is lost by selecting another row. The pane
// shows newer snapshots of the same flow without touching text still being typed.
// FlowListActions takes commentEdited to FlowListModel::setComment.

#include "flow/flow.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QTimer;

namespace spyglass {

class CommentView : public QWidget
{
    Q_OBJECT
public:
    explicit CommentView(QWidget* parent = nullptr);

    // Null shows an empty, read-only field.
    void setFlow(const FlowSnapshot& flow);
    QPlainTextEdit* editor() const { return m_edit; }
    QString text() const;
    // Hands on what was typed now, if anything is pending.
    void commit();

Q_SIGNALS:
    void commentEdited(const QUuid& flow, const QString& comment);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QUuid m_flow;
    QString m_committed; // the comment the flow holds, as far as this view knows
    QLabel* m_hint;
    QPlainTextEdit* m_edit;
    QTimer* m_timer;
    bool m_loading = false;
};

} // namespace spyglass

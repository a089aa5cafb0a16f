#pragma once
// The detail pane's WebSocket and TCP tabs: the flow's messages in a table (direction, time,
// size, type, a preview) with a text filter, the selected message below through the content
// views (text, JSON, hex...), and a summary line (count, how and by whom it was closed). Live
// flows grow in place: new messages append and the selection stays.

#include "flow/flow.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QTableView;

namespace spyglass {

class BodyView;
class MessagesModel;

class MessagesView : public QWidget
{
    Q_OBJECT
public:
    explicit MessagesView(bool websocket, QWidget* parent = nullptr);

    void setFlow(const FlowSnapshot& flow);
    void setTextFilter(const QString& text);
    void selectMessage(int row);

    MessagesModel* model() const { return m_model; }
    BodyView* body() const { return m_body; }
    QString summary() const;

private:
    void showSelected();
    void updateSummary();

    bool m_websocket;
    FlowSnapshot m_flow;
    MessagesModel* m_model;
    QLineEdit* m_filter;
    QLabel* m_summary;
    QTableView* m_table;
    BodyView* m_body;
};

} // namespace spyglass

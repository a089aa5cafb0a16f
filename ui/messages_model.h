#pragma once
// The messages of one WebSocket or TCP flow as a table (direction, time, size, type), for the
// detail pane's WebSocket and TCP tabs. It reads the flow snapshot's copy-on-write message
// list directly (no copies) and keeps its own index of the rows a text filter matches, so a
// connection with a hundred thousand messages filters without a proxy model.

#include "flow/flow.h"

#include <QAbstractTableModel>
#include <vector>

namespace spyglass {

class MessagesModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        DirectionColumn,
        TimeColumn,
        SizeColumn,
        TypeColumn,
        PreviewColumn,
        ColumnCount
    };

    // One message, whatever the protocol.
    struct Message
    {
        bool fromClient = false;
        bool isText = false;
        bool injected = false;
        bool dropped = false;
        double timestamp = 0;
        QByteArray content;
    };

    explicit MessagesModel(QObject* parent = nullptr);

    // Shows the WebSocket messages (websocket = true) or the TCP messages of `flow`. A newer
    // snapshot of the same flow appends the new rows instead of resetting.
    void setFlow(const FlowSnapshot& flow, bool websocket);
    // Keeps the messages whose content contains `text` (case-insensitive); empty: all.
    void setTextFilter(const QString& text);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    Message message(int row) const;
    qsizetype totalCount() const;

private:
    qsizetype sourceCount(const FlowSnapshot& flow) const;
    Message sourceMessage(qsizetype i) const;
    bool matches(qsizetype i) const;

    FlowSnapshot m_flow;
    bool m_websocket = true;
    QByteArray m_filter; // lower-case
    std::vector<qsizetype> m_rows;
};

} // namespace spyglass

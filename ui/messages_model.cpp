#include "messages_model.h"

#include <QDateTime>
#include <QLocale>

namespace spyglass {

MessagesModel::MessagesModel(QObject* parent) : QAbstractTableModel(parent) {}

qsizetype MessagesModel::sourceCount(const FlowSnapshot& flow) const
{
    if (!flow)
        return 0;
    if (m_websocket)
        return flow->websocket ? flow->websocket->messages.size() : 0;
    return flow->tcp ? flow->tcp->messages.size() : 0;
}

qsizetype MessagesModel::totalCount() const
{
    return sourceCount(m_flow);
}

MessagesModel::Message MessagesModel::sourceMessage(qsizetype i) const
{
    Message m;
    if (m_websocket) {
        const WebSocketMessage& w = m_flow->websocket->messages[i];
        m = Message{w.fromClient, w.isText, w.injected, w.dropped, w.timestamp, w.content};
    } else {
        const TcpMessage& t = m_flow->tcp->messages[i];
        m.fromClient = t.fromClient;
        m.timestamp = t.timestamp;
        m.content = t.content;
    }
    return m;
}

bool MessagesModel::matches(qsizetype i) const
{
    if (m_filter.isEmpty())
        return true;
    const QByteArray& content =
        m_websocket ? m_flow->websocket->messages[i].content : m_flow->tcp->messages[i].content;
    return content.toLower().contains(m_filter);
}

void MessagesModel::setFlow(const FlowSnapshot& flow, bool websocket)
{
    const bool sameFlow = flow && m_flow && flow->id == m_flow->id && websocket == m_websocket;
    const qsizetype before = sourceCount(m_flow);
    if (sameFlow && sourceCount(flow) >= before) {
        // Messages are only ever appended: add the new ones that match.
        m_flow = flow;
        std::vector<qsizetype> added;
        for (qsizetype i = before; i < sourceCount(flow); ++i)
            if (matches(i))
                added.push_back(i);
        if (!added.empty()) {
            const int first = int(m_rows.size());
            beginInsertRows({}, first, first + int(added.size()) - 1);
            m_rows.insert(m_rows.end(), added.begin(), added.end());
            endInsertRows();
        }
        return;
    }
    beginResetModel();
    m_flow = flow;
    m_websocket = websocket;
    m_rows.clear();
    for (qsizetype i = 0; i < sourceCount(flow); ++i)
        if (matches(i))
            m_rows.push_back(i);
    endResetModel();
}

void MessagesModel::setTextFilter(const QString& text)
{
    const QByteArray lower = text.toUtf8().toLower();
    if (lower == m_filter)
        return;
    beginResetModel();
    m_filter = lower;
    m_rows.clear();
    for (qsizetype i = 0; i < sourceCount(m_flow); ++i)
        if (matches(i))
            m_rows.push_back(i);
    endResetModel();
}

int MessagesModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int MessagesModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

MessagesModel::Message MessagesModel::message(int row) const
{
    if (row < 0 || row >= int(m_rows.size()))
        return {};
    return sourceMessage(m_rows[size_t(row)]);
}

QVariant MessagesModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()))
        return {};
    const Message m = sourceMessage(m_rows[size_t(index.row())]);
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case DirectionColumn:
            return m.fromClient ? tr("↑ sent") : tr("↓ received");
        case TimeColumn:
            return QDateTime::fromMSecsSinceEpoch(qint64(m.timestamp * 1000))
                .toString(QStringLiteral("HH:mm:ss.zzz"));
        case SizeColumn:
            return QLocale().formattedDataSize(m.content.size(), 1,
                                               QLocale::DataSizeTraditionalFormat);
        case TypeColumn: {
            QString type = !m_websocket ? tr("bytes") : (m.isText ? tr("text") : tr("binary"));
            if (m.injected)
                type += tr(", injected");
            if (m.dropped)
                type += tr(", dropped");
            return type;
        }
        case PreviewColumn: {
            QByteArray head = m.content.left(120);
            QString text = (m.isText || !m_websocket) ? QString::fromUtf8(head)
                                                      : QString::fromLatin1(head.toHex(' '));
            for (QChar& c : text)
                if (c.unicode() < 0x20)
                    c = QChar(0x00B7); // a middle dot for control characters
            return text;
        }
        }
    } else if (role == Qt::ToolTipRole && index.column() == DirectionColumn) {
        return m.fromClient ? tr("Sent by the client to the server")
                            : tr("Sent by the server to the client");
    } else if (role == Qt::TextAlignmentRole && index.column() == SizeColumn) {
        return int(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

QVariant MessagesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case DirectionColumn:
        return tr("Direction");
    case TimeColumn:
        return tr("Time");
    case SizeColumn:
        return tr("Size");
    case TypeColumn:
        return tr("Type");
    case PreviewColumn:
        return tr("Content");
    }
    return {};
}

} // namespace spyglass

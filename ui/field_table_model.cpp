#include "field_table_model.h"

#include <QFont>
#include <QStringDecoder>

#include <algorithm>

namespace spyglass {

FieldTableModel::FieldTableModel(const QStringList& columns, QObject* parent)
    : QAbstractTableModel(parent), m_columns(columns)
{
    Q_ASSERT(!columns.isEmpty());
}

FieldTableModel::Cell FieldTableModel::makeCell(const QByteArray& raw)
{
    Cell c;
    c.raw = raw;
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    c.text = utf8.decode(raw);
    if (utf8.hasError()) {
        c.latin1 = true;
        c.text = QString::fromLatin1(raw);
    }
    for (const char ch : raw) {
        const auto u = static_cast<unsigned char>(ch);
        if ((u < 0x20 && ch != '\t' && ch != '\r' && ch != '\n') || u == 0x7f) {
            c.binary = true;
            break;
        }
    }
    return c;
}

void FieldTableModel::setRows(const QList<Row>& rows)
{
    beginResetModel();
    m_rows.clear();
    for (const Row& r : rows) {
        QList<Cell> cells;
        for (int c = 0; c < m_columns.size(); ++c)
            cells.append(makeCell(r.value(c)));
        m_rows.append(cells);
    }
    m_modified = false;
    endResetModel();
}

QList<FieldTableModel::Row> FieldTableModel::rows() const
{
    QList<Row> out;
    out.reserve(m_rows.size());
    for (const QList<Cell>& cells : m_rows) {
        Row r;
        for (const Cell& c : cells)
            r.append(c.raw);
        out.append(r);
    }
    return out;
}

int FieldTableModel::appendRow(const Row& values)
{
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    QList<Cell> cells;
    for (int c = 0; c < m_columns.size(); ++c)
        cells.append(makeCell(values.value(c)));
    m_rows.append(cells);
    endInsertRows();
    markModified();
    return row;
}

bool FieldTableModel::isBinary(int row, int column) const
{
    return row >= 0 && row < m_rows.size() && column >= 0 && column < m_columns.size() &&
           m_rows[row][column].binary;
}

int FieldTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int FieldTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

QVariant FieldTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Cell& c = m_rows[index.row()][index.column()];
    switch (role) {
    case Qt::DisplayRole:
        if (c.binary)
            return tr("(%n byte(s) of binary data)", nullptr, int(c.raw.size()));
        return c.text;
    case Qt::EditRole:
        return c.binary ? QVariant() : QVariant(c.text);
    case Qt::ToolTipRole:
        return c.binary ? tr("Binary data, kept as it is; remove the row to drop it") : QVariant();
    case Qt::FontRole:
        if (c.binary) {
            QFont f;
            f.setItalic(true);
            return f;
        }
        return {};
    default:
        return {};
    }
}

bool FieldTableModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::EditRole ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    Cell& c = m_rows[index.row()][index.column()];
    const QString text = value.toString();
    if (c.binary)
        return false;
    if (text == c.text)
        return true;
    c.text = text;
    const bool fits =
        std::all_of(text.cbegin(), text.cend(), [](QChar ch) { return ch.unicode() <= 0xff; });
    c.raw = c.latin1 && fits ? text.toLatin1() : text.toUtf8();
    Q_EMIT dataChanged(index, index, {Qt::DisplayRole, Qt::EditRole});
    markModified();
    return true;
}

Qt::ItemFlags FieldTableModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (!m_rows[index.row()][index.column()].binary)
        f |= Qt::ItemIsEditable;
    return f;
}

QVariant FieldTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Horizontal)
        return m_columns.value(section);
    return section + 1;
}

bool FieldTableModel::insertRows(int row, int count, const QModelIndex& parent)
{
    if (parent.isValid() || row < 0 || row > m_rows.size() || count < 1)
        return false;
    beginInsertRows({}, row, row + count - 1);
    for (int i = 0; i < count; ++i)
        m_rows.insert(row, QList<Cell>(m_columns.size()));
    endInsertRows();
    markModified();
    return true;
}

bool FieldTableModel::removeRows(int row, int count, const QModelIndex& parent)
{
    if (parent.isValid() || row < 0 || count < 1 || row + count > m_rows.size())
        return false;
    beginRemoveRows({}, row, row + count - 1);
    m_rows.remove(row, count);
    endRemoveRows();
    markModified();
    return true;
}

bool FieldTableModel::moveRows(const QModelIndex& sourceParent, int sourceRow, int count,
                               const QModelIndex& destinationParent, int destinationChild)
{
    if (sourceParent.isValid() || destinationParent.isValid() || count < 1 || sourceRow < 0 ||
        sourceRow + count > m_rows.size() || destinationChild < 0 ||
        destinationChild > m_rows.size())
        return false;
    if (destinationChild >= sourceRow && destinationChild <= sourceRow + count)
        return false; // onto itself
    if (!beginMoveRows({}, sourceRow, sourceRow + count - 1, {}, destinationChild))
        return false;
    const QList<QList<Cell>> moved = m_rows.mid(sourceRow, count);
    m_rows.remove(sourceRow, count);
    const int to = destinationChild > sourceRow ? destinationChild - count : destinationChild;
    for (int i = 0; i < count; ++i)
        m_rows.insert(to + i, moved[i]);
    endMoveRows();
    markModified();
    return true;
}

void FieldTableModel::markModified()
{
    m_modified = true;
    Q_EMIT modified();
}

} // namespace spyglass

#pragma once
// An editable table of byte fields for the flow editor (message_editor.h): header fields
// (name, value), form fields (name, value) and multipart parts (name, file name, type, value).
// Rows can be added, removed and moved (insertRows/removeRows/moveRows, so the standard view
// machinery and QAbstractItemModelTester apply).
//
// Bytes in, bytes out, without loss: a cell shows its bytes as UTF-8 text, or as Latin-1 when
// they are not UTF-8 (obs-text in an old server's header, RFC 9110 5.5), and an edit is stored
// the same way (Latin-1 while every character fits). A cell nobody edited gives back exactly
// the bytes it was given. A cell that is not text (control bytes: an uploaded file) shows its
// size and cannot be edited in place; its row can still be moved or removed.

#include <QAbstractTableModel>
#include <QByteArray>
#include <QList>
#include <QStringList>

namespace spyglass {

class FieldTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    using Row = QList<QByteArray>;

    // One column per title; `columns` must not be empty.
    explicit FieldTableModel(const QStringList& columns, QObject* parent = nullptr);

    // Replaces every row (one model reset) and clears modified().
    void setRows(const QList<Row>& rows);
    // Each row with one entry per column.
    QList<Row> rows() const;
    // Whether anything changed since setRows(): an edit, a row added, removed or moved.
    bool isModified() const { return m_modified; }
    // Appends a row of `values` (missing ones empty); returns its row.
    int appendRow(const Row& values);
    // Whether the cell holds bytes that are not editable text.
    bool isBinary(int row, int column) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool insertRows(int row, int count, const QModelIndex& parent = {}) override;
    bool removeRows(int row, int count, const QModelIndex& parent = {}) override;
    bool moveRows(const QModelIndex& sourceParent, int sourceRow, int count,
                  const QModelIndex& destinationParent, int destinationChild) override;

Q_SIGNALS:
    // After any change that makes isModified() true.
    void modified();

private:
    struct Cell
    {
        QByteArray raw;
        QString text;
        bool binary = false;
        bool latin1 = false;
    };
    static Cell makeCell(const QByteArray& raw);
    void markModified();

    QStringList m_columns;
    QList<QList<Cell>> m_rows;
    bool m_modified = false;
};

} // namespace spyglass

#pragma once
// The flow table's model (DESIGN "The desktop app", CONVENTIONS 9-10): one row per flow in
// arrival order, fed by FlowHub batches. It owns the session's FlowStore, which keeps finished
// flows encoded (a million of them fit in memory); a row is the store's position plus a compact
// struct of what the table shows and sorts by that FlowStore::Summary lacks: four interned
// strings (method, host, HTTP version, content type: few distinct values) and the path in a
// ByteArena. That is 24 bytes and the path's bytes per row, never a full HttpFlow copy.
//
// A batch is one beginInsertRows for its new flows and one dataChanged per run of updated
// rows. Display text is made in data(); the detail pane and the filter decode a flow with
// flowAt() (a few microseconds).

#include "filter/filter.h"
#include "flow/byte_arena.h"
#include "flow/flow_store.h"

#include <QAbstractTableModel>
#include <QHash>
#include <functional>
#include <vector>

namespace spyglass {

class FlowListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        IndexColumn,
        TimeColumn,
        MethodColumn,
        HostColumn,
        PathColumn,
        StatusColumn,
        ContentTypeColumn,
        SizeColumn,
        DurationColumn,
        VersionColumn,
        ColumnCount
    };
    enum Role
    {
        FlowIdRole = Qt::UserRole + 1, // QUuid
    };

    explicit FlowListModel(QObject* parent = nullptr);
    ~FlowListModel() override;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // New flows append (one beginInsertRows), known ones update their row in place.
    void applyBatch(const QList<spyglass::FlowSnapshot>& batch);
    void clear();

    // The flow of `row`, decoded now (null for a row out of range).
    FlowSnapshot flowAt(int row) const;
    // -1 when unknown.
    int rowOf(const QUuid& id) const;
    const FlowStore& store() const { return m_store; }

    // For FlowFilterProxyModel: whether `row` matches, and the order of two rows by a column
    // (compared on the compact row data, without decoding).
    bool rowMatches(int row, const filter::Filter& filter) const;
    bool lessThan(int column, int left, int right) const;

private:
    struct Row
    {
        quint32 method = 0;
        quint32 host = 0;
        quint32 version = 0;
        quint32 contentType = 0;
        const char* path = nullptr; // in m_paths
    };

    quint32 intern(const QString& text);
    quint32 intern(const QByteArray& key, const std::function<QString()>& makeText);
    const QString& text(quint32 id) const { return m_strings[id]; }
    void fillRow(Row& row, const HttpFlow& flow);
    QString displayText(int row, int column) const;
    static double durationOf(const FlowStore::Summary& s);

    FlowStore m_store;
    std::vector<Row> m_rows;
    int m_rowCount = 0;       // rows announced to views; m_rows may be ahead inside applyBatch()
    QList<QString> m_strings; // id -> text; id 0 is ""
    QHash<QString, quint32> m_stringIds;
    QHash<QByteArray, quint32> m_keyIds; // raw value with a kind prefix -> string id
    ByteArena m_paths;
};

} // namespace spyglass

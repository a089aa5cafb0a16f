#pragma once
// The session's flows as a table in arrival order (DESIGN "The desktop app", CONVENTIONS 9-10),
// fed by FlowHub batches. It owns the session's FlowStore, which keeps finished flows encoded
// (a million of them fit in memory); a row is the store's position plus a compact struct of
// what the table shows, sorts and cheaply filters by that FlowStore::Summary lacks: ids of
// interned values (method, scheme, host, client address, HTTP version, content type, TLS
// version: few distinct values each), two ports, state flags and the path in a ByteArena.
// That is 48 bytes and the path's bytes per row, never a full HttpFlow copy.
//
// The window does not show this model directly: FlowTableModel (flow_table_model.h) filters
// and sorts it through its own row index, and FlowStructureModel groups it by host and path.
// Both work on the compact data below, so neither decodes a flow unless a filter needs more
// than the compact data holds (CompactFilter).
//
// A batch is one beginInsertRows for its new flows and one dataChanged per run of updated
// rows. Display text is made in data(); the detail pane decodes a flow with flowAt() (a few
// microseconds). Row colours are derived from the application palette, so they stay subtle
// in a dark theme as in a light one.
//
// Marks and comments are the user's (setMarker, setComment): the row keeps the marker
// interned and the comment in a side table, so the table, sorting and the ~marked, ~marker and
// ~comment filters need no decoding either.
//
// A flow edited in the window (FlowActions: Edit, whose Revert brings back the original) is
// "modified" until reverted, as mitmproxy's flow.modified(): its row is in italics and the
// Mark column shows a pencil (under a mark, if any) with a tooltip saying that V reverts it.
// The flag belongs to this session's window, where the original is kept; it is not saved.

#include "flow/byte_arena.h"
#include "flow/flow_store.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QSet>
#include <functional>
#include <optional>
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
        ClientColumn,
        MethodColumn,
        SchemeColumn,
        HostColumn,
        PathColumn,
        StatusColumn,
        ContentTypeColumn,
        SizeColumn,
        DurationColumn,
        VersionColumn,
        TlsColumn,
        MarkerColumn,  // the mark's symbol (flow_marker.h)
        CommentColumn, // the comment's first line
        ColumnCount
    };
    enum Role
    {
        FlowIdRole = Qt::UserRole + 1, // QUuid
        StoreRowRole,                  // int: the row in this model (and in the store)
    };
    // What a row is, for its colour; the first that applies wins.
    enum class RowState
    {
        Normal,
        Error,       // an error, or a 5xx answer
        Intercepted, // paused by the intercept filter
        WebSocket,
        Tcp,
        Replayed,
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

    // Marks and comments set in the window. The stored flow is replaced by a copy with the
    // new value (so a saved session or HAR keeps it, and filters see it at once); for a flow
    // that is still live the value is also remembered and laid over the engine's later
    // snapshots of it until it finishes (the engine does not know of the edit). Rows out of
    // range are ignored. Each emits flowsEdited() with the new snapshots.
    void setMarker(const QList<int>& rows, const QString& marker);
    void setComment(const QList<int>& rows, const QString& comment);
    // Removes rows (any order, duplicates allowed) from the session: one model reset, after
    // flowsAboutToBeRemoved() with the sorted distinct rows so that FlowTableModel can keep
    // its index instead of refiltering. A live flow removed stays away: the engine's later
    // snapshots of it are dropped until its last one.
    void removeFlows(const QList<int>& rows);
    QString markerOf(int row) const;
    QString commentOf(int row) const;
    // Edited in the window since it was recorded (see the top of this file). Unknown ids and
    // rows out of range are ignored (false).
    void setModified(const QUuid& id, bool modified);
    bool isModified(int row) const;
    // Held by intercept (from the row's flags: nothing decoded).
    bool isIntercepted(int row) const;
    // Null for a row out of range.
    QUuid flowId(int row) const;

    // The flow of `row`, decoded now (null for a row out of range).
    FlowSnapshot flowAt(int row) const;
    // -1 when unknown.
    int rowOf(const QUuid& id) const;
    const FlowStore& store() const { return m_store; }

    // Row data for FlowTableModel and FlowStructureModel (rows must be in range).
    QVariant rowData(int row, int column, int role) const;
    QString hostText(int row) const;
    QByteArrayView path(int row) const;
    RowState rowState(int row) const;

    // Sorting on compact data. Every column but Path and Comment orders by sortKey(); compare() is
    // the full order of two rows by a column (-1, 0, 1), equal rows left to the caller (who
    // keeps arrival order). Ranks of interned text are recomputed when new values appear;
    // the relative order of known values never changes, so a sorted index stays sorted.
    static bool hasSortKey(int column) { return column != PathColumn && column != CommentColumn; }
    qint64 sortKey(int column, int row) const;
    int compare(int column, int left, int right) const;
    // Arrival order as a tie-break (left < right when the keys are equal).
    bool lessThan(int column, int left, int right) const;

    // Fills `out` with the fields the compact row holds (kind, method, scheme, host, port,
    // path, whether there is a response, its status code, WebSocket, error, replay), enough
    // for the filter operators CompactFilter lets through. False when the row's Host header
    // names another host than the request's, which ~d, ~u and bare words read: those must be
    // decided on the decoded flow (every other field is filled all the same). `out` is
    // scratch reused across rows.
    bool fillCompactFlow(int row, HttpFlow& out) const;
    // What ~t, ~tq and ~ts need beyond fillCompactFlow(): the response's Content-Type as it
    // travelled, whether that one value is all there is (false for several Content-Type
    // headers, or one that is empty), and whether the request has one at all.
    struct CompactTypes
    {
        QByteArrayView response;
        bool responseExact = true;
        bool requestHasType = false;
    };
    CompactTypes compactContentTypes(int row) const;

Q_SIGNALS:
    // Marks or comments changed by setMarker()/setComment(): the new snapshots (the window
    // appends them to an autosave file).
    void flowsEdited(const QList<spyglass::FlowSnapshot>& flows);
    // Emitted by removeFlows() before the reset; `rows` sorted and distinct.
    void flowsAboutToBeRemoved(const std::vector<quint32>& rows);

private:
    enum RowFlag : quint16
    {
        TcpFlag = 1,
        WebSocketFlag = 2,
        ReplayFlag = 4,
        InterceptedFlag = 8,
        HasResponseFlag = 16,
        HostHeaderDiffersFlag = 32,
        HasCommentFlag = 64,
        // For ~t/~tq/~ts on compact rows (compactContentTypes()).
        RequestContentTypeFlag = 256,  // the request has a Content-Type header
        ResponseTypeInexactFlag = 512, // the response's Content-Type is not just the one kept
    };
    struct Row
    {
        quint32 method = 0;
        quint32 scheme = 0;
        quint32 host = 0;
        quint32 client = 0;
        quint32 version = 0;
        quint32 contentType = 0;
        quint32 tls = 0;
        quint32 marker = 0; // interned; 0: not marked
        quint16 port = 0;
        quint16 clientPort = 0;
        quint16 flags = 0;
        const char* path = nullptr; // in m_paths
    };
    // An interned value: the bytes as the flow had them (for the filter) and the text shown.
    struct Value
    {
        QByteArray raw;
        QString text;
    };

    quint32 intern(const QByteArray& key, const QByteArray& raw,
                   QString (*makeText)(const HttpFlow&), const HttpFlow& flow);
    const QString& text(quint32 id) const { return m_values[id].text; }
    quint32 rank(quint32 id) const;
    void fillRow(Row& row, const HttpFlow& flow);
    QString displayText(int row, int column) const;
    QVariant background(int row) const;
    static double durationOf(const FlowStore::Summary& s);
    // Replaces the rows' flows by copies that `edit` changed.
    void editFlows(const QList<int>& rows, const std::function<void(HttpFlow&)>& edit);
    // The user's edits laid over live flows (see setMarker()); empty nearly always.
    struct UserEdit
    {
        std::optional<QString> marker;
        std::optional<QString> comment;
    };
    QList<FlowSnapshot> withUserEdits(const QList<FlowSnapshot>& batch);

    FlowStore m_store;
    std::vector<Row> m_rows;
    int m_rowCount = 0;          // rows announced to views; m_rows may be ahead inside applyBatch()
    std::vector<Value> m_values; // id -> value; id 0 is empty
    QHash<QByteArray, quint32> m_valueIds; // kind prefix + what makes the value -> id
    mutable std::vector<quint32> m_ranks;  // id -> rank of its text; empty when stale
    ByteArena m_paths;
    // Comments by row: few flows have one.
    QHash<quint32, QString> m_comments;
    QHash<QUuid, UserEdit> m_userEdits;
    QSet<QUuid> m_removedLive;
    QSet<QUuid> m_modified;
};

} // namespace spyglass

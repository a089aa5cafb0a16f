#pragma once
// The Structure view's model (Charles's "Structure" beside its "Sequence"): the session's flows
// as a tree, host first, then one level per path segment (the query left out), each node with
// the number of flows at or below it. A node where flows end (a resource) remembers the store
// row of its latest flow, which the window shows when the node is selected.
//
// Built from FlowListModel's rows in slices of ~12 ms per event-loop turn (a million flows
// with distinct paths take seconds), shown with one model reset when it has caught up
// (isReady(), ready()); from then on grown from each batch's new rows: one beginInsertRows
// per new node, one dataChanged per node whose count changed. Host and
// path do not change once a flow is listed, so updates to known rows change nothing here;
// a cleared list clears the tree, and after flows were deleted (a reset with rows left) the
// rest is grouped again as at the start. The window makes it only when the view is first
// shown, so a session that is never looked at this way pays nothing for it. Memory grows with the
// number of distinct paths (a node is ~150 bytes), not with the number of flows.

#include <QAbstractItemModel>
#include <QHash>
#include <memory>
#include <vector>

class QTimer;

namespace spyglass {

class FlowListModel;

class FlowStructureModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column
    {
        NameColumn,
        CountColumn,
        ColumnCount
    };
    enum Role
    {
        StoreRowRole = Qt::UserRole + 1, // int: latest flow ending at this node, or -1
    };

    // `source` must outlive this model.
    explicit FlowStructureModel(FlowListModel* source, QObject* parent = nullptr);
    ~FlowStructureModel() override;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // The store row to show for `index` (its latest flow), -1 for a node where none ends.
    int storeRow(const QModelIndex& index) const;
    // The node of store row `row`'s flow; invalid when unknown.
    QModelIndex indexOfFlow(int row) const;

    // Whether the tree has caught up with the list (until then it shows nothing).
    bool isReady() const { return m_ready; }

Q_SIGNALS:
    void ready();

private:
    struct Node
    {
        QString name;
        Node* parent = nullptr;
        int row = 0; // in parent->children
        std::vector<std::unique_ptr<Node>> children;
        QHash<QString, Node*> byName;
        quint32 count = 0;  // flows at or below
        qint32 latest = -1; // store row of the latest flow ending here
    };

    void onRowsInserted(int first, int last);
    void addRows(Node& root, int first, int last, bool announce);
    void buildSlice();
    void onReset();
    Node* child(Node* parent, const QString& name, bool announce);
    QModelIndex indexOf(const Node* node, int column) const;
    QStringList segments(int row) const;

    FlowListModel* m_source;
    Node m_root;
    // While not ready: the tree being built, from the first m_built rows.
    bool m_ready = false;
    Node m_building;
    int m_built = 0;
    QTimer* m_timer;
};

} // namespace spyglass

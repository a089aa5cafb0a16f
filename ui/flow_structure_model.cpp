#include "flow_structure_model.h"

#include "flow_list_model.h"

#include <QElapsedTimer>
#include <QSet>
#include <QTimer>

namespace spyglass {

FlowStructureModel::FlowStructureModel(FlowListModel* source, QObject* parent)
    : QAbstractItemModel(parent), m_source(source), m_timer(new QTimer(this))
{
    connect(m_source, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex&, int first, int last) { onRowsInserted(first, last); });
    connect(m_source, &QAbstractItemModel::modelReset, this, &FlowStructureModel::onReset);
    m_timer->setSingleShot(true);
    m_timer->setInterval(0);
    connect(m_timer, &QTimer::timeout, this, &FlowStructureModel::buildSlice);
    m_ready = m_source->rowCount() == 0;
    if (!m_ready)
        m_timer->start();
}

void FlowStructureModel::buildSlice()
{
    constexpr qint64 BudgetNs = 12'000'000;
    QElapsedTimer clock;
    clock.start();
    const int total = m_source->rowCount();
    while (m_built < total && clock.nsecsElapsed() < BudgetNs) {
        const int last = qMin(total, m_built + 512) - 1;
        addRows(m_building, m_built, last, false);
        m_built = last + 1;
    }
    if (m_built < total) {
        m_timer->start();
        return;
    }
    beginResetModel();
    m_root = std::move(m_building);
    m_building = Node();
    for (auto& c : m_root.children)
        c->parent = &m_root;
    m_ready = true;
    endResetModel();
    Q_EMIT ready();
}

FlowStructureModel::~FlowStructureModel() = default;

QModelIndex FlowStructureModel::index(int row, int column, const QModelIndex& parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount || parent.column() > 0)
        return {};
    const Node* p = parent.isValid() ? static_cast<const Node*>(parent.internalPointer()) : &m_root;
    if (size_t(row) >= p->children.size())
        return {};
    return createIndex(row, column, p->children[size_t(row)].get());
}

QModelIndex FlowStructureModel::parent(const QModelIndex& child) const
{
    if (!child.isValid())
        return {};
    const Node* n = static_cast<const Node*>(child.internalPointer());
    return indexOf(n->parent, 0);
}

QModelIndex FlowStructureModel::indexOf(const Node* node, int column) const
{
    if (!node || node == &m_root)
        return {};
    return createIndex(node->row, column, const_cast<Node*>(node));
}

int FlowStructureModel::rowCount(const QModelIndex& parent) const
{
    if (parent.column() > 0)
        return 0;
    const Node* p = parent.isValid() ? static_cast<const Node*>(parent.internalPointer()) : &m_root;
    return int(p->children.size());
}

int FlowStructureModel::columnCount(const QModelIndex&) const
{
    return ColumnCount;
}

QVariant FlowStructureModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid())
        return {};
    const Node* n = static_cast<const Node*>(index.internalPointer());
    switch (role) {
    case Qt::DisplayRole:
        return index.column() == NameColumn ? QVariant(n->name) : QVariant(n->count);
    case Qt::TextAlignmentRole:
        return index.column() == CountColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                             : QVariant();
    case StoreRowRole:
        return n->latest;
    default:
        return {};
    }
}

QVariant FlowStructureModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == NameColumn ? tr("Host and path") : tr("Flows");
}

int FlowStructureModel::storeRow(const QModelIndex& index) const
{
    return index.isValid() ? static_cast<const Node*>(index.internalPointer())->latest : -1;
}

QStringList FlowStructureModel::segments(int row) const
{
    QByteArrayView path = m_source->path(row);
    const qsizetype query = path.indexOf('?');
    if (query >= 0)
        path = path.first(query);
    QStringList out{m_source->hostText(row)};
    for (const QByteArrayView part : QByteArray::fromRawData(path.data(), path.size()).split('/'))
        if (!part.isEmpty())
            out.append(QString::fromUtf8(part));
    if (out.size() == 1)
        out.append(QStringLiteral("/"));
    return out;
}

QModelIndex FlowStructureModel::indexOfFlow(int row) const
{
    if (row < 0 || row >= m_source->rowCount())
        return {};
    const Node* n = &m_root;
    for (const QString& name : segments(row)) {
        const Node* next = n->byName.value(name);
        if (!next)
            return {};
        n = next;
    }
    return indexOf(n, 0);
}

FlowStructureModel::Node* FlowStructureModel::child(Node* parent, const QString& name,
                                                    bool announce)
{
    if (Node* known = parent->byName.value(name))
        return known;
    const int row = int(parent->children.size());
    if (announce)
        beginInsertRows(indexOf(parent, 0), row, row);
    auto node = std::make_unique<Node>();
    node->name = name;
    node->parent = parent;
    node->row = row;
    Node* n = node.get();
    parent->children.push_back(std::move(node));
    parent->byName.insert(name, n);
    if (announce)
        endInsertRows();
    return n;
}

void FlowStructureModel::onRowsInserted(int first, int last)
{
    if (m_ready)
        addRows(m_root, first, last, true);
    // else buildSlice() reaches them
}

void FlowStructureModel::addRows(Node& root, int first, int last, bool announce)
{
    QSet<Node*> counted; // nodes that existed before this batch and whose count changed
    for (int r = first; r <= last; ++r) {
        Node* n = &root;
        for (const QString& name : segments(r)) {
            Node* next = n->byName.value(name);
            if (next && announce)
                counted.insert(next);
            n = next ? next : child(n, name, announce);
            ++n->count;
        }
        n->latest = r;
    }
    for (Node* n : std::as_const(counted))
        Q_EMIT dataChanged(indexOf(n, NameColumn), indexOf(n, CountColumn));
}

void FlowStructureModel::onReset()
{
    // A reset is a cleared list, or flows deleted (FlowListModel::removeFlows): the rows that
    // are left are grouped again, in slices as at the start.
    beginResetModel();
    m_root = Node();
    m_building = Node();
    m_built = 0;
    m_ready = m_source->rowCount() == 0;
    endResetModel();
    if (!m_ready)
        m_timer->start();
    else
        m_timer->stop();
}

} // namespace spyglass

#include "flow_list_model.h"

#include "flow/http_message.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QLocale>
#include <QUrl>
#include <algorithm>

namespace spyglass {

namespace {

// "text/html" out of "text/html; charset=utf-8".
QString mediaType(const QByteArray& contentType)
{
    const qsizetype semi = contentType.indexOf(';');
    return QString::fromLatin1(semi < 0 ? contentType : contentType.left(semi)).trimmed();
}

QString hostText(const Request& r)
{
    QString host = QUrl::fromAce(r.host, QUrl::IgnoreIDNWhitelist);
    if (host.isEmpty())
        host = QString::fromLatin1(r.host);
    if (host.contains(QLatin1Char(':')))
        host = QLatin1Char('[') + host + QLatin1Char(']');
    if (r.port != 0 && r.port != defaultPort(r.scheme))
        host += QLatin1Char(':') + QString::number(r.port);
    return host;
}

int compareNumbers(double a, double b)
{
    return a < b ? -1 : (b < a ? 1 : 0);
}

} // namespace

FlowListModel::FlowListModel(QObject* parent) : QAbstractTableModel(parent)
{
    m_strings.append(QString());
    m_stringIds.insert(QString(), 0);
}

FlowListModel::~FlowListModel() = default;

int FlowListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_rowCount;
}

int FlowListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

quint32 FlowListModel::intern(const QByteArray& key, const std::function<QString()>& makeText)
{
    const auto known = m_keyIds.constFind(key);
    if (known != m_keyIds.constEnd())
        return *known;
    const quint32 id = intern(makeText());
    m_keyIds.insert(key, id);
    return id;
}

quint32 FlowListModel::intern(const QString& text)
{
    const auto it = m_stringIds.constFind(text);
    if (it != m_stringIds.constEnd())
        return *it;
    const quint32 id = quint32(m_strings.size());
    m_strings.append(text);
    m_stringIds.insert(text, id);
    return id;
}

void FlowListModel::fillRow(Row& row, const HttpFlow& flow)
{
    // Keyed by the raw bytes (with a kind prefix): the display text, an IDNA conversion for a
    // host, is made once per distinct value, not once per flow.
    const Request& rq = flow.request;
    row.method = intern('m' + rq.method, [&] { return QString::fromLatin1(rq.method); });
    row.host = intern('h' + rq.scheme + ' ' + QByteArray::number(rq.port) + ' ' + rq.host,
                      [&] { return hostText(rq); });
    row.version = intern('v' + rq.httpVersion, [&] { return QString::fromLatin1(rq.httpVersion); });
    const QByteArray type = flow.response ? flow.response->headers.value("content-type") : "";
    row.contentType = intern('t' + type, [&] { return mediaType(type); });
    const QByteArray& path = flow.request.path;
    if (row.path && ByteArena::view(row.path) == QByteArrayView(path))
        return;
    if (row.path)
        m_paths.release(row.path);
    row.path = m_paths.add(path);
}

void FlowListModel::applyBatch(const QList<FlowSnapshot>& batch)
{
    if (batch.isEmpty())
        return;
    const qsizetype before = m_store.size();
    m_store.apply(batch);
    const qsizetype after = m_store.size();
    m_rows.resize(size_t(after));

    // Rows updated in place, collected to emit dataChanged per contiguous run.
    QList<int> updated;
    for (const FlowSnapshot& s : batch) {
        if (!s)
            continue;
        const qsizetype i = m_store.indexOf(s->id);
        if (i < 0)
            continue;
        fillRow(m_rows[size_t(i)], *s);
        if (i < before)
            updated.append(int(i));
    }
    // The new rows are filled already but rowCount() still says `before`: views learn of them
    // only between these two calls, as the model contract wants.
    if (after > before) {
        beginInsertRows({}, int(before), int(after - 1));
        m_rowCount = int(after);
        endInsertRows();
    }
    std::sort(updated.begin(), updated.end());
    for (qsizetype k = 0; k < updated.size();) {
        qsizetype end = k;
        while (end + 1 < updated.size() && updated[end + 1] <= updated[end] + 1)
            ++end;
        Q_EMIT dataChanged(index(updated[k], 0), index(updated[end], ColumnCount - 1));
        k = end + 1;
    }
}

void FlowListModel::clear()
{
    beginResetModel();
    m_store.clear();
    m_rows.clear();
    m_rows.shrink_to_fit();
    m_rowCount = 0;
    m_strings.resize(1);
    m_stringIds.clear();
    m_stringIds.insert(QString(), 0);
    m_keyIds.clear();
    m_paths.clear();
    endResetModel();
}

FlowSnapshot FlowListModel::flowAt(int row) const
{
    if (row < 0 || row >= rowCount())
        return nullptr;
    return m_store.at(row);
}

int FlowListModel::rowOf(const QUuid& id) const
{
    return int(m_store.indexOf(id));
}

bool FlowListModel::rowMatches(int row, const filter::Filter& filter) const
{
    if (filter.expression().isEmpty())
        return true;
    const FlowSnapshot flow = flowAt(row);
    return flow && filter.matches(*flow);
}

double FlowListModel::durationOf(const FlowStore::Summary& s)
{
    return s.timestampEnd > 0 && s.timestampStart > 0 ? s.timestampEnd - s.timestampStart : -1;
}

bool FlowListModel::lessThan(int column, int left, int right) const
{
    const Row& a = m_rows[size_t(left)];
    const Row& b = m_rows[size_t(right)];
    const FlowStore::Summary& sa = m_store.summary(left);
    const FlowStore::Summary& sb = m_store.summary(right);
    int c = 0;
    switch (Column(column)) {
    case IndexColumn:
        break;
    case TimeColumn:
        c = compareNumbers(sa.timestampStart, sb.timestampStart);
        break;
    case MethodColumn:
        c = text(a.method).compare(text(b.method));
        break;
    case HostColumn:
        c = text(a.host).compare(text(b.host), Qt::CaseInsensitive);
        break;
    case PathColumn:
        c = ByteArena::view(a.path).compare(ByteArena::view(b.path));
        break;
    case StatusColumn:
        c = compareNumbers(sa.statusCode, sb.statusCode);
        break;
    case ContentTypeColumn:
        c = text(a.contentType).compare(text(b.contentType));
        break;
    case SizeColumn:
        c = compareNumbers(double(sa.responseBodySize), double(sb.responseBodySize));
        break;
    case DurationColumn:
        c = compareNumbers(durationOf(sa), durationOf(sb));
        break;
    case VersionColumn:
        c = text(a.version).compare(text(b.version));
        break;
    case ColumnCount:
        break;
    }
    // Equal keys keep arrival order, so a sort is stable whatever the algorithm.
    return c != 0 ? c < 0 : left < right;
}

QString FlowListModel::displayText(int row, int column) const
{
    const Row& r = m_rows[size_t(row)];
    const FlowStore::Summary& s = m_store.summary(row);
    switch (Column(column)) {
    case IndexColumn:
        return QString::number(row + 1);
    case TimeColumn:
        if (s.timestampStart <= 0)
            return QString();
        return QDateTime::fromMSecsSinceEpoch(qint64(s.timestampStart * 1000))
            .toString(QStringLiteral("HH:mm:ss.zzz"));
    case MethodColumn:
        return text(r.method);
    case HostColumn:
        return text(r.host);
    case PathColumn:
        return QString::fromUtf8(ByteArena::view(r.path));
    case StatusColumn:
        if (s.statusCode > 0)
            return QString::number(s.statusCode);
        if (s.hasError)
            return tr("error");
        return s.live ? tr("…") : QString();
    case ContentTypeColumn:
        return text(r.contentType);
    case SizeColumn:
        if (s.statusCode == 0)
            return QString();
        return QLocale().formattedDataSize(s.responseBodySize, 1,
                                           QLocale::DataSizeTraditionalFormat);
    case DurationColumn: {
        const double d = durationOf(s);
        if (d < 0)
            return QString();
        if (d < 1)
            return tr("%1 ms").arg(qRound(d * 1000));
        return tr("%1 s").arg(d, 0, 'f', 2);
    }
    case VersionColumn:
        return text(r.version);
    case ColumnCount:
        break;
    }
    return QString();
}

QVariant FlowListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        return displayText(index.row(), index.column());
    case Qt::ToolTipRole:
        if (index.column() == PathColumn || index.column() == HostColumn)
            return displayText(index.row(), index.column());
        return {};
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case IndexColumn:
        case StatusColumn:
        case SizeColumn:
        case DurationColumn:
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
        }
    case Qt::ForegroundRole: {
        const FlowStore::Summary& s = m_store.summary(index.row());
        if (s.hasError || s.statusCode >= 500)
            return QBrush(QColor(0xc6, 0x28, 0x28));
        if (s.statusCode >= 400)
            return QBrush(QColor(0xd8, 0x6a, 0x00));
        return {};
    }
    case FlowIdRole:
        return m_store.summary(index.row()).id;
    default:
        return {};
    }
}

QVariant FlowListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case IndexColumn:
        return tr("#");
    case TimeColumn:
        return tr("Time");
    case MethodColumn:
        return tr("Method");
    case HostColumn:
        return tr("Host");
    case PathColumn:
        return tr("Path");
    case StatusColumn:
        return tr("Status");
    case ContentTypeColumn:
        return tr("Content type");
    case SizeColumn:
        return tr("Size");
    case DurationColumn:
        return tr("Duration");
    case VersionColumn:
        return tr("Version");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace spyglass

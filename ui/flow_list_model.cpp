#include "flow_list_model.h"

#include "content_type_icon.h"
#include "flow/flow_marker.h"
#include "flow/http_message.h"
#include "marker_icon.h"
#include "theme.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QFont>
#include <QGuiApplication>
#include <QLocale>
#include <QPalette>
#include <QUrl>
#include <algorithm>
#include <numeric>

namespace spyglass {

namespace {

// "text/html" out of "text/html; charset=utf-8".
QString mediaType(const QByteArray& contentType)
{
    const qsizetype semi = contentType.indexOf(';');
    return QString::fromLatin1(semi < 0 ? contentType : contentType.left(semi)).trimmed();
}

QString requestHostText(const Request& r)
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

QString hostOf(const HttpFlow& f)
{
    if (f.kind == FlowKind::Tcp)
        return QString::fromLatin1(f.server.peer.toString());
    return requestHostText(f.request);
}

QString methodOf(const HttpFlow& f)
{
    return f.kind == FlowKind::Tcp ? QStringLiteral("TCP") : QString::fromLatin1(f.request.method);
}

QString schemeOf(const HttpFlow& f)
{
    if (f.kind == FlowKind::Tcp)
        return f.client.tls ? QStringLiteral("tls") : QStringLiteral("tcp");
    return QString::fromLatin1(f.request.scheme);
}

QString clientOf(const HttpFlow& f)
{
    const QByteArray& h = f.client.peer.host;
    return h.contains(':') ? QStringLiteral("[%1]").arg(QString::fromLatin1(h))
                           : QString::fromLatin1(h);
}

QString versionOf(const HttpFlow& f)
{
    return QString::fromLatin1(f.request.httpVersion);
}

QString contentTypeOf(const HttpFlow& f)
{
    return f.response ? mediaType(f.response->headers.value("content-type")) : QString();
}

QString tlsOf(const HttpFlow& f)
{
    if (!f.client.tls)
        return QString();
    return f.client.tlsVersion.isEmpty() ? QStringLiteral("TLS")
                                         : QString::fromLatin1(f.client.tlsVersion);
}

QString markerSymbolOf(const HttpFlow& f)
{
    return FlowMarker::symbol(f.marked);
}

int compareNumbers(qint64 a, qint64 b)
{
    return a < b ? -1 : (b < a ? 1 : 0);
}

QColor mix(const QColor& a, const QColor& b, double t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t),
                            float(a.greenF() * (1 - t) + b.greenF() * t),
                            float(a.blueF() * (1 - t) + b.blueF() * t));
}

} // namespace

FlowListModel::FlowListModel(QObject* parent) : QAbstractTableModel(parent)
{
    m_values.push_back(Value{});
    m_valueIds.insert(QByteArray(), 0);
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

quint32 FlowListModel::intern(const QByteArray& key, const QByteArray& raw,
                              QString (*makeText)(const HttpFlow&), const HttpFlow& flow)
{
    // Keyed by the raw bytes (with a kind prefix): the display text, an IDNA conversion for a
    // host, is made once per distinct value, not once per flow.
    const auto known = m_valueIds.constFind(key);
    if (known != m_valueIds.constEnd())
        return *known;
    const quint32 id = quint32(m_values.size());
    m_values.push_back(Value{raw, makeText(flow)});
    m_valueIds.insert(key, id);
    m_ranks.clear();
    return id;
}

void FlowListModel::fillRow(Row& row, const HttpFlow& flow)
{
    const Request& rq = flow.request;
    const bool tcp = flow.kind == FlowKind::Tcp;
    row.method = intern((tcp ? "M" : "m") + rq.method, rq.method, methodOf, flow);
    row.scheme = intern((tcp ? (flow.client.tls ? "S1" : "S0") : "s") + rq.scheme, rq.scheme,
                        schemeOf, flow);
    QByteArray hostKey = tcp ? "H" + flow.server.peer.toString() + ' ' + rq.host
                             : 'h' + rq.scheme + ' ' + QByteArray::number(rq.port) + ' ' + rq.host;
    row.host = intern(hostKey, rq.host, hostOf, flow);
    row.client = intern('c' + flow.client.peer.host, flow.client.peer.host, clientOf, flow);
    row.version = intern('v' + rq.httpVersion, rq.httpVersion, versionOf, flow);
    const QByteArray type = flow.response ? flow.response->headers.value("content-type") : "";
    row.contentType = intern('t' + type, type, contentTypeOf, flow);
    row.tls = intern((flow.client.tls ? "T1" : "T0") + flow.client.tlsVersion,
                     flow.client.tlsVersion, tlsOf, flow);
    row.marker = flow.marked.isEmpty() ? 0
                                       : intern('k' + flow.marked.toUtf8(), flow.marked.toUtf8(),
                                                markerSymbolOf, flow);
    row.port = rq.port;
    row.clientPort = flow.client.peer.port;
    quint16 flags = 0;
    if (tcp)
        flags |= TcpFlag;
    // As the filter's ~websocket decides it (fillCompactFlow() hands this on to it).
    if (flow.response && flow.response->statusCode == 101 &&
        flow.response->headers.hasToken("upgrade", "websocket"))
        flags |= WebSocketFlag;
    if (flow.isReplay)
        flags |= ReplayFlag;
    if (flow.intercepted)
        flags |= InterceptedFlag;
    if (flow.response)
        flags |= HasResponseFlag;
    const QByteArray hostHeader = rq.hostHeader();
    if (!hostHeader.isEmpty() && hostHeader != rq.host)
        flags |= HostHeaderDiffersFlag;
    if (rq.headers.contains("content-type"))
        flags |= RequestContentTypeFlag;
    if (flow.response) {
        const qsizetype types = flow.response->headers.values("content-type").size();
        if (types > 1 || (types == 1 && flow.response->headers.value("content-type").isEmpty()))
            flags |= ResponseTypeInexactFlag;
    }
    row.flags = flags;
    const QByteArray& path = rq.path;
    if (row.path && ByteArena::view(row.path) == QByteArrayView(path))
        return;
    if (row.path)
        m_paths.release(row.path);
    row.path = m_paths.add(path);
}

void FlowListModel::applyBatch(const QList<FlowSnapshot>& incoming)
{
    if (incoming.isEmpty())
        return;
    const QList<FlowSnapshot> batch =
        m_userEdits.isEmpty() && m_removedLive.isEmpty() ? incoming : withUserEdits(incoming);
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
        Row& row = m_rows[size_t(i)];
        fillRow(row, *s);
        if (s->comment.isEmpty()) {
            m_comments.remove(quint32(i));
        } else {
            m_comments.insert(quint32(i), s->comment);
            row.flags |= HasCommentFlag;
        }
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
    m_values.resize(1);
    m_valueIds.clear();
    m_valueIds.insert(QByteArray(), 0);
    m_ranks.clear();
    m_paths.clear();
    m_comments.clear();
    m_userEdits.clear();
    m_removedLive.clear();
    m_modified.clear();
    endResetModel();
}

QList<FlowSnapshot> FlowListModel::withUserEdits(const QList<FlowSnapshot>& batch)
{
    QList<FlowSnapshot> out;
    out.reserve(batch.size());
    for (FlowSnapshot s : batch) {
        if (!s)
            continue;
        if (const auto removed = m_removedLive.constFind(s->id); removed != m_removedLive.cend()) {
            if (!s->live)
                m_removedLive.erase(removed);
            continue;
        }
        out.append(s);
        const auto it = m_userEdits.constFind(s->id);
        if (it == m_userEdits.constEnd())
            continue;
        auto copy = std::make_shared<HttpFlow>(*s);
        if (it->marker)
            copy->marked = *it->marker;
        if (it->comment)
            copy->comment = *it->comment;
        if (!copy->live)
            m_userEdits.erase(it); // the engine publishes nothing after the last snapshot
        out.last() = std::move(copy);
    }
    return out;
}

void FlowListModel::editFlows(const QList<int>& rows, const std::function<void(HttpFlow&)>& edit)
{
    QList<FlowSnapshot> edited;
    for (int row : rows) {
        const FlowSnapshot f = flowAt(row);
        if (!f)
            continue;
        auto copy = std::make_shared<HttpFlow>(*f);
        edit(*copy);
        if (copy->live) {
            UserEdit& u = m_userEdits[copy->id];
            u.marker = copy->marked;
            u.comment = copy->comment;
        }
        edited.append(std::move(copy));
    }
    if (edited.isEmpty())
        return;
    applyBatch(edited);
    Q_EMIT flowsEdited(edited);
}

void FlowListModel::setMarker(const QList<int>& rows, const QString& marker)
{
    editFlows(rows, [&marker](HttpFlow& f) { f.marked = marker; });
}

void FlowListModel::setComment(const QList<int>& rows, const QString& comment)
{
    editFlows(rows, [&comment](HttpFlow& f) { f.comment = comment; });
}

QString FlowListModel::markerOf(int row) const
{
    if (row < 0 || row >= rowCount())
        return QString();
    const quint32 id = m_rows[size_t(row)].marker;
    return id == 0 ? QString() : QString::fromUtf8(m_values[id].raw);
}

QString FlowListModel::commentOf(int row) const
{
    return row < 0 || row >= rowCount() ? QString() : m_comments.value(quint32(row));
}

void FlowListModel::removeFlows(const QList<int>& rows)
{
    std::vector<quint32> sorted;
    sorted.reserve(size_t(rows.size()));
    for (int r : rows)
        if (r >= 0 && r < rowCount())
            sorted.push_back(quint32(r));
    if (sorted.empty())
        return;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    Q_EMIT flowsAboutToBeRemoved(sorted);
    beginResetModel();
    std::vector<qsizetype> positions(sorted.begin(), sorted.end());
    for (quint32 r : sorted) {
        const FlowStore::Summary& gone = m_store.summary(r);
        m_userEdits.remove(gone.id);
        m_modified.remove(gone.id);
        if (gone.live)
            m_removedLive.insert(gone.id);
        if (m_rows[r].path)
            m_paths.release(m_rows[r].path);
    }
    m_store.remove(positions);
    size_t write = sorted.front();
    size_t next = 0;
    QHash<quint32, QString> comments;
    for (auto it = m_comments.cbegin(); it != m_comments.cend(); ++it) {
        const auto at = std::lower_bound(sorted.begin(), sorted.end(), it.key());
        if (at == sorted.end() || *at != it.key())
            comments.insert(it.key() - quint32(at - sorted.begin()), it.value());
    }
    m_comments.swap(comments);
    for (size_t read = sorted.front(); read < m_rows.size(); ++read) {
        if (next < sorted.size() && sorted[next] == read) {
            ++next;
            continue;
        }
        m_rows[write++] = m_rows[read];
    }
    m_rows.resize(write);
    m_rowCount = int(write);
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

QString FlowListModel::hostText(int row) const
{
    return text(m_rows[size_t(row)].host);
}

QByteArrayView FlowListModel::path(int row) const
{
    return ByteArena::view(m_rows[size_t(row)].path);
}

void FlowListModel::setModified(const QUuid& id, bool modified)
{
    const int row = rowOf(id);
    if (row < 0 || modified == m_modified.contains(id))
        return;
    if (modified)
        m_modified.insert(id);
    else
        m_modified.remove(id);
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

bool FlowListModel::isModified(int row) const
{
    return !m_modified.isEmpty() && row >= 0 && row < rowCount() &&
           m_modified.contains(m_store.summary(row).id);
}

bool FlowListModel::isIntercepted(int row) const
{
    return row >= 0 && row < rowCount() && (m_rows[size_t(row)].flags & InterceptedFlag);
}

QUuid FlowListModel::flowId(int row) const
{
    return row >= 0 && row < rowCount() ? m_store.summary(row).id : QUuid();
}

FlowListModel::RowState FlowListModel::rowState(int row) const
{
    const Row& r = m_rows[size_t(row)];
    const FlowStore::Summary& s = m_store.summary(row);
    if (s.hasError || s.statusCode >= 500)
        return RowState::Error;
    if (r.flags & InterceptedFlag)
        return RowState::Intercepted;
    if (r.flags & WebSocketFlag)
        return RowState::WebSocket;
    if (r.flags & TcpFlag)
        return RowState::Tcp;
    if (r.flags & ReplayFlag)
        return RowState::Replayed;
    return RowState::Normal;
}

bool FlowListModel::fillCompactFlow(int row, HttpFlow& out) const
{
    const Row& r = m_rows[size_t(row)];
    const FlowStore::Summary& s = m_store.summary(row);
    out.kind = (r.flags & TcpFlag) ? FlowKind::Tcp : FlowKind::Http;
    out.request.method = m_values[r.method].raw;
    out.request.scheme = m_values[r.scheme].raw;
    out.request.host = m_values[r.host].raw;
    out.request.port = r.port;
    const QByteArrayView p = ByteArena::view(r.path);
    out.request.path = QByteArray::fromRawData(p.data(), p.size());
    if (r.flags & HasResponseFlag) {
        if (!out.response)
            out.response.emplace();
        out.response->statusCode = s.statusCode;
        static const Headers upgrade{{"Upgrade", "websocket"}};
        if (r.flags & WebSocketFlag)
            out.response->headers = upgrade;
        else if (!out.response->headers.fields().isEmpty())
            out.response->headers = Headers();
    } else {
        out.response.reset();
    }
    if (s.hasError && !out.error)
        out.error.emplace();
    else if (!s.hasError)
        out.error.reset();
    out.isReplay = r.flags & ReplayFlag;
    if (r.marker)
        out.marked = QString::fromUtf8(m_values[r.marker].raw);
    else if (!out.marked.isEmpty())
        out.marked.clear();
    if (r.flags & HasCommentFlag)
        out.comment = m_comments.value(quint32(row));
    else if (!out.comment.isEmpty())
        out.comment.clear();
    return !(r.flags & HostHeaderDiffersFlag);
}

FlowListModel::CompactTypes FlowListModel::compactContentTypes(int row) const
{
    const Row& r = m_rows[size_t(row)];
    return {m_values[r.contentType].raw, !(r.flags & ResponseTypeInexactFlag),
            bool(r.flags & RequestContentTypeFlag)};
}

double FlowListModel::durationOf(const FlowStore::Summary& s)
{
    return s.timestampEnd > 0 && s.timestampStart > 0 ? s.timestampEnd - s.timestampStart : -1;
}

quint32 FlowListModel::rank(quint32 id) const
{
    if (m_ranks.size() != m_values.size()) {
        // Few distinct values (hosts, methods, types): sorted again whenever one is added.
        std::vector<quint32> order(m_values.size());
        std::iota(order.begin(), order.end(), 0);
        std::sort(order.begin(), order.end(), [this](quint32 a, quint32 b) {
            const int c = text(a).compare(text(b), Qt::CaseInsensitive);
            if (c != 0)
                return c < 0;
            const int d = text(a).compare(text(b));
            return d != 0 ? d < 0 : a < b;
        });
        m_ranks.assign(m_values.size(), 0);
        for (size_t k = 0; k < order.size(); ++k)
            m_ranks[order[k]] = quint32(k);
    }
    return m_ranks[id];
}

qint64 FlowListModel::sortKey(int column, int row) const
{
    const Row& r = m_rows[size_t(row)];
    const FlowStore::Summary& s = m_store.summary(row);
    switch (Column(column)) {
    case IndexColumn:
        return row;
    case TimeColumn:
        return qint64(s.timestampStart * 1e6);
    case ClientColumn:
        return (qint64(rank(r.client)) << 16) | r.clientPort;
    case MethodColumn:
        return rank(r.method);
    case SchemeColumn:
        return rank(r.scheme);
    case HostColumn:
        return rank(r.host);
    case StatusColumn:
        return s.statusCode;
    case ContentTypeColumn:
        return rank(r.contentType);
    case SizeColumn:
        return s.statusCode == 0 && !(r.flags & TcpFlag) ? -1 : s.responseBodySize;
    case DurationColumn: {
        const double d = durationOf(s);
        return d < 0 ? -1 : qint64(d * 1e6);
    }
    case VersionColumn:
        return rank(r.version);
    case TlsColumn:
        return rank(r.tls);
    case MarkerColumn:
        return rank(r.marker);
    case PathColumn:
    case CommentColumn:
    case ColumnCount:
        break;
    }
    return 0;
}

int FlowListModel::compare(int column, int left, int right) const
{
    if (column == PathColumn) {
        const int c = path(left).compare(path(right));
        return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    if (column == CommentColumn) {
        const int c = QString::compare(m_comments.value(quint32(left)),
                                       m_comments.value(quint32(right)), Qt::CaseInsensitive);
        return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    return compareNumbers(sortKey(column, left), sortKey(column, right));
}

bool FlowListModel::lessThan(int column, int left, int right) const
{
    const int c = compare(column, left, right);
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
    case ClientColumn:
        if (r.clientPort == 0)
            return text(r.client);
        return text(r.client) + QLatin1Char(':') + QString::number(r.clientPort);
    case MethodColumn:
        return text(r.method);
    case SchemeColumn:
        return text(r.scheme);
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
        if (s.statusCode == 0 && !(r.flags & TcpFlag))
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
    case TlsColumn:
        return text(r.tls);
    case MarkerColumn:
        // A colour mark is a dot (DecorationRole), the same on every system.
        return MarkerIcon::colour(markerOf(row)).isValid() ? QString() : text(r.marker);
    case CommentColumn:
        if (!(r.flags & HasCommentFlag))
            return QString();
        return m_comments.value(quint32(row)).section(QLatin1Char('\n'), 0, 0);
    case ColumnCount:
        break;
    }
    return QString();
}

QVariant FlowListModel::background(int row) const
{
    // A light tint of the palette's base colour, so it reads in light and dark themes alike
    // and never hides the text or the selection.
    QColor hue;
    switch (rowState(row)) {
    case RowState::Normal:
        return {};
    case RowState::Error:
        hue = QColor(0xe0, 0x40, 0x40);
        break;
    case RowState::Intercepted:
        hue = QColor(0xf0, 0xa0, 0x00);
        break;
    case RowState::WebSocket:
        hue = QColor(0x30, 0x90, 0xe0);
        break;
    case RowState::Tcp:
        hue = QColor(0x90, 0x60, 0xd0);
        break;
    case RowState::Replayed:
        hue = QColor(0x30, 0xb0, 0x60);
        break;
    }
    const QColor base = QGuiApplication::palette().color(QPalette::Base);
    return QBrush(mix(base, hue, base.lightnessF() < 0.5 ? 0.22 : 0.14));
}

QVariant FlowListModel::rowData(int row, int column, int role) const
{
    switch (role) {
    case Qt::DisplayRole:
        return displayText(row, column);
    case Qt::ToolTipRole:
        if (column == PathColumn || column == HostColumn)
            return displayText(row, column);
        if (column == CommentColumn)
            return m_comments.value(quint32(row));
        if (column == MarkerColumn) {
            if (!isModified(row))
                return markerOf(row);
            const QString modified = tr("Modified — Revert with V");
            const QString marker = markerOf(row);
            return marker.isEmpty() ? modified : marker + QLatin1Char('\n') + modified;
        }
        return {};
    case Qt::TextAlignmentRole:
        switch (column) {
        case IndexColumn:
        case StatusColumn:
        case SizeColumn:
        case DurationColumn:
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        case MarkerColumn:
            return QVariant(Qt::AlignCenter);
        default:
            return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
        }
    case Qt::DecorationRole:
        if (column == PathColumn) {
            const Row& r = m_rows[size_t(row)];
            const ContentTypeIcon::Kind kind =
                (r.flags & TcpFlag)         ? ContentTypeIcon::Kind::Tcp
                : (r.flags & WebSocketFlag) ? ContentTypeIcon::Kind::WebSocket
                                            : ContentTypeIcon::kindOf(m_values[r.contentType].raw);
            const QIcon icon = ContentTypeIcon::icon(kind);
            return icon.isNull() ? QVariant() : QVariant(icon);
        }
        if (column != MarkerColumn)
            return {};
        if (m_rows[size_t(row)].marker != 0)
            if (const QIcon icon = MarkerIcon::icon(markerOf(row)); !icon.isNull())
                return icon;
        if (isModified(row) && displayText(row, column).isEmpty())
            return Theme::icon(QStringLiteral("modified"));
        return {};
    case Qt::FontRole:
        if (!isModified(row))
            return {};
        {
            QFont italic = QGuiApplication::font();
            italic.setItalic(true);
            return italic;
        }
    case Qt::BackgroundRole:
        return background(row);
    case Qt::ForegroundRole: {
        const FlowStore::Summary& s = m_store.summary(row);
        if (s.statusCode < 400 && !s.hasError)
            return {};
        const QColor text = QGuiApplication::palette().color(QPalette::Text);
        const QColor hue =
            s.statusCode >= 500 || s.hasError ? QColor(0xe0, 0x30, 0x30) : QColor(0xe0, 0x80, 0x00);
        return QBrush(mix(text, hue, 0.7));
    }
    case FlowIdRole:
        return m_store.summary(row).id;
    case StoreRowRole:
        return row;
    default:
        return {};
    }
}

QVariant FlowListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount)
        return {};
    return rowData(index.row(), index.column(), role);
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
    case ClientColumn:
        return tr("Client");
    case MethodColumn:
        return tr("Method");
    case SchemeColumn:
        return tr("Scheme");
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
    case TlsColumn:
        return tr("TLS");
    case MarkerColumn:
        return tr("Mark");
    case CommentColumn:
        return tr("Comment");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace spyglass

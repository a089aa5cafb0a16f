#include "flow/flow_store.h"

#include "flow/field_table.h"
#include "io/flow_codec.h"

#include <QtGlobal>

#include <algorithm>

namespace spyglass {

namespace {

// A body is kept shared with its snapshot unless its allocation holds this much unused room
// (at least 64 bytes and an eighth of the body): a body grown by appends can be twice its
// size, and whatever it holds lives as long as the session. Then it is copied tight, once.
QByteArray keptBody(const QByteArray& body)
{
    if (body.isEmpty())
        return {};
    const qsizetype slack = body.capacity() - body.size();
    if (slack >= 64 && slack > body.size() / 8)
        return QByteArray(body.constData(), body.size());
    return body;
}

// The blob's prefix: 1 when the bodies are in the side table, else the inline request body's
// size times two, then the inline response body's size; then the client's and the server's
// connection reference; each an LEB128 varint.
qsizetype putVarint(char* to, quint64 v)
{
    qsizetype n = 0;
    while (v >= 0x80) {
        to[n++] = char(v | 0x80);
        v >>= 7;
    }
    to[n++] = char(v);
    return n;
}

quint64 takeVarint(const char*& from)
{
    quint64 v = 0;
    int shift = 0;
    uchar b;
    do {
        b = uchar(*from++);
        v |= quint64(b & 0x7f) << shift;
        shift += 7;
    } while (b & 0x80);
    return v;
}

constexpr quint64 BodiesApart = 1;

} // namespace

FlowStore::FlowStore() : m_fields(std::make_unique<FieldTable>()) {}
FlowStore::~FlowStore() = default;

qsizetype FlowStore::apply(const QList<FlowSnapshot>& batch)
{
    qsizetype added = 0;
    for (const FlowSnapshot& s : batch) {
        if (!s)
            continue;
        qsizetype i;
        const auto it = m_index.constFind(s->id);
        if (it != m_index.constEnd()) {
            i = qsizetype(*it);
        } else {
            i = m_size;
            if (size_t(i >> ChunkBits) == m_chunks.size())
                m_chunks.push_back(std::make_unique<Entry[]>(size_t(ChunkSize)));
            ++m_size;
            m_index.insert(s->id, quint32(i));
            ++added;
        }
        store(i, s);
    }
    return added;
}

void FlowStore::store(qsizetype i, const FlowSnapshot& s)
{
    Entry& e = entry(i);
    Summary& sum = e.summary;
    sum.id = s->id;
    sum.timestampStart = s->timestampCreated();
    sum.timestampEnd = s->response ? s->response->timestampEnd : s->error ? s->error->timestamp : 0;
    sum.requestBodySize = s->request.body.size;
    sum.responseBodySize = s->response ? s->response->body.size : 0;
    if (s->kind == FlowKind::Tcp && s->tcp) {
        if (!s->error)
            sum.timestampEnd = s->tcp->timestampEnd;
        sum.requestBodySize = s->tcp->bytes(true);
        sum.responseBodySize = s->tcp->bytes(false);
    }
    sum.statusCode = s->response ? s->response->statusCode : 0;
    sum.live = s->live;
    sum.hasError = s->error.has_value();

    if (s->live) {
        releaseBlob(e);
        m_bodies.remove(quint32(i));
        m_live.insert(quint32(i), s);
        m_webSockets.remove(quint32(i));
        m_tcp.remove(quint32(i));
        return;
    }
    m_live.remove(quint32(i));

    // Bodies, WebSocket and TCP data are kept apart: the codec leaves them out of the
    // encoding (as if encoding a copy without them, without making that copy).
    if (s->websocket)
        m_webSockets.insert(quint32(i), s->websocket);
    else
        m_webSockets.remove(quint32(i));
    if (s->tcp)
        m_tcp.insert(quint32(i), s->tcp);
    else
        m_tcp.remove(quint32(i));
    const quint32 client = internConnection(s->client, internChain(s->client.certificateChainDer));
    const quint32 server = internConnection(s->server, internChain(s->server.certificateChainDer));
    const QByteArray payload = FlowCodec::encodeFlowForStore(*s, *m_fields);

    releaseBlob(e);
    const QByteArray& request = s->request.body.content;
    const QByteArray response = s->response ? s->response->body.content : QByteArray();
    char prefix[40];
    qsizetype n;
    const bool inlineBodies =
        request.size() <= InlineBodyLimit && response.size() <= InlineBodyLimit;
    if (inlineBodies) {
        m_bodies.remove(quint32(i));
        n = putVarint(prefix, quint64(request.size()) << 1);
        n += putVarint(prefix + n, quint64(response.size()));
    } else {
        m_bodies.insert(quint32(i), Bodies{keptBody(request), keptBody(response)});
        n = putVarint(prefix, BodiesApart);
    }
    n += putVarint(prefix + n, client);
    n += putVarint(prefix + n, server);
    if (inlineBodies)
        e.blob = m_blobs.add({QByteArrayView(prefix, n), request, response, payload});
    else
        e.blob = m_blobs.add({QByteArrayView(prefix, n), payload});
}

void FlowStore::releaseBlob(Entry& e)
{
    if (!e.blob)
        return;
    m_blobs.release(e.blob);
    e.blob = nullptr;
    // A finished flow replaced again (a mark, a comment, a new live phase) leaves its old
    // encoding behind. Once more is dead than alive, copy the living ones into a fresh arena.
    if (m_blobs.deadBytes() > qMax<qsizetype>(m_blobs.liveBytes(), CompactAfterDeadBytes))
        compactBlobs();
}

void FlowStore::compactBlobs()
{
    ByteArena fresh;
    for (qsizetype i = 0; i < m_size; ++i) {
        Entry& e = entry(i);
        if (e.blob)
            e.blob = fresh.add(ByteArena::view(e.blob));
    }
    m_blobs = std::move(fresh);
}

quint32 FlowStore::internChain(const CertificateChain& chain)
{
    if (chain.isEmpty())
        return 0; // inline and empty: one byte in the payload
    if (const auto it = m_chainByData.constFind(chain.constData()); it != m_chainByData.constEnd())
        return *it;
    if (const auto it = m_chainByContent.constFind(chain); it != m_chainByContent.constEnd()) {
        // A known chain in another list (another handshake with the same server): remember
        // this list too, kept alive in a small ring so that its pointer stays its own.
        const quint32 ref = *it;
        CertificateChain& slot = m_recentChains[m_recentNext];
        m_recentNext = (m_recentNext + 1) % m_recentChains.size();
        if (!slot.isEmpty())
            m_chainByData.remove(slot.constData());
        slot = chain;
        m_chainByData.insert(chain.constData(), ref);
        return ref;
    }
    m_chains.append(chain);
    const quint32 ref = quint32(m_chains.size());
    m_chainByContent.insert(chain, ref);
    m_chainByData.insert(chain.constData(), ref);
    return ref;
}

quint32 FlowStore::internConnection(const Connection& connection, quint32 chainRef)
{
    if (!m_recentConnections)
        m_recentConnections = std::make_unique<std::array<RecentConnection, 64>>();
    RecentConnection& slot =
        (*m_recentConnections)[size_t(connection.id % m_recentConnections->size())];
    if (slot.ref != 0 && slot.chainRef == chainRef && slot.connection == connection)
        return slot.ref;
    m_connections.push_back(
        m_connectionBlobs.add(FlowCodec::encodeConnection(connection, chainRef)));
    slot.connection = connection;
    slot.chainRef = chainRef;
    slot.ref = quint32(m_connections.size());
    return slot.ref;
}

void FlowStore::decode(qsizetype i, HttpFlow& out) const
{
    const Entry& e = entry(i);
    const QByteArrayView blob = ByteArena::view(e.blob);
    const char* at = blob.data();
    const quint64 tag = takeVarint(at);
    const qsizetype requestSize = tag == BodiesApart ? 0 : qsizetype(tag >> 1);
    const qsizetype responseSize = tag == BodiesApart ? 0 : qsizetype(takeVarint(at));
    const quint64 client = takeVarint(at);
    const quint64 server = takeVarint(at);
    QByteArray request, response;
    if (tag == BodiesApart) {
        const auto it = m_bodies.constFind(quint32(i));
        if (it != m_bodies.constEnd()) {
            request = it->request;
            response = it->response;
        }
    } else {
        if (requestSize > 0)
            request = QByteArray(at, requestSize);
        at += requestSize;
        if (responseSize > 0)
            response = QByteArray(at, responseSize);
        at += responseSize;
    }
    out.id = e.summary.id;
    QString error = FlowCodec::decodeFlowForStore(QByteArrayView(at, blob.data() + blob.size()),
                                                  *m_fields, out);
    const auto connection = [this, &error](quint64 ref, Connection& to) {
        if (!error.isEmpty())
            return;
        if (ref == 0 || ref > m_connections.size())
            error = QStringLiteral("reference to unknown connection %1").arg(ref);
        else
            error = FlowCodec::decodeConnection(ByteArena::view(m_connections[size_t(ref - 1)]),
                                                m_chains, to);
    };
    connection(client, out.client);
    connection(server, out.server);
    // The payload was written by this store a moment ago: failing here is a codec bug. Say
    // so, and hand out what did decode rather than nothing.
    if (!error.isEmpty())
        qCritical("FlowStore: flow %s does not decode: %s",
                  qPrintable(e.summary.id.toString(QUuid::WithoutBraces)), qPrintable(error));
    out.request.body.content = std::move(request);
    if (out.response)
        out.response->body.content = std::move(response);
    out.websocket = m_webSockets.value(quint32(i));
    if (out.kind == FlowKind::Tcp)
        out.tcp = m_tcp.value(quint32(i));
}

qsizetype FlowStore::indexOf(const QUuid& id) const
{
    const auto it = m_index.constFind(id);
    return it == m_index.constEnd() ? -1 : qsizetype(*it);
}

FlowSnapshot FlowStore::at(qsizetype i) const
{
    Q_ASSERT(i >= 0 && i < m_size);
    const Entry& e = entry(i);
    if (e.summary.live)
        return m_live.value(quint32(i));
    auto flow = std::make_shared<HttpFlow>();
    decode(i, *flow);
    return flow;
}

void FlowStore::forEach(const std::function<void(const HttpFlow&)>& visit) const
{
    HttpFlow scratch;
    for (qsizetype i = 0; i < m_size; ++i) {
        const Entry& e = entry(i);
        if (e.summary.live) {
            visit(*m_live.value(quint32(i)));
        } else {
            decode(i, scratch);
            visit(scratch);
        }
    }
}

QList<FlowSnapshot> FlowStore::snapshots() const
{
    QList<FlowSnapshot> out;
    out.reserve(m_size);
    for (qsizetype i = 0; i < m_size; ++i)
        out.append(at(i));
    return out;
}

void FlowStore::remove(const std::vector<qsizetype>& positions)
{
    if (positions.empty())
        return;
    // Release the dropped encodings first (compaction, if it runs, sees consistent entries),
    // then slide the kept entries down over the gaps.
    for (qsizetype p : positions) {
        Entry& e = entry(p);
        m_index.remove(e.summary.id);
        if (e.blob) {
            m_blobs.release(e.blob);
            e.blob = nullptr;
        }
    }
    const auto remap = [&positions](quint32 i) -> qint64 {
        const auto it = std::lower_bound(positions.begin(), positions.end(), qsizetype(i));
        if (it != positions.end() && *it == qsizetype(i))
            return -1;
        return qint64(i) - (it - positions.begin());
    };
    const auto remapHash = [&remap](auto& hash) {
        std::remove_reference_t<decltype(hash)> moved;
        for (auto it = hash.cbegin(); it != hash.cend(); ++it)
            if (const qint64 to = remap(it.key()); to >= 0)
                moved.insert(quint32(to), it.value());
        hash.swap(moved);
    };
    remapHash(m_live);
    remapHash(m_bodies);
    remapHash(m_webSockets);
    remapHash(m_tcp);
    qsizetype write = positions.front();
    size_t next = 0;
    for (qsizetype read = positions.front(); read < m_size; ++read) {
        if (next < positions.size() && positions[next] == read) {
            ++next;
            continue;
        }
        Entry& from = entry(read);
        Entry& to = entry(write);
        to.summary = from.summary;
        to.blob = from.blob;
        m_index.insert(to.summary.id, quint32(write));
        ++write;
    }
    for (qsizetype i = write; i < m_size; ++i) {
        Entry& e = entry(i);
        e = Entry{};
    }
    m_size = write;
    while (qsizetype(m_chunks.size()) > (m_size + ChunkSize - 1) / ChunkSize)
        m_chunks.pop_back();
    if (m_blobs.deadBytes() > qMax<qsizetype>(m_blobs.liveBytes(), CompactAfterDeadBytes))
        compactBlobs();
}

void FlowStore::clear()
{
    m_chunks.clear();
    m_size = 0;
    m_index.clear();
    m_live.clear();
    m_bodies.clear();
    m_webSockets.clear();
    m_tcp.clear();
    m_blobs.clear();
    m_chains.clear();
    m_chainByContent.clear();
    m_chainByData.clear();
    m_recentChains.fill(CertificateChain());
    m_recentNext = 0;
    m_connectionBlobs.clear();
    m_connections.clear();
    m_recentConnections.reset();
    m_fields->clear();
}

} // namespace spyglass

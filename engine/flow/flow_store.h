#pragma once
// The session's flows, in arrival order (DESIGN "Flows and threads"). Lives on the consumer's
// thread (the window's or spyglass-dump's main thread) and is fed by FlowHub batches; a newer
// snapshot of a known flow replaces the older one in place.
//
// Memory is the point: a session may hold a million flows, and a snapshot of a small exchange
// with a 1 KiB body costs ~4.7 KB of heap (every header field is two QByteArrays, both Connections
// are copied whole). So only a live flow is kept as its snapshot. A finished one is encoded with
// FlowCodec (the session file's flow payload: LEB128 varints, lengths, no pointers) into a
// ByteArena (no heap block per flow), with two things left out of the encoding:
//  - the request and response bodies. Small ones (both at most InlineBodyLimit) are copied
//    into the arena after the encoding: a 1 KiB body as its own heap block costs 1,152 bytes
//    (tcmalloc's size class) plus QByteArray's header, in the arena 1,026. Larger ones are
//    kept as QByteArrays shared with the snapshot they came from, in a side table, so no byte
//    of them is copied; only a body with much unused room in its allocation (one grown by
//    appends) is copied tight once, else the slack would live as long as the session.
//  - certificate chains: each distinct chain is kept once and flows refer to it by number
//    (FlowCodec::ChainRefs), as in a session file.
//  - the two Connections: every flow of a keep-alive connection carries the same ones, so
//    each distinct Connection is encoded once (FlowCodec::encodeConnection, ~110 bytes with
//    TLS details) and flows refer to it by number, a varint in the blob's prefix. A small
//    cache of the Connections seen last tells, by comparing them whole, whether a flow's
//    Connection is one already kept; a changed one (closed since, say) is kept anew.
//  - WebSocket messages: the flow's immutable WebSocketData is kept shared, in a side table;
//    so are a TCP flow's messages (TcpData). For TCP flows the summary's timestamps are the
//    connection's and its body sizes are the bytes each side sent.
//  - the flow id (the summary has it), and every header field and request-line string that
//    flows repeat: a FieldTable holds each such field once and encodings refer to it by
//    number (FlowCodec::encodeFlowForStore); a value seen only once stays in its flow.
// A finished HTTPS exchange with 4 + 8 header fields (its path, ETag and request id its own)
// and a 1 KiB body, five to a connection, measures ~0.3 KB beyond its body (~200 encoded
// bytes, the entry, the id index), against ~3.8 KB for its snapshot (mitmproxy: ~4.4 KB per
// 1 KiB flow); tests/unit/flow/flow_store_memory_test.cpp prints the figures.
//
// at() decodes on demand (a few microseconds: for the rows a view shows, an export, a detail
// pane). summary() holds the few fixed-size fields a table sorts by without decoding a row.

#include "flow/byte_arena.h"
#include "flow/flow.h"

#include <QHash>
#include <QList>
#include <array>
#include <functional>
#include <memory>
#include <vector>

namespace spyglass {

class FieldTable;

class FlowStore
{
public:
    struct Summary
    {
        QUuid id;
        double timestampStart = 0;   // the request's first byte (TCP: the client connected)
        double timestampEnd = 0;     // the response's last byte, else the error's time, else 0
        qint64 requestBodySize = 0;  // BodyInfo::size (a streamed body counts whole)
        qint64 responseBodySize = 0; // 0 without a response
        int statusCode = 0;          // 0 without a response
        bool live = false;
        bool hasError = false;
    };

    FlowStore();
    ~FlowStore();
    FlowStore(const FlowStore&) = delete;
    FlowStore& operator=(const FlowStore&) = delete;

    // Adds new flows and replaces known ones (same id: same position). Returns how many were
    // new. A flow seen twice in one batch counts once; the later snapshot wins.
    qsizetype apply(const QList<FlowSnapshot>& batch);
    void clear();
    // Drops the flows at `positions` (sorted, distinct, in range); the flows after each move
    // up, keeping their order. O(size) however many are dropped (the window's Delete).
    void remove(const std::vector<qsizetype>& positions);

    qsizetype size() const { return m_size; }
    // Flow i as a snapshot: the stored one while live, else decoded now (its bodies and
    // certificate chains shared with the store).
    FlowSnapshot at(qsizetype i) const;
    const Summary& summary(qsizetype i) const { return entry(i).summary; }
    // -1 when unknown.
    qsizetype indexOf(const QUuid& id) const;

    // Every flow in order, decoded one at a time into the same scratch flow, so a walk over a
    // million flows (an export) never holds more than one decoded flow.
    void forEach(const std::function<void(const HttpFlow&)>& visit) const;
    // Every flow decoded at once (bodies stay shared). For small sessions and tests; prefer
    // forEach or at() for large ones.
    QList<FlowSnapshot> snapshots() const;

    // Heap held for the encoded flows and connections (bodies, chains and the index not
    // included).
    qsizetype encodedBytes() const
    {
        return m_blobs.reservedBytes() + m_connectionBlobs.reservedBytes();
    }

private:
    using CertificateChain = QList<QByteArray>; // FlowCodec::CertificateChain

    struct Entry
    {
        Summary summary;
        // In m_blobs: the inline bodies (see store()) and the FlowCodec payload with the bodies
        // left out; null while the flow is live (its snapshot is in m_live).
        const char* blob = nullptr;
    };
    struct Bodies
    {
        QByteArray request;
        QByteArray response;
    };
    // Fixed-size chunks: no reallocation and no growth slack as the session grows.
    static constexpr qsizetype ChunkBits = 10;
    static constexpr qsizetype ChunkSize = qsizetype(1) << ChunkBits;
    static constexpr qsizetype CompactAfterDeadBytes = 1 << 20;
    static constexpr qsizetype InlineBodyLimit = 4096;

    Entry& entry(qsizetype i) { return m_chunks[size_t(i >> ChunkBits)][i & (ChunkSize - 1)]; }
    const Entry& entry(qsizetype i) const
    {
        return m_chunks[size_t(i >> ChunkBits)][i & (ChunkSize - 1)];
    }
    void store(qsizetype i, const FlowSnapshot& flow);
    void releaseBlob(Entry& e);
    void compactBlobs();
    void decode(qsizetype i, HttpFlow& out) const;
    quint32 internChain(const CertificateChain& chain);
    quint32 internConnection(const Connection& connection, quint32 chainRef);

    std::vector<std::unique_ptr<Entry[]>> m_chunks;
    qsizetype m_size = 0;
    QHash<QUuid, quint32> m_index;
    QHash<quint32, FlowSnapshot> m_live; // by position
    // Bodies too large to copy into the arena, by position (finished flows only).
    QHash<quint32, Bodies> m_bodies;
    // WebSocket messages of finished flows, by position, shared with the snapshot they came
    // from (immutable, flow/websocket_data.h): never encoded, so at() does not copy a long
    // conversation for every row it shows. Flows without WebSocket cost nothing here.
    QHash<quint32, std::shared_ptr<const WebSocketData>> m_webSockets;
    // TCP messages of finished TCP flows, kept the same way (flow/tcp_data.h).
    QHash<quint32, std::shared_ptr<const TcpData>> m_tcp;
    ByteArena m_blobs;

    // Interned certificate chains: m_chains[n - 1] is chain reference n.
    QList<CertificateChain> m_chains;
    QHash<CertificateChain, quint32> m_chainByContent;
    // The same chain usually arrives as the same shared QList (every flow of a connection):
    // a lookup by its data pointer skips hashing kilobytes of DER. Every pointer here belongs
    // to a list that m_chains or m_recentChains keeps alive, so it cannot be reused meanwhile.
    QHash<const void*, quint32> m_chainByData;
    std::array<CertificateChain, 32> m_recentChains;
    size_t m_recentNext = 0;

    // Interned connections: m_connections[n - 1] is connection reference n, its
    // FlowCodec::encodeConnection() bytes in m_connectionBlobs (never released: a removed
    // flow's connection stays, as its chain does).
    ByteArena m_connectionBlobs;
    std::vector<const char*> m_connections;
    // The Connections kept last, by id modulo the size: a flow whose Connection equals the
    // one in its slot refers to that one's reference without encoding it again.
    struct RecentConnection
    {
        Connection connection;
        quint32 chainRef = 0;
        quint32 ref = 0; // 0: empty slot
    };
    std::unique_ptr<std::array<RecentConnection, 64>> m_recentConnections;

    // Header fields and request-line strings that flows repeat, which their encodings refer
    // to by number (FlowCodec::encodeFlowForStore). Like the connections, never pruned.
    std::unique_ptr<FieldTable> m_fields;
};

} // namespace spyglass

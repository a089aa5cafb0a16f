#pragma once
// The WebSocket part of an HttpFlow (mitmproxy `websocket.WebSocketData` / `WebSocketMessage`):
// every message that went through after a 101 handshake, decompressed, and how the
// connection closed. The WebSocketLayer (engine/layers/websocket/) fills it in; session files,
// HAR export (`_webSocketMessages`) and the window read it.
//
// Copy-on-write, cheaply. A live WebSocket flow is published to FlowHub at every message, and
// each snapshot shares this data with the flow the worker goes on filling; a long chat may hold
// a hundred thousand messages. A plain vector would have to be copied whole at each append
// once a snapshot shares it (quadratic). WebSocketMessages keeps messages in chunks of 256:
// full chunks are immutable and shared by every copy; only the last, partial chunk is copied
// when an append finds it shared. Copying a WebSocketMessages therefore copies n/256 pointers,
// and an append costs at most one copy of 255 small structs (message contents are QByteArrays,
// implicitly shared: no content byte is ever copied).
//
// Threads: a WebSocketMessages (and the WebSocketData holding it) is used by one thread at a
// time, like any value. The owner may append while copies of it live on other threads: a
// chunk is written only while no other copy refers to it (use_count 1), and other threads can
// only drop their references, never add to ours.

#include <QByteArray>
#include <QString>
#include <memory>
#include <optional>
#include <vector>

namespace spyglass {

struct WebSocketMessage
{
    bool fromClient = false;
    bool isText = false;   // opcode 1 (text) or 2 (binary)
    QByteArray content;    // decompressed (permessage-deflate undone)
    double timestamp = 0;  // seconds since the epoch, when the message was complete
    bool injected = false; // made by the proxy or a script, not by a peer
    bool dropped = false;  // not forwarded (a script dropped it)

    bool operator==(const WebSocketMessage&) const = default;
};

class WebSocketMessages
{
public:
    static constexpr qsizetype ChunkSize = 256;

    class const_iterator
    {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = WebSocketMessage;
        using difference_type = qsizetype;
        using pointer = const WebSocketMessage*;
        using reference = const WebSocketMessage&;

        const_iterator() = default;
        const_iterator(const WebSocketMessages* list, qsizetype i) : m_list(list), m_i(i) {}
        reference operator*() const { return (*m_list)[m_i]; }
        pointer operator->() const { return &(*m_list)[m_i]; }
        const_iterator& operator++()
        {
            ++m_i;
            return *this;
        }
        const_iterator operator++(int)
        {
            const_iterator old = *this;
            ++m_i;
            return old;
        }
        bool operator==(const const_iterator& o) const { return m_i == o.m_i; }

    private:
        const WebSocketMessages* m_list = nullptr;
        qsizetype m_i = 0;
    };

    qsizetype size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    const WebSocketMessage& operator[](qsizetype i) const
    {
        return (*m_chunks[size_t(i / ChunkSize)])[size_t(i % ChunkSize)];
    }
    const WebSocketMessage& at(qsizetype i) const { return (*this)[i]; }
    const WebSocketMessage& back() const { return (*this)[m_size - 1]; }
    const_iterator begin() const { return {this, 0}; }
    const_iterator end() const { return {this, m_size}; }

    void push_back(WebSocketMessage message);
    // The last message, for changing it in place (copies its chunk first if it is shared).
    WebSocketMessage& lastForWriting();
    void clear();

    bool operator==(const WebSocketMessages& other) const;

private:
    using Chunk = std::vector<WebSocketMessage>;
    Chunk& writableLastChunk();

    std::vector<std::shared_ptr<Chunk>> m_chunks; // every chunk but the last is full
    qsizetype m_size = 0;
};

struct WebSocketData
{
    WebSocketMessages messages;
    // The code of the first Close frame (either side), 1005 for a Close without a code,
    // 1006 when a connection ended without any Close frame; unset while open.
    std::optional<int> closeCode;
    QString closeReason;
    bool closedByClient = false;
    double timestampEnd = 0; // when the closing began (first Close frame or connection loss)

    bool operator==(const WebSocketData&) const = default;
};

using WebSocketDataPtr = std::shared_ptr<const WebSocketData>;

} // namespace spyglass

#include "flow/chunked_list.h"

#include "flow/tcp_data.h"
#include "flow/websocket_data.h"

namespace spyglass {

template <typename T> typename ChunkedList<T>::Chunk& ChunkedList<T>::writableLastChunk()
{
    std::shared_ptr<Chunk>& last = m_chunks.back();
    if (last.use_count() > 1) {
        // Shared with a copy (a published snapshot): that copy keeps the old chunk.
        auto fresh = std::make_shared<Chunk>();
        fresh->reserve(size_t(ChunkSize));
        fresh->insert(fresh->end(), last->begin(), last->end());
        last = std::move(fresh);
    }
    return *last;
}

template <typename T> void ChunkedList<T>::push_back(T message)
{
    if (m_size % ChunkSize == 0) {
        auto chunk = std::make_shared<Chunk>();
        chunk->reserve(size_t(ChunkSize));
        m_chunks.push_back(std::move(chunk));
    }
    writableLastChunk().push_back(std::move(message));
    ++m_size;
}

template <typename T> T& ChunkedList<T>::lastForWriting()
{
    Q_ASSERT(m_size > 0);
    return writableLastChunk().back();
}

template <typename T> void ChunkedList<T>::clear()
{
    m_chunks.clear();
    m_size = 0;
}

template <typename T> bool ChunkedList<T>::operator==(const ChunkedList& other) const
{
    if (m_size != other.m_size)
        return false;
    for (qsizetype i = 0; i < m_size; ++i)
        if (!((*this)[i] == other[i]))
            return false;
    return true;
}

template class ChunkedList<WebSocketMessage>;
template class ChunkedList<TcpMessage>;

} // namespace spyglass

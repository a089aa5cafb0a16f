#include "flow/websocket_data.h"

namespace spyglass {

WebSocketMessages::Chunk& WebSocketMessages::writableLastChunk()
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

void WebSocketMessages::push_back(WebSocketMessage message)
{
    if (m_size % ChunkSize == 0) {
        auto chunk = std::make_shared<Chunk>();
        chunk->reserve(size_t(ChunkSize));
        m_chunks.push_back(std::move(chunk));
    }
    writableLastChunk().push_back(std::move(message));
    ++m_size;
}

WebSocketMessage& WebSocketMessages::lastForWriting()
{
    Q_ASSERT(m_size > 0);
    return writableLastChunk().back();
}

void WebSocketMessages::clear()
{
    m_chunks.clear();
    m_size = 0;
}

bool WebSocketMessages::operator==(const WebSocketMessages& other) const
{
    if (m_size != other.m_size)
        return false;
    for (qsizetype i = 0; i < m_size; ++i)
        if (!((*this)[i] == other[i]))
            return false;
    return true;
}

} // namespace spyglass

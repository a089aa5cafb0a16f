#pragma once
// An append-mostly list of message values, copy-on-write in chunks, shared by the message
// lists of flows (WebSocket messages, TCP messages: websocket_data.h, tcp_data.h).
//
// Why: a live flow is published to FlowHub at every message, and each snapshot shares its
// message list with the flow the worker goes on filling; a long connection may hold a hundred
// thousand messages. A plain vector would have to be copied whole at each append once a
// snapshot shares it (quadratic). ChunkedList keeps elements in chunks of 256: full chunks are
// immutable and shared by every copy; only the last, partial chunk is copied when an append
// finds it shared. Copying a ChunkedList therefore copies n/256 pointers, and an append costs
// at most one copy of 255 small structs (message contents are QByteArrays, implicitly shared:
// no content byte is ever copied).
//
// Threads: a ChunkedList is used by one thread at a time, like any value. The owner may append
// while copies of it live on other threads: a chunk is written only while no other copy refers
// to it (use_count 1), and other threads can only drop their references, never add to ours.
//
// The member functions are defined in chunked_list.cpp and instantiated there for each message
// type (explicit instantiation), so this header stays free of non-trivial bodies.

#include <QtGlobal>
#include <iterator>
#include <memory>
#include <vector>

namespace spyglass {

template <typename T> class ChunkedList
{
public:
    static constexpr qsizetype ChunkSize = 256;

    class const_iterator
    {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = T;
        using difference_type = qsizetype;
        using pointer = const T*;
        using reference = const T&;

        const_iterator() = default;
        const_iterator(const ChunkedList* list, qsizetype i) : m_list(list), m_i(i) {}
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
        const ChunkedList* m_list = nullptr;
        qsizetype m_i = 0;
    };

    qsizetype size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    const T& operator[](qsizetype i) const
    {
        return (*m_chunks[size_t(i / ChunkSize)])[size_t(i % ChunkSize)];
    }
    const T& at(qsizetype i) const { return (*this)[i]; }
    const T& back() const { return (*this)[m_size - 1]; }
    const_iterator begin() const { return {this, 0}; }
    const_iterator end() const { return {this, m_size}; }

    void push_back(T message);
    // The last element, for changing it in place (copies its chunk first if it is shared).
    T& lastForWriting();
    void clear();

    bool operator==(const ChunkedList& other) const;

private:
    using Chunk = std::vector<T>;
    Chunk& writableLastChunk();

    std::vector<std::shared_ptr<Chunk>> m_chunks; // every chunk but the last is full
    qsizetype m_size = 0;
};

} // namespace spyglass

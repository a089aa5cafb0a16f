#include "tls/upstream_session_cache.h"

#include "tls/tls_session.h"

#include <algorithm>
#include <openssl/ssl.h>

namespace spyglass {

UpstreamSessionCache::UpstreamSessionCache(int capacity) : m_capacity(std::max(1, capacity)) {}

UpstreamSessionCache::~UpstreamSessionCache()
{
    for (Entry& e : m_lru)
        freeAll(e);
}

void UpstreamSessionCache::freeAll(Entry& e)
{
    for (SSL_SESSION* s : e.sessions)
        SSL_SESSION_free(s);
    e.sessions.clear();
}

void UpstreamSessionCache::install(SSL_CTX* ctx)
{
    // Client side only, and never OpenSSL's own store: the key is ours.
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
    SSL_CTX_sess_set_new_cb(ctx, &UpstreamSessionCache::onNewSession);
}

int UpstreamSessionCache::onNewSession(SSL* ssl, SSL_SESSION* session)
{
    const auto* owner = static_cast<const TlsSession*>(SSL_get_app_data(ssl));
    if (!owner || !owner->sessionCache() || owner->sessionCacheKey().isEmpty() ||
        !SSL_SESSION_is_resumable(session))
        return 0; // not kept: OpenSSL frees it
    // A copy: the session OpenSSL hands over is the connection's own, and freeing that
    // connection without a close_notify from us (a peer that just went away) marks it as not
    // resumable.
    if (SSL_SESSION* copy = SSL_SESSION_dup(session))
        owner->sessionCache()->store(owner->sessionCacheKey(), copy);
    return 0; // OpenSSL keeps the original
}

SSL_SESSION* UpstreamSessionCache::take(const QByteArray& key)
{
    std::lock_guard lock(m_mutex);
    auto it = m_index.find(key);
    if (it == m_index.end())
        return nullptr;
    Entry& e = *it.value();
    m_lru.splice(m_lru.begin(), m_lru, it.value());
    while (!e.sessions.empty()) {
        SSL_SESSION* s = e.sessions.back(); // the newest
        if (!SSL_SESSION_is_resumable(s)) {
            e.sessions.pop_back();
            SSL_SESSION_free(s);
            continue;
        }
        if (SSL_SESSION_get_protocol_version(s) >= TLS1_3_VERSION) {
            e.sessions.pop_back(); // single use: the reference passes to the caller
            return s;
        }
        // TLS 1.2 sessions stay for the next connection; the caller gets a copy, which its
        // connection may mark as not resumable (see onNewSession) without harm to this one.
        return SSL_SESSION_dup(s);
    }
    return nullptr;
}

void UpstreamSessionCache::store(const QByteArray& key, SSL_SESSION* session)
{
    std::lock_guard lock(m_mutex);
    auto it = m_index.find(key);
    if (it == m_index.end()) {
        m_lru.push_front(Entry{key, {}});
        it = m_index.insert(key, m_lru.begin());
    } else {
        m_lru.splice(m_lru.begin(), m_lru, it.value());
    }
    std::vector<SSL_SESSION*>& sessions = it.value()->sessions;
    sessions.push_back(session);
    while (int(sessions.size()) > kSessionsPerKey) {
        SSL_SESSION_free(sessions.front());
        sessions.erase(sessions.begin());
    }
    while (int(m_lru.size()) > m_capacity) {
        freeAll(m_lru.back());
        m_index.remove(m_lru.back().key);
        m_lru.pop_back();
    }
}

int UpstreamSessionCache::keyCount() const
{
    std::lock_guard lock(m_mutex);
    return int(m_lru.size());
}

int UpstreamSessionCache::sessionCount(const QByteArray& key) const
{
    std::lock_guard lock(m_mutex);
    auto it = m_index.constFind(key);
    return it == m_index.constEnd() ? 0 : int(it.value()->sessions.size());
}

} // namespace spyglass

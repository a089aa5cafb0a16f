#include "flow/connection.h"

#include <atomic>

namespace spyglass {

namespace {
std::atomic<quint64> g_nextConnectionId{1};

// QByteArray or QString: equal sizes, then the same data or equal data.
template <typename S> bool same(const S& a, const S& b)
{
    return a.size() == b.size() && (a.constData() == b.constData() || a == b);
}

bool same(const QList<QByteArray>& a, const QList<QByteArray>& b)
{
    if (a.size() != b.size())
        return false;
    if (a.constData() == b.constData())
        return true;
    for (qsizetype i = 0; i < a.size(); ++i)
        if (!same(a[i], b[i]))
            return false;
    return true;
}

bool same(const Address& a, const Address& b)
{
    return a.port == b.port && same(a.host, b.host);
}

} // namespace

QByteArray Address::toString() const
{
    const QByteArray p = QByteArray::number(port);
    if (host.contains(':'))
        return '[' + host + "]:" + p;
    return host + ':' + p;
}

Connection::Connection(Role r) : id(g_nextConnectionId.fetch_add(1)), role(r) {}

bool Connection::operator==(const Connection& o) const
{
    // A new field must be compared here too: this fails to build until the size is updated.
    // Checked where the suite runs (64-bit Linux), whose layout is the one measured.
#if defined(Q_OS_LINUX) && defined(Q_PROCESSOR_X86_64)
    static_assert(sizeof(Connection) == 360,
                  "Connection changed: compare the new field in operator==");
#endif
    return id == o.id && role == o.role && state == o.state && tls == o.tls &&
           tlsEstablished == o.tlsEstablished && tlsResumed == o.tlsResumed &&
           timestampStart == o.timestampStart && timestampTcpSetup == o.timestampTcpSetup &&
           timestampTlsSetup == o.timestampTlsSetup && timestampEnd == o.timestampEnd &&
           same(peer, o.peer) && same(sockname, o.sockname) && same(via, o.via) &&
           same(peername, o.peername) && same(error, o.error) && same(sni, o.sni) &&
           same(alpn, o.alpn) && same(tlsVersion, o.tlsVersion) && same(cipher, o.cipher) &&
           same(alpnOffers, o.alpnOffers) && same(certificateChainDer, o.certificateChainDer);
}

ConnectionPtr makeConnection(Connection::Role role)
{
    return std::make_shared<Connection>(role);
}

} // namespace spyglass

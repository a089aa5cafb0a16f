#pragma once
// One end of a proxied exchange: the client that connected to us, or a server we connect to.
// mitmproxy's `connection.Client` / `connection.Server`. The owning ConnectionHandler's layers
// mutate a live Connection (state, TLS details, timestamps); flows copy it when they publish a
// snapshot, so a copy must stay cheap (Qt's implicitly shared containers).

#include <QByteArray>
#include <QList>
#include <QString>
#include <memory>

namespace spyglass {

struct Address
{
    QByteArray host; // IDNA/punycode or a literal IP, never brackets
    quint16 port = 0;

    bool isValid() const { return !host.isEmpty() && port != 0; }
    // "host:port", with [brackets] around an IPv6 literal.
    QByteArray toString() const;
    bool operator==(const Address&) const = default;
};

enum class ConnectionState : quint8
{
    Closed = 0,
    CanRead = 1,  // the peer has not closed its sending side: we may still read
    CanWrite = 2, // we have not closed our sending side: we may still write
    Open = CanRead | CanWrite,
};

struct Connection
{
    enum class Role : quint8
    {
        Client,
        Server
    };

    Connection() = default;
    explicit Connection(Role r);

    quint64 id = 0; // unique within the process
    Role role = Role::Client;
    Address peer;     // client: who connected; server: where we connect (or connected)
    Address sockname; // our local end
    ConnectionState state = ConnectionState::Closed;
    QString error; // why it failed or closed abnormally, for the user

    // TLS. `tls` says TLS is (to be) spoken on this connection; the rest is filled in by the
    // TLS layer as the handshake proceeds.
    bool tls = false;
    bool tlsEstablished = false;
    bool tlsResumed = false; // the handshake resumed an earlier session (no certificate sent)
    QByteArray sni;
    QList<QByteArray> alpnOffers;          // what the client offered / what we offer upstream
    QByteArray alpn;                       // what was negotiated
    QByteArray tlsVersion;                 // "TLSv1.3"
    QByteArray cipher;                     // "TLS_AES_256_GCM_SHA384"
    QList<QByteArray> certificateChainDer; // the peer's chain, leaf first

    // Server side only: the upstream proxy this connection goes through, if any.
    Address via;
    // Server side only: the IP address and port the socket actually connected to (mitmproxy's
    // `peername`; `peer` keeps the name that was dialled). Empty until connected. Through an
    // upstream proxy it is the proxy's.
    Address peername;

    // Seconds since the Unix epoch; 0 means "not yet".
    double timestampStart = 0;
    double timestampTcpSetup = 0;
    double timestampTlsSetup = 0;
    double timestampEnd = 0;

    bool connected() const { return state != ConnectionState::Closed; }
    // Every field equal. Quick for copies of one another (FlowStore and the flows compare
    // them on every exchange): strings that share their data are equal without a look at it.
    bool operator==(const Connection& other) const;
};

using ConnectionPtr = std::shared_ptr<Connection>;

// A fresh connection with a new process-unique id.
ConnectionPtr makeConnection(Connection::Role role);

} // namespace spyglass

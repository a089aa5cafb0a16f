#pragma once
// Reads a TLS ClientHello from the first bytes of a connection, without OpenSSL and without
// consuming anything (mitmproxy `layers/tls.py` parse_client_hello + `tls.ClientHello`).
//
// Used twice: the NextLayer peeks at the first bytes to tell TLS from other protocols and to
// apply ignore_hosts by SNI before any TLS layer exists; the ClientTlsLayer uses it to learn
// SNI and ALPN before it answers, so that the upstream server can be asked first.
//
// The parser is a pure function of the bytes buffered so far: call it again with the longer
// buffer after each read. A ClientHello may span several TLS records (post-quantum key shares
// make it ~1.8 KB, and a client may cut it anywhere), so NeedMore is the normal answer to a
// partial buffer, down to a single byte.

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

namespace spyglass {

struct ClientHello
{
    quint16 legacyVersion = 0;        // 0x0303 for TLS 1.2 and 1.3
    QByteArray sni;                   // host_name from server_name, empty when absent
    QList<QByteArray> alpnProtocols;  // in the client's order of preference
    QList<quint16> cipherSuites;      // including GREASE values, as sent
    QList<quint16> extensions;        // extension types in the order sent
    QList<quint16> supportedVersions; // from supported_versions (TLS 1.3 clients)
    qsizetype length = 0;             // bytes of the input holding it, record headers included
};

struct ClientHelloResult
{
    enum class Status : quint8
    {
        NeedMore, // looks like TLS so far; read more and call again
        NotTls,   // the first bytes are not a TLS handshake record
        Invalid,  // a TLS handshake record, but not a well-formed ClientHello (see reason)
        Ok,
    };
    Status status = Status::NeedMore;
    QString reason;    // Invalid: what is wrong, for the log
    ClientHello hello; // Ok
};

// Limits: a ClientHello larger than this is refused as Invalid (real ones stay under 8 KB).
inline constexpr qsizetype kMaxClientHelloSize = 64 * 1024;

ClientHelloResult parseClientHello(QByteArrayView bytes);

} // namespace spyglass

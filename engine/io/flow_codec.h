#pragma once
// The binary encoding of an HttpFlow inside a session record (docs/session-format.md, "Flow
// payload"). It stores every field of the flow, both connections with their TLS details and
// certificate chains, bodies and trailers, WebSocket messages and close details, so a saved
// session reads back exactly as it was.
//
// Lean on purpose (a session may hold a million flows): integers are LEB128 varints, strings
// and byte arrays are a varint length then the bytes, timestamps are IEEE-754 doubles written
// only when non-zero. Structures are length-prefixed sections: a later format version may
// append fields to a section, and this reader skips what it does not know.
//
// Decoding trusts nothing: every length and count is checked against the bytes left in the
// payload before anything is allocated, and a malformed payload is an error string, never a
// crash. Certificate chains are usually shared by many flows; SessionWriter stores each chain
// once in its own record and flows refer to it by number (ChainRefs); a flow encoded without
// references carries its chains inline and decodes on its own.

#include "flow/flow.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace spyglass {

class FieldTable;

class FlowCodec
{
public:
    using CertificateChain = QList<QByteArray>;

    // 0: the chain is stored inline; n >= 1: chain record number n of the same file.
    struct ChainRefs
    {
        quint32 client = 0;
        quint32 server = 0;
    };

    // Chains inline: the result decodes on its own.
    static QByteArray encodeFlow(const HttpFlow& flow);
    static QByteArray encodeFlow(const HttpFlow& flow, ChainRefs refs);
    // `chains[n - 1]` is chain record n. Returns an empty string on success, otherwise what is
    // wrong and at which byte of the payload; `out` is then unspecified.
    static QString decodeFlow(QByteArrayView payload, const QList<CertificateChain>& chains,
                              HttpFlow& out);

    // FlowStore's form, for memory. Laid out as encodeFlow() of a copy of `flow` whose
    // bodies' content is empty, that has no WebSocket or TCP data (the store keeps those
    // apart), and whose two connection sections are empty (2 bytes): every flow of a
    // keep-alive connection carries the same two Connections, so the store keeps each
    // distinct one once, as encodeConnection() bytes. Besides, the flow id is left out (the
    // store has it), header fields and request- and status-line strings that `table` holds
    // (or takes in now) are its references, and timestamps in whole milliseconds are varints.
    // Decodes only with the same table; never written to a file.
    static QByteArray encodeFlowForStore(const HttpFlow& flow, FieldTable& table);
    // Decodes that form; out.id, out.client and out.server are left as they are.
    static QString decodeFlowForStore(QByteArrayView payload, const FieldTable& table,
                                      HttpFlow& out);
    // One Connection (its chain by reference when chainRef >= 1, else inline).
    static QByteArray encodeConnection(const Connection& connection, quint32 chainRef);
    static QString decodeConnection(QByteArrayView payload, const QList<CertificateChain>& chains,
                                    Connection& out);

    static QByteArray encodeCertificateChain(const CertificateChain& chain);
    static QString decodeCertificateChain(QByteArrayView payload, CertificateChain& out);

private:
    static QByteArray encode(const HttpFlow& flow, ChainRefs refs, FieldTable* storeTable);
    static QString decode(QByteArrayView payload, const QList<CertificateChain>* chains,
                          HttpFlow& out, const FieldTable* storeTable);
};

} // namespace spyglass

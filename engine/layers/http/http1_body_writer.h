#pragma once
// Http1BodyWriter frames an outgoing HTTP/1 body (RFC 9112 6, 7.1): chunk-encodes it, or
// writes it raw when a Content-Length or the end of the connection delimits it. Both codecs
// use it for what they send (the server codec for responses, the client codec for requests);
// the Http1Parser is its reading counterpart.
//
// It also guards the framing it announced: bytes beyond a Content-Length are dropped (they
// would be read as the start of the next message), and a body shorter than announced is
// reported so the codec can close the connection instead of leaving the peer waiting.

#include "flow/headers.h"
#include "layers/http/http1_parser.h"

#include <QByteArray>
#include <QStringList>

namespace spyglass::layers::http {

class Http1BodyWriter
{
public:
    using Framing = Http1Parser::Framing;

    // What the headers of an outgoing message announce. Transfer-Encoding whose final coding
    // is chunked -> Chunked; another Transfer-Encoding -> UntilClose for a response, None for
    // a request (it cannot be delimited); one valid Content-Length (repeats allowed when
    // equal) -> Length; nothing usable -> UntilClose for a response, None for a request.
    static Framing framingFor(const Headers& headers, bool isResponse, qint64* contentLength);

    Http1BodyWriter() = default; // Framing::None: no body may be written
    Http1BodyWriter(Framing framing, qint64 contentLength);

    // Appends the framed `data` to `wire`. Returns how many bytes of `data` had to be
    // dropped (no body allowed, or beyond the Content-Length).
    // When `wire` is empty and the body goes out unframed, `wire` shares `data` instead of
    // copying it (a streamed download passes through without a memcpy here).
    qint64 writeData(const QByteArray& data, QByteArray& wire);
    // Chunked bodies only: the last chunk followed by the trailer fields (fields that cannot
    // be written safely are noted in `debug`). Returns false when the framing cannot carry
    // trailers (they are dropped).
    bool writeTrailers(const Headers& trailers, QByteArray& wire, QStringList& debug);
    // Ends the body (the last chunk when chunked and no trailers were written). Returns false
    // when fewer bytes than the Content-Length were written.
    bool finish(QByteArray& wire);

    Framing framing() const { return m_framing; }
    qint64 contentLength() const { return m_contentLength; }
    qint64 written() const { return m_written; }

private:
    Framing m_framing = Framing::None;
    qint64 m_contentLength = 0;
    qint64 m_written = 0;
    bool m_lastChunkWritten = false;
};

} // namespace spyglass::layers::http

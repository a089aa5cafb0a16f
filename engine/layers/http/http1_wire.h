#pragma once
// Writing HTTP/1 heads (RFC 9112 3, 4, 5): the byte-level helpers the HTTP/1 codecs share.
// Reading is Http1Parser's job; this is the other direction.
//
// Heads are written verbatim (field order and case as given) with one exception: whatever
// would change the framing of the connection is refused or neutralised, because the values
// may come from addons and users, not only from a peer that llhttp already checked. A field
// name that is not a token is dropped; CR, LF and NUL in a value or reason become spaces; a
// Content-Length next to a Transfer-Encoding is left out; a method that is not a token
// refuses the request; bytes in a request-target that may not appear there are
// percent-encoded. Each such repair is noted in `debug`.

#include "flow/http_message.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace spyglass::layers::http {

// token = 1*tchar (RFC 9110 5.6.2): what a method and a field name must be.
bool http1IsToken(QByteArrayView s);

// The final transfer coding of Transfer-Encoding is "chunked" (RFC 9112 6.1).
bool http1EndsInChunked(const Headers& headers);

// "Name: value\r\n" for every field.
void http1AppendFields(QByteArray& wire, const Headers& headers, QStringList& debug);

// "METHOD target HTTP/1.x\r\n" + fields + "\r\n". The target is the path (origin-form, "/"
// when empty), or the authority for CONNECT. A request that is not HTTP/1.x (HTTP/2 from the
// client) is written as HTTP/1.1 and gets a Host field from its authority when it has none.
// Returns an error message (and writes nothing) when the request cannot be written.
QString http1WriteRequestHead(const Request& request, QByteArray& wire, QStringList& debug);

// "HTTP/1.x status reason\r\n" + fields + "\r\n"; HTTP/1.0 stays, anything else is written
// as HTTP/1.1; an empty reason becomes the standard phrase. Returns an error message (and
// writes nothing) when the status code is not three digits.
QString http1WriteResponseHead(const Response& response, QByteArray& wire, QStringList& debug);

// A complete response that a codec sends on its own when it refuses a request:
// `HTTP/1.1 <status> <reason>`, Content-Type: text/plain, Content-Length, Connection: close,
// and the message as the body.
QByteArray http1ErrorResponse(int status, const QString& message);

// The standard reason phrase (defaultReason() plus the few codes only the codec uses).
QByteArray http1ReasonPhrase(int status);

// authority-form "host:port" or "[v6]:port" (CONNECT, RFC 9112 3.2.3). False when it is not.
bool http1ParseAuthority(QByteArrayView authority, QByteArray* host, quint16* port);

// A codec's input buffer: `data` is shared, not copied, when nothing is buffered (most reads
// hold whole messages), and consumed bytes are dropped without a copy when all were used.
void http1BufferInput(QByteArray& buffer, const QByteArray& data);
void http1ConsumeInput(QByteArray& buffer, qsizetype used);

} // namespace spyglass::layers::http

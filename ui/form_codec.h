#pragma once
// Form bodies as fields and back, for the flow editor (message_editor.h): what mitmproxy's
// `request.urlencoded_form` and `request.multipart_form` do. The content views only show forms
// (text_formatters.h); editing needs the exact bytes back, so these work on QByteArray.
//
// Multipart keeps its boundary: the editor re-encodes with the boundary of the Content-Type it
// came with (mitmproxy 7 fixed a new random boundary on every edit, which broke signatures and
// servers that had seen the first one). A body written in the form browsers send
// ("--B\r\nContent-Disposition: form-data; name=...\r\n[Content-Type: ...\r\n]\r\nvalue\r\n"
// per part, then "--B--\r\n") comes back byte for byte; other part headers are kept in order;
// a preamble and an epilogue are dropped (RFC 2046 5.1.1: receivers ignore them).

#include "flow/headers.h"

#include <QByteArray>
#include <QList>
#include <optional>

namespace spyglass {

class FormCodec
{
public:
    struct Field
    {
        QByteArray name;
        QByteArray value;
        bool operator==(const Field&) const = default;
    };
    struct Part
    {
        QByteArray name;
        QByteArray filename; // empty: not a file (no filename parameter)
        QByteArray contentType;
        QByteArray value;
        // The part's other header fields (Content-Transfer-Encoding, ...), kept as they were.
        Headers otherHeaders;
        bool operator==(const Part&) const = default;
    };

    // "a=1&b=two+words": percent- and plus-decoded, in order; a field without '=' has an
    // empty value; empty pieces ("a=1&&b=2") are skipped.
    static QList<Field> parseUrlEncoded(QByteArrayView body);
    // Names and values percent-encoded (space as '+', as browsers send forms), joined by '&'.
    static QByteArray encodeUrlEncoded(const QList<Field>& fields);

    // The parts of a multipart body with `boundary` (Content-Type's parameter, unquoted);
    // nullopt when the body has no delimiter line or a part has no header end.
    static std::optional<QList<Part>> parseMultipart(QByteArrayView body,
                                                     const QByteArray& boundary);
    static QByteArray encodeMultipart(const QList<Part>& parts, const QByteArray& boundary);
    // A fresh boundary for a body that had none (the "----spyglass" prefix and 24 random
    // alphanumerics, the shape browsers use).
    static QByteArray newBoundary();
};

} // namespace spyglass

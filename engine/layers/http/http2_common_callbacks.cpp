// Http2CodecBase, the nghttp2 side: the C callbacks nghttp2 calls from inside mem_recv and
// mem_send, what they mean for the codec, and the submissions that hand nghttp2 a data
// provider. The rest of the class is in http2_common.cpp.
#include "layers/http/http2_common.h"

#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <cstring>
#include <string_view>

namespace spyglass::layers::http {

namespace {

QByteArrayView view(const uint8_t* data, size_t length)
{
    return QByteArrayView(reinterpret_cast<const char*>(data), qsizetype(length));
}

// A received name or value as the flow keeps it. One from HPACK's static table (":method",
// "GET", ":status", "200", "content-type", "user-agent", ...) is a C literal inside nghttp2 that
// lives as long as the process: shared, not copied (and NUL-terminated like any literal), which
// saves about half the allocations of a head. Anything else is copied, since nghttp2 reuses it.
QByteArray fieldBytes(nghttp2_rcbuf* buf)
{
    const nghttp2_vec v = nghttp2_rcbuf_get_buf(buf);
    const auto* data = reinterpret_cast<const char*>(v.base);
    if (nghttp2_rcbuf_is_static(buf))
        return QByteArray::fromRawData(data, qsizetype(v.len));
    return QByteArray(data, qsizetype(v.len));
}

// nghttp2's "Invalid HTTP header field was received: frame type: 1, stream: 1, name: [x],
// value: [y]" as `invalid field "x: y"`; anything else as it is.
QString tidyLibraryError(const QString& text)
{
    const qsizetype name = text.indexOf(QStringLiteral("name: ["));
    const qsizetype value = text.indexOf(QStringLiteral("], value: ["));
    if (name < 0 || value < name || !text.endsWith(QLatin1Char(']')))
        return text;
    const QString n = text.mid(name + 7, value - name - 7);
    const QString v = text.mid(value + 11, text.size() - value - 12);
    return QStringLiteral("invalid field \"%1: %2\"").arg(n, v);
}

void joinCookies(Headers& fields)
{
    const QList<QByteArray> cookies = fields.values("cookie");
    if (cookies.size() > 1)
        fields.set("cookie", cookies.join("; "));
}

std::vector<nghttp2_nv> toNv(const QList<Headers::Field>& fields)
{
    std::vector<nghttp2_nv> nva;
    nva.reserve(size_t(fields.size()));
    for (const auto& [name, value] : fields) {
        nghttp2_nv nv;
        nv.name = reinterpret_cast<uint8_t*>(const_cast<char*>(name.constData()));
        nv.namelen = size_t(name.size());
        nv.value = reinterpret_cast<uint8_t*>(const_cast<char*>(value.constData()));
        nv.valuelen = size_t(value.size());
        nv.flags = NGHTTP2_NV_FLAG_NONE;
        nva.push_back(nv);
    }
    return nva;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// The trampolines: nghttp2's C callbacks, each forwarding to the codec in `user`.

struct Http2CodecBase::Callbacks
{
    static Http2CodecBase& self(void* user) { return *static_cast<Http2CodecBase*>(user); }

    static int beginHeaders(nghttp2_session*, const nghttp2_frame* frame, void* user)
    {
        if (frame->hd.type == NGHTTP2_PUSH_PROMISE)
            return 0; // refused by nghttp2 (no reserved streams); its fields are ignored
        return self(user).beginHeaders(frame->hd.stream_id, frame->headers.cat);
    }

    static int header(nghttp2_session*, const nghttp2_frame* frame, nghttp2_rcbuf* name,
                      nghttp2_rcbuf* value, uint8_t, void* user)
    {
        if (frame->hd.type != NGHTTP2_HEADERS)
            return 0;
        return self(user).header(frame->hd.stream_id, fieldBytes(name), fieldBytes(value));
    }

    static int invalidHeader(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name,
                             size_t namelen, const uint8_t* value, size_t valuelen, uint8_t,
                             void* user)
    {
        return self(user).invalidHeader(frame->hd.stream_id, view(name, namelen),
                                        view(value, valuelen));
    }

    static int frameReceived(nghttp2_session*, const nghttp2_frame* frame, void* user)
    {
        Http2CodecBase& codec = self(user);
        switch (frame->hd.type) {
        case NGHTTP2_RST_STREAM:
            return codec.frameReceived(frame->hd.stream_id, frame->hd.type, frame->hd.flags,
                                       frame->rst_stream.error_code, {});
        case NGHTTP2_GOAWAY:
            codec.m_goawayLastId = frame->goaway.last_stream_id;
            return codec.frameReceived(
                frame->hd.stream_id, frame->hd.type, frame->hd.flags, frame->goaway.error_code,
                view(frame->goaway.opaque_data, frame->goaway.opaque_data_len));
        default:
            return codec.frameReceived(frame->hd.stream_id, frame->hd.type, frame->hd.flags, 0, {});
        }
    }

    static int invalidFrameReceived(nghttp2_session*, const nghttp2_frame* frame, int libError,
                                    void* user)
    {
        return self(user).invalidFrameReceived(frame->hd.stream_id, frame->hd.type, libError);
    }

    static int dataChunk(nghttp2_session*, uint8_t, int32_t streamId, const uint8_t* data,
                         size_t length, void* user)
    {
        return self(user).dataChunk(streamId, reinterpret_cast<const char*>(data), length);
    }

    static int frameSent(nghttp2_session*, const nghttp2_frame* frame, void* user)
    {
        Http2CodecBase& codec = self(user);
        switch (frame->hd.type) {
        case NGHTTP2_RST_STREAM:
            return codec.frameSent(frame->hd.stream_id, frame->hd.type, frame->hd.flags,
                                   frame->rst_stream.error_code, {});
        case NGHTTP2_GOAWAY:
            return codec.frameSent(frame->hd.stream_id, frame->hd.type, frame->hd.flags,
                                   frame->goaway.error_code,
                                   view(frame->goaway.opaque_data, frame->goaway.opaque_data_len));
        default:
            return codec.frameSent(frame->hd.stream_id, frame->hd.type, frame->hd.flags, 0, {});
        }
    }

    static int frameNotSent(nghttp2_session*, const nghttp2_frame* frame, int libError, void* user)
    {
        return self(user).frameNotSent(frame->hd.stream_id, frame->hd.type, libError);
    }

    static int streamClosed(nghttp2_session*, int32_t streamId, uint32_t errorCode, void* user)
    {
        return self(user).streamClosed(streamId, errorCode);
    }

    static ssize_t readBody(nghttp2_session*, int32_t streamId, uint8_t* buffer, size_t length,
                            uint32_t* flags, nghttp2_data_source*, void* user)
    {
        return ssize_t(
            self(user).readBody(streamId, reinterpret_cast<char*>(buffer), length, flags));
    }

    static int libraryError(nghttp2_session*, int, const char* message, size_t length, void* user)
    {
        self(user).m_lastLibraryError = QString::fromUtf8(message, qsizetype(length));
        return 0;
    }

    static nghttp2_session_callbacks* make()
    {
        nghttp2_session_callbacks* cbs = nullptr;
        if (nghttp2_session_callbacks_new(&cbs) != 0)
            return nullptr;
        nghttp2_session_callbacks_set_on_begin_headers_callback(cbs, beginHeaders);
        nghttp2_session_callbacks_set_on_header_callback2(cbs, header);
        nghttp2_session_callbacks_set_on_invalid_header_callback(cbs, invalidHeader);
        nghttp2_session_callbacks_set_on_frame_recv_callback(cbs, frameReceived);
        nghttp2_session_callbacks_set_on_invalid_frame_recv_callback(cbs, invalidFrameReceived);
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cbs, dataChunk);
        nghttp2_session_callbacks_set_on_frame_send_callback(cbs, frameSent);
        nghttp2_session_callbacks_set_on_frame_not_send_callback(cbs, frameNotSent);
        nghttp2_session_callbacks_set_on_stream_close_callback(cbs, streamClosed);
        nghttp2_session_callbacks_set_error_callback2(cbs, libraryError);
        return cbs;
    }

    static nghttp2_data_provider provider()
    {
        nghttp2_data_provider p;
        p.source.ptr = nullptr;
        p.read_callback = readBody;
        return p;
    }
};

nghttp2_session_callbacks* Http2CodecBase::makeCallbacks()
{
    return Callbacks::make();
}

// --- what we submit ---

Http2CodecBase::Stream* Http2CodecBase::submitRequest(int layerId, const QByteArray& method,
                                                      const FieldList& fields, bool endStream)
{
    if (Stream* old = findByLayerId(layerId)) {
        // The layer reuses an id whose stream is over: forget the old one.
        giveBackWindow(*old);
        old->finished = true;
        m_byLayerId.erase(layerId);
    }
    const std::vector<nghttp2_nv> nva = toNv(fields);
    const nghttp2_data_provider provider = Callbacks::provider();
    const qint32 h2Id = nghttp2_submit_request(session(), nullptr, nva.data(), nva.size(),
                                               endStream ? nullptr : &provider, nullptr);
    if (h2Id < 0) {
        m_out->events.push_back(ResponseProtocolError{
            layerId, QStringLiteral("cannot send the request on this HTTP/2 connection: %1")
                         .arg(QString::fromLatin1(nghttp2_strerror(h2Id)))});
        return nullptr;
    }
    Stream& stream = m_streams[h2Id];
    stream.h2Id = h2Id;
    stream.layerId = layerId;
    stream.method = method;
    stream.headSent = true;
    stream.providerAttached = !endStream;
    stream.outEnded = endStream;
    m_byLayerId[layerId] = h2Id;
    return &stream;
}

bool Http2CodecBase::submitResponse(Stream& stream, const FieldList& fields, bool endStream,
                                    bool informational)
{
    const std::vector<nghttp2_nv> nva = toNv(fields);
    int rv = 0;
    if (informational) {
        rv = nghttp2_submit_headers(session(), NGHTTP2_FLAG_NONE, stream.h2Id, nullptr, nva.data(),
                                    nva.size(), nullptr);
    } else {
        const nghttp2_data_provider provider = Callbacks::provider();
        rv = nghttp2_submit_response(session(), stream.h2Id, nva.data(), nva.size(),
                                     endStream ? nullptr : &provider);
    }
    if (rv < 0) {
        m_out->debug << QStringLiteral("could not send the response head for stream %1: %2")
                            .arg(stream.layerId)
                            .arg(QString::fromLatin1(nghttp2_strerror(rv)));
        return false;
    }
    if (!informational) {
        stream.headSent = true;
        stream.providerAttached = !endStream;
        stream.outEnded = endStream;
    }
    return true;
}

QString Http2CodecBase::describeStreamError(const Stream& stream, int libError, int frameType) const
{
    const QString what =
        m_side == Side::Server ? QStringLiteral("request") : QStringLiteral("response");
    QString detail;
    if (libError == NGHTTP2_ERR_HTTP_HEADER && !m_lastLibraryError.isEmpty()) {
        detail = tidyLibraryError(m_lastLibraryError);
    } else if (libError == NGHTTP2_ERR_HTTP_MESSAGING && frameType == NGHTTP2_HEADERS &&
               !stream.headSeen) {
        QStringList missing;
        if (m_side == Side::Client) {
            if (!stream.pseudo.contains(":status"))
                missing << QStringLiteral(":status");
        } else {
            const bool connect = stream.pseudo.value(":method") == "CONNECT";
            for (const char* name : {":method", ":scheme", ":path", ":authority"}) {
                const bool needed = connect ? (name == std::string_view(":method") ||
                                               name == std::string_view(":authority"))
                                            : name != std::string_view(":authority");
                if (needed && !stream.pseudo.contains(name))
                    missing << QString::fromLatin1(name);
            }
        }
        detail = missing.isEmpty()
                     ? QStringLiteral("its head breaks the rules of RFC 9113 8.3")
                     : QStringLiteral("missing %1").arg(missing.join(QStringLiteral(", ")));
    } else if (libError == NGHTTP2_ERR_HTTP_MESSAGING && frameType == NGHTTP2_DATA) {
        detail = QStringLiteral("its body length does not match its content-length");
    } else if (libError == NGHTTP2_ERR_HTTP_MESSAGING && frameType == NGHTTP2_HEADERS) {
        detail = QStringLiteral("trailers without END_STREAM, or a second head");
    } else {
        detail = QString::fromLatin1(nghttp2_strerror(libError));
    }
    return QStringLiteral("malformed HTTP/2 %1: %2").arg(what, detail);
}

// --- nghttp2's callbacks ---

int Http2CodecBase::beginHeaders(qint32 h2Id, int category)
{
    if (m_side == Side::Server && category == NGHTTP2_HCAT_REQUEST) {
        Stream& stream = m_streams[h2Id];
        stream.h2Id = h2Id;
        stream.layerId = h2Id;
        m_byLayerId[h2Id] = h2Id;
    }
    if (Stream* stream = findByH2Id(h2Id)) {
        stream->pseudo.clear();
        stream->fields.clear();
        stream->blockSize = 0;
        stream->tooLarge = false;
    }
    return 0;
}

int Http2CodecBase::header(qint32 h2Id, const QByteArray& name, const QByteArray& value)
{
    Stream* stream = findByH2Id(h2Id);
    if (!stream || stream->finished || stream->tooLarge)
        return 0;
    stream->blockSize += name.size() + value.size() + 32; // RFC 9113 6.5.2
    if (stream->blockSize > m_limits.maxHeadSize) {
        stream->tooLarge = true;
        stream->pseudo.clear();
        stream->fields.clear();
        return 0;
    }
    if (name.startsWith(':'))
        stream->pseudo.add(name, value);
    else
        stream->fields.add(name, value);
    return 0;
}

int Http2CodecBase::invalidHeader(qint32 h2Id, QByteArrayView name, QByteArrayView value)
{
    if (Stream* stream = findByH2Id(h2Id); stream && stream->failure.isEmpty())
        stream->failure = QStringLiteral("malformed HTTP/2 %1: invalid field %2")
                              .arg(m_side == Side::Server ? QStringLiteral("request")
                                                          : QStringLiteral("response"),
                                   describeField(name, value));
    return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE; // RFC 9113 8.2.1: malformed, not dropped
}

int Http2CodecBase::frameReceived(qint32 h2Id, int frameType, quint8 flags, quint32 errorCode,
                                  QByteArrayView debugData)
{
    const bool endStream = flags & NGHTTP2_FLAG_END_STREAM;
    switch (frameType) {
    case NGHTTP2_HEADERS: {
        Stream* stream = findByH2Id(h2Id);
        if (!stream || stream->finished)
            return 0;
        if (stream->headSeen) {
            if (stream->tooLarge) {
                emitError(*stream, QStringLiteral("%1 trailers larger than %2 bytes")
                                       .arg(peerName())
                                       .arg(m_limits.maxHeadSize));
                resetStream(*stream, NGHTTP2_INTERNAL_ERROR);
                return 0;
            }
            emitTrailersAndEnd(*stream);
        } else {
            joinCookies(stream->fields);
            onHead(*stream, endStream);
        }
        stream->pseudo.clear();
        stream->fields.clear();
        return 0;
    }
    case NGHTTP2_DATA:
        if (Stream* stream = findByH2Id(h2Id);
            stream && endStream && stream->headSeen && !stream->inDone && !stream->finished)
            emitEnd(*stream);
        return 0;
    case NGHTTP2_RST_STREAM:
        if (Stream* stream = findByH2Id(h2Id)) {
            stream->peerReset = true;
            stream->peerResetCode = errorCode;
        }
        return 0;
    case NGHTTP2_SETTINGS:
        if (!(flags & NGHTTP2_FLAG_ACK))
            m_peerSettingsSeen = true;
        return 0;
    case NGHTTP2_GOAWAY:
        m_goawayReceived = true;
        m_goawayCode = errorCode;
        m_out->debug << QStringLiteral("%1 sent GOAWAY %2%3")
                            .arg(peerName(), codeName(errorCode),
                                 debugData.isEmpty()
                                     ? QString()
                                     : QStringLiteral(" (%1)").arg(printable(debugData)));
        return 0;
    default:
        return 0;
    }
}

int Http2CodecBase::invalidFrameReceived(qint32 h2Id, int frameType, int libError)
{
    if (h2Id == 0)
        return 0; // a connection error: its GOAWAY says why
    // nghttp2 resets the stream; the layer hears of it now, in the order of the input.
    if (Stream* stream = findByH2Id(h2Id); stream && !stream->finished) {
        if (stream->failure.isEmpty())
            stream->failure = describeStreamError(*stream, libError, frameType);
        emitError(*stream, stream->failure);
        giveBackWindow(*stream);
    }
    m_lastLibraryError.clear();
    return 0;
}

int Http2CodecBase::dataChunk(qint32 h2Id, const char* data, size_t length)
{
    Stream* stream = findByH2Id(h2Id);
    if (!stream || stream->finished || !stream->headSeen || stream->inDone) {
        nghttp2_session_consume(session(), h2Id, length); // nobody will acknowledge it
        return 0;
    }
    if (length == 0)
        return 0;
    emitData(*stream, data, length);
    stream->unacked += qint64(length);
    return 0;
}

int Http2CodecBase::frameSent(qint32 h2Id, int frameType, quint8 flags, quint32 errorCode,
                              QByteArrayView debugData)
{
    switch (frameType) {
    case NGHTTP2_HEADERS:
    case NGHTTP2_DATA:
        if (Stream* stream = findByH2Id(h2Id); stream && (flags & NGHTTP2_FLAG_END_STREAM)) {
            stream->outDone = true;
            // The codec answered a request it refused: the rest of it is not wanted
            // (RFC 9113 8.1, RST_STREAM NO_ERROR after a complete response).
            if ((stream->answeredByCodec || stream->resetAfterEnd) &&
                !nghttp2_session_get_stream_remote_close(session(), h2Id)) {
                nghttp2_submit_rst_stream(session(), NGHTTP2_FLAG_NONE, h2Id, NGHTTP2_NO_ERROR);
                if (stream->resetAfterEnd) {
                    // The exchange is over for the layer: nothing more to report on it.
                    giveBackWindow(*stream);
                    stream->finished = true;
                }
            }
        }
        return 0;
    case NGHTTP2_RST_STREAM:
        if (Stream* stream = findByH2Id(h2Id); stream && !stream->finished) {
            stream->weReset = true;
            stream->weResetCode = errorCode;
        }
        return 0;
    case NGHTTP2_GOAWAY:
        m_goawaySent = true;
        if (errorCode != NGHTTP2_NO_ERROR && m_connectionErrorCode == NGHTTP2_NO_ERROR) {
            m_connectionErrorCode = errorCode;
            if (m_connectionError.isEmpty()) {
                QString why = debugData.isEmpty() ? m_lastLibraryError : printable(debugData);
                m_connectionError = why.isEmpty()
                                        ? codeName(errorCode)
                                        : QStringLiteral("%1: %2").arg(codeName(errorCode), why);
            }
        }
        return 0;
    default:
        return 0;
    }
}

int Http2CodecBase::frameNotSent(qint32 h2Id, int frameType, int libError)
{
    Stream* stream = findByH2Id(h2Id);
    if (frameType != NGHTTP2_HEADERS || !stream || stream->finished)
        return 0;
    if (m_side == Side::Client) {
        // nghttp2 closes a request stream whose HEADERS could not go; the close reports it.
        if (stream->failure.isEmpty())
            stream->failure =
                m_goawayReceived
                    ? QStringLiteral("server sent GOAWAY (%1) before the request could be sent")
                          .arg(codeName(m_goawayCode))
                    : QStringLiteral("the request head could not be sent: %1")
                          .arg(QString::fromLatin1(nghttp2_strerror(libError)));
        return 0;
    }
    // A response head (or trailers) that cannot go (larger than nghttp2 sends): the stream
    // cannot be answered any more.
    emitError(*stream, QStringLiteral("the response head for stream %1 could not be sent: %2")
                           .arg(stream->layerId)
                           .arg(QString::fromLatin1(nghttp2_strerror(libError))));
    resetStream(*stream, NGHTTP2_INTERNAL_ERROR);
    return 0;
}

int Http2CodecBase::streamClosed(qint32 h2Id, quint32 errorCode)
{
    Stream* stream = findByH2Id(h2Id);
    if (!stream)
        return 0;
    stream->closed = true;
    stream->body.clear();
    stream->bodyOffset = 0;
    stream->pending = 0;
    if (stream->finished)
        return 0;
    if (incomplete(*stream)) {
        emitError(*stream, closeMessage(*stream, errorCode));
        giveBackWindow(*stream);
    } else if (!stream->outDone && stream->headSent) {
        m_out->debug << QStringLiteral("the %1 closed stream %2 before all of the request "
                                       "was sent (%3)")
                            .arg(peerName())
                            .arg(stream->layerId)
                            .arg(codeName(errorCode));
    }
    return 0;
}

qint64 Http2CodecBase::readBody(qint32 h2Id, char* buffer, size_t length, quint32* flags)
{
    Stream* stream = findByH2Id(h2Id);
    if (!stream || (stream->finished && !stream->answeredByCodec))
        return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
    size_t n = 0;
    while (n < length && !stream->body.empty()) {
        const QByteArray& front = stream->body.front();
        const size_t take = std::min(length - n, size_t(front.size() - stream->bodyOffset));
        std::memcpy(buffer + n, front.constData() + stream->bodyOffset, take);
        n += take;
        stream->bodyOffset += qsizetype(take);
        if (stream->bodyOffset == front.size()) {
            stream->body.pop_front();
            stream->bodyOffset = 0;
        }
    }
    stream->pending -= qint64(n);
    if (stream->pending == 0 && stream->outEnded) {
        *flags |= NGHTTP2_DATA_FLAG_EOF;
        if (stream->hasTrailers) {
            const FieldList trailers = outboundFields(stream->trailers, false);
            const std::vector<nghttp2_nv> nva = toNv(trailers);
            if (!trailers.isEmpty() &&
                nghttp2_submit_trailer(session(), h2Id, nva.data(), nva.size()) == 0)
                *flags |= NGHTTP2_DATA_FLAG_NO_END_STREAM;
        }
        return qint64(n);
    }
    if (n == 0) {
        stream->deferred = true;
        return NGHTTP2_ERR_DEFERRED;
    }
    return qint64(n);
}

} // namespace spyglass::layers::http

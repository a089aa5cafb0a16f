#include "layers/http/http2_common.h"

#include "layers/http/http1_wire.h"

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

QString codeName(quint32 errorCode)
{
    return QString::fromLatin1(nghttp2_http2_strerror(errorCode));
}

// A field for a message: printable, and not longer than a line.
QString printable(QByteArrayView bytes)
{
    QString s;
    for (const char c : bytes.first(std::min<qsizetype>(bytes.size(), 80))) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u >= 0x7f)
            s += QStringLiteral("\\x%1").arg(u, 2, 16, QLatin1Char('0'));
        else
            s += QLatin1Char(c);
    }
    if (bytes.size() > 80)
        s += QStringLiteral("...");
    return s;
}

QString describeField(QByteArrayView name, QByteArrayView value)
{
    return QStringLiteral("\"%1: %2\"").arg(printable(name), printable(value));
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

template <typename Data>
void appendData(std::vector<HttpEvent>& events, int streamId, const char* data, size_t length)
{
    if (!events.empty()) {
        if (auto* last = std::get_if<Data>(&events.back()); last && last->streamId == streamId) {
            last->data.append(data, qsizetype(length));
            return;
        }
    }
    events.push_back(Data{streamId, QByteArray(data, qsizetype(length))});
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

const QList<QByteArray> kConnectionSpecific{"connection",        "keep-alive", "proxy-connection",
                                            "transfer-encoding", "upgrade",    "http2-settings"};

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

    static int header(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name,
                      size_t namelen, const uint8_t* value, size_t valuelen, uint8_t, void* user)
    {
        if (frame->hd.type != NGHTTP2_HEADERS)
            return 0;
        return self(user).header(frame->hd.stream_id, view(name, namelen), view(value, valuelen));
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
        nghttp2_session_callbacks_set_on_header_callback(cbs, header);
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

void Http2CodecBase::SessionDeleter::operator()(nghttp2_session* session) const
{
    nghttp2_session_del(session);
}

// ---------------------------------------------------------------------------------------------

Http2CodecBase::Http2CodecBase(Side side, CodecLimits limits) : m_side(side), m_limits(limits)
{
    nghttp2_session_callbacks* cbs = Callbacks::make();
    nghttp2_option* option = nullptr;
    nghttp2_session* session = nullptr;
    if (cbs && nghttp2_option_new(&option) == 0) {
        nghttp2_option_set_no_auto_window_update(option, 1);
        if (side == Side::Client)
            nghttp2_option_set_max_reserved_remote_streams(option, 0); // no server push
        if (side == Side::Server)
            nghttp2_session_server_new2(&session, cbs, this, option);
        else
            nghttp2_session_client_new2(&session, cbs, this, option);
    }
    nghttp2_option_del(option);
    nghttp2_session_callbacks_del(cbs);
    m_session.reset(session);
    if (!session) {
        m_phase = Phase::Failed;
        m_connectionError = QStringLiteral("cannot create an HTTP/2 session (out of memory)");
        return;
    }

    const auto headList = quint32(std::clamp<qint64>(limits.maxHeadSize, 1024, 1 << 30));
    std::vector<nghttp2_settings_entry> settings{
        {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, quint32(kHttp2StreamWindow)},
        {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, headList}};
    if (side == Side::Server)
        settings.push_back({NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, kHttp2MaxConcurrentStreams});
    else
        settings.push_back({NGHTTP2_SETTINGS_ENABLE_PUSH, 0});
    nghttp2_submit_settings(session, NGHTTP2_FLAG_NONE, settings.data(), settings.size());
    nghttp2_session_set_local_window_size(session, NGHTTP2_FLAG_NONE, 0, kHttp2ConnectionWindow);
}

Http2CodecBase::~Http2CodecBase() = default;

// --- the public calls ---

void Http2CodecBase::begin(CodecOutput& out)
{
    m_out = &out;
}

void Http2CodecBase::finish()
{
    if (m_phase == Phase::Open) {
        flush();
        if (m_phase == Phase::Open && m_connectionErrorCode != NGHTTP2_NO_ERROR)
            failConnection(m_connectionError);
        if (m_phase == Phase::Open && !nghttp2_session_want_read(session()) &&
            !nghttp2_session_want_write(session())) {
            // GOAWAY went one way or the other and every stream is done.
            m_phase = Phase::Closed;
            closeStreams(QStringLiteral("the HTTP/2 connection was shut down"));
            m_out->close = true;
        }
    }
    for (const int id : m_waiting)
        if (pendingOutput(id) == 0)
            m_out->drained.push_back(id);
    m_waiting.clear();
    for (const auto& [h2Id, stream] : m_streams)
        if (stream.pending > 0)
            m_waiting.insert(stream.layerId);
    sweep();
    m_out = nullptr;
}

void Http2CodecBase::flush()
{
    for (;;) {
        const uint8_t* data = nullptr;
        const ssize_t n = nghttp2_session_mem_send(session(), &data);
        if (n < 0) {
            failConnection(QStringLiteral("nghttp2 failed to write: %1")
                               .arg(QString::fromLatin1(nghttp2_strerror(int(n)))));
            return;
        }
        if (n == 0)
            return;
        m_out->toPeer.append(reinterpret_cast<const char*>(data), qsizetype(n));
    }
}

void Http2CodecBase::receiveData(const QByteArray& data, CodecOutput& out)
{
    begin(out);
    if (m_phase != Phase::Open) {
        if (!data.isEmpty())
            out.debug << QStringLiteral("ignored %1 bytes from the %2 after the HTTP/2 "
                                        "connection ended")
                             .arg(data.size())
                             .arg(peerName());
        finish();
        return;
    }
    m_lastLibraryError.clear();
    const ssize_t used = nghttp2_session_mem_recv(
        session(), reinterpret_cast<const uint8_t*>(data.constData()), size_t(data.size()));
    if (used < 0) {
        // Errors nghttp2 does not answer by itself: tell the peer, then fail.
        switch (used) {
        case NGHTTP2_ERR_BAD_CLIENT_MAGIC:
            m_connectionError = QStringLiteral("PROTOCOL_ERROR: the client did not send the "
                                               "HTTP/2 connection preface");
            break;
        case NGHTTP2_ERR_FLOODED:
            m_connectionError = QStringLiteral("ENHANCE_YOUR_CALM: the %1 sent more frames "
                                               "than it reads answers to")
                                    .arg(peerName());
            break;
        default:
            m_connectionError = QStringLiteral("INTERNAL_ERROR: %1")
                                    .arg(QString::fromLatin1(nghttp2_strerror(int(used))));
            break;
        }
        nghttp2_session_terminate_session(session(), used == NGHTTP2_ERR_BAD_CLIENT_MAGIC
                                                         ? NGHTTP2_PROTOCOL_ERROR
                                                         : NGHTTP2_INTERNAL_ERROR);
        flush();
        if (m_phase == Phase::Open)
            failConnection(m_connectionError);
    } else if (used != data.size()) {
        flush();
        if (m_phase == Phase::Open)
            failConnection(QStringLiteral("INTERNAL_ERROR: nghttp2 consumed %1 of %2 bytes")
                               .arg(used)
                               .arg(data.size()));
    }
    finish();
}

void Http2CodecBase::receiveClose(CodecOutput& out)
{
    begin(out);
    if (m_phase == Phase::Open) {
        m_phase = Phase::Closed;
        QString message = m_side == Side::Server
                              ? QStringLiteral("client closed the connection")
                              : QStringLiteral("server closed the connection before the "
                                               "response was complete");
        if (m_goawayReceived && m_goawayCode != NGHTTP2_NO_ERROR)
            message += QStringLiteral(" (after GOAWAY %1)").arg(codeName(m_goawayCode));
        closeStreams(message);
        out.close = true;
    }
    finish();
}

void Http2CodecBase::send(const HttpEvent& event, CodecOutput& out)
{
    begin(out);
    if (m_phase != Phase::Open) {
        const auto* request = std::get_if<RequestHeaders>(&event);
        if (request && m_side == Side::Client)
            out.events.push_back(ResponseProtocolError{
                request->streamId, QStringLiteral("the upstream HTTP/2 connection is closed")});
        else
            out.debug << QStringLiteral("ignored an HTTP event for stream %1: the HTTP/2 "
                                        "connection is closed")
                             .arg(streamIdOf(event));
    } else {
        dispatch(event);
    }
    finish();
}

void Http2CodecBase::acknowledge(int streamId, qint64 bytes, CodecOutput& out)
{
    begin(out);
    Stream* stream = findByLayerId(streamId);
    if (m_phase == Phase::Open && stream && !stream->finished && bytes > 0) {
        const qint64 n = std::min(bytes, stream->unacked);
        if (n > 0) {
            nghttp2_session_consume(session(), stream->h2Id, size_t(n));
            stream->unacked -= n;
        }
    }
    finish();
}

qint64 Http2CodecBase::pendingOutput(int streamId) const
{
    const auto id = m_byLayerId.find(streamId);
    if (id == m_byLayerId.end())
        return 0;
    const auto stream = m_streams.find(id->second);
    return stream == m_streams.end() ? 0 : stream->second.pending;
}

void Http2CodecBase::abortStream(int streamId, CodecOutput& out)
{
    begin(out);
    if (Stream* stream = findByLayerId(streamId); stream && m_phase == Phase::Open) {
        if (!stream->closed && !stream->finished)
            resetStream(*stream, NGHTTP2_CANCEL);
        else
            giveBackWindow(*stream);
        stream->finished = true;
    }
    finish();
}

void Http2CodecBase::sendPing(CodecOutput& out)
{
    begin(out);
    if (m_phase == Phase::Open)
        nghttp2_submit_ping(session(), NGHTTP2_FLAG_NONE, nullptr);
    finish();
}

void Http2CodecBase::shutdown(CodecOutput& out)
{
    begin(out);
    if (m_phase == Phase::Open && !m_shutdownRequested) {
        m_shutdownRequested = true;
        nghttp2_submit_goaway(session(), NGHTTP2_FLAG_NONE,
                              nghttp2_session_get_last_proc_stream_id(session()), NGHTTP2_NO_ERROR,
                              nullptr, 0);
    }
    finish();
}

bool Http2CodecBase::isHandedOver() const
{
    return false;
}

QByteArray Http2CodecBase::takeUnparsed()
{
    return {};
}

bool Http2CodecBase::isIdle() const
{
    return openStreamCount() == 0;
}

bool Http2CodecBase::isClosing() const
{
    return m_phase != Phase::Open || m_goawaySent || m_goawayReceived || m_shutdownRequested;
}

// --- connection and stream state ---

void Http2CodecBase::failConnection(const QString& message)
{
    m_phase = Phase::Failed;
    closeStreams(QStringLiteral("HTTP/2 connection error: %1").arg(message));
    m_out->close = true;
}

void Http2CodecBase::closeStreams(const QString& message)
{
    for (auto& [h2Id, stream] : m_streams) {
        if (!stream.finished && !stream.closed && incomplete(stream))
            emitError(stream, message);
        stream.closed = true;
        stream.finished = true;
        stream.body.clear();
        stream.bodyOffset = 0;
        stream.pending = 0;
    }
}

bool Http2CodecBase::incomplete(const Stream& stream) const
{
    // A response that arrived whole is complete even if the server did not read the whole
    // request (RFC 9113 8.1); a request is complete only once its response went out too.
    if (m_side == Side::Client)
        return !stream.inDone;
    return !stream.inDone || !stream.outDone;
}

QString Http2CodecBase::peerName() const
{
    return m_side == Side::Server ? QStringLiteral("client") : QStringLiteral("server");
}

QString Http2CodecBase::closeMessage(const Stream& stream, quint32 errorCode) const
{
    if (!stream.failure.isEmpty())
        return stream.failure;
    if (m_side == Side::Client && m_goawayReceived && stream.h2Id > m_goawayLastId)
        return QStringLiteral("server sent GOAWAY (%1) without processing the request")
            .arg(codeName(m_goawayCode));
    if (stream.peerReset)
        return QStringLiteral("%1 reset stream: %2")
            .arg(peerName(), codeName(stream.peerResetCode));
    if (stream.weReset)
        return QStringLiteral("malformed HTTP/2 %1: stream reset with %2")
            .arg(m_side == Side::Server ? QStringLiteral("request") : QStringLiteral("response"),
                 codeName(stream.weResetCode));
    return QStringLiteral("stream closed with %1 before the %2 was complete")
        .arg(codeName(errorCode),
             m_side == Side::Server ? QStringLiteral("exchange") : QStringLiteral("response"));
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

void Http2CodecBase::giveBackWindow(Stream& stream)
{
    if (stream.unacked > 0 && m_phase == Phase::Open)
        nghttp2_session_consume_connection(session(), size_t(stream.unacked));
    stream.unacked = 0;
}

void Http2CodecBase::sweep()
{
    for (auto it = m_streams.begin(); it != m_streams.end();) {
        const Stream& s = it->second;
        if (s.closed && (s.finished || s.unacked == 0)) {
            const auto id = m_byLayerId.find(s.layerId);
            if (id != m_byLayerId.end() && id->second == s.h2Id)
                m_byLayerId.erase(id);
            it = m_streams.erase(it);
        } else {
            ++it;
        }
    }
}

Http2CodecBase::Stream* Http2CodecBase::findByLayerId(int layerId)
{
    const auto id = m_byLayerId.find(layerId);
    return id == m_byLayerId.end() ? nullptr : findByH2Id(id->second);
}

Http2CodecBase::Stream* Http2CodecBase::findByH2Id(qint32 h2Id)
{
    const auto it = m_streams.find(h2Id);
    return it == m_streams.end() ? nullptr : &it->second;
}

int Http2CodecBase::openStreamCount() const
{
    int n = 0;
    for (const auto& [h2Id, stream] : m_streams)
        if (!stream.closed && !stream.finished)
            ++n;
    return n;
}

// --- events for the layer ---

void Http2CodecBase::emitHead(Stream& stream, HttpEvent&& head, bool endStream)
{
    if (stream.finished)
        return;
    m_out->events.push_back(std::move(head));
    stream.headSeen = true;
    if (endStream)
        stream.inDone = true;
}

void Http2CodecBase::emitError(Stream& stream, const QString& message, int statusCode)
{
    if (stream.finished)
        return;
    if (m_side == Side::Server)
        m_out->events.push_back(RequestProtocolError{stream.layerId, message, statusCode});
    else
        m_out->events.push_back(ResponseProtocolError{stream.layerId, message});
    stream.finished = true;
}

void Http2CodecBase::emitData(Stream& stream, const char* data, size_t length)
{
    if (m_side == Side::Server)
        appendData<RequestData>(m_out->events, stream.layerId, data, length);
    else
        appendData<ResponseData>(m_out->events, stream.layerId, data, length);
}

void Http2CodecBase::emitTrailersAndEnd(Stream& stream)
{
    if (m_side == Side::Server)
        m_out->events.push_back(RequestTrailers{stream.layerId, std::move(stream.fields)});
    else
        m_out->events.push_back(ResponseTrailers{stream.layerId, std::move(stream.fields)});
    emitEnd(stream);
}

void Http2CodecBase::emitEnd(Stream& stream)
{
    if (m_side == Side::Server)
        m_out->events.push_back(RequestEndOfMessage{stream.layerId});
    else
        m_out->events.push_back(ResponseEndOfMessage{stream.layerId});
    stream.inDone = true;
}

// --- what we send ---

Http2CodecBase::FieldList Http2CodecBase::outboundFields(const Headers& headers,
                                                         bool dropHost) const
{
    QList<QByteArray> hopByHop = kConnectionSpecific;
    for (const QByteArray& value : headers.values("connection"))
        for (const QByteArray& token : value.split(','))
            if (const QByteArray t = token.trimmed().toLower(); !t.isEmpty())
                hopByHop.append(t);

    FieldList fields;
    bool te = false;
    for (const auto& [name, value] : headers.fields()) {
        const QByteArray lower = name.toLower();
        if (hopByHop.contains(lower) || (dropHost && lower == "host"))
            continue;
        if (lower == "te") {
            if (!te && headers.hasToken("te", "trailers"))
                fields.append(Headers::Field{"te", "trailers"});
            te = true;
            continue;
        }
        if (!http1IsToken(lower)) {
            m_out->debug << QStringLiteral("dropped a field with an invalid name %1")
                                .arg(describeField(name, value));
            continue;
        }
        QByteArray v = value;
        for (char& c : v)
            if (c == '\r' || c == '\n' || c == '\0')
                c = ' ';
        fields.append(Headers::Field{lower, v.trimmed()});
    }
    return fields;
}

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

void Http2CodecBase::queueData(Stream& stream, const QByteArray& data)
{
    if (data.isEmpty())
        return;
    if (!stream.providerAttached || stream.outEnded || stream.finished || stream.closed) {
        m_out->debug << QStringLiteral("dropped %1 bytes of body for stream %2: %3")
                            .arg(data.size())
                            .arg(stream.layerId)
                            .arg(!stream.headSent ? QStringLiteral("no head was sent yet")
                                 : stream.providerAttached && !stream.outEnded
                                     ? QStringLiteral("the stream is closed")
                                     : QStringLiteral("the message has no body or has ended"));
        return;
    }
    stream.body.push_back(data);
    stream.pending += data.size();
    resume(stream);
}

void Http2CodecBase::queueTrailers(Stream& stream, const Headers& trailers)
{
    if (!stream.providerAttached || stream.outEnded || stream.finished || stream.closed) {
        m_out->debug << QStringLiteral("dropped the trailers for stream %1: the message has no "
                                       "body or has ended")
                            .arg(stream.layerId);
        return;
    }
    stream.trailers = trailers;
    stream.hasTrailers = true;
}

void Http2CodecBase::queueEnd(Stream& stream)
{
    if (!stream.providerAttached || stream.outEnded || stream.finished || stream.closed)
        return; // already ended (a head with END_STREAM, or a body-less response)
    stream.outEnded = true;
    resume(stream);
}

void Http2CodecBase::resume(Stream& stream)
{
    if (stream.deferred) {
        stream.deferred = false;
        nghttp2_session_resume_data(session(), stream.h2Id);
    }
}

void Http2CodecBase::resetStream(Stream& stream, quint32 errorCode)
{
    nghttp2_submit_rst_stream(session(), NGHTTP2_FLAG_NONE, stream.h2Id, errorCode);
    giveBackWindow(stream);
    stream.finished = true;
    stream.body.clear();
    stream.bodyOffset = 0;
    stream.pending = 0;
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

int Http2CodecBase::header(qint32 h2Id, QByteArrayView name, QByteArrayView value)
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
        stream->pseudo.add(name.toByteArray(), value.toByteArray());
    else
        stream->fields.add(name.toByteArray(), value.toByteArray());
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
            if (stream->answeredByCodec &&
                !nghttp2_session_get_stream_remote_close(session(), h2Id))
                nghttp2_submit_rst_stream(session(), NGHTTP2_FLAG_NONE, h2Id, NGHTTP2_NO_ERROR);
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
    if (frameType != NGHTTP2_HEADERS)
        return 0;
    if (Stream* stream = findByH2Id(h2Id); stream && stream->failure.isEmpty())
        stream->failure =
            m_goawayReceived
                ? QStringLiteral("server sent GOAWAY (%1) before the request could be sent")
                      .arg(codeName(m_goawayCode))
                : QStringLiteral("the head for stream %1 could not be sent: %2")
                      .arg(stream->layerId)
                      .arg(QString::fromLatin1(nghttp2_strerror(libError)));
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

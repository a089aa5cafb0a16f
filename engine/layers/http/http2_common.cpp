#include "layers/http/http2_common.h"

#include "layers/http/http1_wire.h"

#include <nghttp2/nghttp2.h>

#include <algorithm>

namespace spyglass::layers::http {

namespace {

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

const QList<QByteArray> kConnectionSpecific{"connection",        "keep-alive", "proxy-connection",
                                            "transfer-encoding", "upgrade",    "http2-settings"};

} // namespace

QString Http2CodecBase::codeName(quint32 errorCode)
{
    return QString::fromLatin1(nghttp2_http2_strerror(errorCode));
}

// A field for a message: printable, and not longer than a line.
QString Http2CodecBase::printable(QByteArrayView bytes)
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

QString Http2CodecBase::describeField(QByteArrayView name, QByteArrayView value)
{
    return QStringLiteral("\"%1: %2\"").arg(printable(name), printable(value));
}

void Http2CodecBase::SessionDeleter::operator()(nghttp2_session* session) const
{
    nghttp2_session_del(session);
}

// ---------------------------------------------------------------------------------------------

Http2CodecBase::Http2CodecBase(Side side, CodecLimits limits) : m_side(side), m_limits(limits)
{
    nghttp2_session_callbacks* cbs = makeCallbacks();
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
    if (side == Side::Server && limits.extendedConnect)
        settings.push_back({NGHTTP2_SETTINGS_ENABLE_CONNECT_PROTOCOL, 1});
    if (side == Side::Client)
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

bool Http2CodecBase::isMultiplexed() const
{
    return true;
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

} // namespace spyglass::layers::http

#pragma once
// Test support for the HTTP/2 codecs: a real nghttp2 session on the other end of the wire
// (a client for Http2ServerCodec, a server for Http2ClientCodec), over memory buffers, and an
// Exchange that moves bytes between it and a codec until both are quiet. The peer submits
// requests or responses and records what it receives; nothing is hand-written frames.
// Header-only because every test in tests/unit is one source file.

#include "http1_codec_driver.h"
#include "layers/http/http_codec.h"

#include <QtTest>
#include <nghttp2/nghttp2.h>

#include <cstring>
#include <deque>
#include <functional>
#include <map>

namespace spyglass::test {

using Fields = QList<std::pair<QByteArray, QByteArray>>;

struct H2PeerOptions
{
    bool autoWindowUpdate = true;       // false: the test calls consume() itself
    quint32 maxConcurrentStreams = 0;   // 0: not advertised
    bool enableConnectProtocol = false; // server: SETTINGS_ENABLE_CONNECT_PROTOCOL (RFC 8441)
};

class H2Peer
{
public:
    enum class Role
    {
        Client,
        Server
    };

    struct Stream
    {
        QList<Fields> blocks; // every header block received, in order (heads, 1xx, trailers)
        QByteArray data;
        qint64 unconsumed = 0; // received and not consume()d (without auto window update)
        bool ended = false;    // END_STREAM received
        bool reset = false;    // RST_STREAM received
        quint32 resetCode = 0;
        bool closed = false;
        quint32 closeCode = 0;

        // Outbound body.
        QByteArray out;
        qsizetype outOffset = 0;
        bool outEnded = false;
        Fields trailers;
        bool deferred = false;

        QByteArray field(const QByteArray& name, int block = 0) const
        {
            if (block >= blocks.size())
                return {};
            for (const auto& [n, v] : blocks[block])
                if (n == name)
                    return v;
            return {};
        }
    };

    explicit H2Peer(Role role, H2PeerOptions options = {}) : m_role(role)
    {
        nghttp2_session_callbacks* cbs = nullptr;
        nghttp2_session_callbacks_new(&cbs);
        nghttp2_session_callbacks_set_on_begin_headers_callback(cbs, &H2Peer::onBeginHeaders);
        nghttp2_session_callbacks_set_on_header_callback(cbs, &H2Peer::onHeader);
        nghttp2_session_callbacks_set_on_frame_recv_callback(cbs, &H2Peer::onFrameRecv);
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cbs, &H2Peer::onDataChunk);
        nghttp2_session_callbacks_set_on_stream_close_callback(cbs, &H2Peer::onStreamClose);
        nghttp2_option* opt = nullptr;
        nghttp2_option_new(&opt);
        nghttp2_option_set_no_auto_window_update(opt, options.autoWindowUpdate ? 0 : 1);
        if (role == Role::Client)
            nghttp2_session_client_new2(&m_session, cbs, this, opt);
        else
            nghttp2_session_server_new2(&m_session, cbs, this, opt);
        nghttp2_option_del(opt);
        nghttp2_session_callbacks_del(cbs);
        std::vector<nghttp2_settings_entry> iv;
        if (options.maxConcurrentStreams)
            iv.push_back({NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, options.maxConcurrentStreams});
        if (options.enableConnectProtocol)
            iv.push_back({NGHTTP2_SETTINGS_ENABLE_CONNECT_PROTOCOL, 1});
        nghttp2_submit_settings(m_session, NGHTTP2_FLAG_NONE, iv.data(), iv.size());
    }
    ~H2Peer() { nghttp2_session_del(m_session); }
    H2Peer(const H2Peer&) = delete;
    H2Peer& operator=(const H2Peer&) = delete;

    nghttp2_session* session() { return m_session; }
    // What the codec's SETTINGS said about RFC 8441 extended CONNECT.
    bool remoteEnablesConnectProtocol()
    {
        return nghttp2_session_get_remote_settings(m_session,
                                                   NGHTTP2_SETTINGS_ENABLE_CONNECT_PROTOCOL) == 1;
    }
    std::map<qint32, Stream> streams;
    int goaways = 0;
    quint32 goawayCode = 0;
    qint32 goawayLastStream = 0;
    int pingAcks = 0;
    int pingsReceived = 0;
    // Server: called when a request has ended (or reset), to answer it.
    std::function<void(H2Peer&, qint32)> onRequest;

    // Client: submits a request; `body` is sent, then trailers, then END_STREAM if `end`.
    qint32 request(const Fields& head, const QByteArray& body = {}, bool end = true,
                   const Fields& trailers = {})
    {
        const auto nva = toNv(head);
        const bool headOnly = body.isEmpty() && trailers.isEmpty() && end;
        nghttp2_data_provider prd;
        prd.source.ptr = nullptr;
        prd.read_callback = &H2Peer::read;
        const qint32 id = nghttp2_submit_request(m_session, nullptr, nva.data(), nva.size(),
                                                 headOnly ? nullptr : &prd, nullptr);
        Stream& s = streams[id];
        s.out = body;
        s.outEnded = end;
        s.trailers = trailers;
        return id;
    }

    // Server: answers stream `id`.
    void respond(qint32 id, const Fields& head, const QByteArray& body = {}, bool end = true,
                 const Fields& trailers = {})
    {
        const auto nva = toNv(head);
        const bool headOnly = body.isEmpty() && trailers.isEmpty() && end;
        nghttp2_data_provider prd;
        prd.source.ptr = nullptr;
        prd.read_callback = &H2Peer::read;
        Stream& s = streams[id];
        s.out = body;
        s.outEnded = end;
        s.trailers = trailers;
        QCOMPARE(nghttp2_submit_response(m_session, id, nva.data(), nva.size(),
                                         headOnly ? nullptr : &prd),
                 0);
    }

    // Server: a 1xx head before the response.
    void informational(qint32 id, const Fields& head)
    {
        const auto nva = toNv(head);
        nghttp2_submit_headers(m_session, NGHTTP2_FLAG_NONE, id, nullptr, nva.data(), nva.size(),
                               nullptr);
    }

    // More body for a stream whose provider is attached.
    void sendBody(qint32 id, const QByteArray& data, bool end)
    {
        Stream& s = streams[id];
        s.out += data;
        s.outEnded = end;
        if (s.deferred) {
            s.deferred = false;
            nghttp2_session_resume_data(m_session, id);
        }
    }

    void reset(qint32 id, quint32 code)
    {
        nghttp2_submit_rst_stream(m_session, NGHTTP2_FLAG_NONE, id, code);
    }
    void goaway(quint32 code, qint32 lastStreamId)
    {
        nghttp2_submit_goaway(m_session, NGHTTP2_FLAG_NONE, lastStreamId, code, nullptr, 0);
    }
    void ping() { nghttp2_submit_ping(m_session, NGHTTP2_FLAG_NONE, nullptr); }
    // Without auto window update: hands `n` bytes of stream `id` back to the sender.
    void consume(qint32 id, qint64 n)
    {
        nghttp2_session_consume(m_session, id, size_t(n));
        streams[id].unconsumed -= n;
    }

    // What the peer wants to write.
    QByteArray take()
    {
        QByteArray out;
        for (;;) {
            const uint8_t* data = nullptr;
            const ssize_t n = nghttp2_session_mem_send(m_session, &data);
            if (n <= 0)
                break;
            out.append(reinterpret_cast<const char*>(data), qsizetype(n));
        }
        return out;
    }
    // What the codec wrote; false if nghttp2 refused it.
    bool feed(const QByteArray& data)
    {
        const ssize_t n = nghttp2_session_mem_recv(
            m_session, reinterpret_cast<const uint8_t*>(data.constData()), size_t(data.size()));
        return n == data.size();
    }
    qint64 outstanding(qint32 id) const
    {
        const auto it = streams.find(id);
        return it == streams.end() ? 0 : it->second.out.size() - it->second.outOffset;
    }

private:
    // Names are sent as given (nghttp2 would lower-case a copy), so a test can send what a
    // broken client sends; they are kept alive until the peer is gone.
    std::vector<nghttp2_nv> toNv(const Fields& fields)
    {
        m_keep.push_back(fields);
        std::vector<nghttp2_nv> nva;
        for (const auto& [n, v] : m_keep.back())
            nva.push_back({reinterpret_cast<uint8_t*>(const_cast<char*>(n.constData())),
                           reinterpret_cast<uint8_t*>(const_cast<char*>(v.constData())),
                           size_t(n.size()), size_t(v.size()), NGHTTP2_NV_FLAG_NO_COPY_NAME});
        return nva;
    }
    static H2Peer& self(void* user) { return *static_cast<H2Peer*>(user); }

    static int onBeginHeaders(nghttp2_session*, const nghttp2_frame* frame, void* user)
    {
        self(user).streams[frame->hd.stream_id].blocks.append(Fields{});
        return 0;
    }
    static int onHeader(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name,
                        size_t namelen, const uint8_t* value, size_t valuelen, uint8_t, void* user)
    {
        self(user).streams[frame->hd.stream_id].blocks.last().append(
            {QByteArray(reinterpret_cast<const char*>(name), qsizetype(namelen)),
             QByteArray(reinterpret_cast<const char*>(value), qsizetype(valuelen))});
        return 0;
    }
    static int onFrameRecv(nghttp2_session*, const nghttp2_frame* frame, void* user)
    {
        H2Peer& p = self(user);
        const qint32 id = frame->hd.stream_id;
        switch (frame->hd.type) {
        case NGHTTP2_HEADERS:
        case NGHTTP2_DATA:
            if (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) {
                p.streams[id].ended = true;
                if (p.m_role == Role::Server && p.onRequest)
                    p.onRequest(p, id);
            }
            break;
        case NGHTTP2_RST_STREAM:
            p.streams[id].reset = true;
            p.streams[id].resetCode = frame->rst_stream.error_code;
            break;
        case NGHTTP2_GOAWAY:
            ++p.goaways;
            p.goawayCode = frame->goaway.error_code;
            p.goawayLastStream = frame->goaway.last_stream_id;
            break;
        case NGHTTP2_PING:
            if (frame->hd.flags & NGHTTP2_FLAG_ACK)
                ++p.pingAcks;
            else
                ++p.pingsReceived;
            break;
        default:
            break;
        }
        return 0;
    }
    static int onDataChunk(nghttp2_session*, uint8_t, int32_t id, const uint8_t* data, size_t len,
                           void* user)
    {
        Stream& s = self(user).streams[id];
        s.data.append(reinterpret_cast<const char*>(data), qsizetype(len));
        s.unconsumed += qint64(len);
        return 0;
    }
    static int onStreamClose(nghttp2_session*, int32_t id, uint32_t code, void* user)
    {
        Stream& s = self(user).streams[id];
        s.closed = true;
        s.closeCode = code;
        return 0;
    }
    static ssize_t read(nghttp2_session* session, int32_t id, uint8_t* buf, size_t length,
                        uint32_t* flags, nghttp2_data_source*, void* user)
    {
        Stream& s = self(user).streams[id];
        const size_t n = std::min(length, size_t(s.out.size() - s.outOffset));
        std::memcpy(buf, s.out.constData() + s.outOffset, n);
        s.outOffset += qsizetype(n);
        if (s.outOffset == s.out.size() && s.outEnded) {
            *flags |= NGHTTP2_DATA_FLAG_EOF;
            if (!s.trailers.isEmpty()) {
                *flags |= NGHTTP2_DATA_FLAG_NO_END_STREAM;
                const auto nva = self(user).toNv(s.trailers);
                nghttp2_submit_trailer(session, id, nva.data(), nva.size());
            }
            return ssize_t(n);
        }
        if (n == 0) {
            s.deferred = true;
            return NGHTTP2_ERR_DEFERRED;
        }
        return ssize_t(n);
    }

    Role m_role;
    nghttp2_session* m_session = nullptr;
    std::deque<Fields> m_keep;
};

// Moves bytes between a codec and a peer until neither has anything to say. Bytes for the
// codec are cut as `cut` says (whole, 1-byte pieces, random points); every event goes into
// `transcript` and to `respond` (which may answer through codec.send); body data is
// acknowledged at once unless autoAcknowledge is off.
struct Exchange
{
    Exchange(HttpCodec& c, H2Peer& p, Responder r = {}) : codec(c), peer(p), respond(std::move(r))
    {
    }

    HttpCodec& codec;
    H2Peer& peer;
    Responder respond;
    enum class Cut
    {
        Whole,
        Bytes,
        Random
    } cut = Cut::Whole;
    quint32 seed = 1;
    bool autoAcknowledge = true;

    Transcript transcript;
    std::vector<int> drained;
    qint64 unacknowledged = 0;
    bool peerRefused = false; // the peer's nghttp2 rejected what the codec wrote

    void take(CodecOutput&& first)
    {
        std::vector<CodecOutput> queue;
        queue.push_back(std::move(first));
        for (size_t i = 0; i < queue.size(); ++i) {
            CodecOutput out = std::move(queue[i]);
            m_toPeer += out.toPeer;
            transcript.toPeer += out.toPeer;
            transcript.close = transcript.close || out.close;
            transcript.debug += out.debug;
            drained.insert(drained.end(), out.drained.begin(), out.drained.end());
            for (const HttpEvent& e : out.events) {
                if (!mergeData<RequestData>(transcript.events, e) &&
                    !mergeData<ResponseData>(transcript.events, e))
                    transcript.events.push_back(e);
                qint64 bytes = 0;
                if (const auto* d = std::get_if<RequestData>(&e))
                    bytes = d->data.size();
                if (const auto* d = std::get_if<ResponseData>(&e))
                    bytes = d->data.size();
                if (bytes && autoAcknowledge) {
                    CodecOutput ack;
                    codec.acknowledge(streamIdOf(e), bytes, ack);
                    queue.push_back(std::move(ack));
                } else {
                    unacknowledged += bytes;
                }
                if (respond) {
                    CodecOutput answer;
                    respond(e, codec, answer);
                    queue.push_back(std::move(answer));
                }
            }
        }
    }

    // Runs a call on the codec and takes its output.
    template <typename F> void call(F&& f)
    {
        CodecOutput out;
        f(codec, out);
        take(std::move(out));
    }

    void feedCodec(const QByteArray& bytes)
    {
        QList<QByteArray> pieces;
        if (cut == Cut::Whole)
            pieces = {bytes};
        else if (cut == Cut::Bytes)
            pieces = splitEvery(bytes, 1);
        else
            pieces = splitRandom(bytes, seed++);
        for (const QByteArray& piece : pieces) {
            CodecOutput out;
            codec.receiveData(piece, out);
            take(std::move(out));
        }
    }

    // Until quiet (bounded: a loop that never settles is a failure, not a hang).
    bool pump(int maxRounds = 100000)
    {
        for (int round = 0; round < maxRounds; ++round) {
            const QByteArray toCodec = peer.take();
            if (!toCodec.isEmpty())
                feedCodec(toCodec);
            const QByteArray toPeer = std::exchange(m_toPeer, {});
            if (!toPeer.isEmpty() && !peer.feed(toPeer))
                peerRefused = true;
            if (toCodec.isEmpty() && toPeer.isEmpty())
                return true;
        }
        return false;
    }

private:
    QByteArray m_toPeer;
};

inline Fields getRequest(const QByteArray& path = "/", const QByteArray& authority = "example.com")
{
    return {{":method", "GET"}, {":scheme", "https"}, {":authority", authority}, {":path", path}};
}

inline Request makeRequest(const QByteArray& method, const QByteArray& url)
{
    Request r;
    r.method = method;
    r.httpVersion = "HTTP/1.1";
    r.setUrl(url);
    return r;
}

inline Response makeResponse(int status, const Headers& headers = {})
{
    Response r;
    r.httpVersion = "HTTP/1.1";
    r.statusCode = status;
    r.reason = defaultReason(status);
    r.headers = headers;
    return r;
}

// A body of `size` bytes whose content depends on the position (so a lost or repeated piece
// shows).
inline QByteArray patternBody(qint64 size)
{
    QByteArray body(size, Qt::Uninitialized);
    for (qint64 i = 0; i < size; ++i)
        body[i] = char('a' + (i * 7 + i / 4096) % 26);
    return body;
}

// What the peer got, one line per stream (fields of each block, body, end, reset).
inline QStringList describePeerStreams(const H2Peer& peer)
{
    QStringList out;
    for (const auto& [id, s] : peer.streams) {
        QStringList blocks;
        for (const Fields& block : s.blocks) {
            QStringList fields;
            for (const auto& [n, v] : block)
                fields << QString::fromLatin1(n + ": " + v);
            blocks << '{' + fields.join(QStringLiteral(", ")) + '}';
        }
        QString line = QStringLiteral("#%1 %2").arg(id).arg(blocks.join(' '));
        if (!s.data.isEmpty())
            line += ' ' + (s.data.size() <= 200 ? quoted(s.data)
                                                : QStringLiteral("<%1 bytes>").arg(s.data.size()));
        if (s.ended)
            line += QStringLiteral(" end");
        if (s.reset)
            line += QStringLiteral(" reset=%1").arg(nghttp2_http2_strerror(s.resetCode));
        out << line;
    }
    return out;
}

} // namespace spyglass::test

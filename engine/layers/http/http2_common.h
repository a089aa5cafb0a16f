#pragma once
// Http2CodecBase: what the two HTTP/2 codecs share -- one nghttp2 session driven only through
// nghttp2_session_mem_recv / mem_send (CONVENTIONS 5), its callbacks turned into HttpEvents,
// bodies streamed through data providers, and flow control handed to the layer.
// Http2ServerCodec (client-facing) and Http2ClientCodec (upstream-facing) add what differs:
// how a head becomes a Request or a Response and how the layer's head is written.
// Counterparts: nghttpx `shrpx_http2_upstream.cc` / `shrpx_http2_session.cc`, mitmproxy
// `layers/http/_http2.py` (Http2Connection and its two subclasses).
//
// Rules
//  - Every call collects nghttp2's output into out.toPeer before it returns. The client
//    preface and our SETTINGS go out with the first call, whatever it is.
//  - Inbound flow control is the layer's: sessions run with NGHTTP2_OPT_NO_AUTO_WINDOW_UPDATE,
//    the peer may send kHttp2StreamWindow per stream and kHttp2ConnectionWindow in all, and
//    a WINDOW_UPDATE goes out only as acknowledge() hands bytes back (nghttp2 sends it once
//    half a window is back). A stream that ends in an error (or is aborted) gives its
//    unacknowledged bytes back by itself.
//  - Outbound bodies wait in the codec until the peer's window takes them: pendingOutput()
//    says how much, out.drained says when a waiting stream has emptied.
//  - Fields the peer sends are checked by nghttp2 (RFC 9113 8.2, 8.3): a malformed head, a
//    field nghttp2 would only drop, or a head above CodecLimits::maxHeadSize makes a stream
//    error, reported as a ProtocolError event. Cookie fields are joined with "; " (8.2.3).
//  - Fields we write: names lower-cased, connection-specific fields dropped (Connection and
//    the fields it names, Keep-Alive, Proxy-Connection, Transfer-Encoding, Upgrade,
//    HTTP2-Settings), TE only as "trailers", CR/LF/NUL in values made spaces.
//  - RFC 8441 extended CONNECT (`:protocol`): the server codec advertises
//    SETTINGS_ENABLE_CONNECT_PROTOCOL when CodecLimits::extendedConnect is set; the client
//    codec sends one when the layer's RequestHeaders carries a `protocol` (see the two
//    subclasses for how such a request reads). Either way the stream stays open after a 2xx
//    (or 101) answer and carries the protocol's bytes as body data, like CONNECT.
//  - A stream the peer resets or that breaks before it is complete gets one ProtocolError
//    event; after that nothing more for it. A connection error (garbage, a bad preface, a bad
//    frame) sends GOAWAY with the error, fails every open stream with nghttp2's reason, and
//    sets out.close. After GOAWAY in either direction the open streams finish, then
//    out.close is set.
//
// The class is implemented in http2_common.cpp (calls, state, events, what we send) and
// http2_common_callbacks.cpp (nghttp2's callbacks and the submissions that need them).

#include "layers/http/http_codec.h"

#include <deque>
#include <map>
#include <memory>
#include <set>

struct nghttp2_session;
struct nghttp2_session_callbacks;

namespace spyglass::layers::http {

// The windows we grant the peer: generous, so round trips do not throttle a fast peer, and
// finite, so a peer nobody reads from can put at most this much into our memory.
inline constexpr qint32 kHttp2StreamWindow = 1 << 20;      // SETTINGS_INITIAL_WINDOW_SIZE
inline constexpr qint32 kHttp2ConnectionWindow = 16 << 20; // the connection window
inline constexpr quint32 kHttp2MaxConcurrentStreams = 100; // what the server codec accepts

class Http2CodecBase : public HttpCodec
{
public:
    ~Http2CodecBase() override;
    Http2CodecBase(const Http2CodecBase&) = delete;
    Http2CodecBase& operator=(const Http2CodecBase&) = delete;

    void receiveData(const QByteArray& data, CodecOutput& out) override;
    // The peer is gone: every stream not complete gets a ProtocolError, and out.close.
    void receiveClose(CodecOutput& out) override;
    void send(const HttpEvent& event, CodecOutput& out) override;

    bool isHandedOver() const override; // never: HTTP/2 tunnels live inside their stream
    QByteArray takeUnparsed() override; // always empty
    bool isIdle() const override;       // no stream open
    bool isClosing() const override;    // GOAWAY sent or received, an error, or the peer gone

    bool isMultiplexed() const override; // always: streams run side by side
    bool peerSettingsKnown() const override { return m_peerSettingsSeen; }
    void acknowledge(int streamId, qint64 bytes, CodecOutput& out) override;
    qint64 pendingOutput(int streamId) const override;
    void abortStream(int streamId, CodecOutput& out) override;
    void sendPing(CodecOutput& out) override;
    void shutdown(CodecOutput& out) override;

protected:
    enum class Side
    {
        Server, // we are the HTTP/2 server: requests in, responses out
        Client  // we are the HTTP/2 client: requests out, responses in
    };

    // One exchange. Keyed by nghttp2's stream id; `layerId` is the id the layer uses.
    struct Stream
    {
        qint32 h2Id = 0;
        int layerId = 0;
        QByteArray method; // of the request (HEAD and CONNECT change what a response is)
        // RFC 8441 extended CONNECT: the :protocol; the stream is a tunnel once answered 2xx.
        QByteArray protocol;
        // After our END_STREAM, reset the stream (NO_ERROR) if the peer has not ended its
        // side: an extended CONNECT answered with an error has nothing more to say.
        bool resetAfterEnd = false;

        // Inbound: the header block being received, then the message.
        Headers pseudo;
        Headers fields;
        qint64 blockSize = 0;   // RFC 9113 6.5.2 size of the block so far
        bool tooLarge = false;  // the block went beyond CodecLimits::maxHeadSize
        QString failure;        // why the stream broke, when we know better than its close
        bool headSeen = false;  // the final head went to the layer
        bool inDone = false;    // the end of the message went to the layer
        qint64 unacked = 0;     // body bytes given to the layer and not acknowledged yet
        bool peerReset = false; // the peer sent RST_STREAM
        quint32 peerResetCode = 0;
        bool weReset = false; // nghttp2 (not the layer) sent RST_STREAM
        quint32 weResetCode = 0;

        // Outbound: the head, then the body waiting for the peer's window.
        bool headSent = false; // the final head was submitted
        std::deque<QByteArray> body;
        qsizetype bodyOffset = 0; // into body.front()
        qint64 pending = 0;
        bool providerAttached = false; // a data provider was submitted with the head
        bool deferred = false;         // the provider said DEFERRED; resume on new data
        bool outEnded = false;         // the layer's end is in
        bool hasTrailers = false;
        Headers trailers;
        bool outDone = false; // END_STREAM went out

        bool closed = false;          // nghttp2 has closed the stream
        bool finished = false;        // an error went to the layer, or the layer aborted it
        bool answeredByCodec = false; // the codec refused the request and answered it
    };

    Http2CodecBase(Side side, CodecLimits limits);

    // --- what the subclasses implement ---
    // The layer's event for the peer.
    virtual void dispatch(const HttpEvent& event) = 0;
    // A complete head (not trailers) arrived on `stream`.
    virtual void onHead(Stream& stream, bool endStream) = 0;

    // --- what they use ---
    Side side() const { return m_side; }
    const CodecLimits& limits() const { return m_limits; }
    CodecOutput& out() { return *m_out; }
    Stream* findByLayerId(int layerId);
    Stream* findByH2Id(qint32 h2Id);
    int openStreamCount() const;
    bool sessionFailed() const { return m_phase != Phase::Open; }
    nghttp2_session* session() const { return m_session.get(); }

    // Events for the layer (the Request* or Response* type follows the side).
    void emitHead(Stream& stream, HttpEvent&& head, bool endStream);
    void emitError(Stream& stream, const QString& message, int statusCode = 0);

    // Fields for nghttp2: pseudo-headers first, then the layer's fields mapped as above.
    using FieldList = QList<Headers::Field>;
    FieldList outboundFields(const Headers& headers, bool dropHost) const;

    // Submits a request (client); returns the new stream or nullptr after emitting an error.
    Stream* submitRequest(int layerId, const QByteArray& method, const FieldList& fields,
                          bool endStream);
    // Submits a final (or, with informational, a 1xx) response head (server).
    bool submitResponse(Stream& stream, const FieldList& fields, bool endStream,
                        bool informational = false);
    // The body, trailers and end of what we send on `stream`.
    void queueData(Stream& stream, const QByteArray& data);
    void queueTrailers(Stream& stream, const Headers& trailers);
    void queueEnd(Stream& stream);
    // RST_STREAM with `errorCode` on the layer's behalf: no event for it afterwards.
    void resetStream(Stream& stream, quint32 errorCode);

private:
    enum class Phase
    {
        Open,
        Failed, // connection error: GOAWAY with an error sent, streams failed
        Closed  // the peer went away, or both sides are done after GOAWAY
    };

    // The C trampolines nghttp2 calls (only from inside mem_recv / mem_send), in
    // http2_common_callbacks.cpp with the handlers below.
    struct Callbacks;
    static nghttp2_session_callbacks* makeCallbacks();
    static QString codeName(quint32 errorCode);     // "REFUSED_STREAM"
    static QString printable(QByteArrayView bytes); // escaped, at most a line
    static QString describeField(QByteArrayView name, QByteArrayView value);
    struct SessionDeleter
    {
        void operator()(nghttp2_session* session) const;
    };

    void begin(CodecOutput& out);
    void finish();
    void flush();
    void failConnection(const QString& message);
    void closeStreams(const QString& message);
    bool incomplete(const Stream& stream) const;
    QString closeMessage(const Stream& stream, quint32 errorCode) const;
    QString describeStreamError(const Stream& stream, int libError, int frameType) const;
    void giveBackWindow(Stream& stream);
    void sweep();
    void emitData(Stream& stream, const char* data, size_t length);
    void emitTrailersAndEnd(Stream& stream);
    void emitEnd(Stream& stream);
    void resume(Stream& stream);
    QString peerName() const;

    // nghttp2 callbacks, in the codec's terms.
    int beginHeaders(qint32 h2Id, int category);
    int header(qint32 h2Id, const QByteArray& name, const QByteArray& value);
    int invalidHeader(qint32 h2Id, QByteArrayView name, QByteArrayView value);
    int frameReceived(qint32 h2Id, int frameType, quint8 flags, quint32 errorCode,
                      QByteArrayView debugData);
    int invalidFrameReceived(qint32 h2Id, int frameType, int libError);
    int dataChunk(qint32 h2Id, const char* data, size_t length);
    int frameSent(qint32 h2Id, int frameType, quint8 flags, quint32 errorCode,
                  QByteArrayView debugData);
    int frameNotSent(qint32 h2Id, int frameType, int libError);
    int streamClosed(qint32 h2Id, quint32 errorCode);
    qint64 readBody(qint32 h2Id, char* buffer, size_t length, quint32* flags);

    const Side m_side;
    const CodecLimits m_limits;
    std::unique_ptr<nghttp2_session, SessionDeleter> m_session;
    CodecOutput* m_out = nullptr;
    Phase m_phase = Phase::Open;

    std::map<qint32, Stream> m_streams; // by h2 id
    std::map<int, qint32> m_byLayerId;
    std::set<int> m_waiting; // layer ids whose pendingOutput was above zero after the last call

    bool m_peerSettingsSeen = false; // the peer's first SETTINGS has arrived
    bool m_goawaySent = false;
    bool m_goawayReceived = false;
    qint32 m_goawayLastId = 0;
    quint32 m_goawayCode = 0;
    bool m_shutdownRequested = false;
    quint32 m_connectionErrorCode = 0; // of the GOAWAY nghttp2 sent, when not NO_ERROR
    QString m_connectionError;         // why, in words
    QString m_lastLibraryError;        // nghttp2's last error_callback2 text
};

} // namespace spyglass::layers::http

#pragma once
// Http1Parser: llhttp 8.1 behind a small interface (CONVENTIONS 5), shared by the HTTP/1
// server codec (parses requests) and client codec (parses responses). It turns bytes into
// one assembled head, body pieces, trailers and an end, reported to a Listener.
//
// Rules
//  - One message at a time. parse() stops right after the last byte of a message (llhttp
//    returns HPE_PAUSED from on_message_complete) and says how many bytes belonged to it;
//    the owner keeps the rest and calls startNextMessage() when it is ready (pipelining: a
//    request is never parsed before the response to the previous one is out). Each message
//    starts from a fresh llhttp state, so keep-alive is decided by the codec, not by llhttp.
//  - Strict. No lenient flag is ever set. What the loose llhttp build still lets through is
//    refused in the callbacks: obs-fold in requests (in responses it is replaced by a space,
//    RFC 9112 5.2), field names that are not tokens ("Host :"), versions other than HTTP/1.0
//    and HTTP/1.1, a request Transfer-Encoding whose final coding is not chunked.
//  - Bounded. The head (start line and header fields, from its first byte to the end of
//    its last field value: the line ends after it are not counted) may not exceed
//    `maxHeadSize` bytes (CodecLimits, 64 KiB by default). It is checked in every head
//    callback and after every chunk, so an endless head is refused as soon as it passes the
//    limit, and a head passes or fails the same however its bytes are cut. The trailer
//    section has the same bound. Body bytes are never buffered here.
//  - Errors are values: state() == Error, errorMessage() says why in words, errorStatus()
//    what a client should be told (400, 431, 505).
//
// Counterparts: Envoy `source/common/http/http1/legacy_parser_impl.cc`, nghttpx
// `shrpx_https_upstream.cc` (htp callbacks).

#include "flow/headers.h"

#include <QByteArray>
#include <QString>
#include <memory>

namespace spyglass::layers::http {

class Http1Parser
{
public:
    enum class Kind
    {
        Request,
        Response
    };
    // How the body of a message is delimited (RFC 9112 6.3).
    enum class Framing
    {
        None,
        Length,
        Chunked,
        UntilClose
    };
    enum class State
    {
        Idle,  // waiting for the first byte of a message (blank lines are skipped)
        Head,  // inside the start line or the header fields
        Body,  // head delivered, body (and trailers) in progress
        Done,  // the message ended; call startNextMessage() for the next one
        Error, // nothing more is parsed
    };

    struct Head
    {
        QByteArray method;  // requests: as sent ("GET")
        QByteArray target;  // requests: the request-target as sent
        int statusCode = 0; // responses
        QByteArray reason;  // responses, may be empty
        QByteArray version; // "HTTP/1.1" or "HTTP/1.0"
        Headers headers;    // wire order and case, values without surrounding whitespace
        Framing framing = Framing::None;
        qint64 contentLength = 0; // when framing == Length
        // As llhttp sees it: CONNECT, or Connection: upgrade with an Upgrade header (the
        // codecs decide a handover by the response status, not by this).
        bool upgrade = false;
        // The version and the Connection header allow another message on this connection.
        bool keepAlive = true;
    };

    class Listener
    {
    public:
        virtual ~Listener() = default;
        // The head is complete. Return false when the message has no body whatever its
        // headers say (a response to HEAD, 1xx, 204, 304, a 2xx answer to CONNECT). The
        // listener may call Http1Parser::reject() here to refuse the message.
        virtual bool onHead(Head&& head) = 0;
        virtual void onBody(QByteArrayView data) = 0; // de-framed
        virtual void onTrailers(Headers&& trailers) = 0;
        virtual void onMessageEnd() = 0;
    };

    Http1Parser(Kind kind, qint64 maxHeadSize, Listener& listener);
    ~Http1Parser();
    Http1Parser(const Http1Parser&) = delete;
    Http1Parser& operator=(const Http1Parser&) = delete;

    // Parses bytes of the current message and returns how many it used: all of them, unless
    // the message ended within `data` (state Done) or the bytes are invalid (state Error).
    // In states Done and Error nothing is used. Must not be called from a Listener callback.
    qsizetype parse(QByteArrayView data);
    // The peer closed its sending side. Ends a read-until-close body (onMessageEnd is
    // called). Returns false when a message was cut short: state Error, errorMessage() set.
    bool finish();
    // After Done: start parsing the next message.
    void startNextMessage();
    // Refuses the current message (from Listener::onHead): state Error.
    void reject(int status, const QString& message);

    // A body piece (Listener::onBody) as a QByteArray. When the piece is all of `buffer`, the
    // bytes that were given to parse(), it shares them instead of copying: the common case
    // of a streamed body once its head has gone by (each read is then pure body). Otherwise
    // a copy.
    static QByteArray bodyBytes(QByteArrayView piece, const QByteArray& buffer);

    State state() const;
    bool inMessage() const { return state() == State::Head || state() == State::Body; }
    QString errorMessage() const;
    int errorStatus() const;

    // Defined in the .cpp (it holds the llhttp_t); public only so that the llhttp callback
    // trampolines there can name it.
    class Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

} // namespace spyglass::layers::http

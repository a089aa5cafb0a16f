#include "layers/http/http1_parser.h"

#include "layers/http/http1_wire.h"

#include <llhttp.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <utility>

namespace spyglass::layers::http {

class Http1Parser::Impl
{
public:
    Impl(Kind kind, qint64 maxHeadSize, Listener& listener);

    qsizetype parse(QByteArrayView data);
    bool finish();
    void startNextMessage();

    // Records the first error; returns what an llhttp callback returns to stop parsing.
    int fail(int status, const QString& message);
    int failHeadTooLarge();
    int failTrailersTooLarge();
    int failVersion(int major, int minor);
    QByteArray what() const { return m_kind == Kind::Request ? "request" : "response"; }

    // Callbacks (through the trampolines below).
    int onMessageBegin();
    int onStartLineSpan(QByteArray& into, const char* at, size_t length);
    int onHeaderField(const char* at, size_t length);
    int onHeaderFieldComplete();
    int onHeaderValue(const char* at, size_t length);
    int onHeaderValueComplete();
    int onHeadersComplete();
    int onBody(const char* at, size_t length);
    int onMessageComplete();

    llhttp_t m_llhttp;
    const Kind m_kind;
    const qint64 m_maxHeadSize;
    Listener& m_listener;

    State m_state = State::Idle;
    QString m_error;
    int m_errorStatus = 0;

    // Copies the span into the head's block and returns a QByteArray that shares the block
    // (see appendSpan).
    QByteArray slice(const char* at, qsizetype length);

    Head m_head;
    // The head's spans (start line, field names and values) are copied one after another,
    // each followed by a NUL, into this block, and every field is a QByteArray sharing it:
    // one allocation per head instead of one per span, and one free (on whichever thread
    // drops the flow last) instead of two dozen. A new block starts when one is full; the
    // old one lives as long as a field of it does. m_blockUsed bytes of it are given out.
    QByteArray m_block;
    qsizetype m_blockUsed = 0;
    QByteArray m_versionText; // "1.1" (the head gets "HTTP/1.1")
    QByteArray m_field;
    QByteArray m_value;
    bool m_skipFoldWhitespace = false;
    Headers m_trailers;
    qint64 m_trailerBytes = 0;

    // Where the chunk being parsed starts, how many head bytes came in earlier chunks, and
    // the last byte of the previous chunk: enough to locate a span in the message.
    const char* m_chunkStart = nullptr;
    qint64 m_headBytes = 0;
    char m_prevByte = 0;

private:
    bool headTooLarge(const char* spanEnd) const;
    bool inTrailers() const { return m_state == State::Body; }
    char byteBefore(const char* at) const { return at > m_chunkStart ? at[-1] : m_prevByte; }
    void appendSpan(QByteArray& into, const char* at, qsizetype length);
    const char* m_chunkEnd = nullptr;
};

namespace {

// Trampolines: llhttp calls these with its `data` pointing at the owning Impl.
Http1Parser::Impl& owner(llhttp_t* p)
{
    return *static_cast<Http1Parser::Impl*>(p->data);
}

int onMessageBegin(llhttp_t* p)
{
    return owner(p).onMessageBegin();
}
int onUrl(llhttp_t* p, const char* at, size_t n)
{
    return owner(p).onStartLineSpan(owner(p).m_head.target, at, n);
}
int onMethod(llhttp_t* p, const char* at, size_t n)
{
    return owner(p).onStartLineSpan(owner(p).m_head.method, at, n);
}
int onStatus(llhttp_t* p, const char* at, size_t n)
{
    return owner(p).onStartLineSpan(owner(p).m_head.reason, at, n);
}
int onVersion(llhttp_t* p, const char* at, size_t n)
{
    return owner(p).onStartLineSpan(owner(p).m_versionText, at, n);
}

int onHeaderField(llhttp_t* p, const char* at, size_t n)
{
    return owner(p).onHeaderField(at, n);
}
int onHeaderFieldComplete(llhttp_t* p)
{
    return owner(p).onHeaderFieldComplete();
}
int onHeaderValue(llhttp_t* p, const char* at, size_t n)
{
    return owner(p).onHeaderValue(at, n);
}
int onHeaderValueComplete(llhttp_t* p)
{
    return owner(p).onHeaderValueComplete();
}
int onHeadersComplete(llhttp_t* p)
{
    return owner(p).onHeadersComplete();
}
int onBody(llhttp_t* p, const char* at, size_t n)
{
    return owner(p).onBody(at, n);
}
int onMessageComplete(llhttp_t* p)
{
    return owner(p).onMessageComplete();
}

constexpr llhttp_settings_t kSettings = {
    .on_message_begin = onMessageBegin,
    .on_url = onUrl,
    .on_status = onStatus,
    .on_method = onMethod,
    .on_version = onVersion,
    .on_header_field = onHeaderField,
    .on_header_value = onHeaderValue,
    .on_chunk_extension_name = nullptr,
    .on_chunk_extension_value = nullptr,
    .on_headers_complete = onHeadersComplete,
    .on_body = onBody,
    .on_message_complete = onMessageComplete,
    .on_url_complete = nullptr,
    .on_status_complete = nullptr,
    .on_method_complete = nullptr,
    .on_version_complete = nullptr,
    .on_header_field_complete = onHeaderFieldComplete,
    .on_header_value_complete = onHeaderValueComplete,
    .on_chunk_extension_name_complete = nullptr,
    .on_chunk_extension_value_complete = nullptr,
    .on_chunk_header = nullptr,
    .on_chunk_complete = nullptr,
    .on_reset = nullptr,
};

// Reads through constData(): a non-const operator[] would detach (copy) the shared value.
QByteArray trimTrailingWhitespace(QByteArray s)
{
    const char* d = s.constData();
    qsizetype n = s.size();
    while (n > 0 && (d[n - 1] == ' ' || d[n - 1] == '\t'))
        --n;
    if (n < s.size())
        s.truncate(n);
    return s;
}

QByteArray printable(QByteArrayView s)
{
    QByteArray out;
    for (const char c : s.first(std::min<qsizetype>(s.size(), 64))) {
        const auto u = static_cast<unsigned char>(c);
        out += (u >= 0x20 && u < 0x7f) ? QByteArray(1, c) : "\\x" + QByteArray::number(u, 16);
    }
    return s.size() > 64 ? out + "..." : out;
}

QString describeLlhttpError(llhttp_errno_t err, const char* reason, const QByteArray& what)
{
    const QString r = QString::fromLatin1(reason ? reason : llhttp_errno_name(err));
    const QString w = QString::fromLatin1(what);
    switch (err) {
    case HPE_INVALID_METHOD:
        return QStringLiteral("not an HTTP request: %1").arg(r);
    case HPE_INVALID_CHUNK_SIZE:
        return QStringLiteral("invalid chunk size in the %1 body: %2").arg(w, r);
    case HPE_UNEXPECTED_CONTENT_LENGTH:
        return QStringLiteral("ambiguous %1 length: %2").arg(w, r);
    case HPE_INVALID_CONTENT_LENGTH:
        return QStringLiteral("invalid Content-Length in the %1: %2").arg(w, r);
    case HPE_INVALID_TRANSFER_ENCODING:
        return QStringLiteral("invalid Transfer-Encoding in the %1: %2").arg(w, r);
    case HPE_INVALID_HEADER_TOKEN:
        return QStringLiteral("invalid character in the %1 header: %2").arg(w, r);
    case HPE_CR_EXPECTED:
    case HPE_LF_EXPECTED:
    case HPE_STRICT:
        return QStringLiteral("bad line ending in the %1 (bare CR or missing LF): %2").arg(w, r);
    default:
        return QStringLiteral("malformed %1: %2").arg(w, r);
    }
}

} // namespace

Http1Parser::Impl::Impl(Kind kind, qint64 maxHeadSize, Listener& listener)
    : m_kind(kind), m_maxHeadSize(maxHeadSize), m_listener(listener)
{
    llhttp_init(&m_llhttp, kind == Kind::Request ? HTTP_REQUEST : HTTP_RESPONSE, &kSettings);
    m_llhttp.data = this;
}

int Http1Parser::Impl::fail(int status, const QString& message)
{
    if (m_state != State::Error) {
        m_state = State::Error;
        m_errorStatus = status;
        m_error = message;
    }
    return -1;
}

// Most spans arrive whole: an empty target then becomes a slice of the head's block. A span
// continuing one cut by a chunk boundary is appended, which gives that field its own copy
// (the slice is shared, so append detaches).
void Http1Parser::Impl::appendSpan(QByteArray& into, const char* at, qsizetype length)
{
    if (length == 0)
        return;
    if (into.isEmpty())
        into = slice(at, length);
    else
        into.append(at, length);
}

QByteArray Http1Parser::Impl::slice(const char* at, qsizetype length)
{
    // A block holds what is left of the chunk being parsed (usually the whole head, with
    // room for the NULs), at most 4 KiB: a block is freed only with the last field that
    // shares it, so it must not be the size of a read buffer full of body.
    constexpr qsizetype kMinBlock = 256;
    constexpr qsizetype kMaxBlock = 4096;
    constexpr qsizetype kNulRoom = 64;
    if (m_block.capacity() - m_blockUsed < length + 1) {
        const qsizetype rest = m_chunkEnd > at ? qsizetype(m_chunkEnd - at) : 0;
        m_block = QByteArray();
        m_block.reserve(std::max(length + 1, std::clamp(rest + kNulRoom, kMinBlock, kMaxBlock)));
        m_blockUsed = 0;
    }
    // Written through the raw pointer: fields sharing the block hold references, so a
    // QByteArray write would detach; the bytes past m_blockUsed belong to nobody yet.
    QByteArray::DataPointer& block = m_block.data_ptr();
    char* p = block.data() + m_blockUsed;
    std::memcpy(p, at, size_t(length));
    p[length] = '\0'; // constData() of every field is NUL-terminated, as Qt promises
    m_blockUsed += length + 1;
    block.d_ptr()->ref();
    return QByteArray(QByteArray::DataPointer(block.d_ptr(), p, length));
}

bool Http1Parser::Impl::headTooLarge(const char* spanEnd) const
{
    return m_headBytes + (spanEnd - m_chunkStart) > m_maxHeadSize;
}

qsizetype Http1Parser::Impl::parse(QByteArrayView data)
{
    if (m_state == State::Done || m_state == State::Error || data.isEmpty())
        return 0;
    m_chunkStart = data.data();
    m_chunkEnd = data.data() + data.size();
    const llhttp_errno_t err = llhttp_execute(&m_llhttp, data.data(), size_t(data.size()));
    if (err == HPE_OK) {
        if (m_state == State::Idle || m_state == State::Head) {
            // The callbacks measure the head up to the end of its last span; bytes fed
            // while it is incomplete may include up to 3 bytes of the final line ends, so
            // the same head passes or fails however it is cut.
            m_headBytes += data.size();
            if (m_headBytes > m_maxHeadSize + 4)
                failHeadTooLarge();
        }
        m_prevByte = data.back();
        return data.size();
    }
    const char* pos = llhttp_get_error_pos(&m_llhttp);
    const qsizetype used = pos ? qsizetype(pos - data.data()) : 0;
    if (err == HPE_PAUSED && m_state == State::Done)
        return used;
    // A head that went past the limit before the bad byte is reported as too large, as it
    // is when the same bytes come in pieces (the callbacks then notice the size first).
    if ((m_state == State::Idle || m_state == State::Head) && m_headBytes + used > m_maxHeadSize) {
        failHeadTooLarge();
        return used;
    }
    // llhttp refuses versions it does not know (1.2, 3.0) with a generic error; a
    // well-formed version that is not 1.0 or 1.1 deserves 505 and its own words.
    const QByteArray& v = m_versionText;
    if (err == HPE_INVALID_VERSION && v.size() == 3 && v[1] == '.' && std::isdigit(uchar(v[0])) &&
        std::isdigit(uchar(v[2])) && v != "1.0" && v != "1.1") {
        failVersion(v[0] - '0', v[2] - '0');
        return used;
    }
    fail(400, describeLlhttpError(err, llhttp_get_error_reason(&m_llhttp), what()));
    return used;
}

bool Http1Parser::Impl::finish()
{
    if (m_state == State::Error)
        return false;
    if (m_state == State::Done || m_state == State::Idle)
        return true;
    const llhttp_errno_t err = llhttp_finish(&m_llhttp);
    if ((err == HPE_OK || err == HPE_PAUSED) && m_state == State::Done)
        return true;
    fail(400, QStringLiteral("the %1 was cut short by the end of the connection")
                  .arg(QString::fromLatin1(what())));
    return false;
}

void Http1Parser::Impl::startNextMessage()
{
    if (m_state != State::Done)
        return;
    llhttp_reset(&m_llhttp);
    m_state = State::Idle;
    m_head = {};
    m_versionText.clear();
    m_field.clear();
    m_value.clear();
    m_skipFoldWhitespace = false;
    m_trailers.clear();
    m_trailerBytes = 0;
    m_headBytes = 0;
    m_prevByte = 0;
}

int Http1Parser::Impl::onMessageBegin()
{
    m_state = State::Head;
    return 0;
}

int Http1Parser::Impl::failHeadTooLarge()
{
    return fail(m_kind == Kind::Request ? 431 : 502,
                QStringLiteral("%1 head larger than the limit of %2 bytes")
                    .arg(QString::fromLatin1(what()))
                    .arg(m_maxHeadSize));
}

int Http1Parser::Impl::failTrailersTooLarge()
{
    return fail(400, QStringLiteral("%1 trailer section larger than the limit of %2 bytes")
                         .arg(QString::fromLatin1(what()))
                         .arg(m_maxHeadSize));
}

int Http1Parser::Impl::onStartLineSpan(QByteArray& into, const char* at, size_t length)
{
    if (headTooLarge(at + length))
        return failHeadTooLarge();
    appendSpan(into, at, qsizetype(length));
    return 0;
}

int Http1Parser::Impl::failVersion(int major, int minor)
{
    return fail(m_kind == Kind::Request ? 505 : 502,
                QStringLiteral("unsupported HTTP version %1.%2 in the %3 (HTTP/1.0 and HTTP/1.1 "
                               "are spoken here)")
                    .arg(major)
                    .arg(minor)
                    .arg(QString::fromLatin1(what())));
}

int Http1Parser::Impl::onHeaderField(const char* at, size_t length)
{
    if (inTrailers()) {
        m_trailerBytes += qint64(length);
        if (m_trailerBytes > m_maxHeadSize)
            return failTrailersTooLarge();
    } else if (headTooLarge(at + length)) {
        return failHeadTooLarge();
    }
    appendSpan(m_field, at, qsizetype(length));
    return 0;
}

int Http1Parser::Impl::onHeaderFieldComplete()
{
    if (!http1IsToken(m_field))
        return fail(400,
                    QStringLiteral("invalid header field name \"%1\" in the %2")
                        .arg(QString::fromLatin1(printable(m_field)), QString::fromLatin1(what())));
    return 0;
}

int Http1Parser::Impl::onHeaderValue(const char* at, size_t length)
{
    // llhttp (loose build) reports an obs-fold continuation line as a value span that
    // starts with SP/HT right after the LF; a span cut by a chunk boundary never follows LF.
    const bool fold = length > 0 && (at[0] == ' ' || at[0] == '\t') && byteBefore(at) == '\n';
    if (fold && m_kind == Kind::Request)
        return fail(400, QStringLiteral("obsolete line folding in header field \"%1\" of the "
                                        "request (RFC 9112 5.2)")
                             .arg(QString::fromLatin1(printable(m_field))));
    if (inTrailers()) {
        m_trailerBytes += qint64(length);
        if (m_trailerBytes > m_maxHeadSize)
            return failTrailersTooLarge();
    } else if (headTooLarge(at + length)) {
        return failHeadTooLarge();
    }
    size_t skip = 0;
    if (fold) {
        // RFC 9112 5.2: a recipient of obs-fold in a response replaces it with SP.
        m_value = trimTrailingWhitespace(m_value);
        if (!m_value.isEmpty())
            m_value += ' ';
        m_skipFoldWhitespace = true;
    }
    if (m_skipFoldWhitespace) { // the fold's whitespace may span several chunks
        while (skip < length && (at[skip] == ' ' || at[skip] == '\t'))
            ++skip;
        if (skip < length)
            m_skipFoldWhitespace = false;
    }
    appendSpan(m_value, at + skip, qsizetype(length - skip));
    return 0;
}

int Http1Parser::Impl::onHeaderValueComplete()
{
    Headers& target = inTrailers() ? m_trailers : m_head.headers;
    target.add(std::exchange(m_field, QByteArray()),
               trimTrailingWhitespace(std::exchange(m_value, QByteArray())));
    m_skipFoldWhitespace = false;
    return 0;
}

int Http1Parser::Impl::onHeadersComplete()
{
    const int major = m_llhttp.http_major;
    const int minor = m_llhttp.http_minor;
    if (major != 1 || minor > 1) // HTTP/0.9 has no version text: it ends up here
        return failVersion(major, minor);
    // Literals: no allocation, no reference counting.
    m_head.version = minor == 1 ? QByteArrayLiteral("HTTP/1.1") : QByteArrayLiteral("HTTP/1.0");
    if (m_kind == Kind::Response)
        m_head.statusCode = m_llhttp.status_code;
    const auto flags = m_llhttp.flags;
    if (flags & F_CHUNKED) {
        m_head.framing = Framing::Chunked;
    } else if (flags & F_TRANSFER_ENCODING) {
        if (m_kind == Kind::Request)
            return fail(400, QStringLiteral("Transfer-Encoding \"%1\" does not end in chunked, so "
                                            "the request body length is unknown (RFC 9112 6.3)")
                                 .arg(QString::fromLatin1(
                                     printable(m_head.headers.joined("transfer-encoding")))));
        m_head.framing = Framing::UntilClose;
    } else if (flags & F_CONTENT_LENGTH) {
        m_head.contentLength = qint64(m_llhttp.content_length);
        if (m_head.contentLength < 0)
            return fail(400, QStringLiteral("Content-Length too large in the %1")
                                 .arg(QString::fromLatin1(what())));
        m_head.framing = m_head.contentLength > 0 ? Framing::Length : Framing::None;
    } else {
        m_head.framing = m_kind == Kind::Request ? Framing::None : Framing::UntilClose;
    }
    m_head.keepAlive = minor == 1 ? !m_head.headers.hasToken("connection", "close")
                                  : m_head.headers.hasToken("connection", "keep-alive");
    m_head.upgrade = m_llhttp.upgrade != 0;

    m_state = State::Body;
    const bool body = m_listener.onHead(std::move(m_head));
    m_head = {};
    if (m_state == State::Error)
        return -1;
    return body ? 0 : 1;
}

int Http1Parser::Impl::onBody(const char* at, size_t length)
{
    if (length > 0)
        m_listener.onBody(QByteArrayView(at, qsizetype(length)));
    return 0;
}

int Http1Parser::Impl::onMessageComplete()
{
    if (!m_trailers.isEmpty())
        m_listener.onTrailers(std::move(m_trailers));
    m_trailers.clear();
    m_state = State::Done;
    m_listener.onMessageEnd();
    return HPE_PAUSED;
}

// The public face.

Http1Parser::Http1Parser(Kind kind, qint64 maxHeadSize, Listener& listener)
    : m_impl(std::make_unique<Impl>(kind, maxHeadSize, listener))
{
}

Http1Parser::~Http1Parser() = default;

qsizetype Http1Parser::parse(QByteArrayView data)
{
    return m_impl->parse(data);
}

bool Http1Parser::finish()
{
    return m_impl->finish();
}

void Http1Parser::startNextMessage()
{
    m_impl->startNextMessage();
}

void Http1Parser::reject(int status, const QString& message)
{
    m_impl->fail(status, message);
}

QByteArray Http1Parser::bodyBytes(QByteArrayView piece, const QByteArray& buffer)
{
    if (piece.data() == buffer.constData() && piece.size() == buffer.size())
        return buffer;
    return piece.toByteArray();
}

Http1Parser::State Http1Parser::state() const
{
    return m_impl->m_state;
}

QString Http1Parser::errorMessage() const
{
    return m_impl->m_error;
}

int Http1Parser::errorStatus() const
{
    return m_impl->m_errorStatus;
}

} // namespace spyglass::layers::http

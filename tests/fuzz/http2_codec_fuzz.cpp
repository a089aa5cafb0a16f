// libFuzzer target for the HTTP/2 codecs (CONVENTIONS 15). The input is one byte stream fed
// to both codecs: to Http2ServerCodec as what a client sends, to Http2ClientCodec as what a
// server answers to 1-3 requests. Half the time (by a hash of the input) the stream starts
// with a valid preface -- the client magic and an empty SETTINGS frame for the server codec,
// an empty SETTINGS frame for the client codec -- so the seeds (frames as nghttp2 writes
// them, tests/fuzz/corpus/http2) reach the frame parser and not only the preface check.
//
// Each codec runs three times: fed whole and fed cut at random points with a passive layer
// (it acknowledges data and answers nothing), and cut with an active layer that answers,
// resets, aborts, pings and shuts down as the hash says. Oracles, besides the sanitizers and
// the leak checker: the event grammar of every stream (a head first, nothing after its end or
// its error except the one error a server stream may get after its request ended, ids as
// promised, no empty data, nothing after close) and, when the passive whole run met no error,
// the same transcript however the input is cut. Half the runs enable extended CONNECT
// (RFC 8441, CodecLimits::extendedConnect).

#include "layers/http/http2_client_codec.h"
#include "layers/http/http2_server_codec.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <set>

using namespace spyglass;
using namespace spyglass::layers::http;

namespace {

[[noreturn]] void violated(const char* what, const QByteArray& detail = {})
{
    std::fprintf(stderr, "HTTP/2 codec invariant violated: %s\n%s\n", what, detail.constData());
    std::abort();
}

quint64 fnv1a(const uint8_t* data, size_t size)
{
    quint64 h = 1469598103934665603ull;
    for (size_t i = 0; i < size; ++i)
        h = (h ^ data[i]) * 1099511628211ull;
    return h;
}

const QByteArray kClientMagic("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
const QByteArray kEmptySettings("\0\0\0\4\0\0\0\0\0", 9);

QList<QByteArray> cut(const QByteArray& data, std::mt19937& rng)
{
    QList<QByteArray> pieces;
    const bool bytewise = rng() % 4 == 0;
    for (qsizetype i = 0; i < data.size();) {
        const qsizetype n = bytewise ? 1 : 1 + qsizetype(rng() % (data.size() / 3 + 1));
        pieces.append(data.mid(i, n));
        i += n;
    }
    return pieces;
}

// Checks every output of one codec and records a transcript of it (consecutive data of one
// stream merged, so any way of cutting the input gives the same text).
class Checker
{
public:
    explicit Checker(bool serverSide) : m_serverSide(serverSide) {}

    void allowStreams(std::set<int> ids) { m_allowed = std::move(ids); }

    void take(const CodecOutput& out, HttpCodec& codec)
    {
        if (m_closed && (!out.events.empty() || !out.toPeer.isEmpty()))
            violated("output after close", transcript());
        for (const HttpEvent& e : out.events)
            event(e);
        if (out.close) {
            m_closed = true;
            m_text += "\n--close--";
            if (!codec.isIdle() || !codec.isClosing())
                violated("closed, but not idle and closing");
        }
        if (codec.isHandedOver() || !codec.takeUnparsed().isEmpty())
            violated("an HTTP/2 codec never hands over");
    }

    const QByteArray& transcript() const { return m_text; }
    bool sawError() const { return m_errors > 0; }

private:
    enum class State
    {
        Open,
        Trailers,
        Ended, // the peer's message ended (a server stream may still get one error)
        Failed
    };

    void line(const QByteArray& text)
    {
        m_text += '\n' + text;
        m_dataStream = 0;
    }

    void checkId(int id)
    {
        if (m_serverSide ? (id <= 0 || id % 2 != 1) : !m_allowed.count(id))
            violated("an event for a stream id that was never promised", QByteArray::number(id));
    }

    void event(const HttpEvent& event)
    {
        const bool requestEvent = std::holds_alternative<RequestHeaders>(event) ||
                                  std::holds_alternative<RequestData>(event) ||
                                  std::holds_alternative<RequestTrailers>(event) ||
                                  std::holds_alternative<RequestEndOfMessage>(event) ||
                                  std::holds_alternative<RequestProtocolError>(event);
        if (requestEvent != m_serverSide)
            violated("an event of the wrong direction");
        const int id = streamIdOf(event);
        checkId(id);
        const auto it = m_streams.find(id);
        const bool known = it != m_streams.end();
        std::visit(
            [&](const auto& e) {
                using T = std::decay_t<decltype(e)>;
                const QByteArray n = QByteArray::number(id);
                if constexpr (std::is_same_v<T, RequestHeaders> ||
                              std::is_same_v<T, ResponseHeaders>) {
                    if (known)
                        violated("a second head for a stream", n + m_text);
                    m_streams[id] = e.endStream ? State::Ended : State::Open;
                    if constexpr (std::is_same_v<T, RequestHeaders>)
                        line("H" + n + ' ' + e.request.method + ' ' + e.request.host + ':' +
                             QByteArray::number(e.request.port) + ' ' + e.request.path + ' ' +
                             QByteArray::number(e.request.headers.size()) +
                             (e.endStream ? " end" : ""));
                    else
                        line("H" + n + ' ' + QByteArray::number(e.response.statusCode) + ' ' +
                             QByteArray::number(e.response.headers.size()) +
                             (e.endStream ? " end" : ""));
                } else if constexpr (std::is_same_v<T, RequestData> ||
                                     std::is_same_v<T, ResponseData>) {
                    if (e.data.isEmpty())
                        violated("an empty data event");
                    if (!known || it->second != State::Open)
                        violated("data outside an open message", n + m_text);
                    if (m_dataStream != id) {
                        m_text += "\nD" + n + ':';
                        m_dataStream = id;
                    }
                    m_text += e.data;
                } else if constexpr (std::is_same_v<T, RequestTrailers> ||
                                     std::is_same_v<T, ResponseTrailers>) {
                    if (!known || it->second != State::Open)
                        violated("trailers outside an open message", n + m_text);
                    it->second = State::Trailers;
                    line("T" + n + ' ' + QByteArray::number(e.trailers.size()));
                } else if constexpr (std::is_same_v<T, RequestEndOfMessage> ||
                                     std::is_same_v<T, ResponseEndOfMessage>) {
                    if (!known || (it->second != State::Open && it->second != State::Trailers))
                        violated("an end outside an open message", n + m_text);
                    it->second = State::Ended;
                    line("E" + n);
                } else {
                    if (e.message.isEmpty())
                        violated("an error without a message");
                    if (known && it->second == State::Failed)
                        violated("a second error for a stream", n + m_text);
                    if (known && it->second == State::Ended && !m_serverSide)
                        violated("an error after a complete response", n + m_text);
                    if constexpr (std::is_same_v<T, RequestProtocolError>)
                        if (e.statusCode != 0 && e.statusCode != 400 && e.statusCode != 431)
                            violated("an unexpected status for a refused request");
                    m_streams[id] = State::Failed;
                    ++m_errors;
                    line("X" + n + ' ' + e.message.toUtf8());
                }
            },
            event);
    }

    const bool m_serverSide;
    std::map<int, State> m_streams;
    std::set<int> m_allowed;
    int m_dataStream = 0;
    int m_errors = 0;
    QByteArray m_text;
    bool m_closed = false;
};

// The layer: always acknowledges data; when active, also answers and disturbs streams.
struct Layer
{
    bool active = false;
    quint64 choice = 0;
    int seen = 0;

    void react(const HttpEvent& e, HttpCodec& codec, CodecOutput& out, bool serverSide)
    {
        if (const auto* d = std::get_if<RequestData>(&e))
            codec.acknowledge(d->streamId, d->data.size(), out);
        if (const auto* d = std::get_if<ResponseData>(&e))
            codec.acknowledge(d->streamId, d->data.size(), out);
        if (!active)
            return;
        const int id = streamIdOf(e);
        const unsigned what = unsigned(choice >> ((seen++ % 20) * 3)) % 8;
        if (!serverSide) {
            if (what == 0)
                codec.abortStream(id, out);
            else if (what == 1)
                codec.sendPing(out);
            else if (what == 2 && seen == 3)
                codec.shutdown(out);
            return;
        }
        const bool head = std::holds_alternative<RequestHeaders>(e);
        const bool end = std::holds_alternative<RequestEndOfMessage>(e) ||
                         (head && std::get<RequestHeaders>(e).endStream);
        if (!head && !end)
            return;
        Response r;
        r.httpVersion = "HTTP/1.1";
        r.statusCode = 200;
        switch (what) {
        case 0:
            codec.send(ResponseHeaders{id, r}, out);
            codec.send(ResponseData{id, QByteArray(70000, 'x')}, out); // beyond the window
            codec.send(ResponseEndOfMessage{id}, out);
            break;
        case 1:
            r.headers = Headers{{"Connection", "close"}, {"X-A", "b"}};
            codec.send(ResponseHeaders{id, r}, out);
            codec.send(ResponseData{id, "body"}, out);
            codec.send(ResponseTrailers{id, {{"X-T", "1"}}}, out);
            codec.send(ResponseEndOfMessage{id}, out);
            break;
        case 2:
            r.statusCode = 103;
            codec.send(ResponseHeaders{id, r}, out);
            r.statusCode = 204;
            codec.send(ResponseHeaders{id, r, true}, out);
            break;
        case 3:
            codec.abortStream(id, out);
            break;
        case 4:
            codec.send(ResponseHeaders{id, r}, out);
            codec.send(ResponseProtocolError{id, "upstream failed"}, out);
            break;
        case 5:
            codec.shutdown(out);
            break;
        case 6:
            codec.sendPing(out);
            break;
        default:
            break; // no answer
        }
    }
};

void drain(CodecOutput&& first, HttpCodec& codec, Checker& checker, Layer& layer, bool serverSide)
{
    std::vector<CodecOutput> queue;
    queue.push_back(std::move(first));
    for (size_t i = 0; i < queue.size(); ++i) {
        checker.take(queue[i], codec);
        for (const HttpEvent& e : queue[i].events) {
            CodecOutput answer;
            layer.react(e, codec, answer, serverSide);
            queue.push_back(std::move(answer));
        }
    }
}

struct Run
{
    QByteArray transcript;
    bool error = false;
};

Run runServer(const QList<QByteArray>& pieces, Layer layer, CodecLimits limits, bool closeAtEnd)
{
    Http2ServerCodec codec(limits);
    Checker checker(true);
    for (const QByteArray& piece : pieces) {
        CodecOutput out;
        codec.receiveData(piece, out);
        drain(std::move(out), codec, checker, layer, true);
    }
    if (closeAtEnd) {
        CodecOutput out;
        codec.receiveClose(out);
        drain(std::move(out), codec, checker, layer, true);
    }
    return {checker.transcript(), checker.sawError()};
}

Run runClient(const QList<QByteArray>& pieces, Layer layer, CodecLimits limits, bool closeAtEnd)
{
    Http2ClientCodec codec(limits);
    Checker checker(false);
    std::set<int> ids;
    const int count = 1 + int(layer.choice % 3);
    for (int i = 0; i < count; ++i) {
        const int id = 101 + 2 * i;
        ids.insert(id);
        Request r;
        r.method = std::array<const char*, 4>{"GET", "POST", "CONNECT",
                                              "HEAD"}[(layer.choice >> (2 + 2 * i)) % 4];
        r.scheme = "https";
        r.host = "example.com";
        r.port = 443;
        r.authority = "example.com";
        r.path = "/p";
        r.httpVersion = "HTTP/1.1";
        r.headers = Headers{{"Host", "example.com"}, {"TE", "trailers"}};
        checker.allowStreams(ids);
        CodecOutput out;
        const bool body = r.method == "POST";
        codec.send(RequestHeaders{id, r, !body}, out);
        if (body) {
            codec.send(RequestData{id, "abc"}, out);
            codec.send(RequestTrailers{id, {{"X-T", "1"}}}, out);
            codec.send(RequestEndOfMessage{id}, out);
        }
        drain(std::move(out), codec, checker, layer, false);
    }
    for (const QByteArray& piece : pieces) {
        CodecOutput out;
        codec.receiveData(piece, out);
        drain(std::move(out), codec, checker, layer, false);
    }
    if (closeAtEnd) {
        CodecOutput out;
        codec.receiveClose(out);
        drain(std::move(out), codec, checker, layer, false);
    }
    return {checker.transcript(), checker.sawError()};
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray raw(reinterpret_cast<const char*>(data), qsizetype(size));
    const quint64 choice = fnv1a(data, size);
    std::mt19937 rng{quint32(choice)};
    const bool preface = choice & 1;
    const bool closeAtEnd = (choice >> 1) & 1;
    CodecLimits limits;
    limits.maxHeadSize = (choice >> 2) & 1 ? 64 * 1024 : 256;
    // RFC 8441: with SETTINGS_ENABLE_CONNECT_PROTOCOL a CONNECT with :protocol opens a stream
    // that stays open after its head, a path of its own in both codecs.
    limits.extendedConnect = (choice >> 3) & 1;
    const quint64 actions = choice >> 8;

    {
        const QByteArray input = preface ? kClientMagic + kEmptySettings + raw : raw;
        const QList<QByteArray> pieces = cut(input, rng);
        const Run whole = runServer({input}, Layer{false, actions}, limits, closeAtEnd);
        const Run cutRun = runServer(pieces, Layer{false, actions}, limits, closeAtEnd);
        if (!whole.error && cutRun.transcript != whole.transcript)
            violated("the server codec's result depends on how its input is cut",
                     "fed whole:" + whole.transcript + "\n\nfed in " +
                         QByteArray::number(pieces.size()) + " pieces:" + cutRun.transcript);
        runServer(pieces, Layer{true, actions}, limits, closeAtEnd);
    }
    {
        const QByteArray input = preface ? kEmptySettings + raw : raw;
        const QList<QByteArray> pieces = cut(input, rng);
        const Run whole = runClient({input}, Layer{false, actions}, limits, closeAtEnd);
        const Run cutRun = runClient(pieces, Layer{false, actions}, limits, closeAtEnd);
        if (!whole.error && cutRun.transcript != whole.transcript)
            violated("the client codec's result depends on how its input is cut",
                     "fed whole:" + whole.transcript + "\n\nfed in " +
                         QByteArray::number(pieces.size()) + " pieces:" + cutRun.transcript);
        runClient(pieces, Layer{true, actions}, limits, closeAtEnd);
    }
    return 0;
}

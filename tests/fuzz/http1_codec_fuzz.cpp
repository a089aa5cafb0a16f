// libFuzzer target for the HTTP/1 codecs (CONVENTIONS 15). The input is one byte stream fed
// to both codecs: to Http1ServerCodec as what a client sends (answered with responses, so
// pipelining, 1xx, handover and keep-alive paths run) and to Http1ClientCodec as what a
// server answers to 1-3 requests. The choices (head limit, cut points, which responses and
// requests) come from a hash of the input, so the seeds stay plain HTTP messages.
//
// Oracles, besides the sanitizers: the event grammar of each stream (head first, nothing
// after the end or an error, ids as promised, nothing after close or handover), and the same
// transcript whether the input is fed whole or cut at random points.

#include "layers/http/http1_client_codec.h"
#include "layers/http/http1_server_codec.h"

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
    std::fprintf(stderr, "HTTP/1 codec invariant violated: %s\n%s\n", what, detail.constData());
    std::abort();
}

quint64 fnv1a(const uint8_t* data, size_t size)
{
    quint64 h = 1469598103934665603ull;
    for (size_t i = 0; i < size; ++i)
        h = (h ^ data[i]) * 1099511628211ull;
    return h;
}

// Checks every output of one codec and records a canonical transcript of it (consecutive
// data of one stream merged, so any way of cutting the input gives the same text).
class Checker
{
public:
    explicit Checker(bool serverSide) : m_serverSide(serverSide) {}

    void expectStreams(std::vector<int> ids) { m_expected = std::move(ids); }

    void take(const CodecOutput& out, const HttpCodec& codec)
    {
        if ((m_closed || m_handedOver) && (!out.events.empty() || !out.toPeer.isEmpty()))
            violated("output after close or handover",
                     transcript() + "\n--then " + QByteArray::number(out.events.size()) +
                         " events and these bytes--\n" + out.toPeer);
        m_toPeer += out.toPeer;
        for (const HttpEvent& e : out.events)
            event(e);
        m_closed = m_closed || out.close;
        m_handedOver = m_handedOver || codec.isHandedOver();
    }

    QByteArray transcript() const
    {
        return m_text + "\n--to peer--\n" + m_toPeer + (m_closed ? "\n--close--" : "") +
               (m_handedOver ? "\n--handed over--" : "");
    }

private:
    enum class State
    {
        Open,
        Trailers,
        Done
    };

    void line(const QByteArray& text)
    {
        m_text += '\n' + text;
        m_dataStream = 0;
    }

    void data(int id, const QByteArray& bytes)
    {
        if (m_dataStream != id) {
            m_text += "\nD" + QByteArray::number(id) + ':';
            m_dataStream = id;
        }
        m_text += bytes;
    }

    void head(int id, bool endStream)
    {
        if (m_streams.count(id))
            violated("a second head for a stream", QByteArray::number(id));
        if (m_serverSide) {
            if (id % 2 != 1 || id <= m_lastId)
                violated("request stream ids must be 1, 3, 5, ...", QByteArray::number(id));
            m_lastId = id;
        } else {
            if (m_nextExpected >= m_expected.size() || m_expected[m_nextExpected] != id)
                violated("a response for a stream out of order", QByteArray::number(id));
            ++m_nextExpected;
        }
        m_streams[id] = endStream ? State::Done : State::Open;
    }

    void body(int id, bool trailers, bool end)
    {
        const auto it = m_streams.find(id);
        if (it == m_streams.end() || it->second == State::Done)
            violated("body, trailers or end without an open stream", QByteArray::number(id));
        if (!end && !trailers && it->second != State::Open)
            violated("data after trailers", QByteArray::number(id));
        if (trailers && it->second != State::Open)
            violated("trailers twice", QByteArray::number(id));
        it->second = end ? State::Done : trailers ? State::Trailers : State::Open;
    }

    void error(int id)
    {
        const auto it = m_streams.find(id);
        if (it != m_streams.end() && it->second == State::Done)
            violated("an error for a finished stream", QByteArray::number(id));
        const int next = m_lastId == 0 ? 1 : m_lastId + 2;
        if (m_serverSide && it == m_streams.end() && id != next)
            violated("a request error for a stream that is not the next one",
                     QByteArray::number(id));
        m_streams[id] = State::Done;
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
        std::visit(
            [this](const auto& e) {
                using T = std::decay_t<decltype(e)>;
                const QByteArray id = QByteArray::number(e.streamId);
                if constexpr (std::is_same_v<T, RequestHeaders>) {
                    head(e.streamId, e.endStream);
                    line("H" + id + ' ' + e.request.method + ' ' + e.request.host + ':' +
                         QByteArray::number(e.request.port) + ' ' + e.request.path + ' ' +
                         QByteArray::number(e.request.headers.size()) +
                         (e.endStream ? " end" : ""));
                } else if constexpr (std::is_same_v<T, ResponseHeaders>) {
                    head(e.streamId, e.endStream);
                    line("H" + id + ' ' + QByteArray::number(e.response.statusCode) + ' ' +
                         QByteArray::number(e.response.headers.size()) +
                         (e.endStream ? " end" : ""));
                } else if constexpr (std::is_same_v<T, RequestData> ||
                                     std::is_same_v<T, ResponseData>) {
                    if (e.data.isEmpty())
                        violated("an empty data event");
                    body(e.streamId, false, false);
                    data(e.streamId, e.data);
                } else if constexpr (std::is_same_v<T, RequestTrailers> ||
                                     std::is_same_v<T, ResponseTrailers>) {
                    body(e.streamId, true, false);
                    line("T" + id + ' ' + QByteArray::number(e.trailers.size()));
                } else if constexpr (std::is_same_v<T, RequestEndOfMessage> ||
                                     std::is_same_v<T, ResponseEndOfMessage>) {
                    body(e.streamId, false, true);
                    line("E" + id);
                } else {
                    error(e.streamId);
                    if (e.message.isEmpty())
                        violated("an error without a message");
                    line("X" + id + ' ' + e.message.toUtf8());
                }
            },
            event);
    }

    const bool m_serverSide;
    std::map<int, State> m_streams;
    std::vector<int> m_expected; // client side: the requests, in the order sent
    size_t m_nextExpected = 0;
    int m_lastId = 0;
    int m_dataStream = 0;
    QByteArray m_text;
    QByteArray m_toPeer;
    bool m_closed = false;
    bool m_handedOver = false;
};

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

Response response(int status, const Headers& headers)
{
    Response r;
    r.httpVersion = "HTTP/1.1";
    r.statusCode = status;
    r.headers = headers;
    return r;
}

// --- The server codec: the input is what a client sends. ---

struct ServerRun
{
    quint64 choice;
    bool early; // answer at the request head (bodies may still be coming)
    std::map<int, QByteArray> methods;

    void answer(int id, HttpCodec& codec, CodecOutput& out)
    {
        const QByteArray method = methods[id];
        switch ((choice >> ((id % 16) * 3)) % 8) {
        case 0:
            codec.send(ResponseHeaders{id, response(200, {{"Content-Length", "5"}})}, out);
            codec.send(ResponseData{id, "hello"}, out);
            codec.send(ResponseEndOfMessage{id}, out);
            break;
        case 1:
            codec.send(ResponseHeaders{id, response(200, {{"Transfer-Encoding", "chunked"}})}, out);
            codec.send(ResponseData{id, "abc"}, out);
            codec.send(ResponseTrailers{id, {{"X-T", "1"}}}, out);
            codec.send(ResponseEndOfMessage{id}, out);
            break;
        case 2:
            codec.send(ResponseHeaders{id, response(200, {})}, out);
            codec.send(ResponseData{id, "until close"}, out);
            codec.send(ResponseEndOfMessage{id}, out);
            break;
        case 3:
            codec.send(ResponseHeaders{id, response(204, {}), true}, out);
            break;
        case 4:
            codec.send(ResponseHeaders{id, response(304, {{"Content-Length", "10"}})}, out);
            codec.send(ResponseData{id, "ignored"}, out);
            codec.send(ResponseEndOfMessage{id}, out);
            break;
        case 5:
            codec.send(ResponseHeaders{id, response(100, {})}, out);
            codec.send(ResponseHeaders{id, response(200, {{"Content-Length", "0"}}), true}, out);
            break;
        case 6:
            codec.send(ResponseHeaders{id, response(method == "CONNECT" ? 200 : 101, {}), true},
                       out);
            break;
        default:
            codec.send(ResponseHeaders{id, response(500, {{"Content-Length", "9"}})}, out);
            codec.send(ResponseData{id, "short"}, out); // 4 bytes missing: must close
            codec.send(ResponseEndOfMessage{id}, out);
            break;
        }
    }

    void respond(const HttpEvent& e, HttpCodec& codec, CodecOutput& out)
    {
        if (const auto* h = std::get_if<RequestHeaders>(&e)) {
            methods[h->streamId] = h->request.method;
            if (early || h->endStream)
                answer(h->streamId, codec, out);
        } else if (const auto* m = std::get_if<RequestEndOfMessage>(&e); m && !early) {
            answer(m->streamId, codec, out);
        }
    }
};

// Checks an output as soon as it is made, then answers its events (answers may carry the
// events of a pipelined request, which are answered in turn).
void drain(CodecOutput&& out, HttpCodec& codec, Checker& checker, ServerRun* run)
{
    checker.take(out, codec);
    if (!run)
        return;
    for (const HttpEvent& e : out.events) {
        CodecOutput answer;
        run->respond(e, codec, answer);
        drain(std::move(answer), codec, checker, run);
    }
}

QByteArray runServer(const QByteArray& input, const QList<QByteArray>& pieces, CodecLimits limits,
                     quint64 choice, bool early, bool closeAtEnd)
{
    Http1ServerCodec codec(limits);
    Checker checker(true);
    ServerRun run{choice, early, {}};
    for (const QByteArray& piece : pieces) {
        CodecOutput out;
        codec.receiveData(piece, out);
        drain(std::move(out), codec, checker, &run);
    }
    if (closeAtEnd) {
        CodecOutput out;
        codec.receiveClose(out);
        drain(std::move(out), codec, checker, &run);
    }
    if (codec.isHandedOver() && !input.endsWith(codec.takeUnparsed()))
        violated("unparsed bytes that are not the end of what the client sent");
    return checker.transcript();
}

// --- The client codec: the input is what a server answers. ---

std::vector<HttpEvent> requests(quint64 choice, std::vector<int>* ids)
{
    static const char* const kMethods[] = {"GET", "HEAD", "CONNECT", "POST", "PUT", "OPTIONS"};
    std::vector<HttpEvent> out;
    const int count = 1 + int(choice % 3);
    for (int i = 0; i < count; ++i) {
        const int id = 1 + 2 * i;
        Request r;
        r.method = kMethods[(choice >> (4 + 3 * i)) % 6];
        r.host = "example.com";
        r.port = 443;
        r.authority = "example.com:443";
        r.path = r.isConnect() ? QByteArray() : QByteArray("/p");
        r.httpVersion = (choice >> (20 + i)) % 2 ? "HTTP/1.1" : "HTTP/2.0";
        ids->push_back(id);
        if (r.method == "POST") {
            r.headers.add("Content-Length", "3");
            out.push_back(RequestHeaders{id, r, false});
            out.push_back(RequestData{id, "abc"});
            out.push_back(RequestEndOfMessage{id});
        } else if (r.method == "PUT") {
            r.headers.add("Transfer-Encoding", "chunked");
            out.push_back(RequestHeaders{id, r, false});
            out.push_back(RequestData{id, "abc"});
            out.push_back(RequestTrailers{id, {{"X-T", "1"}}});
            out.push_back(RequestEndOfMessage{id});
        } else {
            out.push_back(RequestHeaders{id, r, true});
        }
        if (r.isConnect())
            break; // nothing is pipelined behind a CONNECT
    }
    return out;
}

QByteArray runClient(const QByteArray& input, const QList<QByteArray>& pieces, CodecLimits limits,
                     quint64 choice, bool closeAtEnd)
{
    Http1ClientCodec codec(limits);
    Checker checker(false);
    std::vector<int> ids;
    for (const HttpEvent& e : requests(choice, &ids)) {
        CodecOutput out;
        codec.send(e, out);
        drain(std::move(out), codec, checker, nullptr);
    }
    checker.expectStreams(ids);
    for (const QByteArray& piece : pieces) {
        CodecOutput out;
        codec.receiveData(piece, out);
        drain(std::move(out), codec, checker, nullptr);
    }
    if (closeAtEnd) {
        CodecOutput out;
        codec.receiveClose(out);
        drain(std::move(out), codec, checker, nullptr);
    }
    if (codec.isHandedOver() && !input.endsWith(codec.takeUnparsed()))
        violated("unparsed bytes that are not the end of what the server sent");
    return checker.transcript();
}

// A request still being sent when the response arrives (early response path).
void runClientEarly(const QList<QByteArray>& pieces, CodecLimits limits)
{
    Http1ClientCodec codec(limits);
    Checker checker(false);
    checker.expectStreams({1});
    Request r;
    r.method = "POST";
    r.path = "/upload";
    r.httpVersion = "HTTP/1.1";
    r.headers.add("Content-Length", "6");
    CodecOutput out;
    codec.send(RequestHeaders{1, r, false}, out);
    codec.send(RequestData{1, "abc"}, out);
    drain(std::move(out), codec, checker, nullptr);
    for (const QByteArray& piece : pieces) {
        CodecOutput o;
        codec.receiveData(piece, o);
        drain(std::move(o), codec, checker, nullptr);
    }
    CodecOutput rest;
    codec.send(RequestData{1, "def"}, rest);
    codec.send(RequestEndOfMessage{1}, rest);
    codec.receiveClose(rest);
    drain(std::move(rest), codec, checker, nullptr);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char*>(data), qsizetype(size));
    const quint64 choice = fnv1a(data, size);
    std::mt19937 rng{quint32(choice)};
    CodecLimits limits;
    limits.maxHeadSize = std::array<qint64, 3>{64, 1024, 64 * 1024}[(choice >> 40) % 3];
    const bool closeAtEnd = (choice >> 43) % 2;
    const QList<QByteArray> pieces = cut(input, rng);

    const QByteArray wholeServer = runServer(input, {input}, limits, choice, false, closeAtEnd);
    const QByteArray cutServer = runServer(input, pieces, limits, choice, false, closeAtEnd);
    if (cutServer != wholeServer)
        violated("the server codec's result depends on how its input is cut",
                 "fed whole:" + wholeServer + "\n\nfed in " + QByteArray::number(pieces.size()) +
                     " pieces:" + cutServer);
    runServer(input, pieces, limits, choice, true, closeAtEnd);

    const QByteArray wholeClient = runClient(input, {input}, limits, choice, closeAtEnd);
    const QByteArray cutClient = runClient(input, pieces, limits, choice, closeAtEnd);
    if (cutClient != wholeClient)
        violated("the client codec's result depends on how its input is cut",
                 "fed whole:" + wholeClient + "\n\nfed in " + QByteArray::number(pieces.size()) +
                     " pieces:" + cutClient);
    runClientEarly(pieces, limits);
    return 0;
}

#pragma once
// Test driver for the HTTP/1 codecs (CONVENTIONS 15): runs one scenario with its input fed
// whole, one byte at a time and cut at random points, and checks that every way of cutting
// gives the same transcript (events, bytes for the peer, close). A scenario may answer the
// events it sees (a responder), which is how pipelining and 100-continue are exercised.
// Header-only because every test in tests/unit is one source file.

#include "layers/http/http_codec.h"
#include "playbook.h"

#include <QStringList>
#include <functional>
#include <memory>

namespace spyglass::test {

using namespace spyglass::layers::http;

inline QString describeHeaders(const Headers& headers)
{
    QStringList parts;
    for (const auto& [name, value] : headers.fields())
        parts << QString::fromLatin1(name + ": " + value);
    return '{' + parts.join(QStringLiteral(", ")) + '}';
}

inline QString quoted(const QByteArray& data)
{
    QString s;
    for (const char c : data) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '\r')
            s += QStringLiteral("\\r");
        else if (c == '\n')
            s += QStringLiteral("\\n");
        else if (u < 0x20 || u >= 0x7f)
            s += QStringLiteral("\\x%1").arg(u, 2, 16, QLatin1Char('0'));
        else
            s += QLatin1Char(c);
    }
    return '"' + s + '"';
}

// One line per event, every field that matters, so a QCOMPARE failure shows what differs.
inline QString describe(const HttpEvent& event)
{
    return std::visit(
        [](const auto& e) -> QString {
            using T = std::decay_t<decltype(e)>;
            const QString id = QStringLiteral("#%1").arg(e.streamId);
            if constexpr (std::is_same_v<T, RequestHeaders>) {
                const Request& r = e.request;
                QStringList parts{QStringLiteral("RequestHeaders") + id,
                                  QString::fromLatin1(r.method)};
                if (!r.scheme.isEmpty())
                    parts << QStringLiteral("scheme=") + QString::fromLatin1(r.scheme);
                if (!r.host.isEmpty())
                    parts << QStringLiteral("host=") + QString::fromLatin1(r.host);
                if (r.port != 0)
                    parts << QStringLiteral("port=%1").arg(r.port);
                if (!r.authority.isEmpty())
                    parts << QStringLiteral("authority=") + QString::fromLatin1(r.authority);
                parts << QStringLiteral("path=") + QString::fromLatin1(r.path)
                      << QString::fromLatin1(r.httpVersion) << describeHeaders(r.headers);
                if (e.endStream)
                    parts << QStringLiteral("end");
                if (!e.protocol.isEmpty())
                    parts << QStringLiteral("protocol=") + QString::fromLatin1(e.protocol);
                return parts.join(' ');
            } else if constexpr (std::is_same_v<T, ResponseHeaders>) {
                const Response& r = e.response;
                QStringList parts{QStringLiteral("ResponseHeaders") + id,
                                  QString::number(r.statusCode), QString::fromLatin1(r.reason),
                                  QString::fromLatin1(r.httpVersion), describeHeaders(r.headers)};
                if (e.endStream)
                    parts << QStringLiteral("end");
                return parts.join(' ');
            } else if constexpr (std::is_same_v<T, RequestData>) {
                return QStringLiteral("RequestData") + id + ' ' + quoted(e.data);
            } else if constexpr (std::is_same_v<T, ResponseData>) {
                return QStringLiteral("ResponseData") + id + ' ' + quoted(e.data);
            } else if constexpr (std::is_same_v<T, RequestTrailers>) {
                return QStringLiteral("RequestTrailers") + id + ' ' + describeHeaders(e.trailers);
            } else if constexpr (std::is_same_v<T, ResponseTrailers>) {
                return QStringLiteral("ResponseTrailers") + id + ' ' + describeHeaders(e.trailers);
            } else if constexpr (std::is_same_v<T, RequestEndOfMessage>) {
                return QStringLiteral("RequestEndOfMessage") + id;
            } else if constexpr (std::is_same_v<T, ResponseEndOfMessage>) {
                return QStringLiteral("ResponseEndOfMessage") + id;
            } else if constexpr (std::is_same_v<T, RequestProtocolError>) {
                return QStringLiteral("RequestProtocolError") + id + ' ' +
                       QString::number(e.statusCode) + ' ' + e.message;
            } else {
                return QStringLiteral("ResponseProtocolError") + id + ' ' + e.message;
            }
        },
        event);
}

struct Transcript
{
    std::vector<HttpEvent> events; // consecutive data events of one stream merged
    QByteArray toPeer;
    bool close = false;
    bool halfClose = false;
    QStringList debug;

    QStringList lines() const
    {
        QStringList out;
        for (const auto& e : events)
            out << describe(e);
        return out;
    }
    // Error messages (protocol errors) in order.
    QStringList errors() const
    {
        QStringList out;
        for (const auto& e : events) {
            if (const auto* r = std::get_if<RequestProtocolError>(&e))
                out << r->message;
            if (const auto* r = std::get_if<ResponseProtocolError>(&e))
                out << r->message;
        }
        return out;
    }
};

template <typename Data> bool mergeData(std::vector<HttpEvent>& events, const HttpEvent& next)
{
    const auto* n = std::get_if<Data>(&next);
    if (!n || events.empty())
        return false;
    auto* last = std::get_if<Data>(&events.back());
    if (!last || last->streamId != n->streamId)
        return false;
    last->data += n->data;
    return true;
}

// Called for every event the codec emits; may call codec.send(..., out) to answer.
using Responder = std::function<void(const HttpEvent&, HttpCodec&, CodecOutput&)>;

// Takes everything from `out` into `t`, answering each event with `respond`; what the
// answers produce (a pipelined request's events) is taken in turn.
inline void collect(CodecOutput&& first, HttpCodec& codec, const Responder& respond, Transcript& t)
{
    std::vector<CodecOutput> queue;
    queue.push_back(std::move(first));
    for (size_t i = 0; i < queue.size(); ++i) {
        CodecOutput out = std::move(queue[i]);
        t.toPeer += out.toPeer;
        t.close = t.close || out.close;
        t.halfClose = t.halfClose || out.halfClose;
        t.debug += out.debug;
        for (const HttpEvent& e : out.events) {
            if (!mergeData<RequestData>(t.events, e) && !mergeData<ResponseData>(t.events, e))
                t.events.push_back(e);
            if (respond) {
                CodecOutput answer;
                respond(e, codec, answer);
                queue.push_back(std::move(answer));
            }
        }
    }
}

struct Scenario
{
    std::function<std::unique_ptr<HttpCodec>()> makeCodec;
    // Runs before any input (a client codec sends its requests here).
    std::function<void(HttpCodec&, Transcript&)> before;
    QByteArray input;
    Responder respond;
    bool closeAtEnd = false; // receiveClose() after the input
    // Runs after everything, on each run (state checks: isIdle, takeUnparsed, ...); its
    // lines are part of the comparison between cuts.
    std::function<QStringList(HttpCodec&)> after;
};

struct Run
{
    Transcript transcript;
    QStringList afterLines;
};

inline Run runOnce(const Scenario& s, const QList<QByteArray>& pieces)
{
    Run run;
    auto codec = s.makeCodec();
    if (s.before)
        s.before(*codec, run.transcript);
    for (const QByteArray& piece : pieces) {
        CodecOutput out;
        codec->receiveData(piece, out);
        collect(std::move(out), *codec, s.respond, run.transcript);
    }
    if (s.closeAtEnd) {
        CodecOutput out;
        codec->receiveClose(out);
        collect(std::move(out), *codec, s.respond, run.transcript);
    }
    if (s.after)
        run.afterLines = s.after(*codec);
    return run;
}

// Feeds the input whole, byte by byte and at 20 sets of random cut points. Returns the
// whole-input run; `mismatch` describes the first run that differs from it (empty if none).
inline Run runAllCuts(const Scenario& s, QString* mismatch)
{
    const Run whole = runOnce(s, s.input.isEmpty() ? QList<QByteArray>{} : QList{s.input});
    QList<std::pair<QString, QList<QByteArray>>> cuts;
    cuts.append({QStringLiteral("1-byte pieces"), splitEvery(s.input, 1)});
    for (quint32 seed = 1; seed <= 20; ++seed)
        cuts.append({QStringLiteral("random cuts, seed %1").arg(seed), splitRandom(s.input, seed)});
    mismatch->clear();
    for (const auto& [label, pieces] : cuts) {
        const Run r = runOnce(s, pieces);
        QStringList diffs;
        if (r.transcript.lines() != whole.transcript.lines())
            diffs << QStringLiteral("events:\n    whole: %1\n    %2: %3")
                         .arg(whole.transcript.lines().join(QStringLiteral("\n           ")), label,
                              r.transcript.lines().join(QStringLiteral("\n           ")));
        if (r.transcript.toPeer != whole.transcript.toPeer)
            diffs << QStringLiteral("toPeer:\n    whole: %1\n    %2: %3")
                         .arg(quoted(whole.transcript.toPeer), label, quoted(r.transcript.toPeer));
        if (r.transcript.close != whole.transcript.close)
            diffs << QStringLiteral("close: whole %1, %2 %3")
                         .arg(whole.transcript.close)
                         .arg(label)
                         .arg(r.transcript.close);
        if (r.afterLines != whole.afterLines)
            diffs << QStringLiteral("after:\n    whole: %1\n    %2: %3")
                         .arg(whole.afterLines.join(QStringLiteral(", ")), label,
                              r.afterLines.join(QStringLiteral(", ")));
        if (!diffs.isEmpty()) {
            *mismatch = QStringLiteral("fed as %1, the result differs from the whole input: %2")
                            .arg(label, diffs.join('\n'));
            break;
        }
    }
    return whole;
}

// Compares string lists line by line with a readable failure message.
inline QString compareLines(const QStringList& actual, const QStringList& expected)
{
    if (actual == expected)
        return {};
    return QStringLiteral("\n  actual:\n    %1\n  expected:\n    %2")
        .arg(actual.join(QStringLiteral("\n    ")), expected.join(QStringLiteral("\n    ")));
}

} // namespace spyglass::test

// Runs `scenario` with every cut; declares `run` (the whole-input Run) in the test.
#define SPYGLASS_RUN_ALL_CUTS(run, scenario)                                                       \
    QString run##Mismatch;                                                                         \
    const ::spyglass::test::Run run = ::spyglass::test::runAllCuts(scenario, &run##Mismatch);      \
    QVERIFY2(run##Mismatch.isEmpty(), qPrintable(run##Mismatch))

#define SPYGLASS_COMPARE_LINES(actual, expected)                                                   \
    do {                                                                                           \
        const QString why_ = ::spyglass::test::compareLines(actual, expected);                     \
        QVERIFY2(why_.isEmpty(), qPrintable(why_));                                                \
    } while (false)

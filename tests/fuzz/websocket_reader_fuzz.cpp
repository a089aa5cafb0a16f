// libFuzzer target for the WebSocket reader (frame parser, fragment assembly, permessage-deflate
// inflation; CONVENTIONS 15). The first input byte chooses the sender (client frames must be
// masked), whether permessage-deflate is on and the message size limit; the rest is the byte
// stream of one direction.
//
// Oracles, besides the sanitizers: nothing comes out after an Error; error codes are the ones
// the reader documents; a Close code, if any, is one that may be sent; a message never exceeds
// the limit; and the same transcript whether the input is fed whole or cut at random points.

#include "layers/websocket/websocket_message_reader.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>

using namespace spyglass;
using namespace spyglass::layers::websocket;

namespace {

[[noreturn]] void violated(const char* what, const QByteArray& detail = {})
{
    std::fprintf(stderr, "WebSocket reader invariant violated: %s\n%s\n", what, detail.constData());
    std::abort();
}

QByteArray run(const QByteArray& data, quint8 config, const std::vector<qsizetype>& cuts)
{
    const auto sender = (config & 1) ? WebSocketMessageReader::Sender::Client
                                     : WebSocketMessageReader::Sender::Server;
    const qint64 limit = (config & 4) ? 64 : 64 * 1024;
    WebSocketMessageReader reader(sender, limit);
    if (config & 2)
        reader.enableDeflate();
    QByteArray transcript;
    bool failed = false;
    qsizetype pos = 0;
    auto drain = [&] {
        for (;;) {
            WebSocketMessageReader::Event e = reader.next();
            if (std::holds_alternative<WebSocketMessageReader::NeedMore>(e))
                return;
            if (failed) {
                if (!std::holds_alternative<WebSocketMessageReader::Error>(e))
                    violated("an event after an error", transcript);
                return; // the same error again
            }
            if (auto* m = std::get_if<WebSocketMessageReader::Message>(&e)) {
                if (m->content.size() > limit)
                    violated("a message beyond the limit", transcript);
                transcript += "M" + QByteArray::number(m->isText) +
                              QByteArray::number(m->compressed) + m->content.toHex() + ":" +
                              m->raw.toHex() + "\n";
            } else if (auto* c = std::get_if<WebSocketMessageReader::Control>(&e)) {
                transcript += "C" + QByteArray::number(int(c->opcode)) + c->payload.toHex() + "\n";
            } else if (auto* c = std::get_if<WebSocketMessageReader::Close>(&e)) {
                if (c->code && !isValidCloseCode(*c->code))
                    violated("a Close with a code that must not be sent", transcript);
                transcript +=
                    "X" + QByteArray::number(c->code.value_or(0)) + c->reason.toUtf8() + "\n";
            } else if (auto* err = std::get_if<WebSocketMessageReader::Error>(&e)) {
                if (err->code != 1002 && err->code != 1007 && err->code != 1009)
                    violated("an undocumented error code", transcript);
                transcript += "E" + QByteArray::number(err->code) + "\n";
                failed = true;
            }
        }
    };
    for (qsizetype cut : cuts) {
        reader.feed(data.mid(pos, cut - pos));
        pos = cut;
        drain();
    }
    reader.feed(data.mid(pos));
    drain();
    return transcript;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size)
{
    if (size < 1)
        return 0;
    const quint8 config = bytes[0];
    const QByteArray data(reinterpret_cast<const char*>(bytes + 1), qsizetype(size - 1));
    const QByteArray whole = run(data, config, {});
    std::mt19937 rng(quint32(size * 2654435761u) ^ config);
    std::vector<qsizetype> cuts;
    for (qsizetype p = 0; p < data.size();) {
        p += 1 + qsizetype(rng() % 17);
        if (p < data.size())
            cuts.push_back(p);
    }
    const QByteArray cut = run(data, config, cuts);
    if (whole != cut)
        violated("different transcripts whole and cut", "whole:\n" + whole + "\ncut:\n" + cut);
    return 0;
}

// libFuzzer target for the filter language (CONVENTIONS 15) and the body decoders behind it.
// The input is split at its first NUL: before it, a filter expression (UTF-8); after it, bytes
// that become the bodies of a few flows, sent as gzip, deflate, br, zstd and stacked codings
// (so the decoders see damaged and hostile input through ~b), and its headers.
//
// Oracles, besides the sanitizers: a parse error lies inside the expression and says what was
// expected; a filter that parses gives the same answer twice, and `!(expression)` parses and
// gives the opposite answer on every flow.

#include "filter/filter.h"
#include "flow/flow.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace spyglass;
using namespace spyglass::filter;

namespace {

[[noreturn]] void violated(const char* what, const QString& expression)
{
    std::fprintf(stderr, "filter invariant violated: %s\nexpression: %s\n", what,
                 expression.toUtf8().constData());
    std::abort();
}

QList<HttpFlow> flowsFrom(const QByteArray& bytes)
{
    QList<HttpFlow> out;
    for (const char* coding : {"", "gzip", "deflate", "br", "zstd", "gzip, br", "zstd, deflate"}) {
        HttpFlow f;
        f.client.peer = {"127.0.0.1", 40000};
        f.server.peer = {"example.com", 443};
        f.request.method = bytes.left(8);
        f.request.scheme = "https";
        f.request.host = "example.com";
        f.request.port = 443;
        f.request.path = "/" + bytes.left(64);
        f.request.headers = {{"Host", "example.com"}, {"X-Fuzz", bytes.left(32)}};
        f.request.body.content = bytes;
        f.request.body.size = bytes.size();
        if (*coding)
            f.request.headers.add("Content-Encoding", coding);
        Response r;
        r.statusCode = bytes.isEmpty() ? 200 : 100 + uchar(bytes[0]) % 500;
        r.headers = {{"Content-Type", bytes.mid(1, 24)}, {"Content-Encoding", coding}};
        r.body.content = bytes;
        r.body.size = bytes.size();
        f.response = r;
        f.comment = QString::fromUtf8(bytes.left(40));
        f.marked = bytes.size() % 2 ? QStringLiteral(":star:") : QString();
        out.append(f);
    }
    out.append(HttpFlow{}); // nothing set at all
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char*>(data), qsizetype(size));
    const qsizetype nul = input.indexOf('\0');
    const QString expression = QString::fromUtf8(nul < 0 ? input : input.left(nul));
    const QByteArray bytes = nul < 0 ? QByteArray() : input.mid(nul + 1);

    auto parsed = Filter::parse(expression);
    if (const ParseError* e = std::get_if<ParseError>(&parsed)) {
        if (e->position < 0 || e->position > expression.size())
            violated("error position outside the expression", expression);
        if (e->expected.isEmpty() || e->message.isEmpty())
            violated("error without a message", expression);
        return 0;
    }
    const Filter& f = std::get<Filter>(parsed);
    auto negated = Filter::parse(QStringLiteral("!(") + expression + QLatin1Char(')'));
    const Filter* n = std::get_if<Filter>(&negated);
    if (!n && std::get<ParseError>(negated).message.contains(QLatin1String("nested")) == false)
        violated("!(expression) does not parse", expression);
    for (const HttpFlow& flow : flowsFrom(bytes)) {
        const bool m = f.matches(flow);
        if (f.matches(flow) != m)
            violated("two answers for one flow", expression);
        if (n && n->matches(flow) == m)
            violated("!(expression) agrees with expression", expression);
    }
    return 0;
}

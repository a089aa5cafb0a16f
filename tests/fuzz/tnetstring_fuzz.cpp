// libFuzzer target for the tnetstring reader and the mitmproxy flow file import on top of it
// (CONVENTIONS 15). The input is a flow file: TnetstringReader reads its first value,
// MitmproxyReader the whole of it.
//
// Oracles, besides the sanitizers: a value that reads ends inside the input and within the depth
// bound, and written again (canonically) it reads back to the same value; every proper prefix
// of it is an error flagged as truncation; an error lies inside the input. MitmproxyReader
// never produces more flows than the input has bytes for, and never live ones; an error names
// the file.

#include "io/mitmproxy_reader.h"
#include "io/tnetstring.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace spyglass;

namespace {

[[noreturn]] void violated(const char* what)
{
    std::fprintf(stderr, "tnetstring invariant violated: %s\n", what);
    std::abort();
}

QByteArray tn(const QByteArray& data, char type)
{
    return QByteArray::number(data.size()) + ':' + data + type;
}

QByteArray write(const TnetValue& v)
{
    using Type = TnetValue::Type;
    switch (v.type) {
    case Type::Null:
        return "0:~";
    case Type::Bytes:
        return tn(v.bytes, ',');
    case Type::Text:
        return tn(v.bytes, ';');
    case Type::Integer:
        return tn(QByteArray::number(v.integer), '#');
    case Type::Float:
        return tn(QByteArray::number(v.number, 'g', 17), '^');
    case Type::Boolean:
        return tn(v.boolean ? "true" : "false", '!');
    case Type::List: {
        QByteArray d;
        for (const TnetValue& item : v.items)
            d += write(item);
        return tn(d, ']');
    }
    case Type::Dict: {
        QByteArray d;
        for (size_t i = 0; i < v.items.size(); ++i)
            d += tn(v.keys[qsizetype(i)], ',') + write(v.items[i]);
        return tn(d, '}');
    }
    }
    return {};
}

int depthOf(const TnetValue& v)
{
    int deepest = 0;
    for (const TnetValue& item : v.items)
        deepest = std::max(deepest, depthOf(item) + 1);
    return deepest;
}

bool same(const TnetValue& a, const TnetValue& b)
{
    if (a.type != b.type || a.bytes != b.bytes || a.integer != b.integer ||
        a.boolean != b.boolean || a.keys != b.keys || a.items.size() != b.items.size())
        return false;
    if (a.type == TnetValue::Type::Float && !(a.number == b.number) &&
        !(std::isnan(a.number) && std::isnan(b.number)))
        return false;
    for (size_t i = 0; i < a.items.size(); ++i) {
        if (!same(a.items[i], b.items[i]))
            return false;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char*>(data), qsizetype(size));

    const TnetstringReader::Result r = TnetstringReader::parse(input);
    if (r.ok()) {
        if (r.end <= 0 || r.end > input.size())
            violated("value ends outside the input");
        if (depthOf(r.value) > TnetstringReader::DefaultMaxDepth)
            violated("value deeper than the bound");
        const QByteArray again = write(r.value);
        const TnetstringReader::Result back = TnetstringReader::parse(again);
        if (!back.ok() || back.end != again.size() || !same(back.value, r.value))
            violated("a value written again does not read back the same");
        for (qsizetype n : {qsizetype(0), r.end / 2, r.end - 1}) {
            const TnetstringReader::Result cut = TnetstringReader::parse(input.left(n));
            if (cut.ok() || !cut.truncated)
                violated("a proper prefix of a value is not truncation");
        }
    } else {
        if (r.errorAt < 0 || r.errorAt > input.size())
            violated("error offset outside the input");
        if (r.error.isEmpty())
            violated("error without a message");
    }

    const MitmproxyReader::Result m = MitmproxyReader::parse(input, QStringLiteral("fuzz.flow"));
    if (m.flows.size() > input.size() / 3 + 1)
        violated("more flows than the input has bytes for");
    for (const HttpFlow& f : m.flows) {
        if (f.live || f.intercepted)
            violated("an imported flow is live");
    }
    if (!m.ok() && !m.error.startsWith(QLatin1String("fuzz.flow: ")))
        violated("an error that does not name the file");
    return 0;
}

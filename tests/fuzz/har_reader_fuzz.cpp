// libFuzzer target for the JSON imports (CONVENTIONS 15): HAR (HarReader) and Charles JSON
// sessions (CharlesReader) over the same input, and the format detection that chooses between
// them and the other formats (FlowFileReader::detect).
//
// Oracles, besides the sanitizers: either reader gives flows or one error naming the file,
// never both empty-handed and silent about bad JSON; imported flows are never live; a body
// is either captured (its size is its content's) or streamed; the detection of an input that
// starts with '{' or '[' (after white space) is HAR or Charles.

#include "io/charles_reader.h"
#include "io/flow_file_reader.h"
#include "io/har_reader.h"

#include <QJsonDocument>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace spyglass;

namespace {

[[noreturn]] void violated(const char* what)
{
    std::fprintf(stderr, "JSON import invariant violated: %s\n", what);
    std::abort();
}

void checkBody(const BodyInfo& b)
{
    if (b.size < 0)
        violated("negative body size");
    if (!b.streamed && b.size != b.content.size())
        violated("a captured body whose size is not its content's");
}

template <typename R> void checkResult(const R& r, const QByteArray& input, const char* name)
{
    if (!r.ok() && !r.error.startsWith(QLatin1String(name)))
        violated("an error that does not name the file");
    if (!r.ok() && !r.flows.isEmpty())
        violated("flows and an error");
    QJsonParseError pe;
    (void)QJsonDocument::fromJson(input, &pe);
    if (pe.error != QJsonParseError::NoError && r.ok())
        violated("invalid JSON read without an error");
    for (const HttpFlow& f : r.flows) {
        if (f.live || f.intercepted)
            violated("an imported flow is live");
        checkBody(f.request.body);
        if (f.response)
            checkBody(f.response->body);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char*>(data), qsizetype(size));
    checkResult(HarReader::parse(input, QStringLiteral("fuzz.har")), input, "fuzz.har");
    checkResult(CharlesReader::parse(input, QStringLiteral("fuzz.chlsj")), input, "fuzz.chlsj");

    const FlowFileReader::Format format = FlowFileReader::detect(input);
    qsizetype i = 0;
    while (i < input.size() &&
           (input[i] == ' ' || input[i] == '\t' || input[i] == '\r' || input[i] == '\n'))
        ++i;
    const QByteArray trimmed = input.mid(i);
    if (!input.startsWith("SPYGLASS-SESSION") && trimmed.startsWith('{') &&
        format != FlowFileReader::Format::Har)
        violated("a JSON object not detected as HAR");
    if (trimmed.startsWith('[') && format != FlowFileReader::Format::Charles)
        violated("a JSON array not detected as Charles");
    return 0;
}

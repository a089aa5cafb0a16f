#pragma once
// The filter's syntax tree, the table of operators, and evaluation of a tree against a flow
// (mitmproxy's `_Action` classes, FAnd/FOr/FNot). One plain Node type with a kind, rather than
// a class per operator: evaluation is one switch, with no virtual call and no allocation for the
// operators that test flags and numbers.
//
// What each operator looks at is documented in docs/filters.md; the rules that are not obvious:
//  - bodies (~b ~bq ~bs) are matched decoded from their Content-Encoding (gzip, deflate, br,
//    zstd; ContentCoding), at most maxDecodedBody bytes of it; a body that does not decode is
//    matched as it travelled (mitmproxy's get_content(strict=False)). A streamed body was not
//    recorded and matches nothing.
//  - HttpFlow has no WebSocket messages, TCP flows or metadata yet: ~b does not look into
//    messages, ~tcp/~udp/~dns never match, ~meta sees empty metadata (so `~meta ""` matches).
//  - HttpFlow::isReplay is client replay (~replayq), HttpFlow::isServerReplay server replay
//    (~replays); ~replay matches either.

#include "filter/text_pattern.h"

#include <QStringView>
#include <span>
#include <vector>

namespace spyglass {
struct HttpFlow;
}

namespace spyglass::filter {

enum class NodeKind : quint8
{
    And, // every child
    Or,  // any child
    Not, // the one child does not match
    All,
    Asset,
    Body,
    BodyRequest,
    BodyResponse,
    Code,
    Comment,
    ContentType,
    ContentTypeRequest,
    ContentTypeResponse,
    Dns,
    Domain,
    Dst,
    Error,
    Header,
    HeaderRequest,
    HeaderResponse,
    Http,
    Marked,
    Marker,
    Meta,
    Method,
    NoResponse, // ~q
    Replay,
    ReplayClient,
    ReplayServer,
    HasResponse, // ~s
    Src,
    Tcp,
    Udp,
    Url,
    WebSocket,
};

enum class Argument : quint8
{
    None,
    Regex,
    StatusCode,
};

struct OperatorSpec
{
    const char* name; // without the '~'
    NodeKind kind;
    Argument argument;
    TextPattern::Flavor flavor;
    const char* help;
};

// Every operator, sorted by name.
std::span<const OperatorSpec> operatorSpecs();
// nullptr if there is no operator `name` (given without the '~'; names are case-sensitive).
const OperatorSpec* findOperator(QStringView name);

struct Node
{
    NodeKind kind = NodeKind::All;
    int statusCode = 0;         // Code
    TextPattern pattern;        // regex operators
    std::vector<Node> children; // And, Or (two or more), Not (one)
};

// Decoded bodies beyond this are matched as they travelled (a zip bomb must not stop a filter).
inline constexpr qint64 maxDecodedBody = 32 << 20;

bool evaluate(const Node& node, const HttpFlow& flow);

// Orders the children of every And/Or so that cheap tests (flags, numbers) run before regexes,
// and header and body regexes last. Evaluation has no side effects, so the order of the
// children never changes the result, only how soon And/Or can stop.
void orderCheapestFirst(Node& node);

} // namespace spyglass::filter

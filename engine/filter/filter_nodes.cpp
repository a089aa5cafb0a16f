#include "filter/filter_nodes.h"

#include "flow/flow.h"
#include "io/content_coding.h"

#include <QUrl>
#include <algorithm>

namespace spyglass::filter {

namespace {

using Flavor = TextPattern::Flavor;

// Sorted by name: findOperator() searches it by bisection.
constexpr OperatorSpec operatorTable[] = {
    {"a", NodeKind::Asset, Argument::None, Flavor::Plain,
     "Asset in the response: CSS, JavaScript, images, fonts (by Content-Type)"},
    {"all", NodeKind::All, Argument::None, Flavor::Plain, "Every flow"},
    {"b", NodeKind::Body, Argument::Regex, Flavor::DotAll,
     "Request or response body, decoded from its Content-Encoding; any TCP message"},
    {"bq", NodeKind::BodyRequest, Argument::Regex, Flavor::DotAll,
     "Request body; TCP messages from the client"},
    {"bs", NodeKind::BodyResponse, Argument::Regex, Flavor::DotAll,
     "Response body; TCP messages from the server"},
    {"c", NodeKind::Code, Argument::StatusCode, Flavor::Plain, "Response status code"},
    {"comment", NodeKind::Comment, Argument::Regex, Flavor::Multiline, "Flow comment"},
    {"d", NodeKind::Domain, Argument::Regex, Flavor::Plain,
     "Domain: the request's host or Host header"},
    {"dns", NodeKind::Dns, Argument::None, Flavor::Plain,
     "DNS flows (Spyglass records none yet: never matches)"},
    {"dst", NodeKind::Dst, Argument::Regex, Flavor::Plain, "Server address, as host:port"},
    {"e", NodeKind::Error, Argument::None, Flavor::Plain, "Flows that failed with an error"},
    {"h", NodeKind::Header, Argument::Regex, Flavor::Multiline,
     "Header line (\"name: value\") of the request or the response"},
    {"hq", NodeKind::HeaderRequest, Argument::Regex, Flavor::Multiline, "Request header line"},
    {"hs", NodeKind::HeaderResponse, Argument::Regex, Flavor::Multiline, "Response header line"},
    {"http", NodeKind::Http, Argument::None, Flavor::Plain, "HTTP flows"},
    {"m", NodeKind::Method, Argument::Regex, Flavor::Plain, "Request method"},
    {"marked", NodeKind::Marked, Argument::None, Flavor::Plain, "Marked flows"},
    {"marker", NodeKind::Marker, Argument::Regex, Flavor::Plain, "The marker of a marked flow"},
    {"meta", NodeKind::Meta, Argument::Regex, Flavor::Multiline,
     "Flow metadata, as \"key: value\" lines (empty until scripts can set it)"},
    {"q", NodeKind::NoResponse, Argument::None, Flavor::Plain, "Request without a response"},
    {"replay", NodeKind::Replay, Argument::None, Flavor::Plain, "Replayed flows"},
    {"replayq", NodeKind::ReplayClient, Argument::None, Flavor::Plain,
     "Replayed requests (client replay)"},
    {"replays", NodeKind::ReplayServer, Argument::None, Flavor::Plain,
     "Replayed responses (server replay)"},
    {"s", NodeKind::HasResponse, Argument::None, Flavor::Plain, "Flows with a response"},
    {"src", NodeKind::Src, Argument::Regex, Flavor::Plain, "Client address, as host:port"},
    {"t", NodeKind::ContentType, Argument::Regex, Flavor::Plain,
     "Content-Type of the request or the response"},
    {"tcp", NodeKind::Tcp, Argument::None, Flavor::Plain, "TCP flows"},
    {"tq", NodeKind::ContentTypeRequest, Argument::Regex, Flavor::Plain, "Request Content-Type"},
    {"ts", NodeKind::ContentTypeResponse, Argument::Regex, Flavor::Plain, "Response Content-Type"},
    {"u", NodeKind::Url, Argument::Regex, Flavor::Plain,
     "URL (a regex on its own, without an operator, means ~u)"},
    {"udp", NodeKind::Udp, Argument::None, Flavor::Plain,
     "UDP flows (Spyglass records none yet: never matches)"},
    {"websocket", NodeKind::WebSocket, Argument::None, Flavor::Plain,
     "WebSocket flows: the handshake was answered 101 with Upgrade: websocket"},
};

bool lessName(const OperatorSpec& spec, QStringView name)
{
    return QLatin1StringView(spec.name) < name;
}

// Scratch for subjects assembled from several fields (a header block, a URL, an address):
// one per thread, so the literal-word path of a filter allocates nothing once it is warm.
QByteArray& scratch()
{
    thread_local QByteArray buffer;
    buffer.resize(0); // keeps the capacity
    return buffer;
}

void appendNumber(QByteArray& out, quint32 n)
{
    char digits[10];
    int len = 0;
    do {
        digits[len++] = char('0' + n % 10);
        n /= 10;
    } while (n);
    while (len)
        out += digits[--len];
}

void appendHost(QByteArray& out, const QByteArray& host)
{
    if (host.contains(':')) {
        out += '[';
        out += host;
        out += ']';
    } else {
        out += host;
    }
}

// Address::toString() and Request::url(), written into `out`.
void appendAddress(QByteArray& out, const Address& a)
{
    appendHost(out, a.host);
    out += ':';
    appendNumber(out, a.port);
}

void appendUrl(QByteArray& out, const Request& r)
{
    if (r.isConnect()) {
        appendAddress(out, Address{r.host, r.port});
        return;
    }
    out += r.scheme;
    out += "://";
    appendHost(out, r.host);
    if (r.port != defaultPort(r.scheme)) {
        out += ':';
        appendNumber(out, r.port);
    }
    if (!r.path.isEmpty() && !r.path.startsWith('/'))
        out += '/';
    out += r.path;
}

// mitmproxy's bytes(headers): one "name: value" line per field, in order.
bool searchHeaders(const TextPattern& p, const Headers& headers)
{
    QByteArray& block = scratch();
    for (const Headers::Field& f : headers.fields()) {
        block += f.first;
        block += ": ";
        block += f.second;
        block += '\n';
    }
    return p.search(block);
}

bool searchContentType(const TextPattern& p, const Headers& headers)
{
    for (const Headers::Field& f : headers.fields())
        if (equalsIgnoreCase(f.first, "content-type") && p.search(f.second))
            return true;
    return false;
}

bool searchBody(const TextPattern& p, const BodyInfo& body, const Headers& headers)
{
    if (body.streamed)
        return false; // not recorded
    if (!headers.contains("content-encoding"))
        return p.search(body.content);
    const QList<QByteArray> codings = ContentCoding::parse(headers.joined("content-encoding"));
    if (!codings.isEmpty() && !body.content.isEmpty()) {
        if (const auto decoded = ContentCoding::decode(codings, body.content, maxDecodedBody))
            return p.search(*decoded);
    }
    return p.search(body.content);
}

// mitmproxy's ~b / ~bq / ~bs on a TCPFlow: any message (of one side), each on its own.
bool searchTcp(const TextPattern& p, const HttpFlow& f, bool client, bool server)
{
    if (!f.tcp)
        return false;
    for (const TcpMessage& m : f.tcp->messages)
        if ((m.fromClient ? client : server) && p.search(m.content))
            return true;
    return false;
}

bool isAsset(const Headers& headers)
{
    // mitmproxy's ASSET_TYPES, searched anywhere in the value as its regexes are.
    static const TextPattern types[] = {
        {QStringLiteral("text/javascript"), Flavor::Plain},
        {QStringLiteral("application/x-javascript"), Flavor::Plain},
        {QStringLiteral("application/javascript"), Flavor::Plain},
        {QStringLiteral("text/css"), Flavor::Plain},
        {QStringLiteral("image/"), Flavor::Plain},
        {QStringLiteral("font/"), Flavor::Plain},
        {QStringLiteral("application/font"), Flavor::Plain},
    };
    for (const TextPattern& t : types)
        if (searchContentType(t, headers))
            return true;
    return false;
}

bool searchDomain(const TextPattern& p, const Request& r)
{
    if (p.search(r.host))
        return true;
    const QByteArray hostHeader = r.hostHeader(); // shared with the headers: no copy
    if (!hostHeader.isEmpty() && hostHeader != r.host && p.search(hostHeader))
        return true;
    // Hosts travel in IDNA form and are shown in Unicode: a filter may name either. Whatever
    // the TLD (Qt only displays Unicode for a list of TLDs, against look-alike names: a filter
    // that names the Unicode form means it).
    if (r.host.contains("xn--"))
        return p.search(QStringView(QUrl::fromAce(r.host, QUrl::IgnoreIDNWhitelist)));
    return false;
}

bool searchAddress(const TextPattern& p, const Address& a)
{
    if (!a.isValid())
        return false;
    QByteArray& s = scratch();
    appendAddress(s, a);
    return p.search(s);
}

bool isWebSocket(const HttpFlow& f)
{
    return f.response && f.response->statusCode == 101 &&
           f.response->headers.hasToken("upgrade", "websocket");
}

int cost(const Node& n)
{
    switch (n.kind) {
    case NodeKind::And:
    case NodeKind::Or:
    case NodeKind::Not: {
        int c = 0;
        for (const Node& child : n.children)
            c = std::max(c, cost(child));
        return c;
    }
    case NodeKind::Header:
    case NodeKind::HeaderRequest:
    case NodeKind::HeaderResponse:
        return 2;
    case NodeKind::Body:
    case NodeKind::BodyRequest:
    case NodeKind::BodyResponse:
        return 3;
    case NodeKind::Asset:
    case NodeKind::Comment:
    case NodeKind::ContentType:
    case NodeKind::ContentTypeRequest:
    case NodeKind::ContentTypeResponse:
    case NodeKind::Domain:
    case NodeKind::Dst:
    case NodeKind::Marker:
    case NodeKind::Meta:
    case NodeKind::Method:
    case NodeKind::Src:
    case NodeKind::Url:
        return 1;
    default:
        return 0;
    }
}

} // namespace

std::span<const OperatorSpec> operatorSpecs()
{
    return operatorTable;
}

const OperatorSpec* findOperator(QStringView name)
{
    const auto* it =
        std::lower_bound(std::begin(operatorTable), std::end(operatorTable), name, lessName);
    if (it == std::end(operatorTable) || QLatin1StringView(it->name) != name)
        return nullptr;
    return it;
}

bool evaluate(const Node& n, const HttpFlow& f)
{
    switch (n.kind) {
    case NodeKind::And:
        for (const Node& c : n.children)
            if (!evaluate(c, f))
                return false;
        return true;
    case NodeKind::Or:
        for (const Node& c : n.children)
            if (evaluate(c, f))
                return true;
        return false;
    case NodeKind::Not:
        return !evaluate(n.children.front(), f);
    case NodeKind::All:
        return true;
    case NodeKind::Http:
        return f.kind == FlowKind::Http;
    case NodeKind::Tcp:
        return f.kind == FlowKind::Tcp;
    case NodeKind::Udp:
    case NodeKind::Dns:
        return false;
    case NodeKind::ReplayServer:
        return f.isServerReplay;
    case NodeKind::Asset:
        return f.response && isAsset(f.response->headers);
    case NodeKind::Body:
        if (f.kind == FlowKind::Tcp)
            return searchTcp(n.pattern, f, true, true);
        return searchBody(n.pattern, f.request.body, f.request.headers) ||
               (f.response && searchBody(n.pattern, f.response->body, f.response->headers));
    case NodeKind::BodyRequest:
        if (f.kind == FlowKind::Tcp)
            return searchTcp(n.pattern, f, true, false);
        return searchBody(n.pattern, f.request.body, f.request.headers);
    case NodeKind::BodyResponse:
        if (f.kind == FlowKind::Tcp)
            return searchTcp(n.pattern, f, false, true);
        return f.response && searchBody(n.pattern, f.response->body, f.response->headers);
    case NodeKind::Code:
        return f.response && f.response->statusCode == n.statusCode;
    case NodeKind::Comment:
        return n.pattern.search(QStringView(f.comment));
    case NodeKind::ContentType:
        return searchContentType(n.pattern, f.request.headers) ||
               (f.response && searchContentType(n.pattern, f.response->headers));
    case NodeKind::ContentTypeRequest:
        return searchContentType(n.pattern, f.request.headers);
    case NodeKind::ContentTypeResponse:
        return f.response && searchContentType(n.pattern, f.response->headers);
    case NodeKind::Domain:
        return f.kind == FlowKind::Http && searchDomain(n.pattern, f.request);
    case NodeKind::Dst:
        return searchAddress(n.pattern, f.server.peer);
    case NodeKind::Error:
        return f.error.has_value();
    case NodeKind::Header:
        return searchHeaders(n.pattern, f.request.headers) ||
               (f.response && searchHeaders(n.pattern, f.response->headers));
    case NodeKind::HeaderRequest:
        return searchHeaders(n.pattern, f.request.headers);
    case NodeKind::HeaderResponse:
        return f.response && searchHeaders(n.pattern, f.response->headers);
    case NodeKind::Marked:
        return !f.marked.isEmpty();
    case NodeKind::Marker:
        return n.pattern.search(QStringView(f.marked));
    case NodeKind::Meta:
        return n.pattern.search(QStringView()); // no metadata on flows yet
    case NodeKind::Method:
        return f.kind == FlowKind::Http && n.pattern.search(f.request.method);
    case NodeKind::NoResponse: // mitmproxy's ~q: an HTTP flow without a response
        return f.kind == FlowKind::Http && !f.response;
    case NodeKind::HasResponse:
        return f.response.has_value();
    case NodeKind::Replay:
        return f.isReplay || f.isServerReplay;
    case NodeKind::ReplayClient:
        return f.isReplay;
    case NodeKind::Src:
        return searchAddress(n.pattern, f.client.peer);
    case NodeKind::Url: {
        if (f.kind != FlowKind::Http)
            return false; // mitmproxy: only HTTP flows have a URL
        QByteArray& url = scratch();
        appendUrl(url, f.request);
        return n.pattern.search(url);
    }
    case NodeKind::WebSocket:
        return isWebSocket(f);
    }
    return false;
}

void orderCheapestFirst(Node& node)
{
    for (Node& c : node.children)
        orderCheapestFirst(c);
    if (node.kind == NodeKind::And || node.kind == NodeKind::Or)
        std::stable_sort(node.children.begin(), node.children.end(),
                         [](const Node& a, const Node& b) { return cost(a) < cost(b); });
}

} // namespace spyglass::filter

#pragma once
// Synthetic flows for the window tests: small, distinct by index, cheap to make a million of.
// Test-only, included by several ui tests, hence the inline bodies.

#include "flow/flow.h"

namespace spyglass::test {

// Flow number `i`: GET or POST (every third), host a<i%7>.example.com, path /item/<i>,
// answered 200 or 404 (every fifth) with a JSON or HTML body, finished.
inline FlowSnapshot uiFlow(int i, bool answered = true)
{
    auto f = std::make_shared<HttpFlow>();
    f->live = !answered;
    f->client.peer = {"127.0.0.1", quint16(40000 + i % 20000)};
    f->request.method = i % 3 == 2 ? "POST" : "GET";
    f->request.scheme = "https";
    f->request.host = "a" + QByteArray::number(i % 7) + ".example.com";
    f->request.port = 443;
    f->request.path = "/item/" + QByteArray::number(i);
    f->request.httpVersion = i % 2 ? "HTTP/2.0" : "HTTP/1.1";
    f->request.headers = {{"Host", f->request.host}, {"Accept", "*/*"}};
    f->request.timestampStart = 1767225600.0 + i * 0.25;
    f->request.timestampEnd = f->request.timestampStart;
    if (answered) {
        Response r;
        r.httpVersion = f->request.httpVersion;
        r.statusCode = i % 5 == 4 ? 404 : 200;
        r.reason = r.statusCode == 200 ? "OK" : "Not Found";
        const bool json = i % 2 == 0;
        r.headers = {{"Content-Type", json ? "application/json; charset=utf-8" : "text/html"}};
        r.body.content = json ? "{\"item\": " + QByteArray::number(i) + "}"
                              : "<p>item " + QByteArray::number(i) + "</p>";
        r.body.size = r.body.content.size();
        r.timestampStart = f->request.timestampStart + 0.010;
        r.timestampEnd = f->request.timestampStart + 0.042;
        f->response = std::move(r);
    }
    return f;
}

// The same flow (same id) with its response: what the engine publishes when a live one ends.
inline FlowSnapshot answered(const FlowSnapshot& live, int i)
{
    auto f = std::make_shared<HttpFlow>(*uiFlow(i, true));
    f->id = live->id;
    return f;
}

} // namespace spyglass::test

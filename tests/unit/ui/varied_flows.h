#pragma once
// Flows of every kind the flow list tells apart, for the filter and sort tests: the synthetic
// ones of synthetic_flows.h plus errors, live ones, raw TCP, WebSocket upgrades, replays,
// CONNECT, IDNA hosts, non-default ports, a Host header unlike the host. Test-only, inline.

#include "synthetic_flows.h"

namespace spyglass::test {

inline FlowSnapshot variedFlow(int i)
{
    auto f = std::make_shared<HttpFlow>(*uiFlow(i, i % 11 != 10));
    switch (i % 13) {
    case 1:
        f->error = FlowError{QStringLiteral("connection reset"), f->request.timestampStart + 1};
        f->response.reset();
        f->live = false;
        break;
    case 3:
        f->kind = FlowKind::Tcp;
        f->request = Request();
        f->response.reset();
        f->server.peer = {"10.0.0." + QByteArray::number(i % 5), 5432};
        f->client.timestampStart = 1767225600.0 + i * 0.25;
        f->tcp = std::make_shared<TcpData>();
        break;
    case 5:
        if (f->response) {
            f->response->statusCode = 101;
            f->response->headers = {{"Upgrade", "websocket"}, {"Connection", "Upgrade"}};
        }
        break;
    case 6:
        f->isReplay = true;
        break;
    case 7:
        f->request.method = "CONNECT";
        f->request.path = f->request.host + ":443";
        break;
    case 8:
        f->request.host = "xn--bcher-kva.example";
        f->request.port = 8443;
        break;
    case 9:
        f->request.headers = {{"Host", "other.example.org"}};
        break;
    case 12:
        f->request.scheme = "http";
        f->request.port = 80;
        f->client.tls = true;
        f->client.tlsVersion = "TLSv1.3";
        break;
    default:
        break;
    }
    return f;
}

} // namespace spyglass::test

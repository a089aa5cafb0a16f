#pragma once
// Flows and options for the addon tests: a request as the HTTP layer would hand it to the
// `request` hook, a response as it would reach `response`.

#include "flow/flow.h"
#include "options/option_registry.h"
#include "options/options.h"

#include <QStringList>
#include <QtTest>

namespace spyglass::test {

inline HttpFlow requestFlow(const QByteArray& url, const QByteArray& method = "GET")
{
    HttpFlow f;
    f.request.method = method;
    f.request.httpVersion = "HTTP/1.1";
    f.request.setUrl(url);
    QByteArray host = f.request.host;
    if (f.request.port != defaultPort(f.request.scheme))
        host += ':' + QByteArray::number(f.request.port);
    f.request.headers.add("Host", host);
    f.client.peer = {"127.0.0.1", 50000};
    return f;
}

inline void addResponse(HttpFlow& f, int status, const QByteArray& body, const Headers& extra = {})
{
    Response r = Response::make(status, body);
    for (const auto& [n, v] : extra.fields())
        r.headers.add(n, v);
    f.response = r;
}

// Options after `--set` of each assignment; fails the test on a parse error.
inline Options optionsWith(const QStringList& assignments)
{
    Options o;
    for (const QString& a : assignments) {
        const QString err = OptionRegistry::apply(o, a);
        if (!err.isEmpty())
            qFatal("%s", qPrintable(err));
    }
    return o;
}

// The error `--set assignment` gives ("" when it parses).
inline QString setError(const QString& assignment)
{
    Options o;
    return OptionRegistry::apply(o, assignment);
}

} // namespace spyglass::test

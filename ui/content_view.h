#pragma once
// Content views, mitmproxy's `contentviews`: ways to show a body, each saying how well it fits
// a given body, so the detail pane can pick the best one ("Auto") and offer the others.
//
//   JSON, JSON tree   application/json, anything +json, or a body that tokenises as JSON
//   XML, HTML         pretty-printed markup (text_formatters.h)
//   Form              application/x-www-form-urlencoded, as name: value lines
//   Multipart         multipart/form-data parts: name, file name, type, value or size
//   Query             the request URL's query parameters
//   Image             image/* that Qt can decode
//   Raw, Hex          always
//
// Rendering is bounded: a view works on at most `limit` bytes of the body and says so, so a
// body of many megabytes costs the window milliseconds, not seconds.

#include <QByteArray>
#include <QCoreApplication>
#include <QImage>
#include <QList>
#include <QString>

namespace spyglass {

struct ContentInput
{
    QByteArray data;        // the body, already content-decoded
    QByteArray contentType; // the whole header value, parameters included
    QByteArray query;       // requests: the URL's query (after '?'), else empty
};

struct ContentOutput
{
    QString text;        // every view but Image and JSON tree
    QImage image;        // Image
    QString note;        // what the view made of it ("PNG, 640 × 480", "3 parts")
    bool cut = false;    // only the first `limit` bytes were used
    bool failed = false; // the view could not read this body (shown as raw text instead)
};

class ContentView
{
    Q_DECLARE_TR_FUNCTIONS(spyglass::ContentView)
public:
    enum class Id
    {
        Json,
        JsonTree,
        Xml,
        Html,
        Form,
        Multipart,
        Query,
        Image,
        Raw,
        Hex
    };

    static QString name(Id id);
    // The views that fit `input`, best first; Raw and Hex are always there (last).
    static QList<Id> applicable(const ContentInput& input);
    // What "Auto" shows.
    static Id best(const ContentInput& input);
    static ContentOutput render(Id id, const ContentInput& input, qsizetype limit);

    // "text/html" out of "Text/HTML; charset=utf-8".
    static QByteArray mediaType(const QByteArray& contentType);
    // A parameter of a header value: param("multipart/form-data; boundary=x", "boundary").
    static QByteArray parameter(const QByteArray& headerValue, const QByteArray& name);
    // Mostly printable UTF-8 (a body a person would read as text).
    static bool looksLikeText(QByteArrayView data);
    // "offset  16 hex bytes  ASCII" lines for the first `limit` bytes.
    static QString hexDump(QByteArrayView data, qsizetype limit);

private:
    static int fit(Id id, const ContentInput& input);
};

} // namespace spyglass

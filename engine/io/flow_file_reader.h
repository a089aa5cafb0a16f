#pragma once
// One way in for every capture file we can open: `-r FILE` of spyglass-dump and Open in the
// window. The format is told from the content, not the file name (exports get renamed):
//
//   "SPYGLASS-SESSION" at byte 0          our session (SessionReader)
//   '{' (after a BOM and white space)     HAR (HarReader; it wants log.entries)
//   '['                                   Charles JSON session (CharlesReader)
//   ASCII digits then ':'                 mitmproxy flow file (MitmproxyReader)
//
// Our sessions stream (stream(): one flow in memory at a time); the other formats are read
// whole, then handed over one by one. An empty file is zero flows with a warning (mitmdump -w
// writes nothing when nothing passed). Whatever goes wrong is one error naming the file.

#include "flow/flow.h"

#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>
#include <functional>

namespace spyglass {

class FlowFileReader
{
public:
    enum class Format : quint8
    {
        Unknown,
        Empty,
        Session,
        Har,
        Charles,
        Mitmproxy,
    };

    struct Result
    {
        QList<HttpFlow> flows; // readAll() only
        QStringList warnings;
        QString error; // the file (or part of it) could not be read
        Format format = Format::Unknown;

        bool ok() const { return error.isEmpty(); }
    };

    using FlowCallback = std::function<bool(HttpFlow&& flow)>;

    // The format of a file that starts with `head` (a few hundred bytes are plenty).
    static Format detect(QByteArrayView head);
    static QString formatName(Format format);

    // Every flow of the file. A session keeps the last record of each flow id.
    static Result readAll(const QString& path);
    // Each flow in file order; return false from `onFlow` to stop. Session files are
    // streamed, with a flow that was appended more than once delivered more than once.
    static Result stream(const QString& path, const FlowCallback& onFlow);
};

} // namespace spyglass

#pragma once
// One way out for every capture format we can save, the counterpart of FlowFileReader: the
// window's Save As… and "Save selected / filtered flows…" go through it.
//
//   Session     .spyglass          our session (SessionWriter), the default
//   Har         .har               HAR 1.2 (HarWriter)
//   Mitmproxy   .mitm .flows .flow .dump   mitmproxy flow file, format 17 (MitmproxyWriter)
//   Charles     .chlsj             Charles JSON session (CharlesWriter; raw TCP flows left out)
//
// The format is told from the file name (formatForPath); callers that know it (a file
// dialog's chosen filter) pass it. FlowFileReader opens every one of them again.

#include "flow/flow.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <functional>

namespace spyglass {

class FlowFileWriter
{
public:
    enum class Format : quint8
    {
        Session,
        Har,
        Mitmproxy,
        Charles,
    };
    static constexpr Format AllFormats[] = {Format::Session, Format::Har, Format::Mitmproxy,
                                            Format::Charles};

    // By extension, case-insensitively; Session for anything else.
    static Format formatForPath(const QString& path);
    // Whether `path` ends in one of `format`'s extensions.
    static bool hasExtension(const QString& path, Format format);
    // "Spyglass session", "HAR", "mitmproxy flows", "Charles JSON session" (English; the
    // window translates its own labels).
    static QString formatName(Format format);
    // The extensions, preferred first, without the dot ("mitm", "flows", ...).
    static QStringList extensions(Format format);
    // "*.mitm *.flows ..." for a file dialog's filter.
    static QString patterns(Format format);

    // Writes flows 0 <= i < count, asked for as they are written and dropped after use
    // (FlowStore::at fits; `flowAt` must give a flow for every i). Returns an empty string or
    // an error naming the file.
    using FlowAt = std::function<FlowSnapshot(qsizetype)>;
    static QString write(const QString& path, Format format, qsizetype count, const FlowAt& flowAt);
    static QString write(const QString& path, Format format, const QList<HttpFlow>& flows);
};

} // namespace spyglass

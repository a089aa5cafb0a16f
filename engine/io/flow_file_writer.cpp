#include "io/flow_file_writer.h"

#include "io/charles_writer.h"
#include "io/har_writer.h"
#include "io/mitmproxy_writer.h"
#include "io/session_writer.h"

namespace spyglass {

QStringList FlowFileWriter::extensions(Format format)
{
    switch (format) {
    case Format::Session:
        return {QStringLiteral("spyglass")};
    case Format::Har:
        return {QStringLiteral("har")};
    case Format::Mitmproxy:
        return {QStringLiteral("mitm"), QStringLiteral("flows"), QStringLiteral("flow"),
                QStringLiteral("dump")};
    case Format::Charles:
        return {QStringLiteral("chlsj")};
    }
    return {};
}

bool FlowFileWriter::hasExtension(const QString& path, Format format)
{
    for (const QString& ext : extensions(format)) {
        if (path.endsWith(QLatin1Char('.') + ext, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

FlowFileWriter::Format FlowFileWriter::formatForPath(const QString& path)
{
    for (Format f : AllFormats) {
        if (hasExtension(path, f))
            return f;
    }
    return Format::Session;
}

QString FlowFileWriter::formatName(Format format)
{
    switch (format) {
    case Format::Session:
        return QStringLiteral("Spyglass session");
    case Format::Har:
        return QStringLiteral("HAR");
    case Format::Mitmproxy:
        return QStringLiteral("mitmproxy flows");
    case Format::Charles:
        return QStringLiteral("Charles JSON session");
    }
    return {};
}

QString FlowFileWriter::patterns(Format format)
{
    QStringList p;
    for (const QString& ext : extensions(format))
        p.append(QStringLiteral("*.") + ext);
    return p.join(QLatin1Char(' '));
}

QString FlowFileWriter::write(const QString& path, Format format, qsizetype count,
                              const FlowAt& flowAt)
{
    switch (format) {
    case Format::Har:
        return HarWriter::write(path, count, flowAt);
    case Format::Mitmproxy:
        return MitmproxyWriter::write(path, count, flowAt);
    case Format::Charles:
        return CharlesWriter::write(path, count, flowAt);
    case Format::Session:
        break;
    }
    SessionWriter writer;
    if (QString err = writer.open(path); !err.isEmpty())
        return err;
    for (qsizetype i = 0; i < count; ++i) {
        const FlowSnapshot f = flowAt(i);
        if (!f)
            continue;
        if (QString err = writer.append(*f); !err.isEmpty())
            return err;
    }
    writer.close();
    return {};
}

QString FlowFileWriter::write(const QString& path, Format format, const QList<HttpFlow>& flows)
{
    return write(path, format, flows.size(), [&flows](qsizetype i) {
        // Aliasing, not copying: the list outlives the call.
        return FlowSnapshot(FlowSnapshot(), &flows[i]);
    });
}

} // namespace spyglass

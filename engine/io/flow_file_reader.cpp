#include "io/flow_file_reader.h"

#include "io/charles_reader.h"
#include "io/har_reader.h"
#include "io/mitmproxy_reader.h"
#include "io/session_format.h"
#include "io/session_reader.h"

#include <QDir>
#include <QFile>

namespace spyglass {

namespace {

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// The first bytes of a file, enough for detect(); an error message if it cannot be read.
QString readHead(const QString& path, QByteArray& head)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), file.errorString());
    head = file.read(4096);
    return {};
}

template <typename R> FlowFileReader::Result from(R&& r, FlowFileReader::Format format)
{
    FlowFileReader::Result out;
    out.flows = std::move(r.flows);
    out.warnings = std::move(r.warnings);
    out.error = std::move(r.error);
    out.format = format;
    return out;
}

FlowFileReader::Result readOther(const QString& path, FlowFileReader::Format format)
{
    using Format = FlowFileReader::Format;
    switch (format) {
    case Format::Har:
        return from(HarReader::read(path), format);
    case Format::Charles:
        return from(CharlesReader::read(path), format);
    case Format::Mitmproxy:
        return from(MitmproxyReader::read(path), format);
    case Format::Empty: {
        FlowFileReader::Result r;
        r.format = format;
        r.warnings.append(
            QStringLiteral("%1: the file is empty").arg(QDir::toNativeSeparators(path)));
        return r;
    }
    case Format::Session:
    case Format::Unknown:
        break;
    }
    FlowFileReader::Result r;
    r.error = QStringLiteral("%1: not a capture this can read (expected a Spyglass session, "
                             "HAR, a Charles JSON session or a mitmproxy flow file)")
                  .arg(QDir::toNativeSeparators(path));
    return r;
}

void keepSessionResult(const SessionReader::Result& s, FlowFileReader::Result& r)
{
    r.warnings = s.warnings;
    r.error = s.errors.join(QStringLiteral("; "));
}

} // namespace

FlowFileReader::Format FlowFileReader::detect(QByteArrayView head)
{
    if (head.startsWith(SessionFormat::magic))
        return Format::Session;
    qsizetype i = 0;
    if (head.startsWith("\xEF\xBB\xBF"))
        i = 3;
    while (i < head.size() && isSpace(head[i]))
        ++i;
    if (i >= head.size())
        return head.isEmpty() ? Format::Empty : Format::Unknown;
    const char c = head[i];
    if (c == '{')
        return Format::Har;
    if (c == '[')
        return Format::Charles;
    if (c >= '0' && c <= '9') {
        qsizetype j = i;
        while (j < head.size() && j - i <= 12 && head[j] >= '0' && head[j] <= '9')
            ++j;
        if (j < head.size() && head[j] == ':')
            return Format::Mitmproxy;
    }
    return Format::Unknown;
}

QString FlowFileReader::formatName(Format format)
{
    switch (format) {
    case Format::Empty:
        return QStringLiteral("empty file");
    case Format::Session:
        return QStringLiteral("Spyglass session");
    case Format::Har:
        return QStringLiteral("HAR");
    case Format::Charles:
        return QStringLiteral("Charles JSON session");
    case Format::Mitmproxy:
        return QStringLiteral("mitmproxy flows");
    case Format::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

FlowFileReader::Result FlowFileReader::readAll(const QString& path)
{
    QByteArray head;
    if (QString err = readHead(path, head); !err.isEmpty()) {
        Result r;
        r.error = std::move(err);
        return r;
    }
    const Format format = detect(head);
    if (format != Format::Session)
        return readOther(path, format);
    SessionReader::Result s = SessionReader::readAll(path);
    Result r;
    r.format = format;
    keepSessionResult(s, r);
    r.flows = std::move(s.flows);
    return r;
}

FlowFileReader::Result FlowFileReader::stream(const QString& path, const FlowCallback& onFlow)
{
    QByteArray head;
    if (QString err = readHead(path, head); !err.isEmpty()) {
        Result r;
        r.error = std::move(err);
        return r;
    }
    const Format format = detect(head);
    Result r;
    if (format == Format::Session) {
        r.format = format;
        keepSessionResult(SessionReader::stream(path, onFlow), r);
        return r;
    }
    r = readOther(path, format);
    if (!r.ok())
        return r;
    QList<HttpFlow> flows = std::move(r.flows);
    r.flows.clear();
    for (HttpFlow& f : flows) {
        if (!onFlow(std::move(f)))
            break;
    }
    return r;
}

} // namespace spyglass

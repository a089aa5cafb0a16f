#include "content_view.h"

#include "text_formatters.h"

#include <QBuffer>
#include <QImageReader>
#include <QLocale>
#include <QStringDecoder>

#include <algorithm>

namespace spyglass {

namespace {

constexpr int kNoFit = 0;
constexpr int kMaybe = 1;    // offered, not chosen by Auto over a better one
constexpr int kSniffed = 2;  // the bytes look like it
constexpr int kDeclared = 3; // the Content-Type says so

bool isJsonType(const QByteArray& type)
{
    return type == "application/json" || type == "text/json" || type.endsWith("+json") ||
           type == "application/x-ndjson";
}

bool isXmlType(const QByteArray& type)
{
    return type == "application/xml" || type == "text/xml" || type.endsWith("+xml");
}

QByteArrayView leading(QByteArrayView data)
{
    qsizetype i = 0;
    while (i < data.size() &&
           (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t'))
        ++i;
    return data.sliced(i, qMin<qsizetype>(data.size() - i, 64));
}

QString sizeText(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

QString textOf(QByteArrayView data)
{
    return QString::fromUtf8(data.data(), data.size());
}

} // namespace

QByteArray ContentView::mediaType(const QByteArray& contentType)
{
    const qsizetype semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.left(semi)).trimmed().toLower();
}

QByteArray ContentView::parameter(const QByteArray& headerValue, const QByteArray& name)
{
    const QList<QByteArray> parts = headerValue.split(';');
    for (qsizetype i = 1; i < parts.size(); ++i) {
        const QByteArray part = parts[i].trimmed();
        const qsizetype eq = part.indexOf('=');
        if (eq <= 0 || part.left(eq).trimmed().toLower() != name.toLower())
            continue;
        QByteArray value = part.mid(eq + 1).trimmed();
        if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"'))
            value = value.mid(1, value.size() - 2);
        return value;
    }
    return {};
}

bool ContentView::looksLikeText(QByteArrayView data)
{
    const QByteArrayView sample = data.first(qMin<qsizetype>(data.size(), 4096));
    qsizetype control = 0;
    for (const char c : sample) {
        const auto u = uchar(c);
        if (u == 0)
            return false;
        if (u < 0x20 && c != '\n' && c != '\r' && c != '\t')
            ++control;
    }
    if (control * 20 > sample.size())
        return false;
    // Valid UTF-8, allowing a sequence cut at the end of the sample.
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString decoded = utf8(sample.first(qMax<qsizetype>(0, sample.size() - 3)));
    return !utf8.hasError() && !decoded.contains(QChar::ReplacementCharacter);
}

QString ContentView::name(Id id)
{
    switch (id) {
    case Id::Json:
        return tr("JSON");
    case Id::JsonTree:
        return tr("JSON tree");
    case Id::Xml:
        return tr("XML");
    case Id::Html:
        return tr("HTML");
    case Id::Form:
        return tr("Form");
    case Id::Multipart:
        return tr("Multipart form");
    case Id::Query:
        return tr("Query");
    case Id::Image:
        return tr("Image");
    case Id::Raw:
        return tr("Raw");
    case Id::Hex:
        return tr("Hex");
    }
    return {};
}

int ContentView::fit(Id id, const ContentInput& in)
{
    const QByteArray type = mediaType(in.contentType);
    const QByteArrayView head = leading(in.data);
    switch (id) {
    case Id::Json:
    case Id::JsonTree:
        if (in.data.isEmpty())
            return kNoFit;
        if (isJsonType(type))
            return id == Id::Json ? kDeclared : kMaybe;
        if ((head.startsWith('{') || head.startsWith('[')) &&
            text::looksLikeJson(
                QByteArrayView(in.data).first(qMin<qsizetype>(in.data.size(), 1 << 20))))
            return id == Id::Json ? kSniffed : kMaybe;
        return kNoFit;
    case Id::Xml:
        if (in.data.isEmpty())
            return kNoFit;
        if (isXmlType(type))
            return kDeclared;
        return head.startsWith("<?xml") ? kSniffed : kNoFit;
    case Id::Html: {
        if (in.data.isEmpty())
            return kNoFit;
        if (type == "text/html" || type == "application/xhtml+xml")
            return kDeclared;
        const QByteArray lower = head.toByteArray().toLower();
        return lower.startsWith("<!doctype html") || lower.startsWith("<html") ? kSniffed : kNoFit;
    }
    case Id::Form:
        return !in.data.isEmpty() && type == "application/x-www-form-urlencoded" ? kDeclared
                                                                                 : kNoFit;
    case Id::Multipart:
        return !in.data.isEmpty() && type == "multipart/form-data" &&
                       !parameter(in.contentType, "boundary").isEmpty()
                   ? kDeclared
                   : kNoFit;
    case Id::Query:
        if (in.query.isEmpty())
            return kNoFit;
        return in.data.isEmpty() ? kSniffed : kMaybe;
    case Id::Image:
        if (in.data.isEmpty() || !type.startsWith("image/") || type == "image/svg+xml")
            return kNoFit;
        return kDeclared;
    case Id::Raw:
    case Id::Hex:
        return kMaybe;
    }
    return kNoFit;
}

QList<ContentView::Id> ContentView::applicable(const ContentInput& input)
{
    static const Id order[] = {Id::Json, Id::JsonTree,  Id::Xml,   Id::Html,
                               Id::Form, Id::Multipart, Id::Query, Id::Image};
    QList<QPair<int, Id>> ranked;
    for (const Id id : order)
        if (const int f = fit(id, input); f > kNoFit)
            ranked.append({f, id});
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    QList<Id> ids;
    for (const auto& r : ranked)
        ids.append(r.second);
    ids.append(Id::Raw);
    ids.append(Id::Hex);
    return ids;
}

ContentView::Id ContentView::best(const ContentInput& input)
{
    const QList<Id> ids = applicable(input);
    if (fit(ids.first(), input) > kMaybe)
        return ids.first();
    return input.data.isEmpty() || looksLikeText(input.data) ? Id::Raw : Id::Hex;
}

ContentOutput ContentView::render(Id id, const ContentInput& in, qsizetype limit)
{
    ContentOutput out;
    const QByteArrayView data = QByteArrayView(in.data).first(qMin(in.data.size(), limit));
    out.cut = data.size() < in.data.size();
    switch (id) {
    case Id::Json:
        out.text = text::prettyJson(data);
        break;
    case Id::JsonTree: // built by the widget (json_tree_view.h); the text is the fallback
        out.text = text::prettyJson(data);
        break;
    case Id::Xml:
        out.text = text::prettyMarkup(data, false);
        break;
    case Id::Html:
        out.text = text::prettyMarkup(data, true);
        break;
    case Id::Form: {
        const auto pairs = text::decodeUrlEncoded(data);
        out.text = text::alignedPairs(pairs);
        out.note = tr("%n field(s)", nullptr, int(pairs.size()));
        break;
    }
    case Id::Query: {
        const auto pairs = text::decodeUrlEncoded(in.query);
        out.text = text::alignedPairs(pairs);
        out.note = tr("%n query parameter(s)", nullptr, int(pairs.size()));
        break;
    }
    case Id::Multipart: {
        const QByteArray delimiter = "--" + parameter(in.contentType, "boundary");
        QList<QPair<QString, QString>> rows;
        qsizetype pos = QByteArrayView(data).indexOf(delimiter);
        int parts = 0;
        while (pos >= 0) {
            qsizetype start = pos + delimiter.size();
            if (QByteArrayView(data).sliced(start).startsWith("--"))
                break; // the closing delimiter
            start = QByteArrayView(data).indexOf("\r\n", start);
            if (start < 0)
                break;
            start += 2;
            const qsizetype next = QByteArrayView(data).indexOf("\r\n" + delimiter, start);
            const qsizetype end = next < 0 ? data.size() : next;
            const QByteArrayView part = data.sliced(start, end - start);
            const qsizetype blank = part.indexOf("\r\n\r\n");
            const QByteArrayView head = blank < 0 ? part : part.first(blank);
            const QByteArrayView body = blank < 0 ? QByteArrayView() : part.sliced(blank + 4);
            QByteArray disposition;
            QByteArray partType;
            for (const QByteArray& line : head.toByteArray().split('\n')) {
                const qsizetype colon = line.indexOf(':');
                if (colon < 0)
                    continue;
                const QByteArray field = line.left(colon).trimmed().toLower();
                if (field == "content-disposition")
                    disposition = line.mid(colon + 1).trimmed();
                else if (field == "content-type")
                    partType = line.mid(colon + 1).trimmed();
            }
            ++parts;
            QString label = QString::fromUtf8(parameter(disposition, "name"));
            const QByteArray file = parameter(disposition, "filename");
            QString value;
            if (!file.isNull()) {
                value = tr("file \"%1\", %2, %3")
                            .arg(QString::fromUtf8(file),
                                 partType.isEmpty() ? QStringLiteral("application/octet-stream")
                                                    : QString::fromLatin1(partType),
                                 sizeText(body.size()));
            } else if (looksLikeText(body) && body.size() <= 4096) {
                value = textOf(body);
            } else {
                value = tr("%1 of binary data").arg(sizeText(body.size()));
            }
            rows.append({label.isEmpty() ? tr("(part %1)").arg(parts) : label, value});
            if (next < 0)
                break;
            pos = next + 2;
        }
        out.text = text::alignedPairs(rows);
        out.note = tr("%n part(s)", nullptr, parts);
        break;
    }
    case Id::Image: {
        QByteArray bytes = in.data; // decoded whole: an image is not shown in part
        QBuffer buffer(&bytes);
        QImageReader reader(&buffer);
        const QByteArray format = reader.format();
        out.image = reader.read();
        out.cut = false;
        if (out.image.isNull()) {
            out.failed = true;
            out.note = tr("not an image Qt can read: %1").arg(reader.errorString());
            out.text = hexDump(data, limit);
        } else {
            out.note = tr("%1, %2 × %3 pixels")
                           .arg(QString::fromLatin1(format.toUpper()))
                           .arg(out.image.width())
                           .arg(out.image.height());
        }
        break;
    }
    case Id::Raw:
        out.text = textOf(data);
        break;
    case Id::Hex:
        out.text = hexDump(data, limit);
        break;
    }
    return out;
}

QString ContentView::hexDump(QByteArrayView data, qsizetype limit)
{
    static const char digits[] = "0123456789abcdef";
    const qsizetype n = qMin(data.size(), limit);
    QString out;
    out.reserve((n / 16 + 1) * 78);
    for (qsizetype line = 0; line < n; line += 16) {
        out += QStringLiteral("%1  ").arg(line, 8, 16, QLatin1Char('0'));
        for (qsizetype i = 0; i < 16; ++i) {
            if (line + i < n) {
                const auto b = uchar(data[line + i]);
                out += QLatin1Char(digits[b >> 4]);
                out += QLatin1Char(digits[b & 15]);
                out += QLatin1Char(' ');
            } else {
                out += QStringLiteral("   ");
            }
            if (i == 7)
                out += QLatin1Char(' ');
        }
        out += QLatin1Char(' ');
        for (qsizetype i = 0; i < 16 && line + i < n; ++i) {
            const auto b = uchar(data[line + i]);
            out += (b >= 0x20 && b < 0x7f) ? QLatin1Char(char(b)) : QLatin1Char(char('.'));
        }
        out += QLatin1Char('\n');
    }
    return out;
}

} // namespace spyglass

#include "text_formatters.h"

#include <QUrl>

namespace spyglass::text {

namespace {

void newline(QString& out, int depth)
{
    out += QLatin1Char('\n');
    out += QString(depth * 2, QLatin1Char(' '));
}

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Index just past the JSON string that starts at `i` (a quote), or data.size() if unterminated.
qsizetype skipString(QByteArrayView data, qsizetype i)
{
    for (++i; i < data.size(); ++i) {
        if (data[i] == '\\')
            ++i;
        else if (data[i] == '"')
            return i + 1;
    }
    return data.size();
}

} // namespace

QString prettyJson(QByteArrayView json)
{
    QByteArray out;
    out.reserve(json.size() + json.size() / 2);
    int depth = 0;
    auto indent = [&](int d) {
        out += '\n';
        out.append(QByteArray(qMax(d, 0) * 2, ' '));
    };
    for (qsizetype i = 0; i < json.size();) {
        const char c = json[i];
        if (isSpace(c)) {
            ++i;
            continue;
        }
        if (c == '"') {
            const qsizetype end = skipString(json, i);
            out.append(json.data() + i, end - i);
            i = end;
            continue;
        }
        if (c == '{' || c == '[') {
            // An empty container stays "{}" / "[]".
            qsizetype j = i + 1;
            while (j < json.size() && isSpace(json[j]))
                ++j;
            const char close = c == '{' ? '}' : ']';
            if (j < json.size() && json[j] == close) {
                out += c;
                out += close;
                i = j + 1;
                continue;
            }
            out += c;
            indent(++depth);
            ++i;
            continue;
        }
        if (c == '}' || c == ']') {
            indent(--depth);
            out += c;
            ++i;
            continue;
        }
        if (c == ',') {
            out += ',';
            indent(depth);
            ++i;
            continue;
        }
        if (c == ':') {
            out += ": ";
            ++i;
            continue;
        }
        // A literal (number, true, false, null) or stray bytes: copied up to the next token.
        qsizetype j = i;
        while (j < json.size() && !isSpace(json[j]) &&
               !QByteArrayView("{}[],:\"").contains(json[j]))
            ++j;
        out.append(json.data() + i, j - i);
        i = j;
    }
    return QString::fromUtf8(out);
}

bool looksLikeJson(QByteArrayView data)
{
    qsizetype i = 0;
    while (i < data.size() && isSpace(data[i]))
        ++i;
    if (i >= data.size() || (data[i] != '{' && data[i] != '['))
        return false;
    // Tokenise: balanced brackets, strings closed, literals from JSON's alphabet only.
    int depth = 0;
    for (; i < data.size(); ++i) {
        const char c = data[i];
        if (isSpace(c) || c == ',' || c == ':')
            continue;
        if (c == '"') {
            const qsizetype end = skipString(data, i);
            if (end >= data.size() && data.back() != '"')
                return false;
            i = end - 1;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            if (--depth < 0)
                return false;
        } else if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' ||
                     QByteArrayView("truefalsnE").contains(c))) {
            return false;
        }
    }
    return depth == 0;
}

QString prettyMarkup(QByteArrayView markup, bool html)
{
    static const QList<QByteArray> voidElements = {"area",  "base",   "br",    "col",  "embed",
                                                   "hr",    "img",    "input", "link", "meta",
                                                   "param", "source", "track", "wbr"};
    static const QList<QByteArray> rawElements = {"script", "style", "pre", "textarea"};

    QString out;
    out.reserve(int(markup.size() + markup.size() / 4));
    int depth = 0;
    bool first = true;
    auto line = [&](QByteArrayView text) {
        if (!first)
            newline(out, depth);
        first = false;
        out += QString::fromUtf8(text.data(), text.size());
    };
    auto tagName = [](QByteArrayView tag) {
        qsizetype s = 1;
        if (s < tag.size() && tag[s] == '/')
            ++s;
        qsizetype e = s;
        while (e < tag.size() && !isSpace(tag[e]) && tag[e] != '>' && tag[e] != '/')
            ++e;
        return tag.sliced(s, e - s).toByteArray().toLower();
    };

    qsizetype i = 0;
    while (i < markup.size()) {
        if (markup[i] != '<') {
            qsizetype end = markup.indexOf('<', i);
            if (end < 0)
                end = markup.size();
            const QByteArrayView text = markup.sliced(i, end - i).trimmed();
            if (!text.isEmpty())
                line(text);
            i = end;
            continue;
        }
        // Comments, CDATA, doctype and processing instructions end at their own terminator.
        qsizetype end;
        if (markup.sliced(i).startsWith("<!--"))
            end = markup.indexOf("-->", i + 4) + 3;
        else if (markup.sliced(i).startsWith("<![CDATA["))
            end = markup.indexOf("]]>", i + 9) + 3;
        else {
            // A '>' inside a quoted attribute value does not end the tag.
            char quote = 0;
            end = -1;
            for (qsizetype j = i + 1; j < markup.size(); ++j) {
                const char c = markup[j];
                if (quote) {
                    if (c == quote)
                        quote = 0;
                } else if (c == '"' || c == '\'') {
                    quote = c;
                } else if (c == '>') {
                    end = j + 1;
                    break;
                }
            }
        }
        if (end <= i) // unterminated: the rest as it is
            end = markup.size();
        const QByteArrayView tag = markup.sliced(i, end - i);
        i = end;
        if (tag.size() < 2 || tag[1] == '!' || tag[1] == '?') {
            line(tag);
            continue;
        }
        const QByteArray name = tagName(tag);
        if (tag[1] == '/') {
            --depth;
            if (depth < 0)
                depth = 0;
            line(tag);
            continue;
        }
        line(tag);
        const bool selfClosing = tag.size() >= 2 && tag[tag.size() - 2] == '/';
        if (selfClosing || (html && voidElements.contains(name)))
            continue;
        if (html && rawElements.contains(name)) {
            // Content verbatim up to the matching end tag.
            const QByteArray closing = "</" + name;
            qsizetype close = i;
            while (true) {
                close = markup.indexOf(closing, close);
                if (close < 0 ||
                    markup.sliced(close, closing.size()).toByteArray().toLower() == closing)
                    break;
                ++close;
            }
            if (close < 0)
                close = markup.size();
            const QByteArrayView content = markup.sliced(i, close - i);
            if (!content.trimmed().isEmpty()) {
                out += QLatin1Char('\n');
                out += QString::fromUtf8(content.data(), content.size()).trimmed();
            }
            i = close;
            ++depth; // the end tag comes next and closes this level
            continue;
        }
        ++depth;
    }
    return out;
}

QList<QPair<QString, QString>> decodeUrlEncoded(QByteArrayView data)
{
    QList<QPair<QString, QString>> pairs;
    auto decode = [](QByteArrayView part) {
        QByteArray bytes = part.toByteArray();
        bytes.replace('+', ' ');
        return QUrl::fromPercentEncoding(bytes);
    };
    for (const QByteArray& item : data.trimmed().toByteArray().split('&')) {
        if (item.isEmpty())
            continue;
        const qsizetype eq = item.indexOf('=');
        if (eq < 0)
            pairs.append({decode(item), QString()});
        else
            pairs.append({decode(item.first(eq)), decode(item.sliced(eq + 1))});
    }
    return pairs;
}

QString alignedPairs(const QList<QPair<QString, QString>>& pairs)
{
    qsizetype width = 0;
    for (const auto& p : pairs)
        width = qMax(width, p.first.size());
    width = qMin<qsizetype>(width, 40);
    QString out;
    for (const auto& p : pairs) {
        out += (p.first + QLatin1Char(':')).leftJustified(width + 2);
        out += p.second;
        out += QLatin1Char('\n');
    }
    return out;
}

} // namespace spyglass::text

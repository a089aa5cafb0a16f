#include "layers/websocket/permessage_deflate_params.h"

namespace spyglass::layers::websocket {

namespace {

// Splits at `sep` outside double quotes.
QList<QByteArray> splitOutsideQuotes(const QByteArray& value, char sep)
{
    QList<QByteArray> out;
    QByteArray cur;
    bool quoted = false;
    for (char c : value) {
        if (c == '"')
            quoted = !quoted;
        if (c == sep && !quoted) {
            out.append(cur.trimmed());
            cur.clear();
        } else {
            cur.append(c);
        }
    }
    out.append(cur.trimmed());
    return out;
}

QByteArray unquote(QByteArray v)
{
    v = v.trimmed();
    if (v.size() >= 2 && v.startsWith('"') && v.endsWith('"'))
        v = v.mid(1, v.size() - 2);
    return v;
}

} // namespace

std::optional<PerMessageDeflateParams>
PerMessageDeflateParams::fromResponseHeader(const QByteArray& value, QStringList* notes)
{
    std::optional<PerMessageDeflateParams> result;
    for (const QByteArray& ext : splitOutsideQuotes(value, ',')) {
        if (ext.isEmpty())
            continue;
        const QList<QByteArray> parts = splitOutsideQuotes(ext, ';');
        const QByteArray name = parts.first().toLower();
        if (name != "permessage-deflate") {
            if (notes)
                *notes << QStringLiteral("WebSocket extension '%1' is passed through but not "
                                         "understood")
                              .arg(QString::fromLatin1(name));
            continue;
        }
        if (result) {
            if (notes)
                *notes << QStringLiteral("permessage-deflate accepted twice; the first one counts");
            continue;
        }
        PerMessageDeflateParams p;
        for (qsizetype i = 1; i < parts.size(); ++i) {
            const qsizetype eq = parts[i].indexOf('=');
            const QByteArray key = (eq < 0 ? parts[i] : parts[i].left(eq)).trimmed().toLower();
            const QByteArray val = eq < 0 ? QByteArray() : unquote(parts[i].mid(eq + 1));
            if (key == "server_no_context_takeover") {
                p.serverNoContextTakeover = true;
            } else if (key == "client_no_context_takeover") {
                p.clientNoContextTakeover = true;
            } else if (key == "server_max_window_bits" || key == "client_max_window_bits") {
                bool ok = false;
                const int bits = val.toInt(&ok);
                int& target =
                    key == "server_max_window_bits" ? p.serverMaxWindowBits : p.clientMaxWindowBits;
                if (ok && bits >= 8 && bits <= 15) {
                    target = bits;
                } else if (!val.isEmpty() || key == "server_max_window_bits") {
                    if (notes)
                        *notes << QStringLiteral("permessage-deflate: invalid %1 '%2', taken "
                                                 "as 15")
                                      .arg(QString::fromLatin1(key), QString::fromLatin1(val));
                }
            } else if (notes) {
                *notes << QStringLiteral("permessage-deflate: unknown parameter '%1' ignored")
                              .arg(QString::fromLatin1(key));
            }
        }
        result = p;
    }
    return result;
}

} // namespace spyglass::layers::websocket

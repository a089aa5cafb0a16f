#include "dump_printer.h"

namespace spyglass {

QString humanSize(qint64 bytes)
{
    if (bytes < 1024)
        return QString::number(bytes) + QLatin1Char('b');
    if (bytes < 1024 * 1024)
        return QString::number(bytes / 1024.0, 'f', 1) + QLatin1Char('k');
    if (bytes < 1024LL * 1024 * 1024)
        return QString::number(bytes / (1024.0 * 1024), 'f', 1) + QLatin1Char('m');
    return QString::number(bytes / (1024.0 * 1024 * 1024), 'f', 1) + QLatin1Char('g');
}

QString humanDuration(double seconds)
{
    if (seconds < 0)
        seconds = 0;
    if (seconds < 1.0)
        return QString::number(qRound(seconds * 1000)) + QStringLiteral("ms");
    return QString::number(seconds, 'f', 1) + QLatin1Char('s');
}

QString webSocketSummary(const WebSocketData& ws)
{
    const qsizetype n = ws.messages.size();
    QString out = QStringLiteral("websocket %1 message%2").arg(n).arg(n == 1 ? "" : "s");
    if (ws.closeCode) {
        out += QStringLiteral(", closed by %1 %2")
                   .arg(ws.closedByClient ? "client" : "server")
                   .arg(*ws.closeCode);
        if (!ws.closeReason.isEmpty())
            out += QStringLiteral(" \"%1\"").arg(ws.closeReason);
    }
    return out;
}

QString tcpLine(const HttpFlow& flow)
{
    const TcpData empty;
    const TcpData& tcp = flow.tcp ? *flow.tcp : empty;
    const qsizetype n = tcp.messages.size();
    QString line = QStringLiteral("%1 <-> %2 tcp%3 %4 message%5, %6")
                       .arg(QString::fromLatin1(flow.client.peer.toString()),
                            QString::fromLatin1(flow.server.peer.toString()),
                            flow.server.tls ? QStringLiteral("+tls") : QString())
                       .arg(n)
                       .arg(n == 1 ? "" : "s")
                       .arg(humanSize(tcp.bytes(true) + tcp.bytes(false)));
    if (flow.error)
        return line + QStringLiteral(", error: ") + flow.error->message;
    if (tcp.timestampEnd > 0)
        return line + QStringLiteral(", closed by ") +
               (tcp.closedByClient ? QStringLiteral("client") : QStringLiteral("server"));
    return line + QStringLiteral(", open");
}

QString dumpLine(const HttpFlow& flow, bool showHost)
{
    if (flow.kind == FlowKind::Tcp)
        return tcpLine(flow);
    const Request& r = flow.request;
    const QString dash = QStringLiteral("-");
    // A client replay has no client of its own: mitmdump prints "[replay]" in its place.
    const QString client = flow.isReplay ? QStringLiteral("[replay]")
                                         : QString::fromLatin1(flow.client.peer.toString());
    const QString method = r.method.isEmpty() ? dash : QString::fromLatin1(r.method);
    QString url = r.host.isEmpty() && r.path.isEmpty() ? dash : QString::fromUtf8(r.url());
    if (showHost && !r.isConnect() && !r.hostHeader().isEmpty()) {
        Request shown = r;
        const QByteArray hostHeader = r.hostHeader();
        const qsizetype colon = hostHeader.lastIndexOf(':');
        const bool hasPort = colon > 0 && !hostHeader.endsWith(']');
        shown.host = hasPort ? hostHeader.left(colon) : hostHeader;
        if (shown.host.startsWith('[') && shown.host.endsWith(']'))
            shown.host = shown.host.mid(1, shown.host.size() - 2);
        shown.port =
            hasPort ? quint16(hostHeader.mid(colon + 1).toUShort()) : defaultPort(r.scheme);
        url = QString::fromUtf8(shown.url());
    }
    const QString version = r.httpVersion.isEmpty() ? dash : QString::fromLatin1(r.httpVersion);
    QString line = client + QLatin1Char(' ') + method + QLatin1Char(' ') + url + QLatin1Char(' ') +
                   version + QStringLiteral(" -> ");
    if (flow.error) {
        line += QStringLiteral("error: ") + flow.error->message;
        return line;
    }
    if (!flow.response)
        return line + QStringLiteral("no response");
    const Response& resp = *flow.response;
    line += QString::number(resp.statusCode);
    if (!resp.reason.isEmpty())
        line += QLatin1Char(' ') + QString::fromLatin1(resp.reason);
    line += QLatin1Char(' ') + humanSize(resp.body.size);
    line += QLatin1Char(' ') + humanDuration(resp.timestampEnd - r.timestampStart);
    if (flow.websocket)
        line += QLatin1Char(' ') + webSocketSummary(*flow.websocket);
    return line;
}

} // namespace spyglass

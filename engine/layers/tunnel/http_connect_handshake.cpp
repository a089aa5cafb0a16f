#include "layers/tunnel/http_connect_handshake.h"

namespace spyglass::layers::tunnel {

namespace {
constexpr qsizetype kMaxHead = 64 * 1024;

// Printable, short, for a message about what the parent said.
QString quoted(QByteArrayView bytes)
{
    QString s;
    for (const char c : bytes.first(std::min<qsizetype>(bytes.size(), 80)))
        s += (c >= 0x20 && c < 0x7f) ? QChar::fromLatin1(c) : QChar(u'?');
    return s;
}
} // namespace

HttpConnectHandshake::HttpConnectHandshake(Address target, QByteArray auth, Address parent)
    : m_target(std::move(target)), m_auth(std::move(auth)), m_parent(std::move(parent))
{
}

QByteArray HttpConnectHandshake::basicAuth(const QByteArray& userPass)
{
    return "Basic " + userPass.toBase64();
}

QString HttpConnectHandshake::who() const
{
    return QStringLiteral("upstream proxy %1").arg(QString::fromLatin1(m_parent.toString()));
}

HandshakeStep HttpConnectHandshake::start()
{
    const QByteArray authority = m_target.toString();
    QByteArray head = "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n";
    if (!m_auth.isEmpty())
        head += "Proxy-Authorization: " + basicAuth(m_auth) + "\r\n";
    head += "\r\n";
    HandshakeStep step;
    step.send = head;
    return step;
}

HandshakeStep HttpConnectHandshake::receive(const QByteArray& data)
{
    HandshakeStep step;
    if (m_finished)
        return step;
    m_buffer += data;
    const qsizetype end = m_buffer.indexOf("\r\n\r\n");
    if (end < 0) {
        if (m_buffer.size() > kMaxHead) {
            m_finished = true;
            step.error = QStringLiteral("%1 sent a response head over %2 KiB to CONNECT")
                             .arg(who())
                             .arg(kMaxHead / 1024);
        }
        return step;
    }
    m_finished = true;
    const QByteArray line = m_buffer.left(m_buffer.indexOf("\r\n"));
    // "HTTP/1.1 200 Connection established"
    const QList<QByteArray> parts = line.split(' ');
    bool ok = false;
    const int status = parts.size() >= 2 ? parts[1].toInt(&ok) : 0;
    if (!line.startsWith("HTTP/1.") || !ok || parts[1].size() != 3 || status < 100) {
        step.error = QStringLiteral("%1 sent an invalid answer to CONNECT %2: \"%3\"")
                         .arg(who(), QString::fromLatin1(m_target.toString()), quoted(line));
        return step;
    }
    if (status < 200 || status > 299) {
        const QByteArray reason = line.mid(line.indexOf(' ', line.indexOf(' ') + 1) + 1);
        step.error = QStringLiteral("%1 refused CONNECT %2: %3 %4")
                         .arg(who(), QString::fromLatin1(m_target.toString()))
                         .arg(status)
                         .arg(parts.size() >= 3 ? quoted(reason) : QString());
        return step;
    }
    step.done = true;
    step.rest = m_buffer.mid(end + 4);
    m_buffer.clear();
    return step;
}

QString HttpConnectHandshake::closedError() const
{
    return QStringLiteral("%1 closed the connection before answering CONNECT %2")
        .arg(who(), QString::fromLatin1(m_target.toString()));
}

} // namespace spyglass::layers::tunnel

#include "connection_view.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QScrollBar>
#include <QSslCertificate>

namespace spyglass {

namespace {

QString esc(const QString& s)
{
    return s.toHtmlEscaped();
}

QString row(const QString& name, const QString& value)
{
    if (value.isEmpty())
        return {};
    return QStringLiteral("<tr><td style='padding-right:16px'><b>%1</b></td><td>%2</td></tr>")
        .arg(esc(name), value);
}

QString when(double seconds)
{
    if (seconds <= 0)
        return {};
    return esc(QDateTime::fromMSecsSinceEpoch(qint64(seconds * 1000))
                   .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")));
}

QString names(const QSslCertificate& cert, QSslCertificate::SubjectInfo info, bool issuer)
{
    const QStringList values = issuer ? cert.issuerInfo(info) : cert.subjectInfo(info);
    return values.join(QStringLiteral(", "));
}

QString dn(const QSslCertificate& cert, bool issuer)
{
    QStringList parts;
    const struct
    {
        QSslCertificate::SubjectInfo info;
        const char* key;
    } fields[] = {{QSslCertificate::CommonName, "CN"},
                  {QSslCertificate::Organization, "O"},
                  {QSslCertificate::OrganizationalUnitName, "OU"},
                  {QSslCertificate::CountryName, "C"}};
    for (const auto& f : fields) {
        const QString v = names(cert, f.info, issuer);
        if (!v.isEmpty())
            parts.append(QStringLiteral("%1=%2").arg(QLatin1String(f.key), v));
    }
    return parts.join(QStringLiteral(", "));
}

QString connectionTable(const Connection& c, bool server)
{
    QString t = QStringLiteral("<table>");
    if (c.peer.isValid())
        t += row(ConnectionView::tr("Address"), esc(QString::fromLatin1(c.peer.toString())));
    if (c.sockname.isValid())
        t += row(ConnectionView::tr("Local address"),
                 esc(QString::fromLatin1(c.sockname.toString())));
    if (server && c.via.isValid())
        t += row(ConnectionView::tr("Through proxy"), esc(QString::fromLatin1(c.via.toString())));
    t += row(ConnectionView::tr("TLS"),
             c.tls ? (c.tlsEstablished
                          ? (c.tlsResumed ? ConnectionView::tr("%1, session resumed")
                                                .arg(esc(QString::fromLatin1(c.tlsVersion)))
                                          : esc(QString::fromLatin1(c.tlsVersion)))
                          : ConnectionView::tr("not established"))
                   : ConnectionView::tr("no"));
    t += row(ConnectionView::tr("Cipher"), esc(QString::fromLatin1(c.cipher)));
    t += row(ConnectionView::tr("SNI"), esc(QString::fromLatin1(c.sni)));
    QStringList offers;
    for (const QByteArray& a : c.alpnOffers)
        offers.append(QString::fromLatin1(a));
    t += row(server ? ConnectionView::tr("ALPN offered")
                    : ConnectionView::tr("ALPN offered by client"),
             esc(offers.join(QStringLiteral(", "))));
    t += row(ConnectionView::tr("ALPN chosen"), esc(QString::fromLatin1(c.alpn)));
    t += row(ConnectionView::tr("Opened"), when(c.timestampStart));
    t += row(ConnectionView::tr("TCP set up"), when(c.timestampTcpSetup));
    t += row(ConnectionView::tr("TLS set up"), when(c.timestampTlsSetup));
    t += row(ConnectionView::tr("Closed"), when(c.timestampEnd));
    t += row(ConnectionView::tr("Error"), esc(c.error));
    t += QStringLiteral("</table>");
    return t;
}

} // namespace

ConnectionView::ConnectionView(QWidget* parent) : QTextBrowser(parent)
{
    setOpenLinks(false);
    setPlaceholderText(tr("Select a flow to see its connections."));
}

QString ConnectionView::fingerprintText(const QByteArray& digest)
{
    QStringList lines;
    const QByteArray hex = digest.toHex(':').toUpper();
    // 16 bytes per line: 16 * 3 characters with the separator.
    for (qsizetype i = 0; i < hex.size(); i += 48)
        lines.append(QString::fromLatin1(hex.mid(i, 47)));
    return lines.join(QLatin1Char('\n'));
}

QString ConnectionView::describe(const HttpFlow& flow)
{
    QString html;
    html += QStringLiteral("<h3>%1</h3>").arg(esc(tr("Client")));
    html += connectionTable(flow.client, false);
    html += QStringLiteral("<h3>%1</h3>").arg(esc(tr("Server")));
    if (flow.server.peer.isValid() || flow.server.timestampStart > 0)
        html += connectionTable(flow.server, true);
    else
        html += QStringLiteral("<p>%1</p>").arg(esc(tr("No server connection was made.")));

    const QList<QByteArray>& chain = flow.server.certificateChainDer;
    if (!chain.isEmpty()) {
        html += QStringLiteral("<h3>%1</h3>").arg(esc(tr("Server certificate chain")));
        int depth = 0;
        for (const QByteArray& der : chain) {
            const QSslCertificate cert(der, QSsl::Der);
            html += QStringLiteral("<h4>%1</h4><table>")
                        .arg(esc(depth == 0 ? tr("Leaf certificate")
                                            : tr("Issuer certificate %1").arg(depth)));
            ++depth;
            if (cert.isNull()) {
                html += row(tr("Certificate"),
                            esc(tr("not readable (%n byte(s))", nullptr, int(der.size()))));
                html += QStringLiteral("</table>");
                continue;
            }
            html += row(tr("Subject"), esc(dn(cert, false)));
            html += row(tr("Issuer"), esc(dn(cert, true)));
            html += row(tr("Valid from"), esc(cert.effectiveDate().toString(Qt::ISODate)));
            html += row(tr("Valid until"), esc(cert.expiryDate().toString(Qt::ISODate)));
            QStringList alt;
            const auto sans = cert.subjectAlternativeNames();
            for (auto it = sans.cbegin(); it != sans.cend(); ++it)
                alt.append(it.value());
            html += row(tr("Alternative names"), esc(alt.join(QStringLiteral(", "))));
            html += row(tr("Serial number"), esc(QString::fromLatin1(cert.serialNumber())));
            html += row(tr("SHA-256"), QStringLiteral("<pre style='margin:0'>%1</pre>")
                                           .arg(esc(fingerprintText(QCryptographicHash::hash(
                                               der, QCryptographicHash::Sha256)))));
            html += QStringLiteral("</table>");
        }
    }
    return html;
}

void ConnectionView::setFlow(const FlowSnapshot& flow)
{
    if (!flow) {
        clear();
        return;
    }
    const int scroll = verticalScrollBar() ? verticalScrollBar()->value() : 0;
    setHtml(describe(*flow));
    verticalScrollBar()->setValue(scroll);
}

} // namespace spyglass

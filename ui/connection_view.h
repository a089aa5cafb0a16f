#pragma once
// The detail pane's Connection tab: both ends of the flow (addresses, the upstream proxy it
// went through, TLS version, cipher, SNI, ALPN, timings) and the server's certificate chain,
// each certificate with subject, issuer, validity, alternative names and its SHA-256
// fingerprint in readable groups, as a browser's certificate viewer shows them.

#include "flow/flow.h"

#include <QTextBrowser>

namespace spyglass {

class ConnectionView : public QTextBrowser
{
    Q_OBJECT
public:
    explicit ConnectionView(QWidget* parent = nullptr);

    void setFlow(const FlowSnapshot& flow);
    // "AB:CD:EF:..." in lines of 16 bytes.
    static QString fingerprintText(const QByteArray& digest);
    // The page for `flow` (HTML), for tests and for copying.
    static QString describe(const HttpFlow& flow);
};

} // namespace spyglass

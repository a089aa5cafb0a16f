#pragma once
// Every option the engine knows, typed, with mitmproxy's names and value syntax wherever the
// meaning is the same. Layers read the plain struct (fast, no lookups on hot paths); the
// registry (option_registry.h) maps names to members for `--set`, `--options` and the window.
// Options are immutable once handed to the engine: a change makes a new snapshot.

#include <QByteArray>
#include <QMap>
#include <QString>
#include <QStringList>
#include <optional>

namespace spyglass {

struct Options
{
    // Network
    QString listenHost = QStringLiteral("127.0.0.1");
    int listenPort = 8080;
    QStringList mode{QStringLiteral("regular")};
    bool modeSetExplicitly = false; // the first --mode replaces the default
    QString confdir = QStringLiteral("~/.spyglass");
    // Modes (proxy_mode.h): reverse mode keeps the client's Host header when set; proxyauth
    // makes clients (SOCKS5 for now) authenticate with "user:pass".
    bool keepHostHeader = false;
    QString proxyauth;
    QString upstreamAuth; // "user:pass" for the parent proxy of upstream mode

    // Connections
    QString connectionStrategy = QStringLiteral("eager"); // eager | lazy
    int tcpTimeout = 600;      // seconds of idleness before a connection is closed
    int connectTimeout = 30;   // seconds to open an upstream TCP connection
    int handshakeTimeout = 30; // seconds for a TLS handshake
    int workerThreads = 0;     // 0 = number of cores
    QStringList ignoreHosts;   // regexes over host:port: pass through without interception
    QStringList allowHosts;    // regexes over host:port: intercept only these
    QStringList tcpHosts;      // regexes over host:port: record as raw TCP (TLS still intercepted)
    bool rawtcp = true;        // record what is neither TLS nor HTTP as TCP; off: close it

    // TLS
    bool sslInsecure = false;
    bool upstreamCert = true;
    QString sslVerifyUpstreamTrustedCa; // a PEM file of extra CAs for upstream verification

    // HTTP
    std::optional<qint64> streamLargeBodies = 10 * 1024 * 1024;
    std::optional<qint64> bodySizeLimit;
    bool http2 = true;
    // Also offer h2 upstream when the client offers only http/1.1 (mitmproxy: never).
    bool http2ForHttp1Clients = false;
    int http2PingKeepalive = 58;    // seconds of HTTP/2 idleness before a PING; 0 = never
    qint64 maxHeadSize = 64 * 1024; // request/response head limit, bytes

    // WebSocket: off makes a 101 upgrade a TCP flow (bytes recorded, not parsed as messages).
    bool websocket = true;

    // Addons (engine/addons/, docs/options.md): mitmproxy's names and value syntax. These may
    // change while the proxy runs (ProxyEngine::setOption).
    bool blockGlobal = true;   // refuse clients from globally reachable addresses
    bool blockPrivate = false; // refuse clients from private networks
    QStringList blockList;     // "/FILTER/STATUS"
    bool anticache = false;
    bool anticomp = false;
    QStringList mapRemote;     // "[/FILTER]/URL-REGEX/REPLACEMENT"
    QStringList mapLocal;      // "[/FILTER]/URL-REGEX/FILE-OR-DIRECTORY"
    QStringList modifyBody;    // "[/FILTER]/REGEX/[@]REPLACEMENT"
    QStringList modifyHeaders; // "[/FILTER]/NAME/[@]VALUE"
    QString stickyauth;        // a filter; empty = off
    QString stickycookie;      // a filter; empty = off
    // Intercept (addons/intercept.h): flows matching this filter are held until resumed.
    QString intercept;           // a filter; empty = nothing is held
    bool interceptActive = true; // off: the filter is kept but nothing is held
    bool showhost = false;       // display URLs with the Host header (spyglass-dump)
    // Onboarding (addons/onboarding.h): the proxy answers this host with the CA and its steps.
    bool onboarding = true;
    QString onboardingHost = QStringLiteral("spyglass.proxy");
    // Server replay (addons/server_replay.h): answer requests from recorded flows.
    QStringList serverReplay;                              // session or HAR files
    QString serverReplayExtra = QStringLiteral("forward"); // forward|kill|204|400|404|500
    bool serverReplayKillExtra = false;                    // deprecated: extra=kill
    bool serverReplayReuse = false;                        // answer more than once
    bool serverReplayRefresh = true;                       // move dates to now
    QStringList serverReplayUseHeaders;                    // header names in the key
    bool serverReplayIgnoreContent = false;
    bool serverReplayIgnoreHost = false;
    bool serverReplayIgnorePort = false;
    QStringList serverReplayIgnoreParams;        // query parameter names
    QStringList serverReplayIgnorePayloadParams; // form field names
    // Export (io/flow_export.h): curl commands pin the server's recorded IP with --resolve.
    bool exportPreserveOriginalIp = false;

    // Client replay (server/replay_handler.h, ProxyEngine::replayFlow): the flows of these
    // files are replayed when the engine starts, at most this many at once (-1: no limit).
    QStringList clientReplay;
    int clientReplayConcurrency = 1;
    // Scripts (engine/script/, docs/scripting.md): JavaScript files loaded at start (-s FILE),
    // the time a hook may run before it is interrupted, and the values of the options that
    // scripts add (spyglass.addOption), by name, as given to --set.
    QStringList scripts;
    int scriptTimeout = 5000; // milliseconds
    QMap<QString, QString> scriptOptions;
};

// "10m" -> 10485760; accepts b, k, m, g (any case, optional trailing "b": "10mb").
std::optional<qint64> parseSize(const QString& text);
QString formatSize(std::optional<qint64> size);

// ~/ expanded.
QString expandHome(const QString& path);

} // namespace spyglass

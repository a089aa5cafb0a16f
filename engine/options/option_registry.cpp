#include "options/option_registry.h"

#include "addons/block_list.h"
#include "addons/flow_spec.h"
#include "addons/map_local.h"
#include "addons/map_remote.h"
#include "addons/modify_body.h"
#include "layers/http/proxy_auth.h"
#include "options/proxy_mode.h"

#include <QFileInfo>
#include <QRegularExpression>

#include <deque>
#include <mutex>

namespace spyglass {

namespace {

QString parseBool(const QString& v, bool& out)
{
    const QString t = v.trimmed().toLower();
    if (t == "true" || t == "1" || t == "yes" || t == "on") {
        out = true;
        return {};
    }
    if (t == "false" || t == "0" || t == "no" || t == "off") {
        out = false;
        return {};
    }
    return QStringLiteral("expected true or false, got '%1'").arg(v);
}

OptionSpec boolOption(const char* name, bool Options::*member, const char* help)
{
    return OptionSpec{QString::fromLatin1(name),
                      QStringLiteral("bool"),
                      QString::fromUtf8(help),
                      {},
                      [member](const Options& o) {
                          return o.*member ? QStringLiteral("true") : QStringLiteral("false");
                      },
                      [member](Options& o, const QString& v) { return parseBool(v, o.*member); }};
}

OptionSpec intOption(const char* name, int Options::*member, int min, int max, const char* help)
{
    return OptionSpec{QString::fromLatin1(name),
                      QStringLiteral("int"),
                      QString::fromUtf8(help),
                      {},
                      [member](const Options& o) { return QString::number(o.*member); },
                      [member, min, max](Options& o, const QString& v) -> QString {
                          bool ok = false;
                          const int n = v.trimmed().toInt(&ok);
                          if (!ok || n < min || n > max)
                              return QStringLiteral(
                                         "expected a whole number from %1 to %2, got '%3'")
                                  .arg(min)
                                  .arg(max)
                                  .arg(v);
                          o.*member = n;
                          return {};
                      }};
}

OptionSpec strOption(const char* name, QString Options::*member, const char* help)
{
    return OptionSpec{QString::fromLatin1(name),
                      QStringLiteral("str"),
                      QString::fromUtf8(help),
                      {},
                      [member](const Options& o) { return o.*member; },
                      [member](Options& o, const QString& v) {
                          o.*member = v;
                          return QString();
                      }};
}

OptionSpec choiceOption(const char* name, QString Options::*member, QStringList choices,
                        const char* help)
{
    return OptionSpec{
        QString::fromLatin1(name),
        QStringLiteral("choice"),
        QString::fromUtf8(help),
        choices,
        [member](const Options& o) { return o.*member; },
        [member, choices](Options& o, const QString& v) -> QString {
            if (!choices.contains(v))
                return QStringLiteral("expected one of %1, got '%2'").arg(choices.join(", "), v);
            o.*member = v;
            return {};
        }};
}

OptionSpec regexListOption(const char* name, QStringList Options::*member, const char* help)
{
    OptionSpec s{QString::fromLatin1(name),
                 QStringLiteral("str list"),
                 QString::fromUtf8(help),
                 {},
                 [member](const Options& o) { return (o.*member).join(QLatin1Char(',')); },
                 [member](Options& o, const QString& v) -> QString {
                     const QRegularExpression re(v);
                     if (!re.isValid())
                         return QStringLiteral("invalid regular expression '%1': %2")
                             .arg(v, re.errorString());
                     (o.*member).append(v);
                     return {};
                 }};
    s.isList = true;
    s.getList = [member](const Options& o) { return o.*member; };
    return s;
}

OptionSpec sizeOption(const char* name, std::optional<qint64> Options::*member, const char* help)
{
    return OptionSpec{
        QString::fromLatin1(name),
        QStringLiteral("size"),
        QString::fromUtf8(help),
        {},
        [member](const Options& o) { return formatSize(o.*member); },
        [member](Options& o, const QString& v) -> QString {
            if (v.trimmed().isEmpty()) {
                o.*member = std::nullopt;
                return {};
            }
            const auto n = parseSize(v);
            if (!n)
                return QStringLiteral("expected a size such as 512k, 10m or 1g, got '%1'").arg(v);
            o.*member = n;
            return {};
        }};
}

// A list of mitmproxy-syntax specs: each --set adds one, checked by `validate`; an empty
// value empties the list (so a running engine's list can be cleared).
OptionSpec specListOption(const char* name, QStringList Options::*member,
                          std::function<QString(const QString&)> validate, const char* help)
{
    OptionSpec s{QString::fromLatin1(name),
                 QStringLiteral("str list"),
                 QString::fromUtf8(help),
                 {},
                 [member](const Options& o) { return (o.*member).join(QLatin1Char(',')); },
                 [member, validate](Options& o, const QString& v) -> QString {
                     if (v.isEmpty()) {
                         (o.*member).clear();
                         return {};
                     }
                     if (QString err = validate(v); !err.isEmpty())
                         return err;
                     (o.*member).append(v);
                     return {};
                 }};
    s.isList = true;
    s.getList = [member](const Options& o) { return o.*member; };
    return s;
}

OptionSpec filterOption(const char* name, QString Options::*member, const char* help)
{
    return OptionSpec{QString::fromLatin1(name),
                      QStringLiteral("str"),
                      QString::fromUtf8(help),
                      {},
                      [member](const Options& o) { return o.*member; },
                      [member](Options& o, const QString& v) -> QString {
                          QString error;
                          if (!v.isEmpty() && !addons::FlowSpec::parseFilter(v, &error))
                              return error;
                          o.*member = v;
                          return {};
                      }};
}

template <class Spec> std::function<QString(const QString&)> specValidator()
{
    return [](const QString& v) {
        QString error;
        Spec::parse(v, &error);
        return error;
    };
}

void addAddonOptions(std::vector<OptionSpec>& v)
{
    v.push_back(boolOption("block_global", &Options::blockGlobal,
                           "Block connections from public IP addresses."));
    v.push_back(boolOption("block_private", &Options::blockPrivate,
                           "Block connections from local (private) IP addresses. This option "
                           "does not affect loopback addresses (connections from the local "
                           "machine), which are always permitted."));
    v.push_back(specListOption(
        "block_list", &Options::blockList, specValidator<addons::BlockList::Spec>(),
        "Block matching requests and return an empty response with the specified HTTP status. "
        "Option syntax is \"/flow-filter/status-code\", where flow-filter describes which "
        "requests this rule should be applied to and status-code is the HTTP status code to "
        "return for blocked requests. The separator (\"/\" in the example) can be any "
        "character. Setting a non-standard status code of 444 will close the connection "
        "without sending a response."));
    v.push_back(boolOption("anticache", &Options::anticache,
                           "Strip out request headers that might cause the server to return "
                           "304-not-modified."));
    v.push_back(boolOption("anticomp", &Options::anticomp,
                           "Try to convince servers to send us un-compressed data."));
    v.push_back(boolOption("onboarding", &Options::onboarding,
                           "Toggle the onboarding app: the proxy answers requests for "
                           "onboarding_host with the CA certificate and the steps to install "
                           "it."));
    v.push_back(strOption("onboarding_host", &Options::onboardingHost,
                          "Onboarding app domain. The app is answered by the proxy itself, "
                          "over plain HTTP and through CONNECT, without any upstream "
                          "connection."));
    v.push_back(specListOption(
        "map_remote", &Options::mapRemote, specValidator<addons::MapRemote::Spec>(),
        "Map remote resources to another remote URL using a pattern of the form "
        "\"[/flow-filter]/url-regex/replacement\", where the separator can be any character."));
    v.push_back(specListOption(
        "map_local", &Options::mapLocal, specValidator<addons::MapLocal::Spec>(),
        "Map remote resources to a local file using a pattern of the form "
        "\"[/flow-filter]/url-regex/file-or-directory-path\", where the separator can be any "
        "character."));
    v.push_back(specListOption(
        "modify_body", &Options::modifyBody, specValidator<addons::ModifyBody::Spec>(),
        "Replacement pattern of the form \"[/flow-filter]/regex/[@]replacement\", where the "
        "separator can be any character. The @ allows to provide a file path that is used to "
        "read the replacement string."));
    v.push_back(specListOption(
        "modify_headers", &Options::modifyHeaders,
        [](const QString& v) {
            QString error;
            addons::FlowSpec::parse(v, true, &error);
            return error;
        },
        "Header modify pattern of the form \"[/flow-filter]/header-name/[@]header-value\", where "
        "the separator can be any character. The @ allows to provide a file path that is used "
        "to read the header value string. An empty header-value removes existing header-name "
        "headers."));
    v.push_back(filterOption("stickyauth", &Options::stickyauth,
                             "Set sticky auth filter. Matched against requests."));
    v.push_back(filterOption("stickycookie", &Options::stickycookie,
                             "Set sticky cookie filter. Matched against requests."));
    v.push_back(boolOption("showhost", &Options::showhost,
                           "Use the Host header to construct URLs for display."));
    v.push_back(filterOption("intercept", &Options::intercept,
                             "Intercept filter expression: matching requests, responses and "
                             "WebSocket messages are held until the window (or the engine "
                             "facade) resumes, edits or kills them."));
    v.push_back(boolOption("intercept_active", &Options::interceptActive,
                           "Hold flows that match the intercept filter. Off keeps the filter "
                           "and holds nothing."));
}

// Server replay (addons/server_replay.h), mitmproxy's serverplayback options, grouped.
void addServerReplayOptions(std::vector<OptionSpec>& v)
{
    const auto anyText = [](const QString&) { return QString(); };
    v.push_back(specListOption(
        "server_replay", &Options::serverReplay,
        [](const QString& path) -> QString {
            const QFileInfo info(expandHome(path));
            if (!info.isFile() || !info.isReadable())
                return QStringLiteral("cannot read %1: no such file").arg(path);
            return {};
        },
        "Replay server responses from a saved file (a session file or HAR). Repeat to load "
        "several files."));
    v.push_back(choiceOption(
        "server_replay_extra", &Options::serverReplayExtra,
        {"forward", "kill", "204", "400", "404", "500"},
        "Behaviour for extra requests during replay for which no replayable response was "
        "found. Setting a numeric string value will return an empty HTTP response with the "
        "respective status code."));
    v.push_back(boolOption("server_replay_kill_extra", &Options::serverReplayKillExtra,
                           "Kill extra requests during replay (for which no replayable response "
                           "was found).[Deprecated, prefer to use server_replay_extra='kill']"));
    v.push_back(boolOption("server_replay_reuse", &Options::serverReplayReuse,
                           "Don't remove flows from server replay state after use. This makes "
                           "it possible to replay same response multiple times."));
    v.push_back(boolOption("server_replay_refresh", &Options::serverReplayRefresh,
                           "Refresh server replay responses by adjusting date, expires and "
                           "last-modified headers, as well as adjusting cookie expiration."));
    v.push_back(specListOption(
        "server_replay_use_headers", &Options::serverReplayUseHeaders,
        [](const QString& name) -> QString {
            static const QRegularExpression token(QStringLiteral("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"));
            if (!token.match(name).hasMatch())
                return QStringLiteral("'%1' is not a header name").arg(name);
            return {};
        },
        "Request headers that need to match while searching for a saved flow to replay."));
    v.push_back(boolOption("server_replay_ignore_content", &Options::serverReplayIgnoreContent,
                           "Ignore request content while searching for a saved flow to replay."));
    v.push_back(specListOption(
        "server_replay_ignore_params", &Options::serverReplayIgnoreParams, anyText,
        "Request parameters to be ignored while searching for a saved flow to replay."));
    v.push_back(specListOption(
        "server_replay_ignore_payload_params", &Options::serverReplayIgnorePayloadParams, anyText,
        "Request payload parameters (application/x-www-form-urlencoded or multipart/form-data) "
        "to be ignored while searching for a saved flow to replay."));
    v.push_back(boolOption("server_replay_ignore_host", &Options::serverReplayIgnoreHost,
                           "Ignore request destination host while searching for a saved flow to "
                           "replay."));
    v.push_back(boolOption("server_replay_ignore_port", &Options::serverReplayIgnorePort,
                           "Ignore request destination port while searching for a saved flow to "
                           "replay."));
}

// Client replay (server/replay_handler.h), mitmproxy's names and help.
void addClientReplayOptions(std::vector<OptionSpec>& v)
{
    OptionSpec files{QStringLiteral("client_replay"),
                     QStringLiteral("str list"),
                     QStringLiteral("Replay client requests from a saved file (a session file "
                                    "or HAR); repeat for more files."),
                     {},
                     [](const Options& o) { return o.clientReplay.join(QLatin1Char(',')); },
                     [](Options& o, const QString& value) -> QString {
                         if (value.isEmpty()) {
                             o.clientReplay.clear();
                             return {};
                         }
                         o.clientReplay.append(value);
                         return {};
                     }};
    files.isList = true;
    v.push_back(files);
    v.push_back(OptionSpec{
        QStringLiteral("client_replay_concurrency"),
        QStringLiteral("int"),
        QStringLiteral("Concurrency limit on in-flight client replay requests: a number from 1 "
                       "up, or -1 for no limit."),
        {},
        [](const Options& o) { return QString::number(o.clientReplayConcurrency); },
        [](Options& o, const QString& value) -> QString {
            bool ok = false;
            const int n = value.trimmed().toInt(&ok);
            if (!ok || (n < 1 && n != -1))
                return QStringLiteral("expected -1 (no limit) or a whole number from 1 up, got "
                                      "'%1'")
                    .arg(value);
            o.clientReplayConcurrency = n;
            return {};
        }});
}

std::vector<OptionSpec> makeAll()
{
    std::vector<OptionSpec> v;
    v.push_back(strOption("listen_host", &Options::listenHost, "Address to bind the proxy to."));
    v.push_back(
        intOption("listen_port", &Options::listenPort, 0, 65535, "Port to bind the proxy to."));
    {
        OptionSpec s{
            QStringLiteral("mode"),
            QStringLiteral("str list"),
            QStringLiteral("Proxy mode, repeatable, each on its own port with MODE@PORT (else "
                           "listen_port): regular, upstream:SCHEME://HOST[:PORT] (http, https, "
                           "socks5), reverse:SCHEME://HOST[:PORT] (http, https, tcp, tls), socks5, "
                           "transparent (Linux). The first value replaces the default."),
            {},
            [](const Options& o) { return o.mode.join(','); },
            [](Options& o, const QString& v) -> QString {
                QString error;
                if (!ProxyMode::parse(v, &error))
                    return error;
                // The default "regular" is replaced by the first mode given.
                if (o.mode == QStringList{QStringLiteral("regular")} && !o.modeSetExplicitly)
                    o.mode.clear();
                o.modeSetExplicitly = true;
                o.mode.append(v);
                return {};
            }};
        s.isList = true;
        s.getList = [](const Options& o) { return o.mode; };
        v.push_back(s);
    }
    v.push_back(boolOption("keep_host_header", &Options::keepHostHeader,
                           "Reverse proxy: keep the original host header instead of rewriting it "
                           "to the reverse proxy target."));
    v.push_back(OptionSpec{
        QStringLiteral("proxyauth"),
        QStringLiteral("str"),
        QStringLiteral("Require proxy authentication. Format: \"username:pass\", \"any\" to "
                       "accept any user/pass combination, \"@path\" to use an Apache htpasswd "
                       "file (bcrypt or SHA-1 entries). HTTP proxy ports answer 407 (reverse "
                       "mode: 401) until the client sends Basic credentials; SOCKS5 asks with "
                       "RFC 1929."),
        {},
        [](const Options& o) { return o.proxyauth; },
        [](Options& o, const QString& v) -> QString {
            if (const QString problem = layers::ProxyAuth::validate(v); !problem.isEmpty())
                return problem;
            o.proxyauth = v;
            return {};
        }});
    v.push_back(OptionSpec{
        QStringLiteral("upstream_auth"),
        QStringLiteral("str"),
        QStringLiteral("Add HTTP Basic authentication to upstream proxy requests (upstream mode): "
                       "Proxy-Authorization on absolute-form requests and CONNECT to an http(s) "
                       "parent, RFC 1929 user/password for a socks5 parent. Format: "
                       "username:password."),
        {},
        [](const Options& o) { return o.upstreamAuth; },
        [](Options& o, const QString& v) -> QString {
            if (!v.isEmpty() && !v.contains(QLatin1Char(':')))
                return QStringLiteral("upstream_auth: expected username:password");
            o.upstreamAuth = v;
            return {};
        }});
    v.push_back(strOption("confdir", &Options::confdir,
                          "Location of the CA and other configuration files."));
    v.push_back(choiceOption(
        "connection_strategy", &Options::connectionStrategy, {"eager", "lazy"},
        "Determine when server connections should be established. eager connects as soon as "
        "the destination is known (needed for server-first protocols), lazy as late as "
        "possible."));
    v.push_back(intOption("tcp_timeout", &Options::tcpTimeout, 1, 86400,
                          "Close a connection after this many seconds of inactivity."));
    v.push_back(intOption("connect_timeout", &Options::connectTimeout, 1, 3600,
                          "Give up opening an upstream connection after this many seconds."));
    v.push_back(intOption("handshake_timeout", &Options::handshakeTimeout, 1, 3600,
                          "Give up a TLS handshake, or an upstream proxy's tunnel handshake "
                          "(CONNECT, SOCKS5), after this many seconds."));
    v.push_back(intOption("worker_threads", &Options::workerThreads, 0, 256,
                          "Number of worker threads handling connections (0: one per core)."));
    v.push_back(regexListOption(
        "ignore_hosts", &Options::ignoreHosts,
        "Ignore host and forward all traffic without processing it. In transparent mode, it is "
        "recommended to use an IP address (range), not the hostname. In regular mode, only SSL "
        "traffic is ignored and the hostname should be used. The supplied value is interpreted "
        "as a regular expression and matched on the ip or the hostname."));
    v.push_back(regexListOption(
        "allow_hosts", &Options::allowHosts,
        "Opposite of ignore_hosts: only intercept connections whose host:port matches."));
    v.push_back(regexListOption(
        "tcp_hosts", &Options::tcpHosts,
        "Generic TCP SSL proxy mode for all hosts that match the pattern. Similar to "
        "--ignore-hosts, but SSL connections are intercepted. The communication contents are "
        "printed to the log in verbose mode."));
    v.push_back(boolOption("rawtcp", &Options::rawtcp,
                           "Enable/disable raw TCP connections. TCP connections are enabled by "
                           "default."));
    v.push_back(boolOption("ssl_insecure", &Options::sslInsecure,
                           "Do not verify upstream server SSL/TLS certificates."));
    v.push_back(boolOption(
        "upstream_cert", &Options::upstreamCert,
        "Connect to upstream server to look up certificate details (names for the minted "
        "certificate)."));
    v.push_back(strOption("ssl_verify_upstream_trusted_ca", &Options::sslVerifyUpstreamTrustedCa,
                          "Path to a PEM formatted trusted CA certificate for upstream "
                          "verification, in addition to the system store."));
    v.push_back(sizeOption(
        "stream_large_bodies", &Options::streamLargeBodies,
        "Stream data to the client if request or response body exceeds the given threshold. "
        "If streamed, the body will not be stored in any form beyond the threshold. Understands "
        "k/m/g suffixes, i.e. 3m for 3 megabytes. Empty: never stream."));
    v.push_back(sizeOption("body_size_limit", &Options::bodySizeLimit,
                           "Byte size limit of HTTP request and response bodies. Understands "
                           "k/m/g suffixes, i.e. 3m for 3 megabytes. Empty: no limit."));
    v.push_back(boolOption("http2", &Options::http2, "Enable/disable HTTP/2 support."));
    v.push_back(boolOption(
        "http2_for_http1_clients", &Options::http2ForHttp1Clients,
        "Offer HTTP/2 to the server also when the client offers only HTTP/1.1, and translate "
        "between them. This lets HTTP/1.1 clients reach HTTP/2-only servers, but a server that "
        "speaks both then sees HTTP/2 instead of the client's HTTP/1.1. Off: the server is "
        "offered the client's own HTTP versions."));
    v.push_back(intOption("http2_ping_keepalive", &Options::http2PingKeepalive, 0, 86400,
                          "Send a PING frame if an HTTP/2 connection is idle for more than the "
                          "specified number of seconds to prevent the remote site from closing "
                          "it. Set to 0 to disable this feature."));
    v.push_back(boolOption("websocket", &Options::websocket,
                           "Enable/disable WebSocket support. WebSocket support is enabled by "
                           "default."));
    v.push_back(boolOption(
        "export_preserve_original_ip", &Options::exportPreserveOriginalIp,
        "When exporting a request as an external command, make an effort to connect to the "
        "same IP as in the original request. This helps with reproducibility in cases where the "
        "behaviour depends on the particular host we are connecting to. Currently this only "
        "affects curl exports."));
    v.push_back(OptionSpec{
        QStringLiteral("scripts"),
        QStringLiteral("str list"),
        QStringLiteral("Execute a script (JavaScript, docs/scripting.md); repeatable, as -s FILE. "
                       "A script reloads when its file changes."),
        {},
        [](const Options& o) { return o.scripts.join(QLatin1Char(',')); },
        [](Options& o, const QString& v) -> QString {
            if (v.isEmpty())
                o.scripts.clear();
            else
                o.scripts.append(v);
            return {};
        },
        true});
    v.push_back(intOption("script_timeout", &Options::scriptTimeout, 10, 3600000,
                          "Milliseconds a script hook may run before it is interrupted; the "
                          "flow then continues unmodified and the script's line is reported."));
    addAddonOptions(v);
    addServerReplayOptions(v);
    addClientReplayOptions(v);
    return v;
}

// Script options: appended, never removed or changed, so a pointer that find() returned
// stays valid and immutable.
std::mutex g_scriptOptionsMutex;
std::deque<OptionSpec> g_scriptOptions;

} // namespace

const std::vector<OptionSpec>& OptionRegistry::all()
{
    static const std::vector<OptionSpec> specs = makeAll();
    return specs;
}

const OptionSpec* OptionRegistry::find(const QString& name)
{
    for (const auto& s : all())
        if (s.name == name)
            return &s;
    std::lock_guard lock(g_scriptOptionsMutex);
    for (const auto& s : g_scriptOptions)
        if (s.name == name)
            return &s;
    return nullptr;
}

QString OptionRegistry::addScriptOption(const QString& name, const QString& type,
                                        const QString& defaultValue, const QString& help)
{
    static const QRegularExpression valid(QStringLiteral("^[a-z_][a-z0-9_]*$"));
    if (!valid.match(name).hasMatch())
        return QStringLiteral("option name '%1': use lower-case letters, digits and _").arg(name);
    for (const auto& s : all())
        if (s.name == name)
            return QStringLiteral("option '%1' already exists").arg(name);
    auto check = [type](const QString& v) -> QString {
        if (type == QLatin1String("bool")) {
            bool b = false;
            return parseBool(v, b);
        }
        if (type == QLatin1String("int")) {
            bool ok = false;
            v.trimmed().toLongLong(&ok);
            return ok ? QString() : QStringLiteral("expected a whole number, got '%1'").arg(v);
        }
        return {};
    };
    if (type != QLatin1String("bool") && type != QLatin1String("int") &&
        type != QLatin1String("str"))
        return QStringLiteral("option '%1': type must be bool, int or str, not '%2'")
            .arg(name, type);
    if (const QString err = check(defaultValue); !err.isEmpty())
        return QStringLiteral("option '%1': default: %2").arg(name, err);
    std::lock_guard lock(g_scriptOptionsMutex);
    for (const auto& s : g_scriptOptions)
        if (s.name == name)
            return {};
    g_scriptOptions.push_back(OptionSpec{name,
                                         type,
                                         help,
                                         {},
                                         [name, defaultValue](const Options& o) {
                                             return o.scriptOptions.value(name, defaultValue);
                                         },
                                         [name, check](Options& o, const QString& v) -> QString {
                                             if (const QString err = check(v); !err.isEmpty())
                                                 return err;
                                             o.scriptOptions.insert(name, v);
                                             return {};
                                         }});
    return {};
}

std::vector<OptionSpec> OptionRegistry::scriptOptions()
{
    std::lock_guard lock(g_scriptOptionsMutex);
    return {g_scriptOptions.begin(), g_scriptOptions.end()};
}

QString OptionRegistry::apply(Options& options, const QString& assignment)
{
    const qsizetype eq = assignment.indexOf(QLatin1Char('='));
    const QString name = eq < 0 ? assignment : assignment.left(eq);
    const OptionSpec* spec = find(name.trimmed());
    if (!spec)
        return QStringLiteral("unknown option '%1' (spyglass-dump --options lists them)").arg(name);
    if (eq < 0) {
        if (spec->type != QLatin1String("bool"))
            return QStringLiteral("%1: a value is required (%1=VALUE)").arg(spec->name);
        return spec->set(options, QStringLiteral("true"));
    }
    const QString err = spec->set(options, assignment.mid(eq + 1));
    return err.isEmpty() ? err : spec->name + QStringLiteral(": ") + err;
}

QString OptionRegistry::describeAll(const Options& defaults)
{
    QString out;
    std::vector<OptionSpec> specs = all();
    for (auto& s : scriptOptions())
        specs.push_back(std::move(s));
    for (const auto& s : specs) {
        out += s.name + QStringLiteral(" (") + s.type;
        if (!s.choices.isEmpty())
            out += QStringLiteral(": ") + s.choices.join('|');
        out += QStringLiteral(", default: ") + s.get(defaults) + QStringLiteral(")\n");
        out += QStringLiteral("    ") + s.help + QStringLiteral("\n");
    }
    return out;
}

} // namespace spyglass

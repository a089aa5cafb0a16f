#include "addons/server_replay.h"

#include "io/har_reader.h"
#include "io/session_reader.h"
#include "options/options.h"
#include "proxy/context.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QRegularExpression>
#include <QUrl>
#include <algorithm>
#include <optional>

namespace spyglass::addons {

namespace {

using Pairs = QList<std::pair<QByteArray, QByteArray>>;

// One field of a key: length-prefixed, so no two different keys serialise alike.
void put(QCryptographicHash& h, QByteArrayView tag, QByteArrayView value)
{
    h.addData(tag);
    const QByteArray n = QByteArray::number(value.size());
    h.addData(n);
    h.addData(":");
    h.addData(value);
}

// application/x-www-form-urlencoded decoding of one name or value (Python's unquote_plus).
QByteArray unquotePlus(QByteArray s)
{
    s.replace('+', ' ');
    return QByteArray::fromPercentEncoding(s);
}

// urllib.parse.parse_qsl(text, keep_blank_values=True): "a=1&b&c=" -> (a,1) (b,) (c,).
Pairs parseQuery(QByteArrayView text)
{
    Pairs out;
    for (const QByteArray& part : text.toByteArray().split('&')) {
        if (part.isEmpty())
            continue;
        const qsizetype eq = part.indexOf('=');
        if (eq < 0)
            out.append({unquotePlus(part), {}});
        else
            out.append({unquotePlus(part.left(eq)), unquotePlus(part.mid(eq + 1))});
    }
    return out;
}

// A parameter of a header value: boundary=..., name="...".
QByteArray headerParam(const QByteArray& value, QByteArrayView param)
{
    const QRegularExpression re(
        QStringLiteral("(?:^|;)\\s*%1\\s*=\\s*(?:\"([^\"]*)\"|([^;\\s]*))")
            .arg(QRegularExpression::escape(QString::fromLatin1(param.data(), param.size()))),
        QRegularExpression::CaseInsensitiveOption);
    const auto m = re.match(QString::fromLatin1(value));
    if (!m.hasMatch())
        return {};
    return (m.capturedLength(1) ? m.captured(1) : m.captured(2)).toLatin1();
}

QByteArray mediaType(const Request& r)
{
    QByteArray t = r.headers.value("content-type");
    const qsizetype semi = t.indexOf(';');
    if (semi >= 0)
        t.truncate(semi);
    return t.trimmed().toLower();
}

// multipart/form-data fields as (name, content), in order (mitmproxy's multipart_form).
Pairs parseMultipart(const Request& r)
{
    Pairs out;
    const QByteArray boundary = headerParam(r.headers.value("content-type"), "boundary");
    if (boundary.isEmpty())
        return out;
    const QByteArray& body = r.body.content;
    const QByteArray delimiter = "--" + boundary;
    qsizetype pos = body.indexOf(delimiter);
    while (pos >= 0) {
        qsizetype start = pos + delimiter.size();
        if (body.mid(start, 2) == "--")
            break; // the closing delimiter
        const qsizetype next = body.indexOf(delimiter, start);
        if (next < 0)
            break;
        if (body.mid(start, 2) == "\r\n")
            start += 2;
        else if (body.mid(start, 1) == "\n")
            start += 1;
        QByteArray part = body.mid(start, next - start);
        if (part.endsWith("\r\n"))
            part.chop(2);
        else if (part.endsWith('\n'))
            part.chop(1);
        qsizetype headEnd = part.indexOf("\r\n\r\n");
        qsizetype bodyStart = headEnd + 4;
        if (headEnd < 0) {
            headEnd = part.indexOf("\n\n");
            bodyStart = headEnd + 2;
        }
        if (headEnd >= 0) {
            for (const QByteArray& line : part.left(headEnd).split('\n')) {
                const QByteArray l = line.trimmed();
                if (!l.toLower().startsWith("content-disposition:"))
                    continue;
                const QByteArray name = headerParam(l.mid(l.indexOf(':') + 1), "name");
                if (!name.isEmpty())
                    out.append({name, part.mid(bodyStart)});
            }
        }
        pos = next;
    }
    return out;
}

// The host part of "host[:port]" or "[v6]:port".
QByteArray hostOf(const QByteArray& authority)
{
    if (authority.startsWith('[')) {
        const qsizetype close = authority.indexOf(']');
        return close < 0 ? authority : authority.mid(1, close - 1);
    }
    const qsizetype colon = authority.lastIndexOf(':');
    return colon >= 0 && authority.count(':') == 1 ? authority.left(colon) : authority;
}

// mitmproxy's pretty_host: the Host header's (or :authority's) host, else the URL's.
QByteArray prettyHost(const Request& r)
{
    const QByteArray authority = r.hostHeader();
    return authority.isEmpty() ? r.host : hostOf(authority).toLower();
}

const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// An HTTP date (RFC 9110 5.6.7: IMF-fixdate, the obsolete RFC 850 and asctime forms, and
// RFC 2822 with a numeric zone), as email.utils.parsedate_tz reads them. Invalid: no value.
std::optional<QDateTime> parseHttpDate(const QByteArray& text)
{
    static const QRegularExpression re(
        QStringLiteral("(\\d{1,2})[ -]([A-Za-z]{3})[a-z]*[ -](\\d{2,4})\\s+(\\d{1,2}):(\\d{2})"
                       "(?::(\\d{2}))?\\s*(GMT|UTC|UT|Z|[+-]\\d{4})?"));
    static const QRegularExpression asctime(
        QStringLiteral("([A-Za-z]{3})\\s+(\\d{1,2})\\s+(\\d{1,2}):(\\d{2}):(\\d{2})\\s+(\\d{4})"));
    const QString s = QString::fromLatin1(text);
    int day = 0, year = 0, hour = 0, minute = 0, second = 0, offset = 0;
    QString month;
    if (const auto m = re.match(s); m.hasMatch()) {
        day = m.captured(1).toInt();
        month = m.captured(2);
        year = m.captured(3).toInt();
        if (m.capturedLength(3) == 2)
            year += year < 70 ? 2000 : 1900;
        hour = m.captured(4).toInt();
        minute = m.captured(5).toInt();
        second = m.captured(6).toInt();
        const QString zone = m.captured(7);
        if (zone.startsWith(QLatin1Char('+')) || zone.startsWith(QLatin1Char('-'))) {
            const int v = zone.mid(1).toInt();
            offset = (v / 100 * 3600 + v % 100 * 60) * (zone.startsWith(QLatin1Char('-')) ? -1 : 1);
        }
    } else if (const auto a = asctime.match(s); a.hasMatch()) {
        month = a.captured(1);
        day = a.captured(2).toInt();
        hour = a.captured(3).toInt();
        minute = a.captured(4).toInt();
        second = a.captured(5).toInt();
        year = a.captured(6).toInt();
    } else {
        return std::nullopt;
    }
    int monthNumber = 0;
    for (int i = 0; i < 12; ++i)
        if (month.compare(QLatin1String(kMonths[i]), Qt::CaseInsensitive) == 0)
            monthNumber = i + 1;
    const QDate date(year, monthNumber, day);
    const QTime time(hour, minute, second == 60 ? 59 : second);
    if (!monthNumber || !date.isValid() || !time.isValid())
        return std::nullopt;
    return QDateTime(date, time, Qt::UTC).addSecs(-offset);
}

// email.utils.formatdate(t, usegmt=True): "Sun, 06 Nov 1994 08:49:37 GMT".
QByteArray formatHttpDate(const QDateTime& t)
{
    return QLocale::c()
        .toString(t.toUTC(), QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"))
        .toLatin1();
}

// One Set-Cookie value with its Expires attribute moved by `delta` seconds; an Expires that
// does not parse is dropped (mitmproxy's _refresh_cookie). Invalid cookies stay as they are.
QByteArray refreshCookie(const QByteArray& cookie, qint64 delta)
{
    QList<QByteArray> parts = cookie.split(';');
    const QByteArray first = parts.first().trimmed();
    const qsizetype eq = first.indexOf('=');
    if (eq <= 0 || eq == first.size() - 1)
        return cookie; // no name or no value: mitmproxy leaves it alone
    for (qsizetype i = 1; i < parts.size(); ++i) {
        const QByteArray attr = parts[i].trimmed();
        const qsizetype aeq = attr.indexOf('=');
        if (aeq < 0 || attr.left(aeq).trimmed().toLower() != "expires")
            continue;
        const auto when = parseHttpDate(attr.mid(aeq + 1).trimmed());
        if (when)
            parts[i] = " " + attr.left(aeq).trimmed() + "=" + formatHttpDate(when->addSecs(delta));
        else
            parts.removeAt(i--);
    }
    return parts.join(';');
}

double systemNow()
{
    return QDateTime::currentMSecsSinceEpoch() / 1000.0;
}

bool looksLikeJson(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    const QByteArray head = f.read(64).trimmed();
    return head.startsWith('{');
}

} // namespace

ServerReplay::ServerReplay() : m_clock(systemNow) {}

ServerReplay::~ServerReplay() = default;

QByteArray ServerReplay::key(const Request& r, const KeyOptions& o)
{
    QCryptographicHash h(QCryptographicHash::Sha256);
    const qsizetype q = r.path.indexOf('?');
    const QByteArray path = q < 0 ? r.path : r.path.left(q);
    const QByteArray query = q < 0 ? QByteArray() : r.path.mid(q + 1);
    put(h, "scheme", r.scheme);
    put(h, "method", r.method);
    put(h, "path", path);
    if (!o.ignoreContent) {
        Pairs form;
        if (!o.ignorePayloadParams.isEmpty()) {
            const QByteArray type = mediaType(r);
            if (type == "multipart/form-data")
                form = parseMultipart(r);
            else if (type == "application/x-www-form-urlencoded")
                form = parseQuery(r.body.content);
        }
        if (!form.isEmpty()) {
            for (const auto& [k, v] : form) {
                if (o.ignorePayloadParams.contains(QString::fromUtf8(k)))
                    continue;
                put(h, "form-name", k);
                put(h, "form-value", v);
            }
        } else {
            put(h, "content", r.body.content);
        }
    }
    if (!o.ignoreHost)
        put(h, "host", prettyHost(r));
    if (!o.ignorePort)
        put(h, "port", QByteArray::number(r.port));
    for (const auto& [k, v] : parseQuery(query)) {
        if (o.ignoreParams.contains(QString::fromUtf8(k)))
            continue;
        put(h, "param-name", k);
        put(h, "param-value", v);
    }
    for (const QString& name : o.useHeaders) {
        const QByteArray n = name.toLatin1();
        put(h, "header", n.toLower());
        if (r.headers.contains(n))
            put(h, "value", r.headers.joined(n));
        else
            put(h, "absent", {});
    }
    return h.result();
}

QList<HttpFlow> ServerReplay::readFlows(const QStringList& paths, QString* error)
{
    QList<HttpFlow> flows;
    for (const QString& raw : paths) {
        const QString path = expandHome(raw);
        if (!QFileInfo(path).isFile()) {
            *error = QStringLiteral("cannot read %1: no such file").arg(path);
            return {};
        }
        if (looksLikeJson(path)) {
            HarReader::Result r = HarReader::read(path);
            if (!r.ok()) {
                *error = r.error;
                return {};
            }
            flows += std::move(r.flows);
        } else {
            SessionReader::Result r = SessionReader::readAll(path);
            if (!r.ok()) {
                *error = r.errors.join(QStringLiteral("; "));
                return {};
            }
            flows += std::move(r.flows);
        }
    }
    return flows;
}

void ServerReplay::refresh(Response& response, double now)
{
    if (response.timestampStart <= 0)
        return; // when it was recorded is unknown: nothing to move by
    const qint64 delta = qint64(now - response.timestampStart);
    for (const char* name : {"date", "expires", "last-modified"}) {
        if (!response.headers.contains(name))
            continue;
        if (const auto when = parseHttpDate(response.headers.value(name)))
            response.headers.set(name, formatHttpDate(when->addSecs(delta)));
    }
    if (!response.headers.contains("set-cookie"))
        return;
    Headers out;
    for (const auto& [n, v] : response.headers.fields())
        out.add(n, equalsIgnoreCase(n, "set-cookie") ? refreshCookie(v, delta) : v);
    response.headers = std::move(out);
}

QString ServerReplay::configure(const Options& options)
{
    KeyOptions keys;
    keys.ignoreContent = options.serverReplayIgnoreContent;
    keys.ignoreHost = options.serverReplayIgnoreHost;
    keys.ignorePort = options.serverReplayIgnorePort;
    keys.ignoreParams = options.serverReplayIgnoreParams;
    keys.ignorePayloadParams = options.serverReplayIgnorePayloadParams;
    keys.useHeaders = options.serverReplayUseHeaders;

    Extra extra = Extra::Forward;
    int status = 0;
    const QString& e = options.serverReplayExtra;
    if (options.serverReplayKillExtra || e == QLatin1String("kill")) {
        extra = Extra::Kill;
    } else if (e != QLatin1String("forward")) {
        bool ok = false;
        status = e.toInt(&ok);
        if (!ok || status < 100 || status > 599)
            return QStringLiteral("server_replay_extra: expected forward, kill, 204, 400, 404 or "
                                  "500, got '%1'")
                .arg(e);
        extra = Extra::Status;
    }

    QStringList files;
    {
        std::lock_guard lock(m_mutex);
        files = m_files;
    }
    std::optional<QList<HttpFlow>> loaded;
    if (options.serverReplay != files) {
        // Read outside the lock: the hooks keep answering from what was loaded before.
        QString error;
        loaded = readFlows(options.serverReplay, &error);
        if (!error.isEmpty())
            return QStringLiteral("server_replay: ") + error;
    }
    if (options.serverReplayKillExtra)
        log(proxy::LogLevel::Warn,
            QStringLiteral("server_replay_kill_extra has been deprecated, please update your "
                           "config to use server_replay_extra=kill."));

    std::lock_guard lock(m_mutex);
    m_extra = extra;
    m_extraStatus = status;
    m_reuse = options.serverReplayReuse;
    m_refresh = options.serverReplayRefresh;
    const bool rekey = !(keys == m_keys);
    m_keys = std::move(keys);
    if (loaded) {
        m_files = options.serverReplay;
        std::vector<Entry> entries = entriesOf(std::move(*loaded));
        const size_t n = entries.size();
        m_map.clear();
        fileEntries(std::move(entries));
        if (!m_files.isEmpty())
            log(proxy::LogLevel::Info,
                QStringLiteral("server_replay: %1 recorded responses loaded").arg(n));
    } else if (rekey) {
        std::vector<Entry> entries;
        for (auto& list : m_map)
            for (Entry& entry : list)
                entries.push_back(std::move(entry));
        std::sort(entries.begin(), entries.end(),
                  [](const Entry& a, const Entry& b) { return a.order < b.order; });
        m_map.clear();
        fileEntries(std::move(entries));
    }
    updateWanted();
    return {};
}

std::vector<ServerReplay::Entry> ServerReplay::entriesOf(QList<HttpFlow> flows) const
{
    std::vector<Entry> entries;
    int streamed = 0;
    for (HttpFlow& f : flows) {
        if (!f.response || f.kind != FlowKind::Http)
            continue;
        if (f.response->body.streamed) {
            ++streamed;
            continue;
        }
        const quint64 order = entries.size();
        entries.push_back(Entry{order, std::make_shared<const HttpFlow>(std::move(f))});
    }
    if (streamed)
        log(proxy::LogLevel::Warn,
            QStringLiteral("server_replay: %1 recorded responses were streamed (their bodies were "
                           "not recorded) and are not replayed")
                .arg(streamed));
    return entries;
}

void ServerReplay::setFlows(const QList<HttpFlow>& flows)
{
    std::vector<Entry> entries = entriesOf(flows);
    std::lock_guard lock(m_mutex);
    m_map.clear();
    fileEntries(std::move(entries));
    updateWanted();
}

void ServerReplay::fileEntries(std::vector<Entry> entries)
{
    for (Entry& e : entries) {
        const QByteArray k = key(e.flow->request, m_keys);
        m_map[k].push_back(std::move(e));
    }
}

void ServerReplay::updateWanted()
{
    using proxy::HookKind;
    using proxy::Services;
    m_wanted.store(m_map.isEmpty()
                       ? 0
                       : Services::bit(HookKind::Request) | Services::bit(HookKind::HttpConnect) |
                             Services::bit(HookKind::TlsClientHello),
                   std::memory_order_relaxed);
}

int ServerReplay::count() const
{
    std::lock_guard lock(m_mutex);
    int n = 0;
    for (const auto& list : m_map)
        n += int(list.size());
    return n;
}

quint64 ServerReplay::wantedHooks() const
{
    return m_wanted.load(std::memory_order_relaxed);
}

bool ServerReplay::covers(const QByteArray& host, quint16 port) const
{
    std::lock_guard lock(m_mutex);
    if (m_map.isEmpty())
        return false;
    if (m_extra != Extra::Forward)
        return true; // every request in the tunnel gets an answer here
    const QByteArray h = host.toLower();
    for (const auto& list : m_map) {
        for (const Entry& e : list) {
            const Request& r = e.flow->request;
            if ((m_keys.ignoreHost || prettyHost(r) == h || r.host.toLower() == h) &&
                (m_keys.ignorePort || r.port == port))
                return true;
        }
    }
    return false;
}

bool ServerReplay::run(const proxy::HookPtr& hook, const std::function<void()>& complete)
{
    if (hook->kind == proxy::HookKind::TlsClientHello) {
        proxy::ClientHelloData* hello = hook->clientHello.get();
        // A tunnel opened without its server (httpConnect below, or connection_strategy=lazy):
        // its requests will be answered here, so the client's handshake need not wait for it.
        if (hello && !hello->ignoreConnection && !hello->serverConnected &&
            hello->server.isValid() && covers(hello->server.host, hello->server.port))
            hello->establishServerTlsFirst = false;
        return true;
    }
    return Addon::run(hook, complete);
}

void ServerReplay::httpConnect(HttpFlow& flow)
{
    if (flow.response || flow.error)
        return;
    if (!covers(flow.request.host, flow.request.port))
        return;
    Response ok = Response::make(200, {}, {});
    ok.reason = "Connection established";
    flow.response = std::move(ok);
}

std::shared_ptr<const HttpFlow> ServerReplay::take(const HttpFlow& flow)
{
    std::lock_guard lock(m_mutex);
    auto it = m_map.find(key(flow.request, m_keys));
    if (it == m_map.end())
        return nullptr;
    std::shared_ptr<const HttpFlow> found = it->front().flow;
    if (!m_reuse) {
        it->pop_front();
        if (it->empty()) {
            m_map.erase(it);
            updateWanted();
        }
    }
    return found;
}

void ServerReplay::request(HttpFlow& flow)
{
    if (flow.response || flow.error || flow.request.isConnect())
        return;
    Extra extra;
    int status;
    bool refreshing;
    {
        std::lock_guard lock(m_mutex);
        if (m_map.isEmpty())
            return; // nothing (left) to replay: mitmproxy's `if self.flowmap`
        extra = m_extra;
        status = m_extraStatus;
        refreshing = m_refresh;
    }
    const double now = m_clock();
    if (const auto recorded = take(flow)) {
        Response r = *recorded->response;
        if (refreshing)
            refresh(r, now);
        r.timestampStart = now;
        r.timestampEnd = now;
        flow.response = std::move(r);
        flow.isServerReplay = true;
        return;
    }
    const QString url = QString::fromUtf8(flow.request.url());
    switch (extra) {
    case Extra::Forward:
        return;
    case Extra::Kill:
        log(proxy::LogLevel::Warn,
            QStringLiteral("server_playback: killed non-replay request %1").arg(url));
        flow.error = FlowError{QStringLiteral("Connection killed."), now};
        return;
    case Extra::Status: {
        log(proxy::LogLevel::Warn,
            QStringLiteral("server_playback: returned %1 non-replay request %2")
                .arg(status)
                .arg(url));
        Response r = Response::make(status, {}, {});
        r.timestampStart = now;
        r.timestampEnd = now;
        flow.response = std::move(r);
        flow.isServerReplay = true;
        return;
    }
    }
}

} // namespace spyglass::addons

#include "addons/sticky_cookie.h"

#include "addons/flow_spec.h"
#include "options/options.h"
#include "proxy/context.h"

#include <QDateTime>

namespace spyglass::addons {

namespace {

struct SetCookie
{
    QByteArray name;
    QByteArray value;
    QByteArray domain;
    QByteArray path;
    bool expired = false;
};

std::optional<SetCookie> parseSetCookie(const QByteArray& header)
{
    const QList<QByteArray> parts = header.split(';');
    const QByteArray first = parts.first().trimmed();
    const qsizetype eq = first.indexOf('=');
    if (eq <= 0)
        return std::nullopt;
    SetCookie c;
    c.name = first.left(eq).trimmed();
    c.value = first.mid(eq + 1).trimmed();
    for (qsizetype i = 1; i < parts.size(); ++i) {
        const QByteArray attr = parts.at(i).trimmed();
        const qsizetype aeq = attr.indexOf('=');
        const QByteArray key = (aeq < 0 ? attr : attr.left(aeq)).trimmed().toLower();
        const QByteArray val = aeq < 0 ? QByteArray() : attr.mid(aeq + 1).trimmed();
        if (key == "domain") {
            c.domain = val;
        } else if (key == "path") {
            c.path = val;
        } else if (key == "max-age") {
            bool ok = false;
            const qint64 age = val.toLongLong(&ok);
            if (ok && age <= 0)
                c.expired = true;
        } else if (key == "expires") {
            const QDateTime when = QDateTime::fromString(QString::fromLatin1(val), Qt::RFC2822Date);
            if (when.isValid() && when < QDateTime::currentDateTimeUtc())
                c.expired = true;
        }
    }
    return c;
}

bool isHostDomainName(const QByteArray& s)
{
    // cookiejar.is_HDN: not an IP address, not empty, no leading/trailing dot.
    if (s.isEmpty() || s.startsWith('.') || s.endsWith('.'))
        return false;
    bool digitsAndDots = true;
    for (char ch : s)
        if (!(ch == '.' || (ch >= '0' && ch <= '9')))
            digitsAndDots = false;
    return !digitsAndDots;
}

bool cookiejarDomainMatch(QByteArray a, QByteArray b)
{
    a = a.toLower();
    b = b.toLower();
    if (a == b)
        return true;
    if (!isHostDomainName(a))
        return false;
    const qsizetype i = a.lastIndexOf(b);
    if (i <= 0 || i + b.size() != a.size())
        return false;
    if (!b.startsWith('.'))
        return false;
    return isHostDomainName(b.mid(1));
}

} // namespace

bool StickyCookie::domainMatch(const QByteArray& host, const QByteArray& domain)
{
    QByteArray stripped = domain;
    while (stripped.startsWith('.'))
        stripped.remove(0, 1);
    while (stripped.endsWith('.'))
        stripped.chop(1);
    return cookiejarDomainMatch(host, domain) || cookiejarDomainMatch(host, stripped);
}

QString StickyCookie::configure(const Options& options)
{
    if (options.stickycookie.isEmpty()) {
        m_filter.store(std::make_shared<const std::optional<filter::Filter>>());
        return {};
    }
    QString error;
    auto f = FlowSpec::parseFilter(options.stickycookie, &error);
    if (!f)
        return QStringLiteral("stickycookie: ") + error;
    m_filter.store(std::make_shared<const std::optional<filter::Filter>>(std::move(*f)));
    return {};
}

quint64 StickyCookie::wantedHooks() const
{
    using proxy::HookKind;
    using proxy::Services;
    return m_filter.load()->has_value()
               ? Services::bit(HookKind::Request) | Services::bit(HookKind::Response)
               : 0;
}

void StickyCookie::response(HttpFlow& flow)
{
    if (!m_filter.load()->has_value() || !flow.response)
        return;
    std::lock_guard lock(m_mutex);
    for (const QByteArray& header : flow.response->headers.values("set-cookie")) {
        const auto c = parseSetCookie(header);
        if (!c)
            continue;
        const Key key{c->domain.isEmpty() ? flow.request.host : c->domain, flow.request.port,
                      c->path.isEmpty() ? QByteArray("/") : c->path};
        if (!domainMatch(flow.request.host, std::get<0>(key)))
            continue;
        Cookies& cookies = m_jar[key];
        const auto it = std::find_if(cookies.begin(), cookies.end(),
                                     [&](const auto& p) { return p.first == c->name; });
        if (c->expired) {
            if (it != cookies.end())
                cookies.erase(it);
            if (cookies.isEmpty())
                m_jar.erase(key);
        } else if (it != cookies.end()) {
            it->second = c->value;
        } else {
            cookies.append({c->name, c->value});
        }
    }
}

void StickyCookie::request(HttpFlow& flow)
{
    const auto f = m_filter.load();
    if (!f->has_value() || !(*f)->matches(flow))
        return;
    Cookies sticky;
    {
        std::lock_guard lock(m_mutex);
        for (const auto& [key, cookies] : m_jar) {
            const auto& [domain, port, path] = key;
            if (domainMatch(flow.request.host, domain) && flow.request.port == port &&
                flow.request.path.startsWith(path))
                sticky += cookies;
        }
    }
    if (sticky.isEmpty())
        return;
    // Cookies the request already carries win over remembered ones of the same name.
    QList<QByteArray> parts;
    QList<QByteArray> present;
    for (const QByteArray& header : flow.request.headers.values("cookie")) {
        for (const QByteArray& piece : header.split(';')) {
            const QByteArray p = piece.trimmed();
            if (p.isEmpty())
                continue;
            parts.append(p);
            present.append(p.left(p.indexOf('=')).trimmed());
        }
    }
    for (const auto& [name, value] : sticky) {
        if (present.contains(name))
            continue;
        present.append(name);
        parts.append(name + '=' + value);
    }
    flow.request.headers.set("Cookie", parts.join("; "));
}

} // namespace spyglass::addons

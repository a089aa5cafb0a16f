#pragma once
// stickycookie (mitmproxy `addons/stickycookie.py`): a cookie jar shared by every client.
// While the filter is set, every response's Set-Cookie is remembered under (domain, port,
// path) (an expired one is forgotten), and a request that matches the filter gets the
// remembered cookies whose domain, port and path fit it added to its Cookie header (cookies
// it already sends win). Domains match as in Python's http.cookiejar.domain_match: exactly, or
// by a ".example.com" suffix. The jar lives as long as the engine.

#include "addons/addon.h"
#include "addons/config_slot.h"
#include "filter/filter.h"

#include <QList>
#include <map>
#include <mutex>
#include <optional>
#include <tuple>

namespace spyglass::addons {

class StickyCookie : public Addon
{
public:
    QString name() const override { return QStringLiteral("stickycookie"); }
    QString configure(const Options& options) override;
    quint64 wantedHooks() const override;
    void request(HttpFlow& flow) override;
    void response(HttpFlow& flow) override;

    // http.cookiejar.domain_match(host, domain), also tried with domain's dots stripped.
    static bool domainMatch(const QByteArray& host, const QByteArray& domain);

private:
    using Key = std::tuple<QByteArray, quint16, QByteArray>; // domain, port, path
    using Cookies = QList<std::pair<QByteArray, QByteArray>>;

    ConfigSlot<std::optional<filter::Filter>> m_filter; // nullopt: off
    std::mutex m_mutex;
    std::map<Key, Cookies> m_jar;
};

} // namespace spyglass::addons

#include "system_proxy.h"

#include "options/options.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSaveFile>
#include <QStandardPaths>

#ifdef Q_OS_WIN
#include <windows.h>
#include <wininet.h>
#endif

namespace spyglass {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("spyglass::SystemProxy", text);
}

constexpr const char* kMarker = "system-proxy-restore.json";

// The GNOME keys, as "schema-suffix.key" under org.gnome.system.proxy; mode last, so a
// client never sees 'manual' with half of the addresses.
const QStringList& gnomeKeys()
{
    static const QStringList keys{QStringLiteral("http.host"), QStringLiteral("http.port"),
                                  QStringLiteral("https.host"), QStringLiteral("https.port"),
                                  QStringLiteral("mode")};
    return keys;
}

QStringList gnomeSchemaAndKey(const QString& key)
{
    const int dot = key.indexOf(QLatin1Char('.'));
    if (dot < 0)
        return {QStringLiteral("org.gnome.system.proxy"), key};
    return {QStringLiteral("org.gnome.system.proxy.") + key.left(dot), key.mid(dot + 1)};
}

// A GVariant text string: 'value' with ' and \ escaped.
QString gvariantString(const QString& s)
{
    QString e = s;
    e.replace(QLatin1String("\\"), QLatin1String("\\\\"));
    e.replace(QLatin1String("'"), QLatin1String("\\'"));
    return QLatin1Char('\'') + e + QLatin1Char('\'');
}

} // namespace

SystemProxy::SystemProxy(const QString& confdir) : m_confdir(expandHome(confdir))
{
#if defined(Q_OS_WIN)
    m_backend = Backend::Windows;
#elif defined(Q_OS_MACOS)
    m_tool = QStandardPaths::findExecutable(QStringLiteral("networksetup"));
    if (!m_tool.isEmpty())
        m_backend = Backend::MacOs;
#else
    m_tool = QStandardPaths::findExecutable(QStringLiteral("gsettings"));
    QByteArray out;
    QString error;
    if (!m_tool.isEmpty() &&
        run(m_tool,
            {QStringLiteral("writable"), QStringLiteral("org.gnome.system.proxy"),
             QStringLiteral("mode")},
            &out, &error) &&
        out.trimmed() == "true")
        m_backend = Backend::Gnome;
#endif
}

QString SystemProxy::unavailableReason() const
{
    if (m_backend != Backend::None)
        return {};
#if defined(Q_OS_MACOS)
    return tr("networksetup was not found");
#else
    if (m_tool.isEmpty())
        return tr("gsettings was not found: only GNOME's proxy setting (and desktops that read "
                  "it) can be changed from here");
    return tr("the GNOME proxy settings (org.gnome.system.proxy) are not available or not "
              "writable");
#endif
}

QString SystemProxy::markerPath() const
{
    return m_confdir + QLatin1Char('/') + QLatin1String(kMarker);
}

bool SystemProxy::isEnabled() const
{
    return QFile::exists(markerPath());
}

bool SystemProxy::run(const QString& program, const QStringList& args, QByteArray* out,
                      QString* error) const
{
    QProcess p;
    p.start(program, args);
    if (!p.waitForFinished(10000)) {
        *error = tr("%1 did not finish: %2").arg(program, p.errorString());
        p.kill();
        return false;
    }
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        *error = tr("%1 %2 failed: %3")
                     .arg(QFileInfo(program).fileName(), args.join(QLatin1Char(' ')),
                          QString::fromLocal8Bit(p.readAllStandardError()).trimmed());
        return false;
    }
    if (out)
        *out = p.readAllStandardOutput();
    return true;
}

bool SystemProxy::gnomeRead(QJsonObject* previous, QString* error) const
{
    for (const QString& key : gnomeKeys()) {
        QByteArray out;
        if (!run(m_tool, QStringList{QStringLiteral("get")} + gnomeSchemaAndKey(key), &out, error))
            return false;
        previous->insert(key, QString::fromUtf8(out.trimmed()));
    }
    return true;
}

bool SystemProxy::gnomeApply(const QJsonObject& values, QString* error) const
{
    for (const QString& key : gnomeKeys()) {
        if (!values.contains(key))
            continue;
        if (!run(m_tool,
                 QStringList{QStringLiteral("set")} + gnomeSchemaAndKey(key) +
                     QStringList{values.value(key).toString()},
                 nullptr, error))
            return false;
    }
    return true;
}

bool SystemProxy::macRead(QJsonObject* previous, QString* error) const
{
    QByteArray out;
    if (!run(m_tool, {QStringLiteral("-listallnetworkservices")}, &out, error))
        return false;
    QJsonObject services;
    const QList<QByteArray> lines = out.split('\n');
    for (int i = 1; i < lines.size(); ++i) { // line 0 explains the asterisk
        const QString service = QString::fromUtf8(lines[i].trimmed());
        if (service.isEmpty() || service.startsWith(QLatin1Char('*'))) // disabled
            continue;
        QJsonObject entry;
        for (const char* kind : {"web", "secureweb"}) {
            QByteArray info;
            if (!run(m_tool, {QStringLiteral("-get%1proxy").arg(QLatin1String(kind)), service},
                     &info, error))
                return false;
            QJsonObject state;
            for (const QByteArray& l : info.split('\n')) {
                const int colon = l.indexOf(':');
                if (colon < 0)
                    continue;
                const QByteArray name = l.left(colon).trimmed();
                const QString value = QString::fromUtf8(l.mid(colon + 1).trimmed());
                if (name == "Enabled")
                    state.insert(QStringLiteral("enabled"), value == QLatin1String("Yes"));
                else if (name == "Server")
                    state.insert(QStringLiteral("server"), value);
                else if (name == "Port")
                    state.insert(QStringLiteral("port"), value);
            }
            entry.insert(QLatin1String(kind), state);
        }
        services.insert(service, entry);
    }
    previous->insert(QStringLiteral("services"), services);
    return true;
}

bool SystemProxy::macApply(const QJsonObject& values, QString* error) const
{
    const QJsonObject services = values.value(QStringLiteral("services")).toObject();
    for (auto it = services.begin(); it != services.end(); ++it) {
        const QJsonObject entry = it.value().toObject();
        for (const char* kind : {"web", "secureweb"}) {
            const QJsonObject state = entry.value(QLatin1String(kind)).toObject();
            const QString server = state.value(QStringLiteral("server")).toString();
            if (!server.isEmpty() &&
                !run(m_tool,
                     {QStringLiteral("-set%1proxy").arg(QLatin1String(kind)), it.key(), server,
                      state.value(QStringLiteral("port")).toString()},
                     nullptr, error))
                return false;
            const bool on = state.value(QStringLiteral("enabled")).toBool();
            if (!run(m_tool,
                     {QStringLiteral("-set%1proxystate").arg(QLatin1String(kind)), it.key(),
                      on ? QStringLiteral("on") : QStringLiteral("off")},
                     nullptr, error))
                return false;
        }
    }
    return true;
}

bool SystemProxy::windowsRead(QJsonObject* previous, QString* error) const
{
#ifdef Q_OS_WIN
    INTERNET_PER_CONN_OPTIONW options[3];
    options[0].dwOption = INTERNET_PER_CONN_FLAGS;
    options[1].dwOption = INTERNET_PER_CONN_PROXY_SERVER;
    options[2].dwOption = INTERNET_PER_CONN_PROXY_BYPASS;
    INTERNET_PER_CONN_OPTION_LISTW list{};
    list.dwSize = sizeof(list);
    list.pszConnection = nullptr; // the LAN settings
    list.dwOptionCount = 3;
    list.pOptions = options;
    DWORD size = sizeof(list);
    if (!InternetQueryOptionW(nullptr, INTERNET_OPTION_PER_CONNECTION_OPTION, &list, &size)) {
        *error = tr("InternetQueryOption failed (error %1)").arg(GetLastError());
        return false;
    }
    auto take = [](LPWSTR s) {
        const QString out = s ? QString::fromWCharArray(s) : QString();
        if (s)
            GlobalFree(s);
        return out;
    };
    previous->insert(QStringLiteral("flags"), qint64(options[0].Value.dwValue));
    previous->insert(QStringLiteral("server"), take(options[1].Value.pszValue));
    previous->insert(QStringLiteral("bypass"), take(options[2].Value.pszValue));
    return true;
#else
    Q_UNUSED(previous);
    *error = tr("WinINet exists only on Windows");
    return false;
#endif
}

bool SystemProxy::windowsApply(const QJsonObject& values, QString* error) const
{
#ifdef Q_OS_WIN
    std::wstring server = values.value(QStringLiteral("server")).toString().toStdWString();
    std::wstring bypass = values.value(QStringLiteral("bypass")).toString().toStdWString();
    INTERNET_PER_CONN_OPTIONW options[3];
    options[0].dwOption = INTERNET_PER_CONN_FLAGS;
    options[0].Value.dwValue = DWORD(values.value(QStringLiteral("flags")).toInteger());
    options[1].dwOption = INTERNET_PER_CONN_PROXY_SERVER;
    options[1].Value.pszValue = server.data();
    options[2].dwOption = INTERNET_PER_CONN_PROXY_BYPASS;
    options[2].Value.pszValue = bypass.data();
    INTERNET_PER_CONN_OPTION_LISTW list{};
    list.dwSize = sizeof(list);
    list.pszConnection = nullptr;
    list.dwOptionCount = 3;
    list.pOptions = options;
    if (!InternetSetOptionW(nullptr, INTERNET_OPTION_PER_CONNECTION_OPTION, &list, sizeof(list))) {
        *error = tr("InternetSetOption failed (error %1)").arg(GetLastError());
        return false;
    }
    // Running applications re-read the setting.
    InternetSetOptionW(nullptr, INTERNET_OPTION_SETTINGS_CHANGED, nullptr, 0);
    InternetSetOptionW(nullptr, INTERNET_OPTION_REFRESH, nullptr, 0);
    return true;
#else
    Q_UNUSED(values);
    *error = tr("WinINet exists only on Windows");
    return false;
#endif
}

bool SystemProxy::enable(const QString& host, quint16 port, QString* error)
{
    if (m_backend == Backend::None) {
        *error = unavailableReason();
        return false;
    }
    if (isEnabled()) // already ours: keep the oldest saved values
        return disable(error) && enable(host, port, error);
    QJsonObject previous;
    QJsonObject wanted;
    const QString portText = QString::number(port);
    switch (m_backend) {
    case Backend::Gnome:
        previous.insert(QStringLiteral("backend"), QStringLiteral("gnome"));
        if (!gnomeRead(&previous, error))
            return false;
        wanted = {{QStringLiteral("http.host"), gvariantString(host)},
                  {QStringLiteral("http.port"), portText},
                  {QStringLiteral("https.host"), gvariantString(host)},
                  {QStringLiteral("https.port"), portText},
                  {QStringLiteral("mode"), QStringLiteral("'manual'")}};
        break;
    case Backend::MacOs: {
        previous.insert(QStringLiteral("backend"), QStringLiteral("macos"));
        if (!macRead(&previous, error))
            return false;
        QJsonObject services;
        const QJsonObject old = previous.value(QStringLiteral("services")).toObject();
        const QJsonObject ours{{QStringLiteral("enabled"), true},
                               {QStringLiteral("server"), host},
                               {QStringLiteral("port"), portText}};
        for (auto it = old.begin(); it != old.end(); ++it)
            services.insert(it.key(), QJsonObject{{QStringLiteral("web"), ours},
                                                  {QStringLiteral("secureweb"), ours}});
        wanted.insert(QStringLiteral("services"), services);
        break;
    }
    case Backend::Windows:
        previous.insert(QStringLiteral("backend"), QStringLiteral("windows"));
        if (!windowsRead(&previous, error))
            return false;
        wanted = {{QStringLiteral("flags"), 3}, // PROXY_TYPE_DIRECT | PROXY_TYPE_PROXY
                  {QStringLiteral("server"), QStringLiteral("%1:%2").arg(host, portText)},
                  {QStringLiteral("bypass"), QStringLiteral("<local>")}};
        break;
    case Backend::None:
        break;
    }
    // The marker first: a crash between here and the restore still finds the old values.
    QDir().mkpath(m_confdir);
    QSaveFile marker(markerPath());
    if (!marker.open(QIODevice::WriteOnly) || marker.write(QJsonDocument(previous).toJson()) < 0 ||
        !marker.commit()) {
        *error = tr("cannot write %1: %2").arg(markerPath(), marker.errorString());
        return false;
    }
    const bool ok = m_backend == Backend::Gnome   ? gnomeApply(wanted, error)
                    : m_backend == Backend::MacOs ? macApply(wanted, error)
                                                  : windowsApply(wanted, error);
    if (!ok) {
        QString ignored;
        restore(previous, &ignored);
        QFile::remove(markerPath());
    }
    return ok;
}

bool SystemProxy::restore(const QJsonObject& marker, QString* error) const
{
    const QString backend = marker.value(QStringLiteral("backend")).toString();
    if (backend == QLatin1String("gnome") && m_backend == Backend::Gnome)
        return gnomeApply(marker, error);
    if (backend == QLatin1String("macos") && m_backend == Backend::MacOs)
        return macApply(marker, error);
    if (backend == QLatin1String("windows") && m_backend == Backend::Windows)
        return windowsApply(marker, error);
    *error = tr("the saved proxy setting (%1) cannot be restored here").arg(backend);
    return false;
}

bool SystemProxy::disable(QString* error)
{
    QFile f(markerPath());
    if (!f.exists())
        return true;
    if (!f.open(QIODevice::ReadOnly)) {
        *error = tr("cannot read %1: %2").arg(markerPath(), f.errorString());
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &parseError);
    f.close();
    if (!doc.isObject()) {
        *error = tr("%1 is damaged (%2); it was left in place")
                     .arg(markerPath(), parseError.errorString());
        return false;
    }
    if (!restore(doc.object(), error))
        return false;
    QFile::remove(markerPath());
    return true;
}

bool SystemProxy::recoverIfNeeded(QString* error)
{
    return disable(error);
}

} // namespace spyglass

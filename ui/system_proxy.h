#pragma once
// The operating system's proxy setting, switched to Spyglass and back (issue 6 "System proxy"):
//
//   Linux (GNOME and desktops that read its settings): gsettings, org.gnome.system.proxy mode
//           'manual' with the http and https host and port;
//   Windows: WinINet's per-connection options (InternetSetOption), what Edge, Chrome and most
//           applications read;
//   macOS:  networksetup -setwebproxy / -setsecurewebproxy on every network service.
//
// What was set before is remembered in a marker file in the confdir
// (`system-proxy-restore.json`) before anything is changed, so that disable() puts it back
// and, after a crash, recoverIfNeeded() at the next start does. Nothing is restored twice:
// the marker goes once the old values are back.
//
// The GNOME and macOS paths run command-line tools, found on PATH (a test puts a fake
// gsettings there); the Windows path calls WinINet and is only compiled on Windows.

#include <QJsonObject>
#include <QString>

namespace spyglass {

class SystemProxy
{
public:
    enum class Backend
    {
        None,
        Gnome,
        Windows,
        MacOs,
    };

    explicit SystemProxy(const QString& confdir);

    // The backend this machine offers (None: no way to set it here, see unavailableReason()).
    Backend backend() const { return m_backend; }
    QString unavailableReason() const;
    QString markerPath() const;
    // True while Spyglass's setting is in force (the marker exists).
    bool isEnabled() const;

    // Points the system proxy at host:port; false and a one-line reason on failure (the
    // previous setting is then left as it was).
    bool enable(const QString& host, quint16 port, QString* error);
    // Puts back what enable() found; true when there was nothing to restore.
    bool disable(QString* error);
    // At start: a marker left by a crashed run means its setting is still in force; restore.
    bool recoverIfNeeded(QString* error);

private:
    bool run(const QString& program, const QStringList& args, QByteArray* out,
             QString* error) const;
    bool gnomeRead(QJsonObject* previous, QString* error) const;
    bool gnomeApply(const QJsonObject& values, QString* error) const;
    bool macRead(QJsonObject* previous, QString* error) const;
    bool macApply(const QJsonObject& values, QString* error) const;
    bool windowsRead(QJsonObject* previous, QString* error) const;
    bool windowsApply(const QJsonObject& values, QString* error) const;
    bool restore(const QJsonObject& marker, QString* error) const;

    QString m_confdir;
    Backend m_backend = Backend::None;
    QString m_tool; // gsettings or networksetup
};

} // namespace spyglass

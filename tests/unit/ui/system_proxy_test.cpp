#include "system_proxy.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace spyglass;

namespace {

// A gsettings that keeps values in files and records every call.
constexpr const char* kFakeGsettings = R"SH(#!/bin/sh
echo "$*" >> "$FAKE_GSETTINGS_DIR/calls"
store="$FAKE_GSETTINGS_DIR/store"
case "$1" in
writable) cat "$FAKE_GSETTINGS_DIR/writable" 2>/dev/null || echo true ;;
get) f="$store/$2.$3"
     if [ -f "$f" ]; then cat "$f"
     else case "$3" in port) echo 0 ;; mode) echo "'none'" ;; *) echo "''" ;; esac; fi ;;
set) mkdir -p "$store"; printf '%s\n' "$4" > "$store/$2.$3" ;;
*) echo "unknown command $1" >&2; exit 1 ;;
esac
)SH";

} // namespace

class SystemProxyTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_bin.isValid());
        QFile f(m_bin.filePath("gsettings"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(kFakeGsettings);
        f.close();
        QVERIFY(f.setPermissions(f.permissions() | QFileDevice::ExeOwner));
        m_path = qgetenv("PATH");
        qputenv("PATH", m_bin.path().toUtf8() + ':' + m_path);
    }

    void init()
    {
        m_state = std::make_unique<QTemporaryDir>();
        qputenv("FAKE_GSETTINGS_DIR", m_state->path().toUtf8());
        QDir(m_state->path()).mkpath("store");
        // What the user had before: an automatic proxy and an old manual address.
        put("org.gnome.system.proxy.mode", "'auto'");
        put("org.gnome.system.proxy.http.host", "'old.example'");
        put("org.gnome.system.proxy.http.port", "3128");
    }

    void enableThenDisableRestores()
    {
        QTemporaryDir confdir;
        SystemProxy proxy(confdir.path());
        QCOMPARE(proxy.backend(), SystemProxy::Backend::Gnome);
        QVERIFY(proxy.unavailableReason().isEmpty());
        QVERIFY(!proxy.isEnabled());
        QFile::remove(m_state->filePath("calls"));

        QString error;
        QVERIFY2(proxy.enable("127.0.0.1", 8080, &error), qPrintable(error));
        QVERIFY(proxy.isEnabled());
        QVERIFY(QFile::exists(confdir.filePath("system-proxy-restore.json")));
        QCOMPARE(get("org.gnome.system.proxy.mode"), QByteArray("'manual'"));
        QCOMPARE(get("org.gnome.system.proxy.http.host"), QByteArray("'127.0.0.1'"));
        QCOMPARE(get("org.gnome.system.proxy.http.port"), QByteArray("8080"));
        QCOMPARE(get("org.gnome.system.proxy.https.host"), QByteArray("'127.0.0.1'"));
        QCOMPARE(get("org.gnome.system.proxy.https.port"), QByteArray("8080"));
        // Read everything first, then set the addresses, the mode last.
        const QList<QByteArray> calls = this->calls();
        QCOMPARE(calls.size(), 10);
        for (int i = 0; i < 5; ++i)
            QVERIFY(calls[i].startsWith("get "));
        QCOMPARE(calls[5], QByteArray("set org.gnome.system.proxy.http host '127.0.0.1'"));
        QCOMPARE(calls[6], QByteArray("set org.gnome.system.proxy.http port 8080"));
        QCOMPARE(calls[9], QByteArray("set org.gnome.system.proxy mode 'manual'"));

        QVERIFY2(proxy.disable(&error), qPrintable(error));
        QVERIFY(!proxy.isEnabled());
        QCOMPARE(get("org.gnome.system.proxy.mode"), QByteArray("'auto'"));
        QCOMPARE(get("org.gnome.system.proxy.http.host"), QByteArray("'old.example'"));
        QCOMPARE(get("org.gnome.system.proxy.http.port"), QByteArray("3128"));
        QCOMPARE(get("org.gnome.system.proxy.https.host"), QByteArray("''"));
        QCOMPARE(get("org.gnome.system.proxy.https.port"), QByteArray("0"));
        QVERIFY(proxy.disable(&error)); // nothing left to restore
    }

    // A run that crashed left its setting and the marker: the next start restores.
    void crashRecovery()
    {
        QTemporaryDir confdir;
        QString error;
        {
            SystemProxy crashed(confdir.path());
            QVERIFY2(crashed.enable("10.0.0.2", 9090, &error), qPrintable(error));
        } // no disable(): the process "died"
        QCOMPARE(get("org.gnome.system.proxy.mode"), QByteArray("'manual'"));
        SystemProxy next(confdir.path());
        QVERIFY(next.isEnabled());
        QVERIFY2(next.recoverIfNeeded(&error), qPrintable(error));
        QVERIFY(!next.isEnabled());
        QCOMPARE(get("org.gnome.system.proxy.mode"), QByteArray("'auto'"));
        QCOMPARE(get("org.gnome.system.proxy.http.host"), QByteArray("'old.example'"));

        // Enabling twice keeps the oldest values to restore.
        QVERIFY(next.enable("127.0.0.1", 1, &error));
        QVERIFY(next.enable("127.0.0.1", 2, &error));
        QCOMPARE(get("org.gnome.system.proxy.http.port"), QByteArray("2"));
        QVERIFY(next.disable(&error));
        QCOMPARE(get("org.gnome.system.proxy.http.port"), QByteArray("3128"));
    }

    void damagedMarkerIsKept()
    {
        QTemporaryDir confdir;
        SystemProxy proxy(confdir.path());
        QFile marker(proxy.markerPath());
        QVERIFY(marker.open(QIODevice::WriteOnly));
        marker.write("{not json");
        marker.close();
        QString error;
        QVERIFY(!proxy.recoverIfNeeded(&error));
        QVERIFY(error.contains("system-proxy-restore.json"));
        QVERIFY(QFile::exists(proxy.markerPath()));
    }

    void unavailableWithoutGsettingsOrWhenReadOnly()
    {
        QTemporaryDir confdir;
        QFile w(m_state->filePath("writable"));
        QVERIFY(w.open(QIODevice::WriteOnly));
        w.write("false\n");
        w.close();
        SystemProxy readOnly(confdir.path());
        QCOMPARE(readOnly.backend(), SystemProxy::Backend::None);
        QVERIFY(readOnly.unavailableReason().contains("org.gnome.system.proxy"));
        QString error;
        QVERIFY(!readOnly.enable("127.0.0.1", 8080, &error));
        QVERIFY(!error.isEmpty());
        QVERIFY(!readOnly.isEnabled());

        const QByteArray path = qgetenv("PATH");
        qputenv("PATH", m_state->path().toUtf8()); // no gsettings at all
        SystemProxy none(confdir.path());
        qputenv("PATH", path);
        QCOMPARE(none.backend(), SystemProxy::Backend::None);
        QVERIFY(none.unavailableReason().contains("gsettings"));
    }

    void cleanupTestCase() { qputenv("PATH", m_path); }

private:
    void put(const QString& key, const QByteArray& value)
    {
        QFile f(m_state->filePath("store/" + key));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(value + '\n');
    }
    QByteArray get(const QString& key) const
    {
        QFile f(m_state->filePath("store/" + key));
        return f.open(QIODevice::ReadOnly) ? f.readAll().trimmed() : QByteArray("<unset>");
    }
    QList<QByteArray> calls() const
    {
        QFile f(m_state->filePath("calls"));
        return f.open(QIODevice::ReadOnly) ? f.readAll().trimmed().split('\n')
                                           : QList<QByteArray>{};
    }

    QTemporaryDir m_bin;
    std::unique_ptr<QTemporaryDir> m_state;
    QByteArray m_path;
};

QTEST_GUILESS_MAIN(SystemProxyTest)
#include "system_proxy_test.moc"

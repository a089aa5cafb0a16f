// proxyauth's credential checks: user:pass, any, htpasswd files with bcrypt, SHA-crypt and
// {SHA} entries (made here with crypt_r and SHA-1, as htpasswd -B / -s would), a file that
// changes after start-up, bad files named with their line, and Basic header parsing.

#include "layers/http/proxy_auth.h"

#include <QCryptographicHash>
#include <QTemporaryDir>
#include <QtTest>

#include <crypt.h>

using namespace spyglass::layers;

namespace {

QByteArray cryptHash(const char* pass, const char* setting)
{
    crypt_data data{};
    return QByteArray(crypt_r(pass, setting, &data));
}

QString writeFile(const QTemporaryDir& dir, const QByteArray& text)
{
    const QString path = dir.filePath(QStringLiteral("htpasswd"));
    QFile f(path);
    f.open(QIODevice::WriteOnly | QIODevice::Truncate);
    f.write(text);
    return path;
}

} // namespace

class ProxyAuthTest : public QObject
{
    Q_OBJECT
private slots:
    void plainAndAny()
    {
        QVERIFY(ProxyAuth::verify(QString(), "", ""));
        QVERIFY(ProxyAuth::verify("alice:s3cret:x", "alice", "s3cret:x"));
        QVERIFY(!ProxyAuth::verify("alice:s3cret", "alice", "wrong"));
        QVERIFY(!ProxyAuth::verify("alice:s3cret", "bob", "s3cret"));
        QVERIFY(ProxyAuth::verify("any", "whoever", "whatever"));
        QVERIFY(!ProxyAuth::verify("any", "", "")); // credentials are still required
        QCOMPARE(ProxyAuth::validate("alice:s3cret"), QString());
        QVERIFY(ProxyAuth::validate("nocolon").contains("username:password"));
    }

    void htpasswdEntries()
    {
        QTemporaryDir dir;
        const QByteArray sha =
            QCryptographicHash::hash("builder", QCryptographicHash::Sha1).toBase64();
        const QString path = writeFile(
            dir, "# users\nalice:" + cryptHash("wonder", "$2b$04$abcdefghijklmnopqrstuu") +
                     "\nbob:{SHA}" + sha + "\ncarol:" + cryptHash("sixsix", "$6$saltsalt") + "\n");
        const QString spec = "@" + path;
        QCOMPARE(ProxyAuth::validate(spec), QString());
        QVERIFY(ProxyAuth::verify(spec, "alice", "wonder"));
        QVERIFY(ProxyAuth::verify(spec, "alice", "wonder")); // the remembered answer
        QVERIFY(!ProxyAuth::verify(spec, "alice", "wonderland"));
        QVERIFY(ProxyAuth::verify(spec, "bob", "builder"));
        QVERIFY(!ProxyAuth::verify(spec, "bob", "Builder"));
        QVERIFY(ProxyAuth::verify(spec, "carol", "sixsix"));
        QVERIFY(!ProxyAuth::verify(spec, "mallory", "wonder"));

        // The file changes while the proxy runs: the new one counts (a different size, so
        // even a file system with coarse timestamps shows the change).
        writeFile(dir, "alice:" + cryptHash("changed", "$2b$04$zyxwvutsrqponmlkjihgfe") + "\n");
        QVERIFY(!ProxyAuth::verify(spec, "alice", "wonder"));
        QVERIFY(ProxyAuth::verify(spec, "alice", "changed"));
        QVERIFY(!ProxyAuth::verify(spec, "bob", "builder"));
    }

    void badFiles()
    {
        QTemporaryDir dir;
        QVERIFY(ProxyAuth::validate("@" + dir.filePath("missing")).contains("cannot read"));
        QString path = writeFile(dir, "alice:$apr1$abc$def\n");
        QVERIFY(ProxyAuth::validate("@" + path).contains("line 1: unsupported hash"));
        path = writeFile(dir, "# nobody\n\n");
        QVERIFY(ProxyAuth::validate("@" + path).contains("has no users"));
        path = writeFile(dir, "justaname\n");
        QVERIFY(ProxyAuth::validate("@" + path).contains("line 1: expected user:hash"));
    }

    void basicHeader()
    {
        QByteArray user, pass;
        QVERIFY(ProxyAuth::parseBasic("Basic dXNlcjpwOmFzcw==", &user, &pass));
        QCOMPARE(user, QByteArray("user"));
        QCOMPARE(pass, QByteArray("p:ass"));
        QVERIFY(ProxyAuth::parseBasic("  basic   dXNlcjpwOmFzcw==  ", &user, &pass));
        QVERIFY(!ProxyAuth::parseBasic("Bearer abc", &user, &pass));
        QVERIFY(!ProxyAuth::parseBasic("Basic !!notbase64!!", &user, &pass));
        QVERIFY(!ProxyAuth::parseBasic("Basic " + QByteArray("nocolon").toBase64(), &user, &pass));
        QVERIFY(!ProxyAuth::parseBasic("", &user, &pass));
    }
};

QTEST_GUILESS_MAIN(ProxyAuthTest)
#include "proxy_auth_test.moc"

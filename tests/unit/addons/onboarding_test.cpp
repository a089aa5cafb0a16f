#include "addons/onboarding.h"

#include "addon_flows.h"
#include "proxy/context.h"
#include "tls/certificate_authority.h"

#include <QCryptographicHash>
#include <QTemporaryDir>

using namespace spyglass;
using namespace spyglass::addons;
using namespace spyglass::test;

namespace {

QByteArray fileBytes(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class OnboardingTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        m_ca = CertificateAuthority::loadOrCreate(m_dir.path(), &error);
        QVERIFY2(m_ca, qPrintable(error));
    }

    void servesThePageAndEveryFormat()
    {
        Onboarding a;
        QVERIFY(a.configure(optionsWith({"confdir=" + m_dir.path()})).isEmpty());

        HttpFlow index = requestFlow("http://spyglass.proxy/");
        a.request(index);
        QVERIFY(index.response);
        QCOMPARE(index.response->statusCode, 200);
        QCOMPARE(index.response->headers.value("content-type"),
                 QByteArray("text/html; charset=utf-8"));
        const QByteArray html = index.response->body.content;
        for (const char* needle :
             {"/cert/pem", "/cert/cer", "/cert/p12", "Windows", "macOS", "Linux", "Firefox",
              "Android", "iOS", "update-ca-certificates", "add-trusted-cert"})
            QVERIFY2(html.contains(needle), needle);
        QVERIFY(html.contains(m_ca->sha256Fingerprint().toLatin1()));

        const struct
        {
            const char* path;
            const char* file;
            QByteArray type;
        } cases[] = {
            {"/cert/pem", CertificateAuthority::kCaCertPemFile, "application/x-x509-ca-cert"},
            {"/cert/cer", CertificateAuthority::kCaCertDerFile, "application/x-x509-ca-cert"},
            {"/cert/p12", CertificateAuthority::kCaCertP12File, "application/x-pkcs12"},
        };
        for (const auto& c : cases) {
            HttpFlow f = requestFlow(QByteArray("http://SPYGLASS.proxy") + c.path);
            a.request(f);
            QVERIFY2(f.response, c.path);
            QCOMPARE(f.response->statusCode, 200);
            QCOMPARE(f.response->headers.value("content-type"), c.type);
            QCOMPARE(f.response->headers.value("content-disposition"),
                     QByteArray("attachment; filename=\"") + c.file + '"');
            QCOMPARE(f.response->body.content, fileBytes(m_ca->filePath(c.file)));
        }
        QCOMPARE(fileBytes(m_ca->filePath(CertificateAuthority::kCaCertPemFile)),
                 m_ca->certificatePem());

        HttpFlow missing = requestFlow("http://spyglass.proxy/nope");
        a.request(missing);
        QCOMPARE(missing.response->statusCode, 404);
        HttpFlow post = requestFlow("http://spyglass.proxy/cert/pem", "POST");
        a.request(post);
        QCOMPARE(post.response->statusCode, 405);
        QCOMPARE(post.response->headers.value("allow"), QByteArray("GET, HEAD"));
    }

    void leavesOtherHostsAlone()
    {
        Onboarding a;
        QVERIFY(a.configure(optionsWith({"confdir=" + m_dir.path()})).isEmpty());
        HttpFlow other = requestFlow("http://example.com/cert/pem");
        a.request(other);
        QVERIFY(!other.response);
        HttpFlow connect = requestFlow("http://example.com/");
        connect.request.method = "CONNECT";
        a.httpConnect(connect);
        QVERIFY(!connect.response);
    }

    void connectAndClientHelloNeedNoServer()
    {
        Onboarding a;
        QVERIFY(a.configure(optionsWith({"confdir=" + m_dir.path()})).isEmpty());
        HttpFlow connect;
        connect.request.method = "CONNECT";
        connect.request.host = "spyglass.proxy";
        connect.request.port = 443;
        a.httpConnect(connect);
        QVERIFY(connect.response);
        QCOMPARE(connect.response->statusCode, 200);

        for (const QByteArray& sni : {QByteArray("spyglass.proxy"), QByteArray("example.com")}) {
            auto hello = std::make_shared<proxy::ClientHelloData>();
            hello->sni = sni;
            auto hook = std::make_shared<proxy::HookData>(
                proxy::HookData{proxy::HookKind::TlsClientHello, {}, {}, hello, {}});
            QVERIFY(a.run(hook, [] {}));
            QCOMPARE(hello->establishServerTlsFirst, sni != "spyglass.proxy");
        }
    }

    void optionsChangeTheHostOrTurnItOff()
    {
        Onboarding a;
        QVERIFY(a.configure(optionsWith({"confdir=" + m_dir.path(), "onboarding_host=Mitm.It"}))
                    .isEmpty());
        HttpFlow old = requestFlow("http://spyglass.proxy/");
        a.request(old);
        QVERIFY(!old.response);
        HttpFlow renamed = requestFlow("http://mitm.it/cert/pem");
        a.request(renamed);
        QVERIFY(renamed.response);
        QCOMPARE(renamed.response->statusCode, 200);

        QVERIFY(
            a.configure(optionsWith({"confdir=" + m_dir.path(), "onboarding=false"})).isEmpty());
        QCOMPARE(a.wantedHooks(), quint64(0));
        HttpFlow off = requestFlow("http://spyglass.proxy/");
        a.request(off);
        QVERIFY(!off.response);

        QVERIFY(!a.configure(optionsWith({"onboarding_host="})).isEmpty());
    }

    void missingCertificateIsAClearError()
    {
        QTemporaryDir empty;
        Onboarding a;
        QVERIFY(a.configure(optionsWith({"confdir=" + empty.path()})).isEmpty());
        HttpFlow f = requestFlow("http://spyglass.proxy/cert/p12");
        a.request(f);
        QCOMPARE(f.response->statusCode, 503);
        QVERIFY(f.response->body.content.contains("spyglass-ca-cert.p12"));
        HttpFlow index = requestFlow("http://spyglass.proxy/");
        a.request(index);
        QCOMPARE(index.response->statusCode, 200);
        QVERIFY(index.response->body.content.contains("could not be read"));
    }

private:
    QTemporaryDir m_dir;
    std::shared_ptr<const CertificateAuthority> m_ca;
};

QTEST_GUILESS_MAIN(OnboardingTest)
#include "onboarding_test.moc"

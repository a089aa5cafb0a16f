// The server's peername (the IP the socket connected to, Connection::peername): kept by the
// session codec (appended to the connection section, format 1.3), written as HAR's
// serverIPAddress and read back from it, and used by curl exports with
// export_preserve_original_ip (--resolve), where the dialled name is no IP.

#include "io/flow_codec.h"
#include "io/flow_export.h"
#include "io/har_reader.h"
#include "io/har_writer.h"
#include "options/options.h"

#include <QtTest>

using namespace spyglass;

namespace {
HttpFlow namedServerFlow()
{
    HttpFlow f;
    f.request.method = "GET";
    f.request.scheme = "http";
    f.request.host = "example.test";
    f.request.port = 8081;
    f.request.path = "/x";
    f.request.httpVersion = "HTTP/1.1";
    f.request.headers.add("Host", "example.test:8081");
    f.server.role = Connection::Role::Server;
    f.server.peer = {"example.test", 8081};
    f.server.peername = {"192.0.2.7", 8081};
    f.response = Response::make(200, "ok");
    f.live = false;
    return f;
}
} // namespace

class PeernameIoTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void codecKeepsPeername()
    {
        const HttpFlow f = namedServerFlow();
        HttpFlow back;
        QCOMPARE(FlowCodec::decodeFlow(FlowCodec::encodeFlow(f), {}, back), QString());
        QCOMPARE(back.server.peername, f.server.peername);
        QCOMPARE(back.server.peer, f.server.peer);
        QVERIFY(!back.client.peername.isValid());
    }

    void curlResolvesToPeername()
    {
        Options o;
        o.exportPreserveOriginalIp = true;
        QString error;
        const QByteArray cmd = FlowExport::curl(namedServerFlow(), o, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY2(cmd.contains("--resolve 'example.test:8081:[192.0.2.7]'"), cmd.constData());
        o.exportPreserveOriginalIp = false;
        QVERIFY(!FlowExport::curl(namedServerFlow(), o, &error).contains("--resolve"));
    }

    void harCarriesPeername()
    {
        const QByteArray har =
            HarWriter::toHar({std::make_shared<const HttpFlow>(namedServerFlow())});
        QVERIFY2(har.contains("\"serverIPAddress\": \"192.0.2.7\"") ||
                     har.contains("\"serverIPAddress\":\"192.0.2.7\""),
                 har.constData());
        const HarReader::Result r = HarReader::parse(har, QStringLiteral("test.har"));
        QVERIFY(r.ok());
        QCOMPARE(r.flows.size(), 1);
        QCOMPARE(r.flows.first().server.peername, (Address{"192.0.2.7", 8081}));
    }
};

QTEST_GUILESS_MAIN(PeernameIoTest)
#include "peername_io_test.moc"

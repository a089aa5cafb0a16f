// What a retained flow costs in FlowStore, against keeping its snapshot (the store before it
// encoded finished flows). Feeds SPYGLASS_STORE_FLOWS (default 100,000) finished flows shaped
// like a real HTTPS exchange, in FlowHub-sized batches, and prints with qInfo:
//   - heap in use (glibc mallinfo2) and RSS after minus before, per flow,
//   - the same minus the 1 KiB response body (the target: <= 1.5 KiB beyond the bodies),
//   - apply() cost per flow, and at() / forEach() decode cost per flow.
// The figures depend on the machine and the allocator, so nothing here asserts them: the test
// asserts what the store gives back (a sample of flows compared field by field).

#include "flow/flow_store.h"

#include "../io/sample_flows.h"

#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QtTest>

#include <malloc.h>
#include <unistd.h>
#include <vector>

using namespace spyglass;
using namespace spyglass::test;

namespace {

constexpr int FlowsPerConnection = 5;
constexpr int Servers = 10;
constexpr int BatchSize = 100; // FlowHub's 30 ms at ~3,000 flows/s
constexpr int BodySize = 1024;

int flowCount()
{
    bool ok = false;
    const int n = qEnvironmentVariableIntValue("SPYGLASS_STORE_FLOWS", &ok);
    return ok && n > 0 ? n : 100'000;
}

struct Memory
{
    qint64 heap = 0; // bytes malloc has handed out and not had back
    qint64 rss = 0;
};

Memory memoryNow()
{
    malloc_trim(0);
    Memory m;
    const struct mallinfo2 mi = mallinfo2();
    m.heap = qint64(mi.uordblks + mi.hblkhd);
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (statm.open(QIODevice::ReadOnly)) {
        const QList<QByteArray> fields = statm.readAll().split(' ');
        if (fields.size() > 1)
            m.rss = fields[1].toLongLong() * sysconf(_SC_PAGESIZE);
    }
    return m;
}

// A certificate chain the size of a real one (leaf, intermediate, root: ~3.9 KB of DER).
QList<QByteArray> chainFor(int server)
{
    return {binaryBlob(1400, server), binaryBlob(1300, server + 100),
            binaryBlob(1200, server + 200)};
}

// Fresh strings every time, as a parser and a TLS layer make them.
Connection clientConnection(int c)
{
    Connection k;
    k.id = quint64(2 * c + 1);
    k.role = Connection::Role::Client;
    k.peer = {"192.168.1." + QByteArray::number(c % 250 + 1), quint16(40000 + c % 20000)};
    k.sockname = {QByteArray("127.0.0.1"), 8080};
    k.state = ConnectionState::Open;
    k.tls = true;
    k.tlsEstablished = true;
    k.sni = "api" + QByteArray::number(c % Servers) + ".example.com";
    k.alpnOffers = {QByteArray("h2"), QByteArray("http/1.1")};
    k.alpn = QByteArray("http/1.1");
    k.tlsVersion = QByteArray("TLSv1.3");
    k.cipher = QByteArray("TLS_AES_128_GCM_SHA256");
    k.timestampStart = 1700000000.0 + c;
    k.timestampTlsSetup = 1700000000.0015 + c;
    return k;
}

Connection serverConnection(int c, const QList<QList<QByteArray>>& chains)
{
    Connection k;
    k.id = quint64(2 * c + 2);
    k.role = Connection::Role::Server;
    k.peer = {"api" + QByteArray::number(c % Servers) + ".example.com", 443};
    k.sockname = {"10.0.0." + QByteArray::number(c % 200 + 2), quint16(30000 + c % 30000)};
    k.state = ConnectionState::Open;
    k.tls = true;
    k.tlsEstablished = true;
    k.sni = "api" + QByteArray::number(c % Servers) + ".example.com";
    k.alpnOffers = {QByteArray("h2"), QByteArray("http/1.1")};
    k.alpn = QByteArray("http/1.1");
    k.tlsVersion = QByteArray("TLSv1.3");
    k.cipher = QByteArray("TLS_AES_128_GCM_SHA256");
    k.certificateChainDer = chains[c % Servers]; // one list per server, shared
    k.timestampStart = 1700000000.0005 + c;
    k.timestampTcpSetup = 1700000000.0007 + c;
    k.timestampTlsSetup = 1700000000.0012 + c;
    return k;
}

HttpFlow exchange(int n, const Connection& client, const Connection& server)
{
    HttpFlow f;
    f.id = QUuid(uint(n), 0x5350, 0x4753, 1, 2, 3, 4, 5, 6, 7, 8);
    f.live = false;
    f.client = client;
    f.server = server;
    const double t = 1700000000.002 + n * 0.01;

    Request& rq = f.request;
    rq.method = QByteArray("GET");
    rq.scheme = QByteArray("https");
    rq.host = server.peer.host;
    rq.port = 443;
    rq.path = "/v1/items/" + QByteArray::number(n) + "?page=2";
    rq.httpVersion = QByteArray("HTTP/1.1");
    rq.headers.add(QByteArray("Host"), server.peer.host);
    rq.headers.add(QByteArray("User-Agent"),
                   QByteArray("Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 "
                              "Firefox/115.0"));
    rq.headers.add(QByteArray("Accept"), QByteArray("application/json"));
    rq.headers.add(QByteArray("Accept-Encoding"), QByteArray("gzip, deflate, br"));
    rq.timestampStart = t;
    rq.timestampEnd = t + 0.0001;

    Response rs;
    rs.httpVersion = QByteArray("HTTP/1.1");
    rs.statusCode = 200;
    rs.reason = QByteArray("OK");
    rs.headers.add(QByteArray("Content-Type"), QByteArray("application/json; charset=utf-8"));
    rs.headers.add(QByteArray("Content-Length"), QByteArray::number(BodySize));
    rs.headers.add(QByteArray("Date"), QByteArray("Tue, 14 Nov 2023 22:13:20 GMT"));
    rs.headers.add(QByteArray("Server"), QByteArray("nginx/1.22.1"));
    rs.headers.add(QByteArray("Cache-Control"), QByteArray("private, max-age=60"));
    rs.headers.add(QByteArray("ETag"), "\"5f3c-" + QByteArray::number(n, 16) + "\"");
    rs.headers.add(QByteArray("Vary"), QByteArray("Accept-Encoding"));
    rs.headers.add(QByteArray("X-Request-Id"),
                   QUuid(uint(n), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10).toByteArray(QUuid::WithoutBraces));
    rs.body.content = QByteArray(BodySize, Qt::Uninitialized);
    for (int i = 0; i < BodySize; ++i)
        rs.body.content[i] = char('a' + (n + i) % 26);
    rs.body.size = BodySize;
    rs.timestampStart = t + 0.02;
    rs.timestampEnd = t + 0.021;
    f.response = rs;
    return f;
}

// Produces flow n again, with the connections it had when it was fed (for the comparison).
HttpFlow flowNumber(int n, const QList<QList<QByteArray>>& chains)
{
    const int c = n / FlowsPerConnection;
    return exchange(n, clientConnection(c), serverConnection(c, chains));
}

// The store as it was: every snapshot kept whole.
class SnapshotStore
{
public:
    qsizetype apply(const QList<FlowSnapshot>& batch)
    {
        qsizetype added = 0;
        for (const auto& s : batch) {
            auto it = m_index.constFind(s->id);
            if (it != m_index.constEnd()) {
                m_flows[size_t(*it)] = s;
            } else {
                m_index.insert(s->id, qsizetype(m_flows.size()));
                m_flows.push_back(s);
                ++added;
            }
        }
        return added;
    }
    qsizetype size() const { return qsizetype(m_flows.size()); }
    FlowSnapshot at(qsizetype i) const { return m_flows[size_t(i)]; }

private:
    std::vector<FlowSnapshot> m_flows;
    QHash<QUuid, qsizetype> m_index;
};

// Feeds `count` flows to `store` in batches, as FlowHub would; returns ns spent in apply().
template <typename Store>
qint64 feed(Store& store, int count, const QList<QList<QByteArray>>& chains)
{
    qint64 applyNs = 0;
    QElapsedTimer timer;
    QList<FlowSnapshot> batch;
    Connection client, server;
    for (int n = 0; n < count; ++n) {
        if (n % FlowsPerConnection == 0) {
            client = clientConnection(n / FlowsPerConnection);
            server = serverConnection(n / FlowsPerConnection, chains);
        }
        batch.append(std::make_shared<const HttpFlow>(exchange(n, client, server)));
        if (batch.size() == BatchSize || n == count - 1) {
            timer.start();
            store.apply(batch);
            applyNs += timer.nsecsElapsed();
            batch.clear();
        }
    }
    return applyNs;
}

QString perFlow(qint64 bytes, int count)
{
    return QString::number(double(bytes) / count, 'f', 0);
}

} // namespace

class FlowStoreMemoryTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void bytesPerRetainedFlow()
    {
        const int count = flowCount();
        QList<QList<QByteArray>> chains;
        for (int s = 0; s < Servers; ++s)
            chains.append(chainFor(s));
        const QList<int> sample = {0, 1, 4, 5, 997, count / 2, count - 1};

        {
            const Memory before = memoryNow();
            FlowStore store;
            const qint64 applyNs = feed(store, count, chains);
            const Memory after = memoryNow();
            QCOMPARE(store.size(), count);
            for (int n : sample) {
                if (n >= count)
                    continue;
                const HttpFlow expected = flowNumber(n, chains);
                QCOMPARE(store.indexOf(expected.id), n);
                compareFlows(expected, *store.at(n));
                if (QTest::currentTestFailed())
                    return;
            }

            QElapsedTimer timer;
            timer.start();
            const int decodes = qMin(count, 10'000);
            for (int i = 0; i < decodes; ++i)
                QVERIFY(store.at(i)->response);
            const qint64 atNs = timer.nsecsElapsed();
            timer.start();
            qint64 bodyBytes = 0;
            store.forEach([&](const HttpFlow& f) { bodyBytes += f.response->body.content.size(); });
            const qint64 forEachNs = timer.nsecsElapsed();
            QCOMPARE(bodyBytes, qint64(count) * BodySize);

            qInfo("FlowStore (encoded), %d flows with a %d-byte body:", count, BodySize);
            qInfo("  heap %s bytes/flow (%s beyond the body), RSS %s bytes/flow (%s beyond)",
                  qPrintable(perFlow(after.heap - before.heap, count)),
                  qPrintable(perFlow(after.heap - before.heap - qint64(count) * BodySize, count)),
                  qPrintable(perFlow(after.rss - before.rss, count)),
                  qPrintable(perFlow(after.rss - before.rss - qint64(count) * BodySize, count)));
            qInfo("  apply %.2f us/flow, at() %.2f us/flow, forEach %.2f us/flow",
                  applyNs / 1000.0 / count, atNs / 1000.0 / decodes, forEachNs / 1000.0 / count);
        }
        {
            const Memory before = memoryNow();
            SnapshotStore store;
            const qint64 applyNs = feed(store, count, chains);
            const Memory after = memoryNow();
            QCOMPARE(store.size(), count);
            compareFlows(flowNumber(count - 1, chains), *store.at(count - 1));
            qInfo("Snapshots kept whole (the former FlowStore), %d flows:", count);
            qInfo("  heap %s bytes/flow (%s beyond the body), RSS %s bytes/flow (%s beyond)",
                  qPrintable(perFlow(after.heap - before.heap, count)),
                  qPrintable(perFlow(after.heap - before.heap - qint64(count) * BodySize, count)),
                  qPrintable(perFlow(after.rss - before.rss, count)),
                  qPrintable(perFlow(after.rss - before.rss - qint64(count) * BodySize, count)));
            qInfo("  apply %.2f us/flow", applyNs / 1000.0 / count);
        }
    }

    // apply() alone, over snapshots made beforehand: in feed() the allocator also sorts the
    // chunks that the previous batch's snapshots freed, and whichever malloc comes next pays.
    void applyCostOverReadySnapshots()
    {
        const int count = qMin(flowCount(), 20'000);
        QList<QList<QByteArray>> chains;
        for (int s = 0; s < Servers; ++s)
            chains.append(chainFor(s));
        QList<QList<FlowSnapshot>> batches;
        for (int n = 0; n < count; ++n) {
            if (n % BatchSize == 0)
                batches.append(QList<FlowSnapshot>());
            batches.last().append(std::make_shared<const HttpFlow>(flowNumber(n, chains)));
        }
        FlowStore encoded;
        SnapshotStore whole;
        QElapsedTimer timer;
        timer.start();
        for (const auto& batch : batches)
            encoded.apply(batch);
        const qint64 encodedNs = timer.nsecsElapsed();
        timer.start();
        for (const auto& batch : batches)
            whole.apply(batch);
        const qint64 wholeNs = timer.nsecsElapsed();
        QCOMPARE(encoded.size(), count);
        QCOMPARE(whole.size(), count);
        compareFlows(*whole.at(count / 3), *encoded.at(count / 3));
        qInfo("apply() over %d ready snapshots: encoded %.2f us/flow, whole %.2f us/flow", count,
              encodedNs / 1000.0 / count, wholeNs / 1000.0 / count);
    }
};

QTEST_GUILESS_MAIN(FlowStoreMemoryTest)
#include "flow_store_memory_test.moc"

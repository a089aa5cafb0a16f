#include "io/session_format.h"
#include "io/session_reader.h"
#include "io/session_writer.h"
#include "sample_flows.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QtEndian>
#include <QtTest>

#if defined(Q_OS_UNIX)
#include <csignal>
#include <sys/wait.h>
#include <unistd.h>
#endif

using namespace spyglass;
using namespace spyglass::test;

namespace {

QByteArray readFile(const QString& path)
{
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return f.readAll();
}

QList<quint8> recordTypes(const QByteArray& file)
{
    QList<quint8> out;
    qint64 pos = SessionFormat::fileHeaderSize;
    while (pos + SessionFormat::recordHeaderSize <= file.size()) {
        out.append(quint8(file[pos]));
        pos += SessionFormat::recordHeaderSize +
               qFromLittleEndian<quint32>(file.constData() + pos + 1);
    }
    return out;
}

HttpFlow tlsFlow(int n, const QList<QByteArray>& serverChain)
{
    HttpFlow f = smallFlow(n);
    f.server.tls = true;
    f.server.certificateChainDer = serverChain;
    return f;
}

} // namespace

class SessionWriterTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString path(const QString& name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void fileHeaderIsMagicAndVersion()
    {
        SessionWriter w;
        QCOMPARE(w.open(path("h.spyglass")), QString());
        QVERIFY(w.isOpen());
        QCOMPARE(w.size(), 20);
        w.close();
        QCOMPARE(readFile(path("h.spyglass")), QByteArray("SPYGLASS-SESSION\x01\x00\x05\x00", 20));
    }

    void recordLayoutMatchesTheDocs()
    {
        QCOMPARE(SessionFormat::crc32("123456789"), 0xCBF43926u);
        QByteArray rec;
        SessionFormat::appendRecord(rec, 0x01, "abc");
        QCOMPARE(rec.size(), 13 + 3);
        QCOMPARE(rec.left(5), QByteArray("\x01\x03\x00\x00\x00", 5));
        QCOMPARE(qFromLittleEndian<quint32>(rec.constData() + 5), SessionFormat::crc32("abc"));
        QCOMPARE(qFromLittleEndian<quint32>(rec.constData() + 9),
                 SessionFormat::crc32(rec.left(9)));
        QCOMPARE(rec.mid(13), QByteArray("abc"));
        SessionFormat::RecordHeader h;
        QVERIFY(SessionFormat::parseRecordHeader(rec.constData(), h));
        QCOMPARE(h.type, 1);
        QCOMPARE(h.length, 3u);
        rec[2] = 1; // a damaged length is caught by the header checksum
        QVERIFY(!SessionFormat::parseRecordHeader(rec.constData(), h));
    }

    void eachAppendReachesTheFileAtOnce()
    {
        SessionWriter w;
        QCOMPARE(w.open(path("live.spyglass")), QString());
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(w.append(smallFlow(i)), QString());
            // No user-space buffering: another reader sees the record right away.
            QCOMPARE(QFileInfo(path("live.spyglass")).size(), w.size());
            const auto r = SessionReader::readAll(path("live.spyglass"));
            QVERIFY(r.ok() && r.warnings.isEmpty());
            QCOMPARE(r.flows.size(), i + 1);
        }
        QCOMPARE(w.sync(), QString());
    }

    void aKilledWriterLosesNothingItAppended()
    {
#if defined(Q_OS_UNIX)
        const QString file = path("killed.spyglass");
        const pid_t pid = fork();
        QVERIFY(pid >= 0);
        if (pid == 0) {
            SessionWriter w;
            if (!w.open(file).isEmpty())
                _exit(3);
            for (int i = 0; i < 50; ++i)
                if (!w.append(i == 10 ? fullFlow() : smallFlow(i)).isEmpty())
                    _exit(4);
            raise(SIGKILL); // no destructor, no close, no flush
            _exit(5);
        }
        int status = 0;
        QCOMPARE(waitpid(pid, &status, 0), pid);
        QVERIFY(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        const auto r = SessionReader::readAll(file);
        QVERIFY(r.ok() && r.warnings.isEmpty());
        QCOMPARE(r.flows.size(), 50);
        QCOMPARE(r.flows[10].comment, fullFlow().comment);
#else
        QSKIP("needs fork()");
#endif
    }

    void certificateChainsAreStoredOncePerFile()
    {
        const QList<QByteArray> chainA{binaryBlob(1500, 1), binaryBlob(1200, 2)};
        const QList<QByteArray> chainB{binaryBlob(1400, 3)};
        SessionWriter w;
        QCOMPARE(w.open(path("chains.spyglass")), QString());
        for (int i = 0; i < 10; ++i)
            QCOMPARE(w.append(tlsFlow(i, i == 5 ? chainB : chainA)), QString());
        HttpFlow both = tlsFlow(11, chainB);
        both.client.certificateChainDer = chainA; // the client's chain: same bytes, same record
        QCOMPARE(w.append(both), QString());
        w.close();

        const QByteArray file = readFile(path("chains.spyglass"));
        const quint8 flow = quint8(SessionFormat::RecordType::Flow);
        const quint8 chain = quint8(SessionFormat::RecordType::CertificateChain);
        QCOMPARE(recordTypes(file), (QList<quint8>{chain, flow, flow, flow, flow, flow, chain, flow,
                                                   flow, flow, flow, flow, flow}));
        QVERIFY(file.size() < 11 * 600 + 2 * 2800);

        const auto r = SessionReader::readAll(path("chains.spyglass"));
        QVERIFY(r.ok());
        QCOMPARE(r.flows.size(), 11);
        QCOMPARE(r.flows[4].server.certificateChainDer, chainA);
        QCOMPARE(r.flows[5].server.certificateChainDer, chainB);
        QCOMPARE(r.flows[10].server.certificateChainDer, chainB);
        QCOMPARE(r.flows[10].client.certificateChainDer, chainA);
    }

    void reopeningStartsANewFile()
    {
        SessionWriter w;
        QCOMPARE(w.open(path("again.spyglass")), QString());
        QCOMPARE(w.append(tlsFlow(1, {"der"})), QString());
        QCOMPARE(w.open(path("again.spyglass")), QString());
        QCOMPARE(w.append(tlsFlow(2, {"der"})), QString()); // the chain is written again
        w.close();
        const auto r = SessionReader::readAll(path("again.spyglass"));
        QVERIFY(r.ok());
        QCOMPARE(r.flows.size(), 1);
        QCOMPARE(r.flows[0].server.certificateChainDer, QList<QByteArray>{"der"});
    }

    void errorsNameTheFile()
    {
        SessionWriter w;
        QVERIFY(!w.append(smallFlow(1)).isEmpty());
        QVERIFY(!w.sync().isEmpty());

        const QString bad = path("no-such-dir/x.spyglass");
        QString err = w.open(bad);
        QVERIFY2(err.startsWith(QDir::toNativeSeparators(bad) + ": "), qPrintable(err));
        QVERIFY(!w.isOpen());

        if (QFileInfo::exists("/dev/full")) {
            err = w.open("/dev/full");
            QVERIFY2(err.startsWith("/dev/full: "), qPrintable(err));
            QVERIFY(!w.isOpen());
        }
    }

    void saveReplacesAtomically()
    {
        const QString file = path("saved.spyglass");
        {
            QFile old(file);
            QVERIFY(old.open(QIODevice::WriteOnly));
            old.write("an older file");
        }
        const QList<HttpFlow> flows{fullFlow(), smallFlow(2)};
        QCOMPARE(SessionWriter::save(file, flows), QString());
        auto r = SessionReader::readAll(file);
        QVERIFY(r.ok());
        QCOMPARE(r.flows.size(), 2);
        compareFlows(r.flows[0], flows[0]);
        if (QTest::currentTestFailed())
            return;

        QList<FlowSnapshot> snaps{std::make_shared<const HttpFlow>(smallFlow(7)), nullptr};
        QCOMPARE(SessionWriter::save(file, snaps), QString());
        r = SessionReader::readAll(file);
        QCOMPARE(r.flows.size(), 1);
        QCOMPARE(r.flows[0].request.path, QByteArray("/item/7"));

        // A failed save leaves no file behind and names the path.
        const QString bad = path("missing/dir.spyglass");
        const QString err = SessionWriter::save(bad, flows);
        QVERIFY2(err.startsWith(QDir::toNativeSeparators(bad) + ": "), qPrintable(err));
        QVERIFY(!QFileInfo::exists(bad));
        QCOMPARE(QDir(m_dir.path()).entryList(QDir::Files).filter("dir.spyglass"), QStringList());
    }
};

QTEST_GUILESS_MAIN(SessionWriterTest)
#include "session_writer_test.moc"

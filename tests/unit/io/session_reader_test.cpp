#include "io/session_format.h"
#include "io/session_reader.h"
#include "io/session_writer.h"
#include "sample_flows.h"

#include <QBuffer>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtEndian>
#include <QtTest>

using namespace spyglass;
using namespace spyglass::test;

namespace {

struct Record
{
    qint64 offset;
    qint64 size; // header + payload
    quint8 type;
};

// Walks a well-formed file's records (test-side, independent of the reader).
QList<Record> records(const QByteArray& file)
{
    QList<Record> out;
    qint64 pos = SessionFormat::fileHeaderSize;
    while (pos + SessionFormat::recordHeaderSize <= file.size()) {
        const quint32 len = qFromLittleEndian<quint32>(file.constData() + pos + 1);
        out.append({pos, SessionFormat::recordHeaderSize + qint64(len), quint8(file[pos])});
        pos += SessionFormat::recordHeaderSize + len;
    }
    return out;
}

// A device that says it is a pipe: the reader cannot check lengths against a size.
class PipeLikeDevice : public QIODevice
{
public:
    explicit PipeLikeDevice(QByteArray data) : m_data(std::move(data)) {}
    bool isSequential() const override { return true; }

protected:
    qint64 readData(char* out, qint64 max) override
    {
        const qint64 n = qMin(max, m_data.size() - m_pos);
        memcpy(out, m_data.constData() + m_pos, size_t(n));
        m_pos += n;
        return n;
    }
    qint64 writeData(const char*, qint64) override { return -1; }

private:
    QByteArray m_data;
    qint64 m_pos = 0;
};

SessionReader::Result readBytes(const QByteArray& bytes)
{
    QBuffer buf;
    buf.setData(bytes);
    buf.open(QIODevice::ReadOnly);
    QList<HttpFlow> flows;
    SessionReader::Result r =
        SessionReader::stream(buf, QStringLiteral("mem.spyglass"), [&](HttpFlow&& f) {
            flows.append(std::move(f));
            return true;
        });
    r.flows = flows;
    return r;
}

HttpFlow flowWithChain(int n, int chainSeed)
{
    HttpFlow f = smallFlow(n);
    f.server.tls = true;
    f.server.certificateChainDer = {binaryBlob(600, chainSeed), binaryBlob(500, chainSeed + 1)};
    return f;
}

} // namespace

class SessionReaderTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString path(const QString& name) const { return m_dir.filePath(name); }

    // Writes the flows with SessionWriter and returns the file's bytes.
    QByteArray writeFile(const QString& name, const QList<HttpFlow>& flows,
                         QList<qint64>* offsets = nullptr)
    {
        SessionWriter w;
        const QString err = w.open(path(name));
        if (!err.isEmpty())
            qFatal("%s", qPrintable(err));
        for (const HttpFlow& f : flows) {
            if (offsets)
                offsets->append(w.size());
            const QString e = w.append(f);
            if (!e.isEmpty())
                qFatal("%s", qPrintable(e));
        }
        w.close();
        QFile file(path(name));
        file.open(QIODevice::ReadOnly);
        return file.readAll();
    }

private Q_SLOTS:
    void roundTripsAFullyPopulatedFlow()
    {
        const HttpFlow f = fullFlow();
        writeFile("full.spyglass", {f});
        const SessionReader::Result r = SessionReader::readAll(path("full.spyglass"));
        QVERIFY2(r.ok(), qPrintable(r.errors.join('\n')));
        QVERIFY(r.warnings.isEmpty());
        QCOMPARE(r.flows.size(), 1);
        compareFlows(f, r.flows.first());
    }

    void roundTripsSeveralFlowsInOrder()
    {
        QList<HttpFlow> flows;
        for (int i = 0; i < 20; ++i)
            flows.append(i % 7 == 3 ? fullFlow() : flowWithChain(i, i % 3));
        writeFile("several.spyglass", flows);
        const SessionReader::Result r = SessionReader::readAll(path("several.spyglass"));
        QVERIFY2(r.ok(), qPrintable(r.errors.join('\n')));
        QCOMPARE(r.records, 20);
        QCOMPARE(r.flows.size(), 20);
        for (int i = 0; i < 20; ++i) {
            compareFlows(flows[i], r.flows[i]);
            if (QTest::currentTestFailed())
                return;
        }
    }

    void laterRecordOfAnIdWinsInFirstSeenOrder()
    {
        HttpFlow a = smallFlow(1), b = smallFlow(2), c = smallFlow(3);
        HttpFlow a2 = a;
        a2.marked = QStringLiteral(":heart:");
        a2.comment = QStringLiteral("look at this");
        HttpFlow b2 = b;
        b2.response.reset();
        b2.error = FlowError{QStringLiteral("killed"), 5};
        writeFile("updates.spyglass", {a, b, a2, c, b2});

        const SessionReader::Result r = SessionReader::readAll(path("updates.spyglass"));
        QVERIFY(r.ok());
        QCOMPARE(r.records, 5);
        QCOMPARE(r.flows.size(), 3);
        compareFlows(r.flows[0], a2);
        compareFlows(r.flows[1], b2);
        compareFlows(r.flows[2], c);

        // The stream sees every record, updates included.
        QList<QUuid> ids;
        SessionReader::stream(path("updates.spyglass"), [&](HttpFlow&& f) {
            ids.append(f.id);
            return true;
        });
        QCOMPARE(ids, (QList<QUuid>{a.id, b.id, a.id, c.id, b.id}));
    }

    void streamStopsWhenAsked()
    {
        writeFile("stop.spyglass", {smallFlow(1), smallFlow(2), smallFlow(3)});
        int seen = 0;
        const auto r =
            SessionReader::stream(path("stop.spyglass"), [&](HttpFlow&&) { return ++seen < 2; });
        QCOMPARE(seen, 2);
        QVERIFY(r.ok());
    }

    void truncationAtEveryByteOfTheLastRecordKeepsThePrefix()
    {
        // The last append writes a new certificate chain record and then the flow record.
        QList<HttpFlow> flows{flowWithChain(1, 1), fullFlow(), flowWithChain(3, 50)};
        QList<qint64> offsets;
        const QByteArray file = writeFile("trunc.spyglass", flows, &offsets);
        const qint64 lastStart = offsets.last();
        const QList<Record> recs = records(file);
        QCOMPARE(recs.last().type, quint8(SessionFormat::RecordType::Flow));
        QCOMPARE(recs[recs.size() - 2].type, quint8(SessionFormat::RecordType::CertificateChain));
        const qint64 chainEnd = recs.last().offset;

        for (qint64 cut = lastStart; cut < file.size(); ++cut) {
            const SessionReader::Result r = readBytes(file.first(cut));
            const QByteArray at = "cut at " + QByteArray::number(cut);
            QVERIFY2(r.ok(), at + ": " + r.errors.join('\n').toUtf8());
            QCOMPARE(r.flows.size(), 2);
            const bool clean = cut == lastStart || cut == chainEnd;
            QVERIFY2(r.warnings.size() == (clean ? 0 : 1), at);
            if (!clean)
                QVERIFY2(r.warnings.first().contains(
                             "incomplete final record at offset " +
                             QString::number(cut < chainEnd ? lastStart : chainEnd)),
                         qPrintable(r.warnings.first()));
        }
        compareFlows(readBytes(file.first(lastStart)).flows[1], flows[1]);

        // The same through a real file cut short, as a killed writer leaves it.
        QFile f(path("trunc.spyglass"));
        QVERIFY(f.resize(file.size() - 7));
        const SessionReader::Result r = SessionReader::readAll(path("trunc.spyglass"));
        QVERIFY(r.ok());
        QCOMPARE(r.flows.size(), 2);
        QCOMPARE(r.warnings.size(), 1);
        QVERIFY2(r.warnings.first().startsWith(QDir::toNativeSeparators(path("trunc.spyglass"))),
                 qPrintable(r.warnings.first()));
    }

    void everyFlippedByteIsAnErrorWithItsRecordOffset()
    {
        const QByteArray file = writeFile("flip.spyglass", {flowWithChain(1, 1), smallFlow(2)});
        const QList<Record> recs = records(file);
        for (qint64 i = 0; i < file.size(); ++i) {
            for (char mask : {char(0x01), char(0x80), char(0xff)}) {
                QByteArray bad = file;
                bad[i] = char(bad[i] ^ mask);
                const SessionReader::Result r = readBytes(bad);
                const QByteArray at = "byte " + QByteArray::number(i);
                if (i >= 18 && i < 20) { // the minor version: any value is accepted
                    QVERIFY2(r.ok() && r.flows.size() == 2, at);
                    continue;
                }
                QVERIFY2(!r.ok(), at);
                const QString err = r.errors.first();
                QVERIFY2(err.startsWith("mem.spyglass: "), qPrintable(err));
                if (i < 16) {
                    QVERIFY2(err.contains("bad magic"), qPrintable(err));
                } else if (i < 18) {
                    QVERIFY2(err.contains("unsupported session format version"), qPrintable(err));
                } else {
                    qint64 recOffset = 0;
                    for (const Record& rec : recs)
                        if (i >= rec.offset)
                            recOffset = rec.offset;
                    QVERIFY2(err.contains("corrupt record at offset " + QString::number(recOffset) +
                                          " ("),
                             qPrintable(at + ": " + err));
                }
            }
        }
    }

    void aBadPayloadIsSkippedAndReadingGoesOn()
    {
        const QByteArray file =
            writeFile("skip.spyglass", {smallFlow(1), smallFlow(2), smallFlow(3)});
        const QList<Record> recs = records(file);
        QByteArray bad = file;
        bad[recs[1].offset + 30] = char(bad[recs[1].offset + 30] ^ 0x55);
        const SessionReader::Result r = readBytes(bad);
        QCOMPARE(r.errors.size(), 1);
        QCOMPARE(r.errors.first(),
                 QStringLiteral("mem.spyglass: corrupt record at offset %1 (checksum mismatch)")
                     .arg(recs[1].offset));
        QCOMPARE(r.flows.size(), 2);
        QCOMPARE(r.flows[1].request.path, QByteArray("/item/3"));
    }

    void hugeLengthFieldsAllocateNothing()
    {
        // A record header that is itself valid but claims ~4 GiB of payload.
        QByteArray file = SessionFormat::fileHeader();
        QByteArray rec;
        SessionFormat::appendRecord(rec, quint8(SessionFormat::RecordType::Flow), "xyz");
        qToLittleEndian<quint32>(0xFFFFFFF0u, rec.data() + 1);
        qToLittleEndian<quint32>(SessionFormat::crc32(rec.first(9)), rec.data() + 9);
        file += rec;

        SessionReader::Result r = readBytes(file);
        QVERIFY(r.ok());
        QCOMPARE(r.warnings.size(), 1);
        QVERIFY2(r.warnings.first().contains("incomplete final record at offset 20"),
                 qPrintable(r.warnings.first()));

        // Without a size to check against, the buffer only grows with data that arrives.
        PipeLikeDevice pipe(file);
        pipe.open(QIODevice::ReadOnly);
        r = SessionReader::stream(pipe, QStringLiteral("pipe"), [](HttpFlow&&) { return true; });
        QVERIFY(r.ok());
        QCOMPARE(r.warnings.size(), 1);

        // A flow payload whose inner length is absurd, with correct checksums around it.
        QByteArray payload(16, 'u');
        payload += char(0);
        payload += QByteArray("\xff\xff\xff\xff\x0f", 5);
        QByteArray file2 = SessionFormat::fileHeader();
        SessionFormat::appendRecord(file2, quint8(SessionFormat::RecordType::Flow), payload);
        r = readBytes(file2);
        QCOMPARE(r.errors.size(), 1);
        QVERIFY2(r.errors.first().contains("corrupt record at offset 20 (bad flow: length"),
                 qPrintable(r.errors.first()));
    }

    void emptyAndForeignFiles()
    {
        QFile empty(path("empty.spyglass"));
        QVERIFY(empty.open(QIODevice::WriteOnly));
        empty.close();
        SessionReader::Result r = SessionReader::readAll(path("empty.spyglass"));
        QCOMPARE(r.errors.size(), 1);
        QVERIFY2(r.errors.first().contains("empty file"), qPrintable(r.errors.first()));

        r = readBytes("{\"log\": {\"version\": \"1.2\"}}");
        QCOMPARE(r.errors,
                 QStringList{"mem.spyglass: not a Spyglass session (bad magic at offset 0)"});
        r = readBytes("SPY");
        QVERIFY(r.errors.first().contains("truncated file header"));
        r = readBytes("SPYGLASS-SESSION\x01");
        QVERIFY(r.errors.first().contains("truncated file header"));

        QByteArray newer = SessionFormat::fileHeader();
        newer[16] = 2;
        newer[18] = 0; // minor 0: the message names "2.0"
        r = readBytes(newer + QByteArray(100, 'x'));
        QCOMPARE(r.errors.size(), 1);
        QVERIFY2(r.errors.first().contains("version 2.0") &&
                     r.errors.first().contains("newer Spyglass"),
                 qPrintable(r.errors.first()));

        r = SessionReader::readAll(path("does-not-exist.spyglass"));
        QCOMPARE(r.errors.size(), 1);
        QVERIFY(r.errors.first().contains("does-not-exist.spyglass"));

        // A header alone is a valid, empty session.
        r = readBytes(SessionFormat::fileHeader());
        QVERIFY(r.ok() && r.warnings.isEmpty() && r.flows.isEmpty());
    }

    void zeroFilledTailIsAWarning()
    {
        const QByteArray file = writeFile("zeros.spyglass", {smallFlow(1), smallFlow(2)});
        for (int zeros : {5, 13, 4096}) {
            const SessionReader::Result r = readBytes(file + QByteArray(zeros, '\0'));
            QVERIFY(r.ok());
            QCOMPARE(r.flows.size(), 2);
            QCOMPARE(r.warnings.size(), 1);
            QVERIFY2(r.warnings.first().contains("zero-filled tail from offset " +
                                                 QString::number(file.size())),
                     qPrintable(r.warnings.first()));
        }
        // Zeros followed by data are not a crash tail but damage.
        const SessionReader::Result r = readBytes(file + QByteArray(20, '\0') + "x");
        QCOMPARE(r.errors.size(), 1);
    }

    void unknownRecordTypes()
    {
        QByteArray file = SessionFormat::fileHeader();
        SessionFormat::appendRecord(file, 0x90, "optional, from the future");
        file += writeFile("u.spyglass", {smallFlow(1)}).mid(SessionFormat::fileHeaderSize);
        SessionFormat::appendRecord(file, 0x05, "required, from the future");
        const SessionReader::Result r = readBytes(file);
        QCOMPARE(r.flows.size(), 1);
        QCOMPARE(r.errors.size(), 1);
        QVERIFY2(r.errors.first().contains("unknown record type 0x05"),
                 qPrintable(r.errors.first()));
    }

    void speedOfAHundredThousandSmallFlows()
    {
        const int n = 100000;
        QList<HttpFlow> flows;
        flows.reserve(n);
        for (int i = 0; i < n; ++i)
            flows.append(smallFlow(i));

        QElapsedTimer t;
        t.start();
        SessionWriter w;
        QCOMPARE(w.open(path("big.spyglass")), QString());
        for (const HttpFlow& f : flows)
            w.append(f);
        const qint64 writeMs = t.elapsed();
        const qint64 bytes = w.size();
        w.close();

        t.restart();
        qint64 count = 0;
        const auto r = SessionReader::stream(path("big.spyglass"), [&](HttpFlow&&) {
            ++count;
            return true;
        });
        const qint64 readMs = t.elapsed();
        QVERIFY(r.ok());
        QCOMPARE(count, n);
        qDebug("100k small flows: write %lld ms, stream-read %lld ms, %lld bytes (%lld per flow)",
               writeMs, readMs, bytes, bytes / n);
    }
};

QTEST_GUILESS_MAIN(SessionReaderTest)
#include "session_reader_test.moc"

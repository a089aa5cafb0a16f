#include "io/session_writer.h"

#include "io/flow_codec.h"
#include "io/session_format.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <cerrno>
#include <cstring>

#if defined(Q_OS_WIN)
#include <io.h>
#else
#include <unistd.h>
#endif

namespace spyglass {

namespace {

QString fileError(const QString& path, const QString& what)
{
    return QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), what);
}

} // namespace

SessionWriter::SessionWriter() = default;

SessionWriter::~SessionWriter()
{
    close();
}

QString SessionWriter::open(const QString& path)
{
    close();
    auto file = std::make_unique<QFile>(path);
    // Unbuffered: every write() below is one system call, so a record is in the OS (and
    // survives the process) as soon as append() returns.
    if (!file->open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Unbuffered))
        return fileError(path, file->errorString());
    m_file = std::move(file);
    const QString err = start(m_file.get(), path);
    if (!err.isEmpty())
        close();
    return err;
}

QString SessionWriter::start(QFileDevice* device, const QString& path)
{
    m_device = device;
    m_path = path;
    m_size = 0;
    m_broken.clear();
    m_chains.clear();
    return writeAll(SessionFormat::fileHeader());
}

bool SessionWriter::isOpen() const
{
    return m_device != nullptr;
}

void SessionWriter::close()
{
    if (m_file)
        m_file->close();
    m_file.reset();
    m_device = nullptr;
}

QString SessionWriter::writeAll(const QByteArray& bytes)
{
    // A file of our own is unbuffered (one write per record); save()'s QSaveFile buffers and
    // reports write errors at commit().
    if (m_device->write(bytes) == bytes.size() && (!m_file || m_file->flush())) {
        m_size += bytes.size();
        return {};
    }
    const QString err = fileError(m_path, m_device->errorString());
    // A partial record must not stay in front of the next one: cut the file back.
    m_device->unsetError();
    if (!m_device->resize(m_size) || !m_device->seek(m_size))
        m_broken = err;
    return err;
}

QString SessionWriter::append(const HttpFlow& flow)
{
    if (!m_device)
        return QStringLiteral("session writer: no file is open");
    if (!m_broken.isEmpty())
        return m_broken;

    QByteArray out;
    QList<QList<QByteArray>> added;
    auto chainRef = [&](const QList<QByteArray>& chain) -> quint32 {
        if (chain.isEmpty())
            return 0;
        const auto it = m_chains.constFind(chain);
        if (it != m_chains.constEnd())
            return it.value();
        const QByteArray payload = FlowCodec::encodeCertificateChain(chain);
        if (quint64(payload.size()) > SessionFormat::maxPayloadSize)
            return 0; // absurdly large: stored inline, where the flow's own size check fails
        const quint32 number = quint32(m_chains.size() + 1);
        SessionFormat::appendRecord(out, quint8(SessionFormat::RecordType::CertificateChain),
                                    payload);
        m_chains.insert(chain, number);
        added.append(chain);
        return number;
    };
    FlowCodec::ChainRefs refs;
    refs.client = chainRef(flow.client.certificateChainDer);
    refs.server = chainRef(flow.server.certificateChainDer);

    const QByteArray payload = FlowCodec::encodeFlow(flow, refs);
    if (quint64(payload.size()) > SessionFormat::maxPayloadSize) {
        for (const auto& c : added)
            m_chains.remove(c);
        return fileError(m_path, QStringLiteral("flow %1 is too large for a session record "
                                                "(%2 bytes)")
                                     .arg(flow.id.toString(QUuid::WithoutBraces))
                                     .arg(payload.size()));
    }
    SessionFormat::appendRecord(out, quint8(SessionFormat::RecordType::Flow), payload);

    const QString err = writeAll(out);
    if (!err.isEmpty()) {
        for (const auto& c : added)
            m_chains.remove(c);
    }
    return err;
}

QString SessionWriter::sync()
{
    if (!m_device)
        return QStringLiteral("session writer: no file is open");
    if (!m_device->flush())
        return fileError(m_path, m_device->errorString());
    const int fd = m_device->handle();
#if defined(Q_OS_WIN)
    const bool ok = fd >= 0 && ::_commit(fd) == 0;
#else
    const bool ok = fd >= 0 && ::fsync(fd) == 0;
#endif
    if (!ok)
        return fileError(
            m_path,
            QStringLiteral("cannot sync to disk: %1").arg(QString::fromLocal8Bit(strerror(errno))));
    return {};
}

QString SessionWriter::saveFlows(const QString& path, const QList<const HttpFlow*>& flows)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fileError(path, file.errorString());
    SessionWriter writer;
    QString err = writer.start(&file, path);
    for (qsizetype i = 0; i < flows.size() && err.isEmpty(); ++i)
        err = writer.append(*flows[i]);
    writer.close();
    if (!err.isEmpty()) {
        file.cancelWriting();
        return err;
    }
    if (!file.commit())
        return fileError(path, file.errorString());
    return {};
}

QString SessionWriter::save(const QString& path, const QList<HttpFlow>& flows)
{
    QList<const HttpFlow*> ptrs;
    ptrs.reserve(flows.size());
    for (const HttpFlow& f : flows)
        ptrs.append(&f);
    return saveFlows(path, ptrs);
}

QString SessionWriter::save(const QString& path, const QList<FlowSnapshot>& flows)
{
    QList<const HttpFlow*> ptrs;
    ptrs.reserve(flows.size());
    for (const FlowSnapshot& f : flows)
        if (f)
            ptrs.append(f.get());
    return saveFlows(path, ptrs);
}

} // namespace spyglass

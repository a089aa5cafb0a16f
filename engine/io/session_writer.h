#pragma once
// Writes a session file (docs/session-format.md) one flow at a time, as flows finish: the
// `-w FILE` of spyglass-dump and the window's autosave. Its counterpart is SessionReader.
//
// Crash guarantee: append() hands each record to the operating system with a single write
// before it returns, so a process that is killed loses only the flows it had not appended
// yet; the reader drops a torn final record with a warning. sync() also survives a power
// failure for everything appended before it (fsync). A flow may be appended again after it
// changed (marked, commented, its response arrived): the reader keeps the last version.
//
// Certificate chains are written once per file, in their own record, the first time a flow
// uses them; later flows on the same connection (or the same site) refer to them by number.
//
// Not thread-safe: one writer belongs to one thread. open() always starts a new file.

#include "flow/flow.h"

#include <QHash>
#include <QList>
#include <QString>
#include <memory>

class QFile;
class QFileDevice;

namespace spyglass {

class SessionWriter
{
public:
    SessionWriter();
    ~SessionWriter();
    SessionWriter(const SessionWriter&) = delete;
    SessionWriter& operator=(const SessionWriter&) = delete;

    // Creates `path` (replacing a file of that name) and writes the file header. Any name
    // works; the window uses `.spyglass`. Returns an empty string or an error naming the file.
    QString open(const QString& path);
    bool isOpen() const;
    QString path() const { return m_path; }

    // Writes the flow's record (and the records of certificate chains it is the first to use)
    // and flushes it to the OS. Returns an empty string or an error naming the file. After a
    // failed write the file is cut back to its last complete record; if even that fails, the
    // writer refuses further appends (the file stays readable up to that record).
    QString append(const HttpFlow& flow);

    // fsync: the records appended so far survive a power failure.
    QString sync();
    void close();

    // Bytes in the file so far (header included).
    qint64 size() const { return m_size; }

    // Saves a whole session to `path` atomically (a temporary file renamed over `path` once
    // complete): a failure leaves an existing file untouched.
    static QString save(const QString& path, const QList<HttpFlow>& flows);
    static QString save(const QString& path, const QList<FlowSnapshot>& flows);

private:
    // Starts a file on an open device that the caller owns (save() uses a QSaveFile).
    QString start(QFileDevice* device, const QString& path);
    QString writeAll(const QByteArray& bytes);
    static QString saveFlows(const QString& path, const QList<const HttpFlow*>& flows);

    std::unique_ptr<QFile> m_file; // owned when open() made it
    QFileDevice* m_device = nullptr;
    QString m_path;
    qint64 m_size = 0;
    QString m_broken; // set when the file could not be repaired after a failed write
    QHash<QList<QByteArray>, quint32> m_chains; // chain -> its record number (1-based)
};

} // namespace spyglass

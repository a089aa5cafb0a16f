#pragma once
// Reads a session file written by SessionWriter (docs/session-format.md): `-r FILE` of
// spyglass-dump and "Open session" in the window.
//
// Damage is reported, never fatal to the process: a torn final record (the writer was killed
// mid-write) or a zero-filled tail (a crash of the machine) is dropped with a warning; a bad
// magic, a newer major version, a record whose checksum fails or that does not decode is an
// error naming the file and the record's byte offset. A record with a bad payload but a good
// header is skipped and reading goes on; a record with a bad header ends the reading, since
// its length cannot be trusted. Every length is checked against the file size before
// anything is allocated, so a hostile file cannot make the reader allocate more than its own
// size.
//
// Flows come back exactly as they were appended, `live` and `intercepted` included: the
// caller decides what a loaded flow means (FlowStore marks them not live).

#include "flow/flow.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <functional>

class QIODevice;

namespace spyglass {

class SessionReader
{
public:
    struct Result
    {
        QList<HttpFlow> flows; // readAll() only: the last version of each flow, first-seen order
        QStringList warnings;  // damage that was recovered from (a torn tail)
        QStringList errors;    // data that was lost or refused
        qint64 records = 0;    // flow records delivered (updates included)

        bool ok() const { return errors.isEmpty(); }
    };

    // Receives each flow record in file order. A flow that was appended more than once comes
    // more than once with the same id (the later one wins). Return false to stop reading.
    using FlowCallback = std::function<bool(HttpFlow&& flow)>;

    // Streams a file: at most one flow is in memory at a time.
    static Result stream(const QString& path, const FlowCallback& onFlow);
    // Streams from an open, readable device; `name` is used in messages.
    static Result stream(QIODevice& device, const QString& name, const FlowCallback& onFlow);

    // Reads every flow, keeping the last record of each id in the order ids were first seen.
    static Result readAll(const QString& path);
};

} // namespace spyglass

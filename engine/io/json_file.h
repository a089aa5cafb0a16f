#pragma once
// Reading a JSON capture file (HAR, Charles JSON sessions) and turning what goes wrong into
// the one-line errors the readers report: the file that could not be opened, or the byte
// offset at which the JSON broke. Shared by HarReader and CharlesReader.

#include <QByteArray>
#include <QJsonDocument>
#include <QString>

namespace spyglass {

class JsonFile
{
public:
    // The whole file in `data`; an empty string, or an error naming the file.
    static QString read(const QString& path, QByteArray* data);
    // `json` parsed into `doc`; an empty string, or "NAME: invalid JSON at offset N (why)".
    static QString parse(const QByteArray& json, const QString& name, QJsonDocument* doc);
};

} // namespace spyglass

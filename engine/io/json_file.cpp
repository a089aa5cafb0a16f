#include "io/json_file.h"

#include <QDir>
#include <QFile>
#include <QJsonParseError>

namespace spyglass {

QString JsonFile::read(const QString& path, QByteArray* data)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), file.errorString());
    *data = file.readAll();
    return {};
}

QString JsonFile::parse(const QByteArray& json, const QString& name, QJsonDocument* doc)
{
    QJsonParseError pe;
    *doc = QJsonDocument::fromJson(json, &pe);
    if (pe.error == QJsonParseError::NoError)
        return {};
    return QStringLiteral("%1: invalid JSON at offset %2 (%3)")
        .arg(QDir::toNativeSeparators(name))
        .arg(pe.offset)
        .arg(pe.errorString());
}

} // namespace spyglass

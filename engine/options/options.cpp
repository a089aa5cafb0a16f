#include "options/options.h"

#include <QDir>

namespace spyglass {

std::optional<qint64> parseSize(const QString& text)
{
    QString t = text.trimmed().toLower();
    if (t.isEmpty())
        return std::nullopt;
    if (t.endsWith('b') && t.size() > 1 && !t.at(t.size() - 2).isDigit())
        t.chop(1);
    qint64 mult = 1;
    const QChar last = t.back();
    if (last == 'k')
        mult = 1024;
    else if (last == 'm')
        mult = 1024 * 1024;
    else if (last == 'g')
        mult = 1024LL * 1024 * 1024;
    else if (last == 'b')
        mult = 1;
    if (!last.isDigit())
        t.chop(1);
    bool ok = false;
    const qint64 n = t.toLongLong(&ok);
    if (!ok || n < 0)
        return std::nullopt;
    return n * mult;
}

QString formatSize(std::optional<qint64> size)
{
    if (!size)
        return {};
    const qint64 n = *size;
    if (n && n % (1024LL * 1024 * 1024) == 0)
        return QString::number(n / (1024LL * 1024 * 1024)) + 'g';
    if (n && n % (1024 * 1024) == 0)
        return QString::number(n / (1024 * 1024)) + 'm';
    if (n && n % 1024 == 0)
        return QString::number(n / 1024) + 'k';
    return QString::number(n);
}

QString expandHome(const QString& path)
{
    if (path == QLatin1String("~"))
        return QDir::homePath();
    if (path.startsWith(QLatin1String("~/")))
        return QDir::homePath() + path.mid(1);
    return path;
}

} // namespace spyglass

#include "layers/http/proxy_auth.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QSet>

#if __has_include(<crypt.h>)
#include <crypt.h>
#define SPYGLASS_HAVE_CRYPT 1
#endif
#include <memory>
#include <mutex>

namespace spyglass::layers {

namespace {

struct Htpasswd
{
    QHash<QByteArray, QByteArray> hashes; // user -> hash
    QDateTime modified;
    qint64 size = 0;
};

std::mutex g_mutex;
QHash<QString, std::shared_ptr<const Htpasswd>> g_files;
QSet<QByteArray> g_accepted; // "path\0user\0pass" that a slow hash check accepted
constexpr qsizetype kMaxAccepted = 4096;

bool supportedHash(const QByteArray& h)
{
#ifdef SPYGLASS_HAVE_CRYPT
    if (h.startsWith("$2a$") || h.startsWith("$2b$") || h.startsWith("$2y$") ||
        h.startsWith("$5$") || h.startsWith("$6$"))
        return true;
#endif
    return h.startsWith("{SHA}");
}

// Parses `path`; on failure returns null and says why.
std::shared_ptr<const Htpasswd> parse(const QString& path, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error =
            QStringLiteral("cannot read the htpasswd file %1: %2").arg(path, file.errorString());
        return nullptr;
    }
    auto table = std::make_shared<Htpasswd>();
    const QFileInfo info(path);
    table->modified = info.lastModified();
    table->size = info.size();
    int number = 0;
    while (!file.atEnd()) {
        ++number;
        const QByteArray line = file.readLine().trimmed();
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0) {
            *error = QStringLiteral("%1 line %2: expected user:hash").arg(path).arg(number);
            return nullptr;
        }
        const QByteArray hash = line.mid(colon + 1);
        if (!supportedHash(hash)) {
            *error = QStringLiteral("%1 line %2: unsupported hash (use bcrypt, htpasswd -B, or "
                                    "SHA-1, htpasswd -s)")
                         .arg(path)
                         .arg(number);
            return nullptr;
        }
        table->hashes.insert(line.left(colon), hash);
    }
    if (table->hashes.isEmpty()) {
        *error = QStringLiteral("the htpasswd file %1 has no users").arg(path);
        return nullptr;
    }
    return table;
}

std::shared_ptr<const Htpasswd> load(const QString& path, QString* error)
{
    const QFileInfo info(path);
    {
        std::lock_guard lock(g_mutex);
        const auto it = g_files.constFind(path);
        if (it != g_files.constEnd() && (*it)->modified == info.lastModified() &&
            (*it)->size == info.size())
            return *it;
    }
    auto table = parse(path, error);
    if (table) {
        std::lock_guard lock(g_mutex);
        g_files.insert(path, table);
    }
    return table;
}

bool checkHash(const QByteArray& hash, const QByteArray& pass)
{
    if (hash.startsWith("{SHA}"))
        return QCryptographicHash::hash(pass, QCryptographicHash::Sha1).toBase64() == hash.mid(5);
#ifdef SPYGLASS_HAVE_CRYPT
    crypt_data data{};
    const char* out = crypt_r(pass.constData(), hash.constData(), &data);
    return out && out[0] != '*' && hash == out;
#else
    return false; // not accepted by parse() on this platform
#endif
}

} // namespace

QString ProxyAuth::validate(const QString& spec)
{
    if (spec.isEmpty() || spec == QLatin1String("any"))
        return {};
    if (spec.startsWith(QLatin1Char('@'))) {
        QString error;
        return load(spec.mid(1), &error) ? QString() : error;
    }
    const qsizetype colon = spec.indexOf(QLatin1Char(':'));
    if (colon <= 0)
        return QStringLiteral("expected username:password, any, or @htpasswd-file");
    return {};
}

bool ProxyAuth::verify(const QString& spec, const QByteArray& user, const QByteArray& pass)
{
    if (spec.isEmpty())
        return true;
    if (spec == QLatin1String("any"))
        return !user.isEmpty();
    if (!spec.startsWith(QLatin1Char('@'))) {
        const qsizetype colon = spec.indexOf(QLatin1Char(':'));
        return colon > 0 && user == spec.left(colon).toUtf8() &&
               pass == spec.mid(colon + 1).toUtf8();
    }
    const QString path = spec.mid(1);
    QString error;
    const auto table = load(path, &error);
    if (!table)
        return false; // the file went away or broke after start-up: nobody gets in
    const auto it = table->hashes.constFind(user);
    if (it == table->hashes.constEnd())
        return false;
    const QByteArray key = path.toUtf8() + '\0' + user + '\0' + pass + '\0' + *it;
    {
        std::lock_guard lock(g_mutex);
        if (g_accepted.contains(key))
            return true;
    }
    if (!checkHash(*it, pass))
        return false;
    std::lock_guard lock(g_mutex);
    if (g_accepted.size() >= kMaxAccepted)
        g_accepted.clear();
    g_accepted.insert(key);
    return true;
}

bool ProxyAuth::parseBasic(const QByteArray& headerValue, QByteArray* user, QByteArray* pass)
{
    const QByteArray v = headerValue.trimmed();
    const qsizetype space = v.indexOf(' ');
    if (space <= 0 || v.left(space).toLower() != "basic")
        return false;
    const auto decoded = QByteArray::fromBase64Encoding(v.mid(space + 1).trimmed(),
                                                        QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return false;
    const QByteArray& text = *decoded;
    const qsizetype colon = text.indexOf(':');
    if (colon < 0)
        return false;
    *user = text.left(colon);
    *pass = text.mid(colon + 1);
    return true;
}

} // namespace spyglass::layers

#include "addons/map_local.h"

#include "options/options.h"
#include "proxy/context.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMimeDatabase>
#include <QUrl>

namespace spyglass::addons {

namespace {

// Is `path` (an existing file) really inside `root` (an existing directory)?
bool isInside(const QString& path, const QString& root)
{
    const QString real = QFileInfo(path).canonicalFilePath();
    const QString realRoot = QFileInfo(root).canonicalFilePath();
    if (real.isEmpty() || realRoot.isEmpty())
        return false;
    return real.startsWith(realRoot.endsWith(QLatin1Char('/')) ? realRoot
                                                               : realRoot + QLatin1Char('/'));
}

} // namespace

std::optional<MapLocal::Spec> MapLocal::Spec::parse(const QString& text, QString* error)
{
    auto spec = FlowSpec::parse(text, false, error);
    if (!spec)
        return std::nullopt;
    QRegularExpression re(spec->subject);
    if (!re.isValid()) {
        *error = QStringLiteral("invalid regular expression '%1': %2")
                     .arg(spec->subject, re.errorString());
        return std::nullopt;
    }
    const QString path = QFileInfo(expandHome(spec->replacement)).absoluteFilePath();
    if (!QFileInfo::exists(path)) {
        *error = QStringLiteral("invalid file path '%1': it does not exist").arg(path);
        return std::nullopt;
    }
    return Spec{std::move(*spec), std::move(re), path};
}

QString MapLocal::configure(const Options& options)
{
    auto specs = std::make_shared<std::vector<Spec>>();
    for (const QString& text : options.mapLocal) {
        QString error;
        auto s = Spec::parse(text, &error);
        if (!s)
            return QStringLiteral("map_local: ") + error;
        specs->push_back(std::move(*s));
    }
    m_specs.store(std::move(specs));
    return {};
}

quint64 MapLocal::wantedHooks() const
{
    return m_specs.load()->empty() ? 0 : proxy::Services::bit(proxy::HookKind::Request);
}

QStringList MapLocal::candidates(const QString& url, const Spec& spec)
{
    const QRegularExpressionMatch m = spec.regex.match(url);
    QString suffix;
    if (spec.regex.captureCount() > 0) {
        suffix = m.captured(1);
    } else {
        suffix = url.mid(m.capturedEnd(0));
        suffix = suffix.left(suffix.indexOf(QLatin1Char('?')));
        while (suffix.startsWith(QLatin1Char('/')))
            suffix.remove(0, 1);
        while (suffix.endsWith(QLatin1Char('/')))
            suffix.chop(1);
    }
    const QString root = spec.localPath + QLatin1Char('/');
    if (suffix.isEmpty())
        return {root + QStringLiteral("index.html")};
    const QString decoded = QUrl::fromPercentEncoding(suffix.toUtf8());
    QStringList out{root + decoded, root + decoded + QStringLiteral("/index.html")};
    QString escaped = decoded;
    static const QRegularExpression unsafe(QStringLiteral("[^0-9a-zA-Z\\-_.=(),/]"));
    escaped.replace(unsafe, QStringLiteral("_"));
    if (escaped != decoded)
        out << root + escaped << root + escaped + QStringLiteral("/index.html");
    return out;
}

void MapLocal::request(HttpFlow& flow)
{
    if (flow.response || flow.error || flow.request.isConnect())
        return;
    const auto specs = m_specs.load();
    const QString url = QString::fromUtf8(flow.request.url());
    QStringList tried;
    for (const Spec& s : *specs) {
        if (!s.spec.matches(flow) || !s.regex.match(url).hasMatch())
            continue;
        const QFileInfo target(s.localPath);
        const QStringList files = target.isFile() ? QStringList{s.localPath} : candidates(url, s);
        tried += files;
        for (const QString& file : files) {
            if (!QFileInfo(file).isFile())
                continue;
            if (!target.isFile() && !isInside(file, s.localPath)) {
                log(proxy::LogLevel::Warn, QStringLiteral("map_local: %1 is outside %2; not served")
                                               .arg(file, s.localPath));
                continue;
            }
            QFile f(file);
            if (!f.open(QIODevice::ReadOnly)) {
                log(proxy::LogLevel::Warn,
                    QStringLiteral("map_local: could not read %1: %2").arg(file, f.errorString()));
                return;
            }
            const QMimeType type =
                QMimeDatabase().mimeTypeForFile(file, QMimeDatabase::MatchExtension);
            const QByteArray contentType = type.isDefault() ? QByteArray() : type.name().toLatin1();
            Response r = Response::make(200, f.readAll(), contentType);
            r.headers.add("Server", "Spyglass");
            flow.response = std::move(r);
            return;
        }
    }
    if (!tried.isEmpty()) {
        Response r = Response::make(404, {}, {});
        r.headers.add("Server", "Spyglass");
        flow.response = std::move(r);
        log(proxy::LogLevel::Info,
            QStringLiteral("map_local: none of the local file candidates exist: %1")
                .arg(tried.join(QStringLiteral(", "))));
    }
}

} // namespace spyglass::addons

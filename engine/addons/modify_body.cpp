#include "addons/modify_body.h"

#include "io/content_coding.h"
#include "options/options.h"
#include "proxy/context.h"

namespace spyglass::addons {

namespace {

// Decoding is bounded like everywhere else: a zip bomb is left alone.
constexpr qint64 kMaxDecoded = 256 * 1024 * 1024;

QRegularExpression byteRegex(const QString& pattern)
{
    return QRegularExpression(QString::fromLatin1(pattern.toUtf8()),
                              QRegularExpression::DotMatchesEverythingOption);
}

} // namespace

std::optional<ModifyBody::Spec> ModifyBody::Spec::parse(const QString& text, QString* error)
{
    auto spec = FlowSpec::parse(text, true, error);
    if (!spec)
        return std::nullopt;
    QRegularExpression re = byteRegex(spec->subject);
    if (!re.isValid()) {
        *error = QStringLiteral("invalid regular expression '%1': %2")
                     .arg(spec->subject, re.errorString());
        return std::nullopt;
    }
    re.optimize();
    return Spec{std::move(*spec), std::move(re)};
}

QString ModifyBody::configure(const Options& options)
{
    auto specs = std::make_shared<std::vector<Spec>>();
    for (const QString& text : options.modifyBody) {
        QString error;
        auto s = Spec::parse(text, &error);
        if (!s)
            return QStringLiteral("modify_body: ") + error;
        specs->push_back(std::move(*s));
    }
    m_specs.store(std::move(specs));
    return {};
}

quint64 ModifyBody::wantedHooks() const
{
    using proxy::HookKind;
    using proxy::Services;
    return m_specs.load()->empty()
               ? 0
               : Services::bit(HookKind::Request) | Services::bit(HookKind::Response);
}

void ModifyBody::request(HttpFlow& flow)
{
    if (flow.response || flow.error)
        return;
    apply(flow, flow.request.headers, flow.request.body);
}

void ModifyBody::response(HttpFlow& flow)
{
    if (flow.error || !flow.response)
        return;
    apply(flow, flow.response->headers, flow.response->body);
}

void ModifyBody::apply(HttpFlow& flow, Headers& headers, BodyInfo& body) const
{
    if (body.streamed)
        return;
    const auto specs = m_specs.load();
    std::optional<QString> text; // the decoded body, made on the first match
    const QList<QByteArray> codings = ContentCoding::parse(headers.joined("content-encoding"));
    for (const Spec& s : *specs) {
        if (!s.spec.matches(flow))
            continue;
        QString error;
        const auto replacement = s.spec.readReplacement(&error);
        if (!replacement) {
            log(proxy::LogLevel::Warn, QStringLiteral("modify_body: ") + error);
            continue;
        }
        if (!text) {
            if (codings.isEmpty()) {
                text = QString::fromLatin1(body.content);
            } else {
                const auto decoded = ContentCoding::decode(codings, body.content, kMaxDecoded);
                if (!decoded) {
                    log(proxy::LogLevel::Warn,
                        QStringLiteral("modify_body: cannot decode a %1 body; left unchanged")
                            .arg(QString::fromLatin1(headers.joined("content-encoding"))));
                    return;
                }
                text = QString::fromLatin1(*decoded);
            }
        }
        text->replace(s.regex, QString::fromLatin1(*replacement));
    }
    if (!text)
        return;
    QByteArray bytes = text->toLatin1();
    if (!codings.isEmpty()) {
        auto encoded = ContentCoding::encode(codings, bytes);
        if (encoded) {
            bytes = std::move(*encoded);
        } else {
            headers.remove("content-encoding");
        }
    }
    body.content = bytes;
    body.size = bytes.size();
    if (headers.contains("content-length"))
        headers.set("Content-Length", QByteArray::number(bytes.size()));
}

} // namespace spyglass::addons

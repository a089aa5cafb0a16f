#include "addons/flow_spec.h"

#include "options/options.h"

#include <QFile>

namespace spyglass::addons {

QStringList FlowSpec::split(const QString& text)
{
    if (text.size() < 2)
        return {};
    const QChar sep = text.at(0);
    QStringList parts;
    qsizetype start = 1;
    while (parts.size() < 2) {
        const qsizetype at = text.indexOf(sep, start);
        if (at < 0)
            break;
        parts.append(text.mid(start, at - start));
        start = at + 1;
    }
    parts.append(text.mid(start));
    return parts;
}

std::optional<filter::Filter> FlowSpec::parseFilter(const QString& expression, QString* error)
{
    auto parsed = filter::Filter::parse(expression);
    if (const auto* e = std::get_if<filter::ParseError>(&parsed)) {
        *error = QStringLiteral("invalid filter expression '%1': %2").arg(expression, e->message);
        return std::nullopt;
    }
    return std::get<filter::Filter>(std::move(parsed));
}

std::optional<FlowSpec> FlowSpec::parse(const QString& text, bool allowFile, QString* error)
{
    const QStringList parts = split(text);
    if (parts.size() != 2 && parts.size() != 3) {
        *error = QStringLiteral("invalid number of parameters in '%1' (2 or 3 are expected, "
                                "the first character being the separator: /~q/name/value)")
                     .arg(text);
        return std::nullopt;
    }
    FlowSpec spec;
    if (parts.size() == 3) {
        auto f = parseFilter(parts.at(0), error);
        if (!f)
            return std::nullopt;
        spec.filter = std::move(*f);
    }
    spec.subject = parts.at(parts.size() - 2);
    spec.replacement = parts.last();
    if (spec.subject.isEmpty()) {
        *error = QStringLiteral("empty subject in '%1'").arg(text);
        return std::nullopt;
    }
    if (allowFile && spec.replacement.startsWith(QLatin1Char('@'))) {
        spec.m_isFile = true;
        spec.m_path = expandHome(spec.replacement.mid(1));
        QFile f(spec.m_path);
        if (!f.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read replacement file '%1': %2")
                         .arg(spec.m_path, f.errorString());
            return std::nullopt;
        }
    }
    return spec;
}

std::optional<QByteArray> FlowSpec::readReplacement(QString* error) const
{
    if (!m_isFile)
        return replacement.toUtf8();
    QFile f(m_path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error =
            QStringLiteral("could not read replacement file '%1': %2").arg(m_path, f.errorString());
        return std::nullopt;
    }
    return f.readAll();
}

} // namespace spyglass::addons

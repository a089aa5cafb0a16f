#pragma once
// mitmproxy's option value syntax for the addons that act on matching flows
// (`mitmproxy/utils/spec.py`, `addons/modifyheaders.py parse_modify_spec`):
//
//   [SEP FILTER] SEP SUBJECT SEP REPLACEMENT        e.g. "/~q/Host/example.org", "|x|y"
//
// The first character is the separator, whatever it is. With three parts the first is a
// filter expression (engine/filter/); with two there is none and every flow matches. The last
// part may contain the separator (the text is split at most twice). A replacement that starts
// with '@' names a file whose contents are the replacement, read each time it is used (so an
// edited file takes effect at once); the file must be readable when the option is set.

#include "filter/filter.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <optional>

namespace spyglass::addons {

struct FlowSpec
{
    filter::Filter filter; // the empty filter matches every flow
    QString subject;
    QString replacement;

    // `allowFile`: a leading '@' in the replacement names a file.
    static std::optional<FlowSpec> parse(const QString& text, bool allowFile, QString* error);
    bool matches(const HttpFlow& flow) const { return filter.matches(flow); }
    bool isFile() const { return m_isFile; }
    // The replacement bytes: the text itself (UTF-8), or the file's contents.
    std::optional<QByteArray> readReplacement(QString* error) const;

    // Splits after the separator: up to three parts; empty list (and an error) when `text`
    // is too short to hold a separator and one part.
    static QStringList split(const QString& text);
    // Parses a filter expression; nullopt and a one-line error when it is not one.
    static std::optional<filter::Filter> parseFilter(const QString& expression, QString* error);

private:
    bool m_isFile = false;
    QString m_path;
};

} // namespace spyglass::addons

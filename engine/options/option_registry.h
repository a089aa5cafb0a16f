#pragma once
// The option registry: name, type, default and help for every option, and the parsers behind
// `--set NAME=VALUE`. List-valued options take repeated --set, each adding one entry
// (mitmproxy 7). The window's options dialog and `--options` are generated from it.

#include "options/options.h"

#include <QString>
#include <functional>
#include <vector>

namespace spyglass {

struct OptionSpec
{
    QString name; // "ssl_insecure"
    QString type; // "bool", "int", "str", "str list", "size", "choice"
    QString help;
    QStringList choices; // for "choice"
    std::function<QString(const Options&)> get;
    // Returns an error message, or an empty string on success.
    std::function<QString(Options&, const QString&)> set;
    bool isList = false;
    // A list option's entries one by one (`get` joins them with commas, which entries may
    // contain); set for every list option.
    std::function<QStringList(const Options&)> getList = nullptr;
};

class OptionRegistry
{
public:
    static const std::vector<OptionSpec>& all();
    static const OptionSpec* find(const QString& name);
    // Parses "name=value" (or "name" for a bool, meaning true) into `options`.
    // Returns an error for the user ("unknown option 'x'", "ssl_insecure: expected true or false").
    static QString apply(Options& options, const QString& assignment);
    // The `--options` listing (built-in options, then those scripts added).
    static QString describeAll(const Options& defaults);

    // Options that scripts add while they load (spyglass.addOption: type bool, int or str),
    // stored in Options::scriptOptions. Thread-safe. A name added again keeps its first
    // definition (a script that reloads); a built-in name or a bad type is an error.
    static QString addScriptOption(const QString& name, const QString& type,
                                   const QString& defaultValue, const QString& help);
    static std::vector<OptionSpec> scriptOptions();
};

} // namespace spyglass

#pragma once
// The command-line contract shared by spyglass and spyglass-dump (DESIGN.md "Command line
// contract"). Parsing never exits: it returns what was asked or a one-line error, and main()
// prints it and exits with code 2.

#include "options/options.h"

#include <QStringList>

namespace spyglass {

struct CommandLine
{
    Options options;
    QString saveFile;     // -w
    QString harFile;      // --har
    QString readFile;     // -r
    QString exportFormat; // --export: curl, httpie, raw, raw_request, raw_response, har
    bool noServer = false;
    bool quiet = false;
    bool listOptions = false;
    bool version = false;
    bool help = false;
    QStringList scripts; // options.scripts: -s FILE and --set scripts=FILE, in order
    // --set NAME=VALUE for names no built-in option has, kept while scripts are given: a
    // script may add the option when it loads (spyglass.addOption). main() applies them with
    // OptionRegistry::apply once the scripts are loaded; an unknown name is then an error.
    QStringList deferredSets;
    QString filter; // trailing FILTER-EXPRESSION, words joined by spaces
    // Registry names the command line set (--set NAME=..., --listen-host, -p, --confdir,
    // --mode): the window's stored preferences apply to every other option (command line wins).
    QStringList explicitOptions;
    QString helpText;
};

// `arguments` includes the program name, as QCoreApplication::arguments() does.
// Returns an empty string on success, else the error for stderr.
QString parseCommandLine(const QStringList& arguments, CommandLine& out);

} // namespace spyglass

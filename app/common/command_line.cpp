#include "command_line.h"

#include "options/option_registry.h"
#include "options/proxy_mode.h"

#include <QCommandLineParser>
#include <QRegularExpression>

namespace spyglass {

QString parseCommandLine(const QStringList& arguments, CommandLine& out)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Spyglass: an HTTPS-intercepting proxy that records every exchange."));
    p.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption listenHost(QStringLiteral("listen-host"),
                                        QStringLiteral("Address to listen on (127.0.0.1)."),
                                        QStringLiteral("HOST"));
    const QCommandLineOption listenPort({QStringLiteral("p"), QStringLiteral("listen-port")},
                                        QStringLiteral("Port to listen on (8080)."),
                                        QStringLiteral("PORT"));
    const QCommandLineOption mode(
        QStringLiteral("mode"),
        QStringLiteral("Proxy mode, repeatable: regular, upstream:URL, reverse:URL, socks5; "
                       "MODE@PORT listens on PORT (regular)."),
        QStringLiteral("MODE"));
    const QCommandLineOption confdir(QStringLiteral("confdir"),
                                     QStringLiteral("Configuration directory (~/.spyglass)."),
                                     QStringLiteral("DIR"));
    const QCommandLineOption set(QStringLiteral("set"),
                                 QStringLiteral("Set an option; repeat for list options."),
                                 QStringLiteral("NAME=VALUE"));
    const QCommandLineOption save({QStringLiteral("w"), QStringLiteral("save")},
                                  QStringLiteral("Save the session to FILE as flows finish."),
                                  QStringLiteral("FILE"));
    const QCommandLineOption har(QStringLiteral("har"),
                                 QStringLiteral("Write every flow as HAR 1.2 to FILE at exit."),
                                 QStringLiteral("FILE"));
    const QCommandLineOption read({QStringLiteral("r"), QStringLiteral("read")},
                                  QStringLiteral("Read flows from a session FILE."),
                                  QStringLiteral("FILE"));
    const QCommandLineOption exportFormat(
        QStringLiteral("export"),
        QStringLiteral("Print the flows as FORMAT instead of one line each: curl, httpie, raw, "
                       "raw_request, raw_response, or har (written at exit)."),
        QStringLiteral("FORMAT"));
    const QCommandLineOption noServer({QStringLiteral("n"), QStringLiteral("no-server")},
                                      QStringLiteral("Start no proxy."));
    const QCommandLineOption clientReplay(
        {QStringLiteral("C"), QStringLiteral("client-replay")},
        QStringLiteral("Replay client requests from a saved FILE (the client_replay option; "
                       "repeatable). With -n: replay, then exit."),
        QStringLiteral("FILE"));
    const QCommandLineOption quiet({QStringLiteral("q"), QStringLiteral("quiet")},
                                   QStringLiteral("Print no flow lines."));
    const QCommandLineOption script({QStringLiteral("s"), QStringLiteral("script")},
                                    QStringLiteral("Load a script (repeatable)."),
                                    QStringLiteral("FILE"));
    const QCommandLineOption serverReplay(
        {QStringLiteral("S"), QStringLiteral("server-replay")},
        QStringLiteral("Replay server responses from a saved FILE (--set server_replay=FILE)."),
        QStringLiteral("FILE"));
    const QCommandLineOption options(QStringLiteral("options"),
                                     QStringLiteral("List every option and exit."));
    const QCommandLineOption version(QStringLiteral("version"),
                                     QStringLiteral("Print the version and exit."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show this help and exit."));
    p.addOptions({listenHost, listenPort, mode, confdir, set, save, har, read, exportFormat,
                  noServer, clientReplay, quiet, script, serverReplay, options, version, help});
    p.addPositionalArgument(QStringLiteral("filter"),
                            QStringLiteral("Filter expression: which flows to print and save."),
                            QStringLiteral("[FILTER-EXPRESSION]"));

    if (!p.parse(arguments)) {
        const QStringList unknown = p.unknownOptionNames();
        if (!unknown.isEmpty()) {
            const QString& n = unknown.first();
            return QStringLiteral("unknown option %1%2 (--help lists the options)")
                .arg(n.size() == 1 ? QStringLiteral("-") : QStringLiteral("--"), n);
        }
        return p.errorText();
    }

    out.helpText = p.helpText();
    out.help = p.isSet(help);
    out.version = p.isSet(version);
    out.listOptions = p.isSet(options);
    out.noServer = p.isSet(noServer);
    out.quiet = p.isSet(quiet);
    out.saveFile = p.value(save);
    out.harFile = p.value(har);
    out.readFile = p.value(read);
    out.exportFormat = p.value(exportFormat);
    if (p.isSet(exportFormat) && out.exportFormat.isEmpty())
        return QStringLiteral("unknown export format '' (formats: curl, httpie, raw, raw_request, "
                              "raw_response, har)");
    out.filter = p.positionalArguments().join(QLatin1Char(' '));

    Options& o = out.options;
    // --set first, so that the dedicated flags win as in mitmproxy. A name only a script can
    // define waits until the scripts are loaded.
    const bool scriptsGiven =
        p.isSet(script) ||
        p.values(set).filter(QRegularExpression(QStringLiteral("^\\s*scripts\\s*="))).size() > 0;
    for (const QString& s : p.values(set)) {
        const QString name = s.section(QLatin1Char('='), 0, 0).trimmed();
        if (scriptsGiven && !OptionRegistry::find(name)) {
            out.deferredSets.append(s);
            continue;
        }
        const QString err = OptionRegistry::apply(o, s);
        if (!err.isEmpty())
            return err;
        out.explicitOptions.append(s.section(QLatin1Char('='), 0, 0).trimmed());
    }
    for (const QString& s : p.values(script))
        o.scripts.append(s);
    out.scripts = o.scripts;
    const std::pair<const QCommandLineOption*, const char*> named[] = {{&listenHost, "listen_host"},
                                                                       {&listenPort, "listen_port"},
                                                                       {&confdir, "confdir"},
                                                                       {&mode, "mode"}};
    for (const auto& [option, name] : named)
        if (p.isSet(*option))
            out.explicitOptions.append(QString::fromLatin1(name));
    auto apply = [&](const char* name, const QString& value) -> QString {
        return OptionRegistry::apply(o, QString::fromLatin1(name) + QLatin1Char('=') + value);
    };
    if (p.isSet(listenHost))
        if (QString e = apply("listen_host", p.value(listenHost)); !e.isEmpty())
            return e;
    if (p.isSet(listenPort))
        if (QString e = apply("listen_port", p.value(listenPort)); !e.isEmpty())
            return e;
    if (p.isSet(confdir))
        if (QString e = apply("confdir", p.value(confdir)); !e.isEmpty())
            return e;
    for (const QString& f : p.values(serverReplay))
        if (QString e = apply("server_replay", f); !e.isEmpty())
            return e;
    for (const QString& m : p.values(mode))
        if (QString e = apply("mode", m); !e.isEmpty())
            return e;
    for (const QString& f : p.values(clientReplay))
        if (QString e = apply("client_replay", f); !e.isEmpty())
            return e;
    if (QString e = checkModes(o.mode, o.listenPort); !e.isEmpty())
        return e;
    return {};
}

} // namespace spyglass

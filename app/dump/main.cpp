// spyglass-dump: the headless proxy (mitmdump's counterpart). Wiring only: the command line,
// the engine facade, one line per finished flow on stdout, session and HAR files (both limited
// to the flows that match the trailing filter expression), and a clean exit on SIGINT/SIGTERM
// that writes everything out first. `--export FORMAT` prints each such flow in an export format
// (io/flow_export.h) instead of its line: curl and httpie commands one per line, raw formats
// separated by a blank line ("\r\n\r\n", the separator of mitmproxy's raw format), and `har`
// one HAR document on stdout at exit. It works with -r (then -n makes it a converter) and with
// live traffic alike.

#include "command_line.h"
#include "dump_printer.h"

#include "filter/filter.h"
#include "flow/flow_store.h"
#include "heap_reserve.h"
#include "io/flow_export.h"
#include "io/flow_file_reader.h"
#include "io/har_writer.h"
#include "io/session_writer.h"
#include "options/option_registry.h"
#include "proxy/command.h"
#include "quit_signals.h"
#include "script/script_set.h"
#include "server/proxy_engine.h"
#include "tls/certificate_authority.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>
#ifdef __GLIBC__
#include <malloc.h>
#endif

using namespace spyglass;

namespace {

int fail(const QString& message)
{
    std::fprintf(stderr, "spyglass-dump: %s\n", qPrintable(message));
    return 2;
}

// Everything that happens to finished flows that match the filter: the line on stdout, the
// session file, and the store that the HAR file is written from.
class FlowSink
{
public:
    FlowSink(bool quiet, bool showHost, SessionWriter* session, filter::Filter filter)
        : m_quiet(quiet), m_showHost(showHost), m_session(session), m_filter(std::move(filter)),
          m_filtering(!m_filter.expression().isEmpty())
    {
    }
    // Print flows in `format` (a FlowExport format) instead of dump lines.
    void setExport(const QString& format, const Options& options)
    {
        m_exportFormat = format;
        m_exportOptions = options;
    }
    bool exportFailed() const { return m_exportFailed; }

    void take(const QList<FlowSnapshot>& batch)
    {
        QList<FlowSnapshot> kept;
        kept.reserve(batch.size());
        for (const FlowSnapshot& f : batch) {
            if (f->live) {
                // Not finished: a filter cannot judge it yet (~s, ~c, ~bs ...).
                if (!m_filtering)
                    kept.append(f);
                continue;
            }
            if (!m_filter.matches(*f))
                continue;
            kept.append(f);
            if (!m_exportFormat.isEmpty())
                printExport(*f);
            else if (!m_quiet)
                std::fprintf(stdout, "%s\n", qPrintable(dumpLine(*f, m_showHost)));
            if (m_session && m_session->isOpen()) {
                const QString err = m_session->append(*f);
                if (!err.isEmpty() && !m_sessionFailed) {
                    m_sessionFailed = true;
                    std::fprintf(stderr, "spyglass-dump: %s\n", qPrintable(err));
                }
            }
        }
        m_store.apply(kept);
        std::fflush(stdout);
    }
    const FlowStore& store() const { return m_store; }

private:
    void printExport(const HttpFlow& f)
    {
        QString err;
        const QByteArray out = FlowExport::exportFlow(m_exportFormat, f, m_exportOptions, &err);
        if (!err.isEmpty()) {
            m_exportFailed = true;
            std::fprintf(stderr, "spyglass-dump: cannot export %s as %s: %s\n",
                         qPrintable(QString::fromLatin1(
                             f.kind == FlowKind::Tcp ? f.server.peer.toString() : f.request.url())),
                         qPrintable(m_exportFormat), qPrintable(err));
            return;
        }
        const bool commandLine =
            m_exportFormat == QLatin1String("curl") || m_exportFormat == QLatin1String("httpie");
        if (!commandLine && m_exported > 0)
            std::fwrite("\r\n\r\n", 1, 4, stdout);
        std::fwrite(out.constData(), 1, size_t(out.size()), stdout);
        if (commandLine)
            std::fputc('\n', stdout);
        ++m_exported;
    }

    QString m_exportFormat;
    Options m_exportOptions;
    qsizetype m_exported = 0;
    bool m_exportFailed = false;
    bool m_quiet;
    bool m_showHost;
    SessionWriter* m_session;
    filter::Filter m_filter;
    bool m_filtering;
    FlowStore m_store;
    bool m_sessionFailed = false;
};

QList<FlowSnapshot> readSession(const QString& path, QString* error)
{
    QList<FlowSnapshot> flows;
    // Any capture format -r reads (flow_file_reader.h); our own sessions as before.
    const FlowFileReader::Result r = FlowFileReader::readAll(path);
    for (const QString& w : r.warnings)
        std::fprintf(stderr, "spyglass-dump: %s\n", qPrintable(w));
    if (!r.ok()) {
        *error = r.error;
        return {};
    }
    for (const HttpFlow& f : r.flows) {
        auto copy = std::make_shared<HttpFlow>(f);
        copy->live = false;
        flows.append(copy);
    }
    return flows;
}

} // namespace

int main(int argc, char** argv)
{
    useHeapReserve(); // recording every flow grows the heap all the time
#if defined(__GLIBC__) && !defined(SPYGLASS_TCMALLOC)
    // Bodies pass through in buffers of a few hundred KiB. Above glibc's default mmap
    // threshold each one is a fresh mapping, page-faulted in and unmapped again, which made
    // HTTPS downloads seven times slower; from the heap they are reused.
    mallopt(M_MMAP_THRESHOLD, 8 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 32 * 1024 * 1024);
#endif
    // Qt's plain poll dispatcher: the GLib one costs an eventfd write per socket-notifier
    // change on the workers' hot path, and a headless proxy needs nothing from GLib.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("spyglass-dump"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SPYGLASS_VERSION));

    CommandLine cli;
    if (const QString err = parseCommandLine(QCoreApplication::arguments(), cli); !err.isEmpty())
        return fail(err);
    if (cli.help) {
        std::fputs(qPrintable(cli.helpText), stdout);
        return 0;
    }
    if (cli.version) {
        std::printf("spyglass-dump %s\n", SPYGLASS_VERSION);
        return 0;
    }
    // Scripts load first: they may add options that --set and --options name.
    script::ScriptSet scripts;
    if (const QString err = scripts.loadForStartup(cli.scripts, cli.deferredSets, cli.options);
        !err.isEmpty())
        return fail(err);
    if (cli.listOptions) {
        std::fputs(qPrintable(OptionRegistry::describeAll(Options{})), stdout);
        return 0;
    }
    filter::Filter flowFilter; // matches every flow
    if (!cli.filter.trimmed().isEmpty()) {
        auto parsed = filter::Filter::parse(cli.filter);
        if (const auto* e = std::get_if<filter::ParseError>(&parsed)) {
            QString shown = cli.filter;
            shown.replace(QLatin1Char('\n'), QLatin1Char(' ')); // one line, same positions
            return fail(QStringLiteral("bad filter expression '%1': %2").arg(shown, e->message));
        }
        flowFilter = std::get<filter::Filter>(std::move(parsed));
    }

    const bool harToStdout = cli.exportFormat == QLatin1String("har");
    if (!cli.exportFormat.isEmpty() && !harToStdout && !FlowExport::isFormat(cli.exportFormat))
        return fail(QStringLiteral("unknown export format '%1' (formats: %2, har)")
                        .arg(cli.exportFormat, FlowExport::formats().join(QStringLiteral(", "))));

    QList<FlowSnapshot> loaded;
    if (!cli.readFile.isEmpty()) {
        QString err;
        loaded = readSession(cli.readFile, &err);
        if (!err.isEmpty())
            return fail(err);
    }

    SessionWriter session;
    if (!cli.saveFile.isEmpty()) {
        if (const QString err = session.open(cli.saveFile); !err.isEmpty())
            return fail(err);
    }
    // With --export har the flows are only collected: the HAR goes to stdout at exit.
    FlowSink sink(cli.quiet || harToStdout, cli.options.showhost,
                  cli.saveFile.isEmpty() ? nullptr : &session, flowFilter);
    if (!cli.exportFormat.isEmpty() && !harToStdout)
        sink.setExport(cli.exportFormat, cli.options);
    sink.take(loaded);

    auto finish = [&]() -> int {
        int code = 0;
        if (!cli.harFile.isEmpty()) {
            // Decoded one flow at a time: the session is never held twice.
            const FlowStore& store = sink.store();
            const QString err = HarWriter::write(cli.harFile, store.size(),
                                                 [&store](qsizetype i) { return store.at(i); });
            if (!err.isEmpty()) {
                std::fprintf(stderr, "spyglass-dump: %s\n", qPrintable(err));
                code = 1;
            }
        }
        if (harToStdout) {
            const FlowStore& store = sink.store();
            QList<FlowSnapshot> flows;
            flows.reserve(store.size());
            for (qsizetype i = 0; i < store.size(); ++i)
                flows.append(store.at(i));
            const QByteArray har = HarWriter::toHar(flows);
            std::fwrite(har.constData(), 1, size_t(har.size()), stdout);
        }
        if (sink.exportFailed())
            code = 1;
        session.close();
        std::fflush(stdout);
        return code;
    };

    // -n starts no proxy; with client_replay (-C) the engine still runs, without listeners,
    // until every replay has ended (mitmdump -n -C FILE).
    const bool replayOnly = cli.noServer && !cli.options.clientReplay.isEmpty();
    if (cli.noServer && !replayOnly)
        return finish();

    ProxyEngine engine;
    engine.setLiveUpdates(false); // only finished flows are printed and saved
    engine.setListening(!replayOnly);
    QObject::connect(&engine.hub(), &FlowHub::flowsChanged,
                     [&](const QList<FlowSnapshot>& batch) { sink.take(batch); });
    QObject::connect(&engine, &ProxyEngine::logMessage, [&](int level, const QString& message) {
        if (level >= int(proxy::LogLevel::Warn))
            std::fprintf(stderr, "%s\n", qPrintable(message));
    });

    QuitSignals quitSignals;
    QObject::connect(&quitSignals, &QuitSignals::quitRequested, [&] {
        engine.stop();
        QCoreApplication::exit(finish());
    });

    scripts.install(engine);
    if (replayOnly) {
        // Queued to this thread: the check runs after start() has queued every replay.
        QObject::connect(&engine, &ProxyEngine::replaysFinished, &app, [&] {
            if (engine.pendingReplays() > 0 || !engine.isRunning())
                return;
            engine.stop();
            QCoreApplication::exit(finish());
        });
    }

    QString err;
    if (!engine.start(cli.options, &err))
        return fail(err);
    scripts.running();
    if (replayOnly) {
        if (engine.pendingReplays() == 0) { // nothing in the files could be replayed
            engine.stop();
            return finish();
        }
        return app.exec();
    }
    if (engine.certificateAuthority() && engine.certificateAuthority()->createdNow())
        std::fprintf(stderr, "spyglass-dump: created a new CA in %s\n",
                     qPrintable(engine.certificateAuthority()->confdir()));
    std::fprintf(stderr, "spyglass-dump: proxy listening at %s:%u\n",
                 qPrintable(cli.options.listenHost), unsigned(engine.listenPort()));
    const std::vector<quint16> ports = engine.listenPorts();
    for (size_t i = 0; i < ports.size() && i < size_t(cli.options.mode.size()); ++i)
        std::fprintf(stderr, "spyglass-dump: mode %s listening at %s:%u\n",
                     qPrintable(cli.options.mode.at(qsizetype(i))),
                     qPrintable(cli.options.listenHost), unsigned(ports[i]));
    return app.exec();
}

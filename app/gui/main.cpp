// spyglass: the desktop app. Wiring only: the command line shared with spyglass-dump
// (app/common), the engine facade, and the window. -r opens a session, -w saves finished flows
// as they come, --har writes HAR 1.2 when the window closes, a trailing FILTER-EXPRESSION
// starts in the filter bar, -n opens the window without starting the proxy.

#include "command_line.h"

#include "cert_wizard_prompt.h"
#include "filter_bar.h"
#include "flow_actions.h"
#include "flow_list_model.h"
#include "heap_reserve.h"
#include "io/har_writer.h"
#include "language.h"
#include "main_window.h"
#include "option_settings.h"
#include "options/option_registry.h"
#include "quit_signals.h"
#include "script/script_set.h"
#include "server/proxy_engine.h"
#include "theme.h"
#include "tls/certificate_authority.h"

#include <QApplication>
#include <QMessageBox>

#include <cstdio>
#include <cstring>

using namespace spyglass;

namespace {

int fail(const QString& message)
{
    std::fprintf(stderr, "spyglass: %s\n", qPrintable(message));
    return 2;
}

} // namespace

int main(int argc, char** argv)
{
    // --version answers before QApplication exists, so it works without a display (package
    // checks, ssh). SPYGLASS_VERSION is project()'s VERSION (engine/CMakeLists.txt).
    for (int i = 1; i < argc && std::strcmp(argv[i], "--") != 0; ++i) {
        if (std::strcmp(argv[i], "--version") == 0) {
            std::printf("spyglass %s\n", SPYGLASS_VERSION);
            return 0;
        }
    }
    useHeapReserve(); // a session of a million flows grows the heap all the time
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Spyglass"));
    QApplication::setApplicationName(QStringLiteral("spyglass"));
    QApplication::setApplicationDisplayName(QStringLiteral("Spyglass"));
    QApplication::setApplicationVersion(QStringLiteral(SPYGLASS_VERSION));

    // The language and the look come before the first widget (View > Language, View > Theme).
    Language::install(Language::stored());
    Theme::apply(Theme::stored());
    QApplication::setWindowIcon(Theme::icon(QStringLiteral("spyglass")));

    CommandLine cli;
    if (const QString err = parseCommandLine(QApplication::arguments(), cli); !err.isEmpty())
        return fail(err);
    // Preferences (Edit > Preferences, OptionSettings) go below the command line: parse it
    // again over the stored options, leaving out every option it names.
    if (!cli.help && !cli.version && !cli.listOptions) {
        CommandLine withStored;
        for (const QString& warning : OptionSettings::load(withStored.options, cli.explicitOptions))
            std::fprintf(stderr, "spyglass: %s\n", qPrintable(warning));
        if (const QString err = parseCommandLine(QApplication::arguments(), withStored);
            !err.isEmpty())
            return fail(err);
        cli = withStored;
    }
    if (cli.help) {
        std::fputs(qPrintable(cli.helpText), stdout);
        return 0;
    }
    if (cli.version) {
        std::printf("spyglass %s\n", SPYGLASS_VERSION);
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

    ProxyEngine engine;
    engine.setLiveUpdates(true);
    scripts.install(engine);
    MainWindow window(&engine, cli.options);
    window.setScriptSet(&scripts); // View > Scripts: list, reload, unload, add at run time
    // Resend, the editor's Send and the composer replay through the engine (client replay).
    window.flowActions()->setReplayFunction(
        [&engine](const HttpFlow& flow, QString* error) { return engine.replayFlow(flow, error); });
    QString err;
    if (!cli.filter.trimmed().isEmpty()) {
        window.filterBar()->setExpression(cli.filter);
        if (!window.filterBar()->isValid())
            return fail(QStringLiteral("bad filter expression '%1': %2")
                            .arg(cli.filter, window.filterBar()->errorMessage()));
    }
    if (!cli.readFile.isEmpty() && !window.openSession(cli.readFile, &err))
        return fail(err);
    if (!cli.saveFile.isEmpty() && !window.setAutosaveFile(cli.saveFile, &err))
        return fail(err);
    window.show();
    // SIGTERM or Ctrl+C in the terminal (logout, a service manager) closes the window as the
    // user would: the layout is saved, the autosave session flushed, --har written below.
    QuitSignals quitSignals;
    QObject::connect(&quitSignals, &QuitSignals::quitRequested, &window, &QWidget::close);
    if (!cli.noServer) {
        if (!window.startProxy(&err)) {
            // The window stays: the user can change nothing yet, but can open sessions.
            std::fprintf(stderr, "spyglass: %s\n", qPrintable(err));
            QMessageBox::warning(&window, QObject::tr("Spyglass"),
                                 QObject::tr("The proxy could not start: %1").arg(err));
        } else {
            scripts.running();
            if (engine.certificateAuthority() && engine.certificateAuthority()->createdNow())
                std::fprintf(stderr, "spyglass: created a new CA in %s\n",
                             qPrintable(engine.certificateAuthority()->confdir()));
            // A new, untrusted CA: the certificate wizard opens (non-modal) unless the user
            // chose "Don't show again" (cert_wizard_prompt.h).
            CertWizardPrompt::offer(window.proxyTools(), engine.certificateAuthority());
        }
    }
    const int code = app.exec();
    engine.stop();
    if (!cli.harFile.isEmpty()) {
        const FlowStore& store = window.flowModel()->store();
        if (const QString e = HarWriter::write(cli.harFile, store.size(),
                                               [&store](qsizetype i) { return store.at(i); });
            !e.isEmpty()) {
            std::fprintf(stderr, "spyglass: %s\n", qPrintable(e));
            return 1;
        }
    }
    return code;
}

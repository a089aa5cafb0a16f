// The reference stays complete (issue 8): every hook a script may define and every property
// and method the prelude exposes (enumerated from the live objects, ScriptApi::exposedApi)
// must be named in docs/scripting.md, as `Class.member` and `hook(`.

#include "script/script_api.h"

#include <QFile>
#include <QTest>

using namespace spyglass::script;

class ScriptApiTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void referenceNamesEverything()
    {
        const QString dir = qEnvironmentVariable("SPYGLASS_SOURCE_DIR");
        QVERIFY2(!dir.isEmpty(), "SPYGLASS_SOURCE_DIR is not set");
        QFile f(dir + QStringLiteral("/docs/scripting.md"));
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.fileName()));
        const QString doc = QString::fromUtf8(f.readAll());

        const QStringList api = ScriptApi::exposedApi();
        QVERIFY2(api.size() > 60, qPrintable(api.join(QLatin1Char(' '))));
        QVERIFY(api.contains(QStringLiteral("Request.headers")));
        QVERIFY(api.contains(QStringLiteral("Headers.delete")));
        QVERIFY(api.contains(QStringLiteral("Response.make")));
        QVERIFY(api.contains(QStringLiteral("spyglass.log.info")));
        QStringList missing;
        for (const QString& name : api)
            if (!doc.contains(QLatin1Char('`') + name + QLatin1Char('`')) &&
                !doc.contains(QLatin1Char('`') + name + QLatin1Char('(')))
                missing.append(name);
        for (const ScriptHook& h : ScriptApi::hooks())
            if (!doc.contains(QLatin1Char('`') + QString::fromLatin1(h.name) + QLatin1Char('(')))
                missing.append(QString::fromLatin1(h.name) + QStringLiteral(" (hook)"));
        QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("docs/scripting.md does not name: ") +
                                               missing.join(QStringLiteral(", "))));
    }

    void everyExposedMemberIsDocumentedWithAnExample()
    {
        // Each member has a section whose heading names it and that holds a code example.
        const QString dir = qEnvironmentVariable("SPYGLASS_SOURCE_DIR");
        QFile f(dir + QStringLiteral("/docs/scripting.md"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'));
        QStringList missing;
        auto hasSection = [&lines](const QString& needle) {
            for (qsizetype i = 0; i < lines.size(); ++i) {
                if (!lines[i].startsWith(QLatin1String("###")) || !lines[i].contains(needle))
                    continue;
                for (qsizetype j = i + 1; j < lines.size() && !lines[j].startsWith('#'); ++j)
                    if (lines[j].startsWith(QLatin1String("```")))
                        return true;
            }
            return false;
        };
        for (const QString& name : ScriptApi::exposedApi())
            if (!hasSection(QLatin1Char('`') + name))
                missing.append(name);
        for (const ScriptHook& h : ScriptApi::hooks())
            if (!hasSection(QLatin1Char('`') + QString::fromLatin1(h.name) + QLatin1Char('(')))
                missing.append(QString::fromLatin1(h.name));
        QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("no section with an example: ") +
                                               missing.join(QStringLiteral(", "))));
    }
};

QTEST_GUILESS_MAIN(ScriptApiTest)
#include "script_api_test.moc"

// The connection hooks as a script sees them, through the real engine and real sockets
// (server/connection_handler.h, docs/scripting.md): server_connect / server_disconnected /
// client_disconnected reach the script with `data.client` and `data.server`; setting
// `data.server.error` in server_connect refuses the connect (a 502 with the script's message,
// the origin never contacted, no server_disconnected); setting `client.error` in
// client_connected closes the client at once.

#include "script/script_addon.h"
#include "server/proxy_engine.h"
#include "test_origin.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <mutex>

using namespace spyglass;
using namespace spyglass::test;

class ScriptConnectionHooksTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    Options options() const
    {
        Options o;
        o.confdir = m_dir.path();
        o.listenPort = 0;
        o.connectTimeout = 5;
        return o;
    }

private Q_SLOTS:
    void scriptSeesThemAndRefuses()
    {
        Origin allowed;
        Origin blocked;
        QTemporaryDir scripts;
        const QString path = scripts.filePath(QStringLiteral("hooks.js"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("function server_connect(data) {\n"
                   "    spyglass.log.info('connect ' + data.server.address + ' for #' +\n"
                   "                      data.client.id);\n"
                   "    if (data.server.port === " +
                   QByteArray::number(blocked.port) +
                   ")\n"
                   "        data.server.error = 'no entry by script';\n"
                   "}\n"
                   "function server_disconnected(data) {\n"
                   "    spyglass.log.info('disconnected ' + data.server.address +\n"
                   "                      (data.server.timestampEnd > 0 ? ' ended' : ''));\n"
                   "}\n"
                   "function client_disconnected(client) {\n"
                   "    spyglass.log.info('bye #' + client.id);\n"
                   "}\n");
        file.close();
        auto script = std::make_unique<script::ScriptAddon>(path);
        QCOMPARE(script->load(), QString());

        ProxyEngine engine;
        std::mutex mutex;
        QStringList log;
        connect(
            &engine, &ProxyEngine::logMessage, this,
            [&](int, const QString& line) {
                std::lock_guard lock(mutex);
                log.append(line);
            },
            Qt::DirectConnection);
        const auto logText = [&] {
            std::lock_guard lock(mutex);
            return log.join(QLatin1Char('\n'));
        };
        engine.addAddon(std::move(script));
        QString error;
        QVERIFY2(engine.start(options(), &error), qPrintable(error));

        QTcpSocket client;
        client.connectToHost(QStringLiteral("127.0.0.1"), engine.listenPort());
        QVERIFY(client.waitForConnected(5000));
        client.write(get(allowed.port, "/ok"));
        QVERIFY(answer(client).endsWith("\r\n\r\n/ok"));
        client.write(get(blocked.port, "/no"));
        const QByteArray got = answer(client);
        QVERIFY2(got.startsWith("HTTP/1.1 502"), got.constData());
        QVERIFY2(got.contains("no entry by script"), got.constData());
        QCOMPARE(blocked.accepted.load(), 0);
        client.disconnectFromHost();

        const QByteArray a = "127.0.0.1:" + QByteArray::number(allowed.port);
        const QByteArray b = "127.0.0.1:" + QByteArray::number(blocked.port);
        QVERIFY2(waitFor([&] { return logText().contains(QStringLiteral("bye #")); }),
                 qPrintable(logText()));
        const QString text = logText();
        QVERIFY2(text.contains(QString::fromLatin1("connect " + a + " for #")), qPrintable(text));
        QVERIFY2(text.contains(QString::fromLatin1("connect " + b + " for #")), qPrintable(text));
        QVERIFY2(text.contains(QString::fromLatin1("disconnected " + a + " ended")),
                 qPrintable(text));
        // The refused connection never connected, so it never disconnects.
        QVERIFY2(!text.contains(QString::fromLatin1("disconnected " + b)), qPrintable(text));
        QCOMPARE(text.count(QStringLiteral("bye #")), 1);
        engine.stop();
    }

    void scriptRefusesAClientWithItsError()
    {
        Origin origin;
        QTemporaryDir scripts;
        const QString path = scripts.filePath(QStringLiteral("gate.js"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("function client_connected(client) { client.error = 'go away'; }\n");
        file.close();
        auto script = std::make_unique<script::ScriptAddon>(path);
        QCOMPARE(script->load(), QString());
        ProxyEngine engine;
        engine.addAddon(std::move(script));
        QString error;
        QVERIFY2(engine.start(options(), &error), qPrintable(error));

        QTcpSocket client;
        client.connectToHost(QStringLiteral("127.0.0.1"), engine.listenPort());
        QVERIFY(client.waitForConnected(5000));
        client.write(get(origin.port, "/never"));
        QCOMPARE(answer(client), QByteArray());
        QCOMPARE(client.state(), QAbstractSocket::UnconnectedState);
        QCOMPARE(origin.accepted.load(), 0);
        engine.stop();
    }
};

QTEST_GUILESS_MAIN(ScriptConnectionHooksTest)
#include "script_connection_hooks_test.moc"

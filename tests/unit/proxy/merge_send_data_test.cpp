// mergeSendData: runs of SendData to one connection become one command, in order; anything
// else (another connection, another command kind) breaks the run.
#include "proxy/layer.h"

#include <QtTest>

using namespace spyglass;
using namespace spyglass::proxy;

class MergeSendDataTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void joinsRunsPerConnection()
    {
        const ConnectionPtr a = makeConnection(Connection::Role::Client);
        const ConnectionPtr b = makeConnection(Connection::Role::Server);
        Commands c;
        c.push_back(SendData{a, "he"});
        c.push_back(SendData{a, ""});
        c.push_back(SendData{a, "llo"});
        c.push_back(SendData{b, "x"});
        c.push_back(SendData{b, "y"});
        c.push_back(CloseConnection{b, false});
        c.push_back(SendData{a, "1"});
        c.push_back(SendData{b, "2"});
        c.push_back(SendData{b, "3"});
        mergeSendData(c);
        QCOMPARE(c.size(), size_t(5));
        QCOMPARE(std::get<SendData>(c[0]).connection, a);
        QCOMPARE(std::get<SendData>(c[0]).data, QByteArray("hello"));
        QCOMPARE(std::get<SendData>(c[1]).data, QByteArray("xy"));
        QVERIFY(std::holds_alternative<CloseConnection>(c[2]));
        QCOMPARE(std::get<SendData>(c[3]).data, QByteArray("1"));
        QCOMPARE(std::get<SendData>(c[4]).connection, b);
        QCOMPARE(std::get<SendData>(c[4]).data, QByteArray("23"));
    }

    void leavesSingleCommandsAlone()
    {
        const ConnectionPtr a = makeConnection(Connection::Role::Client);
        Commands c;
        c.push_back(SendData{a, "only"});
        mergeSendData(c);
        QCOMPARE(c.size(), size_t(1));
        QCOMPARE(std::get<SendData>(c[0]).data, QByteArray("only"));
        Commands none;
        mergeSendData(none);
        QVERIFY(none.empty());
    }
};

QTEST_APPLESS_MAIN(MergeSendDataTest)
#include "merge_send_data_test.moc"

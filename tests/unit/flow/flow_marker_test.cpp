// FlowMarker against mitmproxy's marker table (mitmproxy/utils/emoji.py) and its rules:
// `flow.mark` accepts only table values, the console shows SYMBOL_MARK for an unknown code.
#include "flow/emoji_table.h"
#include "flow/flow_marker.h"

#include <QtTest>
#include <cstring>

using namespace spyglass;

class FlowMarkerTest : public QObject
{
    Q_OBJECT

private slots:
    void tableIsSortedAndComplete()
    {
        const auto table = emojiTable();
        QCOMPARE(qsizetype(table.size()), 1843); // mitmproxy 8.1.1's table
        for (size_t i = 1; i < table.size(); ++i)
            QVERIFY2(std::strcmp(table[i - 1].name, table[i].name) < 0, table[i].name);
        QCOMPARE(FlowMarker::all().size(), qsizetype(table.size()));
        QVERIFY(FlowMarker::all().contains(QStringLiteral(":default:")));
    }

    void validMarkers_data()
    {
        QTest::addColumn<QString>("marker");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("symbol");
        QTest::newRow("default") << ":default:" << true << QString(QChar(0x25CF));
        QTest::newRow("grapes") << ":grapes:" << true << QString::fromUtf8("\U0001F347");
        QTest::newRow("+1") << ":+1:" << true << QString::fromUtf8("\U0001F44D");
        QTest::newRow("zwj flag") << ":afghanistan:" << true
                                  << QString::fromUtf8("\U0001F1E6\u200D\U0001F1EB");
        QTest::newRow("letter") << "a" << true << "a";
        QTest::newRow("capital") << "Z" << true << "Z";
        QTest::newRow("digit") << "7" << true << "7";
        QTest::newRow("unknown code") << ":nosuchemoji:" << false << QString(QChar(0x25CF));
        QTest::newRow("no colons") << "grapes" << false << QString(QChar(0x25CF));
        QTest::newRow("punctuation") << "!" << false << QString(QChar(0x25CF));
        QTest::newRow("emoji itself")
            << QString::fromUtf8("\U0001F347") << false << QString(QChar(0x25CF));
        QTest::newRow("unmarked") << "" << false << QString();
    }
    void validMarkers()
    {
        QFETCH(QString, marker);
        QFETCH(bool, valid);
        QFETCH(QString, symbol);
        QCOMPARE(FlowMarker::isValid(marker), valid);
        QCOMPARE(FlowMarker::symbol(marker), symbol);
    }
};

QTEST_GUILESS_MAIN(FlowMarkerTest)
#include "flow_marker_test.moc"

// The filter bar: validation (red with the parser's message), the expression handed on after
// a pause or at Enter, history (applied expressions, newest first, at most 20, kept in
// QSettings per bar, walked with Up/Down and offered in a menu) and completion of operators
// from Filter::operators() with their help.

#include "filter_bar.h"

#include "filter/filter.h"

#include <QAbstractItemView>
#include <QAction>
#include <QCompleter>
#include <QMenu>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace spyglass;

class FilterBarTest : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void validatesAndApplies();
    void historyPersists();
    void historyKeys();
    void completesOperators();

private:
    QTemporaryDir m_dir;
};

void FilterBarTest::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("SpyglassTest"));
    QCoreApplication::setApplicationName(QStringLiteral("filter_bar_test"));
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.path());
    QSettings().clear();
}

void FilterBarTest::validatesAndApplies()
{
    FilterBar bar;
    QSignalSpy applied(&bar, &FilterBar::filterChanged);
    bar.setText(QStringLiteral("~m POST & ("));
    QVERIFY(!bar.isValid());
    QCOMPARE(bar.toolTip(), bar.errorMessage());
    bar.setText(QStringLiteral("~m POST"));
    QVERIFY(bar.isValid());
    QTRY_COMPARE(applied.count(), 1);
    QCOMPARE(bar.currentFilter().expression(), QStringLiteral("~m POST"));
}

void FilterBarTest::historyPersists()
{
    {
        FilterBar bar;
        bar.show();
        bar.setFocus();
        QTest::keyClicks(&bar, QStringLiteral("~c 404"));
        QTest::keyClick(&bar, Qt::Key_Return);
        bar.clear();
        QTest::keyClicks(&bar, QStringLiteral("~m POST"));
        QTest::keyClick(&bar, Qt::Key_Enter);
        // Not valid: not remembered.
        bar.setText(QStringLiteral("~q ("));
        QTest::keyClick(&bar, Qt::Key_Return);
        // Again: moves to the front, not listed twice.
        bar.setText(QStringLiteral("~c 404"));
        QTest::keyClick(&bar, Qt::Key_Return);
        QCOMPARE(bar.history(), (QStringList{"~c 404", "~m POST"}));
    }
    FilterBar again;
    QCOMPARE(again.history(), (QStringList{"~c 404", "~m POST"}));
    // Up walks back, Down comes forward to an empty field.
    again.show();
    again.setFocus();
    QTest::keyClick(&again, Qt::Key_Up);
    QCOMPARE(again.text(), QStringLiteral("~c 404"));
    QTest::keyClick(&again, Qt::Key_Up);
    QCOMPARE(again.text(), QStringLiteral("~m POST"));
    QTest::keyClick(&again, Qt::Key_Up);
    QCOMPARE(again.text(), QStringLiteral("~m POST"));
    QTest::keyClick(&again, Qt::Key_Down);
    QTest::keyClick(&again, Qt::Key_Down);
    QCOMPARE(again.text(), QString());
    // The menu lists them and applies one.
    QSignalSpy applied(&again, &FilterBar::filterChanged);
    QMenu* menu = again.historyMenu();
    QCOMPARE(menu->actions().first()->text(), QStringLiteral("~c 404"));
    menu->actions().at(1)->trigger();
    QCOMPARE(again.text(), QStringLiteral("~m POST"));
    QCOMPARE(applied.count(), 1);
    QCOMPARE(again.history().first(), QStringLiteral("~m POST"));
    delete menu;

    // At most MaxHistory.
    for (int i = 0; i < 30; ++i)
        again.addToHistory(QStringLiteral("~u /p%1").arg(i));
    QCOMPARE(again.history().size(), FilterBar::MaxHistory);
    QCOMPARE(again.history().first(), QStringLiteral("~u /p29"));
    QCOMPARE(FilterBar().history().size(), FilterBar::MaxHistory);
    again.clearHistory();
    QCOMPARE(FilterBar().history(), QStringList());
}

void FilterBarTest::historyKeys()
{
    FilterBar filter;
    FilterBar highlight;
    highlight.setHistoryKey(QStringLiteral("highlightBar/history"));
    filter.addToHistory(QStringLiteral("~s"));
    highlight.addToHistory(QStringLiteral("~marked"));
    QCOMPARE(FilterBar().history(), QStringList{"~s"});
    FilterBar other;
    other.setHistoryKey(QStringLiteral("highlightBar/history"));
    QCOMPARE(other.history(), QStringList{"~marked"});
}

void FilterBarTest::completesOperators()
{
    FilterBar bar;
    bar.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bar));
    bar.setFocus();
    QCompleter* completer = bar.operatorCompleter();
    QCOMPARE(completer->model()->rowCount(), filter::Filter::operators().size());
    // Each operator with its help in the second column.
    const filter::OperatorHelp first = filter::Filter::operators().first();
    QCOMPARE(completer->model()->index(0, 0).data().toString(), first.name);
    QVERIFY(completer->model()->index(0, 1).data().toString().contains(first.help));

    QTest::keyClicks(&bar, QStringLiteral("~m GET & ~mar"));
    QVERIFY(completer->popup()->isVisible());
    QStringList offered;
    for (int i = 0; i < completer->completionCount(); ++i) {
        completer->setCurrentRow(i);
        offered.append(completer->currentCompletion());
    }
    QCOMPARE(offered, (QStringList{"~marked", "~marker"}));
    // Choosing one replaces the word at the caret.
    completer->popup()->setCurrentIndex(completer->completionModel()->index(0, 0));
    QTest::keyClick(completer->popup(), Qt::Key_Return);
    QCOMPARE(bar.text(), QStringLiteral("~m GET & ~marked "));
    QVERIFY(!completer->popup()->isVisible());
    QVERIFY(bar.isValid());
    // Not after a plain word.
    QTest::keyClicks(&bar, QStringLiteral("| host"));
    QVERIFY(!completer->popup()->isVisible());
}

QTEST_MAIN(FilterBarTest)
#include "filter_bar_test.moc"

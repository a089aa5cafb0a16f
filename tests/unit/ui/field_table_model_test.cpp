// FieldTableModel under QAbstractItemModelTester: bytes in are bytes out (a Latin-1 header
// value nobody touched survives), an edit comes back as UTF-8, binary cells are shown by size
// and not editable, and rows are added, removed and moved as the view machinery expects.

#include "field_table_model.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

using namespace spyglass;

class FieldTableModelTest : public QObject
{
    Q_OBJECT
private slots:
    void bytesRoundTripAndEdits()
    {
        FieldTableModel model({QStringLiteral("Name"), QStringLiteral("Value")});
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QList<FieldTableModel::Row> rows = {{"Host", "example.com"},
                                                  {"X-Latin", "caf\xe9"},
                                                  {"X-Bin", QByteArray::fromHex("0001ff")}};
        model.setRows(rows);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.columnCount(), 2);
        QCOMPARE(model.headerData(1, Qt::Horizontal).toString(), QStringLiteral("Value"));
        QVERIFY(!model.isModified());
        QCOMPARE(model.rows(), rows); // untouched: the exact bytes, Latin-1 included

        QVERIFY(model.isBinary(2, 1));
        QVERIFY(!(model.flags(model.index(2, 1)) & Qt::ItemIsEditable));
        QVERIFY(model.flags(model.index(2, 0)) & Qt::ItemIsEditable);
        QVERIFY(model.data(model.index(2, 1)).toString().contains(QStringLiteral("3 byte")));
        QVERIFY(!model.setData(model.index(2, 1), QStringLiteral("text")));

        QSignalSpy modified(&model, &FieldTableModel::modified);
        QVERIFY(model.setData(model.index(0, 1), QStringLiteral("example.com"))); // same text
        QVERIFY(!model.isModified());
        QVERIFY(model.setData(model.index(0, 1), QStringLiteral("caf\u00e9.example")));
        QVERIFY(model.isModified());
        QCOMPARE(modified.count(), 1);
        QCOMPARE(model.rows()[0][1], QByteArray("caf\xc3\xa9.example")); // was UTF-8: UTF-8
        QCOMPARE(model.data(model.index(0, 1), Qt::EditRole).toString(),
                 QStringLiteral("caf\u00e9.example"));
        // Not UTF-8: shown and kept as Latin-1 while it fits.
        QCOMPARE(model.data(model.index(1, 1)).toString(), QStringLiteral("caf\u00e9"));
        QVERIFY(model.setData(model.index(1, 1), QStringLiteral("caf\u00e9 cr\u00e8me")));
        QCOMPARE(model.rows()[1][1], QByteArray("caf\xe9 cr\xe8me"));
        QVERIFY(model.setData(model.index(1, 1), QStringLiteral("\u20ac")));
        QCOMPARE(model.rows()[1][1], QByteArray("\xe2\x82\xac"));
    }

    void rowsAddRemoveMove()
    {
        FieldTableModel model({QStringLiteral("A"), QStringLiteral("B"), QStringLiteral("C")});
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRows({{"1"}, {"2"}, {"3"}, {"4"}});
        QCOMPARE(model.rows()[0], (FieldTableModel::Row{"1", "", ""})); // padded to 3 columns

        QVERIFY(model.insertRows(1, 2));
        QCOMPARE(model.rowCount(), 6);
        QCOMPARE(model.rows()[1], (FieldTableModel::Row{"", "", ""}));
        QVERIFY(model.isModified());
        QVERIFY(model.removeRows(1, 2));
        QVERIFY(!model.removeRows(3, 2)); // past the end
        QVERIFY(!model.insertRows(9, 1));

        auto firstColumn = [&model] {
            QByteArray s;
            for (const FieldTableModel::Row& r : model.rows())
                s += r[0];
            return s;
        };
        QVERIFY(model.moveRows({}, 0, 1, {}, 4)); // first to the end
        QCOMPARE(firstColumn(), QByteArray("2341"));
        QVERIFY(model.moveRows({}, 2, 2, {}, 0)); // the last two to the top
        QCOMPARE(firstColumn(), QByteArray("4123"));
        QVERIFY(!model.moveRows({}, 1, 1, {}, 2)); // onto itself
        QVERIFY(!model.moveRows({}, 3, 2, {}, 0));
        QCOMPARE(model.appendRow({"5", "x"}), 4);
        QCOMPARE(model.rows()[4], (FieldTableModel::Row{"5", "x", ""}));
    }
};

QTEST_MAIN(FieldTableModelTest)
#include "field_table_model_test.moc"

// FileDropHandler: a dropped local file and the system's request to open a document
// (QFileOpenEvent on the application, as macOS Finder sends it) both reach `open`, once, after
// the event returns; drops onto other widgets and drags without a file are left alone.

#include "file_drop_handler.h"

#include <QApplication>
#include <QDropEvent>
#include <QFileOpenEvent>
#include <QLineEdit>
#include <QMimeData>
#include <QTest>
#include <QUrl>
#include <QVBoxLayout>
#include <QWidget>

using namespace spyglass;

class FileDropHandlerTest : public QObject
{
    Q_OBJECT
private slots:
    void dropOpensTheFirstLocalFile();
    void fileOpenEventOpens();
    void otherWidgetsKeepTheirDrops();
};

void FileDropHandlerTest::dropOpensTheFirstLocalFile()
{
    QWidget target;
    QStringList opened;
    new FileDropHandler(&target, [&](const QString& path) { opened << path; });
    QVERIFY(target.acceptDrops());
    QMimeData mime;
    mime.setUrls({QUrl(QStringLiteral("https://example.com/x")),
                  QUrl::fromLocalFile(QStringLiteral("/tmp/a.har"))});
    // A drop comes after the drag entered (QApplication delivers it to where that was accepted).
    QDragEnterEvent enter(QPoint(5, 5), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&target, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(5, 5), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&target, &drop);
    QVERIFY(drop.isAccepted());
    QVERIFY(opened.isEmpty()); // not while the drop is being delivered
    QTRY_COMPARE(opened, QStringList{QStringLiteral("/tmp/a.har")});
}

void FileDropHandlerTest::fileOpenEventOpens()
{
    QWidget target;
    QStringList opened;
    new FileDropHandler(&target, [&](const QString& path) { opened << path; });
    QFileOpenEvent open(QStringLiteral("/tmp/session.spyglass"));
    QVERIFY(QCoreApplication::sendEvent(qApp, &open));
    QTRY_COMPARE(opened, QStringList{QStringLiteral("/tmp/session.spyglass")});
    // The same event sent to some other object is not a document to open.
    QFileOpenEvent elsewhere(QStringLiteral("/tmp/other.har"));
    QCoreApplication::sendEvent(&target, &elsewhere);
    QTest::qWait(20);
    QCOMPARE(opened.size(), 1);
}

void FileDropHandlerTest::otherWidgetsKeepTheirDrops()
{
    QWidget target;
    auto* edit = new QLineEdit(&target);
    (new QVBoxLayout(&target))->addWidget(edit);
    QStringList opened;
    new FileDropHandler(&target, [&](const QString& path) { opened << path; });
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(QStringLiteral("/tmp/a.har"))});
    // The handler also filters the application object, which sees the line edit's events:
    // a drag there is the line edit's business.
    QDragEnterEvent enter(QPoint(1, 1), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    enter.setAccepted(false);
    QCoreApplication::sendEvent(edit, &enter);
    QTest::qWait(20);
    QVERIFY(opened.isEmpty());
    // Text without a local file is refused on the target.
    QMimeData text;
    text.setText(QStringLiteral("hello"));
    QDragEnterEvent refused(QPoint(1, 1), Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
    refused.setAccepted(false);
    QCoreApplication::sendEvent(&target, &refused);
    QVERIFY(!refused.isAccepted());
}

QTEST_MAIN(FileDropHandlerTest)
#include "file_drop_handler_test.moc"

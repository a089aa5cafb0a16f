#include "file_drop_handler.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileOpenEvent>
#include <QGuiApplication>
#include <QMimeData>
#include <QUrl>
#include <QWidget>

namespace spyglass {

namespace {

QString firstLocalFile(const QMimeData* mime)
{
    if (!mime || !mime->hasUrls())
        return QString();
    for (const QUrl& url : mime->urls())
        if (url.isLocalFile())
            return url.toLocalFile();
    return QString();
}

} // namespace

FileDropHandler::FileDropHandler(QWidget* target, Open open)
    : QObject(target), m_target(target), m_open(std::move(open))
{
    target->setAcceptDrops(true);
    target->installEventFilter(this);
    if (QCoreApplication* app = QCoreApplication::instance())
        app->installEventFilter(this);
}

bool FileDropHandler::eventFilter(QObject* watched, QEvent* event)
{
    // On the application object this filter sees every object's events: only the target's
    // drags are ours.
    const bool onTarget = watched == m_target;
    switch (event->type()) {
    case QEvent::FileOpen: {
        if (watched != QCoreApplication::instance())
            return false;
        const QString path = static_cast<QFileOpenEvent*>(event)->file();
        if (path.isEmpty())
            return false;
        QMetaObject::invokeMethod(
            this, [this, path] { m_open(path); }, Qt::QueuedConnection);
        return true;
    }
    case QEvent::DragEnter:
    case QEvent::DragMove: {
        if (!onTarget)
            return false;
        auto* drag = static_cast<QDragMoveEvent*>(event);
        if (firstLocalFile(drag->mimeData()).isEmpty())
            return false;
        drag->acceptProposedAction();
        return true;
    }
    case QEvent::Drop: {
        if (!onTarget)
            return false;
        auto* drop = static_cast<QDropEvent*>(event);
        const QString path = firstLocalFile(drop->mimeData());
        if (path.isEmpty())
            return false;
        drop->acceptProposedAction();
        // After the drop returns: opening a large session must not hold the drag source.
        QMetaObject::invokeMethod(
            this, [this, path] { m_open(path); }, Qt::QueuedConnection);
        return true;
    }
    default:
        return QObject::eventFilter(watched, event);
    }
}

} // namespace spyglass

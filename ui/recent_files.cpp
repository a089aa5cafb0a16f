#include "recent_files.h"

#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QMenu>
#include <QSettings>

namespace spyglass {

RecentFiles::RecentFiles(const QString& settingsKey, QWidget* parent)
    : QObject(parent), m_key(settingsKey), m_menu(new QMenu(tr("Open &Recent"), parent))
{
    m_menu->setToolTipsVisible(true);
    m_files = QSettings().value(m_key).toStringList().mid(0, MaxFiles);
    rebuildMenu();
}

void RecentFiles::add(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    m_files.removeAll(absolute);
    m_files.prepend(absolute);
    while (m_files.size() > MaxFiles)
        m_files.removeLast();
    save();
}

void RecentFiles::remove(const QString& path)
{
    if (m_files.removeAll(QFileInfo(path).absoluteFilePath()) > 0)
        save();
}

void RecentFiles::clear()
{
    m_files.clear();
    save();
}

void RecentFiles::save()
{
    QSettings().setValue(m_key, m_files);
    rebuildMenu();
}

void RecentFiles::rebuildMenu()
{
    m_menu->clear();
    for (int i = 0; i < m_files.size(); ++i) {
        const QString path = m_files.at(i);
        const QFileInfo info(path);
        // &1 ... &9, then 1&0: a key for each, as desktop applications number them.
        const QString number = i < 9 ? QStringLiteral("&%1").arg(i + 1) : QStringLiteral("1&0");
        QAction* a = m_menu->addAction(QStringLiteral("%1  %2").arg(number, info.fileName()));
        a->setData(path);
        a->setToolTip(QDir::toNativeSeparators(path));
        a->setEnabled(info.exists());
        connect(a, &QAction::triggered, this, [this, path] { Q_EMIT openRequested(path); });
    }
    if (m_files.isEmpty())
        m_menu->addAction(tr("No recent files"))->setEnabled(false);
    m_menu->addSeparator();
    QAction* clearAction = m_menu->addAction(tr("&Clear menu"));
    clearAction->setToolTip(tr("Forget the recently used files"));
    clearAction->setEnabled(!m_files.isEmpty());
    connect(clearAction, &QAction::triggered, this, &RecentFiles::clear);
}

} // namespace spyglass

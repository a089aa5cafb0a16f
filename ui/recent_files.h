#pragma once
// File > Open Recent: the last sessions opened or saved, newest first, at most MaxFiles, kept
// in QSettings under the key given (so tests and other windows can use their own). The menu
// is rebuilt whenever the list changes; choosing an entry emits openRequested, and the window
// opens it (and puts it back at the top). Files that no longer exist stay listed but disabled.

#include <QObject>
#include <QStringList>

class QMenu;
class QWidget;

namespace spyglass {

class RecentFiles : public QObject
{
    Q_OBJECT
public:
    static constexpr int MaxFiles = 10;

    RecentFiles(const QString& settingsKey, QWidget* parent);

    QStringList files() const { return m_files; }
    // Puts `path` (made absolute) at the top and saves the list.
    void add(const QString& path);
    void remove(const QString& path);
    void clear();
    QMenu* menu() const { return m_menu; }

Q_SIGNALS:
    void openRequested(const QString& path);

private:
    void save();
    void rebuildMenu();

    QString m_key;
    QStringList m_files;
    QMenu* m_menu;
};

} // namespace spyglass

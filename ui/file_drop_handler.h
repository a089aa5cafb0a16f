#pragma once
// Files dropped onto the window open (as File > Open would). An event filter on the target
// widget, so the window class needs no drag-and-drop code of its own: it accepts a drag that
// carries at least one local file, and on a drop hands the first local file to `open`, from the
// event loop right after the drop (the drag source is not kept waiting while it opens).
//
// It also handles QFileOpenEvent, which the application object gets when the system asks a
// running app to open a document (macOS Finder's double click and Open With, the file types
// installers/macos/Info.plist declares): the file opens the same way.

#include <QObject>
#include <functional>

class QWidget;

namespace spyglass {

class FileDropHandler : public QObject
{
    Q_OBJECT
public:
    using Open = std::function<void(const QString& path)>;
    // Installs itself on `target` (and sets acceptDrops) and on the application object (for
    // QFileOpenEvent); owned by `target`.
    FileDropHandler(QWidget* target, Open open);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QWidget* m_target;
    Open m_open;
};

} // namespace spyglass

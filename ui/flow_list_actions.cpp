#include "flow_list_actions.h"

#include "comment_dialog.h"
#include "comment_view.h"
#include "flow_detail_view.h"
#include "flow_list_model.h"
#include "flow_structure_model.h"
#include "flow_table_model.h"
#include "flow_table_view.h"
#include "marker_icon.h"
#include "save_file_dialog.h"

#include "flow/flow_marker.h"
#include "io/flow_export.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCompleter>
#include <QFileDialog>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QMainWindow>
#include <QMenu>
#include <QMessageBox>
#include <QSet>
#include <QStatusBar>
#include <QTreeView>
#include <algorithm>

namespace spyglass {

namespace {

const QString HarFilter = QStringLiteral("*.har");

} // namespace

FlowListActions::FlowListActions(FlowTableView* view, FlowTableModel* table, FlowDetailView* detail,
                                 const Options* options, QWidget* window)
    : QObject(window), m_view(view), m_table(table), m_detail(detail), m_options(options),
      m_window(window)
{
    createActions();
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, [this](const QPoint& at) {
        QMenu* menu = contextMenu(m_view);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->popup(m_view->viewport()->mapToGlobal(at));
    });
    if (m_detail) {
        connect(m_detail->commentView(), &CommentView::commentEdited, this,
                [this](const QUuid& id, const QString& comment) {
                    const int row = source()->rowOf(id);
                    if (row >= 0)
                        source()->setComment({row}, comment);
                });
    }
    if (auto* main = qobject_cast<QMainWindow*>(window))
        connect(this, &FlowListActions::statusMessage, main->statusBar(), &QStatusBar::showMessage);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &FlowListActions::updateEnabled);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &FlowListActions::updateEnabled);
    connect(m_table, &QAbstractItemModel::modelReset, this, &FlowListActions::updateEnabled);
    connect(m_table, &QAbstractItemModel::rowsInserted, this, &FlowListActions::updateEnabled);
    updateEnabled();
}

FlowListModel* FlowListActions::source() const
{
    return m_table->sourceModel();
}

QList<std::pair<QString, QString>> FlowListActions::namedMarkers()
{
    const QList<std::pair<QString, QString>> wanted{
        {FlowMarker::defaultMarker.toString(), tr("Default")},
        {QStringLiteral(":red_circle:"), tr("Red")},
        {QStringLiteral(":orange_circle:"), tr("Orange")},
        {QStringLiteral(":yellow_circle:"), tr("Yellow")},
        {QStringLiteral(":green_circle:"), tr("Green")},
        {QStringLiteral(":large_blue_circle:"), tr("Blue")},
        {QStringLiteral(":purple_circle:"), tr("Purple")},
        {QStringLiteral(":brown_circle:"), tr("Brown")},
        {QStringLiteral(":star:"), tr("Star")},
        {QStringLiteral(":heart:"), tr("Heart")},
        {QStringLiteral(":fire:"), tr("Fire")},
        {QStringLiteral(":bug:"), tr("Bug")},
        {QStringLiteral(":warning:"), tr("Warning")},
        {QStringLiteral(":white_check_mark:"), tr("Check mark")},
        {QStringLiteral(":x:"), tr("Cross")},
        {QStringLiteral(":question:"), tr("Question")},
        {QStringLiteral(":lock:"), tr("Lock")},
        {QStringLiteral(":eyes:"), tr("Eyes")}};
    QList<std::pair<QString, QString>> out;
    for (const auto& entry : wanted)
        if (FlowMarker::isValid(entry.first))
            out.append(entry);
    return out;
}

QStringList FlowListActions::menuMarkers()
{
    QStringList out;
    for (const auto& entry : namedMarkers())
        out.append(entry.first);
    return out;
}

void FlowListActions::createActions()
{
    // The single keys are mitmproxy's and act only while the list has the focus.
    const auto listOnly = [this](QAction* a) {
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        m_view->addAction(a);
    };

    m_toggleMark = new QAction(tr("Toggle &mark"), this);
    m_toggleMark->setShortcut(QKeySequence(Qt::Key_M));
    m_toggleMark->setToolTip(tr("Mark the selected flows, or unmark them if marked (m)"));
    connect(m_toggleMark, &QAction::triggered, this, &FlowListActions::toggleMark);
    listOnly(m_toggleMark);

    m_markMenu = new QMenu(tr("M&ark"), m_window);
    m_markMenu->setToolTipsVisible(true);
    m_markMenu->setToolTip(tr("Mark the selected flows with a colour or an emoji (~marker)"));
    for (const auto& [code, name] : namedMarkers()) {
        const QString marker = code; // a lambda below keeps its own copy
        const QIcon dot = MarkerIcon::icon(marker);
        QAction* a =
            dot.isNull()
                ? m_markMenu->addAction(FlowMarker::symbol(marker) + QStringLiteral("  ") + name)
                : m_markMenu->addAction(dot, name);
        a->setData(marker);
        a->setToolTip(tr("Find these with ~marker %1").arg(marker));
        connect(a, &QAction::triggered, this, [this, marker] { setMarker(marker); });
    }
    m_markMenu->addSeparator();
    QAction* other = m_markMenu->addAction(tr("&Other…"));
    other->setToolTip(tr("Any of mitmproxy's markers: an :emoji: code, a letter or a digit"));
    connect(other, &QAction::triggered, this, &FlowListActions::otherMarkerDialog);
    QAction* unmark = m_markMenu->addAction(tr("&Unmark"));
    unmark->setToolTip(tr("Remove the mark of the selected flows"));
    connect(unmark, &QAction::triggered, this, [this] { setMarker(QString()); });

    m_comment = new QAction(tr("&Comment…"), this);
    m_comment->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_C));
    m_comment->setToolTip(tr("Write a comment on the selected flows (C); find them with ~comment"));
    connect(m_comment, &QAction::triggered, this, &FlowListActions::commentDialog);
    listOnly(m_comment);

    m_copyMenu = new QMenu(tr("Copy &as"), m_window);
    m_copyMenu->setToolTipsVisible(true);
    const QList<std::pair<QString, QString>> formats{
        {QStringLiteral("curl"), tr("&curl command")},
        {QStringLiteral("httpie"), tr("&HTTPie command")},
        {QStringLiteral("raw_request"), tr("Raw &request")},
        {QStringLiteral("raw_response"), tr("Raw re&sponse")},
        {QStringLiteral("raw"), tr("Ra&w request and response")}};
    for (const auto& [format, label] : formats) {
        QAction* a = m_copyMenu->addAction(label);
        a->setData(format);
        a->setToolTip(tr("Copy the selected flows to the clipboard as %1").arg(format));
        connect(a, &QAction::triggered, this, [this, format] { copyAs(format); });
        m_copy.append(a);
    }
    m_copy.first()->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    listOnly(m_copy.first());

    m_saveSelected = new QAction(tr("Save s&elected flows…"), this);
    m_saveSelected->setToolTip(
        tr("Save the selected flows as a Spyglass session, HAR, mitmproxy flows or Charles JSON"));
    connect(m_saveSelected, &QAction::triggered, this, [this] { saveDialog(false); });
    m_saveFiltered = new QAction(tr("Save &filtered flows…"), this);
    m_saveFiltered->setToolTip(
        tr("Save the flows the filter shows as a Spyglass session, HAR, mitmproxy flows or "
           "Charles JSON"));
    connect(m_saveFiltered, &QAction::triggered, this, [this] { saveDialog(true); });
    m_exportHar = new QAction(tr("&Export HAR…"), this);
    m_exportHar->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_H));
    m_exportHar->setToolTip(tr("Save every flow of the session as a HAR file (Ctrl+Shift+H)"));
    connect(m_exportHar, &QAction::triggered, this, &FlowListActions::exportHarDialog);

    m_delete = new QAction(tr("&Delete"), this);
    m_delete->setShortcuts({QKeySequence(Qt::Key_D), QKeySequence(QKeySequence::Delete)});
    m_delete->setToolTip(tr("Remove the selected flows from the session (d, Delete)"));
    connect(m_delete, &QAction::triggered, this, &FlowListActions::deleteSelected);
    listOnly(m_delete);
}

void FlowListActions::populate(QMenu* file, QMenu* flow)
{
    if (file) {
        file->addSeparator();
        file->addAction(m_saveSelected);
        file->addAction(m_saveFiltered);
        file->addAction(m_exportHar);
    }
    if (flow) {
        flow->addSeparator();
        flow->addAction(m_toggleMark);
        flow->addMenu(m_markMenu);
        flow->addAction(m_comment);
        flow->addSeparator();
        flow->addMenu(m_copyMenu);
        flow->addSeparator();
        flow->addAction(m_delete);
    }
}

QMenu* FlowListActions::contextMenu(QWidget* parent)
{
    auto* menu = new QMenu(parent);
    menu->setToolTipsVisible(true);
    menu->addAction(m_toggleMark);
    menu->addMenu(m_markMenu);
    menu->addAction(m_comment);
    menu->addSeparator();
    menu->addMenu(m_copyMenu);
    menu->addAction(m_saveSelected);
    menu->addSeparator();
    menu->addAction(m_delete);
    return menu;
}

void FlowListActions::setStructureView(QTreeView* tree, FlowStructureModel* model)
{
    if (tree != m_tree) {
        m_tree = tree;
        for (QAction* a : {m_toggleMark, m_comment, m_copy.first(), m_delete})
            m_tree->addAction(a);
        m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
        connect(m_tree, &QWidget::customContextMenuRequested, this, [this](const QPoint& at) {
            QMenu* menu = contextMenu(m_tree);
            menu->setAttribute(Qt::WA_DeleteOnClose);
            menu->popup(m_tree->viewport()->mapToGlobal(at));
        });
    }
    if (model != m_structure) {
        m_structure = model;
        connect(m_tree->selectionModel(), &QItemSelectionModel::selectionChanged, this,
                &FlowListActions::updateEnabled);
        connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this,
                &FlowListActions::updateEnabled);
        connect(m_structure, &QAbstractItemModel::modelReset, this,
                &FlowListActions::updateEnabled);
    }
    updateEnabled();
}

bool FlowListActions::structureShown() const
{
    // The tab widget hides the page that is not current.
    return m_tree && m_structure && m_tree->model() == m_structure && !m_tree->isHidden();
}

QList<int> FlowListActions::structureStoreRows() const
{
    // A node holds only its latest flow: every flow's node is looked up and its ancestors
    // compared with the selected nodes. O(flows × depth), paid only when an action runs.
    QSet<const void*> chosen;
    for (const QModelIndex& i : m_tree->selectionModel()->selectedRows())
        chosen.insert(i.internalPointer());
    if (chosen.isEmpty() && m_tree->currentIndex().isValid())
        chosen.insert(m_tree->currentIndex().siblingAtColumn(0).internalPointer());
    QList<int> out;
    if (chosen.isEmpty())
        return out;
    const int n = source()->rowCount();
    for (int r = 0; r < n; ++r) {
        for (QModelIndex at = m_structure->indexOfFlow(r); at.isValid(); at = at.parent()) {
            if (chosen.contains(at.internalPointer())) {
                out.append(r);
                break;
            }
        }
    }
    return out;
}

void FlowListActions::updateEnabled()
{
    // Cheap on purpose: it runs on every selection change, and a selection may be a million
    // rows (selectedRows() would list them all).
    const bool any =
        structureShown()
            ? source()->rowCount() > 0 &&
                  (m_tree->selectionModel()->hasSelection() || m_tree->currentIndex().isValid())
            : m_table->rowCount() > 0 &&
                  (m_view->selectionModel()->hasSelection() || m_view->currentIndex().isValid());
    for (QAction* a : {m_toggleMark, m_comment, m_saveSelected, m_delete})
        a->setEnabled(any);
    m_markMenu->setEnabled(any);
    m_copyMenu->setEnabled(any);
    for (QAction* a : std::as_const(m_copy))
        a->setEnabled(any);
}

QList<int> FlowListActions::selectedStoreRows() const
{
    if (structureShown())
        return structureStoreRows();
    QList<int> viewRows;
    for (const QModelIndex& i : m_view->selectionModel()->selectedRows())
        viewRows.append(i.row());
    if (viewRows.isEmpty() && m_view->currentIndex().isValid())
        viewRows.append(m_view->currentIndex().row());
    std::sort(viewRows.begin(), viewRows.end());
    QList<int> out;
    out.reserve(viewRows.size());
    for (int r : std::as_const(viewRows))
        if (const int s = m_table->storeRow(r); s >= 0)
            out.append(s);
    return out;
}

QList<int> FlowListActions::filteredStoreRows() const
{
    QList<int> out;
    const int n = m_table->rowCount();
    out.reserve(n);
    for (int r = 0; r < n; ++r)
        out.append(m_table->storeRow(r));
    return out;
}

void FlowListActions::toggleMark()
{
    QList<int> mark;
    QList<int> unmark;
    for (int row : selectedStoreRows())
        (source()->markerOf(row).isEmpty() ? mark : unmark).append(row);
    if (!unmark.isEmpty())
        source()->setMarker(unmark, QString());
    if (!mark.isEmpty())
        source()->setMarker(mark, FlowMarker::defaultMarker.toString());
}

bool FlowListActions::setMarker(const QString& marker)
{
    if (!marker.isEmpty() && !FlowMarker::isValid(marker)) {
        Q_EMIT statusMessage(tr("Invalid marker value: %1").arg(marker), 5000);
        return false;
    }
    source()->setMarker(selectedStoreRows(), marker);
    return true;
}

void FlowListActions::setComment(const QString& comment)
{
    source()->setComment(selectedStoreRows(), comment);
}

void FlowListActions::otherMarkerDialog()
{
    if (selectedStoreRows().isEmpty())
        return;
    QInputDialog dialog(m_window);
    dialog.setWindowTitle(tr("Mark flows"));
    dialog.setLabelText(tr("Marker: an emoji code such as :rocket:, a letter or a digit"));
    dialog.setTextValue(source()->markerOf(selectedStoreRows().first()));
    if (auto* edit = dialog.findChild<QLineEdit*>()) {
        auto* completer = new QCompleter(FlowMarker::all(), edit);
        completer->setCaseSensitivity(Qt::CaseInsensitive);
        completer->setFilterMode(Qt::MatchContains);
        edit->setCompleter(completer);
    }
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (!setMarker(dialog.textValue().trimmed()))
        QMessageBox::warning(m_window, tr("Mark flows"),
                             tr("“%1” is not a marker: use an :emoji: code, a letter or a digit.")
                                 .arg(dialog.textValue().trimmed()));
}

void FlowListActions::commentDialog()
{
    const QList<int> rows = selectedStoreRows();
    if (rows.isEmpty())
        return;
    CommentDialog dialog(source()->commentOf(rows.first()), int(rows.size()), m_window);
    if (dialog.exec() == QDialog::Accepted)
        source()->setComment(rows, dialog.comment());
}

bool FlowListActions::copyAs(const QString& format)
{
    const QList<int> rows = selectedStoreRows();
    if (rows.isEmpty())
        return false;
    QByteArray text;
    for (int row : rows) {
        const FlowSnapshot f = source()->flowAt(row);
        if (!f)
            continue;
        QString error;
        const QByteArray one = FlowExport::exportFlow(format, *f, *m_options, &error);
        if (!error.isEmpty()) {
            Q_EMIT statusMessage(tr("Copy as %1: %2").arg(format, error), 8000);
            return false;
        }
        if (!text.isEmpty())
            text += "\n\n";
        text += one;
    }
    QApplication::clipboard()->setText(QString::fromUtf8(text));
    Q_EMIT statusMessage(rows.size() == 1
                             ? tr("Copied the flow as %1").arg(format)
                             : tr("Copied %1 flows as %2").arg(rows.size()).arg(format),
                         4000);
    return true;
}

FlowListActions::SaveFormat FlowListActions::formatForPath(const QString& path)
{
    return FlowFileWriter::formatForPath(path);
}

QString FlowListActions::saveFlows(const QList<int>& storeRows, const QString& path,
                                   SaveFormat format) const
{
    // One decoded flow alive at a time: a selection of a million rows is written as it goes.
    return FlowFileWriter::write(path, format, storeRows.size(), [this, &storeRows](qsizetype i) {
        return source()->flowAt(storeRows[i]);
    });
}

void FlowListActions::saveDialog(bool filteredOnly)
{
    const QList<int> rows = filteredOnly ? filteredStoreRows() : selectedStoreRows();
    if (rows.isEmpty()) {
        Q_EMIT statusMessage(tr("No flows to save"), 4000);
        return;
    }
    const auto choice = SaveFileDialog::ask(
        m_window, filteredOnly ? tr("Save filtered flows") : tr("Save selected flows"), QString(),
        SaveFormat::Session);
    if (!choice)
        return;
    const QString path = choice->path;
    if (const QString err = saveFlows(rows, path, choice->format); !err.isEmpty()) {
        Q_EMIT statusMessage(err, 8000);
        QMessageBox::warning(m_window, tr("Save flows"), err);
        return;
    }
    Q_EMIT statusMessage(tr("Saved %1 flows to %2").arg(rows.size()).arg(path), 5000);
}

void FlowListActions::exportHarDialog()
{
    const int count = source()->rowCount();
    QString path = QFileDialog::getSaveFileName(m_window, tr("Export HAR"), QString(),
                                                tr("HAR files (%1)").arg(HarFilter));
    if (path.isEmpty())
        return;
    if (!path.contains(QLatin1Char('.')))
        path += QStringLiteral(".har");
    QList<int> all;
    all.reserve(count);
    for (int r = 0; r < count; ++r)
        all.append(r);
    if (const QString err = saveFlows(all, path, SaveFormat::Har); !err.isEmpty()) {
        Q_EMIT statusMessage(err, 8000);
        QMessageBox::warning(m_window, tr("Export HAR"), err);
        return;
    }
    Q_EMIT statusMessage(tr("Exported %1 flows to %2").arg(count).arg(path), 5000);
}

int FlowListActions::deleteSelected()
{
    const QList<int> rows = selectedStoreRows();
    if (rows.isEmpty())
        return 0;
    // Held flows are killed before they go (mitmproxy's view.remove): their clients get the
    // connection closed instead of waiting for a flow no one can resume. The row's flags say
    // which are held, so a million-row selection decodes nothing.
    int killed = 0;
    if (m_kill) {
        for (int s : rows)
            if (source()->isIntercepted(s) && m_kill(source()->flowId(s)))
                ++killed;
    }
    int firstViewRow = m_table->rowCount();
    for (int s : rows)
        firstViewRow = qMin(firstViewRow, m_table->viewRow(s));
    const int column = qMax(0, m_view->currentIndex().column());
    const FlowSnapshot shown = m_detail ? m_detail->flow() : nullptr;
    const bool shownGoes =
        shown && std::find(rows.begin(), rows.end(), source()->rowOf(shown->id)) != rows.end();
    source()->removeFlows(rows);
    const int count = m_table->rowCount();
    if (count > 0) {
        const QModelIndex at = m_table->index(qBound(0, firstViewRow, count - 1), column);
        m_view->selectionModel()->setCurrentIndex(at, QItemSelectionModel::ClearAndSelect |
                                                          QItemSelectionModel::Rows);
        m_view->scrollTo(at);
    } else if (shownGoes && m_detail) {
        m_detail->setFlow(nullptr);
    }
    QString message =
        rows.size() == 1 ? tr("Deleted 1 flow") : tr("Deleted %1 flows").arg(rows.size());
    if (killed > 0)
        message += QLatin1Char(' ') + (killed == 1 ? tr("(1 held flow killed)")
                                                   : tr("(%1 held flows killed)").arg(killed));
    Q_EMIT statusMessage(message, 4000);
    return killed;
}

} // namespace spyglass

#include "scripts_panel.h"

#include "script_list_model.h"
#include "theme.h"

#include "script/script_addon.h"
#include "script/script_set.h"

#include <QAction>
#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QStyle>
#include <QThread>
#include <QToolBar>
#include <QTreeView>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>

namespace spyglass {

using script::ScriptAddon;

// One script being added: made on the GUI thread, loaded on `thread`, and handed to the set
// back on the GUI thread once the thread has finished (it alone touches `script` and `error`
// meanwhile).
struct ScriptsPanel::Load
{
    int id = -1;
    QString path;
    std::unique_ptr<ScriptAddon> script;
    QString error;
    QThread* thread = nullptr;
};

ScriptsPanel::ScriptsPanel(script::ScriptSet* scripts, QWidget* parent)
    : QWidget(parent), m_scripts(scripts), m_model(new ScriptListModel(scripts, this)),
      m_toolBar(new QToolBar(this)), m_view(new QTreeView(this)), m_details(new QLabel(this))
{
    setObjectName(QStringLiteral("scriptsPanel"));

    m_add = new QAction(
        QIcon::fromTheme(QStringLiteral("list-add"), Theme::icon(QStringLiteral("open"))),
        tr("&Add script…"), this);
    m_add->setToolTip(tr("Load a JavaScript file into the running proxy; it reloads whenever "
                         "the file changes"));
    connect(m_add, &QAction::triggered, this, &ScriptsPanel::chooseScript);
    m_reload = new QAction(QIcon::fromTheme(QStringLiteral("view-refresh"),
                                            style()->standardIcon(QStyle::SP_BrowserReload)),
                           tr("&Reload"), this);
    m_reload->setToolTip(tr("Load the selected scripts again from their files (an unloaded "
                            "script starts again)"));
    connect(m_reload, &QAction::triggered, this, &ScriptsPanel::reloadSelected);
    m_unload = new QAction(
        QIcon::fromTheme(QStringLiteral("process-stop"), Theme::icon(QStringLiteral("stop"))),
        tr("&Unload"), this);
    m_unload->setToolTip(tr("Stop the selected scripts: their hooks no longer run and their "
                            "files are no longer watched, until Reload"));
    connect(m_unload, &QAction::triggered, this, &ScriptsPanel::unloadSelected);

    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toolBar->setIconSize(QSize(16, 16));
    m_toolBar->addAction(m_add);
    m_toolBar->addSeparator();
    m_toolBar->addAction(m_reload);
    m_toolBar->addAction(m_unload);

    m_view->setModel(m_model);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_view->addActions({m_reload, m_unload});
    m_view->setToolTip(tr("The scripts the proxy runs"));
    QHeaderView* header = m_view->header();
    header->setStretchLastSection(true);
    header->resizeSection(ScriptListModel::FileColumn, 160);
    header->resizeSection(ScriptListModel::StateColumn, 100);
    header->resizeSection(ScriptListModel::HooksColumn, 220);

    m_details->setWordWrap(true);
    m_details->setTextFormat(Qt::RichText);
    m_details->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_details->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_details->setToolTip(tr("The selected script's file and its last error; the text can be "
                             "selected and copied, FILE:LINE opens the file"));
    m_details->setContentsMargins(4, 2, 4, 2);
    connect(m_details, &QLabel::linkActivated, this, &ScriptsPanel::openLink);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_toolBar);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_details);

    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        updateActions();
        updateDetails();
    });
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this] {
        updateActions();
        updateDetails();
    });
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_model, signal, this, [this] {
            updateActions();
            updateDetails();
            updateGeometry(); // the size hint counts rows
        });
    updateActions();
    updateDetails();
}

ScriptsPanel::~ScriptsPanel()
{
    for (const std::shared_ptr<Load>& load : std::as_const(m_loads)) {
        load->thread->wait();
        delete load->thread;
    }
}

QSize ScriptsPanel::sizeHint() const
{
    // Three rows at least, six at most (more scroll), instead of the list view's 192 px.
    const int rows = std::clamp(m_model->rowCount(), 3, 6);
    int rowHeight = m_view->fontMetrics().height() + 4;
    if (m_model->rowCount() > 0)
        rowHeight = std::max(rowHeight, m_view->sizeHintForRow(0));
    const int list =
        2 * m_view->frameWidth() + m_view->header()->sizeHint().height() + rows * rowHeight;
    // The details as wrapped at the panel's width, at most three lines (a longer error
    // scrolls into view when the user makes the dock taller).
    const int width = std::max(this->width(), QWidget::sizeHint().width());
    const QMargins margins = m_details->contentsMargins();
    const int line = m_details->fontMetrics().lineSpacing();
    const int details = std::clamp(m_details->heightForWidth(width), line,
                                   3 * line + margins.top() + margins.bottom());
    const int spacing = layout()->spacing();
    return {QWidget::sizeHint().width(),
            m_toolBar->sizeHint().height() + spacing + list + spacing + details};
}

void ScriptsPanel::addScript(const QString& path)
{
    const int id = m_model->addPending(path);
    const QModelIndex row = m_model->index(m_model->pendingRow(id), 0);
    m_view->setCurrentIndex(row);
    m_view->selectionModel()->select(row, QItemSelectionModel::ClearAndSelect |
                                              QItemSelectionModel::Rows);
    startLoad(id, path);
}

void ScriptsPanel::startLoad(int id, const QString& path)
{
    auto load = std::make_shared<Load>();
    load->id = id;
    load->path = path;
    load->script = m_scripts->create(path);
    Load* raw = load.get();
    load->thread = QThread::create([raw] {
        raw->error = raw->script->load();
        if (!raw->error.isEmpty())
            raw->script.reset(); // its own thread stops here, not on the GUI thread
    });
    load->thread->setObjectName(QStringLiteral("load ") + QFileInfo(path).fileName());
    connect(load->thread, &QThread::finished, this, [this, load] { finishLoad(load); });
    m_loads.insert(id, load);
    load->thread->start();
}

void ScriptsPanel::finishLoad(const std::shared_ptr<Load>& load)
{
    load->thread->wait();
    delete load->thread;
    load->thread = nullptr;
    m_loads.remove(load->id);
    // The new row is selected when the loading one was, or nothing else is.
    const int row = m_model->pendingRow(load->id);
    QItemSelectionModel* selection = m_view->selectionModel();
    const bool follow = !selection->hasSelection() || selection->isRowSelected(row, {});
    if (load->error.isEmpty()) {
        m_model->removePending(load->id);
        m_scripts->adopt(std::move(load->script));
        if (follow) {
            const QModelIndex added = m_model->index(int(m_scripts->scripts().size()) - 1, 0);
            m_view->setCurrentIndex(added);
            selection->select(added,
                              QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        }
    } else {
        m_model->setPendingError(load->id, load->error);
    }
    Q_EMIT scriptLoaded(load->path, load->error);
}

void ScriptsPanel::chooseScript()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Add script"), m_lastDir.isEmpty() ? QDir::homePath() : m_lastDir,
        tr("JavaScript files (*.js *.mjs);;All files (*)"));
    if (path.isEmpty())
        return;
    m_lastDir = QFileInfo(path).absolutePath();
    addScript(path);
}

QList<ScriptAddon*> ScriptsPanel::selectedScripts() const
{
    QList<ScriptAddon*> out;
    for (const QModelIndex& i : m_view->selectionModel()->selectedRows())
        if (ScriptAddon* s = m_model->scriptAt(i.row()))
            out.append(s);
    return out;
}

QList<int> ScriptsPanel::selectedFailedLoads() const
{
    QList<int> out;
    for (const QModelIndex& i : m_view->selectionModel()->selectedRows())
        if (const int id = i.data(ScriptListModel::PendingIdRole).toInt();
            id >= 0 && !i.data(ScriptListModel::LoadingRole).toBool())
            out.append(id);
    return out;
}

void ScriptsPanel::reloadSelected()
{
    const QList<int> failed = selectedFailedLoads();
    for (ScriptAddon* s : selectedScripts())
        s->reload();
    for (const int id : failed) {
        const QString path =
            m_model->index(m_model->pendingRow(id), 0).data(ScriptListModel::PathRole).toString();
        m_model->setPendingError(id, {}); // Loading again
        startLoad(id, path);
    }
}

void ScriptsPanel::unloadSelected()
{
    const QList<int> failed = selectedFailedLoads();
    for (ScriptAddon* s : selectedScripts())
        if (s->state() != ScriptAddon::State::Unloaded)
            s->unload();
    for (const int id : failed) // never loaded: the row goes
        m_model->removePending(id);
}

void ScriptsPanel::updateActions()
{
    const QList<ScriptAddon*> selected = selectedScripts();
    const bool anyFailed = !selectedFailedLoads().isEmpty();
    bool anyLoaded = false;
    for (const ScriptAddon* s : selected)
        anyLoaded = anyLoaded || s->state() != ScriptAddon::State::Unloaded;
    m_reload->setEnabled(!selected.isEmpty() || anyFailed);
    m_unload->setEnabled(anyLoaded || anyFailed);
}

void ScriptsPanel::updateDetails()
{
    const QModelIndexList selected = m_view->selectionModel()->selectedRows();
    if (m_model->rowCount() == 0) {
        m_details->setText(tr("No scripts are loaded. Add one with <i>Add script…</i>, or start "
                              "Spyglass with <tt>-s FILE</tt>."));
        return;
    }
    if (selected.size() != 1) {
        m_details->setText(tr("Select a script to see its file and its last error."));
        return;
    }
    const QModelIndex s = selected.first();
    const QString path = QFileInfo(s.data(ScriptListModel::PathRole).toString()).absoluteFilePath();
    QUrl url = QUrl::fromLocalFile(path);
    QString text = QStringLiteral("<b>%1</b> <a href=\"%2\">%3</a>")
                       .arg(tr("File:"), url.toString().toHtmlEscaped(),
                            QDir::toNativeSeparators(path).toHtmlEscaped());
    if (s.data(ScriptListModel::LoadingRole).toBool())
        text +=
            QStringLiteral("<br><i>%1</i>")
                .arg(tr("Loading: reading, compiling and starting the script…").toHtmlEscaped());
    const QString error = s.data(ScriptListModel::ErrorRole).toString();
    if (!error.isEmpty()) {
        const int line = ScriptListModel::errorLine(path, error);
        QString shown = error.toHtmlEscaped();
        const QString where = QStringLiteral("%1:%2").arg(path).arg(line);
        if (line > 0 && error.startsWith(where)) {
            // FILE:LINE as a link to the file, the line in the fragment.
            QUrl at = url;
            at.setFragment(QString::number(line));
            shown = QStringLiteral("<a href=\"%1\">%2</a>%3")
                        .arg(at.toString().toHtmlEscaped(),
                             QDir::toNativeSeparators(where).toHtmlEscaped(),
                             error.mid(where.size()).toHtmlEscaped());
        }
        shown.replace(QLatin1Char('\n'), QStringLiteral("<br>"));
        text += QStringLiteral("<br><b>%1</b> %2").arg(tr("Last error:"), shown);
    }
    m_details->setText(text);
}

void ScriptsPanel::openLink(const QString& link)
{
    QUrl url(link);
    const int line = url.fragment().toInt();
    url.setFragment({});
    Q_EMIT openFileRequested(url.toLocalFile(), line);
    QDesktopServices::openUrl(url);
}

} // namespace spyglass

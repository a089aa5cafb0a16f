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
#include <QMessageBox>
#include <QStyle>
#include <QToolBar>
#include <QTreeView>
#include <QUrl>
#include <QVBoxLayout>

namespace spyglass {

using script::ScriptAddon;

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
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &ScriptsPanel::updateDetails);
    updateActions();
    updateDetails();
}

QString ScriptsPanel::addScript(const QString& path, bool report)
{
    const QString error = m_scripts->add(path);
    if (!error.isEmpty()) {
        if (report)
            QMessageBox::warning(this, tr("Add script"),
                                 tr("The script could not be loaded:\n%1").arg(error));
        return error;
    }
    const int row = m_model->rowCount() - 1;
    m_view->setCurrentIndex(m_model->index(row, 0));
    m_view->selectionModel()->select(m_model->index(row, 0), QItemSelectionModel::ClearAndSelect |
                                                                 QItemSelectionModel::Rows);
    return {};
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

void ScriptsPanel::reloadSelected()
{
    for (ScriptAddon* s : selectedScripts())
        s->reload();
}

void ScriptsPanel::unloadSelected()
{
    for (ScriptAddon* s : selectedScripts())
        if (s->state() != ScriptAddon::State::Unloaded)
            s->unload();
}

void ScriptsPanel::updateActions()
{
    const QList<ScriptAddon*> selected = selectedScripts();
    bool anyLoaded = false;
    for (const ScriptAddon* s : selected)
        anyLoaded = anyLoaded || s->state() != ScriptAddon::State::Unloaded;
    m_reload->setEnabled(!selected.isEmpty());
    m_unload->setEnabled(anyLoaded);
}

void ScriptsPanel::updateDetails()
{
    const QList<ScriptAddon*> selected = selectedScripts();
    if (m_model->rowCount() == 0) {
        m_details->setText(tr("No scripts are loaded. Add one with <i>Add script…</i>, or start "
                              "Spyglass with <tt>-s FILE</tt>."));
        return;
    }
    if (selected.size() != 1) {
        m_details->setText(tr("Select a script to see its file and its last error."));
        return;
    }
    const ScriptAddon* s = selected.first();
    const QString path = QFileInfo(s->path()).absoluteFilePath();
    QUrl url = QUrl::fromLocalFile(path);
    QString text = QStringLiteral("<b>%1</b> <a href=\"%2\">%3</a>")
                       .arg(tr("File:"), url.toString().toHtmlEscaped(),
                            QDir::toNativeSeparators(path).toHtmlEscaped());
    const QString error = s->lastError();
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

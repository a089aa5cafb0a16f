#include "script_list_model.h"

#include "script/script_addon.h"
#include "script/script_set.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QFont>
#include <QStyle>

namespace spyglass {

using script::ScriptAddon;

namespace {

// The Last error column: one line, without the file the first column names already.
QString oneLineError(const QString& path, QString error)
{
    error.replace(QLatin1Char('\n'), QLatin1Char(' '));
    const QString prefix = QFileInfo(path).absoluteFilePath() + QLatin1Char(':');
    if (error.startsWith(prefix))
        error = ScriptListModel::tr("line %1").arg(error.mid(prefix.size()));
    return error;
}

} // namespace

ScriptListModel::ScriptListModel(script::ScriptSet* scripts, QObject* parent)
    : QAbstractTableModel(parent), m_scripts(scripts), m_rows(int(scripts->scripts().size()))
{
    connect(m_scripts, &script::ScriptSet::scriptAdded, this, &ScriptListModel::onScriptAdded);
    connect(m_scripts, &script::ScriptSet::scriptChanged, this, &ScriptListModel::onScriptChanged);
}

void ScriptListModel::onScriptAdded(int row)
{
    // Scripts are only ever appended.
    const int total = int(m_scripts->scripts().size());
    if (row < m_rows || total <= m_rows)
        return;
    beginInsertRows({}, m_rows, total - 1);
    m_rows = total;
    endInsertRows();
}

int ScriptListModel::addPending(const QString& path)
{
    const int row = rowCount();
    beginInsertRows({}, row, row);
    m_pending.append(Pending{m_nextId, path, {}});
    endInsertRows();
    return m_nextId++;
}

void ScriptListModel::setPendingError(int id, const QString& error)
{
    const int row = pendingRow(id);
    if (row < 0)
        return;
    m_pending[row - m_rows].error = error;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void ScriptListModel::removePending(int id)
{
    const int row = pendingRow(id);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_pending.removeAt(row - m_rows);
    endRemoveRows();
}

int ScriptListModel::pendingRow(int id) const
{
    for (qsizetype i = 0; i < m_pending.size(); ++i)
        if (m_pending.at(i).id == id)
            return m_rows + int(i);
    return -1;
}

void ScriptListModel::onScriptChanged(int row)
{
    if (row < 0 || row >= m_rows)
        return;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

ScriptAddon* ScriptListModel::scriptAt(int row) const
{
    if (row < 0 || row >= m_rows)
        return nullptr;
    return m_scripts->scripts()[size_t(row)];
}

int ScriptListModel::errorLine(const QString& path, const QString& error)
{
    // The runtime writes the script's absolute path, then ":LINE: ".
    const QString absolute = QFileInfo(path).absoluteFilePath();
    for (const QString& p : {absolute, path}) {
        if (!error.startsWith(p + QLatin1Char(':')))
            continue;
        const QString rest = error.mid(p.size() + 1);
        qsizetype end = 0;
        while (end < rest.size() && rest.at(end).isDigit())
            ++end;
        if (end > 0)
            return rest.left(end).toInt();
    }
    return 0;
}

QString ScriptListModel::stateText(int state)
{
    switch (ScriptAddon::State(state)) {
    case ScriptAddon::State::Running:
        return tr("Running");
    case ScriptAddon::State::Error:
        return tr("Error");
    case ScriptAddon::State::Unloaded:
        return tr("Unloaded");
    }
    return {};
}

QString ScriptListModel::loadingText()
{
    return tr("Loading…");
}

int ScriptListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_rows + int(m_pending.size());
}

int ScriptListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ScriptListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid())
        return {};
    if (index.row() >= m_rows && index.row() < rowCount())
        return pendingData(m_pending.at(index.row() - m_rows), index.column(), role);
    const ScriptAddon* s = scriptAt(index.row());
    if (!s)
        return {};
    const ScriptAddon::State state = s->state();
    switch (role) {
    case PathRole:
        return s->path();
    case ErrorLineRole:
        return errorLine(s->path(), s->lastError());
    case ErrorRole:
        return s->lastError();
    case LoadingRole:
        return false;
    case PendingIdRole:
        return -1;
    case Qt::DisplayRole:
        switch (index.column()) {
        case FileColumn:
            return QFileInfo(s->path()).fileName();
        case StateColumn:
            return stateText(int(state));
        case HooksColumn:
            return s->hooks().join(QStringLiteral(", "));
        case ErrorColumn: // one line in the table; the panel's details show all of it
            return oneLineError(s->path(), s->lastError());
        }
        break;
    case Qt::ToolTipRole:
        switch (index.column()) {
        case FileColumn:
            return QDir::toNativeSeparators(s->path());
        case StateColumn:
            switch (state) {
            case ScriptAddon::State::Running:
                return tr("The script is loaded and runs its hooks; it reloads when the file "
                          "changes");
            case ScriptAddon::State::Error:
                return tr("The script reported an error: a hook threw or ran too long, or a "
                          "(re)load failed (after a failed reload the previous version keeps "
                          "running)");
            case ScriptAddon::State::Unloaded:
                return tr("The script does not run; Reload loads it again");
            }
            break;
        case HooksColumn:
            return tr("The hook functions the script defines");
        case ErrorColumn:
            return s->lastError().isEmpty() ? QVariant() : QVariant(s->lastError());
        }
        break;
    case Qt::DecorationRole:
        if (index.column() == StateColumn && state == ScriptAddon::State::Error)
            return QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
        break;
    default:
        break;
    }
    return {};
}

QVariant ScriptListModel::pendingData(const Pending& p, int column, int role) const
{
    const bool loading = p.error.isEmpty();
    switch (role) {
    case PathRole:
        return p.path;
    case ErrorLineRole:
        return errorLine(p.path, p.error);
    case ErrorRole:
        return p.error;
    case LoadingRole:
        return loading;
    case PendingIdRole:
        return p.id;
    case Qt::DisplayRole:
        switch (column) {
        case FileColumn:
            return QFileInfo(p.path).fileName();
        case StateColumn:
            return loading ? loadingText() : stateText(int(ScriptAddon::State::Error));
        case ErrorColumn:
            return oneLineError(p.path, p.error);
        default:
            break;
        }
        break;
    case Qt::ToolTipRole:
        switch (column) {
        case FileColumn:
            return QDir::toNativeSeparators(p.path);
        case StateColumn:
            return loading ? tr("The script is being read, compiled and started; the window "
                                "stays usable meanwhile")
                           : tr("The script could not be loaded and does not run: Reload tries "
                                "again, Unload removes the row");
        case ErrorColumn:
            return loading ? QVariant() : QVariant(p.error);
        default:
            break;
        }
        break;
    case Qt::FontRole:
        if (loading) {
            QFont italic;
            italic.setItalic(true);
            return italic;
        }
        break;
    case Qt::DecorationRole:
        if (column == StateColumn)
            return QApplication::style()->standardIcon(loading ? QStyle::SP_BrowserReload
                                                               : QStyle::SP_MessageBoxWarning);
        break;
    default:
        break;
    }
    return {};
}

QVariant ScriptListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case FileColumn:
        return tr("Script");
    case StateColumn:
        return tr("State");
    case HooksColumn:
        return tr("Hooks");
    case ErrorColumn:
        return tr("Last error");
    }
    return {};
}

} // namespace spyglass

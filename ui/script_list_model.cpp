#include "script_list_model.h"

#include "script/script_addon.h"
#include "script/script_set.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QStyle>

namespace spyglass {

using script::ScriptAddon;

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

int ScriptListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

int ScriptListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ScriptListModel::data(const QModelIndex& index, int role) const
{
    const ScriptAddon* s = index.isValid() ? scriptAt(index.row()) : nullptr;
    if (!s)
        return {};
    const ScriptAddon::State state = s->state();
    switch (role) {
    case PathRole:
        return s->path();
    case ErrorLineRole:
        return errorLine(s->path(), s->lastError());
    case Qt::DisplayRole:
        switch (index.column()) {
        case FileColumn:
            return QFileInfo(s->path()).fileName();
        case StateColumn:
            return stateText(int(state));
        case HooksColumn:
            return s->hooks().join(QStringLiteral(", "));
        case ErrorColumn: {
            // One line in the table; the panel's details show all of it.
            QString e = s->lastError();
            e.replace(QLatin1Char('\n'), QLatin1Char(' '));
            const QString prefix = QFileInfo(s->path()).absoluteFilePath() + QLatin1Char(':');
            if (e.startsWith(prefix)) // the file is in the first column already
                e = tr("line %1").arg(e.mid(prefix.size()));
            return e;
        }
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

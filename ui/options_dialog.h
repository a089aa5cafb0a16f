#pragma once
// Edit > Preferences (issue 6 "Options dialog"): generated from the option registry
// (option_registry.h), so every option `--set` knows is here under the same name, with an
// editor for its type (bool: check box, int: spin box, choice: combo box, str and size: line
// edit, list: an editable list, one entry per line) and its help as tooltip and description.
// Options are grouped by topic (category()) and a search field filters them by name and help.
//
// Apply validates every value with the registry first and changes nothing on a bad one. Then
// the options that may change while the proxy runs (addons::AddonManager::optionNames()) go to
// the running engine through ProxyEngine::setOption; the others are marked in the dialog and
// take effect when the proxy next starts. Whatever the user changed is stored with
// OptionSettings (QSettings), which the app applies below the command line at start.

#include "options/options.h"

#include <QDialog>
#include <QVariant>
#include <vector>

class QDialogButtonBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QScrollArea;

namespace spyglass {

class ProxyEngine;
struct OptionSpec;

class OptionsDialog : public QDialog
{
    Q_OBJECT
public:
    // `engine` may be null (no proxy: everything applies at the next start). `current` is what
    // the window runs with; the dialog shows it.
    OptionsDialog(ProxyEngine* engine, const Options& current, QWidget* parent = nullptr);
    ~OptionsDialog() override;

    // Validates, applies and stores the edits. False and one message per bad option (nothing
    // applied nor stored) when a value is refused.
    bool apply(QStringList* errors = nullptr);
    // The options after the last successful apply (next start included).
    const Options& options() const { return m_options; }
    // Names applied only at the next start by the last apply (changed, not changeable live).
    const QStringList& pendingRestart() const { return m_pendingRestart; }

    // Every option shown, in the dialog's order, and its editor (QCheckBox, QSpinBox,
    // QComboBox, QLineEdit or, for a list, QListWidget).
    QStringList optionNames() const;
    QWidget* editor(const QString& name) const;
    // The editor's value: a QString, or a QStringList for a list option.
    QVariant value(const QString& name) const;
    void setValue(const QString& name, const QVariant& value);
    QLineEdit* searchField() const { return m_search; }
    // Whether the search leaves the option visible.
    bool isOptionShown(const QString& name) const;
    void restoreDefaults();

    // Options the running engine takes at once (the rest wait for the next start).
    static bool isRuntimeChangeable(const QString& name);
    // The group an option is shown in ("Network", "TLS", ...), translated.
    static QString category(const QString& name);

Q_SIGNALS:
    void optionsApplied(const spyglass::Options& options);

private:
    struct Row;
    void build();
    QWidget* makeEditor(Row& row);
    void filter(const QString& text);
    void markError(Row& row, const QString& error);
    Row* find(const QString& name);
    const Row* find(const QString& name) const;

    ProxyEngine* m_engine;
    Options m_options;
    std::vector<Row> m_rows;
    std::vector<QGroupBox*> m_groups;
    QLineEdit* m_search = nullptr;
    QScrollArea* m_scroll = nullptr;
    QLabel* m_status = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    QStringList m_pendingRestart;
};

} // namespace spyglass

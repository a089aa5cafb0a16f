#include "options_dialog.h"

#include "option_settings.h"

#include "addons/addon_manager.h"
#include "options/option_registry.h"
#include "server/proxy_engine.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include <climits>
#include <map>

namespace spyglass {

struct OptionsDialog::Row
{
    const OptionSpec* spec = nullptr;
    QWidget* editor = nullptr;
    QWidget* field = nullptr; // the editor with its description, the form's field
    QLabel* label = nullptr;
    QGroupBox* group = nullptr;
    QFormLayout* form = nullptr;
    QVariant shown; // the value the dialog showed after the last apply
};

namespace {

QStringList listOf(const OptionSpec& spec, const Options& options)
{
    if (spec.getList)
        return spec.getList(options);
    const QString joined = spec.get(options);
    return joined.isEmpty() ? QStringList{} : joined.split(QLatin1Char(','));
}

QVariant valueIn(const OptionSpec& spec, const Options& options)
{
    return spec.isList ? QVariant(listOf(spec, options)) : QVariant(spec.get(options));
}

// Sets `value` on `options` as `--set` would; a list replaces what was there.
QString setIn(const OptionSpec& spec, Options& options, const QVariant& value)
{
    if (!spec.isList)
        return spec.set(options, value.toString());
    if (spec.name == QLatin1String("mode")) {
        options.mode = Options{}.mode; // the first mode set replaces the default
        options.modeSetExplicitly = false;
    } else if (!listOf(spec, options).isEmpty()) {
        spec.set(options, QString()); // an empty value empties a list option
        if (!listOf(spec, options).isEmpty())
            return QStringLiteral("the list cannot be replaced");
    }
    for (const QString& entry : value.toStringList())
        if (QString err = spec.set(options, entry); !err.isEmpty())
            return QStringLiteral("'%1': %2").arg(entry, err);
    return {};
}

QStringList listEntries(const QListWidget* list)
{
    QStringList entries;
    for (int i = 0; i < list->count(); ++i)
        if (const QString t = list->item(i)->text().trimmed(); !t.isEmpty())
            entries << t;
    return entries;
}

void addListEntry(QListWidget* list, const QString& text)
{
    auto* item = new QListWidgetItem(text, list);
    item->setFlags(item->flags() | Qt::ItemIsEditable);
}

// Groups in the order the dialog shows them; an option not named here goes with the options
// that share its first word (ssl_..., http2_...), the addons, or Other.
const std::vector<std::pair<const char*, QStringList>>& categoryNames()
{
    static const std::vector<std::pair<const char*, QStringList>> names{
        {QT_TRANSLATE_NOOP("spyglass::OptionsDialog", "Network"),
         {"listen_host", "listen_port", "mode", "keep_host_header", "proxyauth", "upstream_auth",
          "confdir"}},
        {QT_TRANSLATE_NOOP("spyglass::OptionsDialog", "Connections"),
         {"connection_strategy", "tcp_timeout", "connect_timeout", "handshake_timeout",
          "worker_threads", "ignore_hosts", "allow_hosts", "tcp_hosts", "rawtcp"}},
        {QT_TRANSLATE_NOOP("spyglass::OptionsDialog", "TLS"),
         {"ssl_insecure", "upstream_cert", "ssl_verify_upstream_trusted_ca"}},
        {QT_TRANSLATE_NOOP("spyglass::OptionsDialog", "HTTP"),
         {"stream_large_bodies", "body_size_limit", "http2", "http2_for_http1_clients",
          "http2_ping_keepalive", "websocket"}},
        {QT_TRANSLATE_NOOP("spyglass::OptionsDialog", "Intercept"),
         {"intercept", "intercept_active"}},
        {QT_TRANSLATE_NOOP("spyglass::OptionsDialog", "Addons"), {}},
        {QT_TRANSLATE_NOOP("spyglass::OptionsDialog", "Other"), {}},
    };
    return names;
}

const char* categoryKey(const QString& name)
{
    const auto& names = categoryNames();
    for (const auto& [key, members] : names)
        if (members.contains(name))
            return key;
    if (addons::AddonManager::optionNames().contains(name))
        return names[names.size() - 2].first;
    const QString prefix = name.section(QLatin1Char('_'), 0, 0) + QLatin1Char('_');
    for (const auto& [key, members] : names)
        for (const QString& m : members)
            if (m.startsWith(prefix))
                return key;
    return names.back().first;
}

} // namespace

OptionsDialog::OptionsDialog(ProxyEngine* engine, const Options& current, QWidget* parent)
    : QDialog(parent), m_engine(engine), m_options(current)
{
    setWindowTitle(tr("Preferences"));
    setObjectName(QStringLiteral("optionsDialog"));
    build();
    resize(760, 640);
}

OptionsDialog::~OptionsDialog() = default;

bool OptionsDialog::isRuntimeChangeable(const QString& name)
{
    return addons::AddonManager::optionNames().contains(name);
}

QString OptionsDialog::category(const QString& name)
{
    return tr(categoryKey(name));
}

void OptionsDialog::build()
{
    auto* layout = new QVBoxLayout(this);
    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Search options by name or description"));
    m_search->setToolTip(tr("Shows only the options whose name or description contains the "
                            "text"));
    m_search->setClearButtonEnabled(true);
    connect(m_search, &QLineEdit::textChanged, this, &OptionsDialog::filter);
    layout->addWidget(m_search);

    auto* page = new QWidget;
    auto* pageLayout = new QVBoxLayout(page);
    std::map<const char*, std::vector<const OptionSpec*>> byCategory;
    for (const OptionSpec& spec : OptionRegistry::all())
        byCategory[categoryKey(spec.name)].push_back(&spec);
    const auto& order = categoryNames();
    m_rows.reserve(OptionRegistry::all().size());
    for (const auto& [key, members] : order) {
        const auto it = byCategory.find(key);
        if (it == byCategory.end())
            continue;
        auto* group = new QGroupBox(tr(key), page);
        auto* form = new QFormLayout(group);
        form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
        m_groups.push_back(group);
        for (const OptionSpec* spec : it->second) {
            Row row;
            row.spec = spec;
            row.group = group;
            row.form = form;
            row.shown = valueIn(*spec, m_options);
            row.field = makeEditor(row);
            row.label = new QLabel(spec->name, group);
            QFont mono = row.label->font();
            mono.setFamily(QStringLiteral("monospace"));
            mono.setStyleHint(QFont::TypeWriter);
            row.label->setFont(mono);
            row.label->setBuddy(row.editor);
            row.label->setToolTip(spec->help);
            form->addRow(row.label, row.field);
            m_rows.push_back(row);
        }
        pageLayout->addWidget(group);
    }
    pageLayout->addStretch(1);
    m_scroll = new QScrollArea(this);
    m_scroll->setWidgetResizable(true);
    m_scroll->setWidget(page);
    layout->addWidget(m_scroll, 1);

    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);

    m_buttons =
        new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Apply |
                                 QDialogButtonBox::Cancel | QDialogButtonBox::RestoreDefaults,
                             this);
    m_buttons->button(QDialogButtonBox::Ok)->setToolTip(tr("Apply the changes and close"));
    m_buttons->button(QDialogButtonBox::Apply)
        ->setToolTip(tr("Apply the changes: at once where the running proxy allows it, else "
                        "when it next starts"));
    m_buttons->button(QDialogButtonBox::Cancel)->setToolTip(tr("Close without applying"));
    m_buttons->button(QDialogButtonBox::RestoreDefaults)
        ->setToolTip(tr("Put every option back to its default (applied with Apply or OK)"));
    connect(m_buttons, &QDialogButtonBox::clicked, this, [this](QAbstractButton* button) {
        switch (m_buttons->standardButton(button)) {
        case QDialogButtonBox::Ok:
            if (apply())
                accept();
            break;
        case QDialogButtonBox::Apply:
            apply();
            break;
        case QDialogButtonBox::RestoreDefaults:
            restoreDefaults();
            break;
        default:
            reject();
        }
    });
    layout->addWidget(m_buttons);
}

QWidget* OptionsDialog::makeEditor(Row& row)
{
    const OptionSpec& spec = *row.spec;
    auto* field = new QWidget;
    auto* box = new QVBoxLayout(field);
    box->setContentsMargins(0, 0, 0, 0);
    box->setSpacing(2);
    if (spec.isList) {
        auto* list = new QListWidget(field);
        list->setMaximumHeight(list->fontMetrics().height() * 5);
        list->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                              QAbstractItemView::AnyKeyPressed);
        auto* line = new QHBoxLayout;
        line->addWidget(list, 1);
        auto* buttons = new QVBoxLayout;
        auto* add = new QToolButton(field);
        add->setText(QStringLiteral("+"));
        add->setToolTip(tr("Add an entry"));
        auto* remove = new QToolButton(field);
        remove->setText(QStringLiteral("−"));
        remove->setToolTip(tr("Remove the selected entry"));
        connect(add, &QToolButton::clicked, list, [list] {
            addListEntry(list, QString());
            list->setCurrentRow(list->count() - 1);
            list->editItem(list->item(list->count() - 1));
        });
        connect(remove, &QToolButton::clicked, list, [list] { delete list->currentItem(); });
        buttons->addWidget(add);
        buttons->addWidget(remove);
        buttons->addStretch(1);
        line->addLayout(buttons);
        box->addLayout(line);
        row.editor = list;
    } else if (spec.type == QLatin1String("bool")) {
        row.editor = new QCheckBox(tr("On"), field);
    } else if (spec.type == QLatin1String("int")) {
        auto* spin = new QSpinBox(field);
        Options probe;
        spin->setRange(spec.set(probe, QStringLiteral("-1")).isEmpty() ? INT_MIN : 0, INT_MAX);
        spin->setMaximumWidth(160);
        row.editor = spin;
    } else if (spec.type == QLatin1String("choice")) {
        auto* combo = new QComboBox(field);
        combo->addItems(spec.choices);
        row.editor = combo;
    } else {
        auto* edit = new QLineEdit(field);
        if (spec.type == QLatin1String("size"))
            edit->setPlaceholderText(tr("e.g. 512k, 10m, 1g; empty: no limit"));
        row.editor = edit;
    }
    if (!spec.isList)
        box->addWidget(row.editor);
    row.editor->setObjectName(spec.name);
    row.editor->setToolTip(spec.help);
    QString description = spec.help;
    if (!isRuntimeChangeable(spec.name))
        description += QLatin1Char(' ') + tr("(Applies when the proxy next starts.)");
    auto* help = new QLabel(description, field);
    help->setWordWrap(true);
    help->setEnabled(false); // the palette's muted text colour, in light and dark themes
    QFont small = help->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    help->setFont(small);
    box->addWidget(help);
    row.field = field;
    // setValue needs the row in m_rows; set the editor directly here.
    const QVariant& v = row.shown;
    if (auto* list = qobject_cast<QListWidget*>(row.editor)) {
        for (const QString& e : v.toStringList())
            addListEntry(list, e);
    } else if (auto* check = qobject_cast<QCheckBox*>(row.editor)) {
        check->setChecked(v.toString() == QLatin1String("true"));
    } else if (auto* spin = qobject_cast<QSpinBox*>(row.editor)) {
        spin->setValue(v.toString().toInt());
    } else if (auto* combo = qobject_cast<QComboBox*>(row.editor)) {
        combo->setCurrentText(v.toString());
    } else if (auto* edit = qobject_cast<QLineEdit*>(row.editor)) {
        edit->setText(v.toString());
    }
    return field;
}

QStringList OptionsDialog::optionNames() const
{
    QStringList names;
    for (const Row& r : m_rows)
        names << r.spec->name;
    return names;
}

OptionsDialog::Row* OptionsDialog::find(const QString& name)
{
    for (Row& r : m_rows)
        if (r.spec->name == name)
            return &r;
    return nullptr;
}

const OptionsDialog::Row* OptionsDialog::find(const QString& name) const
{
    return const_cast<OptionsDialog*>(this)->find(name);
}

QWidget* OptionsDialog::editor(const QString& name) const
{
    const Row* r = find(name);
    return r ? r->editor : nullptr;
}

QVariant OptionsDialog::value(const QString& name) const
{
    const Row* r = find(name);
    if (!r)
        return {};
    if (auto* list = qobject_cast<QListWidget*>(r->editor))
        return listEntries(list);
    if (auto* check = qobject_cast<QCheckBox*>(r->editor))
        return check->isChecked() ? QStringLiteral("true") : QStringLiteral("false");
    if (auto* spin = qobject_cast<QSpinBox*>(r->editor))
        return QString::number(spin->value());
    if (auto* combo = qobject_cast<QComboBox*>(r->editor))
        return combo->currentText();
    return qobject_cast<QLineEdit*>(r->editor)->text();
}

void OptionsDialog::setValue(const QString& name, const QVariant& v)
{
    Row* r = find(name);
    if (!r)
        return;
    if (auto* list = qobject_cast<QListWidget*>(r->editor)) {
        list->clear();
        for (const QString& e : v.toStringList())
            addListEntry(list, e);
    } else if (auto* check = qobject_cast<QCheckBox*>(r->editor)) {
        check->setChecked(v.toString() == QLatin1String("true"));
    } else if (auto* spin = qobject_cast<QSpinBox*>(r->editor)) {
        spin->setValue(v.toString().toInt());
    } else if (auto* combo = qobject_cast<QComboBox*>(r->editor)) {
        combo->setCurrentText(v.toString());
    } else if (auto* edit = qobject_cast<QLineEdit*>(r->editor)) {
        edit->setText(v.toString());
    }
}

void OptionsDialog::restoreDefaults()
{
    const Options defaults;
    for (const Row& r : m_rows)
        setValue(r.spec->name, valueIn(*r.spec, defaults));
    m_status->setText(tr("Defaults shown; Apply or OK applies them."));
}

bool OptionsDialog::isOptionShown(const QString& name) const
{
    const Row* r = find(name);
    return r && !r->field->isHidden();
}

void OptionsDialog::filter(const QString& text)
{
    const QString needle = text.trimmed();
    for (Row& r : m_rows) {
        const bool match = needle.isEmpty() || r.spec->name.contains(needle, Qt::CaseInsensitive) ||
                           r.spec->help.contains(needle, Qt::CaseInsensitive);
        r.form->setRowVisible(r.field, match);
    }
    for (QGroupBox* g : m_groups) {
        bool any = false;
        for (const Row& r : m_rows)
            any = any || (r.group == g && !r.field->isHidden());
        g->setVisible(any);
        g->layout()->activate();
    }
    // Lay the page out now (not at the next turn of the event loop) and show the first match.
    m_scroll->widget()->layout()->activate();
    m_scroll->verticalScrollBar()->setValue(0);
}

void OptionsDialog::markError(Row& row, const QString& error)
{
    row.label->setStyleSheet(error.isEmpty() ? QString()
                                             : QStringLiteral("color: #d04040; font-weight: bold"));
    row.editor->setToolTip(error.isEmpty() ? row.spec->help : error);
}

bool OptionsDialog::apply(QStringList* errorsOut)
{
    // 1. Every value through the registry's parser, on a copy: a bad one changes nothing.
    Options next = m_options;
    QStringList errors;
    std::vector<Row*> changed;
    for (Row& r : m_rows) {
        const QVariant v = value(r.spec->name);
        QString err;
        if (v != r.shown) {
            err = setIn(*r.spec, next, v);
            if (err.isEmpty())
                changed.push_back(&r);
        }
        markError(r, err);
        if (!err.isEmpty())
            errors << QStringLiteral("%1: %2").arg(r.spec->name, err);
    }
    if (!errors.isEmpty()) {
        m_status->setText(tr("Not applied: %1").arg(errors.join(QLatin1Char('\n'))));
        if (errorsOut)
            *errorsOut = errors;
        return false;
    }

    // 2. Live options to the running engine (which checks them again against its addons).
    m_pendingRestart.clear();
    const bool running = m_engine && m_engine->isRunning();
    for (Row* r : changed) {
        const QString& name = r->spec->name;
        if (running && isRuntimeChangeable(name)) {
            QString err;
            bool ok = true;
            if (r->spec->isList) {
                ok = m_engine->setOption(name, QString(), &err);
                for (const QString& entry : value(name).toStringList())
                    ok = ok && m_engine->setOption(name, entry, &err);
            } else {
                ok = m_engine->setOption(name, value(name).toString(), &err);
            }
            if (!ok) {
                markError(*r, err);
                errors << QStringLiteral("%1: %2").arg(name, err);
            }
        } else if (running) {
            m_pendingRestart << name;
        }
    }
    if (!errors.isEmpty()) {
        m_status->setText(tr("Not applied: %1").arg(errors.join(QLatin1Char('\n'))));
        if (errorsOut)
            *errorsOut = errors;
        return false;
    }

    // 3. Kept for the next run.
    for (Row* r : changed) {
        r->shown = value(r->spec->name);
        OptionSettings::store(r->spec->name, r->shown);
    }
    m_options = next;
    if (changed.empty())
        m_status->setText(tr("Nothing changed."));
    else if (m_pendingRestart.isEmpty())
        m_status->setText(tr("Applied and saved."));
    else
        m_status->setText(tr("Saved. These apply when the proxy next starts: %1")
                              .arg(m_pendingRestart.join(QStringLiteral(", "))));
    Q_EMIT optionsApplied(m_options);
    return true;
}

} // namespace spyglass

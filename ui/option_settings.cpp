#include "option_settings.h"

#include "options/option_registry.h"

#include <QSettings>

namespace spyglass {

namespace {

QStringList listValue(const OptionSpec& spec, const Options& options)
{
    if (spec.getList)
        return spec.getList(options);
    const QString joined = spec.get(options);
    return joined.isEmpty() ? QStringList{} : joined.split(QLatin1Char(','));
}

} // namespace

QString OptionSettings::group()
{
    return QStringLiteral("options");
}

QStringList OptionSettings::load(Options& options, const QStringList& skip)
{
    QStringList warnings;
    QSettings settings;
    settings.beginGroup(group());
    for (const QString& name : settings.childKeys()) {
        if (skip.contains(name))
            continue;
        const OptionSpec* spec = OptionRegistry::find(name);
        if (!spec) {
            warnings << QStringLiteral("stored option '%1' is unknown, ignored").arg(name);
            continue;
        }
        Options next = options;
        QString error;
        if (spec->isList) {
            const QStringList entries = settings.value(name).toStringList();
            // The list replaces what was there: an empty value empties a list option (the
            // default mode is replaced by the first mode set).
            if (name != QLatin1String("mode") && !listValue(*spec, next).isEmpty()) {
                spec->set(next, QString());
                if (!listValue(*spec, next).isEmpty())
                    error = QStringLiteral("the list cannot be replaced");
            }
            for (const QString& entry : entries) {
                if (error.isEmpty())
                    error = spec->set(next, entry);
            }
        } else {
            error = spec->set(next, settings.value(name).toString());
        }
        if (!error.isEmpty()) {
            warnings << QStringLiteral("stored option %1: %2, ignored").arg(name, error);
            continue;
        }
        options = next;
    }
    return warnings;
}

void OptionSettings::store(const QString& name, const QVariant& value)
{
    QSettings settings;
    settings.beginGroup(group());
    const OptionSpec* spec = OptionRegistry::find(name);
    if (!spec)
        return;
    const Options defaults;
    const bool isDefault = spec->isList ? value.toStringList() == listValue(*spec, defaults)
                                        : value.toString() == spec->get(defaults);
    if (isDefault)
        settings.remove(name);
    else
        settings.setValue(name, value);
}

QVariant OptionSettings::stored(const QString& name)
{
    QSettings settings;
    settings.beginGroup(group());
    return settings.value(name);
}

void OptionSettings::clear()
{
    QSettings settings;
    settings.remove(group());
}

} // namespace spyglass

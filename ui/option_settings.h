#pragma once
// Options kept between runs of the window (the Preferences dialog, options_dialog.h): QSettings
// group "options", one key per registry name (option_registry.h), a string for a plain option
// and a string list for a list option. Only what the user changed in the dialog is stored, and
// a value put back to its default is removed, so a new default still reaches the user.
//
// At start (app/gui/main.cpp) the stored values go below the command line: an option the
// command line names keeps the command line's value. A stored value the registry no longer
// accepts is skipped with a warning, never an error that keeps the window from opening.

#include "options/options.h"

#include <QStringList>
#include <QVariant>

namespace spyglass {

class OptionSettings
{
public:
    // Applies every stored option not named in `skip` to `options`. Returns one warning per
    // stored value that did not apply ("listen_port: expected a whole number ...").
    static QStringList load(Options& options, const QStringList& skip = {});
    // Stores `value` (QString, or QStringList for a list option) for `name`, or removes the key
    // when it is the registry's default.
    static void store(const QString& name, const QVariant& value);
    // The stored value, or an invalid QVariant.
    static QVariant stored(const QString& name);
    static void clear();

    static QString group();
};

} // namespace spyglass

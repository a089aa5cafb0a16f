#pragma once
// The scripting API's two tables (docs/scripting.md): the hooks a script may define, with
// mitmproxy's names, and the members of the objects scripts see, enumerated from the prelude
// that builds them (prelude.js), so the reference can be checked against what is really
// exposed (tests/unit/script/script_api_test.cpp).

#include "proxy/hook.h"

#include <QString>
#include <QStringList>
#include <optional>

class QJSEngine;
class QJSValue;

namespace spyglass::script {

struct ScriptHook
{
    const char* name;                    // "request"
    std::optional<proxy::HookKind> kind; // empty for the lifecycle hooks (load, configure, ...)
};

class ScriptApi
{
public:
    // Every hook name a script may define, lifecycle hooks first.
    static const std::vector<ScriptHook>& hooks();
    // The script function name for an engine hook; nullptr when scripts cannot see it.
    static const char* hookName(proxy::HookKind kind);
    // The prelude's source (prelude.js).
    static const char* preludeSource();
    // Runs the prelude in `engine` with `native` (a ScriptNative) and returns its internal
    // entry points (invoke, setOptions, api), or an error value.
    static QJSValue installPrelude(QJSEngine& engine, const QJSValue& native);
    // "Class.member" for every property and method scripts can reach, and "spyglass.x".
    static QStringList exposedApi();
};

} // namespace spyglass::script

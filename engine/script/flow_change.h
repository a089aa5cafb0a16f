#pragma once
// What a script's hook changed, as work for the flow's own worker (HookData::onWorker): made
// on the script thread (flow_to_js.h), run where the flow lives. A header of its own so that
// code that only passes changes along (script_addon.h, and through it the window's Scripts
// panel) does not pull in Qt Qml.

#include "proxy/hook.h"

#include <functional>

namespace spyglass::script {

using FlowChange = std::function<void(proxy::HookData&)>;

} // namespace spyglass::script

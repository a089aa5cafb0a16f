#include "server/hook_runner.h"

namespace spyglass {

HookRunner::~HookRunner() = default;

} // namespace spyglass

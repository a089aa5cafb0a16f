#include "flow/flow.h"

namespace spyglass {

HttpFlow::HttpFlow() : id(QUuid::createUuid()) {}

} // namespace spyglass

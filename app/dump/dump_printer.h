#pragma once
// One line per finished flow for spyglass-dump's stdout:
//   CLIENT METHOD URL HTTPVERSION -> STATUS REASON SIZE DURATION
//   CLIENT METHOD URL HTTPVERSION -> error: MESSAGE
// Fields that are unknown (a request too broken to parse) are printed as "-".

#include "flow/flow.h"

#include <QString>

namespace spyglass {

QString dumpLine(const HttpFlow& flow);
// "512b", "1.0k", "3.2m", "1.1g"
QString humanSize(qint64 bytes);
// "3ms", "1.2s"
QString humanDuration(double seconds);

} // namespace spyglass

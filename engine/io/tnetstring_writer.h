#pragma once
// The tnetstring encoder, the counterpart of TnetstringReader (tnetstring.h): what
// MitmproxyWriter writes flow files with. It writes what mitmproxy's own
// `mitmproxy/io/tnetstring.py` dump() writes for the same value: bytes `,`, text `;`,
// integers `#`, floats `^` (the shortest text that reads back to the same double, with a
// ".0" when it would otherwise look like an integer, as Python's repr() does), `true!` /
// `false!`, `0:~`, lists `]` and dictionaries `}` (keys as text, members in reverse order:
// Python's dump() emits a dict's last item first). A Float that is not finite
// was already made null by TnetValue::ofFloat.

#include "io/tnetstring.h"

#include <QByteArray>

namespace spyglass {

class TnetstringWriter
{
public:
    // The encoding of `value`.
    static QByteArray dump(const TnetValue& value);
    // Appends the encoding of `value` to `out`.
    static void dump(const TnetValue& value, QByteArray& out);
    // How a double is spelled inside a `^` value ("1700000000.25", "1e-07", "3.0").
    static QByteArray floatText(double d);
};

} // namespace spyglass

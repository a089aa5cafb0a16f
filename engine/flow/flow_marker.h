#pragma once
// Flow markers as mitmproxy 7+ has them (HttpFlow::marked): empty for an unmarked flow, else a
// value of mitmproxy's marker table (emoji_table.h): an emoji short code such as ":grapes:",
// ":default:" (what toggling a mark sets; drawn as a red circle) or one letter or digit.
// mitmproxy refuses other values when a flow is marked (`flow.mark`: "invalid marker value") but
// shows whatever a loaded file holds, an unknown code as the default symbol; so do we: session
// files and HAR keep the string as it is, the window validates what the user types.

#include <QString>
#include <QStringList>
#include <QStringView>

namespace spyglass {

class FlowMarker
{
public:
    static constexpr QStringView defaultMarker = u":default:";
    // The symbol mitmproxy's console shows for an unknown code (SYMBOL_MARK).
    static constexpr QStringView defaultSymbol = u"\u25CF";

    // A value mitmproxy's `flow.mark` accepts.
    static bool isValid(QStringView marker);
    // What to show for a marker: the emoji of a known code, the letter or digit itself, the
    // default symbol for anything else, and an empty string for an unmarked flow.
    static QString symbol(QStringView marker);
    // Every valid marker, sorted (for completion in the window).
    static QStringList all();
};

} // namespace spyglass

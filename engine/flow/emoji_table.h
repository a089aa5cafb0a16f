#pragma once
// The table of flow markers mitmproxy accepts (mitmproxy/utils/emoji.py): ":name:" emoji short
// codes from GitHub's list, ":default:" and the single letters and digits, each with the text
// mitmproxy shows for it. emoji_table.cpp is generated from mitmproxy's file; FlowMarker
// (flow_marker.h) is the interface to use.

#include <span>

namespace spyglass {

struct EmojiEntry
{
    const char* name;   // ":grapes:", ":default:", "a" (ASCII)
    const char* symbol; // UTF-8: "\U0001F347", "\u25CF", "a"
};

// Sorted by name, byte order.
std::span<const EmojiEntry> emojiTable();

} // namespace spyglass

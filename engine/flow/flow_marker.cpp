#include "flow/flow_marker.h"

#include "flow/emoji_table.h"

#include <algorithm>
#include <cstring>

namespace spyglass {

namespace {

const EmojiEntry* find(QStringView marker)
{
    // Every name in the table is ASCII: anything else is not in it.
    for (QChar c : marker)
        if (c.unicode() >= 0x80)
            return nullptr;
    const QByteArray key = marker.toLatin1();
    const std::span<const EmojiEntry> table = emojiTable();
    const auto it = std::lower_bound(table.begin(), table.end(), key,
                                     [](const EmojiEntry& e, const QByteArray& k) {
                                         return std::strcmp(e.name, k.constData()) < 0;
                                     });
    if (it == table.end() || key != it->name)
        return nullptr;
    return &*it;
}

} // namespace

bool FlowMarker::isValid(QStringView marker)
{
    return find(marker) != nullptr;
}

QString FlowMarker::symbol(QStringView marker)
{
    if (marker.isEmpty())
        return {};
    if (const EmojiEntry* e = find(marker))
        return QString::fromUtf8(e->symbol);
    return defaultSymbol.toString();
}

QStringList FlowMarker::all()
{
    QStringList out;
    out.reserve(qsizetype(emojiTable().size()));
    for (const EmojiEntry& e : emojiTable())
        out.append(QString::fromLatin1(e.name));
    return out;
}

} // namespace spyglass

#pragma once
// Colour marks drawn as dots. The coloured-circle markers (":red_circle:", ":green_circle:", ...
// and ":default:", which mitmproxy draws as a red "●") are what people use to sort flows by
// colour, as in Charles and Proxyman; drawn as an icon they look the same on every system,
// including those without a colour emoji font, where the emoji would be an empty box. Other
// markers stay text (FlowMarker::symbol).

#include <QColor>
#include <QIcon>
#include <QStringView>

namespace spyglass {

class MarkerIcon
{
public:
    // The colour of a circle marker; invalid for any other marker.
    static QColor colour(QStringView marker);
    // A filled dot of that colour (cached); a null icon for other markers.
    static QIcon icon(QStringView marker);
};

} // namespace spyglass

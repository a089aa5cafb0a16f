#include "marker_icon.h"

#include <QHash>
#include <QPainter>
#include <QPixmap>

namespace spyglass {

QColor MarkerIcon::colour(QStringView marker)
{
    struct Entry
    {
        QStringView marker;
        QRgb rgb;
    };
    // The colours of the emoji (Noto's), so a dot and the emoji look alike.
    static constexpr Entry circles[] = {
        {u":default:", 0xe53935},       {u":red_circle:", 0xe53935},
        {u":orange_circle:", 0xfb8c00}, {u":yellow_circle:", 0xfdd835},
        {u":green_circle:", 0x43a047},  {u":large_blue_circle:", 0x1e88e5},
        {u":blue_circle:", 0x1e88e5},   {u":purple_circle:", 0x8e24aa},
        {u":brown_circle:", 0x795548},  {u":black_circle:", 0x212121},
        {u":white_circle:", 0xfafafa},
    };
    for (const Entry& e : circles)
        if (e.marker == marker)
            return QColor::fromRgb(e.rgb);
    return QColor();
}

QIcon MarkerIcon::icon(QStringView marker)
{
    const QColor c = colour(marker);
    if (!c.isValid())
        return QIcon();
    static QHash<QRgb, QIcon> cache;
    if (const auto it = cache.constFind(c.rgb()); it != cache.constEnd())
        return *it;
    QIcon icon;
    for (int size : {16, 32}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(QPen(c.darker(140), size / 16.0));
        p.setBrush(c);
        const double m = size * 0.18;
        p.drawEllipse(QRectF(m, m, size - 2 * m, size - 2 * m));
        p.end();
        icon.addPixmap(pixmap);
    }
    cache.insert(c.rgb(), icon);
    return icon;
}

} // namespace spyglass

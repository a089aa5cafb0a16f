#include "content_type_icon.h"

#include <QFont>
#include <QGuiApplication>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

#include <array>

namespace spyglass {

namespace {

bool startsWith(QByteArrayView s, const char* prefix)
{
    return s.startsWith(QByteArrayView(prefix));
}

bool contains(QByteArrayView s, const char* part)
{
    return s.indexOf(QByteArrayView(part)) >= 0;
}

struct Badge
{
    const char* label;
    QRgb colour;
};

// Label and colour per kind, in Kind's order (None has none).
constexpr std::array<Badge, 13> badges{{
    {"", 0},
    {"{}", 0xff2e7d32},     // Json: green
    {"<>", 0xffe65100},     // Html: orange
    {"JS", 0xfff9a825},     // Script: yellow
    {"#", 0xff1565c0},      // Style: blue
    {"", 0xff6a1b9a},       // Image: purple, a drawn picture
    {"Aa", 0xff4e342e},     // Font: brown
    {"</", 0xff00838f},     // Xml: teal
    {"T", 0xff546e7a},      // Text: grey-blue
    {"\u25B6", 0xffad1457}, // Media: magenta, a play sign
    {"01", 0xff616161},     // Binary: grey
    {"WS", 0xff283593},     // WebSocket: indigo
    {"TCP", 0xff37474f},    // Tcp: slate
}};

QPixmap draw(ContentTypeIcon::Kind kind, int size)
{
    const Badge& b = badges[size_t(kind)];
    QPixmap pm(size, size);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF r(0.5, 0.5, size - 1.0, size - 1.0);
    p.setPen(Qt::NoPen);
    p.setBrush(QColor::fromRgba(b.colour));
    p.drawRoundedRect(r, size / 5.0, size / 5.0);
    p.setPen(Qt::white);
    p.setBrush(Qt::white);
    if (kind == ContentTypeIcon::Kind::Image) {
        // A sun and a mountain.
        p.drawEllipse(QPointF(size * 0.68, size * 0.32), size * 0.11, size * 0.11);
        QPainterPath hill;
        hill.moveTo(size * 0.15, size * 0.82);
        hill.lineTo(size * 0.42, size * 0.42);
        hill.lineTo(size * 0.62, size * 0.68);
        hill.lineTo(size * 0.72, size * 0.56);
        hill.lineTo(size * 0.88, size * 0.82);
        hill.closeSubpath();
        p.drawPath(hill);
        return pm;
    }
    QFont f = QGuiApplication::font();
    f.setBold(true);
    const QString label = QString::fromUtf8(b.label);
    f.setPixelSize(label.size() >= 3 ? size * 4 / 11 : size / 2);
    p.setFont(f);
    p.drawText(r, Qt::AlignCenter, label);
    return pm;
}

} // namespace

ContentTypeIcon::Kind ContentTypeIcon::kindOf(QByteArrayView contentType)
{
    const qsizetype semi = contentType.indexOf(';');
    const QByteArray t =
        (semi < 0 ? contentType : contentType.first(semi)).trimmed().toByteArray().toLower();
    if (t.isEmpty())
        return Kind::None;
    if (t.endsWith("json") || t.endsWith("+json") || contains(t, "ndjson"))
        return Kind::Json;
    if (t == "text/html" || t == "application/xhtml+xml")
        return Kind::Html;
    if (contains(t, "javascript") || contains(t, "ecmascript") || t == "application/wasm")
        return Kind::Script;
    if (t == "text/css")
        return Kind::Style;
    if (startsWith(t, "image/"))
        return Kind::Image;
    if (startsWith(t, "font/") || contains(t, "font-") || contains(t, "opentype"))
        return Kind::Font;
    if (t.endsWith("xml") || t.endsWith("+xml"))
        return Kind::Xml;
    if (startsWith(t, "text/") || t == "application/x-www-form-urlencoded")
        return Kind::Text;
    if (startsWith(t, "audio/") || startsWith(t, "video/") || contains(t, "mpegurl") ||
        contains(t, "dash+"))
        return Kind::Media;
    return Kind::Binary;
}

QIcon ContentTypeIcon::icon(Kind kind)
{
    if (kind == Kind::None)
        return {};
    static std::array<QIcon, badges.size()> cache;
    QIcon& icon = cache[size_t(kind)];
    if (icon.isNull()) {
        icon.addPixmap(draw(kind, 16));
        icon.addPixmap(draw(kind, 32));
    }
    return icon;
}

} // namespace spyglass

#pragma once
// The flow list's icon by content type (issue 6, as Charles and HTTP Toolkit show one): a small
// coloured badge per kind of body (JSON, HTML, script, style, image, font, XML, text, media,
// binary), plus WebSocket and TCP flows, so a list of thousands can be scanned by eye. The
// badges are drawn, not themed icons: freedesktop MIME icons exist only on some Linux desktops,
// and the list must look the same on each system.

#include <QByteArrayView>
#include <QIcon>

namespace spyglass {

class ContentTypeIcon
{
public:
    enum class Kind : quint8
    {
        None, // no response, or no Content-Type
        Json,
        Html,
        Script,
        Style,
        Image,
        Font,
        Xml,
        Text,
        Media,
        Binary,
        WebSocket,
        Tcp,
    };

    // From a Content-Type value as it travelled (parameters and case ignored).
    static Kind kindOf(QByteArrayView contentType);
    // A null icon for Kind::None; otherwise one icon per kind, made once (GUI thread only).
    static QIcon icon(Kind kind);
};

} // namespace spyglass

#pragma once
// One side of an exchange in the detail pane: the start line and header fields, then the body
// as text or as a hex dump. A body with a Content-Encoding the engine knows (gzip, deflate,
// br, zstd) is shown decoded, as browsers' developer tools do.
//
// Limits, so that a 100 MB download does not freeze the window: text shows the first 2 MiB,
// hex the first 256 KiB, decoding stops at 16 MiB; the view says when it cut.

#include <QByteArray>
#include <QWidget>

class QComboBox;
class QLabel;
class QPlainTextEdit;

namespace spyglass {

class Headers;
struct BodyInfo;

class MessageView : public QWidget
{
    Q_OBJECT
public:
    enum class BodyMode
    {
        Text,
        Hex
    };

    explicit MessageView(QWidget* parent = nullptr);

    void setMessage(const QString& startLine, const Headers& headers, const BodyInfo& body);
    // No message (a request without a response yet): shows `note` instead.
    void showNote(const QString& note);

    void setBodyMode(BodyMode mode);
    BodyMode bodyMode() const;
    QString headersText() const;
    QString bodyText() const;

    // The first `limit` bytes of `data` as lines of "offset  16 hex bytes  ASCII".
    static QString hexDump(QByteArrayView data, qsizetype limit);

private:
    void showBody();

    QPlainTextEdit* m_headers;
    QComboBox* m_mode;
    QLabel* m_bodyInfo;
    QPlainTextEdit* m_body;
    QByteArray m_bodyBytes; // decoded when possible
    QString m_bodyNote;
};

} // namespace spyglass

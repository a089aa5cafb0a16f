#pragma once
// One side of an exchange in the detail pane: the start line and header fields, then the body
// (BodyView: content views, search). A body with a Content-Encoding the engine knows (gzip,
// deflate, br, zstd) is shown decoded, the note saying so; decoding stops at 16 MiB.

#include <QByteArray>
#include <QWidget>

class QPlainTextEdit;

namespace spyglass {

class BodyView;
class Headers;
struct BodyInfo;

class MessageView : public QWidget
{
    Q_OBJECT
public:
    explicit MessageView(QWidget* parent = nullptr);

    // `query` is the request URL's query string (for the Query view); empty for responses.
    void setMessage(const QString& startLine, const Headers& headers, const BodyInfo& body,
                    const QByteArray& query = {});
    // No message (a request without a response yet): shows `note` instead.
    void showNote(const QString& note);

    QString headersText() const;
    QString bodyText() const;
    BodyView* body() const { return m_body; }

private:
    QPlainTextEdit* m_headers;
    BodyView* m_body;
};

} // namespace spyglass

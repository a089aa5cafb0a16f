#pragma once
// One side of an exchange in the detail pane: the start line and header fields, then the body
// through a content view (content_view.h): Auto picks the best fit (JSON pretty-printed for
// application/json and +json, markup, forms, multipart, query, images), and a selector offers
// every view that fits, Raw and Hex always. A body with a Content-Encoding the engine knows
// (gzip, deflate, br, zstd) is shown decoded, the note saying so; a search field (Ctrl+F)
// finds text in the body.
//
// Limits, so that a 100 MB download does not freeze the window: text views use the first
// 2 MiB, hex the first 256 KiB, decoding stops at 16 MiB; the note says when it cut.

#include "content_view.h"

#include <QByteArray>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QScrollArea;
class QStackedWidget;

namespace spyglass {

class Headers;
class JsonTreeView;
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

    // The views offered for the current body (best first), and the one shown. Auto is
    // selected after every setMessage.
    QList<ContentView::Id> availableViews() const { return m_views; }
    ContentView::Id currentView() const;
    void setView(ContentView::Id id); // ignored when not available
    void setAuto();

    QString headersText() const;
    // What the text views show (empty while the image or the tree is shown).
    QString bodyText() const;
    QString bodyNote() const;
    JsonTreeView* jsonTree() const { return m_tree; }
    // Selects the next match of `text` after the cursor (wrapping); false when there is none.
    bool findInBody(const QString& text, bool backwards = false);

private:
    void fillSelector();
    void showBody();
    void markSearch(bool found);

    QPlainTextEdit* m_headers;
    QComboBox* m_selector;
    QLabel* m_bodyInfo;
    QLineEdit* m_search;
    QStackedWidget* m_stack;
    QPlainTextEdit* m_body;
    JsonTreeView* m_tree;
    QScrollArea* m_imageArea;
    QLabel* m_image;

    ContentInput m_input; // body decoded when possible
    QList<ContentView::Id> m_views;
    QString m_bodyNote;
    bool m_hasBody = false;
};

} // namespace spyglass

#pragma once
// A body through a content view (content_view.h): Auto picks the best fit (JSON pretty-printed
// for application/json and +json, markup, forms, multipart, query, images), and a selector
// offers every view that fits, Raw and Hex always. A search field (Ctrl+F) finds text. Used
// for request and response bodies (MessageView) and for WebSocket and TCP messages
// (MessagesView).
//
// Limits, so that a 100 MB download does not freeze the window: text views use the first
// 2 MiB, hex the first 256 KiB; the note says when it cut.

#include "content_view.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QScrollArea;
class QStackedWidget;

namespace spyglass {

class JsonTreeView;

class BodyView : public QWidget
{
    Q_OBJECT
public:
    explicit BodyView(QWidget* parent = nullptr);

    // `note` describes the body (size, encoding); the view adds what it made of it. A body
    // that was not recorded or is empty: `hasBody` false, the note alone is shown.
    void setBody(const ContentInput& input, const QString& note, bool hasBody = true);
    void clear(const QString& note = {});

    // The views offered for the current body (best first), and the one shown. Auto is
    // selected after every setBody.
    QList<ContentView::Id> availableViews() const { return m_views; }
    ContentView::Id currentView() const;
    void setView(ContentView::Id id); // ignored when not available
    void setAuto();

    // What the text views show (empty while the image or the tree is shown).
    QString text() const;
    QString note() const;
    JsonTreeView* jsonTree() const { return m_tree; }
    // Selects the next match of `text` after the cursor (wrapping); false when there is none.
    bool find(const QString& text, bool backwards = false);

private:
    void fillSelector();
    void render();
    void markSearch(bool found);

    QComboBox* m_selector;
    QLabel* m_info;
    QLineEdit* m_search;
    QStackedWidget* m_stack;
    QPlainTextEdit* m_text;
    JsonTreeView* m_tree;
    QScrollArea* m_imageArea;
    QLabel* m_image;

    ContentInput m_input;
    QList<ContentView::Id> m_views;
    QString m_note;
    bool m_hasBody = false;
};

} // namespace spyglass

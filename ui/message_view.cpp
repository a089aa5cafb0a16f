#include "message_view.h"

#include "flow/headers.h"
#include "flow/http_message.h"
#include "io/content_coding.h"
#include "json_tree_view.h"

#include <QAction>
#include <QComboBox>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QShortcut>
#include <QSplitter>
#include <QStackedWidget>
#include <QTextCursor>
#include <QTextDocument>
#include <QVBoxLayout>

namespace spyglass {

namespace {

constexpr qsizetype TextLimit = 2 * 1024 * 1024;
constexpr qsizetype HexLimit = 256 * 1024;
constexpr qint64 DecodeLimit = 16 * 1024 * 1024;

QPlainTextEdit* makeTextView(QWidget* parent)
{
    auto* view = new QPlainTextEdit(parent);
    view->setReadOnly(true);
    view->setLineWrapMode(QPlainTextEdit::NoWrap);
    view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return view;
}

QString sizeText(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

constexpr int AutoItem = -1; // the selector's data for "Auto"

} // namespace

MessageView::MessageView(QWidget* parent) : QWidget(parent)
{
    m_headers = makeTextView(this);
    m_body = makeTextView(this);
    m_tree = new JsonTreeView(this);
    m_image = new QLabel(this);
    m_image->setAlignment(Qt::AlignCenter);
    m_imageArea = new QScrollArea(this);
    m_imageArea->setWidget(m_image);
    m_imageArea->setWidgetResizable(true);
    m_imageArea->setBackgroundRole(QPalette::Dark);
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_body);
    m_stack->addWidget(m_tree);
    m_stack->addWidget(m_imageArea);

    m_selector = new QComboBox(this);
    m_selector->setToolTip(tr("How to show the body: Auto picks the view that fits the content"));
    m_selector->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_bodyInfo = new QLabel(this);
    m_bodyInfo->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Search in body (Ctrl+F)"));
    m_search->setToolTip(tr("Enter: next match, Shift+Enter: previous match"));
    m_search->setClearButtonEnabled(true);
    m_search->setMaximumWidth(240);

    auto* bodyPane = new QWidget(this);
    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(new QLabel(tr("Body:"), bodyPane));
    bar->addWidget(m_selector);
    bar->addWidget(m_bodyInfo, 1);
    bar->addWidget(m_search);
    auto* bodyLayout = new QVBoxLayout(bodyPane);
    bodyLayout->setContentsMargins(0, 0, 0, 0);
    bodyLayout->addLayout(bar);
    bodyLayout->addWidget(m_stack);

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_headers);
    split->addWidget(bodyPane);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    connect(m_selector, &QComboBox::currentIndexChanged, this, &MessageView::showBody);
    auto* find = new QShortcut(QKeySequence::Find, this);
    find->setContext(Qt::WidgetWithChildrenShortcut);
    connect(find, &QShortcut::activated, this, [this] {
        m_search->setFocus();
        m_search->selectAll();
    });
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        const bool back = QGuiApplication::keyboardModifiers().testFlag(Qt::ShiftModifier);
        findInBody(m_search->text(), back);
    });
    connect(m_search, &QLineEdit::textChanged, this, [this] { markSearch(true); });
    m_selector->addItem(tr("Auto"), AutoItem);
}

void MessageView::setMessage(const QString& startLine, const Headers& headers, const BodyInfo& body,
                             const QByteArray& query)
{
    QString head = startLine + QLatin1Char('\n');
    for (const Headers::Field& f : headers.fields())
        head += QString::fromUtf8(f.first) + QStringLiteral(": ") + QString::fromUtf8(f.second) +
                QLatin1Char('\n');
    m_headers->setPlainText(head);

    m_hasBody = true;
    m_input.data = body.content;
    m_input.contentType = headers.value("content-type");
    m_input.query = query;
    if (body.streamed) {
        m_bodyNote = tr("streamed, %1, not recorded").arg(sizeText(body.size));
    } else if (body.content.isEmpty()) {
        m_bodyNote = tr("no body");
    } else {
        m_bodyNote = sizeText(body.content.size());
        const QList<QByteArray> codings = ContentCoding::parse(headers.joined("content-encoding"));
        if (!codings.isEmpty()) {
            const QString names = QString::fromLatin1(codings.join(", "));
            if (auto decoded = ContentCoding::decode(codings, body.content, DecodeLimit)) {
                m_input.data = *decoded;
                m_bodyNote = tr("%1, decoded from %2 (%3)")
                                 .arg(sizeText(m_input.data.size()), names, m_bodyNote);
            } else {
                m_bodyNote = tr("%1 as received: %2 could not be decoded").arg(m_bodyNote, names);
            }
        }
    }
    fillSelector();
    showBody();
}

void MessageView::showNote(const QString& note)
{
    m_headers->setPlainText(note);
    m_hasBody = false;
    m_input = ContentInput{};
    m_bodyNote.clear();
    fillSelector();
    showBody();
}

void MessageView::fillSelector()
{
    m_views = ContentView::applicable(m_input);
    const QSignalBlocker block(m_selector);
    m_selector->clear();
    m_selector->addItem(tr("Auto (%1)").arg(ContentView::name(ContentView::best(m_input))),
                        AutoItem);
    for (const ContentView::Id id : m_views)
        m_selector->addItem(ContentView::name(id), int(id));
    m_selector->setCurrentIndex(0);
    m_selector->setEnabled(m_hasBody && !m_input.data.isEmpty());
}

ContentView::Id MessageView::currentView() const
{
    const int data = m_selector->currentData().toInt();
    return data == AutoItem ? ContentView::best(m_input) : ContentView::Id(data);
}

void MessageView::setView(ContentView::Id id)
{
    const int index = m_selector->findData(int(id));
    if (index >= 0)
        m_selector->setCurrentIndex(index);
}

void MessageView::setAuto()
{
    m_selector->setCurrentIndex(0);
}

QString MessageView::headersText() const
{
    return m_headers->toPlainText();
}

QString MessageView::bodyText() const
{
    return m_stack->currentWidget() == m_body ? m_body->toPlainText() : QString();
}

QString MessageView::bodyNote() const
{
    return m_bodyInfo->text();
}

void MessageView::showBody()
{
    markSearch(true);
    if (!m_hasBody || m_input.data.isEmpty()) {
        m_bodyInfo->setText(m_bodyNote);
        m_body->clear();
        m_stack->setCurrentWidget(m_body);
        return;
    }
    const ContentView::Id id = currentView();
    const qsizetype limit = id == ContentView::Id::Hex ? HexLimit : TextLimit;
    ContentOutput out = ContentView::render(id, m_input, limit);
    QStringList notes{m_bodyNote};
    if (!out.note.isEmpty())
        notes.append(out.note);

    if (id == ContentView::Id::JsonTree && !out.failed) {
        QString error;
        if (m_tree->setJson(QByteArrayView(m_input.data).first(qMin(m_input.data.size(), limit)),
                            &error)) {
            if (out.cut)
                notes.append(tr("the first %1").arg(sizeText(limit)));
            m_bodyInfo->setText(notes.join(QStringLiteral("; ")));
            m_stack->setCurrentWidget(m_tree);
            return;
        }
        notes.append(tr("not a complete JSON document (%1), shown as text").arg(error));
    }
    if (id == ContentView::Id::Image && !out.failed) {
        m_image->setPixmap(QPixmap::fromImage(out.image));
        m_bodyInfo->setText(notes.join(QStringLiteral("; ")));
        m_stack->setCurrentWidget(m_imageArea);
        return;
    }
    if (out.cut)
        notes.append(tr("showing the first %1").arg(sizeText(limit)));
    m_bodyInfo->setText(notes.join(QStringLiteral("; ")));
    m_body->setPlainText(out.text);
    m_stack->setCurrentWidget(m_body);
}

void MessageView::markSearch(bool found)
{
    QPalette palette = m_search->parentWidget()->palette();
    if (!found) // readable on light and dark backgrounds alike
        palette.setColor(QPalette::Text, QColor(0xd0, 0x40, 0x40));
    m_search->setPalette(palette);
}

bool MessageView::findInBody(const QString& text, bool backwards)
{
    if (text.isEmpty())
        return false;
    if (m_stack->currentWidget() == m_tree) {
        const auto hits = m_tree->findItems(text, Qt::MatchContains | Qt::MatchRecursive, 1) +
                          m_tree->findItems(text, Qt::MatchContains | Qt::MatchRecursive, 0);
        if (hits.isEmpty()) {
            markSearch(false);
            return false;
        }
        m_tree->setCurrentItem(hits.first());
        m_tree->scrollToItem(hits.first());
        return true;
    }
    const QTextDocument::FindFlags flags =
        backwards ? QTextDocument::FindBackward : QTextDocument::FindFlags();
    if (m_body->find(text, flags))
        return true;
    // Wrap around once.
    QTextCursor cursor = m_body->textCursor();
    cursor.movePosition(backwards ? QTextCursor::End : QTextCursor::Start);
    m_body->setTextCursor(cursor);
    if (m_body->find(text, flags))
        return true;
    markSearch(false);
    return false;
}

} // namespace spyglass

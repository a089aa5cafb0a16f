#include "body_view.h"

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

BodyView::BodyView(QWidget* parent) : QWidget(parent)
{
    m_text = makeTextView(this);
    m_tree = new JsonTreeView(this);
    m_image = new QLabel(this);
    m_image->setAlignment(Qt::AlignCenter);
    m_imageArea = new QScrollArea(this);
    m_imageArea->setWidget(m_image);
    m_imageArea->setWidgetResizable(true);
    m_imageArea->setBackgroundRole(QPalette::Dark);
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_text);
    m_stack->addWidget(m_tree);
    m_stack->addWidget(m_imageArea);

    m_selector = new QComboBox(this);
    m_selector->setToolTip(tr("How to show the body: Auto picks the view that fits the content"));
    m_selector->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_info = new QLabel(this);
    m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Search in body (Ctrl+F)"));
    m_search->setToolTip(tr("Enter: next match, Shift+Enter: previous match"));
    m_search->setClearButtonEnabled(true);
    m_search->setMaximumWidth(240);

    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(new QLabel(tr("Body:"), this));
    bar->addWidget(m_selector);
    bar->addWidget(m_info, 1);
    bar->addWidget(m_search);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_stack);

    connect(m_selector, &QComboBox::currentIndexChanged, this, &BodyView::render);
    auto* find = new QShortcut(QKeySequence::Find, this);
    find->setContext(Qt::WidgetWithChildrenShortcut);
    connect(find, &QShortcut::activated, this, [this] {
        m_search->setFocus();
        m_search->selectAll();
    });
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        const bool back = QGuiApplication::keyboardModifiers().testFlag(Qt::ShiftModifier);
        this->find(m_search->text(), back);
    });
    connect(m_search, &QLineEdit::textChanged, this, [this] { markSearch(true); });
    clear();
}

void BodyView::setBody(const ContentInput& input, const QString& note, bool hasBody)
{
    m_input = input;
    m_note = note;
    m_hasBody = hasBody;
    fillSelector();
    render();
}

void BodyView::clear(const QString& note)
{
    setBody(ContentInput{}, note, false);
}

void BodyView::fillSelector()
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

ContentView::Id BodyView::currentView() const
{
    const int data = m_selector->currentData().toInt();
    return data == AutoItem ? ContentView::best(m_input) : ContentView::Id(data);
}

void BodyView::setView(ContentView::Id id)
{
    const int index = m_selector->findData(int(id));
    if (index >= 0)
        m_selector->setCurrentIndex(index);
}

void BodyView::setAuto()
{
    m_selector->setCurrentIndex(0);
}

QString BodyView::text() const
{
    return m_stack->currentWidget() == m_text ? m_text->toPlainText() : QString();
}

QString BodyView::note() const
{
    return m_info->text();
}

void BodyView::render()
{
    markSearch(true);
    if (!m_hasBody || m_input.data.isEmpty()) {
        m_info->setText(m_note);
        m_text->clear();
        m_stack->setCurrentWidget(m_text);
        return;
    }
    const ContentView::Id id = currentView();
    const qsizetype limit = id == ContentView::Id::Hex ? HexLimit : TextLimit;
    ContentOutput out = ContentView::render(id, m_input, limit);
    QStringList notes{m_note};
    if (!out.note.isEmpty())
        notes.append(out.note);

    if (id == ContentView::Id::JsonTree && !out.failed) {
        QString error;
        if (m_tree->setJson(QByteArrayView(m_input.data).first(qMin(m_input.data.size(), limit)),
                            &error)) {
            if (out.cut)
                notes.append(tr("the first %1").arg(sizeText(limit)));
            m_info->setText(notes.join(QStringLiteral("; ")));
            m_stack->setCurrentWidget(m_tree);
            return;
        }
        notes.append(tr("not a complete JSON document (%1), shown as text").arg(error));
    }
    if (id == ContentView::Id::Image && !out.failed) {
        m_image->setPixmap(QPixmap::fromImage(out.image));
        m_info->setText(notes.join(QStringLiteral("; ")));
        m_stack->setCurrentWidget(m_imageArea);
        return;
    }
    if (out.cut)
        notes.append(tr("showing the first %1").arg(sizeText(limit)));
    m_info->setText(notes.join(QStringLiteral("; ")));
    m_text->setPlainText(out.text);
    m_stack->setCurrentWidget(m_text);
}

void BodyView::markSearch(bool found)
{
    QPalette palette = m_search->parentWidget()->palette();
    if (!found) // readable on light and dark backgrounds alike
        palette.setColor(QPalette::Text, QColor(0xd0, 0x40, 0x40));
    m_search->setPalette(palette);
}

bool BodyView::find(const QString& text, bool backwards)
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
    if (m_text->find(text, flags))
        return true;
    // Wrap around once.
    QTextCursor cursor = m_text->textCursor();
    cursor.movePosition(backwards ? QTextCursor::End : QTextCursor::Start);
    m_text->setTextCursor(cursor);
    if (m_text->find(text, flags))
        return true;
    markSearch(false);
    return false;
}

} // namespace spyglass

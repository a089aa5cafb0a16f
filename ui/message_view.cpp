#include "message_view.h"

#include "flow/headers.h"
#include "flow/http_message.h"
#include "io/content_coding.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QSplitter>
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

} // namespace

MessageView::MessageView(QWidget* parent) : QWidget(parent)
{
    m_headers = makeTextView(this);
    m_body = makeTextView(this);
    m_mode = new QComboBox(this);
    m_mode->addItem(tr("Text"));
    m_mode->addItem(tr("Hex"));
    m_mode->setToolTip(tr("Show the body as text or as a hex dump"));
    m_bodyInfo = new QLabel(this);

    auto* bodyPane = new QWidget(this);
    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(new QLabel(tr("Body:"), bodyPane));
    bar->addWidget(m_mode);
    bar->addWidget(m_bodyInfo, 1);
    auto* bodyLayout = new QVBoxLayout(bodyPane);
    bodyLayout->setContentsMargins(0, 0, 0, 0);
    bodyLayout->addLayout(bar);
    bodyLayout->addWidget(m_body);

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_headers);
    split->addWidget(bodyPane);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    connect(m_mode, &QComboBox::currentIndexChanged, this, &MessageView::showBody);
}

void MessageView::setMessage(const QString& startLine, const Headers& headers, const BodyInfo& body)
{
    QString head = startLine + QLatin1Char('\n');
    for (const Headers::Field& f : headers.fields())
        head += QString::fromUtf8(f.first) + QStringLiteral(": ") + QString::fromUtf8(f.second) +
                QLatin1Char('\n');
    m_headers->setPlainText(head);

    m_bodyBytes = body.content;
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
                m_bodyBytes = *decoded;
                m_bodyNote = tr("%1, decoded from %2 (%3)")
                                 .arg(sizeText(m_bodyBytes.size()), names, m_bodyNote);
            } else {
                m_bodyNote = tr("%1 as received: %2 could not be decoded").arg(m_bodyNote, names);
            }
        }
    }
    showBody();
}

void MessageView::showNote(const QString& note)
{
    m_headers->setPlainText(note);
    m_bodyBytes.clear();
    m_bodyNote.clear();
    showBody();
}

void MessageView::setBodyMode(BodyMode mode)
{
    m_mode->setCurrentIndex(mode == BodyMode::Hex ? 1 : 0);
}

MessageView::BodyMode MessageView::bodyMode() const
{
    return m_mode->currentIndex() == 1 ? BodyMode::Hex : BodyMode::Text;
}

QString MessageView::headersText() const
{
    return m_headers->toPlainText();
}

QString MessageView::bodyText() const
{
    return m_body->toPlainText();
}

void MessageView::showBody()
{
    const qsizetype limit = bodyMode() == BodyMode::Hex ? HexLimit : TextLimit;
    QString note = m_bodyNote;
    if (m_bodyBytes.size() > limit)
        note += tr("; showing the first %1").arg(sizeText(limit));
    m_bodyInfo->setText(note);
    if (bodyMode() == BodyMode::Hex)
        m_body->setPlainText(hexDump(m_bodyBytes, limit));
    else
        m_body->setPlainText(
            QString::fromUtf8(m_bodyBytes.constData(), qMin(m_bodyBytes.size(), limit)));
}

QString MessageView::hexDump(QByteArrayView data, qsizetype limit)
{
    static const char digits[] = "0123456789abcdef";
    const qsizetype n = qMin(data.size(), limit);
    QString out;
    out.reserve((n / 16 + 1) * 78);
    for (qsizetype line = 0; line < n; line += 16) {
        out += QStringLiteral("%1  ").arg(line, 8, 16, QLatin1Char('0'));
        for (qsizetype i = 0; i < 16; ++i) {
            if (line + i < n) {
                const auto b = uchar(data[line + i]);
                out += QLatin1Char(digits[b >> 4]);
                out += QLatin1Char(digits[b & 15]);
                out += QLatin1Char(' ');
            } else {
                out += QStringLiteral("   ");
            }
            if (i == 7)
                out += QLatin1Char(' ');
        }
        out += QLatin1Char(' ');
        for (qsizetype i = 0; i < 16 && line + i < n; ++i) {
            const auto b = uchar(data[line + i]);
            out += (b >= 0x20 && b < 0x7f) ? QLatin1Char(char(b)) : QLatin1Char('.');
        }
        out += QLatin1Char('\n');
    }
    return out;
}

} // namespace spyglass

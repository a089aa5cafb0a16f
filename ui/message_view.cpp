#include "message_view.h"

#include "body_view.h"
#include "flow/headers.h"
#include "flow/http_message.h"
#include "io/content_coding.h"

#include <QFontDatabase>
#include <QLocale>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QVBoxLayout>

namespace spyglass {

namespace {

constexpr qint64 DecodeLimit = 16 * 1024 * 1024;

QString sizeText(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

} // namespace

MessageView::MessageView(QWidget* parent) : QWidget(parent)
{
    m_headers = new QPlainTextEdit(this);
    m_headers->setReadOnly(true);
    m_headers->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_headers->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_body = new BodyView(this);

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_headers);
    split->addWidget(m_body);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);
}

void MessageView::setMessage(const QString& startLine, const Headers& headers, const BodyInfo& body,
                             const QByteArray& query)
{
    QString head = startLine + QLatin1Char('\n');
    for (const Headers::Field& f : headers.fields())
        head += QString::fromUtf8(f.first) + QStringLiteral(": ") + QString::fromUtf8(f.second) +
                QLatin1Char('\n');
    m_headers->setPlainText(head);

    ContentInput input{body.content, headers.value("content-type"), query};
    QString note;
    if (body.streamed) {
        note = tr("streamed, %1, not recorded").arg(sizeText(body.size));
    } else if (body.content.isEmpty()) {
        note = tr("no body");
    } else {
        note = sizeText(body.content.size());
        const QList<QByteArray> codings = ContentCoding::parse(headers.joined("content-encoding"));
        if (!codings.isEmpty()) {
            const QString names = QString::fromLatin1(codings.join(", "));
            if (auto decoded = ContentCoding::decode(codings, body.content, DecodeLimit)) {
                input.data = *decoded;
                note = tr("%1, decoded from %2 (%3)").arg(sizeText(input.data.size()), names, note);
            } else {
                note = tr("%1 as received: %2 could not be decoded").arg(note, names);
            }
        }
    }
    m_body->setBody(input, note, !body.streamed);
}

void MessageView::showNote(const QString& note)
{
    m_headers->setPlainText(note);
    m_body->clear();
}

QString MessageView::headersText() const
{
    return m_headers->toPlainText();
}

QString MessageView::bodyText() const
{
    return m_body->text();
}

} // namespace spyglass

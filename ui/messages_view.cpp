#include "messages_view.h"

#include "body_view.h"
#include "messages_model.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace spyglass {

namespace {

QString closeCodeName(int code)
{
    switch (code) {
    case 1000:
        return MessagesView::tr("normal");
    case 1001:
        return MessagesView::tr("going away");
    case 1002:
        return MessagesView::tr("protocol error");
    case 1003:
        return MessagesView::tr("unsupported data");
    case 1006:
        return MessagesView::tr("no close frame");
    case 1007:
        return MessagesView::tr("invalid data");
    case 1008:
        return MessagesView::tr("policy violation");
    case 1009:
        return MessagesView::tr("message too big");
    case 1011:
        return MessagesView::tr("server error");
    default:
        return QString();
    }
}

} // namespace

MessagesView::MessagesView(bool websocket, QWidget* parent)
    : QWidget(parent), m_websocket(websocket), m_model(new MessagesModel(this))
{
    m_filter = new QLineEdit(this);
    m_filter->setPlaceholderText(tr("Filter messages by content"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setToolTip(tr("Shows only the messages that contain this text (case-insensitive)"));
    m_summary = new QLabel(this);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_table = new QTableView(this);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->setShowGrid(false);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_body = new BodyView(this);

    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_summary, 2);
    auto* top = new QWidget(this);
    auto* topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addLayout(bar);
    topLayout->addWidget(m_table);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(top);
    split->addWidget(m_body);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    connect(m_filter, &QLineEdit::textChanged, this, &MessagesView::setTextFilter);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &MessagesView::showSelected);
    connect(m_model, &QAbstractItemModel::modelReset, this, &MessagesView::showSelected);
}

void MessagesView::setFlow(const FlowSnapshot& flow)
{
    m_flow = flow;
    m_model->setFlow(flow, m_websocket);
    updateSummary();
    if (!m_table->currentIndex().isValid() && m_model->rowCount() > 0)
        selectMessage(0);
    else
        showSelected();
}

void MessagesView::setTextFilter(const QString& text)
{
    if (m_filter->text() != text)
        m_filter->setText(text); // comes back here through textChanged
    else
        m_model->setTextFilter(text);
    updateSummary();
}

void MessagesView::selectMessage(int row)
{
    m_table->setCurrentIndex(m_model->index(row, 0));
}

QString MessagesView::summary() const
{
    return m_summary->text();
}

void MessagesView::updateSummary()
{
    const qsizetype total = m_model->totalCount();
    QString text = m_model->rowCount() == total
                       ? tr("%n message(s)", nullptr, int(total))
                       : tr("%1 of %n message(s)", nullptr, int(total)).arg(m_model->rowCount());
    if (m_websocket && m_flow && m_flow->websocket && m_flow->websocket->closeCode) {
        const int code = *m_flow->websocket->closeCode;
        const QString name = closeCodeName(code);
        QString close = m_flow->websocket->closedByClient ? tr("closed by the client")
                                                          : tr("closed by the server");
        close +=
            QLatin1Char(' ') + (name.isEmpty() ? QString::number(code)
                                               : QStringLiteral("%1 (%2)").arg(code).arg(name));
        if (!m_flow->websocket->closeReason.isEmpty())
            close += QStringLiteral(": ") + m_flow->websocket->closeReason;
        text += QStringLiteral("; ") + close;
    } else if (!m_websocket && m_flow && m_flow->tcp) {
        const QLocale locale;
        text +=
            QStringLiteral("; ") + tr("%1 sent, %2 received")
                                       .arg(locale.formattedDataSize(m_flow->tcp->bytes(true)),
                                            locale.formattedDataSize(m_flow->tcp->bytes(false)));
        if (m_flow->tcp->timestampEnd > 0)
            text +=
                QStringLiteral("; ") + (m_flow->tcp->closedByClient ? tr("closed by the client")
                                                                    : tr("closed by the server"));
    }
    m_summary->setText(text);
}

void MessagesView::showSelected()
{
    const int row = m_table->currentIndex().row();
    if (row < 0) {
        m_body->clear(m_model->rowCount() ? tr("Select a message") : tr("No messages"));
        return;
    }
    const MessagesModel::Message m = m_model->message(row);
    ContentInput input;
    input.data = m.content;
    // Text frames are UTF-8 by definition; JSON is sniffed by the views.
    input.contentType = m.isText ? QByteArray("text/plain; charset=utf-8") : QByteArray();
    const QString note =
        QLocale().formattedDataSize(m.content.size(), 1, QLocale::DataSizeTraditionalFormat);
    m_body->setBody(input, note);
}

} // namespace spyglass

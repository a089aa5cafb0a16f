#include "flow_editor.h"

#include "message_editor.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

namespace spyglass {

FlowEditor::FlowEditor(const HttpFlow& flow, Parts parts, QWidget* parent)
    : QDialog(parent), m_original(flow), m_edited(flow), m_parts(parts)
{
    setWindowTitle(flow.request.host.isEmpty() ? tr("New request")
                                               : tr("Edit %1 %2")
                                                     .arg(QString::fromLatin1(flow.request.method),
                                                          QString::fromUtf8(flow.request.url())));
    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    m_requestEditor = new MessageEditor(m_tabs);
    m_requestEditor->setRequest(flow.request);
    m_tabs->addTab(m_requestEditor, tr("Request"));
    if (flow.response) {
        m_responseEditor = new MessageEditor(m_tabs);
        m_responseEditor->setResponse(*flow.response);
        m_tabs->addTab(m_responseEditor, tr("Response"));
    }
    // The part that cannot change is still shown, read as it is.
    if (parts == Parts::Response) {
        m_requestEditor->setEnabled(false);
        m_tabs->setTabToolTip(0, tr("Held at its response: the request was sent already"));
        if (m_responseEditor)
            m_tabs->setCurrentWidget(m_responseEditor);
    } else if (parts == Parts::Request && m_responseEditor) {
        m_responseEditor->setEnabled(false);
    }

    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    QPalette p = m_error->palette();
    p.setColor(QPalette::WindowText, QColor(0xd0, 0x40, 0x40)); // readable on light and dark
    m_error->setPalette(p);
    m_error->hide();

    m_buttons = new QDialogButtonBox(this);
    m_accept = m_buttons->addButton(tr("Save"), QDialogButtonBox::AcceptRole);
    m_accept->setDefault(true);
    QPushButton* cancel = m_buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setToolTip(tr("Close without changing the flow (Esc)"));
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_accept, &QPushButton::clicked, this, [this] {
        m_resend = false;
        accept();
    });

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    resize(920, 760);
}

void FlowEditor::setAcceptButton(const QString& text, const QString& toolTip)
{
    m_accept->setText(text);
    m_accept->setToolTip(toolTip);
}

void FlowEditor::setResendButton(const QString& text, const QString& toolTip)
{
    if (!m_resendButton) {
        m_resendButton = m_buttons->addButton(text, QDialogButtonBox::ActionRole);
        connect(m_resendButton, &QPushButton::clicked, this, [this] {
            m_resend = true;
            accept();
        });
    }
    m_resendButton->setText(text);
    m_resendButton->setToolTip(toolTip);
}

bool FlowEditor::buildFlow(HttpFlow* out, QString* error) const
{
    HttpFlow f = m_original;
    if (m_parts != Parts::Response) {
        std::optional<Request> r = m_requestEditor->request(error);
        if (!r) {
            *error = tr("Request: %1").arg(*error);
            return false;
        }
        f.request = std::move(*r);
    }
    if (m_parts != Parts::Request && m_responseEditor) {
        std::optional<Response> r = m_responseEditor->response(error);
        if (!r) {
            *error = tr("Response: %1").arg(*error);
            return false;
        }
        f.response = std::move(*r);
    }
    *out = std::move(f);
    return true;
}

void FlowEditor::accept()
{
    QString error;
    HttpFlow f;
    if (!buildFlow(&f, &error)) {
        m_error->setText(error);
        m_error->show();
        m_resend = false;
        return;
    }
    m_error->hide();
    m_edited = std::move(f);
    QDialog::accept();
}

} // namespace spyglass

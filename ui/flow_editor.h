#pragma once
// The flow editor dialog (Flow > Edit, e; Flow > New request, Ctrl+N): a MessageEditor for the
// request and one for the response, in tabs. Which of them can be changed depends on the flow:
// an intercepted flow only its held part (the engine takes the request when held at the
// request, the response when held at the response: ProxyEngine::replaceFlow), a finished flow
// both, a new request (the composer) only the request.
//
// The dialog only edits a copy: accept() checks the edits (a bad URL keeps it open with the
// reason shown) and keeps the result in editedFlow(); FlowActions (flow_actions.h) decides what
// to do with it. A second button, when enabled, accepts and asks for a resend as well
// (resendRequested()).

#include "flow/flow.h"

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QPushButton;
class QTabWidget;

namespace spyglass {

class MessageEditor;

class FlowEditor : public QDialog
{
    Q_OBJECT
public:
    enum class Parts
    {
        Request,
        Response,
        Both,
    };

    FlowEditor(const HttpFlow& flow, Parts parts, QWidget* parent = nullptr);

    const HttpFlow& original() const { return m_original; }
    // The flow with the edits once accepted (before that, the original).
    const HttpFlow& editedFlow() const { return m_edited; }
    // Builds the edited flow from the editors; false and a one-line reason on bad input.
    bool buildFlow(HttpFlow* out, QString* error) const;
    // Whether the dialog was accepted with the resend button.
    bool resendRequested() const { return m_resend; }

    // The accept button's text and tooltip ("Save", "Save and resume", "Add to list").
    void setAcceptButton(const QString& text, const QString& toolTip);
    // Adds the second button (none by default) with this text and tooltip.
    void setResendButton(const QString& text, const QString& toolTip);

    MessageEditor* requestEditor() const { return m_requestEditor; }
    MessageEditor* responseEditor() const { return m_responseEditor; } // null without one
    QTabWidget* tabs() const { return m_tabs; }
    QPushButton* acceptButton() const { return m_accept; }
    QPushButton* resendButton() const { return m_resendButton; } // null until set
    QLabel* errorLabel() const { return m_error; }

public Q_SLOTS:
    void accept() override;

private:
    HttpFlow m_original;
    HttpFlow m_edited;
    Parts m_parts;
    bool m_resend = false;
    QTabWidget* m_tabs;
    MessageEditor* m_requestEditor;
    MessageEditor* m_responseEditor = nullptr;
    QLabel* m_error;
    QDialogButtonBox* m_buttons;
    QPushButton* m_accept;
    QPushButton* m_resendButton = nullptr;
};

} // namespace spyglass

#include "flow_actions.h"

#include "flow_detail_view.h"
#include "flow_editor.h"
#include "flow_list_model.h"
#include "flow_table_model.h"
#include "flow_table_view.h"
#include "main_window.h"
#include "server/proxy_engine.h"

#include <QAction>
#include <QDateTime>
#include <QMenu>
#include <QStatusBar>

namespace spyglass {

FlowActions::FlowActions(ProxyEngine* engine, MainWindow* window)
    : QObject(window), m_engine(engine), m_window(window)
{
    m_edit = new QAction(tr("&Edit…"), this);
    m_edit->setShortcut(QKeySequence(Qt::Key_E));
    m_edit->setToolTip(tr("Edit the selected flow's request and response; an intercepted flow "
                          "goes on with the edit (e)"));
    connect(m_edit, &QAction::triggered, this, [this] {
        QString error;
        if (!editFlow(current(), &error))
            report(error, false);
    });

    m_revert = new QAction(tr("Re&vert changes"), this);
    m_revert->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_V));
    m_revert->setToolTip(tr("Bring back the selected flow as it was recorded (V)"));
    connect(m_revert, &QAction::triggered, this, [this] {
        QString error;
        const FlowSnapshot f = current();
        if (!f)
            report(tr("Select a flow first."), false);
        else if (!revert(f->id, &error))
            report(error, false);
    });

    m_duplicate = new QAction(tr("&Duplicate"), this);
    m_duplicate->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_D));
    m_duplicate->setToolTip(tr("Add a copy of the selected flow to the list (D)"));
    connect(m_duplicate, &QAction::triggered, this, [this] {
        QString error;
        if (duplicate(current(), &error).isNull())
            report(error, false);
    });

    m_newRequest = new QAction(tr("&New request…"), this);
    m_newRequest->setShortcut(QKeySequence::New);
    m_newRequest->setToolTip(
        tr("Compose a request from scratch (%1)")
            .arg(QKeySequence(QKeySequence::New).toString(QKeySequence::NativeText)));
    connect(m_newRequest, &QAction::triggered, this, [this] { newRequest(); });

    m_resend = new QAction(tr("&Resend"), this);
    m_resend->setShortcut(QKeySequence(Qt::Key_R));
    m_resend->setToolTip(tr("Send the selected flow's request again, as edited; the answer "
                            "comes as a new flow (r)"));
    m_resend->setEnabled(false);
    connect(m_resend, &QAction::triggered, this, [this] {
        QString error;
        const FlowSnapshot f = current();
        if (!f)
            report(tr("Select a flow first."), false);
        else if (resend(*f, &error).isNull())
            report(error, false);
    });
}

FlowActions::~FlowActions() = default;

FlowEditor* FlowActions::editor() const
{
    return m_editor;
}

void FlowActions::setReplayFunction(ReplayFunction replay)
{
    m_replay = std::move(replay);
    m_resend->setEnabled(bool(m_replay));
}

void FlowActions::addTo(QMenu* menu) const
{
    menu->addAction(m_edit);
    menu->addAction(m_resend);
    menu->addAction(m_duplicate);
    menu->addAction(m_revert);
    menu->addAction(m_newRequest);
}

FlowSnapshot FlowActions::current() const
{
    return m_window->detailView()->flow();
}

FlowEditor* FlowActions::editFlow(const FlowSnapshot& flow, QString* error)
{
    if (!flow) {
        *error = tr("Select a flow to edit.");
        return nullptr;
    }
    if (flow->kind != FlowKind::Http) {
        *error = tr("Only HTTP flows can be edited.");
        return nullptr;
    }
    if (flow->intercepted && flow->websocket && !flow->websocket->messages.empty()) {
        // Held at a WebSocket message: replaceFlow would take the message, which the editor
        // does not edit; resume or kill it instead.
        *error = tr("The flow is held at a WebSocket message, which cannot be edited here: "
                    "resume (a) or kill (x) it.");
        return nullptr;
    }
    if (flow->live && !flow->intercepted) {
        *error = tr("The flow is still running: edit it when it has finished, or intercept it.");
        return nullptr;
    }
    if (m_editor)
        m_editor->close();
    const FlowEditor::Parts parts = !flow->intercepted ? FlowEditor::Parts::Both
                                    : flow->response   ? FlowEditor::Parts::Response
                                                       : FlowEditor::Parts::Request;
    auto* editor = new FlowEditor(*flow, parts, m_window);
    editor->setAttribute(Qt::WA_DeleteOnClose);
    if (flow->intercepted) {
        editor->setAcceptButton(tr("Save and resume"),
                                tr("The intercepted flow goes on with these changes"));
    } else {
        editor->setAcceptButton(tr("Save"), tr("Change this flow in the list; Revert (V) brings "
                                               "the recorded one back"));
        if (m_replay)
            editor->setResendButton(tr("Save and resend"),
                                    tr("Change this flow, then send its request again"));
    }
    m_composing = false;
    m_editor = editor;
    connect(editor, &QDialog::accepted, this, &FlowActions::onEditorAccepted);
    editor->open();
    return editor;
}

FlowEditor* FlowActions::newRequest()
{
    if (m_editor)
        m_editor->close();
    HttpFlow draft;
    draft.live = false;
    draft.request.method = "GET";
    draft.request.scheme = "https";
    draft.request.path = "/";
    draft.request.httpVersion = "HTTP/1.1";
    auto* editor = new FlowEditor(draft, FlowEditor::Parts::Request, m_window);
    editor->setAttribute(Qt::WA_DeleteOnClose);
    editor->setAcceptButton(tr("Add to list"), tr("Add the request to the flow list unsent"));
    if (m_replay)
        editor->setResendButton(tr("Send"), tr("Add the request to the list and send it"));
    m_composing = true;
    m_editor = editor;
    connect(editor, &QDialog::accepted, this, &FlowActions::onEditorAccepted);
    editor->open();
    return editor;
}

void FlowActions::onEditorAccepted()
{
    auto* editor = qobject_cast<FlowEditor*>(sender());
    if (!editor)
        return;
    HttpFlow edited = editor->editedFlow();
    QString error;
    if (m_composing) {
        const double now = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
        edited.request.timestampStart = now;
        edited.request.timestampEnd = now;
        addFlow(edited);
        select(edited.id);
        report(tr("New request added."), true);
    } else {
        const auto original = std::make_shared<const HttpFlow>(editor->original());
        if (!applyEdit(original, edited, &error)) {
            report(error, false);
            return;
        }
    }
    if (editor->resendRequested() && resend(edited, &error).isNull())
        report(error, false);
}

bool FlowActions::applyEdit(const FlowSnapshot& original, const HttpFlow& edited, QString* error)
{
    if (original->intercepted) {
        if (!m_engine->replaceFlow(original->id, edited)) {
            *error = tr("The flow is no longer held: the edit was not applied.");
            return false;
        }
        report(tr("The intercepted flow goes on with the edit."), true);
        return true;
    }
    FlowListModel* model = m_window->flowModel();
    const int row = model->rowOf(original->id);
    if (row < 0) {
        *error = tr("The flow is no longer in the list.");
        return false;
    }
    const FlowSnapshot stored = model->flowAt(row);
    if (stored->live) {
        *error = tr("The flow is still running: edit it when it has finished, or intercept it.");
        return false;
    }
    if (!m_originals.contains(original->id))
        m_originals.insert(original->id, stored);
    auto changed = std::make_shared<HttpFlow>(edited);
    changed->id = original->id;
    changed->live = false;
    changed->intercepted = false;
    model->applyBatch({changed});
    model->setModified(original->id, true);
    report(tr("Flow changed; Revert (V) brings back the recorded one."), true);
    return true;
}

QUuid FlowActions::duplicate(const FlowSnapshot& flow, QString* error)
{
    if (!flow) {
        *error = tr("Select a flow to duplicate.");
        return {};
    }
    HttpFlow copy = *flow;
    copy.id = newFlowId();
    copy.live = false; // the copy is nobody's to finish
    copy.intercepted = false;
    addFlow(copy);
    select(copy.id);
    report(tr("Flow duplicated."), true);
    return copy.id;
}

bool FlowActions::revert(const QUuid& id, QString* error)
{
    const auto it = m_originals.constFind(id);
    if (it == m_originals.constEnd()) {
        *error = tr("The flow was not changed here: nothing to revert.");
        return false;
    }
    FlowListModel* model = m_window->flowModel();
    if (model->rowOf(id) < 0) {
        *error = tr("The flow is no longer in the list.");
        m_originals.remove(id);
        return false;
    }
    model->applyBatch({*it});
    model->setModified(id, false);
    m_originals.remove(id);
    report(tr("Flow reverted to the recorded one."), true);
    return true;
}

QUuid FlowActions::resend(const HttpFlow& flow, QString* error)
{
    if (!m_replay) {
        *error = tr("Resending is not available here.");
        return {};
    }
    if (flow.kind != FlowKind::Http) {
        *error = tr("Only HTTP requests can be resent.");
        return {};
    }
    if (flow.live) {
        *error = tr("The flow is still running: resend it when it has finished.");
        return {};
    }
    const QUuid id = m_replay(flow, error);
    if (!id.isNull())
        report(tr("Request sent again; its answer comes as a new flow."), true);
    return id;
}

void FlowActions::addFlow(const HttpFlow& flow)
{
    m_window->flowModel()->applyBatch({std::make_shared<const HttpFlow>(flow)});
}

void FlowActions::select(const QUuid& id)
{
    FlowTableModel* table = m_window->tableModel();
    FlowTableView* view = m_window->flowView();
    const int row = table->viewRow(m_window->flowModel()->rowOf(id));
    if (row < 0)
        return; // hidden by the filter
    const QModelIndex at = table->index(row, qMax(0, view->currentIndex().column()));
    view->setCurrentIndex(at);
    view->scrollTo(at);
}

void FlowActions::report(const QString& message, bool ok)
{
    m_window->statusBar()->showMessage(message, ok ? 5000 : 0);
}

} // namespace spyglass

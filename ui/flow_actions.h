#pragma once
// The window's edit-and-resend actions (Flow menu), kept out of MainWindow: Edit (e), Revert
// (V), Duplicate (D), New request (Ctrl+N) and Resend (r), mitmproxy's keys.
//
//  - Edit opens a FlowEditor on the selected flow. An intercepted flow's edit goes to the
//    engine (ProxyEngine::replaceFlow, which also lets it go on); a finished flow's edit
//    replaces the session's copy (FlowListModel::applyBatch with the same id replaces the flow
//    in place) and the first edit keeps the original, so Revert can bring it back
//    (mitmproxy's flow.backup() / revert()); until then the list shows the flow as modified
//    (FlowListModel::setModified). A running flow that is not held cannot be edited:
//    its worker owns it (CONVENTIONS 13).
//  - Duplicate adds a copy with a new id. The store is in arrival order and positions are
//    the row index of every view, so the copy comes at the end (the table shows it after its
//    original when sorted by time) and is selected.
//  - New request opens the editor on an empty GET request (the composer); the request is
//    added to the list, and sent if asked.
//  - Resend hands the selected flow, as edited, to the replay function: the engine's client
//    replay makes a new flow marked as a replay. The function is set by whoever owns the
//    engine (app/gui/main.cpp); without one the action is disabled.
//
// A flow held at a WebSocket message is not edited here (the editor edits requests and
// responses). Actions apply to the flow the detail pane shows (the selection). What cannot be done
// says why in the status bar.

#include "flow/flow.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <functional>

class QAction;
class QMenu;

namespace spyglass {

class FlowEditor;
class MainWindow;
class ProxyEngine;

class FlowActions : public QObject
{
    Q_OBJECT
public:
    // Sends `flow` again as a new flow; its id, or a null id and a one-line reason.
    // ProxyEngine::replayFlow has this shape.
    using ReplayFunction = std::function<QUuid(const HttpFlow& flow, QString* error)>;

    // `engine` must outlive this object; `window` is its parent. The window's list and
    // detail pane are looked up when an action runs, so this can be made before them.
    FlowActions(ProxyEngine* engine, MainWindow* window);
    ~FlowActions() override;

    void setReplayFunction(ReplayFunction replay);
    // Adds the actions to `menu`.
    void addTo(QMenu* menu) const;

    QAction* editAction() const { return m_edit; }
    QAction* revertAction() const { return m_revert; }
    QAction* duplicateAction() const { return m_duplicate; }
    QAction* newRequestAction() const { return m_newRequest; }
    QAction* resendAction() const { return m_resend; }
    // The editor open now, else null.
    FlowEditor* editor() const;

    // What the actions do, on a given flow (the actions use the selected one). Each returns
    // false (a null id) and a one-line reason when it cannot be done.
    FlowEditor* editFlow(const FlowSnapshot& flow, QString* error);
    FlowEditor* newRequest();
    // Applies an editor's result to `original`: see the top of this file.
    bool applyEdit(const FlowSnapshot& original, const HttpFlow& edited, QString* error);
    QUuid duplicate(const FlowSnapshot& flow, QString* error);
    bool revert(const QUuid& id, QString* error);
    QUuid resend(const HttpFlow& flow, QString* error);
    // Whether the flow was edited here since it was recorded (Revert applies).
    bool isModified(const QUuid& id) const { return m_originals.contains(id); }

private:
    FlowSnapshot current() const;
    void addFlow(const HttpFlow& flow);
    void select(const QUuid& id);
    void report(const QString& message, bool ok);
    void onEditorAccepted();

    ProxyEngine* m_engine;
    MainWindow* m_window;
    ReplayFunction m_replay;
    // Originals of flows edited here, by id (only finished flows: an intercepted flow's
    // edit goes on with the flow and cannot be taken back).
    QHash<QUuid, FlowSnapshot> m_originals;
    QPointer<FlowEditor> m_editor;
    bool m_composing = false;

    QAction* m_edit;
    QAction* m_revert;
    QAction* m_duplicate;
    QAction* m_newRequest;
    QAction* m_resend;
};

} // namespace spyglass

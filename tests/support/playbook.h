#pragma once
// The C++ playbook (CONVENTIONS 14, after mitmproxy's test/mitmproxy/proxy/tutils.py):
// feed a layer events, expect exactly these commands, answer the last blocking command.
//
//   Playbook pb(layer);
//   pb.feed(DataReceived{client, "GET ..."});
//   QVERIFY2(pb.expect(SendData{server, "GET ..."}), pb.why());
//   pb.replyOpen();              // OpenConnectionCompleted for the last OpenConnection seen
//   QVERIFY2(pb.expectNothing(), pb.why());
//
// Consecutive SendData to one connection are merged before comparison, so a test reads the
// same whether the layer wrote one buffer or ten; and `feedSplit` cuts data into pieces.

#include "proxy/layer.h"

#include <QByteArray>
#include <deque>
#include <functional>
#include <random>

namespace spyglass::test {

class Playbook
{
public:
    explicit Playbook(proxy::Layer& layer);

    // Feeds an event and queues the commands the layer returns.
    Playbook& feed(const proxy::Event& event);
    // Feeds `data` from `conn` in pieces of `pieceSize` bytes (1 = byte by byte).
    Playbook& feedSplit(const ConnectionPtr& conn, const QByteArray& data, int pieceSize);
    // Feeds `data` cut at random points (deterministic for a given seed).
    Playbook& feedRandom(const ConnectionPtr& conn, const QByteArray& data, quint32 seed);

    // Pops the next command and compares it to `expected`. Ids in expected commands are
    // ignored (0 = any). SendData: consecutive writes to one connection are merged and must
    // equal expected.data exactly. Hook: the kind must match. Log: level and a substring.
    bool expect(const proxy::Command& expected);
    // Like expect(SendData) but only checks that the merged data contains `needle`.
    bool expectSendContaining(const ConnectionPtr& conn, const QByteArray& needle);
    // Skips commands until one of type T is found; returns it through `out`. Skipped Log
    // commands are fine; anything else skipped is a failure.
    bool expectHook(proxy::HookKind kind, proxy::Hook* out = nullptr);
    bool expectNothing();
    // Drops queued Log commands (tests that do not care about logs call this first).
    void ignoreLogs(bool ignore = true) { m_ignoreLogs = ignore; }

    // Replies to the most recently expected command of that kind.
    Playbook& replyOpen(const QString& error = {});
    Playbook& replyHook();
    Playbook& replyWakeup();

    // Everything not yet expected, joined (for debugging).
    QByteArray pendingDescription() const;
    const char* why() const { return m_why.constData(); }
    std::deque<proxy::Command>& pending() { return m_queue; }

    // Data sent to `conn` by every SendData still queued, concatenated; removes them.
    QByteArray takeSent(const ConnectionPtr& conn);

private:
    bool fail(const QString& message);
    void dropLogs();

    proxy::Layer& m_layer;
    std::deque<proxy::Command> m_queue;
    std::optional<proxy::OpenConnection> m_lastOpen;
    std::optional<proxy::Hook> m_lastHook;
    std::optional<proxy::RequestWakeup> m_lastWakeup;
    QByteArray m_why;
    bool m_ignoreLogs = false;
};

// Cuts `data` into pieces of `size` bytes.
QList<QByteArray> splitEvery(const QByteArray& data, int size);
// Cuts `data` at random points.
QList<QByteArray> splitRandom(const QByteArray& data, quint32 seed);

} // namespace spyglass::test

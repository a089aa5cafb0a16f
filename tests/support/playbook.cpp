#include "playbook.h"

namespace spyglass::test {

using namespace proxy;

Playbook::Playbook(Layer& layer) : m_layer(layer) {}

Playbook& Playbook::feed(const Event& event)
{
    for (auto& c : m_layer.handleEvent(event))
        m_queue.push_back(std::move(c));
    return *this;
}

QList<QByteArray> splitEvery(const QByteArray& data, int size)
{
    QList<QByteArray> out;
    for (qsizetype i = 0; i < data.size(); i += size)
        out.append(data.mid(i, size));
    return out;
}

QList<QByteArray> splitRandom(const QByteArray& data, quint32 seed)
{
    std::mt19937 rng(seed);
    QList<QByteArray> out;
    qsizetype i = 0;
    while (i < data.size()) {
        const qsizetype n = 1 + qsizetype(rng() % std::max<qsizetype>(1, data.size() / 3 + 1));
        out.append(data.mid(i, n));
        i += n;
    }
    return out;
}

Playbook& Playbook::feedSplit(const ConnectionPtr& conn, const QByteArray& data, int pieceSize)
{
    for (const auto& piece : splitEvery(data, pieceSize))
        feed(DataReceived{conn, piece});
    return *this;
}

Playbook& Playbook::feedRandom(const ConnectionPtr& conn, const QByteArray& data, quint32 seed)
{
    for (const auto& piece : splitRandom(data, seed))
        feed(DataReceived{conn, piece});
    return *this;
}

bool Playbook::fail(const QString& message)
{
    m_why =
        (message + QStringLiteral("\n  still queued:\n") + QString::fromUtf8(pendingDescription()))
            .toUtf8();
    return false;
}

void Playbook::dropLogs()
{
    if (!m_ignoreLogs)
        return;
    std::erase_if(m_queue, [](const Command& c) { return std::holds_alternative<Log>(c); });
}

QByteArray Playbook::pendingDescription() const
{
    QByteArray out;
    for (const auto& c : m_queue)
        out += "    " + describe(c).toUtf8() + '\n';
    return out;
}

QByteArray Playbook::takeSent(const ConnectionPtr& conn)
{
    QByteArray out;
    for (auto it = m_queue.begin(); it != m_queue.end();) {
        auto* s = std::get_if<SendData>(&*it);
        if (s && s->connection == conn) {
            out += s->data;
            it = m_queue.erase(it);
        } else {
            ++it;
        }
    }
    return out;
}

bool Playbook::expect(const Command& expected)
{
    dropLogs();
    if (m_queue.empty())
        return fail(QStringLiteral("expected %1 but the layer emitted nothing more")
                        .arg(describe(expected)));

    if (auto* want = std::get_if<SendData>(&expected)) {
        QByteArray got;
        while (!m_queue.empty()) {
            auto* s = std::get_if<SendData>(&m_queue.front());
            if (!s || s->connection != want->connection)
                break;
            got += s->data;
            m_queue.pop_front();
            if (got.size() >= want->data.size())
                break;
        }
        if (got.isEmpty())
            return fail(QStringLiteral("expected %1\n  got      %2")
                            .arg(describe(expected), describe(m_queue.front())));
        if (got != want->data)
            return fail(QStringLiteral("expected %1\n  got      %2")
                            .arg(describe(expected), describe(SendData{want->connection, got})));
        return true;
    }

    const Command actual = m_queue.front();
    if (actual.index() != expected.index())
        return fail(
            QStringLiteral("expected %1\n  got      %2").arg(describe(expected), describe(actual)));
    m_queue.pop_front();

    bool same = true;
    if (auto* w = std::get_if<OpenConnection>(&expected)) {
        const auto& a = std::get<OpenConnection>(actual);
        m_lastOpen = a;
        same = !w->connection || w->connection == a.connection;
    } else if (auto* w = std::get_if<CloseConnection>(&expected)) {
        const auto& a = std::get<CloseConnection>(actual);
        same = w->connection == a.connection && w->halfClose == a.halfClose;
    } else if (auto* w = std::get_if<Hook>(&expected)) {
        const auto& a = std::get<Hook>(actual);
        m_lastHook = a;
        same = w->hook && a.hook && w->hook->kind == a.hook->kind;
    } else if (auto* w = std::get_if<RequestWakeup>(&expected)) {
        const auto& a = std::get<RequestWakeup>(actual);
        m_lastWakeup = a;
        same = w->delay == 0 || qFuzzyCompare(w->delay, a.delay);
    } else if (auto* w = std::get_if<Log>(&expected)) {
        const auto& a = std::get<Log>(actual);
        same = w->level == a.level && a.message.contains(w->message);
    } else if (auto* w = std::get_if<PauseReading>(&expected)) {
        const auto& a = std::get<PauseReading>(actual);
        same = w->connection == a.connection && w->pause == a.pause;
    }
    if (!same)
        return fail(
            QStringLiteral("expected %1\n  got      %2").arg(describe(expected), describe(actual)));
    return true;
}

bool Playbook::expectSendContaining(const ConnectionPtr& conn, const QByteArray& needle)
{
    dropLogs();
    QByteArray got;
    while (!m_queue.empty()) {
        auto* s = std::get_if<SendData>(&m_queue.front());
        if (!s || s->connection != conn)
            break;
        got += s->data;
        m_queue.pop_front();
    }
    if (!got.contains(needle))
        return fail(QStringLiteral("expected data to %1 containing '%2'\n  got '%3'")
                        .arg(describe(SendData{conn, {}}), QString::fromLatin1(needle),
                             QString::fromLatin1(got.left(400))));
    return true;
}

bool Playbook::expectHook(HookKind kind, Hook* out)
{
    dropLogs();
    auto hook = std::make_shared<HookData>();
    hook->kind = kind;
    if (!expect(Hook{0, hook}))
        return false;
    if (out)
        *out = *m_lastHook;
    return true;
}

bool Playbook::expectNothing()
{
    dropLogs();
    if (!m_queue.empty())
        return fail(QStringLiteral("expected no more commands"));
    return true;
}

Playbook& Playbook::replyOpen(const QString& error)
{
    Q_ASSERT(m_lastOpen);
    auto open = *m_lastOpen;
    m_lastOpen.reset();
    // What the I/O shell does before it reports the result.
    open.connection->state = error.isEmpty() ? ConnectionState::Open : ConnectionState::Closed;
    open.connection->error = error;
    return feed(OpenConnectionCompleted{open.id, open.connection, error});
}

Playbook& Playbook::replyHook()
{
    Q_ASSERT(m_lastHook);
    auto hook = *m_lastHook;
    m_lastHook.reset();
    return feed(HookCompleted{hook.id, hook.hook});
}

Playbook& Playbook::replyWakeup()
{
    Q_ASSERT(m_lastWakeup);
    auto w = *m_lastWakeup;
    m_lastWakeup.reset();
    return feed(Wakeup{w.id});
}

} // namespace spyglass::test

#include "layers/websocket/websocket_layer.h"

#include "layers/websocket/websocket_deflater.h"
#include "layers/websocket/websocket_message_reader.h"
#include "options/options.h"

namespace spyglass::layers {

using namespace proxy;
using namespace websocket;

namespace {

// Frames the proxy writes itself are cut at the sender's largest frame, and never smaller
// than this (mitmproxy's Fragmentizer uses the same size: some servers refuse big frames).
constexpr qsizetype MinFragmentSize = 4000;

bool canWrite(const Connection& c)
{
    return (quint8(c.state) & quint8(ConnectionState::CanWrite)) != 0;
}

} // namespace

WebSocketLayer::WebSocketLayer(Context context, HttpFlowPtr flow)
    : Layer(std::move(context)), m_flow(std::move(flow))
{
    const QByteArray id = m_flow->id.toRfc4122();
    std::seed_seq seed(id.begin(), id.end());
    m_rng.seed(seed);
}

WebSocketLayer::~WebSocketLayer() = default;

bool WebSocketLayer::takesOver(const HttpFlow& flow, const Options& options)
{
    return options.websocket && flow.response && flow.response->statusCode == 101 &&
           flow.request.headers.hasToken("upgrade", "websocket");
}

Commands WebSocketLayer::handleEvent(const Event& event)
{
    m_out.clear();
    if (std::holds_alternative<Start>(event)) {
        if (!m_client.reader)
            start();
    } else if (auto* e = std::get_if<DataReceived>(&event)) {
        Peer* p = peerFor(e->connection);
        if (!p || !p->reader) {
            log(LogLevel::Warn, QStringLiteral("WebSocketLayer: data before Start"));
        } else if (m_state == State::Done || p->closeReceived) {
            if (!e->data.isEmpty())
                log(LogLevel::Debug, QStringLiteral("ignored %1 bytes from the %2 after the "
                                                    "WebSocket Close")
                                         .arg(e->data.size())
                                         .arg(who(*p)));
        } else {
            p->reader->feed(e->data);
            pump();
        }
    } else if (auto* e = std::get_if<ConnectionClosed>(&event)) {
        if (Peer* p = peerFor(e->connection); p && m_state != State::Done) {
            p->eof = true;
            pump();
        }
    } else if (auto* e = std::get_if<MessageInjected>(&event)) {
        if (e->flowId == m_flow->id) {
            if (m_waitingFor || m_state == State::Starting)
                m_injections.push_back(*e); // in order, once the hook is answered
            else
                inject(*e);
        }
    } else if (auto* e = std::get_if<HookCompleted>(&event)) {
        if (m_waitingFor && e->command == m_waitingFor) {
            m_waitingFor = 0;
            if (m_state == State::Starting)
                m_state = State::Open;
            else if (m_pending)
                afterMessageHook();
            pump();
        }
    }
    mergeSendData(m_out);
    return std::move(m_out);
}

WebSocketLayer::Peer* WebSocketLayer::peerFor(const ConnectionPtr& conn)
{
    if (conn && conn == m_client.conn)
        return &m_client;
    if (conn && conn == m_server.conn)
        return &m_server;
    return nullptr;
}

QString WebSocketLayer::who(const Peer& p) const
{
    return p.isClient ? QStringLiteral("client") : QStringLiteral("server");
}

void WebSocketLayer::start()
{
    const Options& o = m_context.opts();
    if (o.bodySizeLimit && *o.bodySizeLimit > 0)
        m_maxMessageSize = *o.bodySizeLimit;
    m_client.conn = m_context.client;
    m_client.isClient = true;
    m_client.reader = std::make_unique<WebSocketMessageReader>(
        WebSocketMessageReader::Sender::Client, m_maxMessageSize);
    m_server.conn = m_context.server;
    m_server.reader = std::make_unique<WebSocketMessageReader>(
        WebSocketMessageReader::Sender::Server, m_maxMessageSize);
    if (m_flow->response) {
        const QByteArray extensions = m_flow->response->headers.joined("sec-websocket-extensions");
        QStringList notes;
        if (!extensions.isEmpty())
            m_deflate = PerMessageDeflateParams::fromResponseHeader(extensions, &notes);
        for (const QString& n : notes)
            log(LogLevel::Info, n);
    }
    if (m_deflate) {
        m_client.reader->enableDeflate();
        m_server.reader->enableDeflate();
    }
    m_flow->live = true;
    data(); // flow->websocket exists from now on
    runHook(HookKind::WebsocketStart, true);
}

// --- reading ---------------------------------------------------------------------------------

void WebSocketLayer::pump()
{
    while (m_state == State::Open && !m_waitingFor && !m_injections.empty()) {
        const MessageInjected injected = std::move(m_injections.front());
        m_injections.pop_front();
        inject(injected);
    }
    while (m_state == State::Open && !m_waitingFor) {
        bool progressed = false;
        for (Peer* p : {&m_client, &m_server}) {
            if (m_state != State::Open || m_waitingFor)
                break;
            if (!p->closeReceived)
                progressed = readOne(*p) || progressed;
        }
        if (!progressed)
            break;
    }
    // A peer's end of stream counts once everything it sent before it has been read.
    for (Peer* p : {&m_client, &m_server}) {
        if (m_state == State::Open && !m_waitingFor && p->eof && !p->eofHandled)
            onEof(*p);
    }
}

bool WebSocketLayer::readOne(Peer& peer)
{
    WebSocketMessageReader::Event ev = peer.reader->next();
    if (std::holds_alternative<WebSocketMessageReader::NeedMore>(ev))
        return false;
    if (auto* m = std::get_if<WebSocketMessageReader::Message>(&ev)) {
        Pending p;
        p.from = &peer;
        p.isText = m->isText;
        p.compressed = m->compressed;
        p.content = std::move(m->content);
        p.raw = std::move(m->raw);
        p.largestFramePayload = m->largestFramePayload;
        onMessage(peer, std::move(p));
    } else if (auto* c = std::get_if<WebSocketMessageReader::Control>(&ev)) {
        onControl(peer, c->raw, c->opcode == Opcode::Ping);
    } else if (auto* c = std::get_if<WebSocketMessageReader::Close>(&ev)) {
        onClose(peer, c->code, c->reason, c->raw);
    } else if (auto* e = std::get_if<WebSocketMessageReader::Error>(&ev)) {
        onProtocolError(peer, e->code, e->message);
    }
    return true;
}

// --- messages --------------------------------------------------------------------------------

void WebSocketLayer::onMessage(Peer& from, Pending pending)
{
    WebSocketMessage m;
    m.fromClient = from.isClient;
    m.isText = pending.isText;
    m.content = pending.content;
    m.timestamp = m_context.now();
    WebSocketData& d = data();
    d.messages.push_back(std::move(m));
    pending.index = d.messages.size() - 1;
    m_pending = std::move(pending);
    runHook(HookKind::WebsocketMessage, true);
}

void WebSocketLayer::inject(const MessageInjected& injected)
{
    Peer& to = injected.toClient ? m_client : m_server;
    if (m_state != State::Open || to.closeSent || !to.conn || !canWrite(*to.conn)) {
        log(LogLevel::Info, QStringLiteral("WebSocket injection to the %1 dropped: the "
                                           "connection is closing")
                                .arg(who(to)));
        return;
    }
    WebSocketMessage m;
    m.fromClient = !injected.toClient;
    m.isText = injected.isText;
    m.content = injected.content;
    m.timestamp = m_context.now();
    m.injected = true;
    data().messages.push_back(std::move(m));
    Pending p;
    p.from = &other(to);
    p.isText = injected.isText;
    p.compressed = m_deflate.has_value();
    p.content = injected.content;
    log(LogLevel::Debug, QStringLiteral("WebSocket message injected to the %1 (%2 bytes)")
                             .arg(who(to))
                             .arg(injected.content.size()));
    reencode(p, injected.content, injected.isText);
}

void WebSocketLayer::afterMessageHook()
{
    const Pending p = std::move(*m_pending);
    m_pending.reset();
    Peer& from = *p.from;
    Peer& to = other(from);
    const WebSocketData* d = m_flow->websocket.get();
    const WebSocketMessage* m = d && p.index < d->messages.size() ? &d->messages[p.index] : nullptr;
    const bool takeover = m_deflate && !m_deflate->noContextTakeover(from.isClient);

    if (m && m->dropped) {
        log(LogLevel::Info, QStringLiteral("WebSocket message from the %1 dropped (%2 bytes)")
                                .arg(who(from))
                                .arg(m->content.size()));
        // The receiver will not decompress it, but the sender's later messages may refer to it.
        if (p.compressed && takeover && !from.diverged)
            diverge(from);
        return;
    }
    const bool changed = m && (m->isText != p.isText || m->content != p.content);
    if (!changed && !(p.compressed && from.diverged)) {
        send(to, p.raw);
        if (p.compressed)
            remember(from, p.content);
        return;
    }
    if (changed)
        log(LogLevel::Debug,
            QStringLiteral("WebSocket message from the %1 changed by a hook: re-encoded")
                .arg(who(from)));
    reencode(p, m ? m->content : p.content, m ? m->isText : p.isText);
}

void WebSocketLayer::reencode(const Pending& p, const QByteArray& content, bool isText)
{
    Peer& from = *p.from;
    Peer& to = other(from);
    bool rsv1 = false;
    const QByteArray payload = p.compressed ? compressFor(from, content, rsv1) : content;
    const qsizetype fragment = qMax(p.largestFramePayload, MinFragmentSize);
    QByteArray wire;
    qsizetype offset = 0;
    do {
        WebSocketFrame f;
        f.opcode = offset == 0 ? (isText ? Opcode::Text : Opcode::Binary) : Opcode::Continuation;
        f.rsv1 = offset == 0 && rsv1;
        f.payload = payload.mid(offset, fragment);
        offset += f.payload.size();
        f.fin = offset >= payload.size();
        wire += encodeFrame(f, maskFor(to));
    } while (offset < payload.size());
    send(to, wire);
}

QByteArray WebSocketLayer::compressFor(Peer& from, const QByteArray& content, bool& rsv1)
{
    const bool takeover = !m_deflate->noContextTakeover(from.isClient);
    const int bits = m_deflate->maxWindowBits(from.isClient);
    if (takeover && !from.diverged)
        diverge(from);
    if (bits < 9) {
        rsv1 = false; // permessage-deflate lets any message go uncompressed
        return content;
    }
    if (!from.deflater)
        from.deflater = std::make_unique<WebSocketDeflater>(bits, !takeover);
    if (!from.deflater->isValid()) {
        rsv1 = false;
        return content;
    }
    rsv1 = true;
    return from.deflater->deflateMessage(content);
}

void WebSocketLayer::diverge(Peer& from)
{
    from.diverged = true;
    const int bits = m_deflate->maxWindowBits(from.isClient);
    if (bits >= 9) {
        QByteArray dictionary;
        dictionary.reserve(from.historySize);
        for (const QByteArray& h : from.history)
            dictionary += h;
        from.deflater = std::make_unique<WebSocketDeflater>(bits, false);
        from.deflater->setDictionary(
            QByteArrayView(dictionary).last(qMin(dictionary.size(), qsizetype(1) << bits)));
    }
    from.history.clear();
    from.historySize = 0;
    log(LogLevel::Debug, QStringLiteral("WebSocket: the proxy compresses the %1's messages itself "
                                        "from now on")
                             .arg(who(from)));
}

void WebSocketLayer::remember(Peer& from, const QByteArray& content)
{
    if (!m_deflate || m_deflate->noContextTakeover(from.isClient) || from.diverged ||
        content.isEmpty())
        return;
    const qsizetype window = qsizetype(1) << m_deflate->maxWindowBits(from.isClient);
    from.history.push_back(content); // shared with the flow's message: no copy
    from.historySize += content.size();
    while (from.history.size() > 1 && from.historySize - from.history.front().size() >= window) {
        from.historySize -= from.history.front().size();
        from.history.pop_front();
    }
}

void WebSocketLayer::onControl(Peer& from, const QByteArray& raw, bool isPing)
{
    log(LogLevel::Debug, QStringLiteral("WebSocket %1 from the %2 relayed")
                             .arg(isPing ? "ping" : "pong", who(from)));
    Peer& to = other(from);
    if (!to.closeSent)
        send(to, raw);
}

// --- closing ---------------------------------------------------------------------------------

void WebSocketLayer::onClose(Peer& from, std::optional<quint16> code, const QString& reason,
                             const QByteArray& raw)
{
    from.closeReceived = true;
    recordClose(from, code ? int(*code) : int(CloseCode::NoStatus), reason);
    log(LogLevel::Debug, QStringLiteral("WebSocket Close from the %1: %2 %3")
                             .arg(who(from))
                             .arg(code ? int(*code) : int(CloseCode::NoStatus))
                             .arg(reason));
    Peer& to = other(from);
    if (!to.closeSent) {
        send(to, raw);
        to.closeSent = true;
    }
    if (to.closeReceived)
        finish(); // the closing handshake is complete
}

void WebSocketLayer::onEof(Peer& peer)
{
    peer.eofHandled = true;
    Peer& o = other(peer);
    if (peer.closeReceived) {
        if (o.closeReceived) {
            finish();
            return;
        }
        // It said goodbye and hung up: pass the end on; the other peer's Close may follow.
        if (o.conn && canWrite(*o.conn))
            m_out.push_back(CloseConnection{o.conn, true});
        return;
    }
    recordClose(peer, CloseCode::Abnormal, {});
    log(LogLevel::Info,
        QStringLiteral("WebSocket: the %1 closed the connection without a Close frame")
            .arg(who(peer)));
    if (!o.closeSent)
        sendClose(o, CloseCode::GoingAway, QStringLiteral("%1 disconnected").arg(who(peer)));
    finish();
}

void WebSocketLayer::onProtocolError(Peer& from, quint16 code, const QString& message)
{
    log(LogLevel::Info,
        QStringLiteral("WebSocket protocol error from the %1: %2").arg(who(from), message));
    recordClose(from, code, message);
    if (!from.closeSent)
        sendClose(from, code, message);
    Peer& to = other(from);
    if (!to.closeSent)
        sendClose(to, code, message);
    finish();
}

void WebSocketLayer::recordClose(const Peer& by, std::optional<int> code, const QString& reason)
{
    if (m_flow->websocket && m_flow->websocket->closeCode)
        return; // the first Close counts
    WebSocketData& d = data();
    d.closeCode = code;
    d.closeReason = reason;
    d.closedByClient = by.isClient;
    d.timestampEnd = m_context.now();
}

void WebSocketLayer::finish()
{
    if (m_state == State::Done)
        return;
    m_state = State::Done;
    m_pending.reset();
    if (!m_injections.empty())
        log(LogLevel::Info, QStringLiteral("WebSocket over: %1 injected message(s) dropped")
                                .arg(m_injections.size()));
    m_injections.clear();
    m_waitingFor = 0;
    if (!m_flow->websocket || m_flow->websocket->timestampEnd == 0)
        data().timestampEnd = m_context.now();
    for (Peer* p : {&m_client, &m_server})
        if (p->conn && p->conn->state != ConnectionState::Closed)
            m_out.push_back(CloseConnection{p->conn, false});
    m_flow->live = false;
    runHook(HookKind::WebsocketEnd, false);
}

void WebSocketLayer::sendClose(Peer& to, quint16 code, const QString& reason)
{
    WebSocketFrame f;
    f.opcode = Opcode::Close;
    f.payload = closePayload(code, reason);
    send(to, encodeFrame(f, maskFor(to)));
    to.closeSent = true;
}

// --- plumbing --------------------------------------------------------------------------------

void WebSocketLayer::send(Peer& to, const QByteArray& bytes)
{
    if (to.conn && canWrite(*to.conn) && !bytes.isEmpty())
        m_out.push_back(SendData{to.conn, bytes});
}

quint32 WebSocketLayer::random()
{
    if (m_context.services && m_context.services->random)
        return m_context.services->random();
    return quint32(m_rng());
}

std::optional<quint32> WebSocketLayer::maskFor(const Peer& to)
{
    if (to.isClient)
        return std::nullopt; // a server never masks (RFC 6455 5.1)
    return random();
}

WebSocketData& WebSocketLayer::data()
{
    if (!m_data || m_flow->websocket != m_data) {
        // First use, or a hook put other data in place: go on from there.
        m_data = m_flow->websocket ? std::make_shared<WebSocketData>(*m_flow->websocket)
                                   : std::make_shared<WebSocketData>();
        m_flow->websocket = m_data;
    } else if (m_data.use_count() > 2) {
        // A published snapshot shares it (m_data and flow->websocket are the other two).
        m_data = std::make_shared<WebSocketData>(*m_data);
        m_flow->websocket = m_data;
    }
    return *m_data;
}

void WebSocketLayer::runHook(HookKind kind, bool wait)
{
    if (m_context.services && !m_context.services->wants(kind)) {
        // Nobody listens (no script, no live window, no addon): carry on as if it had been
        // answered at once, without a hook round trip per message.
        if (wait && m_state == State::Starting) {
            m_state = State::Open;
            pump();
        } else if (wait && m_pending) {
            afterMessageHook(); // inside pump(), which goes on reading
        }
        return;
    }
    auto hook = std::make_shared<HookData>();
    hook->kind = kind;
    hook->flow = m_flow;
    const Command c = makeHook(hook);
    if (wait)
        m_waitingFor = std::get<Hook>(c).id;
    m_out.push_back(c);
}

void WebSocketLayer::log(LogLevel level, const QString& message)
{
    m_out.push_back(Log{level, message});
}

} // namespace spyglass::layers

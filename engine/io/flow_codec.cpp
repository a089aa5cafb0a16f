#include "io/flow_codec.h"

#include "flow/field_table.h"

#include <QtEndian>

#include <bit>
#include <cmath>
#include <cstring>
#include <initializer_list>

namespace spyglass {

namespace {

// Flag bits. A reader ignores bits it does not know (a later minor version may add some).
enum FlowFlag : quint64
{
    FlowLive = 1 << 0,
    FlowIntercepted = 1 << 1,
    FlowIsReplay = 1 << 2,
    FlowHasResponse = 1 << 3,
    FlowHasError = 1 << 4,
    FlowHasWebSocket = 1 << 5,   // since format 1.1
    FlowIsTcp = 1 << 6,          // since format 1.2: kind Tcp, a TCP section follows
    FlowIsServerReplay = 1 << 7, // answered by server replay
};
enum TcpFlag : quint64
{
    TcpClosedByClient = 1 << 0,
};
enum WebSocketFlag : quint64
{
    WebSocketClosedByClient = 1 << 0,
    WebSocketHasCloseCode = 1 << 1,
};
enum WebSocketMessageFlag : quint64
{
    MessageFromClient = 1 << 0,
    MessageIsText = 1 << 1,
    MessageInjected = 1 << 2,
    MessageDropped = 1 << 3,
};
enum ConnectionFlag : quint64
{
    ConnectionIsServer = 1 << 0,
    ConnectionTls = 1 << 1,
    ConnectionTlsEstablished = 1 << 2,
    ConnectionTlsDetails = 1 << 3, // sni .. certificate chain follow (else all empty)
    ConnectionTlsResumed = 1 << 4, // 1.5
};
enum BodyFlag : quint64
{
    BodyStreamed = 1 << 0,
};

// What the request- and status-line strings are called in FlowStore's FieldTable (names no
// HTTP/1 field can have; HTTP/2's pseudo-header fields mean the same).
constexpr QByteArrayView MethodKey(":method");
constexpr QByteArrayView SchemeKey(":scheme");
constexpr QByteArrayView AuthorityKey(":authority");
constexpr QByteArrayView HostKey(":host");
constexpr QByteArrayView PathKey(":path");
constexpr QByteArrayView VersionKey(":version");
constexpr QByteArrayView ReasonKey(":reason");

// A timestamp the clock made from whole milliseconds (ConnectionHandler::now()) as that number,
// when dividing it by 1000 gives back exactly the same double; else -1.
qint64 wholeMilliseconds(double t)
{
    const double ms = t * 1000.0;
    if (!(ms >= 0 && ms < 9.0e15))
        return -1;
    const qint64 m = qint64(std::llround(ms));
    return std::bit_cast<quint64>(double(m) / 1000.0) == std::bit_cast<quint64>(t) ? m : -1;
}

// Writes through a pointer into a buffer sized ahead (doubling when short): every flow is
// encoded once when it is stored, in many small pieces, and QByteArray::append costs more
// than the copy for pieces this short.
class Encoder
{
public:
    explicit Encoder(qsizetype reserve) { grow(std::max<qsizetype>(reserve, 64)); }

    QByteArray take()
    {
        m_out.truncate(m_size);
        m_size = 0;
        m_data = nullptr;
        return std::move(m_out);
    }

    void u8(quint8 v)
    {
        *room(1) = char(v);
        ++m_size;
    }
    void varint(quint64 v)
    {
        char* p = room(10);
        qsizetype n = 0;
        while (v >= 0x80) {
            p[n++] = char(v | 0x80);
            v >>= 7;
        }
        p[n++] = char(v);
        m_size += n;
    }
    void zigzag(qint64 v) { varint((quint64(v) << 1) ^ quint64(v >> 63)); }
    void raw(QByteArrayView b)
    {
        if (b.isEmpty())
            return;
        std::memcpy(room(b.size()), b.data(), size_t(b.size()));
        m_size += b.size();
    }
    void bytes(QByteArrayView b)
    {
        varint(quint64(b.size()));
        raw(b);
    }
    void string(const QString& s)
    {
        if (s.isEmpty()) // most are (marks, comments, errors): no conversion, same bytes
            varint(0);
        else
            bytes(s.toUtf8());
    }
    void byteList(const QList<QByteArray>& list)
    {
        varint(quint64(list.size()));
        for (const QByteArray& b : list)
            bytes(b);
    }
    void address(const Address& a)
    {
        bytes(a.host);
        varint(a.port);
    }
    void headers(const Headers& h)
    {
        varint(quint64(h.size()));
        for (const auto& [name, value] : h.fields()) {
            if (m_table) {
                field(name, value);
                continue;
            }
            bytes(name);
            bytes(value);
        }
    }
    // A request- or status-line string. Store form: the reference of (`key`, s) in the table,
    // else 0 and the string.
    void text(QByteArrayView key, const QByteArray& s)
    {
        if (m_table) {
            const quint32 ref = m_table->pairRef(key, s);
            varint(ref);
            if (ref != 0)
                return;
        }
        bytes(s);
    }
    // A presence mask, then the non-zero values as little-endian IEEE-754 doubles. A value
    // counts as zero only if its bit pattern is +0.0, so every double round-trips exactly.
    void timestamps(std::initializer_list<double> values)
    {
        quint64 mask = 0;
        int i = 0;
        for (double v : values) {
            if (std::bit_cast<quint64>(v) != 0)
                mask |= quint64(1) << i;
            ++i;
        }
        varint(mask);
        for (double v : values) {
            const quint64 bits = std::bit_cast<quint64>(v);
            if (bits == 0)
                continue;
            if (m_table) {
                // Store form: a tag; even, the whole milliseconds as the (zigzag) difference
                // from the flow's previous such timestamp; 1, the double follows.
                if (const qint64 ms = wholeMilliseconds(v); ms >= 0) {
                    const qint64 delta = ms - m_lastMs;
                    varint(((quint64(delta) << 1) ^ quint64(delta >> 63)) << 1);
                    m_lastMs = ms;
                    continue;
                }
                varint(1);
            }
            qToLittleEndian<quint64>(bits, room(8));
            m_size += 8;
        }
    }
    void body(const BodyInfo& b)
    {
        varint(b.streamed ? quint64(BodyStreamed) : 0);
        zigzag(b.size);
        bytes(m_leaveOutContent ? QByteArrayView() : QByteArrayView(b.content));
    }
    // FlowStore's form (FlowCodec::encodeFlowForStore): bodies written as if their content
    // were empty (sizes kept), fields by reference to `table`, whole-millisecond timestamps as
    // varints.
    void useStoreForm(FieldTable* table)
    {
        m_leaveOutContent = true;
        m_table = table;
    }

    // A section is a varint length followed by its content. The content is written first and
    // the length inserted in front of it afterwards (one memmove of the section).
    qsizetype beginSection() const { return m_size; }
    void endSection(qsizetype start)
    {
        char len[10];
        qsizetype n = 0;
        quint64 v = quint64(m_size - start);
        while (v >= 0x80) {
            len[n++] = char(v | 0x80);
            v >>= 7;
        }
        len[n++] = char(v);
        room(n);
        std::memmove(m_data + start + n, m_data + start, size_t(m_size - start));
        std::memcpy(m_data + start, len, size_t(n));
        m_size += n;
    }

private:
    // Where the next `n` bytes go (m_size is advanced by the caller).
    char* room(qsizetype n)
    {
        if (m_size + n > m_capacity)
            grow(std::max(m_capacity * 2, m_size + n));
        return m_data + m_size;
    }
    void grow(qsizetype capacity)
    {
        m_out.resize(capacity);
        m_data = m_out.data();
        m_capacity = capacity;
    }

    QByteArray m_out;
    char* m_data = nullptr;
    qsizetype m_size = 0;
    qsizetype m_capacity = 0;
    bool m_leaveOutContent = false;
    FieldTable* m_table = nullptr;
    qint64 m_lastMs = 0;

    // Store form: a tag, the pair's reference * 2 + 1 when the table holds the field; else the
    // name's reference * 2 (0: the name follows), then the value.
    void field(const QByteArray& name, const QByteArray& value)
    {
        if (const quint32 ref = m_table->pairRef(name, value)) {
            varint((quint64(ref) << 1) | 1);
            return;
        }
        const quint32 nameRef = m_table->nameRef(name);
        varint(quint64(nameRef) << 1);
        if (nameRef == 0)
            bytes(name);
        bytes(value);
    }
};

// The decoding side of the store form: the table, and the last whole-millisecond timestamp,
// shared by a decoder and the ones it makes for sections (they read on in the order written).
struct StoreForm
{
    const FieldTable* table = nullptr;
    qint64 lastMs = 0;
};

// Reads a payload slice. The first error sticks (shared by nested sections); after it every
// read returns a default value and the caller checks failed() once at the end.
class Decoder
{
public:
    Decoder(QByteArrayView payload, QString* error, StoreForm* store = nullptr)
        : m_begin(payload.data()), m_pos(payload.data()), m_end(payload.data() + payload.size()),
          m_error(error), m_store(store)
    {
    }

    bool failed() const { return !m_error->isEmpty(); }
    qsizetype left() const { return m_end - m_pos; }

    void fail(const QString& what)
    {
        if (m_error->isEmpty())
            *m_error = QStringLiteral("%1 at payload byte %2").arg(what).arg(m_pos - m_begin);
    }

    quint8 u8()
    {
        if (failed())
            return 0;
        if (left() < 1) {
            fail(QStringLiteral("unexpected end"));
            return 0;
        }
        return quint8(*m_pos++);
    }
    quint64 varint()
    {
        quint64 v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (failed())
                return 0;
            if (left() < 1) {
                fail(QStringLiteral("unexpected end in a number"));
                return 0;
            }
            const quint8 b = quint8(*m_pos++);
            if (shift == 63 && b > 1) {
                fail(QStringLiteral("number too large"));
                return 0;
            }
            v |= quint64(b & 0x7f) << shift;
            if (!(b & 0x80))
                return v;
        }
        fail(QStringLiteral("number too long"));
        return 0;
    }
    qint64 zigzag()
    {
        const quint64 v = varint();
        return qint64(v >> 1) ^ -qint64(v & 1);
    }
    // A length or count of items that each take at least one byte: never more than is left.
    qsizetype count(const char* what)
    {
        const quint64 n = varint();
        if (n > quint64(left())) {
            fail(QStringLiteral("%1 %2 exceeds the %3 bytes left")
                     .arg(QLatin1String(what))
                     .arg(n)
                     .arg(left()));
            return 0;
        }
        return qsizetype(n);
    }
    QByteArrayView raw(qsizetype n)
    {
        if (failed())
            return {};
        if (n > left()) {
            fail(QStringLiteral("unexpected end"));
            return {};
        }
        QByteArrayView out(m_pos, n);
        m_pos += n;
        return out;
    }
    QByteArray bytes() { return raw(count("length")).toByteArray(); }
    QString string()
    {
        const QByteArrayView b = raw(count("length"));
        return QString::fromUtf8(b.data(), b.size());
    }
    QList<QByteArray> byteList()
    {
        QList<QByteArray> out;
        const qsizetype n = count("list size");
        out.reserve(n);
        for (qsizetype i = 0; i < n && !failed(); ++i)
            out.append(bytes());
        return out;
    }
    quint16 port()
    {
        const quint64 p = varint();
        if (p > 65535) {
            fail(QStringLiteral("port %1 out of range").arg(p));
            return 0;
        }
        return quint16(p);
    }
    Address address()
    {
        Address a;
        a.host = bytes();
        a.port = port();
        return a;
    }
    Headers headers()
    {
        Headers h;
        const qsizetype n = count("header count");
        for (qsizetype i = 0; i < n && !failed(); ++i) {
            if (m_store) {
                field(h);
                continue;
            }
            QByteArray name = bytes();
            QByteArray value = bytes();
            h.add(name, value);
        }
        return h;
    }
    // Encoder::text()
    QByteArray text()
    {
        if (m_store) {
            const quint64 ref = varint();
            if (ref != 0) {
                if (const Headers::Field* f = m_store->table->pair(ref))
                    return f->second;
                fail(QStringLiteral("reference to unknown field %1").arg(ref));
                return {};
            }
        }
        return bytes();
    }
    void timestamps(std::initializer_list<double*> targets)
    {
        const quint64 mask = varint();
        int i = 0;
        for (double* t : targets) {
            *t = 0;
            if (mask & (quint64(1) << i)) {
                if (m_store) {
                    const quint64 tag = varint();
                    if (failed())
                        return;
                    if ((tag & 1) == 0) {
                        const quint64 z = tag >> 1;
                        const qint64 ms = m_store->lastMs + (qint64(z >> 1) ^ -qint64(z & 1));
                        *t = double(ms) / 1000.0;
                        m_store->lastMs = ms;
                        ++i;
                        continue;
                    }
                }
                const QByteArrayView b = raw(8);
                if (failed())
                    return;
                *t = std::bit_cast<double>(qFromLittleEndian<quint64>(b.data()));
            }
            ++i;
        }
    }
    BodyInfo body()
    {
        BodyInfo b;
        b.streamed = varint() & BodyStreamed;
        b.size = zigzag();
        b.content = bytes();
        return b;
    }
    // The next section: this decoder moves past it, the returned one reads inside it.
    Decoder section()
    {
        const qsizetype n = count("section length");
        Decoder inner(*this);
        inner.m_end = m_pos + n;
        m_pos += n;
        return inner;
    }

private:
    const char* m_begin; // payload start, for offsets in messages
    const char* m_pos;
    const char* m_end;
    QString* m_error;
    StoreForm* m_store;

    // Encoder::field()
    void field(Headers& h)
    {
        const quint64 tag = varint();
        if (tag & 1) {
            if (const Headers::Field* f = m_store->table->pair(tag >> 1))
                h.add(f->first, f->second);
            else
                fail(QStringLiteral("reference to unknown field %1").arg(tag >> 1));
            return;
        }
        QByteArray name;
        if (const quint64 ref = tag >> 1) {
            const QByteArray* known = m_store->table->name(ref);
            if (!known) {
                fail(QStringLiteral("reference to unknown field name %1").arg(ref));
                return;
            }
            name = *known;
        } else {
            name = bytes();
        }
        QByteArray value = bytes();
        h.add(std::move(name), std::move(value));
    }
};

// The fields of a connection section (FlowCodec::encodeConnection() writes just these).
void encodeConnectionFields(Encoder& e, const Connection& c, quint32 chainRef)
{
    e.varint(c.id);
    quint64 flags = 0;
    if (c.role == Connection::Role::Server)
        flags |= ConnectionIsServer;
    if (c.tls)
        flags |= ConnectionTls;
    if (c.tlsEstablished)
        flags |= ConnectionTlsEstablished;
    if (c.tlsResumed)
        flags |= ConnectionTlsResumed;
    const bool tlsDetails = !c.sni.isEmpty() || !c.alpnOffers.isEmpty() || !c.alpn.isEmpty() ||
                            !c.tlsVersion.isEmpty() || !c.cipher.isEmpty() ||
                            !c.certificateChainDer.isEmpty();
    if (tlsDetails)
        flags |= ConnectionTlsDetails;
    e.varint(flags);
    e.u8(quint8(c.state));
    e.address(c.peer);
    e.address(c.sockname);
    e.address(c.via);
    e.string(c.error);
    if (tlsDetails) {
        e.bytes(c.sni);
        e.byteList(c.alpnOffers);
        e.bytes(c.alpn);
        e.bytes(c.tlsVersion);
        e.bytes(c.cipher);
        e.varint(chainRef);
        if (chainRef == 0)
            e.byteList(c.certificateChainDer);
    }
    e.timestamps({c.timestampStart, c.timestampTcpSetup, c.timestampTlsSetup, c.timestampEnd});
    if (c.peername.isValid())
        e.address(c.peername); // 1.3, only when known: a section without it reads as none
}

void encodeConnectionSection(Encoder& e, const Connection& c, quint32 chainRef)
{
    const qsizetype s = e.beginSection();
    encodeConnectionFields(e, c, chainRef);
    e.endSection(s);
}

void decodeConnectionFields(Decoder d, const QList<FlowCodec::CertificateChain>& chains,
                            Connection& c)
{
    c.id = d.varint();
    const quint64 flags = d.varint();
    c.role = (flags & ConnectionIsServer) ? Connection::Role::Server : Connection::Role::Client;
    c.tls = flags & ConnectionTls;
    c.tlsEstablished = flags & ConnectionTlsEstablished;
    c.tlsResumed = flags & ConnectionTlsResumed;
    const quint8 state = d.u8();
    if (state > quint8(ConnectionState::Open))
        d.fail(QStringLiteral("connection state %1 out of range").arg(state));
    c.state = ConnectionState(state);
    c.peer = d.address();
    c.sockname = d.address();
    c.via = d.address();
    c.error = d.string();
    if (flags & ConnectionTlsDetails) {
        c.sni = d.bytes();
        c.alpnOffers = d.byteList();
        c.alpn = d.bytes();
        c.tlsVersion = d.bytes();
        c.cipher = d.bytes();
        const quint64 ref = d.varint();
        if (ref == 0)
            c.certificateChainDer = d.byteList();
        else if (ref <= quint64(chains.size()))
            c.certificateChainDer = chains.at(qsizetype(ref - 1));
        else
            d.fail(QStringLiteral("reference to unknown certificate chain %1").arg(ref));
    } else {
        c.sni.clear();
        c.alpnOffers.clear();
        c.alpn.clear();
        c.tlsVersion.clear();
        c.cipher.clear();
        c.certificateChainDer.clear();
    }
    d.timestamps({&c.timestampStart, &c.timestampTcpSetup, &c.timestampTlsSetup, &c.timestampEnd});
    c.peername = d.left() > 0 ? d.address() : Address{}; // 1.3; older writers have none
}

void encodeRequest(Encoder& e, const Request& r)
{
    const qsizetype s = e.beginSection();
    e.text(MethodKey, r.method);
    e.text(SchemeKey, r.scheme);
    e.text(AuthorityKey, r.authority);
    e.text(HostKey, r.host);
    e.varint(r.port);
    e.text(PathKey, r.path);
    e.text(VersionKey, r.httpVersion);
    e.headers(r.headers);
    e.body(r.body);
    e.headers(r.trailers);
    e.timestamps({r.timestampStart, r.timestampEnd});
    e.endSection(s);
}

void decodeRequest(Decoder d, Request& r)
{
    r.method = d.text();
    r.scheme = d.text();
    r.authority = d.text();
    r.host = d.text();
    r.port = d.port();
    r.path = d.text();
    r.httpVersion = d.text();
    r.headers = d.headers();
    r.body = d.body();
    r.trailers = d.headers();
    d.timestamps({&r.timestampStart, &r.timestampEnd});
}

void encodeResponse(Encoder& e, const Response& r)
{
    const qsizetype s = e.beginSection();
    e.text(VersionKey, r.httpVersion);
    e.zigzag(r.statusCode);
    e.text(ReasonKey, r.reason);
    e.headers(r.headers);
    e.body(r.body);
    e.headers(r.trailers);
    e.timestamps({r.timestampStart, r.timestampEnd});
    e.endSection(s);
}

void decodeResponse(Decoder d, Response& r)
{
    r.httpVersion = d.text();
    const qint64 status = d.zigzag();
    if (status < INT_MIN || status > INT_MAX)
        d.fail(QStringLiteral("status code %1 out of range").arg(status));
    r.statusCode = int(status);
    r.reason = d.text();
    r.headers = d.headers();
    r.body = d.body();
    r.trailers = d.headers();
    d.timestamps({&r.timestampStart, &r.timestampEnd});
}

void encodeWebSocket(Encoder& e, const WebSocketData& ws)
{
    const qsizetype s = e.beginSection();
    quint64 flags = 0;
    if (ws.closedByClient)
        flags |= WebSocketClosedByClient;
    if (ws.closeCode)
        flags |= WebSocketHasCloseCode;
    e.varint(flags);
    if (ws.closeCode)
        e.zigzag(*ws.closeCode);
    e.string(ws.closeReason);
    e.timestamps({ws.timestampEnd});
    e.varint(quint64(ws.messages.size()));
    for (const WebSocketMessage& m : ws.messages) {
        const qsizetype ms = e.beginSection();
        quint64 mf = 0;
        if (m.fromClient)
            mf |= MessageFromClient;
        if (m.isText)
            mf |= MessageIsText;
        if (m.injected)
            mf |= MessageInjected;
        if (m.dropped)
            mf |= MessageDropped;
        e.varint(mf);
        e.timestamps({m.timestamp});
        e.bytes(m.content);
        e.endSection(ms);
    }
    e.endSection(s);
}

void decodeWebSocket(Decoder d, WebSocketData& ws)
{
    const quint64 flags = d.varint();
    ws.closedByClient = flags & WebSocketClosedByClient;
    ws.closeCode.reset();
    if (flags & WebSocketHasCloseCode) {
        const qint64 code = d.zigzag();
        if (code < INT_MIN || code > INT_MAX)
            d.fail(QStringLiteral("close code %1 out of range").arg(code));
        ws.closeCode = int(code);
    }
    ws.closeReason = d.string();
    d.timestamps({&ws.timestampEnd});
    const qsizetype n = d.count("message count");
    for (qsizetype i = 0; i < n && !d.failed(); ++i) {
        Decoder md = d.section();
        WebSocketMessage m;
        const quint64 mf = md.varint();
        m.fromClient = mf & MessageFromClient;
        m.isText = mf & MessageIsText;
        m.injected = mf & MessageInjected;
        m.dropped = mf & MessageDropped;
        md.timestamps({&m.timestamp});
        m.content = md.bytes();
        ws.messages.push_back(std::move(m));
    }
}

void encodeTcp(Encoder& e, const TcpData& tcp)
{
    const qsizetype s = e.beginSection();
    e.varint(tcp.closedByClient ? quint64(TcpClosedByClient) : 0);
    e.timestamps({tcp.timestampEnd});
    e.varint(quint64(tcp.messages.size()));
    for (const TcpMessage& m : tcp.messages) {
        const qsizetype ms = e.beginSection();
        quint64 mf = m.fromClient ? quint64(MessageFromClient) : 0;
        if (m.injected) // since format 1.4, as for WebSocket messages
            mf |= MessageInjected;
        if (m.dropped)
            mf |= MessageDropped;
        e.varint(mf);
        e.timestamps({m.timestamp});
        e.bytes(m.content);
        e.endSection(ms);
    }
    e.endSection(s);
}

void decodeTcp(Decoder d, TcpData& tcp)
{
    tcp.closedByClient = d.varint() & TcpClosedByClient;
    d.timestamps({&tcp.timestampEnd});
    const qsizetype n = d.count("message count");
    for (qsizetype i = 0; i < n && !d.failed(); ++i) {
        Decoder md = d.section();
        TcpMessage m;
        const quint64 mf = md.varint();
        m.fromClient = mf & MessageFromClient;
        m.injected = mf & MessageInjected;
        m.dropped = mf & MessageDropped;
        md.timestamps({&m.timestamp});
        m.content = md.bytes();
        tcp.messages.push_back(std::move(m));
    }
}

qsizetype tcpContentSize(const TcpData& tcp)
{
    qsizetype n = 0;
    for (const TcpMessage& m : tcp.messages)
        n += m.content.size() + 12;
    return n;
}

qsizetype webSocketContentSize(const WebSocketData& ws)
{
    qsizetype n = 0;
    for (const WebSocketMessage& m : ws.messages)
        n += m.content.size() + 16;
    return n;
}

qsizetype chainSize(const QList<QByteArray>& chain)
{
    qsizetype n = 0;
    for (const QByteArray& c : chain)
        n += c.size() + 4;
    return n;
}

} // namespace

QByteArray FlowCodec::encodeFlow(const HttpFlow& flow)
{
    return encodeFlow(flow, ChainRefs{});
}

QByteArray FlowCodec::encodeFlow(const HttpFlow& flow, ChainRefs refs)
{
    return encode(flow, refs, nullptr);
}

QByteArray FlowCodec::encodeFlowForStore(const HttpFlow& flow, FieldTable& table)
{
    return encode(flow, ChainRefs{}, &table);
}

// storeTable non-null: FlowStore's form, as encodeFlow() of a copy whose bodies are empty,
// that has no WebSocket or TCP data and whose connection sections are empty, without making
// that copy; no flow id; fields, strings and timestamps as Encoder::useStoreForm() says.
QByteArray FlowCodec::encode(const HttpFlow& flow, ChainRefs refs, FieldTable* storeTable)
{
    const bool withContent = storeTable == nullptr;
    const bool withConnections = storeTable == nullptr;
    const WebSocketData* websocket = withContent ? flow.websocket.get() : nullptr;
    const TcpData* tcp = withContent ? flow.tcp.get() : nullptr;
    qsizetype estimate = 512;
    if (withContent) {
        estimate += flow.request.body.content.size();
        if (flow.response)
            estimate += flow.response->body.content.size();
    }
    if (withConnections && refs.client == 0)
        estimate += chainSize(flow.client.certificateChainDer);
    if (withConnections && refs.server == 0)
        estimate += chainSize(flow.server.certificateChainDer);
    if (websocket)
        estimate += webSocketContentSize(*websocket);
    if (tcp)
        estimate += tcpContentSize(*tcp);
    Encoder e(estimate);
    if (storeTable)
        e.useStoreForm(storeTable);
    else
        e.raw(flow.id.toRfc4122());
    quint64 flags = 0;
    if (flow.live)
        flags |= FlowLive;
    if (flow.intercepted)
        flags |= FlowIntercepted;
    if (flow.isReplay)
        flags |= FlowIsReplay;
    if (flow.isServerReplay)
        flags |= FlowIsServerReplay;
    if (flow.response)
        flags |= FlowHasResponse;
    if (flow.error)
        flags |= FlowHasError;
    if (websocket)
        flags |= FlowHasWebSocket;
    if (flow.kind == FlowKind::Tcp)
        flags |= FlowIsTcp;
    e.varint(flags);
    e.string(flow.marked);
    e.string(flow.comment);
    if (withConnections) {
        encodeConnectionSection(e, flow.client, refs.client);
        encodeConnectionSection(e, flow.server, refs.server);
    } else {
        e.u8(0); // two empty sections
        e.u8(0);
    }
    encodeRequest(e, flow.request);
    if (flow.response)
        encodeResponse(e, *flow.response);
    if (flow.error) {
        const qsizetype s = e.beginSection();
        e.string(flow.error->message);
        e.timestamps({flow.error->timestamp});
        e.endSection(s);
    }
    if (websocket)
        encodeWebSocket(e, *websocket);
    if (flow.kind == FlowKind::Tcp)
        encodeTcp(e, tcp ? *tcp : TcpData{});
    return e.take();
}

QString FlowCodec::decodeFlow(QByteArrayView payload, const QList<CertificateChain>& chains,
                              HttpFlow& out)
{
    return decode(payload, &chains, out, nullptr);
}

QString FlowCodec::decodeFlowForStore(QByteArrayView payload, const FieldTable& table,
                                      HttpFlow& out)
{
    return decode(payload, nullptr, out, &table);
}

QByteArray FlowCodec::encodeConnection(const Connection& connection, quint32 chainRef)
{
    Encoder e(chainRef == 0 ? 160 + chainSize(connection.certificateChainDer) : 160);
    encodeConnectionFields(e, connection, chainRef);
    return e.take();
}

QString FlowCodec::decodeConnection(QByteArrayView payload, const QList<CertificateChain>& chains,
                                    Connection& out)
{
    QString error;
    decodeConnectionFields(Decoder(payload, &error), chains, out);
    return error;
}

// storeTable non-null: FlowStore's form; the connection sections are empty and left
// undecoded, and out.id is left as it is.
QString FlowCodec::decode(QByteArrayView payload, const QList<CertificateChain>* chains,
                          HttpFlow& out, const FieldTable* storeTable)
{
    QString error;
    StoreForm storeForm{storeTable};
    StoreForm* store = storeTable ? &storeForm : nullptr;
    Decoder d(payload, &error, store);
    if (!store) {
        const QByteArrayView uuid = d.raw(16);
        if (!d.failed())
            out.id = QUuid::fromRfc4122(uuid);
    }
    const quint64 flags = d.varint();
    out.live = flags & FlowLive;
    out.intercepted = flags & FlowIntercepted;
    out.isReplay = flags & FlowIsReplay;
    out.isServerReplay = flags & FlowIsServerReplay;
    out.marked = d.string();
    out.comment = d.string();
    if (!store) {
        decodeConnectionFields(d.section(), *chains, out.client);
        decodeConnectionFields(d.section(), *chains, out.server);
    } else {
        d.section();
        d.section();
    }
    decodeRequest(d.section(), out.request);
    out.response.reset();
    if (flags & FlowHasResponse) {
        out.response.emplace();
        decodeResponse(d.section(), *out.response);
    }
    out.error.reset();
    if (flags & FlowHasError) {
        Decoder e = d.section();
        FlowError fe;
        fe.message = e.string();
        e.timestamps({&fe.timestamp});
        out.error = fe;
    }
    out.websocket.reset();
    if (flags & FlowHasWebSocket) {
        auto ws = std::make_shared<WebSocketData>();
        decodeWebSocket(d.section(), *ws);
        out.websocket = std::move(ws);
    }
    out.kind = FlowKind::Http;
    out.tcp.reset();
    if (flags & FlowIsTcp) {
        auto tcp = std::make_shared<TcpData>();
        decodeTcp(d.section(), *tcp);
        out.kind = FlowKind::Tcp;
        out.tcp = std::move(tcp);
    }
    return error;
}

QByteArray FlowCodec::encodeCertificateChain(const CertificateChain& chain)
{
    Encoder e(chainSize(chain) + 8);
    e.byteList(chain);
    return e.take();
}

QString FlowCodec::decodeCertificateChain(QByteArrayView payload, CertificateChain& out)
{
    QString error;
    Decoder d(payload, &error);
    out = d.byteList();
    return error;
}

} // namespace spyglass

#pragma once
// server_replay (mitmproxy `addons/serverplayback.py`): answer requests from recorded flows
// instead of asking the server. `server_replay` names session or HAR files; their flows with a
// response are filed under a key of their request (mitmproxy's `_hash`): scheme, method, path,
// the body (or, with server_replay_ignore_payload_params, the urlencoded or multipart fields
// not ignored), the host (Host header, else the URL's) unless ignored, the port unless
// ignored, the query parameters not in server_replay_ignore_params, and the values of the
// server_replay_use_headers. In the `request` hook a request with the same key gets a copy of
// the next recorded response for that key, in recorded order; each is used once unless
// server_replay_reuse. server_replay_refresh shifts Date, Expires, Last-Modified and cookie
// expiry dates by the time since the recording. A request with no recorded answer is
// forwarded, killed, or answered with an empty 204/400/404/500 (server_replay_extra); as in
// mitmproxy this holds while answers are left: once every one is used, requests go upstream.
// Replayed answers (and the numeric extra ones) are marked HttpFlow::isServerReplay
// (filter ~replays) and timestamped now.
//
// No server needed: for a CONNECT whose destination has recorded answers (or any, when every
// request will be answered: extra is not forward), the addon answers the CONNECT itself
// (http_connect sets a 200, so even connection_strategy=eager opens no server), and at the
// tunnel's tls_clienthello it asks for the client handshake without the server first. A
// request in that tunnel that is not in the recording and is forwarded opens the server then,
// as with connection_strategy=lazy. (mitmproxy needs lazy for HTTPS replay without a server.)
//
// Options may change while the proxy runs: a changed file list reloads the files (answers
// used so far are forgotten); a changed key option re-files the answers not yet used
// (mitmproxy's recompute_hashes).
//
// Threads: hooks run on every worker at once; the recording and its keys are guarded by a
// mutex, held only to compute a key and take an answer, never while reading files.

#include "addons/addon.h"

#include <QHash>
#include <QStringList>
#include <atomic>
#include <deque>
#include <memory>
#include <mutex>

namespace spyglass::addons {

class ServerReplay : public Addon
{
public:
    // What goes into a request's key (the server_replay_ignore_* and _use_headers options).
    struct KeyOptions
    {
        bool ignoreContent = false;
        bool ignoreHost = false;
        bool ignorePort = false;
        QStringList ignoreParams;
        QStringList ignorePayloadParams;
        QStringList useHeaders;
        bool operator==(const KeyOptions&) const = default;
    };

    ServerReplay();
    ~ServerReplay() override;

    QString name() const override { return QStringLiteral("server_replay"); }
    QString configure(const Options& options) override;
    quint64 wantedHooks() const override;
    bool run(const proxy::HookPtr& hook, const std::function<void()>& complete) override;
    void httpConnect(HttpFlow& flow) override;
    void request(HttpFlow& flow) override;

    // mitmproxy's `_hash`: the same for two requests that one recorded answer may answer.
    static QByteArray key(const Request& request, const KeyOptions& options);
    // The flows of these files, in file order: session files (io/session_reader.h) and HAR
    // (io/har_reader.h), told apart by their content. On failure an error naming the file.
    static QList<HttpFlow> readFlows(const QStringList& paths, QString* error);
    // mitmproxy's Response.refresh(): Date, Expires, Last-Modified and Set-Cookie expiry
    // dates moved forward by `now - response.timestampStart` (seconds).
    static void refresh(Response& response, double now);

    // Thread-safe. Replaces the recording by these flows' responses (mitmproxy's
    // replay.server), filed under the current key options.
    void setFlows(const QList<HttpFlow>& flows);
    // Thread-safe. Answers not yet used (mitmproxy's replay.server.count).
    int count() const;

    // Tests: the clock for timestamps and refresh (default: the system clock).
    void setClock(std::function<double()> clock) { m_clock = std::move(clock); }

private:
    struct Entry
    {
        quint64 order; // position in the recording, kept across re-filing
        std::shared_ptr<const HttpFlow> flow;
    };
    enum class Extra : quint8
    {
        Forward,
        Kill,
        Status,
    };

    // The flows that can answer: those with a response whose body was recorded (one that
    // was streamed past stream_large_bodies was not, and is left out with a warning).
    std::vector<Entry> entriesOf(QList<HttpFlow> flows) const;
    // Files `entries` under m_keys (m_mutex held).
    void fileEntries(std::vector<Entry> entries);
    // Could a request to this address be answered without its server (m_mutex held)?
    bool covers(const QByteArray& host, quint16 port) const;
    // Takes the next answer for `flow`'s request (none: nullptr).
    std::shared_ptr<const HttpFlow> take(const HttpFlow& flow);
    void updateWanted(); // m_mutex held

    mutable std::mutex m_mutex;
    // The hooks wanted: none once nothing is left to replay (mitmproxy: `if self.flowmap`).
    std::atomic<quint64> m_wanted{0};
    QHash<QByteArray, std::deque<Entry>> m_map;
    KeyOptions m_keys;
    QStringList m_files;
    Extra m_extra = Extra::Forward;
    int m_extraStatus = 0;
    bool m_reuse = false;
    bool m_refresh = true;
    std::function<double()> m_clock;
};

} // namespace spyglass::addons

// The scripting API that scripts see (docs/scripting.md), built in each script's QJSEngine
// before the script runs. Everything a script can reach is a class below or the `spyglass`
// object; names that start with "_" are internal. ScriptApi::exposedApi enumerates the
// classes' members from here, and a test checks docs/scripting.md names each one.
//
// C++ hands each hook a plain "raw" object (flow_to_js.cpp) and reads back what `collect`
// returns: only what a hook changed is applied to the flow, on the flow's worker.
(function (native, global) {
    "use strict";

    function toBytes(v) {
        if (v === undefined || v === null)
            return new ArrayBuffer(0);
        if (v instanceof ArrayBuffer)
            return v;
        if (ArrayBuffer.isView(v))
            return v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength);
        return native.encodeUtf8(String(v));
    }
    function decodeComponent(s) {
        try {
            return decodeURIComponent(s.replace(/\+/g, " "));
        } catch (e) {
            return s;
        }
    }
    function parseUrlencoded(text) {
        const out = {};
        if (!text)
            return out;
        for (const part of text.split("&")) {
            if (part === "")
                continue;
            const eq = part.indexOf("=");
            const k = decodeComponent(eq < 0 ? part : part.slice(0, eq));
            if (!(k in out))
                out[k] = eq < 0 ? "" : decodeComponent(part.slice(eq + 1));
        }
        return out;
    }
    function encodeUrlencoded(obj) {
        return Object.keys(obj)
            .map(function (k) {
                return encodeURIComponent(k) + "=" + encodeURIComponent(String(obj[k]));
            })
            .join("&");
    }
    function readOnly(name) {
        throw new TypeError(name + " is read-only");
    }

    class Headers {
        constructor(init) {
            this._f = [];
            if (init === undefined || init === null)
                return;
            if (init instanceof Headers) {
                this._f = init._f.map(function (p) { return [p[0], p[1]]; });
            } else if (Array.isArray(init)) {
                for (const p of init)
                    this._f.push([String(p[0]), String(p[1])]);
            } else {
                for (const k of Object.keys(init)) {
                    const v = init[k];
                    if (Array.isArray(v))
                        for (const x of v)
                            this._f.push([k, String(x)]);
                    else
                        this._f.push([k, String(v)]);
                }
            }
        }
        get(name) {
            const n = String(name).toLowerCase();
            for (const p of this._f)
                if (p[0].toLowerCase() === n)
                    return p[1];
            return null;
        }
        getAll(name) {
            const n = String(name).toLowerCase();
            return this._f.filter(function (p) { return p[0].toLowerCase() === n; })
                .map(function (p) { return p[1]; });
        }
        has(name) { return this.get(name) !== null; }
        set(name, value) {
            if (value === null || value === undefined) {
                this.delete(name);
                return;
            }
            const n = String(name).toLowerCase();
            const at = this._f.findIndex(function (p) { return p[0].toLowerCase() === n; });
            if (at < 0) {
                this._f.push([String(name), String(value)]);
                return;
            }
            this._f = this._f.filter(function (p, i) {
                return i === at || p[0].toLowerCase() !== n;
            });
            this._f[at] = [String(name), String(value)];
        }
        add(name, value) { this._f.push([String(name), String(value)]); }
        delete(name) {
            const n = String(name).toLowerCase();
            const before = this._f.length;
            this._f = this._f.filter(function (p) { return p[0].toLowerCase() !== n; });
            return before - this._f.length;
        }
        keys() {
            const seen = [];
            for (const p of this._f)
                if (!seen.some(function (s) { return s.toLowerCase() === p[0].toLowerCase(); }))
                    seen.push(p[0]);
            return seen;
        }
        get fields() { return this._f.map(function (p) { return [p[0], p[1]]; }); }
        get length() { return this._f.length; }
    }

    class Message {
        constructor(raw) {
            this._raw = raw;
            this._headers = null; // made from raw.headers (flat: name, value, ...) on first use
            this._content = raw.content;
            this._contentChanged = false;
            this._touched = false; // a setter wrote to _raw
        }
        get headers() { return this._h(); }
        set headers(h) { this._headers = new Headers(h); }
        get httpVersion() { return this._raw.httpVersion; }
        set httpVersion(v) { this._touch().httpVersion = String(v); }
        get content() { return this._content; }
        set content(v) {
            this._content = toBytes(v);
            this._contentChanged = true;
            if (this._h().has("content-length"))
                this._h().set("Content-Length", String(this._content.byteLength));
        }
        get text() { return native.decodeUtf8(this._content); }
        set text(v) { this.content = native.encodeUtf8(String(v)); }
        json() { return JSON.parse(this.text); }
        get streamed() { return this._raw.streamed; }
        get timestampStart() { return this._raw.timestampStart; }
        get timestampEnd() { return this._raw.timestampEnd; }
        _h() {
            if (this._headers === null) {
                const h = new Headers();
                const flat = this._raw.headers;
                for (let i = 0; i + 1 < flat.length; i += 2)
                    h._f.push([flat[i], flat[i + 1]]);
                this._headers = h;
            }
            return this._headers;
        }
        _touch() {
            this._touched = true;
            return this._raw;
        }
        _rawOut() {
            const r = Object.assign({}, this._raw);
            r.headers = this._h()._f;
            r.contentChanged = this._contentChanged;
            r.content = this._contentChanged ? this._content : undefined;
            return r;
        }
        // What a hook's answer carries (invoke): null when the script changed nothing here;
        // otherwise the fields, only if a setter ran, and the headers, only if the script
        // reached them. C++ (flow_to_js.cpp) leaves what is undefined as it was and applies
        // the rest where it differs.
        _changesOut() {
            if (!this._touched && this._headers === null && !this._contentChanged)
                return null;
            const r = this._touched ? Object.assign({}, this._raw) : {};
            r.headers = this._headers === null ? undefined : this._headers._f;
            r.contentChanged = this._contentChanged;
            r.content = this._contentChanged ? this._content : undefined;
            return r;
        }
    }

    function defaultPort(scheme) { return scheme === "https" || scheme === "wss" ? 443 : 80; }

    class Request extends Message {
        get method() { return this._raw.method; }
        set method(v) { this._touch().method = String(v).toUpperCase(); }
        get scheme() { return this._raw.scheme; }
        set scheme(v) { this._touch().scheme = String(v).toLowerCase(); }
        get authority() { return this._raw.authority; }
        set authority(v) { this._touch().authority = String(v); }
        get host() { return this._raw.host; }
        set host(v) {
            this._touch().host = String(v);
            const hp = this._hostPort();
            if (this._h().has("host"))
                this._h().set("Host", hp);
            if (this._raw.authority)
                this._touch().authority = hp;
        }
        get port() { return this._raw.port; }
        set port(v) {
            const n = Number(v);
            if (!(n >= 1 && n <= 65535) || Math.floor(n) !== n)
                throw new RangeError("port must be 1 to 65535, not " + v);
            this._touch().port = n;
            this.host = this._raw.host; // Host header and authority follow
        }
        get path() { return this._raw.path; }
        set path(v) { this._touch().path = String(v); }
        get url() {
            const h = this._raw.host.indexOf(":") >= 0 ? "[" + this._raw.host + "]" : this._raw.host;
            if (this._raw.method === "CONNECT")
                return h + ":" + this._raw.port;
            const port = this._raw.port === defaultPort(this._raw.scheme) ? "" : ":" + this._raw.port;
            return this._raw.scheme + "://" + h + port + this._raw.path;
        }
        set url(v) {
            const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(\[[^\]]+\]|[^\/:?#]+)(?::(\d+))?([^#]*)/.exec(String(v));
            if (!m)
                throw new TypeError("not an absolute URL: " + v);
            this._touch().scheme = m[1].toLowerCase();
            this._touch().port = m[3] ? Number(m[3]) : defaultPort(this._raw.scheme);
            this._touch().path = m[4] === "" ? "/" : (m[4][0] === "?" ? "/" + m[4] : m[4]);
            this.host = m[2].replace(/^\[|\]$/g, "");
        }
        _hostPort() {
            const h = this._raw.host.indexOf(":") >= 0 ? "[" + this._raw.host + "]" : this._raw.host;
            return this._raw.port === defaultPort(this._raw.scheme) ? h : h + ":" + this._raw.port;
        }
        get query() {
            const q = this._raw.path.indexOf("?");
            return q < 0 ? {} : parseUrlencoded(this._raw.path.slice(q + 1));
        }
        set query(obj) {
            const q = this._raw.path.indexOf("?");
            const base = q < 0 ? this._raw.path : this._raw.path.slice(0, q);
            const enc = encodeUrlencoded(obj || {});
            this._touch().path = enc ? base + "?" + enc : base;
        }
        get cookies() {
            const out = {};
            for (const line of this._h().getAll("cookie"))
                for (const part of line.split(";")) {
                    const eq = part.indexOf("=");
                    if (eq < 0)
                        continue;
                    const k = part.slice(0, eq).trim();
                    if (k && !(k in out))
                        out[k] = part.slice(eq + 1).trim();
                }
            return out;
        }
        set cookies(obj) {
            const v = Object.keys(obj || {}).map(function (k) { return k + "=" + obj[k]; }).join("; ");
            this._h().set("Cookie", v === "" ? null : v);
        }
        get urlencodedForm() {
            const ct = (this._h().get("content-type") || "").toLowerCase();
            return ct.indexOf("application/x-www-form-urlencoded") < 0 ? {} : parseUrlencoded(this.text);
        }
        set urlencodedForm(obj) {
            this._h().set("Content-Type", "application/x-www-form-urlencoded");
            this.text = encodeUrlencoded(obj || {});
        }
        get multipartForm() {
            const ct = this._h().get("content-type") || "";
            const m = /multipart\/form-data.*boundary="?([^";]+)"?/i.exec(ct);
            const out = {};
            if (!m)
                return out;
            const parts = this.text.split("--" + m[1]);
            for (const part of parts) {
                const sep = part.indexOf("\r\n\r\n");
                if (sep < 0)
                    continue;
                const name = /name="([^"]*)"/i.exec(part.slice(0, sep));
                if (name && !(name[1] in out))
                    out[name[1]] = part.slice(sep + 4).replace(/\r\n$/, "");
            }
            return out;
        }
        set multipartForm(v) { readOnly("multipartForm"); }
    }

    class Response extends Message {
        static make(status, body, headers) {
            const h = new Headers(headers);
            let bytes;
            if (body !== undefined && body !== null && typeof body === "object" &&
                !(body instanceof ArrayBuffer) && !ArrayBuffer.isView(body)) {
                bytes = native.encodeUtf8(JSON.stringify(body));
                if (!h.has("content-type"))
                    h.set("Content-Type", "application/json");
            } else {
                bytes = toBytes(body);
            }
            const now = Date.now() / 1000;
            const r = new Response({httpVersion: "HTTP/1.1", status: status === undefined ? 200 : Number(status),
                                    reason: "", headers: [], content: bytes, streamed: false,
                                    timestampStart: now, timestampEnd: now});
            h.set("Content-Length", String(bytes.byteLength));
            r._headers = h;
            r._contentChanged = true;
            return r;
        }
        get status() { return this._raw.status; }
        set status(v) {
            const n = Number(v);
            if (!(n >= 100 && n <= 999) || Math.floor(n) !== n)
                throw new RangeError("status must be 100 to 999, not " + v);
            this._touch().status = n;
        }
        get reason() { return this._raw.reason; }
        set reason(v) { this._touch().reason = String(v); }
        get cookies() {
            const out = {};
            for (const line of this._h().getAll("set-cookie")) {
                const first = line.split(";")[0];
                const eq = first.indexOf("=");
                if (eq > 0)
                    out[first.slice(0, eq).trim()] = first.slice(eq + 1).trim();
            }
            return out;
        }
        set cookies(v) { readOnly("Response.cookies"); }
    }

    class WebSocketMessage {
        constructor(raw) {
            this._raw = raw;
            this._changed = false;
        }
        get fromClient() { return this._raw.fromClient; }
        get isText() { return this._raw.isText; }
        get timestamp() { return this._raw.timestamp; }
        get injected() { return this._raw.injected; }
        get dropped() { return this._raw.dropped; }
        get content() { return this._raw.content; }
        set content(v) {
            this._raw.content = toBytes(v);
            this._raw.isText = !(v instanceof ArrayBuffer || ArrayBuffer.isView(v));
            this._changed = true;
        }
        get text() { return native.decodeUtf8(this._raw.content); }
        set text(v) { this.content = String(v); }
        drop() {
            this._raw.dropped = true;
            this._changed = true;
        }
    }

    class WebSocketData {
        constructor(raw) {
            this._raw = raw;
            this._last = raw.last ? new WebSocketMessage(raw.last) : null;
            this._messages = null;
        }
        get messages() {
            if (this._messages === null) {
                this._messages = native.websocketMessages().map(function (m) {
                    return new WebSocketMessage(m);
                });
                if (this._last && this._messages.length)
                    this._messages[this._messages.length - 1] = this._last;
            }
            return this._messages;
        }
        get lastMessage() { return this._last; }
        get closeCode() { return this._raw.closeCode; }
        get closeReason() { return this._raw.closeReason; }
        get closedByClient() { return this._raw.closedByClient; }
        get timestampEnd() { return this._raw.timestampEnd; }
    }

    class TcpMessage {
        constructor(raw) {
            this._raw = raw;
            this._changed = false;
        }
        get fromClient() { return this._raw.fromClient; }
        get content() { return this._raw.content; }
        set content(v) {
            this._raw.content = toBytes(v);
            this._changed = true;
        }
        get text() { return native.decodeUtf8(this._raw.content); }
        set text(v) { this.content = String(v); }
        get timestamp() { return this._raw.timestamp; }
        get injected() { return this._raw.injected; }
        get dropped() { return this._raw.dropped; }
        drop() {
            this._raw.dropped = true;
            this._changed = true;
        }
    }

    class TcpData {
        constructor(raw) {
            this._raw = raw;
            this._last = raw.last ? new TcpMessage(raw.last) : null;
            this._messages = null;
        }
        get messages() {
            if (this._messages === null) {
                this._messages = native.tcpMessages().map(function (m) { return new TcpMessage(m); });
                if (this._last && this._messages.length)
                    this._messages[this._messages.length - 1] = this._last;
            }
            return this._messages;
        }
        get lastMessage() { return this._last; }
        get closedByClient() { return this._raw.closedByClient; }
        get timestampEnd() { return this._raw.timestampEnd; }
    }

    class Connection {
        // The raw object may be shared by every hook of the connection (js_cache.h): only
        // read it; an error a script sets stays on this wrapper.
        constructor(raw) {
            this._raw = raw;
            this._error = raw.error;
        }
        get id() { return this._raw.id; }
        get host() { return this._raw.host; }
        get port() { return this._raw.port; }
        get address() { return this._raw.address; }
        get tls() { return this._raw.tls; }
        get sni() { return this._raw.sni; }
        get alpn() { return this._raw.alpn; }
        get tlsVersion() { return this._raw.tlsVersion; }
        get cipher() { return this._raw.cipher; }
        get error() { return this._error; }
        // Honoured in client_connected and server_connect: a non-empty error refuses the
        // connection. Elsewhere a change is ignored.
        set error(v) { this._error = v === null || v === undefined ? "" : String(v); }
        get timestampStart() { return this._raw.timestampStart; }
        get timestampTlsSetup() { return this._raw.timestampTlsSetup; }
        get timestampEnd() { return this._raw.timestampEnd; }
    }

    class ClientHello {
        constructor(raw) {
            this._raw = raw;
            this._client = raw.client ? new Connection(raw.client) : null;
        }
        get sni() { return this._raw.sni; }
        get alpnProtocols() { return this._raw.alpnProtocols.slice(); }
        get client() { return this._client; }
        get ignoreConnection() { return this._raw.ignoreConnection; }
        set ignoreConnection(v) { this._raw.ignoreConnection = Boolean(v); }
    }

    class ServerConnectionHookData {
        constructor(raw) {
            this._client = raw.client ? new Connection(raw.client) : null;
            this._server = raw.server ? new Connection(raw.server) : null;
        }
        get client() { return this._client; }
        get server() { return this._server; }
    }

    const metadata = new Map();
    const metadataLimit = 10000;

    // The hooks whose flow can be held: those the `intercept` option holds in.
    const interceptHooks = ["request", "response", "websocket_message"];
    let current = null; // the Flow of the running hook
    let currentHook = "";

    class Flow {
        constructor(raw) {
            this._raw = raw;
            this._request = raw.request ? new Request(raw.request) : null;
            this._response = raw.response ? new Response(raw.response) : null;
            this._responseReplaced = false;
            this._killed = false;
            this._intercept = false;
            this._websocket = raw.websocket ? new WebSocketData(raw.websocket) : null;
            this._tcp = raw.tcp ? new TcpData(raw.tcp) : null;
            this._client = null;
            this._server = null;
        }
        get id() { return this._raw.id; }
        get kind() { return this._raw.kind; }
        get live() { return this._raw.live; }
        get isReplay() { return this._raw.isReplay; }
        get request() { return this._request; }
        get response() { return this._response; }
        set response(r) {
            if (!(r instanceof Response))
                throw new TypeError("flow.response takes a Response (Response.make(...))");
            this._response = r;
            this._responseReplaced = true;
        }
        get error() { return this._raw.error; }
        get websocket() { return this._websocket; }
        get tcp() { return this._tcp; }
        get client() {
            if (this._client === null && this._raw.client)
                this._client = new Connection(this._raw.client);
            return this._client;
        }
        get server() {
            if (this._server === null && this._raw.server)
                this._server = new Connection(this._raw.server);
            return this._server;
        }
        get marked() { return this._raw.marked; }
        set marked(v) {
            const m = v === true ? ":default:" : (v ? String(v) : "");
            if (m !== "" && !native.isValidMarker(m))
                throw new TypeError("invalid marker value '" + m + "' (an emoji code such as " +
                                    "':star:', ':default:', or one letter or digit)");
            this._raw.marked = m;
        }
        get comment() { return this._raw.comment; }
        set comment(v) { this._raw.comment = v ? String(v) : ""; }
        get metadata() {
            let m = metadata.get(this._raw.id);
            if (m === undefined) {
                if (metadata.size >= metadataLimit)
                    metadata.delete(metadata.keys().next().value);
                m = {};
                metadata.set(this._raw.id, m);
            }
            return m;
        }
        kill() {
            if (this !== current) // a flow whose hook has returned: kill it if it is held
                return native.killFlow(this._raw.id);
            this._killed = true;
            this._intercept = false;
            if (this._websocket && this._websocket.lastMessage)
                this._websocket.lastMessage.drop();
            if (this._tcp && this._tcp.lastMessage)
                this._tcp.lastMessage.drop();
            return true;
        }
        intercept() {
            if (this !== current || interceptHooks.indexOf(currentHook) < 0)
                throw new Error("flow.intercept() holds the flow of a running " +
                                interceptHooks.join(", ") + " hook");
            this._intercept = true;
        }
        resume() {
            if (this === current) {
                const was = this._intercept;
                this._intercept = false;
                return was;
            }
            return native.resumeFlow(this._raw.id);
        }
        get intercepted() {
            return this === current ? this._intercept : native.isHeld(this._raw.id);
        }
    }

    function logWith(level) {
        return function () {
            native.log(level, Array.prototype.map.call(arguments, function (a) {
                return typeof a === "string" ? a : JSON.stringify(a);
            }).join(" "));
        };
    }

    let options = {};
    const timers = new Map(); // spyglass.setTimeout id -> callback
    const spyglass = {
        log: {debug: logWith(0), info: logWith(1), warn: logWith(2), error: logWith(3)},
        addOption(name, type, defaultValue, help) {
            const def = defaultValue === undefined || defaultValue === null ? "" : String(defaultValue);
            const err = native.addOption(String(name), String(type), def, help ? String(help) : "");
            if (err)
                throw new Error(err);
        },
        get options() { return options; },
        readFile(path) { return native.readFile(String(path)); },
        readText(path) {
            const b = native.readFile(String(path));
            return b === null ? null : native.decodeUtf8(b);
        },
        writeFile(path, data) {
            const err = native.writeFile(String(path), toBytes(data), false);
            if (err)
                throw new Error(err);
        },
        appendFile(path, data) {
            const err = native.writeFile(String(path), toBytes(data), true);
            if (err)
                throw new Error(err);
        },
        get scriptPath() { return native.scriptPath(); },
        setTimeout(fn, ms) {
            if (typeof fn !== "function")
                throw new TypeError("spyglass.setTimeout takes a function");
            const delay = Math.min(Math.max(0, Math.floor(Number(ms) || 0)), 2147483647);
            const id = native.addTimer(delay);
            timers.set(id, fn);
            return id;
        },
        clearTimeout(id) {
            if (timers.delete(Number(id)))
                native.cancelTimer(Number(id));
        },
        replay(flow) {
            if (!(flow instanceof Flow))
                throw new TypeError("spyglass.replay takes a flow");
            if (flow.kind !== "http" || !flow._request)
                throw new Error("Can only replay HTTP flows.");
            if (flow._websocket)
                throw new Error("Can't replay WebSocket flows.");
            const r = flow._request._rawOut();
            r.fullContent = flow._request._content;
            const answer = native.replay(r, flow._raw.id);
            if (answer.error)
                throw new Error(answer.error);
            return answer.id;
        },
        // mitmproxy's inject.websocket and inject.tcp commands: a message of the proxy's own
        // into a live flow, after what its connection is relaying now.
        inject: {
            websocket(flow, toClient, message, isText) {
                injectInto(flow, "websocket", toClient, message,
                           isText === undefined ? !(message instanceof ArrayBuffer ||
                                                    ArrayBuffer.isView(message)) : !!isText);
            },
            tcp(flow, toClient, message) {
                injectInto(flow, "tcp", toClient, message, false);
            },
        },
    };
    function injectInto(flow, kind, toClient, message, isText) {
        if (!(flow instanceof Flow))
            throw new TypeError("inject." + kind + ": the first argument must be a flow");
        if (kind === "websocket" ? !flow.websocket : !flow.tcp)
            throw new TypeError("inject." + kind + ": flow " + flow.id + " is not a " +
                                (kind === "websocket" ? "WebSocket" : "TCP") + " flow");
        const err = native.inject(flow.id, !!toClient, toBytes(message), isText);
        if (err)
            throw new Error("inject." + kind + ": " + err);
    }
    Object.freeze(spyglass.inject);
    Object.freeze(spyglass.log);
    Object.defineProperty(global, "spyglass", {value: Object.freeze(spyglass)});
    Object.defineProperty(global, "Response", {value: Response});
    Object.defineProperty(global, "Headers", {value: Headers});

    const finalHooks = ["error", "websocket_end", "tcp_end", "tcp_error"];

    function members(proto) {
        const out = [];
        for (let p = proto; p && p !== Object.prototype; p = Object.getPrototypeOf(p))
            for (const n of Object.getOwnPropertyNames(p))
                if (n !== "constructor" && n[0] !== "_" && out.indexOf(n) < 0)
                    out.push(n);
        return out;
    }

    // Heap ballast, an engine-internal measure (figures: bench/script_bench.sh): every call
    // leaves one tiny object behind here for the next `pinCount` calls. QJSEngine's collector
    // hands every 64 KiB chunk of its heap that holds nothing alive back to the system
    // (madvise, mprotect) and faults it in again when it allocates next; a hook's garbage
    // fills whole chunks, so without these that happened every few dozen hooks and cost more
    // than the hook. With a live object from a recent call in almost every chunk, the
    // collector reuses the chunks' free space instead. Scripts cannot reach this.
    const pinCount = 4096;
    const pins = new Array(pinCount).fill(null);
    let pinAt = 0;

    // What C++ calls (script_runtime.cpp); not reachable from scripts.
    return {
        invoke(fn, hook, raw) {
            pins[pinAt] = {};
            pinAt = pinAt === pinCount - 1 ? 0 : pinAt + 1;
            let arg;
            if (raw === undefined)
                arg = undefined;
            else if (hook === "client_connected" || hook === "client_disconnected")
                arg = new Connection(raw);
            else if (hook === "tls_clienthello")
                arg = new ClientHello(raw);
            else if (hook.indexOf("server_") === 0)
                arg = new ServerConnectionHookData(raw);
            else if (hook === "configure" || hook === "load")
                arg = raw;
            else
                arg = new Flow(raw);
            try {
                if (arg instanceof Flow) {
                    current = arg;
                    currentHook = hook;
                }
                fn.call(global, arg);
            } catch (e) {
                return {ok: false, message: String(e && e.message !== undefined ? e.name + ": " + e.message : e),
                        line: e && e.lineNumber ? e.lineNumber : 0,
                        stack: e && e.stack ? String(e.stack) : ""};
            } finally {
                current = null;
                currentHook = "";
            }
            if (arg instanceof Connection)
                return {ok: true, error: arg._error};
            if (arg instanceof ServerConnectionHookData)
                return {ok: true, error: arg.server ? arg.server._error : undefined};
            if (!(arg instanceof Flow) && !(arg instanceof ClientHello))
                return {ok: true};
            if (arg instanceof ClientHello)
                return {ok: true, ignoreConnection: arg._raw.ignoreConnection};
            const f = arg;
            const out = {ok: true, killed: f._killed, marked: f._raw.marked, comment: f._raw.comment,
                         intercept: f._intercept};
            // Only what the script may have changed goes back (Message._changesOut).
            const request = f._request ? f._request._changesOut() : null;
            if (request !== null)
                out.request = request;
            if (f._response) {
                const response = f._responseReplaced ? f._response._rawOut()
                                                     : f._response._changesOut();
                if (response !== null) {
                    out.response = response;
                    out.responseReplaced = f._responseReplaced;
                }
            }
            if (f._websocket && f._websocket._last && f._websocket._last._changed)
                out.websocketLast = f._websocket._last._raw;
            if (f._tcp && f._tcp._last && f._tcp._last._changed)
                out.tcpLast = f._tcp._last._raw;
            if (finalHooks.indexOf(hook) >= 0 ||
                (hook === "response" && f._response && f._response.status !== 101))
                metadata.delete(f._raw.id);
            return out;
        },
        // The raw objects a hook's argument is made of (flow_to_js.cpp, js_cache.h), each an
        // object literal the engine makes in one piece.
        raw: {
            flow(id, kind, live, isReplay, marked, comment, request, response, error, client,
                 server, websocket, tcp) {
                return {id: id, kind: kind, live: live, isReplay: isReplay, marked: marked,
                        comment: comment, request: request, response: response, error: error,
                        client: client, server: server, websocket: websocket, tcp: tcp};
            },
            request(method, scheme, authority, host, port, path, httpVersion, headers, content,
                    streamed, timestampStart, timestampEnd) {
                return {method: method, scheme: scheme, authority: authority, host: host,
                        port: port, path: path, httpVersion: httpVersion, headers: headers,
                        content: content, streamed: streamed, timestampStart: timestampStart,
                        timestampEnd: timestampEnd};
            },
            response(httpVersion, status, reason, headers, content, streamed, timestampStart,
                     timestampEnd) {
                return {httpVersion: httpVersion, status: status, reason: reason,
                        headers: headers, content: content, streamed: streamed,
                        timestampStart: timestampStart, timestampEnd: timestampEnd};
            },
            connection(id, host, port, address, tls, sni, alpn, tlsVersion, cipher, error,
                       timestampStart, timestampTlsSetup, timestampEnd) {
                return {id: id, host: host, port: port, address: address, tls: tls, sni: sni,
                        alpn: alpn, tlsVersion: tlsVersion, cipher: cipher, error: error,
                        timestampStart: timestampStart, timestampTlsSetup: timestampTlsSetup,
                        timestampEnd: timestampEnd};
            },
        },
        setOptions(o) { options = Object.freeze(o); },
        timer(id) {
            const fn = timers.get(id);
            timers.delete(id);
            return fn;
        },
        api() {
            const out = [];
            const classes = {Flow: Flow, Request: Request, Response: Response, Headers: Headers,
                             WebSocketData: WebSocketData, WebSocketMessage: WebSocketMessage,
                             TcpData: TcpData, TcpMessage: TcpMessage, Connection: Connection,
                             ClientHello: ClientHello, ServerConnectionHookData: ServerConnectionHookData};
            for (const c of Object.keys(classes)) {
                for (const n of members(classes[c].prototype))
                    out.push(c + "." + n);
                for (const n of Object.getOwnPropertyNames(classes[c]))
                    if (["length", "name", "prototype"].indexOf(n) < 0)
                        out.push(c + "." + n);
            }
            for (const n of Object.keys(spyglass))
                out.push("spyglass." + n);
            for (const n of Object.keys(spyglass.log))
                out.push("spyglass.log." + n);
            for (const n of Object.keys(spyglass.inject))
                out.push("spyglass.inject." + n);
            return out;
        },
    };
})

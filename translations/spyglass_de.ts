<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>QObject</name>
    <message>
        <source>Spyglass</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The proxy could not start: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>spyglass::BodyView</name>
    <message>
        <source>How to show the body: Auto picks the view that fits the content</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search in body (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter: next match, Shift+Enter: previous match</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Body:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the first %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a complete JSON document (%1), shown as text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>showing the first %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>spyglass::ConnectionView</name>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Through proxy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not established</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cipher</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SNI</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ALPN offered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ALPN offered by client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ALPN chosen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TCP set up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS set up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a flow to see its connections.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No server connection was made.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server certificate chain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leaf certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Issuer certificate %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>not readable (%n byte(s))</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Issuer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Valid from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Valid until</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alternative names</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Serial number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SHA-256</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>spyglass::ContentView</name>
    <message>
        <source>JSON</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON tree</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>XML</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTML</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Form</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Multipart form</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Query</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Raw</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hex</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n field(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n query parameter(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>file &quot;%1&quot;, %2, %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of binary data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(part %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n part(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>not an image Qt can read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2 × %3 pixels</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>spyglass::FilterBar</name>
    <message>
        <source>Filter, e.g. ~m POST &amp; !~c 200 or ~d example.com</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter expressions: ! (not), &amp; (and), | (or), ( ). Operators:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>spyglass::FlowDetailView</name>
    <message>
        <source>Request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Response</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WebSocket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TCP stream</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The WebSocket messages of this flow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The bytes each side sent on this TCP connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When each phase of the exchange happened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Addresses, TLS and the server&apos;s certificates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a flow to see its request and response.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for the response…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No response.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>spyglass::FlowListModel</name>
    <message>
        <source>error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>#</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Method</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scheme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Content type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>spyglass::FlowStructureModel</name>
    <message>
        <source>Host and path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flows</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>spyglass::FlowTableView</name>
    <message>
        <source>Click to sort, drag to reorder, right-click to choose columns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Columns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset columns</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>spyglass::JsonTreeView</name>
    <message>
        <source>unexpected data after the document</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>offset %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the rest is not shown (more than %1 values)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected a string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bad \u escape</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unterminated string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nested too deeply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unexpected end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>array</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected &apos;:&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected &apos;,&apos; or &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>{%n key(s)}</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>[%n item(s)]</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>boolean</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>null</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a JSON value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>spyglass::Language</name>
    <message>
        <source>&amp;Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Takes effect when Spyglass is started again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;System language</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>spyglass::MainWindow</name>
    <message>
        <source>Spyglass</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Start proxy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Clear flows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove every flow from the list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open session…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save session &amp;as…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Filter…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Intercept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hold the flows that match the intercept filter (Ctrl+I)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Let the selected intercepted flow go on (a)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume &amp;all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Let every intercepted flow go on (A)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Kill</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the selected intercepted flow without an answer (x)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every option of the proxy, as --set names them (Ctrl+,)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Spyglass</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Proxy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F&amp;low</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;Spyglass %1&lt;/h3&gt;&lt;p&gt;An HTTPS-intercepting proxy: it records every exchange between an application and the network, decrypting TLS with certificates from its own certificate authority.&lt;/p&gt;&lt;p&gt;Built with Qt %2, running on Qt %3.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Spyglass</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Intercept filter, e.g. ~u /api &amp; ~m POST</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flows matching this filter are held at their request, their response and each WebSocket message while Intercept is on. Press Enter to apply.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Intercept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flows matching this filter are held while Intercept is on. Press Enter to apply.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flows by host and path; select a resource to see its latest flow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sequence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Structure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every flow in order, filtered and sorted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flows grouped by host and path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 flows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filtering %p%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applying the filter; the list keeps the old rows until then</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start proxy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Stop proxy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listening on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proxy: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proxy stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 flow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grouping the flows by host and path…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved %1 flows to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spyglass sessions (*.spyglass);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spyglass sessions (*.spyglass)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>spyglass::MessageView</name>
    <message>
        <source>streamed, %1, not recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no body</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, decoded from %2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 as received: %2 could not be decoded</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>spyglass::MessagesModel</name>
    <message>
        <source>↑ sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>↓ received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>binary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, injected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, dropped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent by the client to the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent by the server to the client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Direction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Content</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>spyglass::MessagesView</name>
    <message>
        <source>normal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>going away</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>protocol error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unsupported data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no close frame</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>invalid data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>policy violation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>message too big</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>server error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter messages by content</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shows only the messages that contain this text (case-insensitive)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n message(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n message(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>closed by the client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>closed by the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 sent, %2 received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No messages</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>spyglass::OptionsDialog</name>
    <message>
        <source>Network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Intercept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Addons</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search options by name or description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shows only the options whose name or description contains the text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply the changes and close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply the changes: at once where the running proxy allows it, else when it next starts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close without applying</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Put every option back to its default (applied with Apply or OK)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add an entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the selected entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. 512k, 10m, 1g; empty: no limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(Applies when the proxy next starts.)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Defaults shown; Apply or OK applies them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not applied: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applied and saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved. These apply when the proxy next starts: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>spyglass::Theme</name>
    <message>
        <source>&amp;Theme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;System</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light or dark as the desktop is set</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>spyglass::TimingView</name>
    <message>
        <source>%1 µs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client TLS handshake</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server TCP connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server TLS handshake</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for the response</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Response received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WebSocket open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TCP stream</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No timing recorded for this flow.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>total %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
    <context>
        <name>QObject</name>
        <message>
            <source>Spyglass</source>
            <translation>Spyglass</translation>
        </message>
        <message>
            <source>The proxy could not start: %1</source>
            <translation>Der Proxy konnte nicht starten: %1</translation>
        </message>
    </context>
    <context>
        <name>spyglass::BodyView</name>
        <message>
            <source>How to show the body: Auto picks the view that fits the content</source>
            <translation>Darstellung des Inhalts: Automatisch wählt die passende Ansicht</translation>
        </message>
        <message>
            <source>Search in body (Ctrl+F)</source>
            <translation>Im Inhalt suchen (Strg+F)</translation>
        </message>
        <message>
            <source>Enter: next match, Shift+Enter: previous match</source>
            <translation>Enter: nächster Treffer, Umschalt+Enter: vorheriger Treffer</translation>
        </message>
        <message>
            <source>Body:</source>
            <translation>Inhalt:</translation>
        </message>
        <message>
            <source>Auto (%1)</source>
            <translation>Automatisch (%1)</translation>
        </message>
        <message>
            <source>the first %1</source>
            <translation>die ersten %1</translation>
        </message>
        <message>
            <source>not a complete JSON document (%1), shown as text</source>
            <translation>kein vollständiges JSON-Dokument (%1), als Text angezeigt</translation>
        </message>
        <message>
            <source>showing the first %1</source>
            <translation>die ersten %1 werden angezeigt</translation>
        </message>
    </context>
    <context>
        <name>spyglass::ConnectionView</name>
        <message>
            <source>Address</source>
            <translation>Adresse</translation>
        </message>
        <message>
            <source>Local address</source>
            <translation>Lokale Adresse</translation>
        </message>
        <message>
            <source>Through proxy</source>
            <translation>Über Proxy</translation>
        </message>
        <message>
            <source>TLS</source>
            <translation>TLS</translation>
        </message>
        <message>
            <source>not established</source>
            <translation>nicht aufgebaut</translation>
        </message>
        <message>
            <source>no</source>
            <translation>nein</translation>
        </message>
        <message>
            <source>Cipher</source>
            <translation>Chiffre</translation>
        </message>
        <message>
            <source>SNI</source>
            <translation>SNI</translation>
        </message>
        <message>
            <source>ALPN offered</source>
            <translation>Angebotenes ALPN</translation>
        </message>
        <message>
            <source>ALPN offered by client</source>
            <translation>Vom Client angebotenes ALPN</translation>
        </message>
        <message>
            <source>ALPN chosen</source>
            <translation>Gewähltes ALPN</translation>
        </message>
        <message>
            <source>Opened</source>
            <translation>Geöffnet</translation>
        </message>
        <message>
            <source>TCP set up</source>
            <translation>TCP aufgebaut</translation>
        </message>
        <message>
            <source>TLS set up</source>
            <translation>TLS aufgebaut</translation>
        </message>
        <message>
            <source>Closed</source>
            <translation>Geschlossen</translation>
        </message>
        <message>
            <source>Error</source>
            <translation>Fehler</translation>
        </message>
        <message>
            <source>Select a flow to see its connections.</source>
            <translation>Einen Flow wählen, um seine Verbindungen zu sehen.</translation>
        </message>
        <message>
            <source>Client</source>
            <translation>Client</translation>
        </message>
        <message>
            <source>Server</source>
            <translation>Server</translation>
        </message>
        <message>
            <source>No server connection was made.</source>
            <translation>Es wurde keine Serververbindung aufgebaut.</translation>
        </message>
        <message>
            <source>Server certificate chain</source>
            <translation>Zertifikatskette des Servers</translation>
        </message>
        <message>
            <source>Leaf certificate</source>
            <translation>Endzertifikat</translation>
        </message>
        <message>
            <source>Issuer certificate %1</source>
            <translation>Ausstellerzertifikat %1</translation>
        </message>
        <message>
            <source>Certificate</source>
            <translation>Zertifikat</translation>
        </message>
        <message numerus="yes">
            <source>not readable (%n byte(s))</source>
            <translation>
                <numerusform>nicht lesbar (%n Byte)</numerusform>
                <numerusform>nicht lesbar (%n Bytes)</numerusform>
            </translation>
        </message>
        <message>
            <source>Subject</source>
            <translation>Inhaber</translation>
        </message>
        <message>
            <source>Issuer</source>
            <translation>Aussteller</translation>
        </message>
        <message>
            <source>Valid from</source>
            <translation>Gültig ab</translation>
        </message>
        <message>
            <source>Valid until</source>
            <translation>Gültig bis</translation>
        </message>
        <message>
            <source>Alternative names</source>
            <translation>Alternative Namen</translation>
        </message>
        <message>
            <source>Serial number</source>
            <translation>Seriennummer</translation>
        </message>
        <message>
            <source>SHA-256</source>
            <translation>SHA-256</translation>
        </message>
    </context>
    <context>
        <name>spyglass::ContentView</name>
        <message>
            <source>JSON</source>
            <translation>JSON</translation>
        </message>
        <message>
            <source>JSON tree</source>
            <translation>JSON-Baum</translation>
        </message>
        <message>
            <source>XML</source>
            <translation>XML</translation>
        </message>
        <message>
            <source>HTML</source>
            <translation>HTML</translation>
        </message>
        <message>
            <source>Form</source>
            <translation>Formular</translation>
        </message>
        <message>
            <source>Multipart form</source>
            <translation>Multipart-Formular</translation>
        </message>
        <message>
            <source>Query</source>
            <translation>Query</translation>
        </message>
        <message>
            <source>Image</source>
            <translation>Bild</translation>
        </message>
        <message>
            <source>Raw</source>
            <translation>Roh</translation>
        </message>
        <message>
            <source>Hex</source>
            <translation>Hex</translation>
        </message>
        <message numerus="yes">
            <source>%n field(s)</source>
            <translation>
                <numerusform>%n Feld</numerusform>
                <numerusform>%n Felder</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n query parameter(s)</source>
            <translation>
                <numerusform>%n Query-Parameter</numerusform>
                <numerusform>%n Query-Parameter</numerusform>
            </translation>
        </message>
        <message>
            <source>file "%1", %2, %3</source>
            <translation>Datei „%1“, %2, %3</translation>
        </message>
        <message>
            <source>%1 of binary data</source>
            <translation>%1 Binärdaten</translation>
        </message>
        <message>
            <source>(part %1)</source>
            <translation>(Teil %1)</translation>
        </message>
        <message numerus="yes">
            <source>%n part(s)</source>
            <translation>
                <numerusform>%n Teil</numerusform>
                <numerusform>%n Teile</numerusform>
            </translation>
        </message>
        <message>
            <source>not an image Qt can read: %1</source>
            <translation>kein Bild, das Qt lesen kann: %1</translation>
        </message>
        <message>
            <source>%1, %2 × %3 pixels</source>
            <translation>%1, %2 × %3 Pixel</translation>
        </message>
    </context>
    <context>
        <name>spyglass::FilterBar</name>
        <message>
            <source>Filter, e.g. ~m POST &amp; !~c 200 or ~d example.com</source>
            <translation>Filter, z. B. ~m POST &amp; !~c 200 oder ~d example.com</translation>
        </message>
        <message>
            <source>Filter expressions: ! (not), &amp; (and), | (or), ( ). Operators:</source>
            <translation>Filterausdrücke: ! (nicht), &amp; (und), | (oder), ( ). Operatoren:</translation>
        </message>
    </context>
    <context>
        <name>spyglass::FlowDetailView</name>
        <message>
            <source>Request</source>
            <translation>Anfrage</translation>
        </message>
        <message>
            <source>Response</source>
            <translation>Antwort</translation>
        </message>
        <message>
            <source>WebSocket</source>
            <translation>WebSocket</translation>
        </message>
        <message>
            <source>TCP stream</source>
            <translation>TCP-Strom</translation>
        </message>
        <message>
            <source>Timing</source>
            <translation>Zeiten</translation>
        </message>
        <message>
            <source>Connection</source>
            <translation>Verbindung</translation>
        </message>
        <message>
            <source>The WebSocket messages of this flow</source>
            <translation>Die WebSocket-Nachrichten dieses Flows</translation>
        </message>
        <message>
            <source>The bytes each side sent on this TCP connection</source>
            <translation>Die Bytes, die jede Seite über diese TCP-Verbindung gesendet hat</translation>
        </message>
        <message>
            <source>When each phase of the exchange happened</source>
            <translation>Wann jede Phase des Austauschs stattfand</translation>
        </message>
        <message>
            <source>Addresses, TLS and the server's certificates</source>
            <translation>Adressen, TLS und die Zertifikate des Servers</translation>
        </message>
        <message>
            <source>Select a flow to see its request and response.</source>
            <translation>Einen Flow wählen, um Anfrage und Antwort zu sehen.</translation>
        </message>
        <message>
            <source>Error: %1</source>
            <translation>Fehler: %1</translation>
        </message>
        <message>
            <source>Waiting for the response…</source>
            <translation>Warte auf die Antwort…</translation>
        </message>
        <message>
            <source>No response.</source>
            <translation>Keine Antwort.</translation>
        </message>
    </context>
    <context>
        <name>spyglass::FlowListModel</name>
        <message>
            <source>error</source>
            <translation>Fehler</translation>
        </message>
        <message>
            <source>…</source>
            <translation>…</translation>
        </message>
        <message>
            <source>%1 ms</source>
            <translation>%1 ms</translation>
        </message>
        <message>
            <source>%1 s</source>
            <translation>%1 s</translation>
        </message>
        <message>
            <source>#</source>
            <translation>#</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>Zeit</translation>
        </message>
        <message>
            <source>Client</source>
            <translation>Client</translation>
        </message>
        <message>
            <source>Method</source>
            <translation>Methode</translation>
        </message>
        <message>
            <source>Scheme</source>
            <translation>Schema</translation>
        </message>
        <message>
            <source>Host</source>
            <translation>Host</translation>
        </message>
        <message>
            <source>Path</source>
            <translation>Pfad</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>Content type</source>
            <translation>Inhaltstyp</translation>
        </message>
        <message>
            <source>Size</source>
            <translation>Größe</translation>
        </message>
        <message>
            <source>Duration</source>
            <translation>Dauer</translation>
        </message>
        <message>
            <source>Version</source>
            <translation>Version</translation>
        </message>
        <message>
            <source>TLS</source>
            <translation>TLS</translation>
        </message>
    </context>
    <context>
        <name>spyglass::FlowStructureModel</name>
        <message>
            <source>Host and path</source>
            <translation>Host und Pfad</translation>
        </message>
        <message>
            <source>Flows</source>
            <translation>Flows</translation>
        </message>
    </context>
    <context>
        <name>spyglass::FlowTableView</name>
        <message>
            <source>Click to sort, drag to reorder, right-click to choose columns</source>
            <translation>Klicken zum Sortieren, Ziehen zum Umordnen, Rechtsklick zur Spaltenauswahl</translation>
        </message>
        <message>
            <source>Columns</source>
            <translation>Spalten</translation>
        </message>
        <message>
            <source>Reset columns</source>
            <translation>Spalten zurücksetzen</translation>
        </message>
    </context>
    <context>
        <name>spyglass::JsonTreeView</name>
        <message>
            <source>unexpected data after the document</source>
            <translation>unerwartete Daten nach dem Dokument</translation>
        </message>
        <message>
            <source>offset %1: %2</source>
            <translation>Position %1: %2</translation>
        </message>
        <message>
            <source>…</source>
            <translation>…</translation>
        </message>
        <message>
            <source>the rest is not shown (more than %1 values)</source>
            <translation>der Rest wird nicht angezeigt (mehr als %1 Werte)</translation>
        </message>
        <message>
            <source>expected a string</source>
            <translation>Zeichenkette erwartet</translation>
        </message>
        <message>
            <source>bad \u escape</source>
            <translation>ungültiges \u-Escape</translation>
        </message>
        <message>
            <source>unterminated string</source>
            <translation>nicht abgeschlossene Zeichenkette</translation>
        </message>
        <message>
            <source>nested too deeply</source>
            <translation>zu tief verschachtelt</translation>
        </message>
        <message>
            <source>unexpected end</source>
            <translation>unerwartetes Ende</translation>
        </message>
        <message>
            <source>object</source>
            <translation>Objekt</translation>
        </message>
        <message>
            <source>array</source>
            <translation>Array</translation>
        </message>
        <message>
            <source>expected ':'</source>
            <translation>':' erwartet</translation>
        </message>
        <message>
            <source>expected ',' or '%1'</source>
            <translation>',' oder '%1' erwartet</translation>
        </message>
        <message numerus="yes">
            <source>{%n key(s)}</source>
            <translation>
                <numerusform>{%n Schlüssel}</numerusform>
                <numerusform>{%n Schlüssel}</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>[%n item(s)]</source>
            <translation>
                <numerusform>[%n Element]</numerusform>
                <numerusform>[%n Elemente]</numerusform>
            </translation>
        </message>
        <message>
            <source>string</source>
            <translation>Zeichenkette</translation>
        </message>
        <message>
            <source>boolean</source>
            <translation>Boolean</translation>
        </message>
        <message>
            <source>null</source>
            <translation>null</translation>
        </message>
        <message>
            <source>not a JSON value</source>
            <translation>kein JSON-Wert</translation>
        </message>
        <message>
            <source>number</source>
            <translation>Zahl</translation>
        </message>
        <message>
            <source>Key</source>
            <translation>Schlüssel</translation>
        </message>
        <message>
            <source>Value</source>
            <translation>Wert</translation>
        </message>
        <message>
            <source>Type</source>
            <translation>Typ</translation>
        </message>
    </context>
    <context>
        <name>spyglass::Language</name>
        <message>
            <source>&amp;Language</source>
            <translation>&amp;Sprache</translation>
        </message>
        <message>
            <source>Takes effect when Spyglass is started again</source>
            <translation>Wirkt beim nächsten Start von Spyglass</translation>
        </message>
        <message>
            <source>&amp;System language</source>
            <translation>&amp;Systemsprache</translation>
        </message>
    </context>
    <context>
        <name>spyglass::MainWindow</name>
        <message>
            <source>Spyglass</source>
            <translation>Spyglass</translation>
        </message>
        <message>
            <source>&amp;Start proxy</source>
            <translation>Proxy &amp;starten</translation>
        </message>
        <message>
            <source>&amp;Clear flows</source>
            <translation>Flows &amp;leeren</translation>
        </message>
        <message>
            <source>Remove every flow from the list</source>
            <translation>Alle Flows aus der Liste entfernen</translation>
        </message>
        <message>
            <source>&amp;Open session…</source>
            <translation>Sitzung ö&amp;ffnen…</translation>
        </message>
        <message>
            <source>&amp;Save session</source>
            <translation>Sitzung &amp;speichern</translation>
        </message>
        <message>
            <source>Save session</source>
            <translation>Sitzung speichern</translation>
        </message>
        <message>
            <source>Save session &amp;as…</source>
            <translation>Sitzung speichern &amp;unter…</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>&amp;Beenden</translation>
        </message>
        <message>
            <source>&amp;Filter…</source>
            <translation>&amp;Filter…</translation>
        </message>
        <message>
            <source>&amp;Intercept</source>
            <translation>&amp;Abfangen</translation>
        </message>
        <message>
            <source>Hold the flows that match the intercept filter (Ctrl+I)</source>
            <translation>Flows anhalten, auf die der Abfangfilter passt (Strg+I)</translation>
        </message>
        <message>
            <source>&amp;Resume</source>
            <translation>&amp;Fortsetzen</translation>
        </message>
        <message>
            <source>Let the selected intercepted flow go on (a)</source>
            <translation>Den gewählten abgefangenen Flow fortsetzen (a)</translation>
        </message>
        <message>
            <source>Resume &amp;all</source>
            <translation>&amp;Alle fortsetzen</translation>
        </message>
        <message>
            <source>Let every intercepted flow go on (A)</source>
            <translation>Alle abgefangenen Flows fortsetzen (A)</translation>
        </message>
        <message>
            <source>&amp;Kill</source>
            <translation>&amp;Abbrechen</translation>
        </message>
        <message>
            <source>Close the selected intercepted flow without an answer (x)</source>
            <translation>Den gewählten abgefangenen Flow ohne Antwort schließen (x)</translation>
        </message>
        <message>
            <source>&amp;Preferences…</source>
            <translation>&amp;Einstellungen…</translation>
        </message>
        <message>
            <source>Every option of the proxy, as --set names them (Ctrl+,)</source>
            <translation>Alle Optionen des Proxys, benannt wie bei --set (Strg+,)</translation>
        </message>
        <message>
            <source>&amp;About Spyglass</source>
            <translation>Ü&amp;ber Spyglass</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>&amp;Datei</translation>
        </message>
        <message>
            <source>&amp;Edit</source>
            <translation>&amp;Bearbeiten</translation>
        </message>
        <message>
            <source>&amp;Proxy</source>
            <translation>&amp;Proxy</translation>
        </message>
        <message>
            <source>F&amp;low</source>
            <translation>F&amp;low</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>&amp;Ansicht</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>&amp;Hilfe</translation>
        </message>
        <message>
            <source>&lt;h3&gt;Spyglass %1&lt;/h3&gt;&lt;p&gt;An HTTPS-intercepting proxy: it records every exchange between an application and the network, decrypting TLS with certificates from its own certificate authority.&lt;/p&gt;&lt;p&gt;Built with Qt %2, running on Qt %3.&lt;/p&gt;</source>
            <translation>&lt;h3&gt;Spyglass %1&lt;/h3&gt;&lt;p&gt;Ein HTTPS-abfangender Proxy: Er zeichnet jeden Austausch zwischen einer Anwendung und dem Netz auf und entschlüsselt TLS mit Zertifikaten seiner eigenen Zertifizierungsstelle.&lt;/p&gt;&lt;p&gt;Erstellt mit Qt %2, läuft mit Qt %3.&lt;/p&gt;</translation>
        </message>
        <message>
            <source>About Spyglass</source>
            <translation>Über Spyglass</translation>
        </message>
        <message>
            <source>Proxy</source>
            <translation>Proxy</translation>
        </message>
        <message>
            <source>Intercept filter, e.g. ~u /api &amp; ~m POST</source>
            <translation>Abfangfilter, z. B. ~u /api &amp; ~m POST</translation>
        </message>
        <message>
            <source>Flows matching this filter are held at their request, their response and each WebSocket message while Intercept is on. Press Enter to apply.</source>
            <translation>Flows, auf die dieser Filter passt, werden bei Anfrage, Antwort und jeder WebSocket-Nachricht angehalten, solange Abfangen an ist. Enter übernimmt.</translation>
        </message>
        <message>
            <source>Intercept</source>
            <translation>Abfangen</translation>
        </message>
        <message>
            <source>Flows matching this filter are held while Intercept is on. Press Enter to apply.</source>
            <translation>Flows, auf die dieser Filter passt, werden angehalten, solange Abfangen an ist. Enter übernimmt.</translation>
        </message>
        <message>
            <source>Flows by host and path; select a resource to see its latest flow</source>
            <translation>Flows nach Host und Pfad; eine Ressource wählen, um ihren letzten Flow zu sehen</translation>
        </message>
        <message>
            <source>Sequence</source>
            <translation>Abfolge</translation>
        </message>
        <message>
            <source>Structure</source>
            <translation>Struktur</translation>
        </message>
        <message>
            <source>Every flow in order, filtered and sorted</source>
            <translation>Alle Flows der Reihe nach, gefiltert und sortiert</translation>
        </message>
        <message>
            <source>Flows grouped by host and path</source>
            <translation>Flows nach Host und Pfad gruppiert</translation>
        </message>
        <message>
            <source>%1 of %2</source>
            <translation>%1 von %2</translation>
        </message>
        <message>
            <source>%1 flows</source>
            <translation>%1 Flows</translation>
        </message>
        <message>
            <source>Filtering %p%</source>
            <translation>Filtere %p%</translation>
        </message>
        <message>
            <source>Applying the filter; the list keeps the old rows until then</source>
            <translation>Filter wird angewendet; bis dahin zeigt die Liste die bisherigen Zeilen</translation>
        </message>
        <message>
            <source>Start proxy</source>
            <translation>Proxy starten</translation>
        </message>
        <message>
            <source>&amp;Stop proxy</source>
            <translation>Proxy &amp;stoppen</translation>
        </message>
        <message>
            <source>Listening on %1</source>
            <translation>Lauscht auf %1</translation>
        </message>
        <message>
            <source>Stopped (%1)</source>
            <translation>Gestoppt (%1)</translation>
        </message>
        <message>
            <source>Proxy: %1</source>
            <translation>Proxy: %1</translation>
        </message>
        <message>
            <source>Proxy stopped</source>
            <translation>Proxy gestoppt</translation>
        </message>
        <message>
            <source>1 flow</source>
            <translation>1 Flow</translation>
        </message>
        <message>
            <source>Grouping the flows by host and path…</source>
            <translation>Flows werden nach Host und Pfad gruppiert…</translation>
        </message>
        <message>
            <source>Saved %1 flows to %2</source>
            <translation>%1 Flows in %2 gespeichert</translation>
        </message>
        <message>
            <source>Open session</source>
            <translation>Sitzung öffnen</translation>
        </message>
        <message>
            <source>Spyglass sessions (*.spyglass);;All files (*)</source>
            <translation>Spyglass-Sitzungen (*.spyglass);;Alle Dateien (*)</translation>
        </message>
        <message>
            <source>Spyglass sessions (*.spyglass)</source>
            <translation>Spyglass-Sitzungen (*.spyglass)</translation>
        </message>
    </context>
    <context>
        <name>spyglass::MessageView</name>
        <message>
            <source>streamed, %1, not recorded</source>
            <translation>gestreamt, %1, nicht aufgezeichnet</translation>
        </message>
        <message>
            <source>no body</source>
            <translation>kein Inhalt</translation>
        </message>
        <message>
            <source>%1, decoded from %2 (%3)</source>
            <translation>%1, dekodiert aus %2 (%3)</translation>
        </message>
        <message>
            <source>%1 as received: %2 could not be decoded</source>
            <translation>%1 wie empfangen: %2 ließ sich nicht dekodieren</translation>
        </message>
    </context>
    <context>
        <name>spyglass::MessagesModel</name>
        <message>
            <source>↑ sent</source>
            <translation>↑ gesendet</translation>
        </message>
        <message>
            <source>↓ received</source>
            <translation>↓ empfangen</translation>
        </message>
        <message>
            <source>bytes</source>
            <translation>Bytes</translation>
        </message>
        <message>
            <source>text</source>
            <translation>Text</translation>
        </message>
        <message>
            <source>binary</source>
            <translation>binär</translation>
        </message>
        <message>
            <source>, injected</source>
            <translation>, eingefügt</translation>
        </message>
        <message>
            <source>, dropped</source>
            <translation>, verworfen</translation>
        </message>
        <message>
            <source>Sent by the client to the server</source>
            <translation>Vom Client an den Server gesendet</translation>
        </message>
        <message>
            <source>Sent by the server to the client</source>
            <translation>Vom Server an den Client gesendet</translation>
        </message>
        <message>
            <source>Direction</source>
            <translation>Richtung</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>Zeit</translation>
        </message>
        <message>
            <source>Size</source>
            <translation>Größe</translation>
        </message>
        <message>
            <source>Type</source>
            <translation>Typ</translation>
        </message>
        <message>
            <source>Content</source>
            <translation>Inhalt</translation>
        </message>
    </context>
    <context>
        <name>spyglass::MessagesView</name>
        <message>
            <source>normal</source>
            <translation>normal</translation>
        </message>
        <message>
            <source>going away</source>
            <translation>Gegenstelle geht</translation>
        </message>
        <message>
            <source>protocol error</source>
            <translation>Protokollfehler</translation>
        </message>
        <message>
            <source>unsupported data</source>
            <translation>nicht unterstützte Daten</translation>
        </message>
        <message>
            <source>no close frame</source>
            <translation>kein Close-Frame</translation>
        </message>
        <message>
            <source>invalid data</source>
            <translation>ungültige Daten</translation>
        </message>
        <message>
            <source>policy violation</source>
            <translation>Richtlinienverstoß</translation>
        </message>
        <message>
            <source>message too big</source>
            <translation>Nachricht zu groß</translation>
        </message>
        <message>
            <source>server error</source>
            <translation>Serverfehler</translation>
        </message>
        <message>
            <source>Filter messages by content</source>
            <translation>Nachrichten nach Inhalt filtern</translation>
        </message>
        <message>
            <source>Shows only the messages that contain this text (case-insensitive)</source>
            <translation>Zeigt nur Nachrichten, die diesen Text enthalten (ohne Groß-/Kleinschreibung)</translation>
        </message>
        <message numerus="yes">
            <source>%n message(s)</source>
            <translation>
                <numerusform>%n Nachricht</numerusform>
                <numerusform>%n Nachrichten</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%1 of %n message(s)</source>
            <translation>
                <numerusform>%1 von %n Nachricht</numerusform>
                <numerusform>%1 von %n Nachrichten</numerusform>
            </translation>
        </message>
        <message>
            <source>closed by the client</source>
            <translation>vom Client geschlossen</translation>
        </message>
        <message>
            <source>closed by the server</source>
            <translation>vom Server geschlossen</translation>
        </message>
        <message>
            <source>%1 sent, %2 received</source>
            <translation>%1 gesendet, %2 empfangen</translation>
        </message>
        <message>
            <source>Select a message</source>
            <translation>Eine Nachricht wählen</translation>
        </message>
        <message>
            <source>No messages</source>
            <translation>Keine Nachrichten</translation>
        </message>
    </context>
    <context>
        <name>spyglass::OptionsDialog</name>
        <message>
            <source>Network</source>
            <translation>Netzwerk</translation>
        </message>
        <message>
            <source>Connections</source>
            <translation>Verbindungen</translation>
        </message>
        <message>
            <source>TLS</source>
            <translation>TLS</translation>
        </message>
        <message>
            <source>HTTP</source>
            <translation>HTTP</translation>
        </message>
        <message>
            <source>Intercept</source>
            <translation>Abfangen</translation>
        </message>
        <message>
            <source>Addons</source>
            <translation>Erweiterungen</translation>
        </message>
        <message>
            <source>Other</source>
            <translation>Sonstiges</translation>
        </message>
        <message>
            <source>Preferences</source>
            <translation>Einstellungen</translation>
        </message>
        <message>
            <source>Search options by name or description</source>
            <translation>Optionen nach Name oder Beschreibung suchen</translation>
        </message>
        <message>
            <source>Shows only the options whose name or description contains the text</source>
            <translation>Zeigt nur Optionen, deren Name oder Beschreibung den Text enthält</translation>
        </message>
        <message>
            <source>Apply the changes and close</source>
            <translation>Änderungen übernehmen und schließen</translation>
        </message>
        <message>
            <source>Apply the changes: at once where the running proxy allows it, else when it next starts</source>
            <translation>Änderungen übernehmen: sofort, wo der laufende Proxy es erlaubt, sonst beim nächsten Start</translation>
        </message>
        <message>
            <source>Close without applying</source>
            <translation>Schließen, ohne zu übernehmen</translation>
        </message>
        <message>
            <source>Put every option back to its default (applied with Apply or OK)</source>
            <translation>Alle Optionen auf ihren Standardwert zurücksetzen (wirksam mit Übernehmen oder OK)</translation>
        </message>
        <message>
            <source>Add an entry</source>
            <translation>Eintrag hinzufügen</translation>
        </message>
        <message>
            <source>Remove the selected entry</source>
            <translation>Gewählten Eintrag entfernen</translation>
        </message>
        <message>
            <source>On</source>
            <translation>An</translation>
        </message>
        <message>
            <source>e.g. 512k, 10m, 1g; empty: no limit</source>
            <translation>z. B. 512k, 10m, 1g; leer: keine Grenze</translation>
        </message>
        <message>
            <source>(Applies when the proxy next starts.)</source>
            <translation>(Gilt ab dem nächsten Start des Proxys.)</translation>
        </message>
        <message>
            <source>Defaults shown; Apply or OK applies them.</source>
            <translation>Standardwerte angezeigt; Übernehmen oder OK wendet sie an.</translation>
        </message>
        <message>
            <source>Not applied: %1</source>
            <translation>Nicht übernommen: %1</translation>
        </message>
        <message>
            <source>Nothing changed.</source>
            <translation>Nichts geändert.</translation>
        </message>
        <message>
            <source>Applied and saved.</source>
            <translation>Übernommen und gespeichert.</translation>
        </message>
        <message>
            <source>Saved. These apply when the proxy next starts: %1</source>
            <translation>Gespeichert. Diese gelten ab dem nächsten Start des Proxys: %1</translation>
        </message>
    </context>
    <context>
        <name>spyglass::Theme</name>
        <message>
            <source>&amp;Theme</source>
            <translation>&amp;Design</translation>
        </message>
        <message>
            <source>&amp;System</source>
            <translation>&amp;System</translation>
        </message>
        <message>
            <source>&amp;Light</source>
            <translation>&amp;Hell</translation>
        </message>
        <message>
            <source>&amp;Dark</source>
            <translation>&amp;Dunkel</translation>
        </message>
        <message>
            <source>Light or dark as the desktop is set</source>
            <translation>Hell oder dunkel, wie der Desktop eingestellt ist</translation>
        </message>
    </context>
    <context>
        <name>spyglass::TimingView</name>
        <message>
            <source>%1 µs</source>
            <translation>%1 µs</translation>
        </message>
        <message>
            <source>%1 ms</source>
            <translation>%1 ms</translation>
        </message>
        <message>
            <source>%1 s</source>
            <translation>%1 s</translation>
        </message>
        <message>
            <source>Client connected</source>
            <translation>Client verbunden</translation>
        </message>
        <message>
            <source>Client TLS handshake</source>
            <translation>TLS-Handshake des Clients</translation>
        </message>
        <message>
            <source>Server TCP connect</source>
            <translation>TCP-Verbindung zum Server</translation>
        </message>
        <message>
            <source>Server TLS handshake</source>
            <translation>TLS-Handshake mit dem Server</translation>
        </message>
        <message>
            <source>Request sent</source>
            <translation>Anfrage gesendet</translation>
        </message>
        <message>
            <source>Waiting for the response</source>
            <translation>Warte auf die Antwort</translation>
        </message>
        <message>
            <source>Response received</source>
            <translation>Antwort empfangen</translation>
        </message>
        <message>
            <source>WebSocket open</source>
            <translation>WebSocket offen</translation>
        </message>
        <message>
            <source>TCP stream</source>
            <translation>TCP-Strom</translation>
        </message>
        <message>
            <source>Error: %1</source>
            <translation>Fehler: %1</translation>
        </message>
        <message>
            <source>No timing recorded for this flow.</source>
            <translation>Für diesen Flow wurden keine Zeiten erfasst.</translation>
        </message>
        <message>
            <source>total %1</source>
            <translation>insgesamt %1</translation>
        </message>
    </context>
</TS>

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
    <context>
        <name>CertWizardPrompt</name>
        <message>
            <source>Don't show this at start again</source>
            <translation>Beim Start nicht mehr anzeigen</translation>
        </message>
        <message>
            <source>The wizard opened because Spyglass made a new certificate authority; it stays in Tools &gt; Certificate wizard</source>
            <translation>Der Assistent wurde geöffnet, weil Spyglass eine neue Zertifizierungsstelle erstellt hat; er bleibt unter Werkzeuge &gt; Zertifikatsassistent erreichbar</translation>
        </message>
    </context>
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
        <name>SaveFileDialog</name>
        <message>
            <source>Spyglass sessions (%1)</source>
            <translation>Spyglass-Sitzungen (%1)</translation>
        </message>
        <message>
            <source>HAR files (%1)</source>
            <translation>HAR-Dateien (%1)</translation>
        </message>
        <message>
            <source>mitmproxy flows (%1)</source>
            <translation>mitmproxy-Flows (%1)</translation>
        </message>
        <message>
            <source>Charles JSON sessions (%1)</source>
            <translation>Charles-JSON-Sitzungen (%1)</translation>
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
        <name>spyglass::BrowserLauncher</name>
        <message>
            <source>cannot write %1: %2</source>
            <translation>%1 kann nicht geschrieben werden: %2</translation>
        </message>
        <message>
            <source>certutil %1 failed: %2</source>
            <translation>certutil %1 fehlgeschlagen: %2</translation>
        </message>
        <message>
            <source>cannot create a profile directory: %1</source>
            <translation>Profilverzeichnis kann nicht angelegt werden: %1</translation>
        </message>
        <message>
            <source>cannot start %1: %2</source>
            <translation>%1 kann nicht gestartet werden: %2</translation>
        </message>
    </context>
    <context>
        <name>spyglass::CaInstaller</name>
        <message>
            <source>Linux system store (curl, Python, Go, most tools)</source>
            <translation>Linux-Systemspeicher (curl, Python, Go, die meisten Werkzeuge)</translation>
        </message>
        <message>
            <source>update-ca-certificates is missing (package ca-certificates)</source>
            <translation>update-ca-certificates fehlt (Paket ca-certificates)</translation>
        </message>
        <message>
            <source>pkexec is not installed: run the command below</source>
            <translation>pkexec ist nicht installiert: den Befehl unten ausführen</translation>
        </message>
        <message>
            <source>certutil is missing (package libnss3-tools)</source>
            <translation>certutil fehlt (Paket libnss3-tools)</translation>
        </message>
        <message>
            <source>Windows: current user's trusted root store (Edge, Chrome, most apps)</source>
            <translation>Windows: Stammzertifikatspeicher des aktuellen Benutzers (Edge, Chrome, die meisten Apps)</translation>
        </message>
        <message>
            <source>only possible on Windows itself</source>
            <translation>nur unter Windows selbst möglich</translation>
        </message>
        <message>
            <source>macOS login keychain (Safari, Chrome, most apps)</source>
            <translation>macOS-Anmeldeschlüsselbund (Safari, Chrome, die meisten Apps)</translation>
        </message>
        <message>
            <source>the security tool was not found</source>
            <translation>das Werkzeug security wurde nicht gefunden</translation>
        </message>
        <message>
            <source>Chromium and Chrome (NSS database %1)</source>
            <translation>Chromium und Chrome (NSS-Datenbank %1)</translation>
        </message>
        <message>
            <source>Firefox profile %1</source>
            <translation>Firefox-Profil %1</translation>
        </message>
        <message>
            <source>cannot read %1: %2</source>
            <translation>%1 kann nicht gelesen werden: %2</translation>
        </message>
        <message>
            <source>cannot open the Root store (error %1)</source>
            <translation>Root-Speicher kann nicht geöffnet werden (Fehler %1)</translation>
        </message>
        <message>
            <source>added to the current user's Root store</source>
            <translation>zum Root-Speicher des aktuellen Benutzers hinzugefügt</translation>
        </message>
        <message>
            <source>the Root store refused the certificate (error %1)</source>
            <translation>der Root-Speicher hat das Zertifikat abgelehnt (Fehler %1)</translation>
        </message>
        <message>
            <source>(exit code %1)</source>
            <translation>(Exit-Code %1)</translation>
        </message>
        <message>
            <source>Firefox 120 and later trust the Windows store (the target above); older versions need NSS's certutil, which is not part of Windows</source>
            <translation>Firefox ab Version 120 vertraut dem Windows-Speicher (dem Ziel oben); ältere Versionen benötigen certutil aus NSS, das nicht zu Windows gehört</translation>
        </message>
        <message>
            <source>added to the login keychain and trusted as a root</source>
            <translation>zum Anmeldeschlüsselbund hinzugefügt und als Stammzertifikat vertraut</translation>
        </message>
        <message>
            <source>the keychain refused the certificate: %1</source>
            <translation>der Schlüsselbund hat das Zertifikat abgelehnt: %1</translation>
        </message>
    </context>
    <context>
        <name>spyglass::CertWizard</name>
        <message>
            <source>Certificate wizard</source>
            <translation>Zertifikatsassistent</translation>
        </message>
        <message>
            <source>Cannot read %1: %2</source>
            <translation>%1 kann nicht gelesen werden: %2</translation>
        </message>
        <message>
            <source>Cannot write %1: %2</source>
            <translation>%1 kann nicht geschrieben werden: %2</translation>
        </message>
        <message>
            <source>The Spyglass certificate authority</source>
            <translation>Die Spyglass-Zertifizierungsstelle</translation>
        </message>
        <message>
            <source>Spyglass decrypts HTTPS with certificates it signs itself. A device or browser accepts them once it trusts this certificate authority.</source>
            <translation>Spyglass entschlüsselt HTTPS mit selbst signierten Zertifikaten. Ein Gerät oder Browser akzeptiert sie, sobald es dieser Zertifizierungsstelle vertraut.</translation>
        </message>
        <message>
            <source>No certificate was found in %1. Start the proxy once: it creates the certificate authority there.</source>
            <translation>In %1 wurde kein Zertifikat gefunden. Den Proxy einmal starten: Er legt die Zertifizierungsstelle dort an.</translation>
        </message>
        <message>
            <source>Subject:</source>
            <translation>Inhaber:</translation>
        </message>
        <message>
            <source>Valid from:</source>
            <translation>Gültig ab:</translation>
        </message>
        <message>
            <source>Valid until:</source>
            <translation>Gültig bis:</translation>
        </message>
        <message>
            <source>Compare this with what a device shows when it installs the certificate</source>
            <translation>Mit der Anzeige eines Geräts bei der Installation des Zertifikats vergleichen</translation>
        </message>
        <message>
            <source>SHA-256 fingerprint:</source>
            <translation>SHA-256-Fingerabdruck:</translation>
        </message>
        <message>
            <source>Files:</source>
            <translation>Dateien:</translation>
        </message>
        <message>
            <source>Keep the private key (%1) secret: whoever holds it can read the traffic of every device that trusts this certificate. Other devices can fetch the certificate from http://spyglass.proxy/ while they use this proxy.</source>
            <translation>Den privaten Schlüssel (%1) geheim halten: Wer ihn besitzt, kann den Verkehr jedes Geräts mitlesen, das diesem Zertifikat vertraut. Andere Geräte können das Zertifikat unter http://spyglass.proxy/ abrufen, während sie diesen Proxy nutzen.</translation>
        </message>
        <message>
            <source>Install the certificate</source>
            <translation>Zertifikat installieren</translation>
        </message>
        <message>
            <source>Tick where Spyglass should install it. Where it cannot do so from here, the command below does the same in a terminal.</source>
            <translation>Ankreuzen, wo Spyglass es installieren soll. Wo das von hier aus nicht möglich ist, erledigt der Befehl unten dasselbe in einem Terminal.</translation>
        </message>
        <message>
            <source>Where</source>
            <translation>Wo</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>The trust stores found on this machine</source>
            <translation>Die auf diesem Rechner gefundenen Vertrauensspeicher</translation>
        </message>
        <message>
            <source>Ready to install</source>
            <translation>Bereit zur Installation</translation>
        </message>
        <message>
            <source>&amp;Install selected</source>
            <translation>Ausgewählte &amp;installieren</translation>
        </message>
        <message>
            <source>Run the commands for the ticked places; the system may ask for your password</source>
            <translation>Die Befehle für die angekreuzten Orte ausführen; das System fragt eventuell nach Ihrem Passwort</translation>
        </message>
        <message>
            <source>&amp;Copy commands</source>
            <translation>Befehle &amp;kopieren</translation>
        </message>
        <message>
            <source>Copy the commands below to the clipboard</source>
            <translation>Die Befehle unten in die Zwischenablage kopieren</translation>
        </message>
        <message>
            <source>Commands that do the same by hand:</source>
            <translation>Befehle, die dasselbe von Hand erledigen:</translation>
        </message>
        <message>
            <source>Paste these into a terminal to install the certificate yourself</source>
            <translation>Diese in ein Terminal einfügen, um das Zertifikat selbst zu installieren</translation>
        </message>
        <message>
            <source>What the installation printed appears here.</source>
            <translation>Die Ausgabe der Installation erscheint hier.</translation>
        </message>
        <message>
            <source>Output of the install commands</source>
            <translation>Ausgabe der Installationsbefehle</translation>
        </message>
        <message>
            <source>Installed</source>
            <translation>Installiert</translation>
        </message>
        <message>
            <source>Failed: see below</source>
            <translation>Fehlgeschlagen: siehe unten</translation>
        </message>
        <message>
            <source>Waiting…</source>
            <translation>Warte…</translation>
        </message>
        <message>
            <source>Installing…</source>
            <translation>Installiere…</translation>
        </message>
        <message>
            <source>Cannot run here</source>
            <translation>Hier nicht ausführbar</translation>
        </message>
        <message>
            <source>Export the certificate</source>
            <translation>Zertifikat exportieren</translation>
        </message>
        <message>
            <source>For other devices, or to install it by hand. Only the certificate is exported, never the private key.</source>
            <translation>Für andere Geräte oder zur Installation von Hand. Exportiert wird nur das Zertifikat, nie der private Schlüssel.</translation>
        </message>
        <message>
            <source>Save as &amp;PEM…</source>
            <translation>Als &amp;PEM speichern…</translation>
        </message>
        <message>
            <source>Text format: Linux, macOS, Firefox, iOS, curl</source>
            <translation>Textformat: Linux, macOS, Firefox, iOS, curl</translation>
        </message>
        <message>
            <source>Save as &amp;CER…</source>
            <translation>Als &amp;CER speichern…</translation>
        </message>
        <message>
            <source>Binary DER format: Windows, Android</source>
            <translation>Binäres DER-Format: Windows, Android</translation>
        </message>
        <message>
            <source>Save as P&amp;12…</source>
            <translation>Als P&amp;12 speichern…</translation>
        </message>
        <message>
            <source>PKCS#12: Windows and macOS import dialogs</source>
            <translation>PKCS#12: Importdialoge von Windows und macOS</translation>
        </message>
        <message>
            <source>PEM certificate (*.pem *.crt)</source>
            <translation>PEM-Zertifikat (*.pem *.crt)</translation>
        </message>
        <message>
            <source>DER certificate (*.cer *.der)</source>
            <translation>DER-Zertifikat (*.cer *.der)</translation>
        </message>
        <message>
            <source>PKCS#12 file (*.p12 *.pfx)</source>
            <translation>PKCS#12-Datei (*.p12 *.pfx)</translation>
        </message>
        <message>
            <source>Saved %1</source>
            <translation>%1 gespeichert</translation>
        </message>
        <message>
            <source>Check</source>
            <translation>Prüfen</translation>
        </message>
        <message>
            <source>Fetches an HTTPS page through the proxy with the system's trust store, as an application would.</source>
            <translation>Ruft eine HTTPS-Seite über den Proxy mit dem Vertrauensspeicher des Systems ab, wie es eine Anwendung tun würde.</translation>
        </message>
        <message>
            <source>Any https URL; the default is answered by Spyglass itself, without the internet</source>
            <translation>Beliebige https-URL; die Vorgabe beantwortet Spyglass selbst, ohne Internet</translation>
        </message>
        <message>
            <source>C&amp;heck now</source>
            <translation>Jetzt &amp;prüfen</translation>
        </message>
        <message>
            <source>Fetch the URL through the proxy at %1:%2</source>
            <translation>Die URL über den Proxy unter %1:%2 abrufen</translation>
        </message>
        <message>
            <source>Not checked yet.</source>
            <translation>Noch nicht geprüft.</translation>
        </message>
        <message>
            <source>Browsers with their own certificate store (Firefox, and Chromium on Linux) are not covered by this check. Applications started before the installation may need a restart.</source>
            <translation>Browser mit eigenem Zertifikatsspeicher (Firefox sowie Chromium unter Linux) werden von dieser Prüfung nicht erfasst. Vor der Installation gestartete Anwendungen müssen eventuell neu gestartet werden.</translation>
        </message>
        <message>
            <source>&lt;b style='color:#1a7f37'&gt;Trusted.&lt;/b&gt; %1</source>
            <translation>&lt;b style='color:#1a7f37'&gt;Vertrauenswürdig.&lt;/b&gt; %1</translation>
        </message>
        <message>
            <source>&lt;b style='color:#c62828'&gt;Not trusted.&lt;/b&gt; %1</source>
            <translation>&lt;b style='color:#c62828'&gt;Nicht vertrauenswürdig.&lt;/b&gt; %1</translation>
        </message>
        <message>
            <source>&lt;b&gt;Could not check:&lt;/b&gt; %1. Is the proxy running?</source>
            <translation>&lt;b&gt;Prüfung nicht möglich:&lt;/b&gt; %1. Läuft der Proxy?</translation>
        </message>
        <message>
            <source>Enter an https:// URL.</source>
            <translation>Eine https://-URL eingeben.</translation>
        </message>
        <message>
            <source>Checking…</source>
            <translation>Prüfe…</translation>
        </message>
    </context>
    <context>
        <name>spyglass::CommentDialog</name>
        <message>
            <source>Comment on the flow</source>
            <translation>Kommentar zum Flow</translation>
        </message>
        <message numerus="yes">
            <source>Comment on %n flows</source>
            <translation>
                <numerusform>Kommentar zu %n Flow</numerusform>
                <numerusform>Kommentar zu %n Flows</numerusform>
            </translation>
        </message>
        <message>
            <source>Comment (empty removes it); find commented flows with ~comment TEXT:</source>
            <translation>Kommentar (leer entfernt ihn); kommentierte Flows mit ~comment TEXT finden:</translation>
        </message>
        <message>
            <source>Kept with the flow in saved sessions and HAR files</source>
            <translation>Wird mit dem Flow in gespeicherten Sitzungen und HAR-Dateien aufbewahrt</translation>
        </message>
        <message>
            <source>Set the comment (Ctrl+Enter)</source>
            <translation>Kommentar setzen (Ctrl+Enter)</translation>
        </message>
    </context>
    <context>
        <name>spyglass::CommentView</name>
        <message>
            <source>A note for this flow: kept in saved sessions and HAR files, found with ~comment.</source>
            <translation>Eine Notiz zu diesem Flow: wird in gespeicherten Sitzungen und HAR-Dateien aufbewahrt, mit ~comment zu finden.</translation>
        </message>
        <message>
            <source>No comment. Type one here.</source>
            <translation>Kein Kommentar. Hier einen eingeben.</translation>
        </message>
        <message>
            <source>The flow's comment; saved as you type</source>
            <translation>Der Kommentar des Flows; wird beim Tippen gespeichert</translation>
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
        <name>spyglass::FieldTableModel</name>
        <message numerus="yes">
            <source>(%n byte(s) of binary data)</source>
            <translation>
                <numerusform>(%n Byte Binärdaten)</numerusform>
                <numerusform>(%n Bytes Binärdaten)</numerusform>
            </translation>
        </message>
        <message>
            <source>Binary data, kept as it is; remove the row to drop it</source>
            <translation>Binärdaten, unverändert beibehalten; die Zeile entfernen, um sie zu verwerfen</translation>
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
        <message>
            <source>Recent expressions (Up and Down walk them)</source>
            <translation>Letzte Ausdrücke (mit Auf und Ab durchblättern)</translation>
        </message>
        <message>
            <source>Recent expressions</source>
            <translation>Letzte Ausdrücke</translation>
        </message>
        <message>
            <source>No recent expressions</source>
            <translation>Keine letzten Ausdrücke</translation>
        </message>
        <message>
            <source>Clear history</source>
            <translation>Verlauf löschen</translation>
        </message>
    </context>
    <context>
        <name>spyglass::FlowActions</name>
        <message>
            <source>&amp;Edit…</source>
            <translation>&amp;Bearbeiten…</translation>
        </message>
        <message>
            <source>Edit the selected flow's request and response; an intercepted flow goes on with the edit (e)</source>
            <translation>Anfrage und Antwort des gewählten Flows bearbeiten; ein abgefangener Flow läuft mit der Änderung weiter (e)</translation>
        </message>
        <message>
            <source>Re&amp;vert changes</source>
            <translation>Änderungen &amp;verwerfen</translation>
        </message>
        <message>
            <source>Bring back the selected flow as it was recorded (V)</source>
            <translation>Den gewählten Flow wie aufgezeichnet wiederherstellen (V)</translation>
        </message>
        <message>
            <source>Select a flow first.</source>
            <translation>Zuerst einen Flow auswählen.</translation>
        </message>
        <message>
            <source>&amp;Duplicate</source>
            <translation>&amp;Duplizieren</translation>
        </message>
        <message>
            <source>Add a copy of the selected flow to the list (D)</source>
            <translation>Eine Kopie des gewählten Flows zur Liste hinzufügen (D)</translation>
        </message>
        <message>
            <source>&amp;New request…</source>
            <translation>&amp;Neue Anfrage…</translation>
        </message>
        <message>
            <source>Compose a request from scratch (%1)</source>
            <translation>Eine Anfrage von Grund auf erstellen (%1)</translation>
        </message>
        <message>
            <source>&amp;Resend</source>
            <translation>&amp;Erneut senden</translation>
        </message>
        <message>
            <source>Send the selected flow's request again, as edited; the answer comes as a new flow (r)</source>
            <translation>Die Anfrage des gewählten Flows in bearbeiteter Form erneut senden; die Antwort kommt als neuer Flow (r)</translation>
        </message>
        <message>
            <source>Select a flow to edit.</source>
            <translation>Einen Flow zum Bearbeiten auswählen.</translation>
        </message>
        <message>
            <source>Only HTTP flows can be edited.</source>
            <translation>Nur HTTP-Flows können bearbeitet werden.</translation>
        </message>
        <message>
            <source>The flow is held at a WebSocket message, which cannot be edited here: resume (a) or kill (x) it.</source>
            <translation>Der Flow wird bei einer WebSocket-Nachricht angehalten, die hier nicht bearbeitet werden kann: fortsetzen (a) oder abbrechen (x).</translation>
        </message>
        <message>
            <source>The flow is still running: edit it when it has finished, or intercept it.</source>
            <translation>Der Flow läuft noch: nach Abschluss bearbeiten oder abfangen.</translation>
        </message>
        <message>
            <source>Save and resume</source>
            <translation>Speichern und fortsetzen</translation>
        </message>
        <message>
            <source>The intercepted flow goes on with these changes</source>
            <translation>Der abgefangene Flow läuft mit diesen Änderungen weiter</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>Speichern</translation>
        </message>
        <message>
            <source>Change this flow in the list; Revert (V) brings the recorded one back</source>
            <translation>Diesen Flow in der Liste ändern; Verwerfen (V) stellt den aufgezeichneten wieder her</translation>
        </message>
        <message>
            <source>Save and resend</source>
            <translation>Speichern und erneut senden</translation>
        </message>
        <message>
            <source>Change this flow, then send its request again</source>
            <translation>Diesen Flow ändern und seine Anfrage erneut senden</translation>
        </message>
        <message>
            <source>Add to list</source>
            <translation>Zur Liste hinzufügen</translation>
        </message>
        <message>
            <source>Add the request to the flow list unsent</source>
            <translation>Die Anfrage ungesendet zur Flow-Liste hinzufügen</translation>
        </message>
        <message>
            <source>Send</source>
            <translation>Senden</translation>
        </message>
        <message>
            <source>Add the request to the list and send it</source>
            <translation>Die Anfrage zur Liste hinzufügen und senden</translation>
        </message>
        <message>
            <source>New request added.</source>
            <translation>Neue Anfrage hinzugefügt.</translation>
        </message>
        <message>
            <source>The flow is no longer held: the edit was not applied.</source>
            <translation>Der Flow wird nicht mehr angehalten: Die Änderung wurde nicht übernommen.</translation>
        </message>
        <message>
            <source>The intercepted flow goes on with the edit.</source>
            <translation>Der abgefangene Flow läuft mit der Änderung weiter.</translation>
        </message>
        <message>
            <source>The flow is no longer in the list.</source>
            <translation>Der Flow ist nicht mehr in der Liste.</translation>
        </message>
        <message>
            <source>Flow changed; Revert (V) brings back the recorded one.</source>
            <translation>Flow geändert; Verwerfen (V) stellt den aufgezeichneten wieder her.</translation>
        </message>
        <message>
            <source>Select a flow to duplicate.</source>
            <translation>Einen Flow zum Duplizieren auswählen.</translation>
        </message>
        <message>
            <source>Flow duplicated.</source>
            <translation>Flow dupliziert.</translation>
        </message>
        <message>
            <source>The flow was not changed here: nothing to revert.</source>
            <translation>Der Flow wurde hier nicht geändert: nichts zu verwerfen.</translation>
        </message>
        <message>
            <source>Flow reverted to the recorded one.</source>
            <translation>Flow auf den aufgezeichneten zurückgesetzt.</translation>
        </message>
        <message>
            <source>Resending is not available here.</source>
            <translation>Erneutes Senden ist hier nicht verfügbar.</translation>
        </message>
        <message>
            <source>Only HTTP requests can be resent.</source>
            <translation>Nur HTTP-Anfragen können erneut gesendet werden.</translation>
        </message>
        <message>
            <source>The flow is still running: resend it when it has finished.</source>
            <translation>Der Flow läuft noch: nach Abschluss erneut senden.</translation>
        </message>
        <message>
            <source>Request sent again; its answer comes as a new flow.</source>
            <translation>Anfrage erneut gesendet; die Antwort kommt als neuer Flow.</translation>
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
        <message>
            <source>Comment</source>
            <translation>Kommentar</translation>
        </message>
        <message>
            <source>Your note on this flow (searchable with ~comment)</source>
            <translation>Ihre Notiz zu diesem Flow (durchsuchbar mit ~comment)</translation>
        </message>
    </context>
    <context>
        <name>spyglass::FlowEditor</name>
        <message>
            <source>New request</source>
            <translation>Neue Anfrage</translation>
        </message>
        <message>
            <source>Edit %1 %2</source>
            <translation>%1 %2 bearbeiten</translation>
        </message>
        <message>
            <source>Request</source>
            <translation>Anfrage</translation>
        </message>
        <message>
            <source>Response</source>
            <translation>Antwort</translation>
        </message>
        <message>
            <source>Held at its response: the request was sent already</source>
            <translation>Bei der Antwort angehalten: Die Anfrage wurde bereits gesendet</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>Speichern</translation>
        </message>
        <message>
            <source>Close without changing the flow (Esc)</source>
            <translation>Schließen, ohne den Flow zu ändern (Esc)</translation>
        </message>
        <message>
            <source>Request: %1</source>
            <translation>Anfrage: %1</translation>
        </message>
        <message>
            <source>Response: %1</source>
            <translation>Antwort: %1</translation>
        </message>
    </context>
    <context>
        <name>spyglass::FlowListActions</name>
        <message>
            <source>Default</source>
            <translation>Standard</translation>
        </message>
        <message>
            <source>Red</source>
            <translation>Rot</translation>
        </message>
        <message>
            <source>Orange</source>
            <translation>Orange</translation>
        </message>
        <message>
            <source>Yellow</source>
            <translation>Gelb</translation>
        </message>
        <message>
            <source>Green</source>
            <translation>Grün</translation>
        </message>
        <message>
            <source>Blue</source>
            <translation>Blau</translation>
        </message>
        <message>
            <source>Purple</source>
            <translation>Lila</translation>
        </message>
        <message>
            <source>Brown</source>
            <translation>Braun</translation>
        </message>
        <message>
            <source>Star</source>
            <translation>Stern</translation>
        </message>
        <message>
            <source>Heart</source>
            <translation>Herz</translation>
        </message>
        <message>
            <source>Fire</source>
            <translation>Feuer</translation>
        </message>
        <message>
            <source>Bug</source>
            <translation>Käfer</translation>
        </message>
        <message>
            <source>Warning</source>
            <translation>Warnung</translation>
        </message>
        <message>
            <source>Check mark</source>
            <translation>Häkchen</translation>
        </message>
        <message>
            <source>Cross</source>
            <translation>Kreuz</translation>
        </message>
        <message>
            <source>Question</source>
            <translation>Frage</translation>
        </message>
        <message>
            <source>Lock</source>
            <translation>Schloss</translation>
        </message>
        <message>
            <source>Eyes</source>
            <translation>Augen</translation>
        </message>
        <message>
            <source>Toggle &amp;mark</source>
            <translation>&amp;Markierung umschalten</translation>
        </message>
        <message>
            <source>Mark the selected flows, or unmark them if marked (m)</source>
            <translation>Die gewählten Flows markieren oder, falls markiert, die Markierung entfernen (m)</translation>
        </message>
        <message>
            <source>M&amp;ark</source>
            <translation>M&amp;arkieren</translation>
        </message>
        <message>
            <source>Mark the selected flows with a colour or an emoji (~marker)</source>
            <translation>Die gewählten Flows mit einer Farbe oder einem Emoji markieren (~marker)</translation>
        </message>
        <message>
            <source>Find these with ~marker %1</source>
            <translation>Diese mit ~marker %1 finden</translation>
        </message>
        <message>
            <source>&amp;Other…</source>
            <translation>&amp;Andere…</translation>
        </message>
        <message>
            <source>Any of mitmproxy's markers: an :emoji: code, a letter or a digit</source>
            <translation>Jede Markierung von mitmproxy: ein :emoji:-Code, ein Buchstabe oder eine Ziffer</translation>
        </message>
        <message>
            <source>&amp;Unmark</source>
            <translation>Markierung &amp;entfernen</translation>
        </message>
        <message>
            <source>Remove the mark of the selected flows</source>
            <translation>Die Markierung der gewählten Flows entfernen</translation>
        </message>
        <message>
            <source>&amp;Comment…</source>
            <translation>&amp;Kommentieren…</translation>
        </message>
        <message>
            <source>Write a comment on the selected flows (C); find them with ~comment</source>
            <translation>Einen Kommentar zu den gewählten Flows schreiben (C); mit ~comment finden</translation>
        </message>
        <message>
            <source>Copy &amp;as</source>
            <translation>Kopieren &amp;als</translation>
        </message>
        <message>
            <source>&amp;curl command</source>
            <translation>&amp;curl-Befehl</translation>
        </message>
        <message>
            <source>&amp;HTTPie command</source>
            <translation>&amp;HTTPie-Befehl</translation>
        </message>
        <message>
            <source>Raw &amp;request</source>
            <translation>Rohe &amp;Anfrage</translation>
        </message>
        <message>
            <source>Raw re&amp;sponse</source>
            <translation>Rohe Ant&amp;wort</translation>
        </message>
        <message>
            <source>Ra&amp;w request and response</source>
            <translation>Rohe Anfrage &amp;und Antwort</translation>
        </message>
        <message>
            <source>Copy the selected flows to the clipboard as %1</source>
            <translation>Die gewählten Flows als %1 in die Zwischenablage kopieren</translation>
        </message>
        <message>
            <source>Save s&amp;elected flows…</source>
            <translation>&amp;Gewählte Flows speichern…</translation>
        </message>
        <message>
            <source>Save &amp;filtered flows…</source>
            <translation>&amp;Gefilterte Flows speichern…</translation>
        </message>
        <message>
            <source>&amp;Export HAR…</source>
            <translation>HAR &amp;exportieren…</translation>
        </message>
        <message>
            <source>Save every flow of the session as a HAR file (Ctrl+Shift+H)</source>
            <translation>Alle Flows der Sitzung als HAR-Datei speichern (Ctrl+Shift+H)</translation>
        </message>
        <message>
            <source>&amp;Delete</source>
            <translation>&amp;Löschen</translation>
        </message>
        <message>
            <source>Remove the selected flows from the session (d, Delete)</source>
            <translation>Die gewählten Flows aus der Sitzung entfernen (d, Entf)</translation>
        </message>
        <message>
            <source>Invalid marker value: %1</source>
            <translation>Ungültiger Markierungswert: %1</translation>
        </message>
        <message>
            <source>Mark flows</source>
            <translation>Flows markieren</translation>
        </message>
        <message>
            <source>Marker: an emoji code such as :rocket:, a letter or a digit</source>
            <translation>Markierung: ein Emoji-Code wie :rocket:, ein Buchstabe oder eine Ziffer</translation>
        </message>
        <message>
            <source>“%1” is not a marker: use an :emoji: code, a letter or a digit.</source>
            <translation>„%1“ ist keine Markierung: einen :emoji:-Code, einen Buchstaben oder eine Ziffer verwenden.</translation>
        </message>
        <message>
            <source>Copy as %1: %2</source>
            <translation>Kopieren als %1: %2</translation>
        </message>
        <message>
            <source>Copied the flow as %1</source>
            <translation>Flow als %1 kopiert</translation>
        </message>
        <message>
            <source>Copied %1 flows as %2</source>
            <translation>%1 Flows als %2 kopiert</translation>
        </message>
        <message>
            <source>No flows to save</source>
            <translation>Keine Flows zum Speichern</translation>
        </message>
        <message>
            <source>HAR files (%1)</source>
            <translation>HAR-Dateien (%1)</translation>
        </message>
        <message>
            <source>Save filtered flows</source>
            <translation>Gefilterte Flows speichern</translation>
        </message>
        <message>
            <source>Save selected flows</source>
            <translation>Gewählte Flows speichern</translation>
        </message>
        <message>
            <source>Save flows</source>
            <translation>Flows speichern</translation>
        </message>
        <message>
            <source>Saved %1 flows to %2</source>
            <translation>%1 Flows in %2 gespeichert</translation>
        </message>
        <message>
            <source>Export HAR</source>
            <translation>HAR exportieren</translation>
        </message>
        <message>
            <source>Exported %1 flows to %2</source>
            <translation>%1 Flows nach %2 exportiert</translation>
        </message>
        <message>
            <source>Deleted 1 flow</source>
            <translation>1 Flow gelöscht</translation>
        </message>
        <message>
            <source>Deleted %1 flows</source>
            <translation>%1 Flows gelöscht</translation>
        </message>
        <message>
            <source>Save the selected flows as a Spyglass session, HAR, mitmproxy flows or Charles JSON</source>
            <translation>Die gewählten Flows als Spyglass-Sitzung, HAR, mitmproxy-Flows oder Charles-JSON speichern</translation>
        </message>
        <message>
            <source>Save the flows the filter shows as a Spyglass session, HAR, mitmproxy flows or Charles JSON</source>
            <translation>Die vom Filter angezeigten Flows als Spyglass-Sitzung, HAR, mitmproxy-Flows oder Charles-JSON speichern</translation>
        </message>
        <message>
            <source>(1 held flow killed)</source>
            <translation>(1 angehaltener Flow abgebrochen)</translation>
        </message>
        <message>
            <source>(%1 held flows killed)</source>
            <translation>(%1 angehaltene Flows abgebrochen)</translation>
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
        <message>
            <source>Mark</source>
            <translation>Markierung</translation>
        </message>
        <message>
            <source>Comment</source>
            <translation>Kommentar</translation>
        </message>
        <message>
            <source>Modified — Revert with V</source>
            <translation>Geändert — mit V verwerfen</translation>
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
            <source>Highlight, e.g. ~marked | ~c 500</source>
            <translation>Hervorheben, z. B. ~marked | ~c 500</translation>
        </message>
        <message>
            <source>&amp;Highlight:</source>
            <translation>&amp;Hervorheben:</translation>
        </message>
        <message>
            <source>Rows matching this expression get a yellow background; the filter still decides which rows are shown</source>
            <translation>Zeilen, die diesem Ausdruck entsprechen, erhalten einen gelben Hintergrund; welche Zeilen angezeigt werden, entscheidet weiterhin der Filter</translation>
        </message>
        <message>
            <source>Captures (*.spyglass *.har *.chlsj *.flow *.mitm *.dump);;Spyglass sessions (*.spyglass);;HAR (*.har);;Charles JSON sessions (*.chlsj);;mitmproxy flows (*.flow *.mitm *.dump);;All files (*)</source>
            <translation>Mitschnitte (*.spyglass *.har *.chlsj *.flow *.mitm *.dump);;Spyglass-Sitzungen (*.spyglass);;HAR (*.har);;Charles-JSON-Sitzungen (*.chlsj);;mitmproxy-Flows (*.flow *.mitm *.dump);;Alle Dateien (*)</translation>
        </message>
        <message>
            <source>Scripts</source>
            <translation>Skripte</translation>
        </message>
        <message>
            <source>&amp;Scripts</source>
            <translation>S&amp;kripte</translation>
        </message>
        <message>
            <source>Show or hide the scripts the proxy runs, their hooks and errors (Ctrl+Shift+J)</source>
            <translation>Die vom Proxy ausgeführten Skripte mit ihren Hooks und Fehlern ein- oder ausblenden (Strg+Umschalt+J)</translation>
        </message>
        <message>
            <source>&amp;Scripts…</source>
            <translation>&amp;Skripte…</translation>
        </message>
        <message>
            <source>Show the Scripts panel: load, reload and unload JavaScript addons</source>
            <translation>Den Skripte-Bereich anzeigen: JavaScript-Erweiterungen laden, neu laden und entladen</translation>
        </message>
    </context>
    <context>
        <name>spyglass::MessageEditor</name>
        <message>
            <source>Name</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>Value</source>
            <translation>Wert</translation>
        </message>
        <message>
            <source>File name</source>
            <translation>Dateiname</translation>
        </message>
        <message>
            <source>Content type</source>
            <translation>Inhaltstyp</translation>
        </message>
        <message>
            <source>The request method; type any other token</source>
            <translation>Die Anfragemethode; beliebiges anderes Token eingeben</translation>
        </message>
        <message>
            <source>https://example.com/path?query</source>
            <translation>https://example.com/path?query</translation>
        </message>
        <message>
            <source>The absolute URL: scheme, host, port, path and query. A new host also goes into the Host header.</source>
            <translation>Die absolute URL: Schema, Host, Port, Pfad und Query. Ein neuer Host wird auch in den Host-Header übernommen.</translation>
        </message>
        <message>
            <source>The HTTP version</source>
            <translation>Die HTTP-Version</translation>
        </message>
        <message>
            <source>The status code</source>
            <translation>Der Statuscode</translation>
        </message>
        <message>
            <source>The reason phrase (HTTP/2 sends none)</source>
            <translation>Die Reason-Phrase (HTTP/2 sendet keine)</translation>
        </message>
        <message>
            <source>Reason</source>
            <translation>Reason</translation>
        </message>
        <message>
            <source>Headers</source>
            <translation>Header</translation>
        </message>
        <message>
            <source>header</source>
            <translation>Header</translation>
        </message>
        <message>
            <source>Body</source>
            <translation>Inhalt</translation>
        </message>
        <message>
            <source>Edit as:</source>
            <translation>Bearbeiten als:</translation>
        </message>
        <message>
            <source>Text</source>
            <translation>Text</translation>
        </message>
        <message>
            <source>Form fields</source>
            <translation>Formularfelder</translation>
        </message>
        <message>
            <source>Multipart fields</source>
            <translation>Multipart-Felder</translation>
        </message>
        <message>
            <source>Edit the body as raw text, as URL-encoded form fields, or as multipart/form-data parts</source>
            <translation>Den Inhalt als Rohtext, als URL-kodierte Formularfelder oder als multipart/form-data-Teile bearbeiten</translation>
        </message>
        <message>
            <source>The body as UTF-8 text, decoded from its Content-Encoding</source>
            <translation>Der Inhalt als UTF-8-Text, aus seinem Content-Encoding dekodiert</translation>
        </message>
        <message>
            <source>field</source>
            <translation>Feld</translation>
        </message>
        <message>
            <source>Add</source>
            <translation>Hinzufügen</translation>
        </message>
        <message>
            <source>Add a %1 below the selected row</source>
            <translation>%1 unter der gewählten Zeile hinzufügen</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>Entfernen</translation>
        </message>
        <message>
            <source>Remove the selected rows</source>
            <translation>Die gewählten Zeilen entfernen</translation>
        </message>
        <message>
            <source>Up</source>
            <translation>Auf</translation>
        </message>
        <message>
            <source>Move the selected row up</source>
            <translation>Die gewählte Zeile nach oben verschieben</translation>
        </message>
        <message>
            <source>Down</source>
            <translation>Ab</translation>
        </message>
        <message>
            <source>Move the selected row down</source>
            <translation>Die gewählte Zeile nach unten verschieben</translation>
        </message>
        <message>
            <source>part</source>
            <translation>Teil</translation>
        </message>
        <message>
            <source>The selected part's value</source>
            <translation>Der Wert des gewählten Teils</translation>
        </message>
        <message>
            <source>The selected part's value, all of its lines</source>
            <translation>Der Wert des gewählten Teils, alle seine Zeilen</translation>
        </message>
        <message numerus="yes">
            <source>Streamed body (%n byte(s)): it was not recorded, so it cannot be edited.</source>
            <translation>
                <numerusform>Gestreamter Inhalt (%n Byte): Er wurde nicht aufgezeichnet und kann daher nicht bearbeitet werden.</numerusform>
                <numerusform>Gestreamter Inhalt (%n Bytes): Er wurde nicht aufgezeichnet und kann daher nicht bearbeitet werden.</numerusform>
            </translation>
        </message>
        <message>
            <source>Shown decoded from %1; encoded again when saved.</source>
            <translation>Aus %1 dekodiert angezeigt; beim Speichern wieder kodiert.</translation>
        </message>
        <message>
            <source>The body could not be decoded from %1: shown as sent, read-only.</source>
            <translation>Der Inhalt ließ sich nicht aus %1 dekodieren: wie gesendet angezeigt, schreibgeschützt.</translation>
        </message>
        <message>
            <source>The body is too large to edit here (%1 MiB); it is kept as it is.</source>
            <translation>Der Inhalt ist zu groß, um ihn hier zu bearbeiten (%1 MiB); er bleibt unverändert.</translation>
        </message>
        <message numerus="yes">
            <source>Binary body (%n byte(s)): shown as hex and kept as it is; a form can be edited as multipart fields.</source>
            <translation>
                <numerusform>Binärer Inhalt (%n Byte): als Hex angezeigt und unverändert beibehalten; ein Formular lässt sich als Multipart-Felder bearbeiten.</numerusform>
                <numerusform>Binärer Inhalt (%n Bytes): als Hex angezeigt und unverändert beibehalten; ein Formular lässt sich als Multipart-Felder bearbeiten.</numerusform>
            </translation>
        </message>
        <message>
            <source>The body cannot be encoded with "%1": remove or change the Content-Encoding header.</source>
            <translation>Der Inhalt lässt sich nicht mit „%1“ kodieren: den Content-Encoding-Header entfernen oder ändern.</translation>
        </message>
        <message>
            <source>"%1" is not a request method.</source>
            <translation>„%1“ ist keine Anfragemethode.</translation>
        </message>
        <message>
            <source>"%1" is not an absolute http or https URL.</source>
            <translation>„%1“ ist keine absolute http- oder https-URL.</translation>
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
        <name>spyglass::ProxyTools</name>
        <message>
            <source>&amp;Certificate wizard…</source>
            <translation>&amp;Zertifikatsassistent…</translation>
        </message>
        <message>
            <source>Show the Spyglass certificate authority, install it into the system and browser trust stores, export it, check it</source>
            <translation>Die Spyglass-Zertifizierungsstelle anzeigen, in die Vertrauensspeicher von System und Browsern installieren, exportieren, prüfen</translation>
        </message>
        <message>
            <source>Open &amp;browser</source>
            <translation>&amp;Browser öffnen</translation>
        </message>
        <message>
            <source>Start Chromium, Chrome or Firefox with a fresh profile that uses this proxy and trusts its certificates (Ctrl+Shift+B)</source>
            <translation>Chromium, Chrome oder Firefox mit einem neuen Profil starten, das diesen Proxy nutzt und seinen Zertifikaten vertraut (Ctrl+Shift+B)</translation>
        </message>
        <message>
            <source>S&amp;ystem proxy</source>
            <translation>S&amp;ystem-Proxy</translation>
        </message>
        <message>
            <source>System proxy</source>
            <translation>System-Proxy</translation>
        </message>
        <message>
            <source>The system proxy setting of an earlier run could not be restored: %1</source>
            <translation>Die System-Proxy-Einstellung eines früheren Laufs ließ sich nicht wiederherstellen: %1</translation>
        </message>
        <message>
            <source>The system proxy cannot be set here: %1</source>
            <translation>Der System-Proxy kann hier nicht gesetzt werden: %1</translation>
        </message>
        <message>
            <source>Point the operating system's proxy setting at Spyglass; the previous setting comes back when this is turned off or Spyglass quits</source>
            <translation>Die Proxy-Einstellung des Betriebssystems auf Spyglass richten; die vorherige Einstellung kehrt zurück, wenn dies ausgeschaltet oder Spyglass beendet wird</translation>
        </message>
        <message>
            <source>&amp;Tools</source>
            <translation>&amp;Werkzeuge</translation>
        </message>
        <message>
            <source>No Chromium, Chrome or Firefox found</source>
            <translation>Kein Chromium, Chrome oder Firefox gefunden</translation>
        </message>
        <message>
            <source>Open browser</source>
            <translation>Browser öffnen</translation>
        </message>
        <message>
            <source>Start the proxy first.</source>
            <translation>Zuerst den Proxy starten.</translation>
        </message>
        <message>
            <source>No Chromium, Chrome or Firefox was found. Point any browser at the proxy %1:%2 and open http://spyglass.proxy/ to install the certificate.</source>
            <translation>Es wurde kein Chromium, Chrome oder Firefox gefunden. Einen beliebigen Browser auf den Proxy %1:%2 einstellen und http://spyglass.proxy/ öffnen, um das Zertifikat zu installieren.</translation>
        </message>
    </context>
    <context>
        <name>spyglass::RecentFiles</name>
        <message>
            <source>Open &amp;Recent</source>
            <translation>&amp;Zuletzt geöffnet</translation>
        </message>
        <message>
            <source>No recent files</source>
            <translation>Keine zuletzt geöffneten Dateien</translation>
        </message>
        <message>
            <source>&amp;Clear menu</source>
            <translation>Menü &amp;leeren</translation>
        </message>
        <message>
            <source>Forget the recently used files</source>
            <translation>Die zuletzt verwendeten Dateien vergessen</translation>
        </message>
    </context>
    <context>
        <name>spyglass::ScriptListModel</name>
        <message>
            <source>Running</source>
            <translation>Läuft</translation>
        </message>
        <message>
            <source>Error</source>
            <translation>Fehler</translation>
        </message>
        <message>
            <source>Unloaded</source>
            <translation>Entladen</translation>
        </message>
        <message>
            <source>line %1</source>
            <translation>Zeile %1</translation>
        </message>
        <message>
            <source>The script is loaded and runs its hooks; it reloads when the file changes</source>
            <translation>Das Skript ist geladen und führt seine Hooks aus; es wird neu geladen, wenn sich die Datei ändert</translation>
        </message>
        <message>
            <source>The script reported an error: a hook threw or ran too long, or a (re)load failed (after a failed reload the previous version keeps running)</source>
            <translation>Das Skript hat einen Fehler gemeldet: Ein Hook hat eine Ausnahme ausgelöst oder lief zu lange, oder das (Neu-)Laden ist fehlgeschlagen (nach fehlgeschlagenem Neuladen läuft die vorherige Version weiter)</translation>
        </message>
        <message>
            <source>The script does not run; Reload loads it again</source>
            <translation>Das Skript läuft nicht; „Neu laden“ lädt es wieder</translation>
        </message>
        <message>
            <source>The hook functions the script defines</source>
            <translation>Die Hook-Funktionen, die das Skript definiert</translation>
        </message>
        <message>
            <source>Script</source>
            <translation>Skript</translation>
        </message>
        <message>
            <source>State</source>
            <translation>Zustand</translation>
        </message>
        <message>
            <source>Hooks</source>
            <translation>Hooks</translation>
        </message>
        <message>
            <source>Last error</source>
            <translation>Letzter Fehler</translation>
        </message>
        <message>
            <source>Loading…</source>
            <translation>Wird geladen…</translation>
        </message>
        <message>
            <source>The script is being read, compiled and started; the window stays usable meanwhile</source>
            <translation>Das Skript wird gelesen, kompiliert und gestartet; das Fenster bleibt währenddessen bedienbar</translation>
        </message>
        <message>
            <source>The script could not be loaded and does not run: Reload tries again, Unload removes the row</source>
            <translation>Das Skript konnte nicht geladen werden und läuft nicht: „Neu laden“ versucht es erneut, „Entladen“ entfernt die Zeile</translation>
        </message>
    </context>
    <context>
        <name>spyglass::ScriptsPanel</name>
        <message>
            <source>&amp;Add script…</source>
            <translation>Skript &amp;hinzufügen…</translation>
        </message>
        <message>
            <source>Load a JavaScript file into the running proxy; it reloads whenever the file changes</source>
            <translation>Eine JavaScript-Datei in den laufenden Proxy laden; sie wird bei jeder Änderung der Datei neu geladen</translation>
        </message>
        <message>
            <source>&amp;Reload</source>
            <translation>&amp;Neu laden</translation>
        </message>
        <message>
            <source>Load the selected scripts again from their files (an unloaded script starts again)</source>
            <translation>Die gewählten Skripte erneut aus ihren Dateien laden (ein entladenes Skript startet wieder)</translation>
        </message>
        <message>
            <source>&amp;Unload</source>
            <translation>&amp;Entladen</translation>
        </message>
        <message>
            <source>Stop the selected scripts: their hooks no longer run and their files are no longer watched, until Reload</source>
            <translation>Die gewählten Skripte stoppen: Ihre Hooks laufen nicht mehr und ihre Dateien werden nicht mehr überwacht, bis „Neu laden“</translation>
        </message>
        <message>
            <source>The scripts the proxy runs</source>
            <translation>Die vom Proxy ausgeführten Skripte</translation>
        </message>
        <message>
            <source>The selected script's file and its last error; the text can be selected and copied, FILE:LINE opens the file</source>
            <translation>Datei und letzter Fehler des gewählten Skripts; der Text lässt sich markieren und kopieren, DATEI:ZEILE öffnet die Datei</translation>
        </message>
        <message>
            <source>Add script</source>
            <translation>Skript hinzufügen</translation>
        </message>
        <message>
            <source>JavaScript files (*.js *.mjs);;All files (*)</source>
            <translation>JavaScript-Dateien (*.js *.mjs);;Alle Dateien (*)</translation>
        </message>
        <message>
            <source>No scripts are loaded. Add one with &lt;i&gt;Add script…&lt;/i&gt;, or start Spyglass with &lt;tt&gt;-s FILE&lt;/tt&gt;.</source>
            <translation>Es sind keine Skripte geladen. Eines mit &lt;i&gt;Skript hinzufügen…&lt;/i&gt; hinzufügen oder Spyglass mit &lt;tt&gt;-s DATEI&lt;/tt&gt; starten.</translation>
        </message>
        <message>
            <source>Select a script to see its file and its last error.</source>
            <translation>Ein Skript wählen, um seine Datei und seinen letzten Fehler zu sehen.</translation>
        </message>
        <message>
            <source>File:</source>
            <translation>Datei:</translation>
        </message>
        <message>
            <source>Last error:</source>
            <translation>Letzter Fehler:</translation>
        </message>
        <message>
            <source>Loading: reading, compiling and starting the script…</source>
            <translation>Wird geladen: Das Skript wird gelesen, kompiliert und gestartet…</translation>
        </message>
    </context>
    <context>
        <name>spyglass::StatusBarMonitor</name>
        <message>
            <source>Flows finished in the last second, and the bytes of their request and response bodies</source>
            <translation>In der letzten Sekunde abgeschlossene Flows und die Bytes ihrer Anfrage- und Antwort-Bodys</translation>
        </message>
        <message>
            <source>%1 flows/s, %2/s</source>
            <translation>%1 Flows/s, %2/s</translation>
        </message>
        <message>
            <source>Memory this process holds (resident set size)</source>
            <translation>Von diesem Prozess belegter Speicher (Resident Set Size)</translation>
        </message>
        <message>
            <source>Memory: %1</source>
            <translation>Speicher: %1</translation>
        </message>
    </context>
    <context>
        <name>spyglass::SystemProxy</name>
        <message>
            <source>networksetup was not found</source>
            <translation>networksetup wurde nicht gefunden</translation>
        </message>
        <message>
            <source>gsettings was not found: only GNOME's proxy setting (and desktops that read it) can be changed from here</source>
            <translation>gsettings wurde nicht gefunden: Nur die Proxy-Einstellung von GNOME (und von Desktops, die sie lesen) kann von hier aus geändert werden</translation>
        </message>
        <message>
            <source>the GNOME proxy settings (org.gnome.system.proxy) are not available or not writable</source>
            <translation>die GNOME-Proxy-Einstellungen (org.gnome.system.proxy) sind nicht verfügbar oder nicht beschreibbar</translation>
        </message>
        <message>
            <source>%1 did not finish: %2</source>
            <translation>%1 wurde nicht beendet: %2</translation>
        </message>
        <message>
            <source>%1 %2 failed: %3</source>
            <translation>%1 %2 fehlgeschlagen: %3</translation>
        </message>
        <message>
            <source>InternetQueryOption failed (error %1)</source>
            <translation>InternetQueryOption fehlgeschlagen (Fehler %1)</translation>
        </message>
        <message>
            <source>WinINet exists only on Windows</source>
            <translation>WinINet gibt es nur unter Windows</translation>
        </message>
        <message>
            <source>InternetSetOption failed (error %1)</source>
            <translation>InternetSetOption fehlgeschlagen (Fehler %1)</translation>
        </message>
        <message>
            <source>cannot write %1: %2</source>
            <translation>%1 kann nicht geschrieben werden: %2</translation>
        </message>
        <message>
            <source>the saved proxy setting (%1) cannot be restored here</source>
            <translation>die gespeicherte Proxy-Einstellung (%1) kann hier nicht wiederhergestellt werden</translation>
        </message>
        <message>
            <source>cannot read %1: %2</source>
            <translation>%1 kann nicht gelesen werden: %2</translation>
        </message>
        <message>
            <source>%1 is damaged (%2); it was left in place</source>
            <translation>%1 ist beschädigt (%2); die Datei wurde belassen</translation>
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
    <context>
        <name>spyglass::TrustCheck</name>
        <message>
            <source>%1 answered HTTP %2 over a verified TLS connection</source>
            <translation>%1 antwortete mit HTTP %2 über eine verifizierte TLS-Verbindung</translation>
        </message>
        <message>
            <source>%1 answered over a verified TLS connection (%2)</source>
            <translation>%1 antwortete über eine verifizierte TLS-Verbindung (%2)</translation>
        </message>
    </context>
</TS>

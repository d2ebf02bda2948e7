<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>Backend</name>
    <message>
        <source>Not connected</source>
        <translation>Nicht verbunden</translation>
    </message>
    <message>
        <source>Connecting</source>
        <translation>Verbindung wird aufgebaut</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <source>Connection problem</source>
        <translation>Verbindungsproblem</translation>
    </message>
    <message>
        <source>Disconnected</source>
        <translation>Getrennt</translation>
    </message>
</context>
<context>
    <name>BackendFactory</name>
    <message>
        <source>The embedded engine&apos;s settings are not valid. Fix them in the environment or the config file and connect again:
%1</source>
        <translation>Die Einstellungen der eingebetteten Engine sind ungültig. Korrigieren Sie sie in der Umgebung oder der Konfigurationsdatei und verbinden Sie sich erneut:
%1</translation>
    </message>
</context>
<context>
    <name>CircuitSummary</name>
    <message>
        <source>Forced by %1 until %2: %3.</source>
        <translation>Erzwungen von %1 bis %2: %3.</translation>
    </message>
    <message>
        <source>%1 of %2 consecutive failures</source>
        <translation>%1 von %2 aufeinanderfolgenden Fehlern</translation>
    </message>
    <message>
        <source>Moogsoft circuit CLOSED: alerts go out as they arrive (%1).</source>
        <translation>Moogsoft-Circuit GESCHLOSSEN: Alarme werden sofort gesendet (%1).</translation>
    </message>
    <message>
        <source>Moogsoft circuit HALF-OPEN: one probe alert is on its way.</source>
        <translation>Moogsoft-Circuit HALB OFFEN: ein Probe-Alarm ist unterwegs.</translation>
    </message>
    <message>
        <source>Moogsoft circuit HALF-OPEN: the next alert is sent as a probe.</source>
        <translation>Moogsoft-Circuit HALB OFFEN: der nächste Alarm wird als Probe gesendet.</translation>
    </message>
    <message>
        <source>next probe in %1</source>
        <translation>nächste Probe in %1</translation>
    </message>
    <message>
        <source>probe due now</source>
        <translation>Probe jetzt fällig</translation>
    </message>
    <message>
        <source>Moogsoft circuit OPEN since %1: alerts wait in the queue (%2, %3).</source>
        <translation>Moogsoft-Circuit OFFEN seit %1: Alarme warten in der Queue (%2, %3).</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>kein Grund angegeben</translation>
    </message>
    <message>
        <source>No alerts are sent to Moogsoft: the forwarder is unhealthy (%1). New alerts wait in the alert queue.</source>
        <translation>Es werden keine Alarme an Moogsoft gesendet: der Forwarder ist nicht gesund (%1). Neue Alarme warten in der Alarm-Queue.</translation>
    </message>
    <message>
        <source>No alerts are sent to Moogsoft: no forwarder is running. This daemon has no forwarder role and no forwarder heartbeat is in the store. New alerts wait in the alert queue.</source>
        <translation>Es werden keine Alarme an Moogsoft gesendet: kein Forwarder läuft. Dieser Daemon hat keine forwarder-Rolle, und im Store liegt kein Heartbeat eines Forwarders. Neue Alarme warten in der Alarm-Queue.</translation>
    </message>
    <message>
        <source>%1 consecutive failures, threshold %2</source>
        <translation>%1 aufeinanderfolgende Fehler, Schwelle %2</translation>
    </message>
</context>
<context>
    <name>ConnectionProfile</name>
    <message>
        <source>Enter a profile name.</source>
        <translation>Geben Sie einen Profilnamen ein.</translation>
    </message>
    <message>
        <source>The profile name &quot;%1&quot; contains a slash. Use letters, digits, spaces or dashes.</source>
        <translation>Der Profilname „%1“ enthält einen Schrägstrich. Verwenden Sie Buchstaben, Ziffern, Leerzeichen oder Bindestriche.</translation>
    </message>
    <message>
        <source>The address &quot;%1&quot; is not an http:// or https:// URL with a host. Enter it as https://host:8090, the address of the daemon&apos;s api role.</source>
        <translation>Die Adresse „%1“ ist keine http://- oder https://-URL mit Host. Geben Sie sie als https://host:8090 ein, die Adresse der api-Rolle des Daemons.</translation>
    </message>
    <message>
        <source>A CA file only applies to https:// addresses. Change the address to https:// or clear the CA file.</source>
        <translation>Eine CA-Datei gilt nur für https://-Adressen. Ändern Sie die Adresse auf https:// oder leeren Sie das Feld CA-Datei.</translation>
    </message>
    <message>
        <source>Embedded</source>
        <translation>Eingebettet</translation>
    </message>
    <message>
        <source>local</source>
        <translation>lokal</translation>
    </message>
</context>
<context>
    <name>ConsoleOptions</name>
    <message>
        <source>Operations console for the MUTT event pipeline.</source>
        <translation>Betriebskonsole für die MUTT-Event-Pipeline.</translation>
    </message>
    <message>
        <source>Open the saved connection profile NAME.</source>
        <translation>Öffnet das gespeicherte Verbindungsprofil NAME.</translation>
    </message>
    <message>
        <source>Run the engine in this process.</source>
        <translation>Führt die Engine in diesem Prozess aus.</translation>
    </message>
    <message>
        <source>Data folder of the embedded engine (implies --embedded).</source>
        <translation>Datenordner der eingebetteten Engine (schließt --embedded ein).</translation>
    </message>
    <message>
        <source>Attach to the muttd api role at URL; the API key comes from WEBUI_API_KEY or is asked for.</source>
        <translation>Verbindet sich mit der api-Rolle von muttd unter URL; der API-Schlüssel kommt aus WEBUI_API_KEY oder wird abgefragt.</translation>
    </message>
    <message>
        <source>CA certificate (PEM) for --remote.</source>
        <translation>CA-Zertifikat (PEM) für --remote.</translation>
    </message>
    <message>
        <source>Show view NAME first: overview or queues.</source>
        <translation>Zeigt zuerst die Ansicht NAME: overview oder queues.</translation>
    </message>
    <message>
        <source>Save the main window to FILE (PNG) and quit.</source>
        <translation>Speichert das Hauptfenster in DATEI (PNG) und beendet das Programm.</translation>
    </message>
    <message>
        <source>Seconds to wait before --screenshot (default 3).</source>
        <translation>Sekunden bis --screenshot (Standard 3).</translation>
    </message>
    <message>
        <source>trace, debug, info, warn, error or critical (default info).</source>
        <translation>trace, debug, info, warn, error oder critical (Standard info).</translation>
    </message>
    <message>
        <source>Measure how long the GUI thread is blocked (a 10 ms timer) and write the longest stall and the count of stalls over 100 ms to FILE when the console quits.</source>
        <translation>Misst, wie lange der GUI-Thread blockiert ist (ein 10-ms-Timer), und schreibt beim Beenden die längste Blockade und die Anzahl der Blockaden über 100 ms in DATEI.</translation>
    </message>
    <message>
        <source>Close the window after SECONDS, stopping the engine as the Quit command does.</source>
        <translation>Schließt das Fenster nach SEKUNDEN und hält die Engine an wie der Befehl Beenden.</translation>
    </message>
    <message>
        <source>Show the next view every SECONDS.</source>
        <translation>Zeigt alle SEKUNDEN die nächste Ansicht.</translation>
    </message>
    <message>
        <source>--screenshot-after &quot;%1&quot; is not a whole number of seconds. Use e.g. --screenshot-after 5.</source>
        <translation>--screenshot-after „%1“ ist keine ganze Zahl von Sekunden. Verwenden Sie z. B. --screenshot-after 5.</translation>
    </message>
    <message>
        <source>--%1 &quot;%2&quot; is not a whole number of seconds of at least 1. Use e.g. --%1 30.</source>
        <translation>--%1 &quot;%2&quot; ist keine ganze Zahl von mindestens 1 Sekunde. Beispiel: --%1 30.</translation>
    </message>
    <message>
        <source>--profile, --embedded and --remote each choose what to open; give only one.</source>
        <translation>--profile, --embedded und --remote wählen jeweils das Ziel; geben Sie nur eine davon an.</translation>
    </message>
    <message>
        <source>There is no connection profile named &quot;%1&quot;. Saved profiles: %2.</source>
        <translation>Es gibt kein Verbindungsprofil namens „%1“. Gespeicherte Profile: %2.</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>Command line</source>
        <translation>Kommandozeile</translation>
    </message>
    <message>
        <source>unlabelled</source>
        <translation>ohne Bezeichnung</translation>
    </message>
    <message>
        <source>There is no view named &quot;%1&quot;. Views: %2.</source>
        <translation>Es gibt keine Ansicht namens „%1“. Ansichten: %2.</translation>
    </message>
    <message>
        <source>No display found (DISPLAY and WAYLAND_DISPLAY are not set). Run the console in a desktop session, under xvfb-run, or with QT_QPA_PLATFORM=offscreen; muttd runs the pipeline without one.</source>
        <translation>Kein Display gefunden (DISPLAY und WAYLAND_DISPLAY sind nicht gesetzt). Starten Sie die Konsole in einer Desktop-Sitzung, unter xvfb-run oder mit QT_QPA_PLATFORM=offscreen; muttd betreibt die Pipeline ohne Display.</translation>
    </message>
    <message>
        <source>No X server answers on DISPLAY=%1. Run the console in a desktop session, under xvfb-run, or with QT_QPA_PLATFORM=offscreen; muttd runs the pipeline without one.</source>
        <translation>Unter DISPLAY=%1 antwortet kein X-Server. Starten Sie die Konsole in einer Desktop-Sitzung, unter xvfb-run oder mit QT_QPA_PLATFORM=offscreen; muttd betreibt die Pipeline ohne Display.</translation>
    </message>
    <message>
        <source>No Wayland compositor answers on WAYLAND_DISPLAY=%1. Run the console in a desktop session, under xvfb-run, or with QT_QPA_PLATFORM=offscreen; muttd runs the pipeline without one.</source>
        <translation>Unter WAYLAND_DISPLAY=%1 antwortet kein Wayland-Compositor. Starten Sie die Konsole in einer Desktop-Sitzung, unter xvfb-run oder mit QT_QPA_PLATFORM=offscreen; muttd betreibt die Pipeline ohne Display.</translation>
    </message>
</context>
<context>
    <name>EmbeddedBackend</name>
    <message>
        <source>Embedded engine (default data folder)</source>
        <translation>Eingebettete Engine (Standard-Datenordner)</translation>
    </message>
    <message>
        <source>Embedded engine in %1</source>
        <translation>Eingebettete Engine in %1</translation>
    </message>
    <message>
        <source>The embedded engine did not start: %1. Fix the setting named above (connection profile or environment) and connect again.</source>
        <translation>Die eingebettete Engine ist nicht gestartet: %1. Korrigieren Sie die genannte Einstellung (Verbindungsprofil oder Umgebung) und verbinden Sie sich erneut.</translation>
    </message>
    <message>
        <source>The embedded engine is not running.</source>
        <translation>Die eingebettete Engine läuft nicht.</translation>
    </message>
    <message>
        <source>The embedded engine could not read its status: %1. The console keeps trying every second; see the engine log for the cause.</source>
        <translation>Die eingebettete Engine konnte ihren Status nicht lesen: %1. Die Konsole versucht es jede Sekunde erneut; die Ursache steht im Engine-Log.</translation>
    </message>
</context>
<context>
    <name>Format</name>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1 T %2 h</translation>
    </message>
</context>
<context>
    <name>RemoteBackend</name>
    <message>
        <source>the body is not a JSON object</source>
        <translation>der Inhalt ist kein JSON-Objekt</translation>
    </message>
    <message>
        <source>conservation or queues are missing</source>
        <translation>conservation oder queues fehlen</translation>
    </message>
    <message>
        <source>Error message from the daemon: &quot;%1&quot;.</source>
        <translation>Fehlermeldung des Daemons: „%1“.</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>1 second</source>
        <translation>1 Sekunde</translation>
    </message>
    <message>
        <source>%1 seconds</source>
        <translation>%1 Sekunden</translation>
    </message>
    <message>
        <source>The MUTT daemon at %1 rejected the API key (HTTP %2). Enter the WEBUI_API_KEY of that daemon in the connection profile, or, when the console starts with --remote, set it in the WEBUI_API_KEY environment variable.</source>
        <translation>Der MUTT-Daemon unter %1 hat den API-Schlüssel abgelehnt (HTTP %2). Tragen Sie den WEBUI_API_KEY dieses Daemons im Verbindungsprofil ein oder setzen Sie ihn, wenn die Konsole mit --remote startet, in der Umgebungsvariablen WEBUI_API_KEY.</translation>
    </message>
    <message>
        <source>The server at %1 has no /api/v2/status (HTTP 404). Check that the address points at the api role of a MUTT daemon.</source>
        <translation>Der Server unter %1 hat kein /api/v2/status (HTTP 404). Prüfen Sie, ob die Adresse auf die api-Rolle eines MUTT-Daemons zeigt.</translation>
    </message>
    <message>
        <source>The MUTT daemon at %1 is busy or not ready (HTTP %2). The console keeps asking every second.</source>
        <translation>Der MUTT-Daemon unter %1 ist ausgelastet oder nicht bereit (HTTP %2). Die Konsole fragt jede Sekunde erneut.</translation>
    </message>
    <message>
        <source>The MUTT daemon at %1 answered with HTTP %2 instead of a status. Check the daemon&apos;s log for this request.</source>
        <translation>Der MUTT-Daemon unter %1 hat mit HTTP %2 statt mit einem Status geantwortet. Prüfen Sie das Log des Daemons zu dieser Anfrage.</translation>
    </message>
    <message>
        <source>Nothing is listening at %1: the connection was refused. Check the address and port and that the api role of the MUTT daemon is running.</source>
        <translation>Unter %1 lauscht nichts: die Verbindung wurde abgelehnt. Prüfen Sie Adresse und Port und ob die api-Rolle des MUTT-Daemons läuft.</translation>
    </message>
    <message>
        <source>The host name in %1 could not be resolved. Check the spelling of the address and the DNS.</source>
        <translation>Der Hostname in %1 konnte nicht aufgelöst werden. Prüfen Sie die Schreibweise der Adresse und das DNS.</translation>
    </message>
    <message>
        <source>The MUTT daemon at %1 closed the connection before answering. Check that the address uses the right scheme (http or https) and that the daemon is healthy.</source>
        <translation>Der MUTT-Daemon unter %1 hat die Verbindung vor der Antwort geschlossen. Prüfen Sie, ob die Adresse das richtige Schema (http oder https) verwendet und der Daemon gesund ist.</translation>
    </message>
    <message>
        <source>The TLS certificate of %1 could not be verified (%2). Select the CA file that signed the daemon&apos;s certificate in the connection profile.</source>
        <translation>Das TLS-Zertifikat von %1 konnte nicht geprüft werden (%2). Wählen Sie im Verbindungsprofil die CA-Datei, die das Zertifikat des Daemons signiert hat.</translation>
    </message>
    <message>
        <source>The MUTT daemon at %1 could not be reached (%2). Check the address and the network path to the daemon.</source>
        <translation>Der MUTT-Daemon unter %1 ist nicht erreichbar (%2). Prüfen Sie die Adresse und den Netzwerkweg zum Daemon.</translation>
    </message>
    <message>
        <source>The MUTT daemon at %1 did not answer within %2. Check the address and that the api role is running.</source>
        <translation>Der MUTT-Daemon unter %1 hat nicht innerhalb von %2 geantwortet. Prüfen Sie die Adresse und ob die api-Rolle läuft.</translation>
    </message>
    <message>
        <source>The MUTT daemon at %1 answered with a status the console cannot read (%2). Check that the console and the daemon are the same version.</source>
        <translation>Der MUTT-Daemon unter %1 hat einen Status geliefert, den die Konsole nicht lesen kann (%2). Prüfen Sie, ob Konsole und Daemon dieselbe Version haben.</translation>
    </message>
    <message>
        <source>The address &quot;%1&quot; is not an http:// or https:// URL with a host. Enter it as https://host:8090, the address of the daemon&apos;s api role.</source>
        <translation>Die Adresse „%1“ ist keine http://- oder https://-URL mit Host. Geben Sie sie als https://host:8090 ein, die Adresse der api-Rolle des Daemons.</translation>
    </message>
    <message>
        <source>The CA file %1 contains no PEM certificate. Select the file with the certificate authority that signed the daemon&apos;s certificate.</source>
        <translation>Die CA-Datei %1 enthält kein PEM-Zertifikat. Wählen Sie die Datei der Zertifizierungsstelle, die das Zertifikat des Daemons signiert hat.</translation>
    </message>
</context>
<context>
    <name>mutt::ui::ApiKeyPrompt</name>
    <message>
        <source>Remember in the system keychain</source>
        <translation>Im Schlüsselbund des Systems speichern</translation>
    </message>
    <message>
        <source>API key for %1</source>
        <translation>API-Schlüssel für %1</translation>
    </message>
    <message>
        <source>WEBUI_API_KEY of the daemon</source>
        <translation>WEBUI_API_KEY des Daemons</translation>
    </message>
    <message>
        <source>No system keychain is available; the key is kept for this connection only.</source>
        <translation>Kein Schlüsselbund verfügbar; der Schlüssel gilt nur für diese Verbindung.</translation>
    </message>
    <message>
        <source>Daemon:</source>
        <translation>Daemon:</translation>
    </message>
    <message>
        <source>API key:</source>
        <translation>API-Schlüssel:</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Verbinden</translation>
    </message>
</context>
<context>
    <name>mutt::ui::ApiKeyStore</name>
    <message>
        <source>No API key is stored for profile &quot;%1&quot;. Enter the WEBUI_API_KEY of the daemon.</source>
        <translation>Für das Profil „%1“ ist kein API-Schlüssel gespeichert. Geben Sie den WEBUI_API_KEY des Daemons ein.</translation>
    </message>
    <message>
        <source>The system keychain could not be read (%1), so the console cannot keep the API key. Enter it each time you connect.</source>
        <translation>Der Schlüsselbund des Systems konnte nicht gelesen werden (%1), daher kann die Konsole den API-Schlüssel nicht speichern. Geben Sie ihn bei jeder Verbindung ein.</translation>
    </message>
    <message>
        <source>The API key for profile &quot;%1&quot; could not be stored in the system keychain (%2). The console will ask for it each time you connect.</source>
        <translation>Der API-Schlüssel für das Profil „%1“ konnte nicht im Schlüsselbund gespeichert werden (%2). Die Konsole fragt bei jeder Verbindung danach.</translation>
    </message>
</context>
<context>
    <name>mutt::ui::ConnectionController</name>
    <message>
        <source>The keychain entry for profile &quot;%1&quot; is empty.</source>
        <translation>Der Schlüsselbund-Eintrag für das Profil „%1“ ist leer.</translation>
    </message>
</context>
<context>
    <name>mutt::ui::ConnectionDialog</name>
    <message>
        <source>Connect</source>
        <translation>Verbinden</translation>
    </message>
    <message>
        <source>New profile…</source>
        <translation>Neues Profil…</translation>
    </message>
    <message>
        <source>Embedded: run the engine in this process</source>
        <translation>Eingebettet: die Engine in diesem Prozess ausführen</translation>
    </message>
    <message>
        <source>Remote: attach to a muttd api role</source>
        <translation>Entfernt: mit der api-Rolle eines muttd verbinden</translation>
    </message>
    <message>
        <source>Profile:</source>
        <translation>Profil:</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <source>Connect to:</source>
        <translation>Verbinden mit:</translation>
    </message>
    <message>
        <source>Production: this profile opens read-only. Changes must be unlocked for each session.</source>
        <translation>Produktion: dieses Profil öffnet schreibgeschützt. Änderungen müssen für jede Sitzung freigeschaltet werden.</translation>
    </message>
    <message>
        <source>Embedded engine</source>
        <translation>Eingebettete Engine</translation>
    </message>
    <message>
        <source>default data folder</source>
        <translation>Standard-Datenordner</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Data folder:</source>
        <translation>Datenordner:</translation>
    </message>
    <message>
        <source>Queues, rules and audit live in SQLite files in this folder. Empty: MUTT_DATA_DIR, else ~/.local/share/mutt.</source>
        <translation>Queues, Regeln und Audit liegen als SQLite-Dateien in diesem Ordner. Leer: MUTT_DATA_DIR, sonst ~/.local/share/mutt.</translation>
    </message>
    <message>
        <source>Remote daemon</source>
        <translation>Entfernter Daemon</translation>
    </message>
    <message>
        <source>leave empty to use the key in the keychain</source>
        <translation>leer lassen, um den Schlüssel aus dem Schlüsselbund zu verwenden</translation>
    </message>
    <message>
        <source>system certificate authorities</source>
        <translation>Zertifizierungsstellen des Systems</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>Adresse:</translation>
    </message>
    <message>
        <source>API key:</source>
        <translation>API-Schlüssel:</translation>
    </message>
    <message>
        <source>The daemon&apos;s WEBUI_API_KEY. It is kept in the system keychain, never in the settings file; without a keychain the console asks for it each time.</source>
        <translation>Der WEBUI_API_KEY des Daemons. Er liegt im Schlüsselbund des Systems, nie in der Einstellungsdatei; ohne Schlüsselbund fragt die Konsole jedes Mal danach.</translation>
    </message>
    <message>
        <source>CA file:</source>
        <translation>CA-Datei:</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>Umgebung</translation>
    </message>
    <message>
        <source>Blue</source>
        <translation>Blau</translation>
    </message>
    <message>
        <source>Green</source>
        <translation>Grün</translation>
    </message>
    <message>
        <source>Amber</source>
        <translation>Bernstein</translation>
    </message>
    <message>
        <source>Purple</source>
        <translation>Violett</translation>
    </message>
    <message>
        <source>Grey</source>
        <translation>Grau</translation>
    </message>
    <message>
        <source>Label:</source>
        <translation>Bezeichnung:</translation>
    </message>
    <message>
        <source>Colour:</source>
        <translation>Farbe:</translation>
    </message>
    <message>
        <source>PEM certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>PEM-Zertifikate (*.pem *.crt *.cer);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Production profiles are always shown in red.</source>
        <translation>Produktionsprofile werden immer rot angezeigt.</translation>
    </message>
</context>
<context>
    <name>mutt::ui::ConservationPanel</name>
    <message>
        <source>Accepted</source>
        <translation>Angenommen</translation>
    </message>
    <message>
        <source>Events the ingestor acknowledged with HTTP 200.</source>
        <translation>Events, die der Ingestor mit HTTP 200 bestätigt hat.</translation>
    </message>
    <message>
        <source>Generated</source>
        <translation>Erzeugt</translation>
    </message>
    <message>
        <source>Meta-alerts the alerter created (unhandled-event alerts).</source>
        <translation>Meta-Alarme, die der Alerter erzeugt hat (Alarme für unbehandelte Events).</translation>
    </message>
    <message>
        <source>Total in</source>
        <translation>Summe Eingang</translation>
    </message>
    <message>
        <source>Accepted + generated.</source>
        <translation>Angenommen + erzeugt.</translation>
    </message>
    <message>
        <source>Forwarded</source>
        <translation>Weitergeleitet</translation>
    </message>
    <message>
        <source>Alerts Moogsoft acknowledged with 2xx.</source>
        <translation>Alarme, die Moogsoft mit 2xx bestätigt hat.</translation>
    </message>
    <message>
        <source>Suppressed</source>
        <translation>Unterdrückt</translation>
    </message>
    <message>
        <source>Matched a rule whose handling does not forward.</source>
        <translation>Passten zu einer Regel, deren Behandlung nicht weiterleitet.</translation>
    </message>
    <message>
        <source>Unhandled</source>
        <translation>Unbehandelt</translation>
    </message>
    <message>
        <source>Matched no rule.</source>
        <translation>Passten zu keiner Regel.</translation>
    </message>
    <message>
        <source>Discarded</source>
        <translation>Verworfen</translation>
    </message>
    <message>
        <source>Deleted from a dead-letter queue by an operator.</source>
        <translation>Von einem Operator aus einer Dead-Letter-Queue gelöscht.</translation>
    </message>
    <message>
        <source>In DLQ</source>
        <translation>In DLQ</translation>
    </message>
    <message>
        <source>Items in the alerter, Moogsoft and dead dead-letter queues.</source>
        <translation>Einträge in den Dead-Letter-Queues alerter, moog und dead.</translation>
    </message>
    <message>
        <source>In flight</source>
        <translation>In Bearbeitung</translation>
    </message>
    <message>
        <source>Items in the ingest and alert queues, the processing lists and the retry set.</source>
        <translation>Einträge in Ingest- und Alert-Queue, den Processing-Listen und dem Retry-Set.</translation>
    </message>
    <message>
        <source>Accounted for</source>
        <translation>Nachgewiesen</translation>
    </message>
    <message>
        <source>The sum of the six counters above.</source>
        <translation>Die Summe der sechs Zähler darüber.</translation>
    </message>
    <message>
        <source>Waiting for the first sample.</source>
        <translation>Warte auf die erste Messung.</translation>
    </message>
    <message>
        <source>Balanced: accepted + generated = %1 = forwarded + suppressed + unhandled + discarded + in DLQ + in flight.</source>
        <translation>Ausgeglichen: angenommen + erzeugt = %1 = weitergeleitet + unterdrückt + unbehandelt + verworfen + in DLQ + in Bearbeitung.</translation>
    </message>
    <message>
        <source>Not balanced: %1 events missing. Accepted + generated = %2, but only %3 are accounted for. Possible data loss (P1): check the processing lists, the DLQs and the engine log.</source>
        <translation>Nicht ausgeglichen: %1 Events fehlen. Angenommen + erzeugt = %2, aber nur %3 sind nachgewiesen. Möglicher Datenverlust (P1): prüfen Sie die Processing-Listen, die DLQs und das Engine-Log.</translation>
    </message>
    <message>
        <source>Not balanced: %1 more events accounted for than accepted + generated (%2 against %3). Possible duplicates: check for replays that did not remove their DLQ item.</source>
        <translation>Nicht ausgeglichen: %1 Events mehr nachgewiesen als angenommen + erzeugt (%2 gegenüber %3). Mögliche Duplikate: prüfen Sie Replays, die ihren DLQ-Eintrag nicht entfernt haben.</translation>
    </message>
</context>
<context>
    <name>mutt::ui::EnvironmentBar</name>
    <message>
        <source>no environment label</source>
        <translation>keine Umgebungsbezeichnung</translation>
    </message>
    <message>
        <source>read-only: changes are locked</source>
        <translation>schreibgeschützt: Änderungen sind gesperrt</translation>
    </message>
    <message>
        <source>changes unlocked for this session</source>
        <translation>Änderungen für diese Sitzung freigeschaltet</translation>
    </message>
    <message>
        <source>PRODUCTION</source>
        <translation>PRODUKTION</translation>
    </message>
    <message>
        <source>Unlock changes for this session</source>
        <translation>Änderungen für diese Sitzung freischalten</translation>
    </message>
    <message>
        <source>Lock changes again</source>
        <translation>Änderungen wieder sperren</translation>
    </message>
</context>
<context>
    <name>mutt::ui::MainWindow</name>
    <message>
        <source>MUTT Console</source>
        <translation>MUTT Console</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Übersicht</translation>
    </message>
    <message>
        <source>Queues</source>
        <translation>Queues</translation>
    </message>
    <message>
        <source>&amp;Connection</source>
        <translation>&amp;Verbindung</translation>
    </message>
    <message>
        <source>&amp;Connect…</source>
        <translation>&amp;Verbinden…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
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
        <source>&amp;About MUTT Console</source>
        <translation>Ü&amp;ber MUTT Console</translation>
    </message>
    <message>
        <source>About MUTT Console</source>
        <translation>Über MUTT Console</translation>
    </message>
    <message>
        <source>MUTT Console %1
Operations console for the MUTT event pipeline.</source>
        <translation>MUTT Console %1
Betriebskonsole für die MUTT-Event-Pipeline.</translation>
    </message>
    <message>
        <source>Not connected: no API key was entered for profile &quot;%1&quot;. Choose Connection → Connect… to try again.</source>
        <translation>Nicht verbunden: für das Profil „%1“ wurde kein API-Schlüssel eingegeben. Wählen Sie Verbindung → Verbinden…, um es erneut zu versuchen.</translation>
    </message>
    <message>
        <source>embedded engine</source>
        <translation>eingebettete Engine</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbindung wird aufgebaut…</translation>
    </message>
    <message>
        <source>MUTT Console — %1</source>
        <translation>MUTT Console — %1</translation>
    </message>
    <message>
        <source>Starting the embedded engine…</source>
        <translation>Eingebettete Engine startet…</translation>
    </message>
    <message>
        <source>Last sample %1</source>
        <translation>Letzte Messung %1</translation>
    </message>
    <message>
        <source>(stale)</source>
        <translation>(veraltet)</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>Wird beendet…</translation>
    </message>
</context>
<context>
    <name>mutt::ui::OverviewView</name>
    <message>
        <source>Copy ingest API key</source>
        <translation>Ingest-API-Schlüssel kopieren</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Übersicht</translation>
    </message>
    <message>
        <source>Copies the INGEST_API_KEY of the embedded engine, for senders and the demo feed.</source>
        <translation>Kopiert den INGEST_API_KEY der eingebetteten Engine, für Sender und den Demo-Feed.</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>Rollen</translation>
    </message>
    <message>
        <source>Conservation</source>
        <translation>Bilanz</translation>
    </message>
    <message>
        <source>Moogsoft circuit: waiting for the first sample.</source>
        <translation>Moogsoft-Circuit: warte auf die erste Messung.</translation>
    </message>
    <message>
        <source>Waiting for the first sample.</source>
        <translation>Warte auf die erste Messung.</translation>
    </message>
    <message>
        <source>MUTT %1</source>
        <translation>MUTT %1</translation>
    </message>
    <message>
        <source>storage: %1</source>
        <translation>Speicher: %1</translation>
    </message>
    <message>
        <source>ingest: %1</source>
        <translation>Ingest: %1</translation>
    </message>
    <message>
        <source>sampled %1</source>
        <translation>gemessen %1</translation>
    </message>
</context>
<context>
    <name>mutt::ui::QueuesModel</name>
    <message>
        <source>Queue</source>
        <translation>Queue</translation>
    </message>
    <message>
        <source>Dead-letter queue</source>
        <translation>Dead-Letter-Queue</translation>
    </message>
    <message>
        <source>Processing list</source>
        <translation>Processing-Liste</translation>
    </message>
    <message>
        <source>Retry set</source>
        <translation>Retry-Set</translation>
    </message>
    <message>
        <source>empty in %1</source>
        <translation>leer in %1</translation>
    </message>
    <message>
        <source>full in %1</source>
        <translation>voll in %1</translation>
    </message>
    <message>
        <source>growing %1/s</source>
        <translation>wächst um %1/s</translation>
    </message>
    <message>
        <source>empty</source>
        <translation>leer</translation>
    </message>
    <message>
        <source>not moving</source>
        <translation>unverändert</translation>
    </message>
    <message>
        <source>gone: orphaned list</source>
        <translation>fehlt: verwaiste Liste</translation>
    </message>
    <message>
        <source>%1 ago, late</source>
        <translation>vor %1, verspätet</translation>
    </message>
    <message>
        <source>%1 ago</source>
        <translation>vor %1</translation>
    </message>
    <message>
        <source>No heartbeat from worker %1: the items in this processing list belong to nobody. The janitor moves them back to their queue; until then they are counted as in flight.</source>
        <translation>Kein Heartbeat von Worker %1: die Einträge dieser Processing-Liste gehören niemandem. Der Janitor verschiebt sie zurück in ihre Queue; bis dahin zählen sie als in Bearbeitung.</translation>
    </message>
    <message>
        <source>(unknown)</source>
        <translation>(unbekannt)</translation>
    </message>
    <message>
        <source>This queue has no counter for what enters it. In/s and out/s come from the change in depth alone, so they are lower bounds; &quot;—&quot; means the depth did not change.</source>
        <translation>Für diese Queue gibt es keinen Zähler der Zugänge. Ein/s und Aus/s stammen allein aus der Änderung der Tiefe und sind daher Untergrenzen; „—“ heißt, die Tiefe hat sich nicht geändert.</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Depth</source>
        <translation>Tiefe</translation>
    </message>
    <message>
        <source>In/s</source>
        <translation>Ein/s</translation>
    </message>
    <message>
        <source>Out/s</source>
        <translation>Aus/s</translation>
    </message>
    <message>
        <source>Oldest item</source>
        <translation>Ältester Eintrag</translation>
    </message>
    <message>
        <source>Time to drain or fill</source>
        <translation>Zeit bis leer oder voll</translation>
    </message>
    <message>
        <source>Worker</source>
        <translation>Worker</translation>
    </message>
    <message>
        <source>Heartbeat</source>
        <translation>Heartbeat</translation>
    </message>
    <message>
        <source>Items in the list now.</source>
        <translation>Aktuelle Einträge in der Liste.</translation>
    </message>
    <message>
        <source>Items per second over the last 5 seconds of samples. For the ingest queue, in/s is the change of the accepted-events counter and out/s is in/s minus the change in depth. For other queues only the depth change is known: growth is shown as in/s, shrinkage as out/s, marked &quot;≥&quot; because items can enter and leave between two samples.</source>
        <translation>Einträge pro Sekunde über die Messungen der letzten 5 Sekunden. Für die Ingest-Queue ist Ein/s die Änderung des Zählers angenommener Events und Aus/s ist Ein/s minus die Änderung der Tiefe. Für andere Queues ist nur die Änderung der Tiefe bekannt: Wachstum erscheint als Ein/s, Abnahme als Aus/s, markiert mit „≥“, weil Einträge zwischen zwei Messungen kommen und gehen können.</translation>
    </message>
    <message>
        <source>Age of the oldest item, from the time it carries.</source>
        <translation>Alter des ältesten Eintrags, nach dem Zeitstempel, den er trägt.</translation>
    </message>
    <message>
        <source>Shrinking: depth divided by the net outflow. Growing: free room up to the cap divided by the net inflow; queues without a cap show the growth rate.</source>
        <translation>Schrumpfend: Tiefe geteilt durch den Netto-Abfluss. Wachsend: freier Platz bis zur Obergrenze geteilt durch den Netto-Zufluss; Queues ohne Obergrenze zeigen die Wachstumsrate.</translation>
    </message>
    <message>
        <source>Age of the worker&apos;s heartbeat. Gone means the worker stopped and its processing list is orphaned.</source>
        <translation>Alter des Heartbeats des Workers. Fehlt er, ist der Worker gestoppt und seine Processing-Liste verwaist.</translation>
    </message>
    <message>
        <source>At the current growth rate the queue reaches its cap of %1 items. The ingestor then rejects events with HTTP 503 and senders must retry.</source>
        <translation>Bei der aktuellen Wachstumsrate erreicht die Queue ihre Obergrenze von %1 Einträgen. Der Ingestor lehnt Events dann mit HTTP 503 ab, und Sender müssen es erneut versuchen.</translation>
    </message>
</context>
<context>
    <name>mutt::ui::QueuesView</name>
    <message>
        <source>Queues</source>
        <translation>Queues</translation>
    </message>
    <message>
        <source>%1 lists · %2 items in flight · %3 in dead-letter queues</source>
        <translation>%1 Listen · %2 Einträge in Bearbeitung · %3 in Dead-Letter-Queues</translation>
    </message>
    <message>
        <source>%1 orphaned processing lists</source>
        <translation>%1 verwaiste Processing-Listen</translation>
    </message>
</context>
<context>
    <name>mutt::ui::RolesModel</name>
    <message>
        <source>Healthy</source>
        <translation>Gesund</translation>
    </message>
    <message>
        <source>Unhealthy</source>
        <translation>Gestört</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>Instance</source>
        <translation>Instanz</translation>
    </message>
    <message>
        <source>Health</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Detail</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>Endpunkt</translation>
    </message>
</context>
<context>
    <name>mutt::ui::ThroughputChart</name>
    <message>
        <source>Last 5 minutes</source>
        <translation>Letzte 5 Minuten</translation>
    </message>
    <message>
        <source>Last 15 minutes</source>
        <translation>Letzte 15 Minuten</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Letzte Stunde</translation>
    </message>
    <message>
        <source>Throughput</source>
        <translation>Durchsatz</translation>
    </message>
    <message>
        <source>Range:</source>
        <translation>Zeitraum:</translation>
    </message>
    <message>
        <source>Ingest events/s</source>
        <translation>Ingest-Events/s</translation>
    </message>
    <message>
        <source>Forwarded alerts/s</source>
        <translation>Weitergeleitete Alarme/s</translation>
    </message>
    <message>
        <source>minutes ago</source>
        <translation>vor Minuten</translation>
    </message>
    <message>
        <source>per second</source>
        <translation>pro Sekunde</translation>
    </message>
</context>
</TS>

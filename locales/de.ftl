# Paradarum bot — Deutsch. Keys and placeables as in en-US.ftl; the user is addressed
# with "du", as in Discord's own German interface.

## Themen und Status (die API-Zahlen ändern sich nie)

topic-general = Allgemein
topic-networking = Netzwerk
topic-rules = Regeln
topic-billing = Abrechnung
topic-ssl = SSL / Zertifikate
topic-performance = Leistung
topic-unknown = Unbekanntes Thema ({ $value })
topic-general-hint = Alles, was in keine andere Kategorie passt.
topic-networking-hint = Verbindungen, Routing, Erreichbarkeit des Ursprungsservers, DNS-Probleme.
topic-rules-hint = Cache-Regeln, Header-Regeln und wie Regeln greifen.
topic-billing-hint = Rechnungen, Tarife und Belastungen deines Kontos.
topic-ssl-hint = TLS-Zertifikate und HTTPS-Bereitstellung.
topic-performance-hint = Fragen zu Latenz, Cache-Trefferquote und Durchsatz.
topic-unknown-hint = Ein Thema, das diese Version des Bots noch nicht kennt.

status-open = Offen
status-in-progress = In Bearbeitung
status-resolved = Gelöst
status-closed = Geschlossen
status-unknown = Unbekannter Status ({ $value })
status-open-meaning = Neu erstellt oder wieder geöffnet; wartet auf Bearbeitung.
status-in-progress-meaning = Der Support arbeitet gerade daran.
status-resolved-meaning = Vom Support als gelöst markiert. Eine Antwort öffnet es wieder.
status-closed-meaning = Abgeschlossen und gesperrt — keine weiteren Nachrichten.
status-unknown-meaning = Ein Status, den diese Version des Bots noch nicht kennt.

## Befehle (Namen: 1–32 Zeichen, kleingeschrieben, ohne Leerzeichen)

cmd-ticket = ticket
    .description = Deine Paradarum-Support-Tickets öffnen, verfolgen, beantworten und schließen
cmd-ticket-open = öffnen
    .description = Ein neues Support-Ticket öffnen
    .topic = thema
    .topic-description = Worum es geht: wähle das passendste Thema
    .property = website
    .property-description = Die betroffene Website, falls es eine gibt
cmd-ticket-status = status
    .description = Status eines Tickets, seine Bedeutung und die letzten Nachrichten anzeigen
    .ticket = ticket
    .ticket-description = Eines deiner Tickets
cmd-ticket-list = liste
    .description = Deine Tickets auflisten, die neuesten zuerst
    .status = status
    .status-description = Nur Tickets mit diesem Status
cmd-ticket-reply = antworten
    .description = Auf eines deiner Tickets antworten (eine Antwort öffnet ein gelöstes Ticket wieder)
    .ticket = ticket
    .ticket-description = Eines deiner Tickets
    .attachment = anhang
    .attachment-description = Eine Datei zum Anhängen (Screenshot, Log …)
cmd-ticket-close = schließen
    .description = Eines deiner Tickets schließen (endgültig: ein geschlossenes Ticket nimmt nichts mehr an)
    .ticket = ticket
    .ticket-description = Eines deiner Tickets
cmd-ticket-link = verknüpfen
    .description = Dein Paradarum-Konto mit einem API-Token aus deinem Panel verknüpfen
cmd-ticket-unlink = trennen
    .description = Die Verknüpfung deines Paradarum-Kontos mit Discord aufheben
cmd-ticket-escalate = eskalieren
    .description = Ein Ticket zu { topic-billing } oder { topic-ssl } verschieben (Community-Moderatoren)
    .ticket = ticket
    .ticket-description = Die Ticketnummer
    .to = team
    .to-description = Das Team, das es übernehmen soll
    .reason = grund
    .reason-description = Warum es dorthin gehört (für den Support sichtbar)
cmd-sandbox = sandbox
    .description = Nur Sandbox: als Paradarum-Support an einem Ticket handeln (Administratoren)
cmd-sandbox-progress = bearbeiten
    .description = Nur Sandbox: ein Ticket wie der Support auf „In Bearbeitung“ setzen
    .ticket = ticket
    .ticket-description = Die Ticketnummer
cmd-sandbox-resolve = lösen
    .description = Nur Sandbox: ein Ticket wie der Support als gelöst markieren
    .ticket = ticket
    .ticket-description = Die Ticketnummer

## Fehler

error-unavailable-unchanged = Der Ticketdienst ist gerade nicht erreichbar. Es wurde nichts geändert, du kannst es also gleich noch einmal versuchen. (Ref. `{ $reference }`)
error-unavailable-unknown = Der Ticketdienst hat keine eindeutige Antwort gegeben, daher weiß ich nicht, ob das angekommen ist. Prüfe es mit `/ticket status` oder `/ticket list`, bevor du es erneut versuchst. (Ref. `{ $reference }`)
error-unavailable-retry = Der Ticketdienst hat keine eindeutige Antwort gegeben, daher weiß ich nicht, ob das angekommen ist. Drück auf **Erneut versuchen**, wann du willst: Es wird als dieselbe Anfrage gesendet und kann daher nicht doppelt ankommen. (Ref. `{ $reference }`)
error-internal = Bei uns ist etwas schiefgelaufen. Bitte versuch es noch einmal; wenn es immer wieder passiert, gib dem Support diese Referenz: `{ $reference }`.
error-framework = Bei uns ist etwas schiefgelaufen (Ref. `{ $reference }`). Bitte versuch es noch einmal.
error-bad-option = Ich konnte eine der Optionen nicht lesen. Bitte wähle aus den Vorschlägen.
error-unknown-form = Dieses Formular kenne ich nicht.
button-try-again = Erneut versuchen
error-not-found = Ich finde Ticket #{ $ticket_id } nicht unter deinen Tickets. Prüfe die Nummer mit `/ticket list`.
error-not-found-any = Ich finde dieses Ticket nicht unter deinen Tickets. Prüfe die Nummer mit `/ticket list`.
error-ticket-closed = Ticket #{ $ticket_id } ist geschlossen. Das ist endgültig: Es nimmt keine Nachrichten oder Änderungen mehr an. Öffne mit `/ticket open` ein neues Ticket, wenn du weitere Hilfe brauchst.
error-ticket-closed-any = Dieses Ticket ist geschlossen. Das ist endgültig: Es nimmt keine Nachrichten oder Änderungen mehr an. Öffne mit `/ticket open` ein neues Ticket, wenn du weitere Hilfe brauchst.
error-validation = Das wurde nicht angenommen ({ $field }): { $message }
error-idempotency-conflict = Dieses Formular wurde bereits mit anderem Text abgeschickt. Fang mit `/ticket open` neu an.
error-unauthorized = Paradarum hat dein verknüpftes Token nicht akzeptiert. Verknüpfe dein Konto erneut mit `/ticket link`.
error-forbidden = Paradarum erlaubt das für dein Konto nicht.
error-too-large = Das ist zu groß: { $message }

## /ticket open

open-bad-property = Diese Website konnte nicht verwendet werden. Wähle eine aus der Liste oder lass das Feld leer.
open-cooldown = Du hast gerade ein Ticket geöffnet. Ein weiteres kannst du in { $seconds } s öffnen.
open-form-title = Neues Ticket: { $topic }
open-form-subject = Betreff
open-form-subject-placeholder = Eine Zeile: Was funktioniert nicht?
open-form-description = Beschreibung
open-opened = Ticket #{ $ticket_id } ist geöffnet. Nur du kannst das sehen.

## Verknüpfte Konten

link-unreadable-hint = Deine Verknüpfung ist unlesbar: führe /ticket link erneut aus
link-unreadable-hint-sandbox = Deine Verknüpfung ist unlesbar: /ticket unlink, dann erneut versuchen
link-not-linked-hint = Noch nicht verknüpft: /ticket link mit einem Token aus deinem Paradarum-Panel
link-not-linked = Dein Discord-Konto ist noch nicht mit Paradarum verknüpft. Nutze `/ticket link` mit einem API-Token aus deinem Paradarum-Panel und versuch es dann erneut.
link-unreadable = Dein verknüpftes Paradarum-Konto ist nicht lesbar: Der Schlüssel des Bots hat sich seit der Verknüpfung geändert. Es wurde nichts geändert. Führe `/ticket link` erneut mit einem API-Token aus deinem Paradarum-Panel aus und versuch es dann noch einmal.
link-unreadable-sandbox = Dein verknüpftes Sandbox-Konto ist nicht lesbar: Der Schlüssel des Bots hat sich seit seiner Erstellung geändert. Es wurde nichts geändert. Führe `/ticket unlink` aus und versuch es erneut: Dein nächster Befehl legt dir ein neues Sandbox-Konto an.

## Ticketkarten und Listen

author-customer = Du
author-staff = Paradarum-Support
author-system = System
author-unknown = Jemand
next-open = Der Support kümmert sich bald darum. Mit `/ticket reply` kannst du Details ergänzen.
next-in-progress = Der Support arbeitet daran. Mit `/ticket reply` kannst du Details ergänzen.
next-resolved = Der Support hat es als gelöst markiert. Eine Antwort öffnet es wieder; `/ticket close` schließt es endgültig.
next-closed = Dieses Ticket ist geschlossen: endgültig, es nimmt keine Nachrichten mehr an.
next-unknown = Verfolge es mit `/ticket status`.
card-title = Ticket #{ $ticket_id } · { $subject }
card-topic = Thema
card-status = Status
card-updated = Aktualisiert
card-property = Website
card-status-means = Was „{ $status }“ bedeutet
card-attachments = 📎 { $count ->
    [one] { $count } Anhang
   *[other] { $count } Anhänge
}
card-next = Wie es weitergeht
card-footer = Thema: { $topic } · { $hint }
list-title = Deine Tickets
list-title-status = Deine Tickets: { $status }
list-empty = Hier gibt es keine Tickets. Öffne eines mit `/ticket open`.
list-footer = Seite { $page } · neueste zuerst
close-confirm-title = Ticket #{ $ticket_id } schließen?
close-confirm-text = Schließen ist endgültig: Ein geschlossenes Ticket ist gesperrt und nimmt keine Nachrichten mehr an. („Gelöst“ ist etwas anderes: Der Support markiert ein Ticket als gelöst, und eine Antwort öffnet es wieder.)
close-confirm-status = Aktueller Status

## /ticket close

close-already = Ticket #{ $ticket_id } ist bereits geschlossen.
close-button-confirm = Ticket schließen
close-button-keep = Offen lassen
close-closed = Ticket #{ $ticket_id } ist jetzt geschlossen. Das ist endgültig; öffne ein neues Ticket, wenn du weitere Hilfe brauchst.
close-kept = Ticket #{ $ticket_id } bleibt, wie es ist. Es wurde nichts geändert.

## /ticket list

list-first-page = Erste Seite
list-next-page = Nächste Seite

## /ticket link und unlink

link-form-title = Paradarum-Konto verknüpfen
link-form-token = API-Token
link-form-placeholder = Füge ein Token aus dem Paradarum-Panel ein
link-token-refused = Paradarum hat dieses Token nicht akzeptiert, daher wurde nichts gespeichert. Kopiere ein Kunden-API-Token aus deinem Paradarum-Panel und versuch es erneut.
link-linked = Verknüpft mit dem Paradarum-Konto **{ $account }**. Deine `/ticket`-Befehle gelten jetzt für dieses Konto.
link-unlinked = Verknüpfung aufgehoben. Der Bot speichert kein Paradarum-Token mehr für dich; mit `/ticket link` verknüpfst du dich erneut.
link-was-not-linked = Dein Discord-Konto war nicht verknüpft.

## Erneut versuchen

retry-too-old = Dieser Versuch ist zu alt, um sicher erneut gesendet zu werden. Prüfe mit `/ticket list`, ob er angekommen ist, bevor du es noch einmal versuchst.
retry-not-yours = Diese Schaltfläche ist nicht für dich.
retry-backend-changed = Der Ticketdienst hat sich seitdem geändert, daher kann dieser Versuch nicht erneut gesendet werden. Prüfe es mit `/ticket list`, bevor du es noch einmal versuchst.

## /ticket reply

reply-bad-ticket = Diese Ticketnummer ist ungültig.
reply-attachment-host = Dieser Anhang liegt nicht auf den Dateiservern von Discord und kann daher nicht weitergeleitet werden.
reply-attachment-too-big = Diese Datei hat { $size } MiB; anhängen kannst du höchstens { $max } MiB.
reply-form-title = Antwort auf Ticket #{ $ticket_id }
reply-form-title-reopens = Antwort auf #{ $ticket_id } (öffnet es wieder)
reply-form-message = Nachricht
reply-form-placeholder = Deine Nachricht an den Paradarum-Support
reply-form-placeholder-reopens = Dieses Ticket ist gelöst: Eine Antwort öffnet es wieder.
reply-attachment-lost = Dein Anhang ist verloren gegangen, bevor das Formular abgeschickt wurde, daher wurde nichts gesendet. Führe `/ticket reply` erneut aus und hänge die Datei noch einmal an.
reply-added = Deine Antwort wurde zu Ticket #{ $ticket_id } hinzugefügt.
reply-added-reopened = Deine Antwort wurde zu Ticket #{ $ticket_id } hinzugefügt. Es war gelöst und ist jetzt wieder offen.
reply-downloads-busy = Gerade werden sehr viele Antworten mit Dateien gesendet, daher wurde nichts gesendet. Versuch es in einer Minute noch einmal.
reply-attachment-unfetchable = Der Anhang konnte nicht von Discord geladen werden, daher wurde nichts gesendet. Versuch es ohne ihn oder hänge ihn erneut an.
reply-attachment-grew = Der Anhang ist größer als erlaubt; es wurde nichts gesendet.

## Allgemein

error-pick-ticket = Wähle ein Ticket aus der Liste oder gib seine Nummer ein (etwa `12`). `/ticket list` zeigt deine Tickets.
error-subject-empty = Der Betreff darf nicht leer sein.
error-subject-too-long = Der Betreff hat { $length } Zeichen; erlaubt sind höchstens { $max }.
error-message-empty = Die Nachricht darf nicht leer sein.
error-message-too-long = Die Nachricht hat { $length } Zeichen; erlaubt sind höchstens { $max }.
error-reason-empty = Der Grund darf nicht leer sein.
error-reason-too-long = Der Grund hat { $length } Zeichen; erlaubt sind höchstens { $max }.

## /sandbox

sandbox-not-sandbox = Dieser Befehl funktioniert nur mit der Sandbox-Ticket-API.
sandbox-wrong-server = /sandbox funktioniert nur auf dem Server, der als DISCORD_GUILD_ID eingestellt ist.
sandbox-not-admin = Nur Server-Administratoren können /sandbox verwenden.
sandbox-set = Ticket #{ $ticket_id } ist jetzt { $status } (Sandbox).

## /ticket escalate

escalate-not-moderator = Nur Community-Moderatoren können Tickets eskalieren, und nur auf dem Server.
escalate-bad-target = Tickets können nur zu { topic-billing } oder { topic-ssl } eskaliert werden.
escalate-bad-reason = Gib einen Grund mit 1 bis { $max } Zeichen an.
escalate-not-configured = Eskalation ist nicht eingerichtet: Der Bot hat kein PARADARUM_API_TOKEN mit dem Scope tickets:topic.
escalate-no-such-ticket = Es gibt kein Ticket #{ $ticket_id }.
escalate-closed = Ticket #{ $ticket_id } ist geschlossen, und geschlossene Tickets sind gesperrt: Es wurde nichts geändert.
escalate-bad-topic = Dieses Thema kann nicht verwendet werden.
escalate-unchanged = Ticket #{ $ticket_id } ist bereits unter { $topic }: nichts zu tun.
escalate-moved = Ticket #{ $ticket_id } verschoben: { $from } → **{ $to }**. Status: { $status }. Das Team { $to } ist benachrichtigt.

## Nachrichten im Support-Kanal

notify-topic-unknown = Thema unbekannt
notify-status-unknown = unbekannt
notify-subject-unavailable = (Betreff nicht verfügbar)
staff-field-topic = Thema
staff-field-subject = Betreff
staff-field-opened-by = Über Discord geöffnet von
staff-field-moved = Verschoben
staff-field-reason = Grund
staff-no-reason = (keiner angegeben)
staff-title-moved = Ticket #{ $ticket_id } verschoben nach { $topic }
staff-title-status = Ticket #{ $ticket_id } ist jetzt { $status }
staff-footer-event = Ereignis { $event }
staff-line-status = jetzt **{ $status }**
staff-heading-moved = { $count ->
    [one] { $count } Ticket in ein anderes Thema verschoben
   *[other] { $count } Tickets in ein anderes Thema verschoben
}
staff-heading-status = { $count ->
    [one] { $count } Ticket hat den Status geändert
   *[other] { $count } Tickets haben den Status geändert
}
staff-heading-resolved = { $count ->
    [one] { $count } Ticket gelöst
   *[other] { $count } Tickets gelöst
}

## Direktnachrichten an Kunden

dm-resolved-title = Dein Ticket #{ $ticket_id } ist gelöst
dm-resolved-text = Der Support hat es als gelöst markiert. Falls nicht, antworte, dann wird es wieder geöffnet; falls doch, kannst du es schließen (das ist endgültig).
dm-moved-title = Ticket #{ $ticket_id } verschoben nach { $topic }
dm-moved-text = Dein Ticket wurde nach { $topic } verschoben, damit sich das richtige Team darum kümmert.
dm-in-progress-title = Ticket #{ $ticket_id } ist in Bearbeitung
dm-in-progress-text = Der Support arbeitet daran.
dm-reopened-title = Ticket #{ $ticket_id } ist wieder offen
dm-reopened-text = Es wartet wieder auf den Support.
dm-closed-title = Ticket #{ $ticket_id } ist geschlossen
dm-closed-text = Das ist endgültig; öffne mit /ticket open ein neues Ticket, wenn du weitere Hilfe brauchst.
dm-staff-reply-title = Der Support hat auf Ticket #{ $ticket_id } geantwortet
dm-staff-reply-text = Sieh es dir mit /ticket status an.
dm-updated-title = Ticket #{ $ticket_id } wurde aktualisiert
dm-button-reply = Antworten
dm-button-close = Ticket schließen (endgültig)

## Staff-Antworten (#13)
error-status-changed = Ticket #{ $ticket_id } hat schon den Status { $status }: Es wurde nichts geändert.
error-status-changed-any = Dieses Ticket hat schon den Status { $status }: Es wurde nichts geändert.
author-staff-named = { $name } · Paradarum-Support
dm-staff-reply-named-title = { $name } hat auf Ticket #{ $ticket_id } geantwortet
dm-staff-reply-read-all-footer = Diese Antwort ist länger, als eine Nachricht zeigen kann: „Alles lesen“ zeigt sie dir ganz.
dm-button-read-all = Alles lesen
read-all-title = Ticket #{ $ticket_id } · { $author }
read-all-page = Seite { $page } von { $pages }
read-all-gone = Diese Antwort ist nicht mehr im Ticket.
read-all-previous = Vorherige Seite
read-all-next = Nächste Seite
error-staff-name-invalid = Dieser Name kann keine Antwort unterschreiben: Er muss 1–{ $max } Zeichen lang sein und in eine Zeile passen.
error-message-control = Dieser Text enthält Zeichen, die er nicht enthalten darf (Steuerzeichen).

## Team-Pult (#13): die Knöpfe an Team-Hinweisen und deren Bearbeitungen (in der Sprache
## des Teams) und die Antworten an die Person, die gedrückt hat (in ihrer eigenen)
staff-button-view = Ansehen
staff-button-start = Bearbeitung beginnen
staff-button-resolve = Als gelöst markieren
staff-button-reply = Antworten
staff-title-new = Neues Ticket #{ $ticket_id }
staff-heading-new = { $count ->
    [one] { $count } neues Ticket
   *[other] { $count } neue Tickets
}
staff-edit-title = Ticket #{ $ticket_id } · { $status }
staff-field-status = Status
staff-field-latest = Zuletzt
staff-field-last-action = Letzte Aktion
staff-latest-resolved = { status-resolved }
staff-latest-in-progress = Bearbeitung begonnen ({ status-in-progress })
staff-latest-reopened = Wieder geöffnet ({ status-open })
staff-latest-closed = { status-closed }
staff-latest-moved = Verschoben nach { $topic }
staff-latest-staff-reply = Der Support hat geantwortet
staff-latest-customer-reply = Der Kunde hat geschrieben
staff-latest-opened = Eröffnet
staff-latest-updated = Aktualisiert
staff-acted-start = Begonnen von { $user } ({ $name }) { $when }
staff-acted-resolve = Gelöst von { $user } ({ $name }) { $when }
staff-acted-reply = Beantwortet von { $user } ({ $name }) { $when }
staff-not-staff = Nur das Paradarum-Team kann Tickets über diese Hinweise bearbeiten. Es wurde nichts geändert.
staff-not-configured = Team-Aktionen sind nicht eingerichtet: Der Bot hat kein PARADARUM_API_TOKEN. Es wurde nichts geändert.
staff-token-refused = Die Ticket-API lehnt das PARADARUM_API_TOKEN des Bots ab. Es wurde nichts geändert; jemand aus dem Betrieb muss das Token prüfen.
staff-missing-scope = Dem PARADARUM_API_TOKEN des Bots fehlt der Scope `{ $scope }`, deshalb kann das Team das nicht über Discord erledigen. Es wurde nichts geändert; jemand aus dem Betrieb kann den Scope ergänzen.
staff-done = Ticket #{ $ticket_id } ist jetzt **{ $status }**. Der Hinweis zeigt es gleich an.
staff-already = Ticket #{ $ticket_id } ist schon **{ $status }**. Es wurde nichts geändert.
staff-already-by = Ticket #{ $ticket_id } ist schon **{ $status }** (von { $name }, { $when }). Es wurde nichts geändert.
staff-moved-on = Ticket #{ $ticket_id } hat sich geändert, seit dieser Hinweis erstellt wurde: Es ist jetzt **{ $status }**. Es wurde nichts geändert; der Hinweis zeigt es gleich an.
staff-moved-on-by = Ticket #{ $ticket_id } hat sich geändert, seit dieser Hinweis erstellt wurde: Es ist jetzt **{ $status }** (von { $name }, { $when }). Es wurde nichts geändert; der Hinweis zeigt es gleich an.
staff-no-ticket = Es gibt kein Ticket #{ $ticket_id }.
staff-closed = Ticket #{ $ticket_id } hat den Status { status-closed }, und solche Tickets sind gesperrt. Es wurde nichts geändert.
staff-replied = Deine Antwort an den Kunden von Ticket #{ $ticket_id } wurde gesendet.
staff-reply-title = Team-Antwort auf Ticket #{ $ticket_id }
staff-reply-label = Nachricht an den Kunden
staff-reply-placeholder = Der Kunde sieht das, zusammen mit deinem Anzeigenamen.

## Front door (#14): das Ticket-Panel und „Ticket aus Nachricht öffnen“
cmd-ticket-panel = panel
    .description = Das Ticket-Panel dieses Kanals posten oder aktualisieren (Mitglieder mit „Server verwalten“)
cmd-open-from-message = Ticket aus Nachricht öffnen
panel-text = **Brauchst du Hilfe vom Paradarum-Support?**
    Wähle unten ein Thema, um ein Ticket zu öffnen. Das Formular und die Antworten siehst nur du.
panel-placeholder = Thema wählen, um ein Ticket zu öffnen
panel-dm-refused = Ein Ticket-Panel gehört in einen Serverkanal: Führe `/ticket panel` dort aus, nicht in einer Direktnachricht.
panel-not-allowed = Nur Mitglieder mit der Berechtigung **Server verwalten** können ein Ticket-Panel posten. Es wurde nichts gepostet.
panel-posted = Das Ticket-Panel ist in diesem Kanal gepostet.
panel-updated = Das Ticket-Panel dieses Kanals ist aktualisiert (dieselbe Nachricht, nichts Neues gepostet).
panel-cannot-post = Ich darf in diesem Kanal nicht posten. Gib mir hier **Kanäle ansehen** und **Nachrichten senden** und führe `/ticket panel` dann erneut aus. Es wurde nichts gepostet.
panel-unknown-topic = Dieses Thema kenne ich nicht. Bitte wähle noch einmal.
from-message-pick-topic = Worum geht es im Ticket? Wähle ein Thema; danach öffnet sich das Formular mit der Nachricht schon ausgefüllt.
from-message-not-kept = Ich konnte die Angaben zu dieser Nachricht gerade nicht speichern. Es wurde nichts geöffnet; bitte versuche es gleich noch einmal.
from-message-reference = Nachricht von { $author }: { $link }
open-which-property = Um welche Website geht es? Wähle eine aus und fülle dann das Formular aus.
open-no-property = Keine bestimmte
open-prefill-gone = Die Angaben zu dieser Nachricht habe ich nicht mehr (sie werden eine Stunde lang aufbewahrt). Verwende **Ticket aus Nachricht öffnen** noch einmal darauf.
open-unknown-choice = Diese Auswahl kenne ich nicht. Bitte wähle noch einmal.

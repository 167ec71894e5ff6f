# Paradarum bot — polski. Keys and placeables as in en-US.ftl; the user is addressed
# informally ("ty"), as in Discord's own Polish interface; a ticket is "zgłoszenie"
# (neuter: statuses agree with it).

## Tematy i statusy (liczby w API nigdy się nie zmieniają)

topic-general = Ogólne
topic-networking = Sieć
topic-rules = Reguły
topic-billing = Płatności
topic-ssl = SSL / Certyfikaty
topic-performance = Wydajność
topic-unknown = Nieznany temat ({ $value })
topic-general-hint = Wszystko, co nie pasuje do innej kategorii.
topic-networking-hint = Łączność, routing, dostępność serwera źródłowego, problemy z DNS.
topic-rules-hint = Reguły cache, reguły nagłówków i dopasowywanie reguł.
topic-billing-hint = Faktury, plany i opłaty na koncie.
topic-ssl-hint = Certyfikaty TLS i konfiguracja HTTPS.
topic-performance-hint = Pytania o opóźnienia, współczynnik trafień cache i przepustowość.
topic-unknown-hint = Temat, którego ta wersja bota jeszcze nie zna.

status-open = Otwarte
status-in-progress = W toku
status-resolved = Rozwiązane
status-closed = Zamknięte
status-unknown = Nieznany status ({ $value })
status-open-meaning = Nowe lub ponownie otwarte; czeka na obsługę.
status-in-progress-meaning = Wsparcie właśnie się nim zajmuje.
status-resolved-meaning = Oznaczone przez wsparcie jako rozwiązane. Odpowiedź otwiera je ponownie.
status-closed-meaning = Zakończone i zablokowane — nie przyjmuje już wiadomości.
status-unknown-meaning = Status, którego ta wersja bota jeszcze nie zna.

## Polecenia (nazwy: 1–32 znaki, małe litery, bez spacji)

cmd-ticket = zgłoszenie
    .description = Otwieraj, śledź, odpowiadaj na i zamykaj swoje zgłoszenia do wsparcia Paradarum
cmd-ticket-open = otwórz
    .description = Otwórz nowe zgłoszenie do wsparcia
    .topic = temat
    .topic-description = Czego dotyczy zgłoszenie: wybierz najbardziej pasujący temat
    .property = serwis
    .property-description = Serwis, którego dotyczy, jeśli jakiś
cmd-ticket-status = status
    .description = Pokaż status zgłoszenia, jego znaczenie i ostatnie wiadomości
    .ticket = zgłoszenie
    .ticket-description = Jedno z twoich zgłoszeń
cmd-ticket-list = lista
    .description = Wyświetl swoje zgłoszenia, od najnowszych
    .status = status
    .status-description = Tylko zgłoszenia z tym statusem
cmd-ticket-reply = odpowiedz
    .description = Odpowiedz na jedno ze swoich zgłoszeń (odpowiedź otwiera rozwiązane zgłoszenie)
    .ticket = zgłoszenie
    .ticket-description = Jedno z twoich zgłoszeń
    .attachment = załącznik
    .attachment-description = Plik do załączenia (zrzut ekranu, log…)
cmd-ticket-close = zamknij
    .description = Zamknij jedno ze swoich zgłoszeń (ostatecznie: zamknięte nie przyjmuje wiadomości)
    .ticket = zgłoszenie
    .ticket-description = Jedno z twoich zgłoszeń
cmd-ticket-link = połącz
    .description = Połącz swoje konto Paradarum za pomocą tokenu API z panelu
cmd-ticket-unlink = rozłącz
    .description = Odłącz swoje konto Paradarum od Discorda
cmd-ticket-escalate = eskaluj
    .description = Przenieś zgłoszenie do tematu { topic-billing } lub { topic-ssl } (moderatorzy)
    .ticket = zgłoszenie
    .ticket-description = Numer zgłoszenia
    .to = zespół
    .to-description = Zespół, który powinien je przejąć
    .reason = powód
    .reason-description = Dlaczego należy do tego zespołu (widoczne dla wsparcia)
cmd-sandbox = sandbox
    .description = Tylko sandbox: działaj jako wsparcie Paradarum w zgłoszeniu (administratorzy)
cmd-sandbox-progress = w-toku
    .description = Tylko sandbox: ustaw zgłoszenie jako W toku, tak jak zrobiłoby wsparcie
    .ticket = zgłoszenie
    .ticket-description = Numer zgłoszenia
cmd-sandbox-resolve = rozwiąż
    .description = Tylko sandbox: oznacz zgłoszenie jako Rozwiązane, tak jak zrobiłoby wsparcie
    .ticket = zgłoszenie
    .ticket-description = Numer zgłoszenia

## Błędy

error-unavailable-unchanged = Usługa zgłoszeń jest teraz niedostępna. Nic nie zostało zmienione, więc możesz bezpiecznie spróbować ponownie za chwilę. (ref. `{ $reference }`)
error-unavailable-unknown = Usługa zgłoszeń nie dała jednoznacznej odpowiedzi, więc nie wiem, czy operacja się powiodła. Sprawdź to za pomocą `/ticket status` lub `/ticket list`, zanim spróbujesz ponownie. (ref. `{ $reference }`)
error-unavailable-retry = Usługa zgłoszeń nie dała jednoznacznej odpowiedzi, więc nie wiem, czy operacja się powiodła. Naciśnij **Spróbuj ponownie**, kiedy zechcesz: zostanie wysłane to samo żądanie, więc nie wykona się dwa razy. (ref. `{ $reference }`)
error-internal = Coś poszło nie tak po naszej stronie. Spróbuj ponownie; jeśli to się powtarza, podaj wsparciu ten numer referencyjny: `{ $reference }`.
error-framework = Coś poszło nie tak po naszej stronie (ref. `{ $reference }`). Spróbuj ponownie.
error-bad-option = Nie udało mi się odczytać jednej z opcji. Wybierz coś z podpowiedzi.
error-unknown-form = Nie znam tego formularza.
button-try-again = Spróbuj ponownie
error-not-found = Nie mogę znaleźć zgłoszenia #{ $ticket_id } wśród twoich zgłoszeń. Sprawdź numer za pomocą `/ticket list`.
error-not-found-any = Nie mogę znaleźć tego zgłoszenia wśród twoich zgłoszeń. Sprawdź numer za pomocą `/ticket list`.
error-ticket-closed = Zgłoszenie #{ $ticket_id } jest zamknięte. To ostateczne: nie przyjmuje już wiadomości ani zmian. Jeśli potrzebujesz dalszej pomocy, otwórz nowe zgłoszenie za pomocą `/ticket open`.
error-ticket-closed-any = To zgłoszenie jest zamknięte. To ostateczne: nie przyjmuje już wiadomości ani zmian. Jeśli potrzebujesz dalszej pomocy, otwórz nowe zgłoszenie za pomocą `/ticket open`.
error-validation = Nie przyjęto tego ({ $field }): { $message }
error-idempotency-conflict = Ten formularz został już wysłany z inną treścią. Zacznij od nowa za pomocą `/ticket open`.
error-unauthorized = Paradarum nie zaakceptowało twojego połączonego tokenu. Połącz konto ponownie za pomocą `/ticket link`.
error-forbidden = Paradarum nie pozwala na to w przypadku twojego konta.
error-too-large = To jest za duże: { $message }

## /ticket open

open-bad-property = Nie można użyć tego serwisu. Wybierz jeden z listy albo zostaw pole puste.
open-cooldown = Twoje zgłoszenie zostało przed chwilą otwarte. Kolejne możesz otworzyć za { $seconds } s.
open-form-title = Nowe zgłoszenie: { $topic }
open-form-subject = Temat wiadomości
open-form-subject-placeholder = W jednym zdaniu: co nie działa?
open-form-description = Opis
open-opened = Zgłoszenie #{ $ticket_id } jest otwarte. Tylko ty to widzisz.

## Połączone konta

link-unreadable-hint = Nie można odczytać połączenia: uruchom ponownie /ticket link
link-unreadable-hint-sandbox = Nie można odczytać połączenia: uruchom /ticket unlink i spróbuj ponownie
link-not-linked-hint = Brak połączenia: użyj /ticket link z tokenem z panelu Paradarum
link-not-linked = Twoje konto Discord nie jest jeszcze połączone z Paradarum. Użyj `/ticket link` z tokenem API z panelu Paradarum i spróbuj ponownie.
link-unreadable = Nie można odczytać połączonego konta Paradarum: klucz szyfrowania bota zmienił się od czasu połączenia. Nic nie zostało zmienione. Uruchom ponownie `/ticket link` z tokenem API z panelu Paradarum i spróbuj jeszcze raz.
link-unreadable-sandbox = Nie można odczytać połączonego konta sandbox: klucz szyfrowania bota zmienił się od czasu jego utworzenia. Nic nie zostało zmienione. Uruchom `/ticket unlink` i spróbuj ponownie: następne polecenie utworzy dla ciebie nowe konto sandbox.

## Karty zgłoszeń i listy

author-customer = Ty
author-staff = Wsparcie Paradarum
author-system = System
author-unknown = Ktoś
next-open = Wsparcie wkrótce się nim zajmie. Użyj `/ticket reply`, aby dodać szczegóły.
next-in-progress = Wsparcie nad nim pracuje. Użyj `/ticket reply`, aby dodać szczegóły.
next-resolved = Wsparcie oznaczyło je jako rozwiązane. Odpowiedź otwiera je ponownie; `/ticket close` zamyka je na dobre.
next-closed = To zgłoszenie jest zamknięte: to ostateczne, nie przyjmuje już wiadomości.
next-unknown = Śledź je za pomocą `/ticket status`.
card-title = Zgłoszenie #{ $ticket_id } · { $subject }
card-topic = Temat
card-status = Status
card-updated = Zaktualizowano
card-property = Serwis
card-status-means = Co oznacza „{ $status }”
card-attachments = 📎 { $count ->
    [one] { $count } załącznik
    [few] { $count } załączniki
    [many] { $count } załączników
   *[other] { $count } załącznika
}
card-next = Co dalej
card-footer = Temat: { $topic } · { $hint }
list-title = Twoje zgłoszenia
list-title-status = Twoje zgłoszenia: { $status }
list-empty = Nie ma tu żadnych zgłoszeń. Otwórz je za pomocą `/ticket open`.
list-footer = Strona { $page } · od najnowszych
close-confirm-title = Zamknąć zgłoszenie #{ $ticket_id }?
close-confirm-text = Zamknięcie jest ostateczne: zamknięte zgłoszenie jest zablokowane i nie przyjmuje już wiadomości. („Rozwiązane” to co innego: wsparcie oznacza zgłoszenie jako rozwiązane, a odpowiedź otwiera je ponownie).
close-confirm-status = Obecny status

## /ticket close

close-already = Zgłoszenie #{ $ticket_id } jest już zamknięte.
close-button-confirm = Zamknij zgłoszenie
close-button-keep = Zostaw otwarte
close-closed = Zgłoszenie #{ $ticket_id } jest teraz zamknięte. To ostateczne; jeśli potrzebujesz dalszej pomocy, otwórz nowe zgłoszenie.
close-kept = Zgłoszenie #{ $ticket_id } pozostaje bez zmian. Nic nie zostało zmienione.

## /ticket list

list-first-page = Pierwsza strona
list-next-page = Następna strona

## /ticket link i unlink

link-form-title = Połącz konto Paradarum
link-form-token = Token API
link-form-placeholder = Wklej token z panelu Paradarum
link-token-refused = Paradarum nie zaakceptowało tego tokenu, więc nic nie zostało zapisane. Skopiuj token API klienta z panelu Paradarum i spróbuj ponownie.
link-linked = Połączono z kontem Paradarum **{ $account }**. Twoje polecenia `/ticket` działają teraz w jego imieniu.
link-unlinked = Rozłączono. Bot nie przechowuje już twojego tokenu Paradarum; `/ticket link` połączy konto ponownie.
link-was-not-linked = Twoje konto Discord nie było połączone.

## Spróbuj ponownie

retry-too-old = Ta próba jest zbyt stara, aby bezpiecznie wysłać ją ponownie. Zanim spróbujesz jeszcze raz, sprawdź za pomocą `/ticket list`, czy się powiodła.
retry-not-yours = Ten przycisk nie należy do ciebie.
retry-backend-changed = Usługa zgłoszeń zmieniła się od tamtej pory, więc tej próby nie można wysłać ponownie. Sprawdź to za pomocą `/ticket list`, zanim spróbujesz ponownie.

## /ticket reply

reply-bad-ticket = Ten numer zgłoszenia jest nieprawidłowy.
reply-attachment-host = Ten załącznik nie znajduje się na serwerach plików Discorda, więc nie można go przekazać.
reply-attachment-too-big = Ten plik ma { $size } MiB; można załączyć najwyżej { $max } MiB.
reply-form-title = Odpowiedź na zgłoszenie #{ $ticket_id }
reply-form-title-reopens = Odpowiedź na #{ $ticket_id } (otwiera je)
reply-form-message = Wiadomość
reply-form-placeholder = Twoja wiadomość do wsparcia Paradarum
reply-form-placeholder-reopens = To zgłoszenie jest rozwiązane: odpowiedź otworzy je ponownie.
reply-attachment-lost = Twój załącznik zaginął przed wysłaniem formularza, więc nic nie zostało wysłane. Uruchom ponownie `/ticket reply` i załącz plik jeszcze raz.
reply-added = Twoja odpowiedź została dodana do zgłoszenia #{ $ticket_id }.
reply-added-reopened = Twoja odpowiedź została dodana do zgłoszenia #{ $ticket_id }. Było rozwiązane, więc jest znowu otwarte.
reply-downloads-busy = Właśnie wysyłanych jest wiele odpowiedzi z plikami, więc nic nie zostało wysłane. Spróbuj ponownie za minutę.
reply-attachment-unfetchable = Nie udało się pobrać załącznika z Discorda, więc nic nie zostało wysłane. Spróbuj bez niego albo załącz go ponownie.
reply-attachment-grew = Załącznik jest większy, niż to dozwolone; nic nie zostało wysłane.

## Wspólne

error-pick-ticket = Wybierz zgłoszenie z listy albo wpisz jego numer (np. `12`). `/ticket list` pokazuje twoje zgłoszenia.
error-subject-empty = Temat wiadomości nie może być pusty.
error-subject-too-long = Temat wiadomości ma { $length } znaków; maksimum to { $max }.
error-message-empty = Wiadomość nie może być pusta.
error-message-too-long = Wiadomość ma { $length } znaków; maksimum to { $max }.
error-reason-empty = Powód nie może być pusty.
error-reason-too-long = Powód ma { $length } znaków; maksimum to { $max }.

## /sandbox

sandbox-not-sandbox = To polecenie działa tylko z sandboksowym API zgłoszeń.
sandbox-wrong-server = /sandbox działa tylko na serwerze ustawionym jako DISCORD_GUILD_ID.
sandbox-not-admin = Tylko administratorzy serwera mogą używać /sandbox.
sandbox-set = Zgłoszenie #{ $ticket_id } ma teraz status { $status } (sandbox).

## /ticket escalate

escalate-not-moderator = Tylko moderatorzy społeczności mogą eskalować zgłoszenia i tylko z poziomu serwera.
escalate-bad-target = Zgłoszenia można eskalować tylko do tematów { topic-billing } lub { topic-ssl }.
escalate-bad-reason = Podaj powód o długości od 1 do { $max } znaków.
escalate-not-configured = Eskalacja nie jest skonfigurowana: bot nie ma PARADARUM_API_TOKEN z zakresem tickets:topic.
escalate-no-such-ticket = Nie ma zgłoszenia #{ $ticket_id }.
escalate-closed = Zgłoszenie #{ $ticket_id } jest zamknięte, a zamknięte zgłoszenia są zablokowane: nic nie zostało zmienione.
escalate-bad-topic = Tego tematu nie można użyć.
escalate-unchanged = Zgłoszenie #{ $ticket_id } ma już temat { $topic }: nie ma nic do zrobienia.
escalate-moved = Zgłoszenie #{ $ticket_id } przeniesione: { $from } → **{ $to }**. Status: { $status }. Zespół tematu { $to } został powiadomiony.

## Wiadomości na kanałach wsparcia

notify-topic-unknown = Temat nieznany
notify-status-unknown = nieznany
notify-subject-unavailable = (temat wiadomości niedostępny)
staff-field-topic = Temat
staff-field-subject = Temat wiadomości
staff-field-opened-by = Otwarte z Discorda przez
staff-field-moved = Przeniesiono
staff-field-reason = Powód
staff-no-reason = (nie podano)
staff-title-moved = Zgłoszenie #{ $ticket_id } przeniesione do tematu { $topic }
staff-title-status = Zgłoszenie #{ $ticket_id } ma teraz status { $status }
staff-footer-event = Zdarzenie { $event }
staff-line-status = teraz **{ $status }**
staff-heading-moved = { $count ->
    [one] { $count } zgłoszenie przeniesione do innego tematu
    [few] { $count } zgłoszenia przeniesione do innego tematu
    [many] { $count } zgłoszeń przeniesionych do innego tematu
   *[other] { $count } zgłoszenia przeniesione do innego tematu
}
staff-heading-status = { $count ->
    [one] { $count } zgłoszenie zmieniło status
    [few] { $count } zgłoszenia zmieniły status
    [many] { $count } zgłoszeń zmieniło status
   *[other] { $count } zgłoszenia zmieniły status
}
staff-heading-resolved = { $count ->
    [one] { $count } zgłoszenie rozwiązane
    [few] { $count } zgłoszenia rozwiązane
    [many] { $count } zgłoszeń rozwiązanych
   *[other] { $count } zgłoszenia rozwiązane
}

## Wiadomości prywatne do klienta

dm-resolved-title = Twoje zgłoszenie #{ $ticket_id } jest rozwiązane
dm-resolved-text = Wsparcie oznaczyło je jako rozwiązane. Jeśli tak nie jest, odpowiedz, a zostanie otwarte ponownie; jeśli jest, możesz je zamknąć (zamknięcie jest ostateczne).
dm-moved-title = Zgłoszenie #{ $ticket_id } przeniesione do tematu { $topic }
dm-moved-text = Twoje zgłoszenie zostało przeniesione do tematu { $topic }, aby zajął się nim właściwy zespół.
dm-in-progress-title = Zgłoszenie #{ $ticket_id } jest w toku
dm-in-progress-text = Wsparcie nad nim pracuje.
dm-reopened-title = Zgłoszenie #{ $ticket_id } jest znowu otwarte
dm-reopened-text = Znowu czeka na wsparcie.
dm-closed-title = Zgłoszenie #{ $ticket_id } jest zamknięte
dm-closed-text = To ostateczne; jeśli potrzebujesz dalszej pomocy, otwórz nowe zgłoszenie za pomocą /ticket open.
dm-staff-reply-title = Wsparcie odpowiedziało na zgłoszenie #{ $ticket_id }
dm-staff-reply-text = Zobacz odpowiedź za pomocą /ticket status.
dm-updated-title = Zgłoszenie #{ $ticket_id } zostało zaktualizowane
dm-button-reply = Odpowiedz
dm-button-close = Zamknij zgłoszenie (ostatecznie)

## Odpowiedzi wsparcia (#13)
error-status-changed = Zgłoszenie #{ $ticket_id } ma już status { $status }: nic nie zostało zmienione.
error-status-changed-any = To zgłoszenie ma już status { $status }: nic nie zostało zmienione.
author-staff-named = { $name } · Wsparcie Paradarum
dm-staff-reply-named-title = { $name } odpowiada na zgłoszenie #{ $ticket_id }
dm-staff-reply-read-all-footer = Ta odpowiedź jest dłuższa, niż mieści jedna wiadomość: „Czytaj całość” pokaże ci ją w całości.
dm-button-read-all = Czytaj całość
read-all-title = Zgłoszenie #{ $ticket_id } · { $author }
read-all-page = Strona { $page } z { $pages }
read-all-gone = Tej odpowiedzi nie ma już w zgłoszeniu.
read-all-previous = Poprzednia strona
read-all-next = Następna strona
error-staff-name-invalid = Tym imieniem nie można podpisać odpowiedzi: musi mieć od 1 do { $max } znaków w jednej linii.
error-message-control = Ten tekst zawiera niedozwolone znaki (znaki sterujące).

## Pulpit wsparcia (#13): przyciski na powiadomieniach dla wsparcia i ich edycje (w języku
## wsparcia) oraz odpowiedzi dla osoby, która nacisnęła (w jej języku)
staff-button-view = Pokaż
staff-button-start = Rozpocznij
staff-button-resolve = Rozwiąż
staff-button-reply = Odpowiedz
staff-title-new = Nowe zgłoszenie #{ $ticket_id }
staff-heading-new = { $count ->
    [one] { $count } nowe zgłoszenie
    [few] { $count } nowe zgłoszenia
    [many] { $count } nowych zgłoszeń
   *[other] { $count } nowego zgłoszenia
}
staff-edit-title = Zgłoszenie #{ $ticket_id } · { $status }
staff-field-status = Status
staff-field-latest = Ostatnia zmiana
staff-field-last-action = Ostatnia akcja
staff-latest-resolved = { status-resolved }
staff-latest-in-progress = Praca rozpoczęta ({ status-in-progress })
staff-latest-reopened = Ponownie otwarte ({ status-open })
staff-latest-closed = { status-closed }
staff-latest-moved = Przeniesione do tematu { $topic }
staff-latest-staff-reply = Wsparcie odpowiedziało
staff-latest-customer-reply = Klient napisał
staff-latest-opened = Otwarte
staff-latest-updated = Zaktualizowane
staff-acted-start = Rozpoczęte przez { $user } ({ $name }) { $when }
staff-acted-resolve = Rozwiązane przez { $user } ({ $name }) { $when }
staff-acted-reply = Odpowiedź od { $user } ({ $name }) { $when }
staff-not-staff = Tylko zespół wsparcia Paradarum może obsługiwać zgłoszenia z tych powiadomień. Nic nie zostało zmienione.
staff-not-configured = Akcje wsparcia nie są skonfigurowane: bot nie ma PARADARUM_API_TOKEN. Nic nie zostało zmienione.
staff-token-refused = API zgłoszeń odrzuca PARADARUM_API_TOKEN bota. Nic nie zostało zmienione; ktoś z obsługi musi sprawdzić token.
staff-missing-scope = PARADARUM_API_TOKEN bota nie ma uprawnienia `{ $scope }`, więc wsparcie nie może tego zrobić z Discorda. Nic nie zostało zmienione; ktoś z obsługi może dodać to uprawnienie.
staff-done = Zgłoszenie #{ $ticket_id } ma teraz status **{ $status }**. Powiadomienie wkrótce to pokaże.
staff-already = Zgłoszenie #{ $ticket_id } ma już status **{ $status }**. Nic nie zostało zmienione.
staff-already-by = Zgłoszenie #{ $ticket_id } ma już status **{ $status }** ({ $name }, { $when }). Nic nie zostało zmienione.
staff-moved-on = Zgłoszenie #{ $ticket_id } zmieniło się od utworzenia tego powiadomienia: ma teraz status **{ $status }**. Nic nie zostało zmienione; powiadomienie wkrótce to pokaże.
staff-moved-on-by = Zgłoszenie #{ $ticket_id } zmieniło się od utworzenia tego powiadomienia: ma teraz status **{ $status }** ({ $name }, { $when }). Nic nie zostało zmienione; powiadomienie wkrótce to pokaże.
staff-no-ticket = Nie ma zgłoszenia #{ $ticket_id }.
staff-closed = Zgłoszenie #{ $ticket_id } ma status { status-closed }, a takie zgłoszenia są zablokowane. Nic nie zostało zmienione.
staff-replied = Twoja odpowiedź została wysłana do klienta zgłoszenia #{ $ticket_id }.
staff-reply-title = Odpowiedź wsparcia na zgłoszenie #{ $ticket_id }
staff-reply-label = Wiadomość do klienta
staff-reply-placeholder = Klient zobaczy to razem z twoją nazwą wyświetlaną.

## Front door (#14): panel zgłoszeń i „Otwórz zgłoszenie z wiadomości”
cmd-ticket-panel = panel
    .description = Opublikuj lub zaktualizuj panel zgłoszeń tego kanału (członkowie z „Zarządzanie serwerem”)
cmd-open-from-message = Otwórz zgłoszenie z wiadomości
panel-text = **Potrzebujesz pomocy wsparcia Paradarum?**
    Wybierz temat poniżej, aby otworzyć zgłoszenie. Formularz i odpowiedzi zobaczysz tylko ty.
panel-placeholder = Wybierz temat, aby otworzyć zgłoszenie
panel-dm-refused = Panel zgłoszeń umieszcza się na kanale serwera: użyj tam `/ticket panel`, a nie w wiadomości prywatnej.
panel-not-allowed = Panel zgłoszeń mogą publikować tylko członkowie z uprawnieniem **Zarządzanie serwerem**. Nic nie zostało opublikowane.
panel-posted = Panel zgłoszeń został opublikowany na tym kanale.
panel-updated = Panel zgłoszeń tego kanału został zaktualizowany (ta sama wiadomość, nic nowego nie opublikowano).
panel-cannot-post = Nie mogę publikować na tym kanale. Daj mi tutaj uprawnienia **Wyświetlanie kanałów** i **Wysyłanie wiadomości**, a potem ponownie użyj `/ticket panel`. Nic nie zostało opublikowane.
panel-unknown-topic = Nie znam tego tematu. Wybierz ponownie.
from-message-pick-topic = Czego dotyczy zgłoszenie? Wybierz temat; potem otworzy się formularz z już wpisaną wiadomością.
from-message-not-kept = Nie udało mi się teraz zachować danych tej wiadomości. Nic nie zostało otwarte; spróbuj ponownie za chwilę.
from-message-reference = Wiadomość od { $author }: { $link }
open-which-property = Którego serwisu to dotyczy? Wybierz jeden, a potem wypełnij formularz.
open-no-property = Żaden konkretny
open-prefill-gone = Nie mam już danych tej wiadomości (są przechowywane przez godzinę). Użyj na niej ponownie **Otwórz zgłoszenie z wiadomości**.
open-unknown-choice = Nie znam tego wyboru. Wybierz ponownie.

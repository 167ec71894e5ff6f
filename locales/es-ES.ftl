# Paradarum bot — español (España). Keys and placeables as in en-US.ftl; the user is
# addressed with "tú", as in Discord's own Spanish interface.

## Temas y estados (los números de la API no cambian nunca)

topic-general = General
topic-networking = Redes
topic-rules = Reglas
topic-billing = Facturación
topic-ssl = SSL / Certificados
topic-performance = Rendimiento
topic-unknown = Tema desconocido ({ $value })
topic-general-hint = Cualquier cosa que no encaje en otra categoría.
topic-networking-hint = Conectividad, enrutamiento, accesibilidad del origen, problemas de DNS.
topic-rules-hint = Reglas de caché, reglas de cabeceras y cómo se aplican las reglas.
topic-billing-hint = Facturas, planes y cargos de la cuenta.
topic-ssl-hint = Certificados TLS y configuración de HTTPS.
topic-performance-hint = Dudas sobre latencia, tasa de aciertos de caché y rendimiento.
topic-unknown-hint = Un tema que esta versión del bot todavía no conoce.

status-open = Abierto
status-in-progress = En curso
status-resolved = Resuelto
status-closed = Cerrado
status-unknown = Estado desconocido ({ $value })
status-open-meaning = Recién creado o reabierto; pendiente de atender.
status-in-progress-meaning = El equipo de soporte está trabajando en él.
status-resolved-meaning = Marcado como resuelto por el soporte. Si respondes, se reabre.
status-closed-meaning = Terminado y bloqueado: no admite más mensajes.
status-unknown-meaning = Un estado que esta versión del bot todavía no conoce.

## Comandos (nombres: de 1 a 32 caracteres, en minúsculas, sin espacios)

cmd-ticket = ticket
    .description = Abre, sigue, responde y cierra tus tickets de soporte de Paradarum
cmd-ticket-open = abrir
    .description = Abre un nuevo ticket de soporte
    .topic = tema
    .topic-description = De qué trata el ticket: elige el tema más concreto
    .property = sitio
    .property-description = El sitio al que afecta, si lo hay
cmd-ticket-status = estado
    .description = Muestra el estado de un ticket, qué significa y sus últimos mensajes
    .ticket = ticket
    .ticket-description = Uno de tus tickets
cmd-ticket-list = lista
    .description = Muestra tus tickets, los más recientes primero
    .status = estado
    .status-description = Solo los tickets con este estado
cmd-ticket-reply = responder
    .description = Responde a uno de tus tickets (responder a un ticket resuelto lo reabre)
    .ticket = ticket
    .ticket-description = Uno de tus tickets
    .attachment = adjunto
    .attachment-description = Un archivo para adjuntar (captura de pantalla, registro…)
cmd-ticket-close = cerrar
    .description = Cierra uno de tus tickets (definitivo: un ticket cerrado no admite más mensajes)
    .ticket = ticket
    .ticket-description = Uno de tus tickets
cmd-ticket-link = vincular
    .description = Vincula tu cuenta de Paradarum con un token de API de tu panel
cmd-ticket-unlink = desvincular
    .description = Desvincula tu cuenta de Paradarum de Discord
cmd-ticket-escalate = escalar
    .description = Pasa un ticket a { topic-billing } o { topic-ssl } (moderadores de la comunidad)
    .ticket = ticket
    .ticket-description = El número del ticket
    .to = equipo
    .to-description = El equipo que debe encargarse
    .reason = motivo
    .reason-description = Por qué le corresponde a ese equipo (lo verá el soporte)
cmd-sandbox = sandbox
    .description = Solo sandbox: actúa como el soporte de Paradarum en un ticket (administradores)
cmd-sandbox-progress = en-curso
    .description = Solo sandbox: pasa un ticket a En curso, como haría el soporte
    .ticket = ticket
    .ticket-description = El número del ticket
cmd-sandbox-resolve = resolver
    .description = Solo sandbox: marca un ticket como Resuelto, como haría el soporte
    .ticket = ticket
    .ticket-description = El número del ticket

## Errores

error-unavailable-unchanged = El servicio de tickets no está disponible ahora mismo. No se ha cambiado nada, así que puedes volver a intentarlo dentro de un momento sin problema. (ref. `{ $reference }`)
error-unavailable-unknown = El servicio de tickets no ha dado una respuesta clara, así que no sé si se ha completado. Compruébalo con `/ticket status` o `/ticket list` antes de volver a intentarlo. (ref. `{ $reference }`)
error-unavailable-retry = El servicio de tickets no ha dado una respuesta clara, así que no sé si se ha completado. Pulsa **Reintentar** cuando quieras: se envía como la misma solicitud, así que no puede hacerse dos veces. (ref. `{ $reference }`)
error-internal = Algo ha fallado por nuestra parte. Vuelve a intentarlo; si sigue ocurriendo, da esta referencia al soporte: `{ $reference }`.
error-framework = Algo ha fallado por nuestra parte (ref. `{ $reference }`). Vuelve a intentarlo.
error-bad-option = No he podido leer una de las opciones. Elige entre las sugerencias.
error-unknown-form = No conozco ese formulario.
button-try-again = Reintentar
error-not-found = No encuentro el ticket #{ $ticket_id } entre tus tickets. Comprueba el número con `/ticket list`.
error-not-found-any = No encuentro ese ticket entre tus tickets. Comprueba el número con `/ticket list`.
error-ticket-closed = El ticket #{ $ticket_id } está cerrado. Es definitivo: no admite más mensajes ni cambios. Abre un ticket nuevo con `/ticket open` si necesitas más ayuda.
error-ticket-closed-any = Ese ticket está cerrado. Es definitivo: no admite más mensajes ni cambios. Abre un ticket nuevo con `/ticket open` si necesitas más ayuda.
error-validation = No se ha aceptado ({ $field }): { $message }
error-idempotency-conflict = Ese formulario ya se envió con otro texto. Empieza de nuevo con `/ticket open`.
error-unauthorized = Paradarum no ha aceptado tu token vinculado. Vuelve a vincular tu cuenta con `/ticket link`.
error-forbidden = Paradarum no permite eso para tu cuenta.
error-too-large = Es demasiado grande: { $message }

## /ticket open

open-bad-property = No se ha podido usar ese sitio. Elige uno de la lista o déjalo vacío.
open-cooldown = Acabas de abrir un ticket. Podrás abrir otro dentro de { $seconds } s.
open-form-title = Nuevo ticket: { $topic }
open-form-subject = Asunto
open-form-subject-placeholder = En una línea: ¿qué falla?
open-form-description = Descripción
open-opened = El ticket #{ $ticket_id } está abierto. Solo tú puedes ver esto.

## Cuentas vinculadas

link-unreadable-hint = No se puede leer tu vínculo: vuelve a ejecutar /ticket link
link-unreadable-hint-sandbox = No se puede leer tu vínculo: ejecuta /ticket unlink y reinténtalo
link-not-linked-hint = Aún sin vincular: usa /ticket link con un token de tu panel de Paradarum
link-not-linked = Tu cuenta de Discord todavía no está vinculada a Paradarum. Usa `/ticket link` con un token de API de tu panel de Paradarum y vuelve a intentarlo.
link-unreadable = No se puede leer tu cuenta de Paradarum vinculada: la clave de cifrado del bot ha cambiado desde que la vinculaste. No se ha cambiado nada. Vuelve a ejecutar `/ticket link` con un token de API de tu panel de Paradarum y reinténtalo.
link-unreadable-sandbox = No se puede leer tu cuenta sandbox vinculada: la clave de cifrado del bot ha cambiado desde que se creó. No se ha cambiado nada. Ejecuta `/ticket unlink` y vuelve a intentarlo: tu próximo comando te creará una cuenta sandbox nueva.

## Fichas de ticket y listas

author-customer = Tú
author-staff = Soporte de Paradarum
author-system = Sistema
author-unknown = Alguien
next-open = El soporte lo atenderá pronto. Usa `/ticket reply` para añadir detalles.
next-in-progress = El soporte está trabajando en él. Usa `/ticket reply` para añadir detalles.
next-resolved = El soporte lo ha marcado como resuelto. Si respondes, se reabre; `/ticket close` lo cierra para siempre.
next-closed = Este ticket está cerrado: es definitivo y no admite más mensajes.
next-unknown = Síguelo con `/ticket status`.
card-title = Ticket #{ $ticket_id } · { $subject }
card-topic = Tema
card-status = Estado
card-updated = Actualizado
card-property = Sitio
card-status-means = Qué significa «{ $status }»
card-attachments = 📎 { $count ->
    [one] { $count } adjunto
   *[other] { $count } adjuntos
}
card-next = Qué pasa ahora
card-footer = Tema: { $topic } · { $hint }
list-title = Tus tickets
list-title-status = Tus tickets: { $status }
list-empty = No hay tickets aquí. Abre uno con `/ticket open`.
list-footer = Página { $page } · más recientes primero
close-confirm-title = ¿Cerrar el ticket #{ $ticket_id }?
close-confirm-text = Cerrar es definitivo: un ticket cerrado queda bloqueado y no admite más mensajes. («Resuelto» es distinto: el soporte marca un ticket como resuelto y una respuesta lo reabre).
close-confirm-status = Estado actual

## /ticket close

close-already = El ticket #{ $ticket_id } ya está cerrado.
close-button-confirm = Cerrar ticket
close-button-keep = Mantenerlo abierto
close-closed = El ticket #{ $ticket_id } está cerrado. Es definitivo; abre un ticket nuevo si necesitas más ayuda.
close-kept = El ticket #{ $ticket_id } se queda como estaba. No se ha cambiado nada.

## /ticket list

list-first-page = Primera página
list-next-page = Página siguiente

## /ticket link y unlink

link-form-title = Vincula tu cuenta de Paradarum
link-form-token = Token de API
link-form-placeholder = Pega un token del panel de Paradarum
link-token-refused = Paradarum no ha aceptado ese token, así que no se ha guardado nada. Copia un token de API de cliente de tu panel de Paradarum y vuelve a intentarlo.
link-linked = Vinculado a la cuenta de Paradarum **{ $account }**. Tus comandos `/ticket` actúan ahora en su nombre.
link-unlinked = Desvinculado. El bot ya no guarda ningún token de Paradarum tuyo; `/ticket link` lo vuelve a vincular.
link-was-not-linked = Tu cuenta de Discord no estaba vinculada.

## Reintentar

retry-too-old = Ese intento es demasiado antiguo para reenviarlo con seguridad. Comprueba con `/ticket list` si se completó antes de volver a intentarlo.
retry-not-yours = Ese botón no es tuyo.
retry-backend-changed = El servicio de tickets ha cambiado desde entonces, así que ese intento no se puede reenviar. Compruébalo con `/ticket list` antes de volver a intentarlo.

## /ticket reply

reply-bad-ticket = Ese número de ticket no es válido.
reply-attachment-host = Ese adjunto no está en los servidores de archivos de Discord, así que no se puede reenviar.
reply-attachment-too-big = Ese archivo ocupa { $size } MiB; lo máximo que se puede adjuntar son { $max } MiB.
reply-form-title = Respuesta al ticket #{ $ticket_id }
reply-form-title-reopens = Respuesta al #{ $ticket_id } (lo reabre)
reply-form-message = Mensaje
reply-form-placeholder = Tu mensaje para el soporte de Paradarum
reply-form-placeholder-reopens = Este ticket está resuelto: si respondes, se reabre.
reply-attachment-lost = Tu adjunto se perdió antes de enviar el formulario, así que no se ha enviado nada. Vuelve a ejecutar `/ticket reply` y adjunta de nuevo el archivo.
reply-added = Tu respuesta se ha añadido al ticket #{ $ticket_id }.
reply-added-reopened = Tu respuesta se ha añadido al ticket #{ $ticket_id }. Estaba resuelto, así que vuelve a estar abierto.
reply-downloads-busy = Se están enviando muchas respuestas con archivos ahora mismo, así que no se ha enviado nada. Vuelve a intentarlo dentro de un minuto.
reply-attachment-unfetchable = No se ha podido descargar el adjunto de Discord, así que no se ha enviado nada. Inténtalo sin él o vuelve a adjuntarlo.
reply-attachment-grew = El adjunto supera el tamaño permitido; no se ha enviado nada.

## Comunes

error-pick-ticket = Elige un ticket de la lista o escribe su número (por ejemplo, `12`). `/ticket list` muestra tus tickets.
error-subject-empty = El asunto no puede estar vacío.
error-subject-too-long = El asunto tiene { $length } caracteres; el máximo es { $max }.
error-message-empty = El mensaje no puede estar vacío.
error-message-too-long = El mensaje tiene { $length } caracteres; el máximo es { $max }.
error-reason-empty = El motivo no puede estar vacío.
error-reason-too-long = El motivo tiene { $length } caracteres; el máximo es { $max }.

## /sandbox

sandbox-not-sandbox = Este comando solo funciona con la API de tickets sandbox.
sandbox-wrong-server = /sandbox solo funciona en el servidor configurado como DISCORD_GUILD_ID.
sandbox-not-admin = Solo los administradores del servidor pueden usar /sandbox.
sandbox-set = El ticket #{ $ticket_id } está ahora { $status } (sandbox).

## /ticket escalate

escalate-not-moderator = Solo los moderadores de la comunidad pueden escalar tickets, y solo desde el servidor.
escalate-bad-target = Los tickets solo se pueden escalar a { topic-billing } o { topic-ssl }.
escalate-bad-reason = Indica un motivo de 1 a { $max } caracteres.
escalate-not-configured = La escalada no está configurada: el bot no tiene un PARADARUM_API_TOKEN con el permiso tickets:topic.
escalate-no-such-ticket = No existe el ticket #{ $ticket_id }.
escalate-closed = El ticket #{ $ticket_id } está cerrado y los tickets cerrados están bloqueados: no se ha cambiado nada.
escalate-bad-topic = Ese tema no se puede usar.
escalate-unchanged = El ticket #{ $ticket_id } ya está en { $topic }: no hay nada que hacer.
escalate-moved = Ticket #{ $ticket_id } movido: { $from } → **{ $to }**. Estado: { $status }. Se ha avisado al equipo de { $to }.

## Mensajes en los canales del soporte

notify-topic-unknown = Tema desconocido
notify-status-unknown = desconocido
notify-subject-unavailable = (asunto no disponible)
staff-field-topic = Tema
staff-field-subject = Asunto
staff-field-opened-by = Abierto desde Discord por
staff-field-moved = Movido
staff-field-reason = Motivo
staff-no-reason = (sin motivo)
staff-title-moved = Ticket #{ $ticket_id } movido a { $topic }
staff-title-status = El ticket #{ $ticket_id } está ahora { $status }
staff-footer-event = Evento { $event }
staff-line-status = ahora **{ $status }**
staff-heading-moved = { $count ->
    [one] { $count } ticket movido a otro tema
   *[other] { $count } tickets movidos a otro tema
}
staff-heading-status = { $count ->
    [one] { $count } ticket ha cambiado de estado
   *[other] { $count } tickets han cambiado de estado
}
staff-heading-resolved = { $count ->
    [one] { $count } ticket resuelto
   *[other] { $count } tickets resueltos
}

## Mensajes directos al cliente

dm-resolved-title = Tu ticket #{ $ticket_id } está resuelto
dm-resolved-text = El soporte lo ha marcado como resuelto. Si no lo está, responde y se reabrirá; si lo está, puedes cerrarlo (cerrar es definitivo).
dm-moved-title = Ticket #{ $ticket_id } movido a { $topic }
dm-moved-text = Tu ticket se ha movido a { $topic } para que lo atienda el equipo adecuado.
dm-in-progress-title = El ticket #{ $ticket_id } está en curso
dm-in-progress-text = El soporte está trabajando en él.
dm-reopened-title = El ticket #{ $ticket_id } vuelve a estar abierto
dm-reopened-text = Vuelve a estar pendiente del soporte.
dm-closed-title = El ticket #{ $ticket_id } está cerrado
dm-closed-text = Es definitivo; abre un ticket nuevo con /ticket open si necesitas más ayuda.
dm-staff-reply-title = El soporte ha respondido al ticket #{ $ticket_id }
dm-staff-reply-text = Consúltalo con /ticket status.
dm-updated-title = El ticket #{ $ticket_id } se ha actualizado
dm-button-reply = Responder
dm-button-close = Cerrar ticket (definitivo)

## Respuestas del soporte (#13)
error-status-changed = El ticket #{ $ticket_id } ya está en estado { $status }: no se ha cambiado nada.
error-status-changed-any = Ese ticket ya está en estado { $status }: no se ha cambiado nada.
author-staff-named = { $name } · Soporte de Paradarum
dm-staff-reply-named-title = { $name } ha respondido al ticket #{ $ticket_id }
dm-staff-reply-read-all-footer = Esta respuesta es más larga de lo que cabe en un mensaje: «Leer todo» te la muestra entera.
dm-button-read-all = Leer todo
read-all-title = Ticket #{ $ticket_id } · { $author }
read-all-page = Página { $page } de { $pages }
read-all-gone = Esa respuesta ya no está en el ticket.
read-all-previous = Página anterior
read-all-next = Página siguiente
error-staff-name-invalid = Ese nombre no puede firmar una respuesta: debe tener de 1 a { $max } caracteres en una sola línea.
error-message-control = Ese texto tiene caracteres que no puede contener (caracteres de control).

## Mesa del soporte (#13): los botones de los avisos al soporte y sus ediciones (en el idioma
## del soporte), y las respuestas a quien los pulsó (en el suyo)
staff-button-view = Ver
staff-button-start = Empezar
staff-button-resolve = Resolver
staff-button-reply = Responder
staff-title-new = Nuevo ticket #{ $ticket_id }
staff-heading-new = { $count ->
    [one] { $count } ticket nuevo
   *[other] { $count } tickets nuevos
}
staff-edit-title = Ticket #{ $ticket_id } · { $status }
staff-field-status = Estado
staff-field-latest = Último cambio
staff-field-last-action = Última acción
staff-latest-resolved = { status-resolved }
staff-latest-in-progress = Trabajo empezado ({ status-in-progress })
staff-latest-reopened = { status-open } de nuevo
staff-latest-closed = { status-closed }
staff-latest-moved = Movido a { $topic }
staff-latest-staff-reply = El soporte ha respondido
staff-latest-customer-reply = El cliente ha escrito
staff-latest-opened = Abierto
staff-latest-updated = Actualizado
staff-acted-start = Empezado por { $user } ({ $name }) { $when }
staff-acted-resolve = Resuelto por { $user } ({ $name }) { $when }
staff-acted-reply = Respondido por { $user } ({ $name }) { $when }
staff-not-staff = Solo el soporte de Paradarum puede gestionar tickets desde estos avisos. No se ha cambiado nada.
staff-not-configured = Las acciones del soporte no están configuradas: el bot no tiene PARADARUM_API_TOKEN. No se ha cambiado nada.
staff-token-refused = La API de tickets rechaza el PARADARUM_API_TOKEN del bot. No se ha cambiado nada; alguien de operaciones tiene que revisar el token.
staff-missing-scope = Al PARADARUM_API_TOKEN del bot le falta el permiso `{ $scope }`, así que el soporte no puede hacer esto desde Discord. No se ha cambiado nada; alguien de operaciones puede añadir el permiso.
staff-done = El ticket #{ $ticket_id } está ahora **{ $status }**. El aviso lo mostrará en breve.
staff-already = El ticket #{ $ticket_id } ya está **{ $status }**. No se ha cambiado nada.
staff-already-by = El ticket #{ $ticket_id } ya está **{ $status }** (por { $name }, { $when }). No se ha cambiado nada.
staff-moved-on = El ticket #{ $ticket_id } ha cambiado desde que se creó este aviso: ahora está **{ $status }**. No se ha cambiado nada; el aviso lo mostrará en breve.
staff-moved-on-by = El ticket #{ $ticket_id } ha cambiado desde que se creó este aviso: ahora está **{ $status }** (por { $name }, { $when }). No se ha cambiado nada; el aviso lo mostrará en breve.
staff-no-ticket = No existe el ticket #{ $ticket_id }.
staff-closed = El ticket #{ $ticket_id } está { status-closed }, y los tickets en ese estado están bloqueados. No se ha cambiado nada.
staff-replied = Tu respuesta se ha enviado al cliente del ticket #{ $ticket_id }.
staff-reply-title = Respuesta del soporte al ticket #{ $ticket_id }
staff-reply-label = Mensaje para el cliente
staff-reply-placeholder = El cliente verá esto, junto con tu nombre visible.

## Front door (#14): el panel de tickets y «Abrir ticket desde el mensaje»
cmd-ticket-panel = panel
    .description = Publica o actualiza el panel de tickets de este canal (miembros con «Gestionar servidor»)
cmd-open-from-message = Abrir ticket desde el mensaje
panel-text = **¿Necesitas ayuda del soporte de Paradarum?**
    Elige un tema aquí abajo para abrir un ticket. Solo tú verás el formulario y las respuestas.
panel-placeholder = Elige un tema para abrir un ticket
panel-dm-refused = Un panel de tickets va en un canal del servidor: usa `/ticket panel` allí, no en un mensaje directo.
panel-not-allowed = Solo los miembros con el permiso **Gestionar servidor** pueden publicar un panel de tickets. No se ha publicado nada.
panel-posted = El panel de tickets se ha publicado en este canal.
panel-updated = El panel de tickets de este canal se ha actualizado (el mismo mensaje; no se ha publicado nada nuevo).
panel-cannot-post = No tengo permiso para publicar en este canal. Dame **Ver canales** y **Enviar mensajes** aquí y vuelve a usar `/ticket panel`. No se ha publicado nada.
panel-unknown-topic = No conozco ese tema. Elige de nuevo, por favor.
from-message-pick-topic = ¿De qué trata el ticket? Elige un tema; después se abrirá el formulario con el mensaje ya rellenado.
from-message-not-kept = No he podido guardar los datos de ese mensaje en este momento. No se ha abierto nada; inténtalo de nuevo en un momento.
from-message-reference = Mensaje de { $author }: { $link }
open-which-property = ¿De qué sitio se trata? Elige uno y luego rellena el formulario.
open-no-property = Ninguno en concreto
open-prefill-gone = Ya no tengo los datos de ese mensaje (se guardan durante una hora). Vuelve a usar **Abrir ticket desde el mensaje** sobre él.
open-unknown-choice = No conozco esa opción. Elige de nuevo, por favor.

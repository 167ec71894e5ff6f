# Paradarum bot — français. Keys and placeables as in en-US.ftl; the user is addressed
# with "vous". Typography: a non-breaking space (U+00A0) before « : ; ? ! ».

## Sujets et statuts (les nombres de l'API ne changent jamais)

topic-general = Général
topic-networking = Réseau
topic-rules = Règles
topic-billing = Facturation
topic-ssl = SSL / Certificats
topic-performance = Performances
topic-unknown = Sujet inconnu ({ $value })
topic-general-hint = Tout ce qui n'entre dans aucune autre catégorie.
topic-networking-hint = Connectivité, routage, joignabilité de l'origine, problèmes liés au DNS.
topic-rules-hint = Règles de cache, règles d'en-têtes et application des règles.
topic-billing-hint = Factures, offres et frais du compte.
topic-ssl-hint = Certificats TLS et mise en place du HTTPS.
topic-performance-hint = Questions de latence, de taux de succès du cache et de débit.
topic-unknown-hint = Un sujet que cette version du bot ne connaît pas encore.

status-open = Ouvert
status-in-progress = En cours
status-resolved = Résolu
status-closed = Fermé
status-unknown = Statut inconnu ({ $value })
status-open-meaning = Nouveau ou rouvert ; en attente de traitement.
status-in-progress-meaning = Le support s'en occupe activement.
status-resolved-meaning = Marqué comme résolu par le support. Répondre le rouvre.
status-closed-meaning = Terminé et verrouillé — plus aucun message.
status-unknown-meaning = Un statut que cette version du bot ne connaît pas encore.

## Commandes (noms : 1 à 32 caractères, minuscules, sans espace)

cmd-ticket = ticket
    .description = Ouvrir, suivre, répondre à et fermer vos tickets de support Paradarum
cmd-ticket-open = ouvrir
    .description = Ouvrir un nouveau ticket de support
    .topic = sujet
    .topic-description = L'objet du ticket : choisissez le sujet le plus précis
    .property = site
    .property-description = Le site concerné, s'il y en a un
cmd-ticket-status = statut
    .description = Afficher le statut d'un ticket, sa signification et ses derniers messages
    .ticket = ticket
    .ticket-description = Un de vos tickets
cmd-ticket-list = liste
    .description = Lister vos tickets, les plus récents d'abord
    .status = statut
    .status-description = Seulement les tickets ayant ce statut
cmd-ticket-reply = répondre
    .description = Répondre à un de vos tickets (répondre à un ticket résolu le rouvre)
    .ticket = ticket
    .ticket-description = Un de vos tickets
    .attachment = pièce-jointe
    .attachment-description = Un fichier à joindre (capture d'écran, journal…)
cmd-ticket-close = fermer
    .description = Fermer un de vos tickets (définitif : un ticket fermé n'accepte plus de messages)
    .ticket = ticket
    .ticket-description = Un de vos tickets
cmd-ticket-link = lier
    .description = Lier votre compte Paradarum avec un jeton d'API de votre panneau
cmd-ticket-unlink = délier
    .description = Délier votre compte Paradarum de Discord
cmd-ticket-escalate = escalader
    .description = Transférer un ticket vers { topic-billing } ou { topic-ssl } (modérateurs)
    .ticket = ticket
    .ticket-description = Le numéro du ticket
    .to = équipe
    .to-description = L'équipe qui doit le prendre en charge
    .reason = raison
    .reason-description = Pourquoi il relève de cette équipe (visible par le support)
cmd-sandbox = sandbox
    .description = Sandbox uniquement : agir comme le support Paradarum sur un ticket (admins)
cmd-sandbox-progress = en-cours
    .description = Sandbox uniquement : passer un ticket En cours, comme le ferait le support
    .ticket = ticket
    .ticket-description = Le numéro du ticket
cmd-sandbox-resolve = résoudre
    .description = Sandbox uniquement : marquer un ticket Résolu, comme le ferait le support
    .ticket = ticket
    .ticket-description = Le numéro du ticket

## Erreurs

error-unavailable-unchanged = Le service de tickets est indisponible pour le moment. Rien n'a été modifié : vous pouvez réessayer dans un instant sans risque. (réf. `{ $reference }`)
error-unavailable-unknown = Le service de tickets n'a pas répondu clairement, je ne peux donc pas savoir si l'opération a abouti. Vérifiez avec `/ticket status` ou `/ticket list` avant de réessayer. (réf. `{ $reference }`)
error-unavailable-retry = Le service de tickets n'a pas répondu clairement, je ne peux donc pas savoir si l'opération a abouti. Appuyez sur **Réessayer** quand vous voulez : la même requête est renvoyée, elle ne peut donc pas aboutir deux fois. (réf. `{ $reference }`)
error-internal = Un problème est survenu de notre côté. Veuillez réessayer ; si cela se reproduit, donnez cette référence au support : `{ $reference }`.
error-framework = Un problème est survenu de notre côté (réf. `{ $reference }`). Veuillez réessayer.
error-bad-option = Je n'ai pas pu lire une des options. Veuillez choisir parmi les suggestions.
error-unknown-form = Je ne connais pas ce formulaire.
button-try-again = Réessayer
error-not-found = Je ne trouve pas le ticket #{ $ticket_id } parmi vos tickets. Vérifiez le numéro avec `/ticket list`.
error-not-found-any = Je ne trouve pas ce ticket parmi vos tickets. Vérifiez le numéro avec `/ticket list`.
error-ticket-closed = Le ticket #{ $ticket_id } est fermé. C'est définitif : il n'accepte plus ni messages ni modifications. Ouvrez un nouveau ticket avec `/ticket open` si vous avez encore besoin d'aide.
error-ticket-closed-any = Ce ticket est fermé. C'est définitif : il n'accepte plus ni messages ni modifications. Ouvrez un nouveau ticket avec `/ticket open` si vous avez encore besoin d'aide.
error-validation = Cela n'a pas été accepté ({ $field }) : { $message }
error-idempotency-conflict = Ce formulaire a déjà été envoyé avec un autre texte. Recommencez avec `/ticket open`.
error-unauthorized = Paradarum n'a pas accepté votre jeton lié. Liez de nouveau votre compte avec `/ticket link`.
error-forbidden = Paradarum n'autorise pas cela pour votre compte.
error-too-large = C'est trop volumineux : { $message }

## /ticket open

open-bad-property = Ce site n'a pas pu être utilisé. Choisissez-en un dans la liste ou laissez le champ vide.
open-cooldown = Vous venez d'ouvrir un ticket. Vous pourrez en ouvrir un autre dans { $seconds } s.
open-form-title = Nouveau ticket : { $topic }
open-form-subject = Objet
open-form-subject-placeholder = En une ligne : quel est le problème ?
open-form-description = Description
open-opened = Le ticket #{ $ticket_id } est ouvert. Ce message n'est visible que par vous.

## Comptes liés

link-unreadable-hint = Votre liaison est illisible : relancez /ticket link
link-unreadable-hint-sandbox = Votre liaison est illisible : /ticket unlink, puis réessayez
link-not-linked-hint = Pas encore lié : /ticket link avec un jeton de votre panneau Paradarum
link-not-linked = Votre compte Discord n'est pas encore lié à Paradarum. Utilisez `/ticket link` avec un jeton d'API de votre panneau Paradarum, puis réessayez.
link-unreadable = Votre compte Paradarum lié est illisible : la clé de chiffrement du bot a changé depuis la liaison. Rien n'a été modifié. Relancez `/ticket link` avec un jeton d'API de votre panneau Paradarum, puis réessayez.
link-unreadable-sandbox = Votre compte sandbox lié est illisible : la clé de chiffrement du bot a changé depuis sa création. Rien n'a été modifié. Lancez `/ticket unlink`, puis réessayez : votre prochaine commande vous créera un nouveau compte sandbox.

## Fiches de ticket et listes

author-customer = Vous
author-staff = Support Paradarum
author-system = Système
author-unknown = Quelqu'un
next-open = Le support va bientôt s'en occuper. Utilisez `/ticket reply` pour ajouter des détails.
next-in-progress = Le support s'en occupe. Utilisez `/ticket reply` pour ajouter des détails.
next-resolved = Le support l'a marqué comme résolu. Répondre le rouvre ; `/ticket close` le ferme définitivement.
next-closed = Ce ticket est fermé : c'est définitif, il n'accepte plus de messages.
next-unknown = Suivez-le avec `/ticket status`.
card-title = Ticket #{ $ticket_id } · { $subject }
card-topic = Sujet
card-status = Statut
card-updated = Mis à jour
card-property = Site
card-status-means = Ce que signifie « { $status } »
card-attachments = 📎 { $count ->
    [one] { $count } pièce jointe
   *[other] { $count } pièces jointes
}
card-next = Et ensuite
card-footer = Sujet : { $topic } · { $hint }
list-title = Vos tickets
list-title-status = Vos tickets : { $status }
list-empty = Aucun ticket ici. Ouvrez-en un avec `/ticket open`.
list-footer = Page { $page } · les plus récents d'abord
close-confirm-title = Fermer le ticket #{ $ticket_id } ?
close-confirm-text = La fermeture est définitive : un ticket fermé est verrouillé et n'accepte plus de messages. (« Résolu » est différent : le support marque un ticket comme résolu, et une réponse le rouvre.)
close-confirm-status = Statut actuel

## /ticket close

close-already = Le ticket #{ $ticket_id } est déjà fermé.
close-button-confirm = Fermer le ticket
close-button-keep = Le garder ouvert
close-closed = Le ticket #{ $ticket_id } est maintenant fermé. C'est définitif ; ouvrez un nouveau ticket si vous avez encore besoin d'aide.
close-kept = Le ticket #{ $ticket_id } reste tel quel. Rien n'a été modifié.

## /ticket list

list-first-page = Première page
list-next-page = Page suivante

## /ticket link et unlink

link-form-title = Lier votre compte Paradarum
link-form-token = Jeton d'API
link-form-placeholder = Collez un jeton du panneau Paradarum
link-token-refused = Paradarum n'a pas accepté ce jeton, rien n'a donc été enregistré. Copiez un jeton d'API client depuis votre panneau Paradarum et réessayez.
link-linked = Lié au compte Paradarum **{ $account }**. Vos commandes `/ticket` agissent désormais pour ce compte.
link-unlinked = Compte délié. Le bot ne conserve plus de jeton Paradarum pour vous ; `/ticket link` permet de le lier à nouveau.
link-was-not-linked = Votre compte Discord n'était pas lié.

## Réessayer

retry-too-old = Cette tentative est trop ancienne pour être renvoyée sans risque. Vérifiez avec `/ticket list` si elle a abouti avant de réessayer.
retry-not-yours = Ce bouton ne vous appartient pas.
retry-backend-changed = Le service de tickets a changé depuis, cette tentative ne peut donc pas être renvoyée. Vérifiez avec `/ticket list` avant de réessayer.

## /ticket reply

reply-bad-ticket = Ce numéro de ticket n'est pas valide.
reply-attachment-host = Cette pièce jointe n'est pas hébergée sur les serveurs de fichiers de Discord : elle ne peut donc pas être transmise.
reply-attachment-too-big = Ce fichier fait { $size } Mio ; la taille maximale d'une pièce jointe est de { $max } Mio.
reply-form-title = Réponse au ticket #{ $ticket_id }
reply-form-title-reopens = Réponse au #{ $ticket_id } (le rouvre)
reply-form-message = Message
reply-form-placeholder = Votre message au support Paradarum
reply-form-placeholder-reopens = Ce ticket est résolu : y répondre le rouvre.
reply-attachment-lost = Votre pièce jointe a été perdue avant l'envoi du formulaire, rien n'a donc été envoyé. Relancez `/ticket reply` et joignez de nouveau le fichier.
reply-added = Votre réponse a été ajoutée au ticket #{ $ticket_id }.
reply-added-reopened = Votre réponse a été ajoutée au ticket #{ $ticket_id }. Il était résolu : il est de nouveau ouvert.
reply-downloads-busy = Beaucoup de réponses avec fichiers sont en cours d'envoi, rien n'a donc été envoyé. Réessayez dans une minute.
reply-attachment-unfetchable = La pièce jointe n'a pas pu être récupérée auprès de Discord, rien n'a donc été envoyé. Réessayez sans elle, ou joignez-la de nouveau.
reply-attachment-grew = La pièce jointe dépasse la taille autorisée ; rien n'a été envoyé.

## Commun

error-pick-ticket = Choisissez un ticket dans la liste, ou tapez son numéro (par exemple `12`). `/ticket list` affiche vos tickets.
error-subject-empty = L'objet ne doit pas être vide.
error-subject-too-long = L'objet fait { $length } caractères ; le maximum est { $max }.
error-message-empty = Le message ne doit pas être vide.
error-message-too-long = Le message fait { $length } caractères ; le maximum est { $max }.
error-reason-empty = La raison ne doit pas être vide.
error-reason-too-long = La raison fait { $length } caractères ; le maximum est { $max }.

## /sandbox

sandbox-not-sandbox = Cette commande ne fonctionne qu'avec l'API de tickets sandbox.
sandbox-wrong-server = /sandbox ne fonctionne que sur le serveur défini par DISCORD_GUILD_ID.
sandbox-not-admin = Seuls les administrateurs du serveur peuvent utiliser /sandbox.
sandbox-set = Le ticket #{ $ticket_id } est maintenant { $status } (sandbox).

## /ticket escalate

escalate-not-moderator = Seuls les modérateurs de la communauté peuvent escalader des tickets, et uniquement depuis le serveur.
escalate-bad-target = Les tickets ne peuvent être escaladés que vers { topic-billing } ou { topic-ssl }.
escalate-bad-reason = Indiquez une raison de 1 à { $max } caractères.
escalate-not-configured = L'escalade n'est pas configurée : le bot n'a pas de PARADARUM_API_TOKEN avec la portée tickets:topic.
escalate-no-such-ticket = Il n'existe pas de ticket #{ $ticket_id }.
escalate-closed = Le ticket #{ $ticket_id } est fermé, et les tickets fermés sont verrouillés : rien n'a été modifié.
escalate-bad-topic = Ce sujet ne peut pas être utilisé.
escalate-unchanged = Le ticket #{ $ticket_id } est déjà dans { $topic } : rien à faire.
escalate-moved = Ticket #{ $ticket_id } transféré : { $from } → **{ $to }**. Statut : { $status }. L'équipe { $to } est prévenue.

## Messages dans les salons du support

notify-topic-unknown = Sujet inconnu
notify-status-unknown = inconnu
notify-subject-unavailable = (objet indisponible)
staff-field-topic = Sujet
staff-field-subject = Objet
staff-field-opened-by = Ouvert depuis Discord par
staff-field-moved = Transféré
staff-field-reason = Raison
staff-no-reason = (aucune)
staff-title-moved = Ticket #{ $ticket_id } transféré vers { $topic }
staff-title-status = Le ticket #{ $ticket_id } est maintenant { $status }
staff-footer-event = Événement { $event }
staff-line-status = maintenant **{ $status }**
staff-heading-moved = { $count ->
    [one] { $count } ticket transféré vers un autre sujet
   *[other] { $count } tickets transférés vers un autre sujet
}
staff-heading-status = { $count ->
    [one] { $count } ticket a changé de statut
   *[other] { $count } tickets ont changé de statut
}
staff-heading-resolved = { $count ->
    [one] { $count } ticket résolu
   *[other] { $count } tickets résolus
}

## Messages privés au client

dm-resolved-title = Votre ticket #{ $ticket_id } est résolu
dm-resolved-text = Le support l'a marqué comme résolu. Si ce n'est pas le cas, répondez et il sera rouvert ; sinon, vous pouvez le fermer (la fermeture est définitive).
dm-moved-title = Ticket #{ $ticket_id } transféré vers { $topic }
dm-moved-text = Votre ticket a été transféré vers { $topic } pour que la bonne équipe s'en charge.
dm-in-progress-title = Le ticket #{ $ticket_id } est en cours
dm-in-progress-text = Le support s'en occupe.
dm-reopened-title = Le ticket #{ $ticket_id } est de nouveau ouvert
dm-reopened-text = Il attend de nouveau le support.
dm-closed-title = Le ticket #{ $ticket_id } est fermé
dm-closed-text = C'est définitif ; ouvrez un nouveau ticket avec /ticket open si vous avez encore besoin d'aide.
dm-staff-reply-title = Le support a répondu au ticket #{ $ticket_id }
dm-staff-reply-text = Consultez-le avec /ticket status.
dm-updated-title = Le ticket #{ $ticket_id } a été mis à jour
dm-button-reply = Répondre
dm-button-close = Fermer le ticket (définitif)

## Réponses du support (#13)
error-status-changed = Le ticket #{ $ticket_id } a déjà le statut { $status } : rien n'a été modifié.
error-status-changed-any = Ce ticket a déjà le statut { $status } : rien n'a été modifié.
author-staff-named = { $name } · Support Paradarum
dm-staff-reply-named-title = { $name } a répondu au ticket #{ $ticket_id }
dm-staff-reply-read-all-footer = Cette réponse est plus longue qu'un message ne peut l'afficher : « Tout lire » l'affiche en entier.
dm-button-read-all = Tout lire
read-all-title = Ticket #{ $ticket_id } · { $author }
read-all-page = Page { $page } sur { $pages }
read-all-gone = Cette réponse ne figure plus sur le ticket.
read-all-previous = Page précédente
read-all-next = Page suivante
error-staff-name-invalid = Ce nom ne peut pas signer une réponse : il doit faire de 1 à { $max } caractères sur une seule ligne.
error-message-control = Ce texte contient des caractères interdits (caractères de contrôle).

## Pupitre du support (#13) : les boutons des avis au support et leurs mises à jour (dans la
## langue du support), et les réponses à qui a appuyé (dans la sienne)
staff-button-view = Voir
staff-button-start = Commencer
staff-button-resolve = Résoudre
staff-button-reply = Répondre
staff-title-new = Nouveau ticket #{ $ticket_id }
staff-heading-new = { $count ->
    [one] { $count } nouveau ticket
   *[other] { $count } nouveaux tickets
}
staff-edit-title = Ticket #{ $ticket_id } · { $status }
staff-field-status = Statut
staff-field-latest = Dernier événement
staff-field-last-action = Dernière action
staff-latest-resolved = { status-resolved }
staff-latest-in-progress = Prise en charge ({ status-in-progress })
staff-latest-reopened = Rouvert ({ status-open })
staff-latest-closed = { status-closed }
staff-latest-moved = Transféré vers { $topic }
staff-latest-staff-reply = Le support a répondu
staff-latest-customer-reply = Le client a écrit
staff-latest-opened = Ouvert
staff-latest-updated = Mis à jour
staff-acted-start = Commencé par { $user } ({ $name }) { $when }
staff-acted-resolve = Résolu par { $user } ({ $name }) { $when }
staff-acted-reply = Réponse de { $user } ({ $name }) { $when }
staff-not-staff = Seul le support Paradarum peut traiter les tickets depuis ces avis. Rien n'a été modifié.
staff-not-configured = Les actions du support ne sont pas configurées : le bot n'a pas de PARADARUM_API_TOKEN. Rien n'a été modifié.
staff-token-refused = L'API des tickets refuse le PARADARUM_API_TOKEN du bot. Rien n'a été modifié ; un opérateur doit vérifier le jeton.
staff-missing-scope = Il manque au PARADARUM_API_TOKEN du bot la portée `{ $scope }` : le support ne peut donc pas faire cela depuis Discord. Rien n'a été modifié ; un opérateur peut ajouter la portée.
staff-done = Le ticket #{ $ticket_id } est maintenant **{ $status }**. L'avis l'affichera sous peu.
staff-already = Le ticket #{ $ticket_id } est déjà **{ $status }**. Rien n'a été modifié.
staff-already-by = Le ticket #{ $ticket_id } est déjà **{ $status }** (par { $name }, { $when }). Rien n'a été modifié.
staff-moved-on = Le ticket #{ $ticket_id } a changé depuis la création de cet avis : il est maintenant **{ $status }**. Rien n'a été modifié ; l'avis l'affichera sous peu.
staff-moved-on-by = Le ticket #{ $ticket_id } a changé depuis la création de cet avis : il est maintenant **{ $status }** (par { $name }, { $when }). Rien n'a été modifié ; l'avis l'affichera sous peu.
staff-no-ticket = Il n'existe pas de ticket #{ $ticket_id }.
staff-closed = Le ticket #{ $ticket_id } est { status-closed }, et les tickets dans cet état sont verrouillés. Rien n'a été modifié.
staff-replied = Votre réponse a été envoyée au client du ticket #{ $ticket_id }.
staff-reply-title = Réponse du support au ticket #{ $ticket_id }
staff-reply-label = Message au client
staff-reply-placeholder = Le client verra ce message, avec votre nom d'affichage.

## Front door (#14) : le panneau de tickets et « Ouvrir un ticket sur ce message »
cmd-ticket-panel = panneau
    .description = Publier ou mettre à jour le panneau de tickets de ce salon (membres avec « Gérer le serveur »)
cmd-open-from-message = Ouvrir un ticket sur ce message
panel-text = **Besoin de l'aide du support Paradarum ?**
    Choisissez un sujet ci-dessous pour ouvrir un ticket. Vous seul verrez le formulaire et les réponses.
panel-placeholder = Choisissez un sujet pour ouvrir un ticket
panel-dm-refused = Un panneau de tickets se place dans un salon du serveur : lancez `/ticket panel` là-bas, pas en message privé.
panel-not-allowed = Seuls les membres disposant de la permission **Gérer le serveur** peuvent publier un panneau de tickets. Rien n'a été publié.
panel-posted = Le panneau de tickets est publié dans ce salon.
panel-updated = Le panneau de tickets de ce salon est mis à jour (le même message, rien de nouveau n'a été publié).
panel-cannot-post = Je n'ai pas le droit de publier dans ce salon. Accordez-moi **Voir les salons** et **Envoyer des messages** ici, puis relancez `/ticket panel`. Rien n'a été publié.
panel-unknown-topic = Je ne connais pas ce sujet. Veuillez choisir à nouveau.
from-message-pick-topic = De quoi parle le ticket ? Choisissez un sujet ; le formulaire s'ouvre ensuite avec le message déjà rempli.
from-message-not-kept = Je n'ai pas pu conserver les détails de ce message pour l'instant. Rien n'a été ouvert ; veuillez réessayer dans un moment.
from-message-reference = Message de { $author } : { $link }
open-which-property = De quel site s'agit-il ? Choisissez-en un, puis remplissez le formulaire.
open-no-property = Aucun en particulier
open-prefill-gone = Je n'ai plus les détails de ce message (ils sont conservés une heure). Utilisez à nouveau **Ouvrir un ticket sur ce message** sur celui-ci.
open-unknown-choice = Je ne connais pas ce choix. Veuillez choisir à nouveau.

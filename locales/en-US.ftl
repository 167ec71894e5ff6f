# Paradarum bot — English (United States). The complete language and the fallback for
# every other: a key added here must be added to every locales/*.ftl (a test checks).
# Placeables are snake_case ($ticket_id); every one used here must be used in each
# translation. Markdown (**bold**, `code`) is Discord's.

## Topics and statuses: the seed's labels, exactly. The API integers never change.

topic-general = General
topic-networking = Networking
topic-rules = Rules
topic-billing = Billing
topic-ssl = SSL / Certificates
topic-performance = Performance
topic-unknown = Unknown topic ({ $value })
topic-general-hint = Anything that doesn't fit another category.
topic-networking-hint = Connectivity, routing, origin reachability, DNS-related issues.
topic-rules-hint = Cache rules, header rules, and rule-matching behavior.
topic-billing-hint = Invoices, plans, and account charges.
topic-ssl-hint = TLS certificates and HTTPS provisioning.
topic-performance-hint = Latency, cache hit ratio, and throughput questions.
topic-unknown-hint = A topic this version of the bot does not know yet.

status-open = Open
status-in-progress = In Progress
status-resolved = Resolved
status-closed = Closed
status-unknown = Unknown status ({ $value })
status-open-meaning = Newly created or reopened; awaiting handling.
status-in-progress-meaning = Support is actively working on it.
status-resolved-meaning = Marked solved by staff. Replying reopens it.
status-closed-meaning = Finished and locked — no further messages.
status-unknown-meaning = A status this version of the bot does not know yet.

## Command registration: the value is the command's name, .description its description,
## .<option> and .<option>-description its options'. Names: 1–32 characters, lowercase,
## letters, digits, - and _ only, no spaces.

cmd-ticket = ticket
    .description = Open, follow, reply to and close your Paradarum support tickets
cmd-ticket-open = open
    .description = Open a new support ticket
    .topic = topic
    .topic-description = What the ticket is about: pick the most specific topic
    .property = property
    .property-description = The property it concerns, if any
cmd-ticket-status = status
    .description = Show a ticket's status, what it means, and its latest messages
    .ticket = ticket
    .ticket-description = One of your tickets
cmd-ticket-list = list
    .description = List your tickets, newest first
    .status = status
    .status-description = Only tickets with this status
cmd-ticket-reply = reply
    .description = Reply to one of your tickets (replying to a Resolved ticket reopens it)
    .ticket = ticket
    .ticket-description = One of your tickets
    .attachment = attachment
    .attachment-description = A file to attach (screenshot, log…)
cmd-ticket-close = close
    .description = Close one of your tickets (final: a Closed ticket takes no more messages)
    .ticket = ticket
    .ticket-description = One of your tickets
cmd-ticket-link = link
    .description = Link your Paradarum account with an API token from your panel
cmd-ticket-unlink = unlink
    .description = Unlink your Paradarum account from Discord
cmd-ticket-escalate = escalate
    .description = Move a ticket to { topic-billing } or { topic-ssl } (community moderators)
    .ticket = ticket
    .ticket-description = The ticket number
    .to = to
    .to-description = The team that should pick it up
    .reason = reason
    .reason-description = Why it belongs there (shown to staff)
cmd-sandbox = sandbox
    .description = Sandbox only: act as Paradarum staff on a ticket (administrators)
cmd-sandbox-progress = progress
    .description = Sandbox only: set a ticket In Progress, as staff would
    .ticket = ticket
    .ticket-description = The ticket number
cmd-sandbox-resolve = resolve
    .description = Sandbox only: mark a ticket Resolved, as staff would
    .ticket = ticket
    .ticket-description = The ticket number

## Errors

error-unavailable-unchanged = The ticket service is not available right now. Nothing was changed, so it is safe to try again in a moment. (ref `{ $reference }`)
error-unavailable-unknown = The ticket service did not give a clear answer, so I can't tell whether that went through. Check with `/ticket status` or `/ticket list` before trying again. (ref `{ $reference }`)
error-unavailable-retry = The ticket service did not give a clear answer, so I can't tell whether that went through. Press **Try again** when you like: it is sent as the same request, so it cannot happen twice. (ref `{ $reference }`)
error-internal = Something went wrong on our side. Please try again; if it keeps happening, give support this reference: `{ $reference }`.
error-framework = Something went wrong on our side (ref `{ $reference }`). Please try again.
error-bad-option = I could not read one of the options. Please pick from the suggestions.
error-unknown-form = That form is not one I know.
button-try-again = Try again
error-not-found = I can't find ticket #{ $ticket_id } among your tickets. Check the number with `/ticket list`.
error-not-found-any = I can't find that ticket among your tickets. Check the number with `/ticket list`.
error-ticket-closed = Ticket #{ $ticket_id } is Closed. Closed is final: it takes no more messages or changes. Open a new ticket with `/ticket open` if you need more help.
error-ticket-closed-any = That ticket is Closed. Closed is final: it takes no more messages or changes. Open a new ticket with `/ticket open` if you need more help.
error-validation = That was not accepted ({ $field }): { $message }
error-idempotency-conflict = That form was already submitted with different text. Start again with `/ticket open`.
error-unauthorized = Paradarum did not accept your linked token. Link your account again with `/ticket link`.
error-forbidden = Paradarum does not allow that for your account.
error-too-large = That is too large: { $message }

## /ticket open

open-bad-property = That property could not be used. Pick one from the list, or leave it empty.
open-cooldown = You just opened a ticket. You can open another in { $seconds } s.
open-form-title = New ticket: { $topic }
open-form-subject = Subject
open-form-subject-placeholder = One line: what is wrong?
open-form-description = Description
open-opened = Ticket #{ $ticket_id } is open. Only you can see this.


## Linked accounts

link-unreadable-hint = Your link can't be read: run /ticket link again
link-unreadable-hint-sandbox = Your link can't be read: run /ticket unlink, then try again
link-not-linked-hint = Not linked yet: run /ticket link with a token from your Paradarum panel
link-not-linked = Your Discord account is not linked to Paradarum yet. Use `/ticket link` with an API token from your Paradarum panel, then try again.
link-unreadable = Your linked Paradarum account can't be read: the bot's encryption key has changed since you linked it. Nothing was changed. Run `/ticket link` again with an API token from your Paradarum panel, then try again.
link-unreadable-sandbox = Your linked sandbox account can't be read: the bot's encryption key has changed since it was made. Nothing was changed. Run `/ticket unlink`, then try again: your next command makes you a new sandbox account.

## Ticket cards and lists

author-customer = You
author-staff = Paradarum support
author-system = System
author-unknown = Someone
next-open = Support will pick it up soon. Use `/ticket reply` to add details.
next-in-progress = Support is working on it. Use `/ticket reply` to add details.
next-resolved = Support marked it solved. Replying reopens it; `/ticket close` ends it for good.
next-closed = This ticket is Closed: it is final and takes no more messages.
next-unknown = Use `/ticket status` to follow it.
card-title = Ticket #{ $ticket_id } · { $subject }
card-topic = Topic
card-status = Status
card-updated = Updated
card-property = Property
card-status-means = What { $status } means
card-attachments = 📎 { $count ->
    [one] { $count } attachment
   *[other] { $count } attachments
}
card-next = Next
card-footer = Topic: { $topic } · { $hint }
list-title = Your tickets
list-title-status = Your { $status } tickets
list-empty = No tickets here. Open one with `/ticket open`.
list-footer = Page { $page } · newest first
close-confirm-title = Close ticket #{ $ticket_id }?
close-confirm-text = Closing is final: a Closed ticket is locked and takes no more messages. (Resolved is different: support marks a ticket Resolved, and a reply reopens it.)
close-confirm-status = Status now

## /ticket close

close-already = Ticket #{ $ticket_id } is already Closed.
close-button-confirm = Close ticket
close-button-keep = Keep open
close-closed = Ticket #{ $ticket_id } is now Closed. It is final; open a new ticket if you need more help.
close-kept = Ticket #{ $ticket_id } stays as it is. Nothing was changed.

## /ticket list

list-first-page = First page
list-next-page = Next page

## /ticket link and unlink

link-form-title = Link your Paradarum account
link-form-token = API token
link-form-placeholder = Paste a token from Paradarum's panel
link-token-refused = Paradarum did not accept that token, so nothing was stored. Copy a customer API token from your Paradarum panel and try again.
link-linked = Linked to the Paradarum account **{ $account }**. Your `/ticket` commands now act for it.
link-unlinked = Unlinked. The bot no longer holds a Paradarum token for you; `/ticket link` links again.
link-was-not-linked = Your Discord account was not linked.

## Try again

retry-too-old = That attempt is too old to be resent safely. Check with `/ticket list` whether it went through before trying again.
retry-not-yours = That button is not yours.
retry-backend-changed = The ticket service changed since then, so that attempt cannot be resent. Check with `/ticket list` before trying again.

## /ticket reply

reply-bad-ticket = That ticket number is not valid.
reply-attachment-host = That attachment is not on Discord's file servers, so it cannot be forwarded.
reply-attachment-too-big = That file is { $size } MiB; the most that can be attached is { $max } MiB.
reply-form-title = Reply to ticket #{ $ticket_id }
reply-form-title-reopens = Reply to #{ $ticket_id } (reopens it)
reply-form-message = Message
reply-form-placeholder = Your message to Paradarum support
reply-form-placeholder-reopens = This ticket is Resolved: replying reopens it.
reply-attachment-lost = Your attachment was lost before the form was sent, so nothing was sent. Run `/ticket reply` again and attach the file again.
reply-added = Your reply was added to ticket #{ $ticket_id }.
reply-added-reopened = Your reply was added to ticket #{ $ticket_id }. It was Resolved, so it is Open again.
reply-downloads-busy = Many replies with files are being sent right now, so nothing was sent. Try again in a minute.
reply-attachment-unfetchable = The attachment could not be fetched from Discord, so nothing was sent. Try again without it, or attach it again.
reply-attachment-grew = The attachment is larger than allowed; nothing was sent.

## Shared

error-pick-ticket = Pick a ticket from the list, or type its number (like `12`). `/ticket list` shows your tickets.
error-subject-empty = The subject must not be empty.
error-subject-too-long = The subject is { $length } characters; the most is { $max }.
error-message-empty = The message must not be empty.
error-message-too-long = The message is { $length } characters; the most is { $max }.
error-reason-empty = The reason must not be empty.
error-reason-too-long = The reason is { $length } characters; the most is { $max }.

## /sandbox (the test server's administrators)

sandbox-not-sandbox = This command works only on the sandbox ticket API.
sandbox-wrong-server = /sandbox works only in the server set as DISCORD_GUILD_ID.
sandbox-not-admin = Only server administrators can use /sandbox.
sandbox-set = Ticket #{ $ticket_id } is now { $status } (sandbox).

## /ticket escalate (community moderators)

escalate-not-moderator = Only community moderators can escalate tickets, and only from the server.
escalate-bad-target = Tickets can be escalated to { topic-billing } or { topic-ssl } only.
escalate-bad-reason = Give a reason of 1 to { $max } characters.
escalate-not-configured = Escalation is not configured: the bot has no PARADARUM_API_TOKEN with the tickets:topic scope.
escalate-no-such-ticket = There is no ticket #{ $ticket_id }.
escalate-closed = Ticket #{ $ticket_id } is Closed, and Closed tickets are locked: nothing was changed.
escalate-bad-topic = That topic cannot be used.
escalate-unchanged = Ticket #{ $ticket_id } is already under { $topic }: nothing to do.
escalate-moved = Ticket #{ $ticket_id } moved: { $from } → **{ $to }**. Status: { $status }. The { $to } team is notified.

## Staff channel messages (in notifications.locale, else the server's language)

notify-topic-unknown = Topic unknown
notify-status-unknown = unknown
notify-subject-unavailable = (subject unavailable)
staff-field-topic = Topic
staff-field-subject = Subject
staff-field-opened-by = Opened from Discord by
staff-field-moved = Moved
staff-field-reason = Reason
staff-no-reason = (none given)
staff-title-moved = Ticket #{ $ticket_id } moved to { $topic }
staff-title-status = Ticket #{ $ticket_id } is now { $status }
staff-footer-event = Event { $event }
staff-line-status = now **{ $status }**
staff-heading-moved = { $count ->
    [one] { $count } ticket moved to another topic
   *[other] { $count } tickets moved to another topic
}
staff-heading-status = { $count ->
    [one] { $count } ticket changed status
   *[other] { $count } tickets changed status
}
staff-heading-resolved = { $count ->
    [one] { $count } ticket resolved
   *[other] { $count } tickets resolved
}

## Direct messages to the customer (in the language they last used)

dm-resolved-title = Your ticket #{ $ticket_id } is Resolved
dm-resolved-text = Support marked it solved. If it is not, reply and it reopens; if it is, you can close it (Closed is final).
dm-moved-title = Ticket #{ $ticket_id } moved to { $topic }
dm-moved-text = Your ticket was moved to { $topic } so the right team picks it up.
dm-in-progress-title = Ticket #{ $ticket_id } is In Progress
dm-in-progress-text = Support is working on it.
dm-reopened-title = Ticket #{ $ticket_id } is Open again
dm-reopened-text = It is waiting for support again.
dm-closed-title = Ticket #{ $ticket_id } is Closed
dm-closed-text = Closed is final; open a new ticket with /ticket open if you need more help.
dm-staff-reply-title = Support replied to ticket #{ $ticket_id }
dm-staff-reply-text = See it with /ticket status.
dm-updated-title = Ticket #{ $ticket_id } was updated
dm-button-reply = Reply
dm-button-close = Close ticket (final)

## Staff replies (#13): a status change that lost a race, a staff reply's DM, Read all
error-status-changed = Ticket #{ $ticket_id } is already { $status }: nothing was changed.
error-status-changed-any = That ticket is already { $status }: nothing was changed.
author-staff-named = { $name } · Paradarum support
dm-staff-reply-named-title = { $name } replied to ticket #{ $ticket_id }
dm-staff-reply-read-all-footer = This reply is longer than one message can show: Read all shows the whole of it.
dm-button-read-all = Read all
read-all-title = Ticket #{ $ticket_id } · { $author }
read-all-page = Page { $page } of { $pages }
read-all-gone = That reply is no longer on the ticket.
read-all-previous = Previous page
read-all-next = Next page
error-staff-name-invalid = That name cannot sign a reply: it must be 1–{ $max } characters on one line.
error-message-control = That text has characters it cannot contain (control characters).

## Staff desk (#13): the buttons on a staff notice and its edits (in the staff's language),
## and the answers to whoever pressed them (in the presser's own)
staff-button-view = View
staff-button-start = Start
staff-button-resolve = Resolve
staff-button-reply = Reply
staff-title-new = New ticket #{ $ticket_id }
staff-heading-new = { $count ->
    [one] { $count } new ticket
   *[other] { $count } new tickets
}
staff-edit-title = Ticket #{ $ticket_id } · { $status }
staff-field-status = Status
staff-field-latest = Latest
staff-field-last-action = Last action
staff-latest-resolved = { status-resolved }
staff-latest-in-progress = Work started ({ status-in-progress })
staff-latest-reopened = { status-open } again
staff-latest-closed = { status-closed }
staff-latest-moved = Moved to { $topic }
staff-latest-staff-reply = Support replied
staff-latest-customer-reply = The customer wrote
staff-latest-opened = Opened
staff-latest-updated = Updated
staff-acted-start = Started by { $user } ({ $name }) { $when }
staff-acted-resolve = Resolved by { $user } ({ $name }) { $when }
staff-acted-reply = Replied by { $user } ({ $name }) { $when }
staff-not-staff = Only Paradarum staff can work tickets from these notices. Nothing was changed.
staff-not-configured = Staff actions are not configured: the bot has no PARADARUM_API_TOKEN. Nothing was changed.
staff-token-refused = The ticket API refuses the bot's PARADARUM_API_TOKEN. Nothing was changed; an operator needs to check the token.
staff-missing-scope = The bot's PARADARUM_API_TOKEN lacks the `{ $scope }` scope, so staff cannot do this from Discord. Nothing was changed; an operator can add the scope.
staff-done = Ticket #{ $ticket_id } is now **{ $status }**. The notice will show it shortly.
staff-already = Ticket #{ $ticket_id } is already **{ $status }**. Nothing was changed.
staff-already-by = Ticket #{ $ticket_id } is already **{ $status }** (by { $name }, { $when }). Nothing was changed.
staff-moved-on = Ticket #{ $ticket_id } changed since this notice was drawn: it is **{ $status }** now. Nothing was changed; the notice will show it shortly.
staff-moved-on-by = Ticket #{ $ticket_id } changed since this notice was drawn: it is **{ $status }** now (by { $name }, { $when }). Nothing was changed; the notice will show it shortly.
staff-no-ticket = There is no ticket #{ $ticket_id }.
staff-closed = Ticket #{ $ticket_id } is { status-closed }, and { status-closed } tickets are locked. Nothing was changed.
staff-replied = Your reply was sent to the customer of ticket #{ $ticket_id }.
staff-reply-title = Staff reply to ticket #{ $ticket_id }
staff-reply-label = Message to the customer
staff-reply-placeholder = The customer sees this, with your display name.

## Front door (#14): the ticket panel and "Open ticket from message"
cmd-ticket-panel = panel
    .description = Post or update this channel's ticket panel (members with Manage Server)
cmd-open-from-message = Open ticket from message
panel-text = **Need help from Paradarum support?**
    Pick a topic below to open a ticket. Only you will see the form and the answers.
panel-placeholder = Choose a topic to open a ticket
panel-dm-refused = A ticket panel belongs in a server channel: run `/ticket panel` there, not in a direct message.
panel-not-allowed = Only members with the **Manage Server** permission can post a ticket panel. Nothing was posted.
panel-posted = The ticket panel is posted in this channel.
panel-updated = The ticket panel of this channel is updated (the same message, nothing new posted).
panel-cannot-post = I may not post in this channel. Give me **View Channel** and **Send Messages** here, then run `/ticket panel` again. Nothing was posted.
panel-unknown-topic = That topic is not one I know. Please pick again.
from-message-pick-topic = What is the ticket about? Pick a topic; the form then opens with the message filled in.
from-message-not-kept = I could not keep that message's details just now. Nothing was opened; please try again in a moment.
from-message-reference = Message from { $author }: { $link }
open-which-property = Which property is it about? Pick one, then fill in the form.
open-no-property = None in particular
open-prefill-gone = I no longer have that message's details (they are kept for an hour). Use **Open ticket from message** on it again.
open-unknown-choice = That choice is not one I know. Please pick again.

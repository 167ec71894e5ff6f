//! What the features share: ephemeral answers, autocomplete, the user's own tickets, the
//! 3-second budget, and answering modals and buttons (acknowledge first, then edit that
//! one response, so no path answers an interaction twice).

use std::sync::atomic::Ordering;
use std::time::Duration;

use poise::serenity_prelude as serenity;
use poise::CreateReply;
use secrecy::SecretString;

use super::errors::{self, new_reference, CommandError};
use super::render::{self, Card};
use super::{allowed_mentions_none, Context, Data};
use crate::client::{ApiError, ListTickets};
use crate::i18n::{self, Locale, LocaleSource, Text};
use crate::metrics::InteractionKind;
use crate::text;
use crate::ticket::api::{Ticket, TicketId};

/// Autocomplete must answer within Discord's 3 seconds and cannot be deferred.
const AUTOCOMPLETE_BUDGET: Duration = Duration::from_millis(2000);

/// Discord's epoch (2015-01-01) in Unix milliseconds: a snowflake's time is counted from it.
const DISCORD_EPOCH_MS: i64 = 1_420_070_400_000;
/// An interaction must be answered within 3 s of its creation.
const ANSWER_WINDOW_MS: i64 = 3000;
/// Kept back from the window for sending the answer itself.
const SEND_MARGIN_MS: i64 = 700;

/// What a handler answers: text, maybe a card, maybe buttons.
#[derive(Default)]
pub struct Answer {
    pub content: String,
    pub card: Option<Card>,
    pub components: Vec<serenity::CreateActionRow>,
}

impl Answer {
    pub fn text(content: impl Into<String>) -> Self {
        Self {
            content: content.into(),
            ..Self::default()
        }
    }

    pub fn with_card(content: impl Into<String>, card: Card) -> Self {
        Self {
            content: content.into(),
            card: Some(card),
            components: vec![],
        }
    }
}

pub type Handled = Result<Answer, CommandError>;

/// How long is left to answer interaction `id` before Discord's 3 seconds run out (less
/// the time sending takes), counted from its creation time in the snowflake, not from
/// when the bot received it: a gateway delay has already spent part of the window.
pub fn time_left(id: u64) -> Duration {
    let created = (id >> 22) as i64 + DISCORD_EPOCH_MS;
    let elapsed = (crate::store::now_millis() - created).max(0);
    let left = (ANSWER_WINDOW_MS - SEND_MARGIN_MS - elapsed).max(0);
    Duration::from_millis(left as u64)
}

/// Reads a ticket option: what autocomplete filled in (`12`) or what was typed (`#12`).
pub fn parse_ticket_id(input: &str) -> Result<TicketId, CommandError> {
    let t = input.trim().trim_start_matches('#');
    let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits
        .parse::<TicketId>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| CommandError::user(text!("error-pick-ticket")))
}

/// Sends an ephemeral answer (a followup when the command already deferred).
pub async fn answer(
    ctx: Context<'_>,
    content: &str,
    card: Option<Card>,
) -> Result<(), CommandError> {
    let mut reply = CreateReply::default()
        .ephemeral(true)
        .content(render::truncate(content, render::CONTENT_MAX));
    if let Some(card) = card {
        reply = reply.embed(card.to_embed());
    }
    let first = not_yet_answered(ctx);
    ctx.send(reply).await?;
    if first {
        command_acked(ctx);
    }
    Ok(())
}

/// Acknowledges a slash command with an ephemeral "thinking…" (its first answer).
pub async fn defer(ctx: Context<'_>) -> Result<(), CommandError> {
    let first = not_yet_answered(ctx);
    ctx.defer_ephemeral().await?;
    if first {
        command_acked(ctx);
    }
    Ok(())
}

/// Whether the slash command has had no answer yet (the next one is its acknowledgement).
pub fn not_yet_answered(ctx: Context<'_>) -> bool {
    matches!(ctx, poise::Context::Application(a)
        if !a.has_sent_initial_response.load(Ordering::SeqCst))
}

/// Times a slash command's first answer (see [`crate::metrics::Metrics::interaction_acked`]).
pub fn command_acked(ctx: Context<'_>) {
    if let poise::Context::Application(a) = ctx {
        ctx.data()
            .metrics
            .interaction_acked(InteractionKind::Command, a.interaction.id.get());
    }
}

/// Answers a slash command with a form (a modal cannot follow a deferral).
pub async fn show_modal(
    ctx: Context<'_>,
    modal: serenity::CreateModal,
) -> Result<(), CommandError> {
    let poise::Context::Application(actx) = ctx else {
        return Ok(());
    };
    actx.interaction
        .create_response(
            ctx.http(),
            serenity::CreateInteractionResponse::Modal(modal),
        )
        .await?;
    actx.has_sent_initial_response.store(true, Ordering::SeqCst);
    command_acked(ctx);
    Ok(())
}

/// The id of the slash command being answered (0 for a prefix command, which the bot
/// does not register).
pub fn interaction_id(ctx: Context<'_>) -> u64 {
    match ctx {
        poise::Context::Application(a) => a.interaction.id.get(),
        poise::Context::Prefix(_) => 0,
    }
}

/// The choice autocomplete shows when it cannot list anything because of the user's
/// link (not linked, or a link no key opens): the advice itself, instead of silence.
fn advice_choice(
    data: &Data,
    e: &CommandError,
    locale: Locale,
) -> Option<serenity::AutocompleteChoice> {
    let CommandError::User(m) = e else {
        return None;
    };
    let name = if super::links::is_unreadable(e) {
        if data.sandbox_admin.is_some() {
            Text::new(super::links::UNREADABLE_HINT_SANDBOX).render(locale)
        } else {
            Text::new(super::links::UNREADABLE_HINT).render(locale)
        }
    } else if m.key() == Some(super::links::NOT_LINKED) {
        Text::new(super::links::NOT_LINKED_HINT).render(locale)
    } else {
        render::truncate(&m.render(locale), 100)
    };
    Some(serenity::AutocompleteChoice::new(name, "help"))
}

/// The user's token for autocomplete, which has no acknowledgement to come first: read
/// from the link without maintenance writes. Only a first-time user on the sandbox is
/// linked here (to a new sandbox account); two deliveries at once then save one link
/// (`save_link_if_absent`) and may leave one unused sandbox account.
async fn autocomplete_token(
    data: &Data,
    user: &serenity::User,
) -> Result<SecretString, CommandError> {
    match super::links::linked_token(data, user).await {
        Ok((token, _)) => Ok(token),
        Err(super::links::LinkError::NotLinked) if data.sandbox_admin.is_some() => {
            Ok(data.customer_token(user).await?.0)
        }
        Err(e) => Err(e.into()),
    }
}

/// Suggests the user's own tickets: `#id · subject`, newest first, filtered by what was
/// typed. When the user's link is the problem it says so; on other trouble (API slow or
/// down) it answers an empty list in time.
pub async fn autocomplete_ticket(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let data = ctx.data();
    let user = ctx.author().clone();
    let locale = ctx.to_locale();
    let partial = partial.trim().trim_start_matches('#').to_lowercase();
    let work = async {
        let token = autocomplete_token(data, &user).await?;
        let page = data
            .client
            .list_tickets(
                &token,
                &ListTickets {
                    statuses: vec![],
                    limit: Some(100),
                    cursor: None,
                },
            )
            .await
            .map_err(read_err(None))?;
        Ok::<_, CommandError>(page.items)
    };
    let tickets = match tokio::time::timeout(AUTOCOMPLETE_BUDGET, work).await {
        Ok(Ok(t)) => t,
        Ok(Err(e)) => {
            let choices = advice_choice(data, &e, locale).into_iter().collect();
            return serenity::CreateAutocompleteResponse::new().set_choices(choices);
        }
        Err(_) => vec![],
    };
    let choices = tickets
        .into_iter()
        .filter(|t| {
            partial.is_empty()
                || t.id.to_string().starts_with(&partial)
                || t.subject.to_lowercase().contains(&partial)
        })
        .take(25)
        .map(|t| {
            let name = render::truncate(
                &format!(
                    "#{} · {} · {} · {}",
                    t.id,
                    i18n::status(t.status).render(locale),
                    i18n::topic(t.topic).render(locale),
                    t.subject
                ),
                100,
            );
            serenity::AutocompleteChoice::new(name, t.id.to_string())
        })
        .collect();
    serenity::CreateAutocompleteResponse::new().set_choices(choices)
}

/// Suggests the user's properties (≤ 25), filtered by what was typed.
pub async fn autocomplete_property(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let data = ctx.data();
    let user = ctx.author().clone();
    let locale = ctx.to_locale();
    let partial = partial.trim().to_lowercase();
    let work = async {
        let token = autocomplete_token(data, &user).await?;
        data.client.properties(&token).await.map_err(read_err(None))
    };
    let props = match tokio::time::timeout(AUTOCOMPLETE_BUDGET, work).await {
        Ok(Ok(p)) => p,
        Ok(Err(e)) => {
            let choices = advice_choice(data, &e, locale).into_iter().collect();
            return serenity::CreateAutocompleteResponse::new().set_choices(choices);
        }
        Err(_) => vec![],
    };
    let choices = props
        .into_iter()
        .filter(|p| partial.is_empty() || p.name.to_lowercase().contains(&partial))
        .filter(|p| p.id.len() <= 100)
        .take(25)
        .map(|p| serenity::AutocompleteChoice::new(render::truncate(&p.name, 100), p.id))
        .collect();
    serenity::CreateAutocompleteResponse::new().set_choices(choices)
}

/// Runs `f` while holding one of the front end's ticket API slots.
pub async fn with_api_slot<T>(data: &Data, f: impl std::future::Future<Output = T>) -> T {
    let _permit = data.api_slots.acquire().await.ok();
    f.await
}

/// One of the user's own tickets and their token. The API enforces ownership; the bot
/// checks the account again, so a confused API never shows someone else's ticket.
pub async fn own_ticket(
    data: &Data,
    user: &serenity::User,
    id: TicketId,
) -> Result<(Ticket, SecretString), CommandError> {
    let (token, link) = data.customer_token(user).await?;
    ticket_of(data, token, &link, id).await
}

/// [`own_ticket`] writing nothing, for checks before an interaction's first answer: an
/// unlinked user is not linked here (on the sandbox, where their first write makes them
/// an account, they own no ticket yet).
pub async fn own_ticket_read_only(
    data: &Data,
    user: &serenity::User,
    id: TicketId,
) -> Result<(Ticket, SecretString), CommandError> {
    let (token, link) = match super::links::linked_token(data, user).await {
        Ok(t) => t,
        Err(super::links::LinkError::NotLinked) if data.sandbox_admin.is_some() => {
            return Err(read_err(Some(id))(ApiError::NotFound));
        }
        Err(e) => return Err(e.into()),
    };
    ticket_of(data, token, &link, id).await
}

async fn ticket_of(
    data: &Data,
    token: SecretString,
    link: &crate::store::discord::LinkRecord,
    id: TicketId,
) -> Result<(Ticket, SecretString), CommandError> {
    let t = data
        .client
        .ticket(&token, id)
        .await
        .map_err(read_err(Some(id)))?;
    if t.account_id != link.account_id {
        return Err(read_err(Some(id))(ApiError::NotFound));
    }
    Ok((t, token))
}

/// The name of one of the user's properties, for cards (None if it cannot be read).
pub async fn property_name(
    data: &Data,
    token: &SecretString,
    property: Option<&str>,
) -> Option<String> {
    let pid = property?;
    let props = data.client.properties(token).await.ok()?;
    props.into_iter().find(|p| p.id == pid).map(|p| p.name)
}

/// Maps the error of a write about ticket `id` to the user's words.
pub fn api_err(id: Option<TicketId>) -> impl Fn(ApiError) -> CommandError {
    move |e| errors::from_api(e, id)
}

/// Maps the error of a read (it changed nothing) about ticket `id` to the user's words.
pub fn read_err(id: Option<TicketId>) -> impl Fn(ApiError) -> CommandError {
    move |e| errors::from_read(e, id)
}

/// A refused subject, message or reason, in the user's words.
pub fn text_error(e: crate::ticket::TextError) -> CommandError {
    use crate::ticket::TextError;
    CommandError::user(match e {
        TextError::Empty { what } => match what {
            "the subject" => text!("error-subject-empty"),
            "the reason" => text!("error-reason-empty"),
            _ => text!("error-message-empty"),
        },
        TextError::TooLong { what, len, max } => match what {
            "the subject" => text!("error-subject-too-long", length = len, max = max),
            "the reason" => text!("error-reason-too-long", length = len, max = max),
            _ => text!("error-message-too-long", length = len, max = max),
        },
    })
}

/// A text input of a submitted modal.
pub fn modal_value(data: &serenity::ModalInteractionData, field: &str) -> Option<String> {
    data.components
        .iter()
        .flat_map(|row| row.components.iter())
        .find_map(|c| match c {
            serenity::ActionRowComponent::InputText(t) if t.custom_id == field => t.value.clone(),
            _ => None,
        })
}

/// Logs a failed command or handler under a fresh reference.
pub fn log_error(error: &CommandError, reference: &str, what: &str) {
    match error {
        CommandError::User(m) => tracing::info!(%reference, what, message = %m, "user error"),
        CommandError::Unavailable { detail, outcome } => {
            tracing::warn!(%reference, what, %detail, ?outcome, "ticket API unavailable")
        }
        CommandError::Internal { detail } => {
            tracing::error!(%reference, what, %detail, "command failed")
        }
        CommandError::Duplicate => tracing::debug!(what, "interaction answered elsewhere"),
    }
}

/// Counts and logs an interaction whose first answer Discord refused with 40060: another
/// session (a second replica during a gateway handoff) got it too and answered first.
/// Its handler stops here, before any side effect, and shows nothing.
pub fn duplicate(data: &Data, kind: InteractionKind, id: u64) {
    crate::metrics::Metrics::inc(&data.metrics.interactions_duplicate);
    tracing::debug!(
        interaction = id,
        kind = kind.label(),
        "interaction already acknowledged by another session (40060); dropped"
    );
}

/// Sends `response` as the first answer to a component or modal interaction. False when
/// it failed; a 40060 (answered elsewhere) is counted by [`duplicate`], not warned about.
async fn first_response(
    ctx: &serenity::Context,
    data: &Data,
    kind: InteractionKind,
    id: serenity::InteractionId,
    token: &str,
    response: serenity::CreateInteractionResponse,
) -> bool {
    match serenity::Builder::execute(response, &ctx.http, (id, token)).await {
        Ok(()) => {
            data.metrics.interaction_acked(kind, id.get());
            true
        }
        Err(e) if errors::already_acknowledged(&e) => {
            duplicate(data, kind, id.get());
            false
        }
        Err(e) => {
            tracing::warn!(error = %e, kind = kind.label(), "could not answer an interaction");
            false
        }
    }
}

/// The first answer to a button press (a message, a form, or an update); see
/// [`first_response`].
pub async fn respond_component(
    ctx: &serenity::Context,
    data: &Data,
    c: &serenity::ComponentInteraction,
    response: serenity::CreateInteractionResponse,
) -> bool {
    first_response(
        ctx,
        data,
        InteractionKind::Component,
        c.id,
        &c.token,
        response,
    )
    .await
}

/// The edit that shows `handled` (an error as the user's words in `locale`, with *Try
/// again* when the write can be resent safely).
pub fn edit_for(handled: Handled, what: &str, locale: Locale) -> serenity::EditInteractionResponse {
    let answer = match handled {
        Ok(a) => a,
        Err(e) => {
            let reference = new_reference();
            log_error(&e, &reference, what);
            Answer {
                content: e.user_message(&reference, locale),
                card: None,
                components: e.retry_button(locale).into_iter().collect(),
            }
        }
    };
    let r = serenity::EditInteractionResponse::new()
        .content(render::truncate(&answer.content, render::CONTENT_MAX))
        .allowed_mentions(allowed_mentions_none())
        .components(answer.components);
    match answer.card {
        Some(c) => r.embeds(vec![c.to_embed()]),
        None => r.embeds(vec![]),
    }
}

/// Acknowledges a modal submit with an ephemeral "thinking…"; false if Discord refused
/// (then nothing else may happen: a 40060 means another session is handling it).
pub async fn defer_modal(
    ctx: &serenity::Context,
    data: &Data,
    m: &serenity::ModalInteraction,
) -> bool {
    let defer = serenity::CreateInteractionResponse::Defer(
        serenity::CreateInteractionResponseMessage::new().ephemeral(true),
    );
    first_response(ctx, data, InteractionKind::Modal, m.id, &m.token, defer).await
}

/// Answers a modal submit with `handled` (after [`defer_modal`]).
pub async fn finish_modal(
    ctx: &serenity::Context,
    m: &serenity::ModalInteraction,
    handled: Handled,
    what: &str,
) {
    if let Err(e) = m
        .edit_response(&ctx.http, edit_for(handled, what, m.to_locale()))
        .await
    {
        tracing::warn!(error = %e, what, "could not answer a modal submit");
    }
}

/// How a button is acknowledged.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Ack {
    /// Its own message will be edited (pages, confirmations, Try again).
    Update,
    /// A new ephemeral message will answer (a DM's buttons, whose message stays).
    NewEphemeral,
}

/// Acknowledges a button press within Discord's 3 seconds; false if Discord refused
/// (then nothing else may happen: a 40060 means another session is handling it).
pub async fn acknowledge(
    ctx: &serenity::Context,
    data: &Data,
    c: &serenity::ComponentInteraction,
    how: Ack,
) -> bool {
    let response = match how {
        Ack::Update => serenity::CreateInteractionResponse::Acknowledge,
        Ack::NewEphemeral => serenity::CreateInteractionResponse::Defer(
            serenity::CreateInteractionResponseMessage::new().ephemeral(true),
        ),
    };
    respond_component(ctx, data, c, response).await
}

/// Answers a button press with `handled` (after [`acknowledge`]).
pub async fn finish_component(
    ctx: &serenity::Context,
    c: &serenity::ComponentInteraction,
    handled: Handled,
    what: &str,
) {
    if let Err(e) = c
        .edit_response(&ctx.http, edit_for(handled, what, c.to_locale()))
        .await
    {
        tracing::warn!(error = %e, what, "could not answer a button");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticket_options_accept_ids_and_hashes_and_refuse_words() {
        assert_eq!(parse_ticket_id("12").unwrap(), 12);
        assert_eq!(parse_ticket_id(" #12 ").unwrap(), 12);
        assert_eq!(parse_ticket_id("12 · Open · cert").unwrap(), 12);
        for bad in ["", "abc", "#", "0", "-3", "99999999999999999999999", "help"] {
            assert!(parse_ticket_id(bad).is_err(), "{bad}");
        }
    }

    fn snowflake_at(unix_ms: i64) -> u64 {
        ((unix_ms - DISCORD_EPOCH_MS) as u64) << 22
    }

    #[test]
    fn the_answer_budget_counts_from_the_interactions_creation() {
        let now = crate::store::now_millis();
        let fresh = time_left(snowflake_at(now));
        assert!(fresh <= Duration::from_millis(2300), "{fresh:?}");
        assert!(fresh >= Duration::from_millis(2000), "{fresh:?}");
        // Two seconds spent on the way here leave a third of a second.
        let late = time_left(snowflake_at(now - 2000));
        assert!(late <= Duration::from_millis(300), "{late:?}");
        assert_eq!(time_left(snowflake_at(now - 5000)), Duration::ZERO);
        // Nonsense ids (0, the far future) never panic and never exceed the window.
        assert_eq!(time_left(0), Duration::ZERO);
        assert!(time_left(u64::MAX) <= Duration::from_millis(2300));
    }
}

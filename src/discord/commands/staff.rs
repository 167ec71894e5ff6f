//! The staff desk: the buttons on a single-ticket staff notice — *View* (the ticket's card,
//! for the presser only), *Start* (→ In Progress), *Resolve* (→ Resolved) and *Reply* (a
//! form; the text goes to the customer as a staff reply).
//!
//! Who is staff is checked here on every press and submit, from the member's roles in the
//! interaction (`staff.role_ids`), never left to Discord's permissions; everyone else gets
//! a private refusal and nothing changes. Staff act with the bot's integration token.
//! The API decides: Start and Resolve send the status the notice showed as
//! `expectedStatus` (where announced; elsewhere the ticket is read first), so a stale
//! press is answered "already Resolved", naming who did it when the bot recorded it.
//! The notice itself is edited by the notification pipeline when the change's event
//! comes, like any later event of the ticket.

use std::time::Duration;

use poise::serenity_prelude as serenity;
use secrecy::SecretString;

use crate::client::ApiError;
use crate::discord::common::{
    acknowledge, finish_component, modal_value, respond_component, text_error, time_left,
    with_api_slot, Ack, Answer, Handled,
};
use crate::discord::errors::{self, CommandError};
use crate::discord::ids::CustomId;
use crate::discord::render;
use crate::discord::Data;
use crate::i18n::{self, Locale, LocaleSource, Text};
use crate::metrics::StaffOutcome;
use crate::store::staff::{Action, Outcome};
use crate::ticket::api::{capability, Ticket, TicketId};
use crate::ticket::{self, Status};
use crate::{text, tr};

/// The Closed check before the reply form never waits longer than this.
const PRECHECK_MAX: Duration = Duration::from_millis(1500);

/// A member of the guild holding one of the staff roles. From a DM: never.
fn is_staff(
    data: &Data,
    guild: Option<serenity::GuildId>,
    member: Option<&serenity::Member>,
) -> bool {
    guild.is_some()
        && !data.staff_roles.is_empty()
        && member.is_some_and(|m| m.roles.iter().any(|r| data.staff_roles.contains(&r.get())))
}

/// The name the customer sees on a staff reply: the member's nickname, else their display
/// name, else their user name.
fn display_name(user: &serenity::User, member: Option<&serenity::Member>) -> String {
    member
        .and_then(|m| m.nick.clone())
        .or_else(|| user.global_name.clone())
        .unwrap_or_else(|| user.name.clone())
}

/// Logs (`target: "audit"`) and counts one staff action.
fn audit(
    data: &Data,
    user: &serenity::User,
    ticket: TicketId,
    action: &str,
    outcome: StaffOutcome,
) {
    data.metrics.staff_action(action, outcome);
    tracing::info!(
        target: "audit",
        user = user.id.get(),
        user_name = %user.name,
        ticket,
        action,
        outcome = outcome.label(),
        "staff action"
    );
}

/// Answers a press privately, as its first answer.
async fn refuse(
    ctx: &serenity::Context,
    data: &Data,
    c: &serenity::ComponentInteraction,
    text: &str,
) -> bool {
    let msg = serenity::CreateInteractionResponseMessage::new()
        .ephemeral(true)
        .content(text)
        .allowed_mentions(crate::discord::allowed_mentions_none());
    respond_component(
        ctx,
        data,
        c,
        serenity::CreateInteractionResponse::Message(msg),
    )
    .await
}

/// The staff check for a press: refuses (and audits) non-staff. True when staff.
async fn staff_only(
    ctx: &serenity::Context,
    data: &Data,
    c: &serenity::ComponentInteraction,
    ticket: TicketId,
    action: &str,
) -> bool {
    if is_staff(data, c.guild_id, c.member.as_ref()) {
        return true;
    }
    // Audited once: a second delivery stops at its answer (40060).
    if refuse(ctx, data, c, &tr!(c, "staff-not-staff")).await {
        audit(data, &c.user, ticket, action, StaffOutcome::Refused);
    }
    false
}

/// The bot's integration token, or the refusal to show.
fn token(data: &Data) -> Result<&SecretString, CommandError> {
    data.integration_token
        .as_ref()
        .ok_or_else(|| CommandError::user(text!("staff-not-configured")))
}

/// An API error of a staff action in the staff's words: a refused token or a missing
/// scope is an operator's matter, said plainly (notifications are not paused by it).
fn staff_error(id: TicketId, scope: &str) -> impl Fn(ApiError) -> CommandError + '_ {
    move |e| match e {
        ApiError::Unauthorized => CommandError::user(text!("staff-token-refused")),
        ApiError::Forbidden { .. } => {
            CommandError::user(text!("staff-missing-scope", scope = scope))
        }
        ApiError::NotFound => CommandError::user(text!("staff-no-ticket", ticket_id = id)),
        ApiError::TicketClosed => CommandError::user(text!("staff-closed", ticket_id = id)),
        other => errors::from_api(other, Some(id)),
    }
}

/// *View*: the ticket's card with its last messages, for the presser only.
pub async fn view(
    ctx: &serenity::Context,
    data: &Data,
    c: &serenity::ComponentInteraction,
    id: TicketId,
) {
    if !staff_only(ctx, data, c, id, "view").await {
        return;
    }
    if !acknowledge(ctx, data, c, Ack::NewEphemeral).await {
        return;
    }
    let handled = async {
        let token = token(data)?;
        let read = |e| staff_error(id, ticket::api::scope::TICKETS_READ)(e);
        let t = with_api_slot(data, data.client.ticket(token, id))
            .await
            .map_err(read)?;
        let messages = with_api_slot(data, data.client.messages(token, id))
            .await
            .map_err(read)?;
        let locale = c.to_locale();
        let mut card = render::ticket_card(&t, None, &messages, locale);
        // "Next" speaks to the customer.
        let next = tr!(locale, "card-next");
        card.fields.retain(|f| f.0 != next);
        Ok(Answer::with_card(String::new(), card))
    }
    .await;
    let outcome = if handled.is_ok() {
        StaffOutcome::Done
    } else {
        StaffOutcome::Failed
    };
    audit(data, &c.user, id, "view", outcome);
    finish_component(ctx, c, handled, "staff view").await;
}

/// *Start* (→ In Progress) or *Resolve* (→ Resolved) from a notice that showed `seen`.
pub async fn set_status(
    ctx: &serenity::Context,
    data: &Data,
    c: &serenity::ComponentInteraction,
    id: TicketId,
    seen: Status,
    target: Status,
) {
    let action = if target == Status::Resolved {
        Action::Resolve
    } else {
        Action::Start
    };
    if !staff_only(ctx, data, c, id, action.as_str()).await {
        return;
    }
    if !acknowledge(ctx, data, c, Ack::NewEphemeral).await {
        return;
    }
    let locale = c.to_locale();
    let changed = change_status(data, &c.user, id, seen, target, action, locale).await;
    let (handled, outcome) = match changed {
        Ok((answer, outcome)) => (Ok(answer), outcome),
        Err(e) => (Err(e), StaffOutcome::Failed),
    };
    audit(data, &c.user, id, action.as_str(), outcome);
    finish_component(ctx, c, handled, "staff status").await;
}

/// What the API decided about a status change, as the staff member's answer.
async fn change_status(
    data: &Data,
    user: &serenity::User,
    id: TicketId,
    seen: Status,
    target: Status,
    action: Action,
    locale: Locale,
) -> Result<(Answer, StaffOutcome), CommandError> {
    let token = token(data)?;
    let scope = ticket::api::scope::TICKETS_STATUS;
    let expected = data.announces(capability::EXPECTED_STATUS).await;
    if !expected {
        // No expectedStatus: read first, and never change what moved on since the notice.
        let now = with_api_slot(data, data.client.ticket(token, id))
            .await
            .map_err(staff_error(id, ticket::api::scope::TICKETS_READ))?;
        if now.status != seen {
            let answer = stale(data, &now, target, locale).await;
            return Ok((answer, StaffOutcome::Stale));
        }
    }
    let staff = data.store.staff();
    let recorded = staff
        .begin_action(
            &data.backend,
            id,
            action,
            user.id.get(),
            &user.name,
            Some(target),
        )
        .await?;
    let result = with_api_slot(
        data,
        data.client
            .set_status(token, id, target, expected.then_some(seen)),
    )
    .await;
    let finished = |o| async move {
        if let Err(e) = data.store.staff().finish_action(recorded, o).await {
            tracing::warn!(error = %e, ticket = id, "could not record how a staff action ended");
        }
    };
    match result {
        Ok(t) => {
            finished(Outcome::Done).await;
            let done = tr!(
                locale,
                "staff-done",
                ticket_id = id,
                status = i18n::status(t.status)
            );
            Ok((Answer::text(done), StaffOutcome::Done))
        }
        Err(ApiError::StatusChanged { ticket }) => {
            finished(Outcome::NotDone).await;
            let answer = stale(data, &ticket, target, locale).await;
            Ok((answer, StaffOutcome::Stale))
        }
        Err(e) => {
            finished(Outcome::NotDone).await;
            Err(staff_error(id, scope)(e))
        }
    }
}

/// The answer to a press the ticket has moved past, in `locale`: what it is now, and who
/// did it when the bot recorded it. Never an error.
async fn stale(data: &Data, now: &Ticket, target: Status, locale: Locale) -> Answer {
    let id = now.id;
    if now.status == Status::Closed {
        return Answer::text(tr!(locale, "staff-closed", ticket_id = id));
    }
    let who = match data
        .store
        .staff()
        .last_action(&data.backend, id, Some(now.status))
        .await
    {
        Ok(a) => a.map(|a| (render::user_text(&a.user_name, 80), a.at / 1000)),
        Err(e) => {
            tracing::warn!(error = %e, ticket = id, "could not read who acted on a ticket");
            None
        }
    };
    Answer::text(stale_text(id, now.status, target, who).render(locale))
}

/// "Already Resolved" when the ticket reached `target` anyway, else "changed since"; with
/// who acted (an inert name) and when (Unix seconds) if the bot recorded it.
fn stale_text(id: TicketId, now: Status, target: Status, who: Option<(String, i64)>) -> Text {
    let status = i18n::status(now);
    let already = now == target;
    match who {
        Some((name, unix)) => {
            let when = format!("<t:{unix}:R>");
            if already {
                text!(
                    "staff-already-by",
                    ticket_id = id,
                    status = status,
                    name = name,
                    when = when
                )
            } else {
                text!(
                    "staff-moved-on-by",
                    ticket_id = id,
                    status = status,
                    name = name,
                    when = when
                )
            }
        }
        None if already => text!("staff-already", ticket_id = id, status = status),
        None => text!("staff-moved-on", ticket_id = id, status = status),
    }
}

/// *Reply*: the staff reply form, after checking the ticket is not Closed (when the API
/// answers in time: the form must come within Discord's 3 seconds).
pub async fn reply_button(
    ctx: &serenity::Context,
    data: &Data,
    c: &serenity::ComponentInteraction,
    id: TicketId,
) {
    if !staff_only(ctx, data, c, id, "reply").await {
        return;
    }
    let locale = c.to_locale();
    let token = match token(data) {
        Ok(t) => t,
        Err(e) => {
            refuse(
                ctx,
                data,
                c,
                &e.user_message(&errors::new_reference(), locale),
            )
            .await;
            return;
        }
    };
    let budget = time_left(c.id.get()).min(PRECHECK_MAX);
    let checked = tokio::time::timeout(budget, data.client.ticket(token, id)).await;
    let refusal = match checked {
        Ok(Ok(t)) if t.status == Status::Closed => {
            Some(tr!(locale, "staff-closed", ticket_id = id))
        }
        Ok(Err(e @ (ApiError::NotFound | ApiError::Unauthorized | ApiError::Forbidden { .. }))) => {
            Some(staff_error(id, ticket::api::scope::TICKETS_READ)(e).user_message("", locale))
        }
        // Slow or failing: the form opens and the submit decides.
        _ => None,
    };
    if let Some(text) = refusal {
        if refuse(ctx, data, c, &text).await {
            audit(data, &c.user, id, "reply", StaffOutcome::Refused);
        }
        return;
    }
    let Some(custom_id) = (CustomId::StaffReplyModal {
        ticket: id,
        origin: c.id.get(),
    })
    .encode() else {
        return;
    };
    let modal = reply_modal(custom_id, id, locale);
    respond_component(
        ctx,
        data,
        c,
        serenity::CreateInteractionResponse::Modal(modal),
    )
    .await;
}

/// The staff reply form in `locale` (Discord: title and label 45 characters, placeholder
/// 100, in every language).
fn reply_modal(custom_id: String, id: TicketId, locale: Locale) -> serenity::CreateModal {
    let body = serenity::CreateInputText::new(
        serenity::InputTextStyle::Paragraph,
        render::truncate(&tr!(locale, "staff-reply-label"), 45),
        "body",
    )
    .min_length(1)
    .max_length(render::MODAL_DESCRIPTION_MAX)
    .placeholder(render::truncate(
        &tr!(locale, "staff-reply-placeholder"),
        100,
    ))
    .required(true);
    let title = tr!(locale, "staff-reply-title", ticket_id = id);
    serenity::CreateModal::new(custom_id, render::truncate(&title, 45))
        .components(vec![serenity::CreateActionRow::InputText(body)])
}

/// The staff reply form was submitted: staff checked again, then the reply goes to the
/// customer as a staff message, with the presser's display name where the API announces
/// `messages.staff_name`, and the form's origin as idempotency key where announced.
pub async fn reply_submit(
    data: &Data,
    m: &serenity::ModalInteraction,
    id: TicketId,
    origin: u64,
) -> Handled {
    if !is_staff(data, m.guild_id, m.member.as_ref()) {
        audit(data, &m.user, id, "reply", StaffOutcome::Refused);
        return Err(CommandError::user(text!("staff-not-staff")));
    }
    let body = modal_value(&m.data, "body").unwrap_or_default();
    ticket::validate_message(&body).map_err(text_error)?;
    let token = token(data)?;
    let name = display_name(&m.user, m.member.as_ref());
    let named = data.announces(capability::STAFF_NAME).await;
    let keyed = data.announces(capability::IDEMPOTENT_WRITES).await;
    let key = keyed.then(|| format!("discord-staff-reply-{origin}"));
    let staff = data.store.staff();
    let recorded = staff
        .begin_action(
            &data.backend,
            id,
            Action::Reply,
            m.user.id.get(),
            &m.user.name,
            None,
        )
        .await?;
    let result = with_api_slot(
        data,
        data.client.reply_as_staff(
            token,
            id,
            &body,
            named.then_some(name.as_str()),
            key.as_deref(),
        ),
    )
    .await;
    let outcome = if result.is_ok() {
        Outcome::Done
    } else {
        Outcome::NotDone
    };
    if let Err(e) = staff.finish_action(recorded, outcome).await {
        tracing::warn!(error = %e, ticket = id, "could not record how a staff reply ended");
    }
    let audited = if result.is_ok() {
        StaffOutcome::Done
    } else {
        StaffOutcome::Failed
    };
    audit(data, &m.user, id, "reply", audited);
    result.map_err(staff_error(id, ticket::api::scope::TICKETS_WRITE))?;
    Ok(Answer::text(tr!(m, "staff-replied", ticket_id = id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_answers_name_the_status_and_who() {
        let who = Some(("alice".to_string(), 1_700_000_000));
        let a = stale_text(5, Status::Resolved, Status::Resolved, who).render(Locale::EN_US);
        assert!(
            a.contains("already **Resolved** (by alice, <t:1700000000:R>)"),
            "{a}"
        );
        assert!(a.contains("Nothing was changed"), "{a}");
        let m = stale_text(5, Status::InProgress, Status::Resolved, None).render(Locale::EN_US);
        assert!(m.contains("**In Progress** now."), "{m}");
        // In the presser's language, with the status named as everywhere else in it.
        let de = Locale::from_discord("de");
        let d = stale_text(5, Status::Resolved, Status::Resolved, None).render(de);
        assert!(
            d.contains(&i18n::status(Status::Resolved).render(de)),
            "{d}"
        );
        assert!(!d.contains("Nothing was changed"), "{d}");
    }

    #[test]
    fn a_refused_token_or_a_missing_scope_is_said_plainly_and_changes_nothing() {
        let scope = ticket::api::scope::TICKETS_STATUS;
        let forbidden = staff_error(5, scope)(ApiError::Forbidden {
            message: "missing scope".into(),
        });
        let text = forbidden.user_message("ref", Locale::EN_US);
        assert!(text.contains("lacks the `tickets:status` scope"), "{text}");
        assert!(text.contains("Nothing was changed"), "{text}");
        let refused =
            staff_error(5, scope)(ApiError::Unauthorized).user_message("ref", Locale::EN_US);
        assert!(
            refused.contains("refuses the bot's PARADARUM_API_TOKEN"),
            "{refused}"
        );
        let closed =
            staff_error(5, scope)(ApiError::TicketClosed).user_message("ref", Locale::EN_US);
        assert!(closed.contains("#5 is Closed"), "{closed}");
    }
}

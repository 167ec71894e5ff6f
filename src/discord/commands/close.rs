//! Closing asks first, wherever it starts: `/ticket close`, or a *Close ticket* button
//! (`t:close:N`, under DMs already delivered too) answer with a confirmation whose own
//! *Close ticket* (`t:closeok:N`) closes. Every step checks that the presser owns the
//! ticket. With `tickets.idempotent_writes` announced the close carries the confirming
//! press's id as its idempotency key, so an unknown outcome offers *Try again*.

use poise::serenity_prelude as serenity;
use poise::CreateReply;

use crate::discord::common::{
    acknowledge, answer, api_err, autocomplete_ticket, defer, finish_component, own_ticket,
    parse_ticket_id, respond_component, with_api_slot, Ack, Answer, Handled,
};
use crate::discord::ids::CustomId;
use crate::discord::render;
use crate::discord::{allowed_mentions_none, CommandError, Context, Data};
use crate::i18n::{Locale, LocaleSource};
use crate::store::kept::Submission;
use crate::ticket;
use crate::ticket::api::{capability, Ticket, TicketId};
use crate::tr;

/// Close one of your tickets (final: a Closed ticket takes no more messages)
#[poise::command(slash_command, rename = "close")]
pub async fn close(
    ctx: Context<'_>,
    #[description = "One of your tickets"]
    #[autocomplete = "autocomplete_ticket"]
    ticket: String,
) -> Result<(), CommandError> {
    let id = parse_ticket_id(&ticket)?;
    defer(ctx).await?;
    let data = ctx.data();
    let (t, _) = with_api_slot(data, own_ticket(data, ctx.author(), id)).await?;
    if ticket::check_close(t.status).is_err() {
        return answer(ctx, &tr!(ctx, "close-already", ticket_id = id), None).await;
    }
    let locale = ctx.to_locale();
    ctx.send(
        CreateReply::default()
            .ephemeral(true)
            .embed(render::close_confirmation(&t, locale).to_embed())
            .components(confirm_buttons(id, locale)),
    )
    .await?;
    Ok(())
}

/// The confirmation's buttons.
pub fn confirm_buttons(id: TicketId, locale: Locale) -> Vec<serenity::CreateActionRow> {
    let (Some(close), Some(keep)) = (
        CustomId::CloseConfirm(id).encode(),
        CustomId::KeepOpen(id).encode(),
    ) else {
        return vec![];
    };
    vec![serenity::CreateActionRow::Buttons(vec![
        serenity::CreateButton::new(close)
            .label(tr!(locale, "close-button-confirm"))
            .style(serenity::ButtonStyle::Danger),
        serenity::CreateButton::new(keep)
            .label(tr!(locale, "close-button-keep"))
            .style(serenity::ButtonStyle::Secondary),
    ])]
}

/// A *Close ticket* button outside a confirmation (a DM's): answers with the
/// confirmation, in a message of its own only the presser sees.
pub async fn ask(
    ctx: &serenity::Context,
    data: &Data,
    c: &serenity::ComponentInteraction,
    id: TicketId,
) {
    if !acknowledge(ctx, data, c, Ack::NewEphemeral).await {
        return;
    }
    let handled = async {
        let (t, _) = with_api_slot(data, own_ticket(data, &c.user, id)).await?;
        if ticket::check_close(t.status).is_err() {
            return Ok(Answer::text(tr!(c, "close-already", ticket_id = id)));
        }
        Ok(Answer {
            content: String::new(),
            card: Some(render::close_confirmation(&t, c.to_locale())),
            components: confirm_buttons(id, c.to_locale()),
        })
    }
    .await;
    finish_component(ctx, c, handled, "close button").await;
}

/// The confirmation's *Close ticket*.
pub async fn confirm(
    ctx: &serenity::Context,
    data: &Data,
    c: &serenity::ComponentInteraction,
    id: TicketId,
) {
    if !acknowledge(ctx, data, c, Ack::Update).await {
        return;
    }
    let origin = c.id.get();
    let keyed = data.announces(capability::IDEMPOTENT_WRITES).await;
    let key = keyed.then(|| idempotency_key(origin));
    let result = perform(data, &c.user, id, key.as_deref(), c.to_locale()).await;
    let handled = match key {
        Some(key) => {
            let submission = Submission::Close { ticket: id };
            super::retry::keep_if_unknown(data, origin, c.user.id.get(), &key, submission, result)
                .await
        }
        None => result,
    };
    finish_component(ctx, c, handled, "close confirmation").await;
}

/// The close's idempotency key: the confirming press.
pub fn idempotency_key(origin: u64) -> String {
    format!("discord-close-{origin}")
}

/// Closes the user's ticket (also what *Try again* resends), ownership checked first.
pub async fn perform(
    data: &Data,
    user: &serenity::User,
    id: TicketId,
    key: Option<&str>,
    locale: Locale,
) -> Handled {
    let closed: Ticket = with_api_slot(data, async {
        let (_, token) = own_ticket(data, user, id).await?;
        // With a key, a repeat of a close that went through answers its first result;
        // otherwise a Closed ticket is refused by the API ("Closed is final").
        data.client
            .close(&token, id, key)
            .await
            .map_err(api_err(Some(id)))
    })
    .await?;
    tracing::info!(ticket = id, "ticket closed from Discord");
    Ok(Answer::with_card(
        tr!(locale, "close-closed", ticket_id = id),
        render::ticket_card(&closed, None, &[], locale),
    ))
}

/// *Keep open*: nothing changes; the confirmation says so.
pub async fn keep(
    ctx: &serenity::Context,
    data: &Data,
    c: &serenity::ComponentInteraction,
    id: TicketId,
) {
    let msg = serenity::CreateInteractionResponseMessage::new()
        .content(tr!(c, "close-kept", ticket_id = id))
        .embeds(vec![])
        .components(vec![])
        .allowed_mentions(allowed_mentions_none());
    let r = serenity::CreateInteractionResponse::UpdateMessage(msg);
    respond_component(ctx, data, c, r).await;
}

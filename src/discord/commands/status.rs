//! `/ticket status ticket` → the ticket card: status and its meaning, last update, the last
//! messages.

use poise::serenity_prelude as serenity;

use crate::discord::common::{
    answer, autocomplete_ticket, defer, own_ticket, parse_ticket_id, property_name, read_err,
    with_api_slot,
};
use crate::discord::render;
use crate::discord::{CommandError, Context, Data};
use crate::i18n::{Locale, LocaleSource};
use crate::ticket::api::TicketId;

/// Show a ticket's status, what it means, and its latest messages
#[poise::command(slash_command, rename = "status")]
pub async fn status(
    ctx: Context<'_>,
    #[description = "One of your tickets"]
    #[autocomplete = "autocomplete_ticket"]
    ticket: String,
) -> Result<(), CommandError> {
    let id = parse_ticket_id(&ticket)?;
    defer(ctx).await?;
    let card = ticket_card(ctx.data(), ctx.author(), id, ctx.to_locale()).await?;
    answer(ctx, "", Some(card)).await
}

/// Loads a ticket of the user's (ownership checked by the API and again here) as a card.
pub async fn ticket_card(
    data: &Data,
    user: &serenity::User,
    id: TicketId,
    locale: Locale,
) -> Result<render::Card, CommandError> {
    with_api_slot(data, async {
        let (ticket, token) = own_ticket(data, user, id).await?;
        let messages = data
            .client
            .messages(&token, id)
            .await
            .map_err(read_err(Some(id)))?;
        let property = property_name(data, &token, ticket.property_id.as_deref()).await;
        Ok(render::ticket_card(
            &ticket,
            property.as_deref(),
            &messages,
            locale,
        ))
    })
    .await
}

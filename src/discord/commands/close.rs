//! `/ticket close ticket` → a confirmation with Close / Keep open buttons (handled in
//! `interactions`, so they work after a restart).

use poise::serenity_prelude as serenity;
use poise::CreateReply;

use super::{answer, autocomplete_ticket, own_ticket, parse_ticket_id, with_api_slot};
use crate::discord::ids::CustomId;
use crate::discord::render;
use crate::discord::{CommandError, Context};
use crate::ticket::{self, api::TicketId};

/// Close one of your tickets (final: a Closed ticket takes no more messages)
#[poise::command(slash_command, rename = "close")]
pub async fn close(
    ctx: Context<'_>,
    #[description = "One of your tickets"]
    #[autocomplete = "autocomplete_ticket"]
    ticket: String,
) -> Result<(), CommandError> {
    let id = parse_ticket_id(&ticket)?;
    ctx.defer_ephemeral().await?;
    let data = ctx.data();
    let (t, _) = with_api_slot(data, own_ticket(data, ctx.author(), id)).await?;
    if ticket::check_close(t.status).is_err() {
        return answer(ctx, &format!("Ticket #{id} is already Closed."), None).await;
    }
    ctx.send(
        CreateReply::default()
            .ephemeral(true)
            .embed(render::close_confirmation(&t).to_embed())
            .components(confirm_buttons(id)),
    )
    .await?;
    Ok(())
}

pub fn confirm_buttons(id: TicketId) -> Vec<serenity::CreateActionRow> {
    let (Some(close), Some(keep)) = (
        CustomId::Close(id).encode(),
        CustomId::KeepOpen(id).encode(),
    ) else {
        return vec![];
    };
    vec![serenity::CreateActionRow::Buttons(vec![
        serenity::CreateButton::new(close)
            .label("Close ticket")
            .style(serenity::ButtonStyle::Danger),
        serenity::CreateButton::new(keep)
            .label("Keep open")
            .style(serenity::ButtonStyle::Secondary),
    ])]
}

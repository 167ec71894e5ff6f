//! *Read all* under a staff reply's DM whose words did not fit one embed: the whole message
//! in pages only the presser sees (`t:readall:T:M` opens page 1 in a new ephemeral message,
//! `t:readpage:T:M:P` turns pages in place). Every press reads the message afresh with
//! the presser's own linked token, after checking they own the ticket, as the DM's other
//! buttons do: nothing of the message is kept in the bot.

use poise::serenity_prelude as serenity;

use crate::discord::common::{
    acknowledge, finish_component, own_ticket_read_only, read_err, with_api_slot, Ack, Answer,
    Handled,
};
use crate::discord::ids::CustomId;
use crate::discord::render;
use crate::discord::{CommandError, Data};
use crate::ticket::api::{MessageId, TicketId};

// What the pages say, in one place.
const NO_SUCH_MESSAGE: &str = "That reply is no longer on the ticket.";
const PREVIOUS: &str = "Previous page";
const NEXT: &str = "Next page";

/// The DM's *Read all*: page 1, in a new message only the presser sees.
pub async fn button(
    ctx: &serenity::Context,
    data: &Data,
    c: &serenity::ComponentInteraction,
    ticket: TicketId,
    message: MessageId,
) {
    if !acknowledge(ctx, data, c, Ack::NewEphemeral).await {
        return;
    }
    let handled = page(data, &c.user, ticket, message, 1).await;
    finish_component(ctx, c, handled, "read all").await;
}

/// *Previous page* / *Next page*: edits the page in place.
pub async fn page_button(
    ctx: &serenity::Context,
    data: &Data,
    c: &serenity::ComponentInteraction,
    ticket: TicketId,
    message: MessageId,
    page_number: u32,
) {
    if !acknowledge(ctx, data, c, Ack::Update).await {
        return;
    }
    let handled = page(data, &c.user, ticket, message, page_number).await;
    finish_component(ctx, c, handled, "read all page").await;
}

/// Page `number` (1-based; past the end shows the last) of one message of the user's own
/// ticket, with its page buttons.
async fn page(
    data: &Data,
    user: &serenity::User,
    ticket: TicketId,
    message: MessageId,
    number: u32,
) -> Handled {
    let (t, m) = with_api_slot(data, async {
        // The API enforces ownership, and the bot checks the account again.
        let (t, token) = own_ticket_read_only(data, user, ticket).await?;
        let messages = data
            .client
            .messages(&token, ticket)
            .await
            .map_err(read_err(Some(ticket)))?;
        let m = messages
            .into_iter()
            .find(|m| m.id == message)
            .ok_or_else(|| CommandError::user(NO_SUCH_MESSAGE))?;
        Ok::<_, CommandError>((t, m))
    })
    .await?;
    let pages = render::reply_pages(&m.body);
    let count = pages.len().max(1);
    let number = (number as usize).clamp(1, count);
    let mut buttons = Vec::new();
    let mut button = |to: usize, label: &str| {
        let id = CustomId::ReadPage {
            ticket,
            message,
            page: u32::try_from(to).unwrap_or(u32::MAX),
        };
        if let Some(id) = id.encode() {
            buttons.push(
                serenity::CreateButton::new(id)
                    .label(label)
                    .style(serenity::ButtonStyle::Secondary),
            );
        }
    };
    if number > 1 {
        button(number - 1, PREVIOUS);
    }
    if number < count {
        button(number + 1, NEXT);
    }
    Ok(Answer {
        content: String::new(),
        card: Some(render::read_page_card(&t, &m, number, &pages)),
        components: if buttons.is_empty() {
            vec![]
        } else {
            vec![serenity::CreateActionRow::Buttons(buttons)]
        },
    })
}

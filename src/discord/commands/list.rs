//! `/ticket list [status]` → the user's tickets, newest first, ten a page, with buttons.

use poise::serenity_prelude as serenity;
use poise::CreateReply;

use super::StatusChoice;
use crate::client::ListTickets;
use crate::discord::common::{
    acknowledge, defer, finish_component, read_err, with_api_slot, Ack, Answer,
};
use crate::discord::ids::CustomId;
use crate::discord::render::{self, Card};
use crate::discord::{CommandError, Context, Data};
use crate::i18n::{Locale, LocaleSource};
use crate::ticket::Status;
use crate::tr;

const PAGE_SIZE: u32 = 10;

/// List your tickets, newest first
#[poise::command(slash_command, rename = "list")]
pub async fn list(
    ctx: Context<'_>,
    #[description = "Only tickets with this status"] status: Option<StatusChoice>,
) -> Result<(), CommandError> {
    defer(ctx).await?;
    let status = status.map(StatusChoice::status);
    let (card, rows) =
        list_page(ctx.data(), ctx.author(), status, 1, None, ctx.to_locale()).await?;
    ctx.send(
        CreateReply::default()
            .ephemeral(true)
            .embed(card.to_embed())
            .components(rows),
    )
    .await?;
    Ok(())
}

/// One page of the list and its buttons (Next, and First when past page one).
pub async fn list_page(
    data: &Data,
    user: &serenity::User,
    status: Option<Status>,
    page: u32,
    cursor: Option<String>,
    locale: Locale,
) -> Result<(Card, Vec<serenity::CreateActionRow>), CommandError> {
    let page_data = with_api_slot(data, async {
        let (token, _) = data.customer_token(user).await?;
        data.client
            .list_tickets(
                &token,
                &ListTickets {
                    statuses: status.into_iter().collect(),
                    limit: Some(PAGE_SIZE),
                    cursor,
                },
            )
            .await
            .map_err(read_err(None))
    })
    .await?;
    let card = render::ticket_list(&page_data.items, status, page, locale);
    let mut buttons = Vec::new();
    if page > 1 {
        if let Some(id) = (CustomId::ListPage {
            status,
            page: 1,
            cursor: String::new(),
        })
        .encode()
        {
            buttons.push(
                serenity::CreateButton::new(id)
                    .label(tr!(locale, "list-first-page"))
                    .style(serenity::ButtonStyle::Secondary),
            );
        }
    }
    // A cursor too long for a custom id simply ends the paging at this page.
    if let Some(id) = page_data.next_cursor.and_then(|cursor| {
        CustomId::ListPage {
            status,
            page: page + 1,
            cursor,
        }
        .encode()
    }) {
        buttons.push(
            serenity::CreateButton::new(id)
                .label(tr!(locale, "list-next-page"))
                .style(serenity::ButtonStyle::Primary),
        );
    }
    let rows = if buttons.is_empty() {
        vec![]
    } else {
        vec![serenity::CreateActionRow::Buttons(buttons)]
    };
    Ok((card, rows))
}

/// *Next page* / *First page*: edits the list in place.
pub async fn page_button(
    ctx: &serenity::Context,
    data: &Data,
    c: &serenity::ComponentInteraction,
    status: Option<Status>,
    page: u32,
    cursor: String,
) {
    if !acknowledge(ctx, data, c, Ack::Update).await {
        return;
    }
    let cursor = (!cursor.is_empty()).then_some(cursor);
    let handled = list_page(data, &c.user, status, page, cursor, c.to_locale())
        .await
        .map(|(card, components)| Answer {
            content: String::new(),
            card: Some(card),
            components,
        });
    finish_component(ctx, c, handled, "list page").await;
}

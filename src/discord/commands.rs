//! `/ticket` and its subcommands, one file per feature, plus what they share: the topic
//! and status choices, ticket and property autocomplete, and ephemeral replies.

mod close;
pub mod escalate;
mod link;
mod list;
mod open;
pub mod reply;
mod sandbox_admin;
mod status;

use std::time::Duration;

use poise::serenity_prelude as serenity;
use poise::CreateReply;

use super::errors::{self, CommandError};
use super::render::{self, Card};
use super::{Context, Data};
use crate::client::ListTickets;
use crate::ticket::api::TicketId;
use crate::ticket::{Status, Topic};

pub use list::list_page;
pub use sandbox_admin::sandbox;

/// Autocomplete must answer within Discord's 3 seconds and cannot be deferred.
const AUTOCOMPLETE_BUDGET: Duration = Duration::from_millis(2000);

/// Open, follow, reply to and close your Paradarum support tickets
#[poise::command(
    slash_command,
    subcommands(
        "open::open",
        "status::status",
        "list::list",
        "reply::reply",
        "close::close",
        "link::link",
        "link::unlink",
        "escalate::escalate"
    ),
    subcommand_required
)]
pub async fn ticket(_: Context<'_>) -> Result<(), CommandError> {
    Ok(())
}

/// The six topics, exactly the panel's labels in API order; the index is the API value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, poise::ChoiceParameter)]
pub enum TopicChoice {
    #[name = "General"]
    General,
    #[name = "Networking"]
    Networking,
    #[name = "Rules"]
    Rules,
    #[name = "Billing"]
    Billing,
    #[name = "SSL / Certificates"]
    Ssl,
    #[name = "Performance"]
    Performance,
}

impl TopicChoice {
    pub fn topic(self) -> Topic {
        match self {
            TopicChoice::General => Topic::General,
            TopicChoice::Networking => Topic::Networking,
            TopicChoice::Rules => Topic::Rules,
            TopicChoice::Billing => Topic::Billing,
            TopicChoice::Ssl => Topic::Ssl,
            TopicChoice::Performance => Topic::Performance,
        }
    }
}

/// The four statuses, labels as in the panel; the index is the API value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, poise::ChoiceParameter)]
pub enum StatusChoice {
    #[name = "Open"]
    Open,
    #[name = "In Progress"]
    InProgress,
    #[name = "Resolved"]
    Resolved,
    #[name = "Closed"]
    Closed,
}

impl StatusChoice {
    pub fn status(self) -> Status {
        match self {
            StatusChoice::Open => Status::Open,
            StatusChoice::InProgress => Status::InProgress,
            StatusChoice::Resolved => Status::Resolved,
            StatusChoice::Closed => Status::Closed,
        }
    }
}

/// Reads a ticket option: what autocomplete filled in (`12`) or what was typed (`#12`).
pub fn parse_ticket_id(input: &str) -> Result<TicketId, CommandError> {
    let t = input.trim().trim_start_matches('#');
    let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits
        .parse::<TicketId>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| {
            CommandError::user(
                "Pick a ticket from the list, or type its number (like `12`). `/ticket list` \
                 shows your tickets.",
            )
        })
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
    ctx.send(reply).await?;
    Ok(())
}

/// Suggests the user's own tickets: `#id · subject`, newest first, filtered by what was
/// typed. On any trouble (not linked, API slow or down) it answers an empty list in time.
pub async fn autocomplete_ticket(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let data = ctx.data();
    let user = ctx.author().clone();
    let partial = partial.trim().trim_start_matches('#').to_lowercase();
    let work = async {
        let (token, _) = data.customer_token(&user).await.ok()?;
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
            .ok()?;
        Some(page.items)
    };
    let tickets = tokio::time::timeout(AUTOCOMPLETE_BUDGET, work)
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
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
                    t.status.label(),
                    t.topic.label(),
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
    let partial = partial.trim().to_lowercase();
    let work = async {
        let (token, _) = data.customer_token(&user).await.ok()?;
        data.client.properties(&token).await.ok()
    };
    let props = tokio::time::timeout(AUTOCOMPLETE_BUDGET, work)
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
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
) -> Result<(crate::ticket::api::Ticket, secrecy::SecretString), CommandError> {
    let (token, link) = data.customer_token(user).await?;
    let t = data
        .client
        .ticket(&token, id)
        .await
        .map_err(api_err(Some(id)))?;
    if t.account_id != link.account_id {
        return Err(api_err(Some(id))(crate::client::ApiError::NotFound));
    }
    Ok((t, token))
}

/// The name of one of the user's properties, for cards (None if it cannot be read).
pub async fn property_name(
    data: &Data,
    token: &secrecy::SecretString,
    property: Option<&str>,
) -> Option<String> {
    let pid = property?;
    let props = data.client.properties(token).await.ok()?;
    props.into_iter().find(|p| p.id == pid).map(|p| p.name)
}

/// Maps an API error about ticket `id` to the user's words.
pub fn api_err(id: Option<TicketId>) -> impl Fn(crate::client::ApiError) -> CommandError {
    move |e| errors::from_api(e, id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticket_options_accept_ids_and_hashes_and_refuse_words() {
        assert_eq!(parse_ticket_id("12").unwrap(), 12);
        assert_eq!(parse_ticket_id(" #12 ").unwrap(), 12);
        assert_eq!(parse_ticket_id("12 · Open · cert").unwrap(), 12);
        for bad in ["", "abc", "#", "0", "-3", "99999999999999999999999"] {
            assert!(parse_ticket_id(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn topic_choices_map_to_the_api_integers_in_order() {
        use poise::ChoiceParameter;
        let list = TopicChoice::list();
        let names: Vec<String> = list.iter().map(|c| c.name.to_string()).collect();
        assert_eq!(
            names,
            [
                "General",
                "Networking",
                "Rules",
                "Billing",
                "SSL / Certificates",
                "Performance"
            ]
        );
        for (i, c) in list.iter().enumerate() {
            let choice = TopicChoice::from_index(i).unwrap();
            assert_eq!(choice.topic().api_value(), i as i64, "{}", c.name);
            assert_eq!(choice.topic().label(), c.name.to_string());
        }
        for (i, s) in StatusChoice::list().iter().enumerate() {
            let status = StatusChoice::from_index(i).unwrap().status();
            assert_eq!(status.api_value(), i as i64);
            assert_eq!(status.label(), s.name.to_string());
        }
    }
}

//! `/ticket panel` — a server admin posts, or updates in place, the channel's ticket
//! panel: a short text and a select with the six topics. Picking a topic opens the same
//! form as `/ticket open` (see [`super::open::topic_picked`]); the panel message itself
//! never changes when used, and its select's custom id carries everything, so it keeps
//! working after restarts. The channel's panel message is remembered in the database, so
//! a re-post edits it instead of posting a second one.

use poise::serenity_prelude as serenity;

use super::open;
use crate::discord::common::{answer, defer, respond_component};
use crate::discord::ids::CustomId;
use crate::discord::render;
use crate::discord::{allowed_mentions_none, CommandError, Context, Data};
use crate::i18n::{self, Locale, LocaleSource};
use crate::ticket::Topic;
use crate::{text, tr};

/// Discord's error codes for the bot's own missing rights in a channel.
const MISSING_ACCESS: isize = 50001;
const MISSING_PERMISSIONS: isize = 50013;
const UNKNOWN_MESSAGE: isize = 10008;
const UNKNOWN_CHANNEL: isize = 10003;

/// Post or update this channel's ticket panel (members with Manage Server)
#[poise::command(slash_command, rename = "panel")]
pub async fn panel(ctx: Context<'_>) -> Result<(), CommandError> {
    let poise::Context::Application(actx) = ctx else {
        return Ok(());
    };
    let interaction = actx.interaction;
    let Some(guild) = interaction.guild_id else {
        return answer(ctx, &tr!(ctx, "panel-dm-refused"), None).await;
    };
    // Checked here on every use: Discord applies `default_member_permissions` to whole
    // top-level commands only (`/ticket` is every customer's), and server admins can
    // change command permissions anyway.
    if !may_post_panels(interaction.member.as_deref()) {
        let answered = answer(ctx, &tr!(ctx, "panel-not-allowed"), None).await;
        if answered.is_ok() {
            tracing::info!(target: "audit", user = ctx.author().id.get(), "ticket panel refused: no Manage Server");
        }
        return answered;
    }
    defer(ctx).await?;
    let data = ctx.data();
    let channel = interaction.channel_id;
    // The panel speaks to the whole channel: the server's language, not the admin's.
    let locale = interaction
        .guild_locale
        .as_deref()
        .map_or_else(|| ctx.to_locale(), Locale::from_discord);
    let store = data.store.front_door();
    let existing = store
        .panel(channel.get())
        .await
        .map_err(CommandError::internal)?
        .filter(|m| *m != 0);
    let (message, updated) = match existing {
        Some(m) => {
            let edit = serenity::EditMessage::new()
                .content(tr!(locale, "panel-text"))
                .components(vec![topic_select(locale)])
                .allowed_mentions(allowed_mentions_none());
            match channel
                .edit_message(ctx.http(), serenity::MessageId::new(m), edit)
                .await
            {
                Ok(msg) => (msg.id, true),
                // Deleted by someone: post a new one.
                Err(e) if discord_code(&e) == Some(UNKNOWN_MESSAGE) => {
                    (post(ctx, channel, locale).await?, false)
                }
                Err(e) => return Err(discord_failure(e)),
            }
        }
        None => (post(ctx, channel, locale).await?, false),
    };
    store
        .save_panel(guild.get(), channel.get(), message.get())
        .await
        .map_err(CommandError::internal)?;
    tracing::info!(target: "audit", user = ctx.author().id.get(), channel = channel.get(), message = message.get(), updated, "ticket panel posted");
    let done = if updated {
        tr!(ctx, "panel-updated")
    } else {
        tr!(ctx, "panel-posted")
    };
    answer(ctx, &done, None).await
}

/// Manage Server, or Administrator (which Discord treats as every permission).
fn may_post_panels(member: Option<&serenity::Member>) -> bool {
    member
        .and_then(|m| m.permissions)
        .is_some_and(|p| p.manage_guild() || p.administrator())
}

async fn post(
    ctx: Context<'_>,
    channel: serenity::ChannelId,
    locale: Locale,
) -> Result<serenity::MessageId, CommandError> {
    let message = serenity::CreateMessage::new()
        .content(tr!(locale, "panel-text"))
        .components(vec![topic_select(locale)])
        .allowed_mentions(allowed_mentions_none());
    channel
        .send_message(ctx.http(), message)
        .await
        .map(|m| m.id)
        .map_err(discord_failure)
}

/// The bot's missing rights are the admin's to fix (said plainly); anything else is ours.
fn discord_failure(e: serenity::Error) -> CommandError {
    match discord_code(&e) {
        Some(MISSING_ACCESS | MISSING_PERMISSIONS | UNKNOWN_CHANNEL) => {
            tracing::info!(error = %e, "cannot post a ticket panel here");
            CommandError::user(text!("panel-cannot-post"))
        }
        _ => CommandError::from(e),
    }
}

fn discord_code(e: &serenity::Error) -> Option<isize> {
    match e {
        serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(r)) => {
            Some(r.error.code)
        }
        _ => None,
    }
}

/// The panel's select.
fn topic_select(locale: Locale) -> serenity::CreateActionRow {
    topic_select_with(CustomId::PanelTopic.encode().unwrap_or_default(), locale)
}

/// A topic was picked on a panel (`source` None) or after "Open ticket from message"
/// (`source` its interaction, whose prefill the form gets): the open form's first step.
/// Never an update of the message holding the select: a form or an ephemeral message.
pub async fn topic_chosen(
    ctx: &serenity::Context,
    data: &Data,
    c: &serenity::ComponentInteraction,
    source: Option<u64>,
) {
    match chosen_topic(c) {
        Some(topic) => open::topic_picked(ctx, data, c, topic, source).await,
        None => {
            let again = open::ephemeral(tr!(c, "panel-unknown-topic"));
            respond_component(ctx, data, c, again).await;
        }
    }
}

/// The topic chosen in a topic select.
fn chosen_topic(c: &serenity::ComponentInteraction) -> Option<Topic> {
    open::chosen(c)?
        .parse::<i64>()
        .ok()
        .and_then(Topic::from_api)
}

/// The six topics under their panel labels (in `locale`; en-US: the seed's exact labels),
/// in API order (the value is the API integer, in every language): the panel's select,
/// and the context menu's first step.
pub fn topic_select_with(custom_id: String, locale: Locale) -> serenity::CreateActionRow {
    let options = Topic::ALL
        .iter()
        .map(|t| {
            let label = render::truncate(&i18n::topic(*t).render(locale), 100);
            let hint = render::truncate(&i18n::topic_hint(*t).render(locale), 100);
            serenity::CreateSelectMenuOption::new(label, t.api_value().to_string())
                .description(hint)
        })
        .collect();
    serenity::CreateActionRow::SelectMenu(
        serenity::CreateSelectMenu::new(
            custom_id,
            serenity::CreateSelectMenuKind::String { options },
        )
        .placeholder(render::truncate(&tr!(locale, "panel-placeholder"), 150)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_panel_lists_the_six_topics_under_their_exact_labels_in_api_order() {
        let row = serde_json::to_value(topic_select(Locale::EN_US)).unwrap();
        let select = &row["components"][0];
        assert_eq!(select["custom_id"], "t:panel");
        let options = select["options"].as_array().unwrap();
        let pairs: Vec<(String, String)> = options
            .iter()
            .map(|o| {
                (
                    o["label"].as_str().unwrap().to_string(),
                    o["value"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let expected = [
            "General",
            "Networking",
            "Rules",
            "Billing",
            "SSL / Certificates",
            "Performance",
        ];
        for (i, (label, value)) in pairs.iter().enumerate() {
            assert_eq!(
                (label.as_str(), value.as_str()),
                (expected[i], &*i.to_string())
            );
        }
        assert_eq!(pairs.len(), 6);
        for o in options {
            assert!(o["description"].as_str().unwrap().chars().count() <= 100);
        }
    }

    #[test]
    fn manage_server_or_administrator_may_post_panels_and_nobody_else() {
        let member = |p: Option<serenity::Permissions>| {
            let mut m = serenity::Member::default();
            m.permissions = p;
            m
        };
        assert!(may_post_panels(Some(&member(Some(
            serenity::Permissions::MANAGE_GUILD
        )))));
        assert!(may_post_panels(Some(&member(Some(
            serenity::Permissions::ADMINISTRATOR
        )))));
        assert!(!may_post_panels(Some(&member(Some(
            serenity::Permissions::MANAGE_MESSAGES | serenity::Permissions::MANAGE_CHANNELS
        )))));
        assert!(!may_post_panels(Some(&member(None))));
        assert!(!may_post_panels(None));
    }
}

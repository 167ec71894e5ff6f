//! "Open ticket from message", a message context-menu command: the customer picks a topic
//! in an ephemeral select, then the `/ticket open` form shows with the description
//! prefilled from the message (its text trimmed to fit, its author and a jump link).
//!
//! The bot asks for no privileged intent: the targeted message arrives with the
//! interaction, and Discord leaves its `content` in for message commands (the message
//! content rule exempts "messages a message context menu command is used on"). Text can
//! still be empty (an embed- or attachment-only message): then the link and author only.
//!
//! The prefill is kept in the database between the two steps, keyed by this interaction
//! (carried in the select's custom id), so another replica or a restarted bot can answer
//! the second step (the topic select is routed like the panel's, to `panel::topic_chosen`
//! and on to `open::topic_picked`, which reads the prefill); rows expire after an hour.

use poise::serenity_prelude as serenity;
use poise::CreateReply;

use super::panel::topic_select_with;
use crate::discord::common::{command_acked, interaction_id, not_yet_answered};
use crate::discord::ids::CustomId;
use crate::discord::render::{self, MODAL_DESCRIPTION_MAX};
use crate::discord::{CommandError, Context};
use crate::i18n::{Locale, LocaleSource};
use crate::{text, tr};

/// Its name in the message menu (Discord: at most 32 characters).
pub const NAME: &str = "Open ticket from message";

/// Open a ticket about this message
#[poise::command(
    context_menu_command = "Open ticket from message",
    rename = "open_from_message"
)]
pub async fn open_from_message(
    ctx: Context<'_>,
    message: serenity::Message,
) -> Result<(), CommandError> {
    let data = ctx.data();
    let origin = interaction_id(ctx);
    let uid = ctx.author().id.get();
    if let Some(left) = data.open_cooldown_left(uid, origin).await {
        let refusal = tr!(ctx, "open-cooldown", seconds = left.as_secs().max(1));
        return crate::discord::common::answer(ctx, &refusal, None).await;
    }
    let Some(custom_id) = CustomId::MessageTopic(origin).encode() else {
        return Err(CommandError::internal("topic select id too long"));
    };
    let locale = ctx.to_locale();
    let description = prefill(&message, ctx.guild_id().map(|g| g.get()), locale);
    // Kept BEFORE the first answer, unlike other writes: once the select shows, the
    // customer may pick at once, and the pick must find it. The row is seen by nobody
    // but this interaction's own next step, and a second delivery writes nothing
    // (`ON CONFLICT DO NOTHING`), so answering twice cannot come of it.
    data.store
        .front_door()
        .save_prefill(origin, uid, &description)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "could not keep a message's prefill");
            CommandError::user(text!("from-message-not-kept"))
        })?;
    let reply = CreateReply::default()
        .ephemeral(true)
        .content(tr!(locale, "from-message-pick-topic"))
        .components(vec![topic_select_with(custom_id, locale)]);
    let first = not_yet_answered(ctx);
    ctx.send(reply).await?;
    if first {
        command_acked(ctx);
    }
    Ok(())
}

/// The form's description: the message's text trimmed so the whole fits the field, then
/// who wrote it and a link back to it. Empty text (withheld, or an embed- or
/// attachment-only message) leaves the reference line alone.
pub fn prefill(message: &serenity::Message, guild: Option<u64>, locale: Locale) -> String {
    let author = message
        .author
        .global_name
        .as_deref()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or(&message.author.name);
    let link = format!(
        "https://discord.com/channels/{}/{}/{}",
        guild.map_or("@me".to_string(), |g| g.to_string()),
        message.channel_id.get(),
        message.id.get()
    );
    let line = tr!(
        locale,
        "from-message-reference",
        author = author,
        link = link.as_str()
    );
    let reference = render::truncate(&line, 300);
    let body = message.content.trim();
    if body.is_empty() {
        return reference;
    }
    let room = usize::from(MODAL_DESCRIPTION_MAX) - reference.chars().count() - 2;
    format!("{reference}\n\n{}", render::truncate(body, room))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefill_en(m: &serenity::Message, guild: Option<u64>) -> String {
        prefill(m, guild, Locale::EN_US)
    }

    fn message(content: &str, global_name: Option<&str>) -> serenity::Message {
        let mut m = serenity::Message::default();
        m.id = serenity::MessageId::new(333);
        m.channel_id = serenity::ChannelId::new(222);
        m.content = content.to_string();
        m.author.name = "carol".into();
        m.author.global_name = global_name.map(str::to_string);
        m
    }

    #[test]
    fn the_prefill_has_the_text_the_author_and_a_jump_link() {
        let p = prefill_en(&message("  My cert expired  ", Some("Carol C")), Some(111));
        assert_eq!(
            p,
            "Message from Carol C: https://discord.com/channels/111/222/333\n\nMy cert expired"
        );
        // In a DM the link says @me; without a display name, the username.
        let dm = prefill_en(&message("hi", None), None);
        assert!(dm.starts_with("Message from carol: https://discord.com/channels/@me/222/333"));
    }

    #[test]
    fn empty_text_leaves_link_and_author_only() {
        for content in ["", "   \n "] {
            assert_eq!(
                prefill_en(&message(content, Some("Carol")), Some(1)),
                "Message from Carol: https://discord.com/channels/1/222/333"
            );
        }
    }

    #[test]
    fn a_long_message_is_trimmed_to_fit_the_field_and_keeps_the_reference() {
        let long = "é".repeat(10_000);
        let p = prefill_en(&message(&long, Some("Carol")), Some(1));
        assert_eq!(p.chars().count(), usize::from(MODAL_DESCRIPTION_MAX));
        assert!(p.starts_with("Message from Carol: https://discord.com/channels/1/222/333"));
        assert!(p.ends_with('…'));
    }

    #[test]
    fn the_menu_name_fits_discords_32_characters() {
        assert!(NAME.chars().count() <= 32);
        let cmd = open_from_message();
        assert_eq!(cmd.context_menu_name.as_deref(), Some(NAME));
    }
}

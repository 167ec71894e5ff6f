//! `/ticket open topic [property]` → a modal → the ticket (created on the modal's submit,
//! see `interactions`), with the slash interaction's id as its idempotency key.

use std::sync::atomic::Ordering;

use poise::serenity_prelude as serenity;

use super::{answer, TopicChoice};
use crate::discord::ids::CustomId;
use crate::discord::render;
use crate::discord::{CommandError, Context};
use crate::ticket::Topic;

/// Open a new support ticket
#[poise::command(slash_command, rename = "open")]
pub async fn open(
    ctx: Context<'_>,
    #[description = "What the ticket is about: pick the most specific topic"] topic: TopicChoice,
    #[description = "The property it concerns, if any"]
    #[autocomplete = "super::autocomplete_property"]
    property: Option<String>,
) -> Result<(), CommandError> {
    let poise::Context::Application(actx) = ctx else {
        return Ok(());
    };
    let topic = topic.topic();
    let property = property
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty());
    let Some(custom_id) = (CustomId::OpenModal {
        origin: actx.interaction.id.get(),
        topic,
        property,
    })
    .encode() else {
        return answer(
            ctx,
            "That property could not be used. Pick one from the list, or leave it empty.",
            None,
        )
        .await;
    };
    // Reserved now, when the form is shown (and checked in one step): a second form
    // opened beside the first is refused here.
    if let Err(left) = ctx.data().reserve_open_cooldown(ctx.author().id.get()) {
        let secs = left.as_secs().max(1);
        return answer(
            ctx,
            &format!("You just opened a ticket. You can open another in {secs} s."),
            None,
        )
        .await;
    }
    let modal = open_modal(custom_id, topic);
    actx.interaction
        .create_response(
            ctx.http(),
            serenity::CreateInteractionResponse::Modal(modal),
        )
        .await?;
    actx.has_sent_initial_response.store(true, Ordering::SeqCst);
    Ok(())
}

pub fn open_modal(custom_id: String, topic: Topic) -> serenity::CreateModal {
    let subject =
        serenity::CreateInputText::new(serenity::InputTextStyle::Short, "Subject", "subject")
            .min_length(1)
            .max_length(render::MODAL_SUBJECT_MAX)
            .placeholder("One line: what is wrong?")
            .required(true);
    let description = serenity::CreateInputText::new(
        serenity::InputTextStyle::Paragraph,
        "Description",
        "description",
    )
    .min_length(1)
    .max_length(render::MODAL_DESCRIPTION_MAX)
    .placeholder(render::truncate(topic.hint(), 100))
    .required(true);
    serenity::CreateModal::new(custom_id, render::open_modal_title(topic)).components(vec![
        serenity::CreateActionRow::InputText(subject),
        serenity::CreateActionRow::InputText(description),
    ])
}

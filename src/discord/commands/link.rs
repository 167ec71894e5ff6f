//! `/ticket link` → a modal for a Paradarum API token, verified and stored encrypted;
//! `/ticket unlink` deletes it. Tokens never appear in a log, an error or a message.

use std::sync::atomic::Ordering;

use poise::serenity_prelude as serenity;

use super::answer;
use crate::discord::ids::CustomId;
use crate::discord::{CommandError, Context};

/// Link your Paradarum account with an API token from your panel
#[poise::command(slash_command, rename = "link")]
pub async fn link(ctx: Context<'_>) -> Result<(), CommandError> {
    let poise::Context::Application(actx) = ctx else {
        return Ok(());
    };
    let Some(custom_id) = CustomId::LinkModal.encode() else {
        return Ok(());
    };
    let input =
        serenity::CreateInputText::new(serenity::InputTextStyle::Short, "API token", "token")
            .min_length(8)
            .max_length(200)
            .placeholder("Paste a token from Paradarum's panel")
            .required(true);
    let modal = serenity::CreateModal::new(custom_id, "Link your Paradarum account")
        .components(vec![serenity::CreateActionRow::InputText(input)]);
    actx.interaction
        .create_response(
            ctx.http(),
            serenity::CreateInteractionResponse::Modal(modal),
        )
        .await?;
    actx.has_sent_initial_response.store(true, Ordering::SeqCst);
    Ok(())
}

/// Unlink your Paradarum account from Discord
#[poise::command(slash_command, rename = "unlink")]
pub async fn unlink(ctx: Context<'_>) -> Result<(), CommandError> {
    ctx.defer_ephemeral().await?;
    let removed = ctx
        .data()
        .store
        .discord()
        .delete_link(ctx.author().id.get())
        .await?;
    let text = if removed {
        "Unlinked. The bot no longer holds a Paradarum token for you; `/ticket link` links again."
    } else {
        "Your Discord account was not linked."
    };
    answer(ctx, text, None).await
}

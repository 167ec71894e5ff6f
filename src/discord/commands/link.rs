//! `/ticket link` → a form for a Paradarum API token, verified and stored encrypted;
//! `/ticket unlink` deletes it. Tokens never appear in a log, an error or a message.

use poise::serenity_prelude as serenity;
use secrecy::SecretString;

use crate::client::ApiError;
use crate::discord::common::{
    answer, defer, modal_value, show_modal, with_api_slot, Answer, Handled,
};
use crate::discord::errors;
use crate::discord::ids::CustomId;
use crate::discord::render;
use crate::discord::{CommandError, Context, Data};

/// Link your Paradarum account with an API token from your panel
#[poise::command(slash_command, rename = "link")]
pub async fn link(ctx: Context<'_>) -> Result<(), CommandError> {
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
    show_modal(ctx, modal).await
}

/// The form was submitted: the token is checked with the API, then sealed and stored.
pub async fn submit(data: &Data, m: &serenity::ModalInteraction) -> Handled {
    let text = modal_value(&m.data, "token").unwrap_or_default();
    let token = SecretString::from(text.trim().to_string());
    let account = with_api_slot(data, data.client.account(&token))
        .await
        .map_err(|e| match e {
            ApiError::Unauthorized | ApiError::Forbidden { .. } => CommandError::user(
                "Paradarum did not accept that token, so nothing was stored. Copy a customer \
                 API token from your Paradarum panel and try again.",
            ),
            other => errors::from_read(other, None),
        })?;
    let uid = m.user.id.get();
    let link = data.seal_link(uid, &token, account.id.clone(), account.name.clone())?;
    data.store.discord().save_link(uid, &link).await?;
    tracing::info!(user = uid, account = %account.id, "Discord user linked");
    Ok(Answer::text(format!(
        "Linked to the Paradarum account **{}**. Your `/ticket` commands now act for it.",
        render::user_text(&account.name, 100)
    )))
}

/// Unlink your Paradarum account from Discord
#[poise::command(slash_command, rename = "unlink")]
pub async fn unlink(ctx: Context<'_>) -> Result<(), CommandError> {
    defer(ctx).await?;
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

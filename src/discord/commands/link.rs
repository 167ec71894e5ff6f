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
use crate::i18n::LocaleSource;
use crate::{text, tr};

/// Link your Paradarum account with an API token from your panel
#[poise::command(slash_command, rename = "link")]
pub async fn link(ctx: Context<'_>) -> Result<(), CommandError> {
    let Some(custom_id) = CustomId::LinkModal.encode() else {
        return Ok(());
    };
    let locale = ctx.to_locale();
    let input = serenity::CreateInputText::new(
        serenity::InputTextStyle::Short,
        render::truncate(&tr!(locale, "link-form-token"), 45),
        "token",
    )
    .min_length(8)
    .max_length(200)
    .placeholder(render::truncate(&tr!(locale, "link-form-placeholder"), 100))
    .required(true);
    let title = render::truncate(&tr!(locale, "link-form-title"), 45);
    let modal = serenity::CreateModal::new(custom_id, title)
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
            ApiError::Unauthorized | ApiError::Forbidden { .. } => {
                CommandError::user(text!("link-token-refused"))
            }
            other => errors::from_read(other, None),
        })?;
    let uid = m.user.id.get();
    let link = data.seal_link(uid, &token, account.id.clone(), account.name.clone())?;
    data.store.discord().save_link(uid, &link).await?;
    tracing::info!(user = uid, account = %account.id, "Discord user linked");
    Ok(Answer::text(tr!(
        m,
        "link-linked",
        account = render::user_text(&account.name, 100)
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
        tr!(ctx, "link-unlinked")
    } else {
        tr!(ctx, "link-was-not-linked")
    };
    answer(ctx, &text, None).await
}

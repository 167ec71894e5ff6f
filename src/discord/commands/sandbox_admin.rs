//! `/sandbox progress|resolve ticket` — on the sandbox backend only, for the
//! administrators of the server `DISCORD_GUILD_ID`: move a ticket as Paradarum staff
//! would, so the whole loop (staff notification, customer DM, reply to reopen) can be
//! tried from Discord. It is registered only as a guild command there (never globally),
//! and refused from any other server: any server's admin could otherwise resolve any
//! customer's ticket.

use poise::serenity_prelude as serenity;

use crate::discord::common::{answer, api_err, defer, parse_ticket_id, with_api_slot};
use crate::discord::{CommandError, Context};
use crate::ticket::Status;
use crate::tr;

/// Sandbox only: act as Paradarum staff on a ticket (administrators)
#[poise::command(
    slash_command,
    rename = "sandbox",
    subcommands("progress", "resolve"),
    subcommand_required,
    default_member_permissions = "ADMINISTRATOR",
    guild_only
)]
pub async fn sandbox(_: Context<'_>) -> Result<(), CommandError> {
    Ok(())
}

/// Sandbox only: set a ticket In Progress, as staff would
#[poise::command(slash_command, rename = "progress")]
async fn progress(
    ctx: Context<'_>,
    #[description = "The ticket number"] ticket: String,
) -> Result<(), CommandError> {
    set(ctx, &ticket, Status::InProgress).await
}

/// Sandbox only: mark a ticket Resolved, as staff would
#[poise::command(slash_command, rename = "resolve")]
async fn resolve(
    ctx: Context<'_>,
    #[description = "The ticket number"] ticket: String,
) -> Result<(), CommandError> {
    set(ctx, &ticket, Status::Resolved).await
}

/// Discord-side permissions hide the command, but server admins can change them: the
/// bot checks the member's permissions itself on every use.
fn is_admin(ctx: Context<'_>) -> bool {
    match ctx {
        poise::Context::Application(a) => a
            .interaction
            .member
            .as_ref()
            .and_then(|m| m.permissions)
            .is_some_and(serenity::Permissions::administrator),
        poise::Context::Prefix(_) => false,
    }
}

async fn set(ctx: Context<'_>, ticket: &str, status: Status) -> Result<(), CommandError> {
    let id = parse_ticket_id(ticket)?;
    defer(ctx).await?;
    let data = ctx.data();
    let Some(admin) = &data.sandbox_admin else {
        return answer(ctx, &tr!(ctx, "sandbox-not-sandbox"), None).await;
    };
    if data.sandbox_guild.is_none() || ctx.guild_id().map(|g| g.get()) != data.sandbox_guild {
        tracing::warn!(guild = ?ctx.guild_id(), user = ctx.author().id.get(), "/sandbox refused outside DISCORD_GUILD_ID");
        return answer(ctx, &tr!(ctx, "sandbox-wrong-server"), None).await;
    }
    if !is_admin(ctx) {
        return answer(ctx, &tr!(ctx, "sandbox-not-admin"), None).await;
    }
    let t = with_api_slot(data, data.client.set_status(admin, id, status))
        .await
        .map_err(api_err(Some(id)))?;
    tracing::info!(ticket = id, status = %t.status, by = ctx.author().id.get(), "sandbox status set from Discord");
    let status = crate::i18n::status(t.status);
    answer(
        ctx,
        &tr!(ctx, "sandbox-set", ticket_id = id, status = status),
        None,
    )
    .await
}

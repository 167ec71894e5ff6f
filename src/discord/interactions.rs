//! The router for everything that is not a slash command: form submits and button
//! presses, sent by their typed custom id to the feature that owns them (so they work
//! after a restart), and the one error handler.

use poise::serenity_prelude as serenity;
use poise::CreateReply;

use super::commands::{close, link, list, open, panel, read, reply, retry, staff};
use super::common::{
    command_acked, defer_modal, duplicate, finish_modal, interaction_id, log_error,
    not_yet_answered,
};
use super::errors::{already_acknowledged, new_reference, CommandError};
use super::ids::CustomId;
use super::Data;
use crate::i18n::LocaleSource;
use crate::metrics::InteractionKind;
use crate::ticket::Status;
use crate::{text, tr};

/// poise's error hook. Never poise's `builtins::on_error`: that shows users the error chain.
pub async fn on_error(error: poise::FrameworkError<'_, Data, CommandError>) {
    match error {
        poise::FrameworkError::Command {
            error: CommandError::Duplicate,
            ctx,
            ..
        } => duplicate(ctx.data(), InteractionKind::Command, interaction_id(ctx)),
        poise::FrameworkError::Command { error, ctx, .. } => {
            let reference = new_reference();
            log_error(&error, &reference, &ctx.command().qualified_name);
            let text = error.user_message(&reference, ctx.to_locale());
            let reply = CreateReply::default().ephemeral(true).content(text);
            let first = not_yet_answered(ctx);
            match ctx.send(reply).await {
                Ok(_) if first => command_acked(ctx),
                Ok(_) => {}
                Err(e) if first && already_acknowledged(&e) => {
                    duplicate(ctx.data(), InteractionKind::Command, interaction_id(ctx))
                }
                Err(e) => {
                    tracing::warn!(error = %e, %reference, "could not tell the user about an error")
                }
            }
        }
        poise::FrameworkError::ArgumentParse { ctx, error, .. } => {
            tracing::info!(error = %error, command = %ctx.command().qualified_name, "unreadable option");
            let reply = CreateReply::default()
                .ephemeral(true)
                .content(tr!(ctx, "error-bad-option"));
            let _ = ctx.send(reply).await;
        }
        other => {
            let reference = new_reference();
            tracing::error!(%reference, error = %other, "framework error");
            if let Some(ctx) = other.ctx() {
                let text = tr!(ctx, "error-framework", reference = reference.as_str());
                let reply = CreateReply::default().ephemeral(true).content(text);
                let _ = ctx.send(reply).await;
            }
        }
    }
}

/// poise's event hook: keeps the gateway watchdog fed and routes forms and buttons.
pub async fn on_event(
    fw: poise::FrameworkContext<'_, Data, CommandError>,
    event: &serenity::FullEvent,
) -> Result<(), CommandError> {
    let data = fw.user_data;
    data.gateway.seen();
    if let serenity::FullEvent::Ready { .. } = event {
        // Each READY is one IDENTIFY of Discord's 1,000 a day (a RESUME makes none).
        crate::metrics::Metrics::inc(&data.metrics.identifies);
    }
    if let serenity::FullEvent::InteractionCreate { interaction } = event {
        let ctx = fw.serenity_context;
        let id = interaction.id().get();
        match interaction {
            serenity::Interaction::Modal(m) => {
                data.gateway.begin(id);
                on_modal(ctx, data, m).await;
            }
            serenity::Interaction::Component(c) => {
                data.gateway.begin(id);
                on_component(ctx, data, c).await;
            }
            _ => {}
        }
        // After the answer: the languages for DMs and staff messages.
        super::locales::remember(data, interaction).await;
        // A command began in `pre_command`; poise calls this after it ran.
        data.gateway.end(id);
    }
    if let serenity::FullEvent::GuildCreate { guild, .. } = event {
        super::locales::remember_guild(data, guild).await;
    }
    Ok(())
}

async fn on_modal(ctx: &serenity::Context, data: &Data, m: &serenity::ModalInteraction) {
    let Some(id) = CustomId::parse(&m.data.custom_id) else {
        tracing::debug!(custom_id = %m.data.custom_id, "ignoring a modal that is not ours");
        return;
    };
    // The first answer before anything else: a second delivery stops here (40060).
    if !defer_modal(ctx, data, m).await {
        return;
    }
    let handled = match id {
        CustomId::OpenModal {
            origin,
            topic,
            property,
        } => open::submit(data, m, origin, topic, property).await,
        CustomId::ReplyModal {
            ticket,
            origin,
            attachment,
        } => reply::submit(data, m, ticket, origin, attachment).await,
        CustomId::LinkModal => link::submit(data, m).await,
        CustomId::StaffReplyModal { ticket, origin } => {
            staff::reply_submit(data, m, ticket, origin).await
        }
        _ => Err(CommandError::user(text!("error-unknown-form"))),
    };
    finish_modal(ctx, m, handled, "form").await;
}

async fn on_component(ctx: &serenity::Context, data: &Data, c: &serenity::ComponentInteraction) {
    let Some(id) = CustomId::parse(&c.data.custom_id) else {
        tracing::debug!(custom_id = %c.data.custom_id, "ignoring a component that is not ours");
        return;
    };
    match id {
        CustomId::Close(t) => close::ask(ctx, data, c, t).await,
        CustomId::CloseConfirm(t) => close::confirm(ctx, data, c, t).await,
        CustomId::KeepOpen(t) => close::keep(ctx, data, c, t).await,
        CustomId::ReplyButton(t) => reply::button(ctx, data, c, t).await,
        CustomId::ReadAll { ticket, message } => read::button(ctx, data, c, ticket, message).await,
        CustomId::ReadPage {
            ticket,
            message,
            page,
        } => read::page_button(ctx, data, c, ticket, message, page).await,
        CustomId::ListPage {
            status,
            page,
            cursor,
        } => list::page_button(ctx, data, c, status, page, cursor).await,
        CustomId::Retry(origin) => retry::press(ctx, data, c, origin).await,
        CustomId::StaffView(t) => staff::view(ctx, data, c, t).await,
        CustomId::StaffStart { ticket, seen } => {
            staff::set_status(ctx, data, c, ticket, seen, Status::InProgress).await
        }
        CustomId::StaffResolve { ticket, seen } => {
            staff::set_status(ctx, data, c, ticket, seen, Status::Resolved).await
        }
        CustomId::StaffReply(t) => staff::reply_button(ctx, data, c, t).await,
        CustomId::PanelTopic => panel::topic_chosen(ctx, data, c, None).await,
        CustomId::MessageTopic(source) => panel::topic_chosen(ctx, data, c, Some(source)).await,
        CustomId::PickProperty { topic, source } => {
            open::property_picked(ctx, data, c, topic, source).await
        }
        CustomId::OpenModal { .. }
        | CustomId::ReplyModal { .. }
        | CustomId::LinkModal
        | CustomId::StaffReplyModal { .. } => {}
    }
}

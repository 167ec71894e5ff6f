//! Everything that is not a slash command: modal submits and button presses, routed by
//! custom id (so they work after a restart), and the one error handler.
//!
//! Each handler acknowledges first (a deferral, within Discord's 3 seconds), then works,
//! then edits that one response: no path answers an interaction twice.

use poise::serenity_prelude as serenity;
use poise::CreateReply;
use secrecy::SecretString;

use super::commands::{
    api_err, list_page, own_ticket, property_name, reply::reply_modal, with_api_slot,
};
use super::errors::{self, new_reference, CommandError};
use super::ids::CustomId;
use super::render::{self, Card};
use super::{allowed_mentions_none, Data};
use crate::client::Upload;
use crate::ticket::api::{CreateTicket, TicketId};
use crate::ticket::{self, Status, Topic};

type Outcome = Result<(String, Option<Card>), CommandError>;

/// poise's error hook. Never poise's `builtins::on_error`: that shows users the error chain.
pub async fn on_error(error: poise::FrameworkError<'_, Data, CommandError>) {
    match error {
        poise::FrameworkError::Command { error, ctx, .. } => {
            let reference = new_reference();
            log_error(&error, &reference, &ctx.command().qualified_name);
            let text = error.user_message(&reference);
            let reply = CreateReply::default().ephemeral(true).content(text);
            if let Err(e) = ctx.send(reply).await {
                tracing::warn!(error = %e, %reference, "could not tell the user about an error");
            }
        }
        poise::FrameworkError::ArgumentParse { ctx, error, .. } => {
            tracing::info!(error = %error, command = %ctx.command().qualified_name, "unreadable option");
            let reply = CreateReply::default()
                .ephemeral(true)
                .content("I could not read one of the options. Please pick from the suggestions.");
            let _ = ctx.send(reply).await;
        }
        other => {
            let reference = new_reference();
            tracing::error!(%reference, error = %other, "framework error");
            if let Some(ctx) = other.ctx() {
                let reply = CreateReply::default().ephemeral(true).content(format!(
                    "Something went wrong on our side (ref `{reference}`). Please try again."
                ));
                let _ = ctx.send(reply).await;
            }
        }
    }
}

fn log_error(error: &CommandError, reference: &str, what: &str) {
    match error {
        CommandError::User(m) => tracing::info!(%reference, what, message = %m, "user error"),
        CommandError::Unavailable { detail, unchanged } => {
            tracing::warn!(%reference, what, %detail, unchanged, "ticket API unavailable")
        }
        CommandError::Internal { detail } => {
            tracing::error!(%reference, what, %detail, "command failed")
        }
    }
}

/// poise's event hook: keeps the gateway watchdog fed and routes modals and buttons.
pub async fn on_event(
    fw: poise::FrameworkContext<'_, Data, CommandError>,
    event: &serenity::FullEvent,
) -> Result<(), CommandError> {
    let data = fw.user_data;
    data.gateway.seen();
    if let serenity::FullEvent::InteractionCreate { interaction } = event {
        let ctx = fw.serenity_context;
        match interaction {
            serenity::Interaction::Modal(m) => handle_modal(ctx, data, m).await,
            serenity::Interaction::Component(c) => handle_component(ctx, data, c).await,
            _ => {}
        }
    }
    Ok(())
}

fn modal_value(data: &serenity::ModalInteractionData, field: &str) -> Option<String> {
    data.components
        .iter()
        .flat_map(|row| row.components.iter())
        .find_map(|c| match c {
            serenity::ActionRowComponent::InputText(t) if t.custom_id == field => t.value.clone(),
            _ => None,
        })
}

fn response(content: &str, card: Option<Card>) -> serenity::EditInteractionResponse {
    let mut r = serenity::EditInteractionResponse::new()
        .content(render::truncate(content, render::CONTENT_MAX))
        .allowed_mentions(allowed_mentions_none())
        .components(vec![]);
    r = match card {
        Some(c) => r.embeds(vec![c.to_embed()]),
        None => r.embeds(vec![]),
    };
    r
}

fn finish(outcome: Outcome, what: &str) -> (String, Option<Card>) {
    match outcome {
        Ok(x) => x,
        Err(e) => {
            let reference = new_reference();
            log_error(&e, &reference, what);
            (e.user_message(&reference), None)
        }
    }
}

async fn handle_modal(ctx: &serenity::Context, data: &Data, m: &serenity::ModalInteraction) {
    let Some(id) = CustomId::parse(&m.data.custom_id) else {
        tracing::debug!(custom_id = %m.data.custom_id, "ignoring a modal that is not ours");
        return;
    };
    let defer = serenity::CreateInteractionResponse::Defer(
        serenity::CreateInteractionResponseMessage::new().ephemeral(true),
    );
    if let Err(e) = m.create_response(&ctx.http, defer).await {
        tracing::warn!(error = %e, "could not acknowledge a modal submit");
        return;
    }
    let outcome = match id {
        CustomId::OpenModal {
            origin,
            topic,
            property,
        } => submit_open(data, m, origin, topic, property).await,
        CustomId::ReplyModal { ticket, origin } => submit_reply(data, m, ticket, origin).await,
        CustomId::LinkModal => submit_link(data, m).await,
        _ => Err(CommandError::user("That form is not one I know.")),
    };
    let (content, card) = finish(outcome, "modal");
    if let Err(e) = m.edit_response(&ctx.http, response(&content, card)).await {
        tracing::warn!(error = %e, "could not answer a modal submit");
    }
}

async fn submit_open(
    data: &Data,
    m: &serenity::ModalInteraction,
    origin: u64,
    topic: Topic,
    property: Option<String>,
) -> Outcome {
    let subject = modal_value(&m.data, "subject").unwrap_or_default();
    let description = modal_value(&m.data, "description").unwrap_or_default();
    ticket::validate_subject(&subject).map_err(|e| CommandError::user(capital(&e.to_string())))?;
    ticket::validate_message(&description)
        .map_err(|e| CommandError::user(capital(&e.to_string())))?;
    let body = CreateTicket {
        topic,
        subject: subject.trim().to_string(),
        message: description,
        property_id: property,
    };
    // The slash command's id: a resubmitted or retried modal gets the same ticket back.
    let key = format!("discord-open-{origin}");
    let (ticket, property_name) = with_api_slot(data, async {
        let (token, _) = data.customer_token(&m.user).await?;
        let t = data
            .client
            .create_ticket(&token, &body, Some(&key))
            .await
            .map_err(api_err(None))?;
        let name = property_name(data, &token, t.property_id.as_deref()).await;
        Ok::<_, CommandError>((t, name))
    })
    .await?;
    data.start_open_cooldown(m.user.id.get());
    // Remembered so the opener gets DMs about this ticket and staff see who opened it.
    if let Err(e) = data
        .store
        .notify()
        .remember_opener(
            &data.backend,
            ticket.id,
            &ticket.account_id,
            m.user.id.get(),
        )
        .await
    {
        tracing::warn!(error = %e, ticket = ticket.id, "could not record who opened a ticket");
    }
    tracing::info!(
        ticket = ticket.id,
        topic = ticket.topic.api_value(),
        "ticket opened from Discord"
    );
    Ok((
        format!("Ticket #{} is open. Only you can see this.", ticket.id),
        Some(render::ticket_card(&ticket, property_name.as_deref(), &[])),
    ))
}

async fn submit_reply(
    data: &Data,
    m: &serenity::ModalInteraction,
    id: TicketId,
    origin: u64,
) -> Outcome {
    let body = modal_value(&m.data, "body").unwrap_or_default();
    ticket::validate_message(&body).map_err(|e| CommandError::user(capital(&e.to_string())))?;
    let uid = m.user.id.get();
    let pending = data.store.discord().pending_attachment(origin, uid).await?;
    let files = match &pending {
        Some(p) => vec![download(data, p).await?],
        None => vec![],
    };
    let reply = with_api_slot(data, async {
        // Ownership is checked (by the API and again here) before anything is sent.
        let (t, token) = own_ticket(data, &m.user, id).await?;
        let sent = if files.is_empty() {
            data.client.reply(&token, id, &body).await
        } else {
            data.client.reply_with_files(&token, id, &body, files).await
        };
        sent.map(|r| (t.status, r)).map_err(api_err(Some(id)))
    })
    .await;
    let (before, reply) = reply?;
    if pending.is_some() {
        data.store
            .discord()
            .forget_pending_attachment(origin)
            .await?;
    }
    let reopened = ticket::reply_reopens(before) && reply.ticket.status == Status::Open;
    let mut text = format!("Your reply was added to ticket #{id}.");
    if reopened {
        text.push_str(" It was Resolved, so it is Open again.");
    }
    Ok((
        text,
        Some(render::ticket_card(
            &reply.ticket,
            None,
            std::slice::from_ref(&reply.message),
        )),
    ))
}

/// Downloads a pending attachment from Discord's CDN (allow-listed hosts, size-capped).
async fn download(
    data: &Data,
    p: &crate::store::discord::PendingAttachment,
) -> Result<Upload, CommandError> {
    let refuse = || {
        CommandError::user(
            "The attachment could not be fetched from Discord, so nothing was sent. Try again \
             without it, or attach it again.",
        )
    };
    if !super::commands::reply::attachment_url_allowed(&p.url, &data.attachments.hosts) {
        return Err(refuse());
    }
    let url = url::Url::parse(&p.url).map_err(|_| refuse())?;
    let mut resp = data.downloads.get(url).send().await.map_err(|_| refuse())?;
    if !resp.status().is_success() {
        return Err(refuse());
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|_| refuse())? {
        if (bytes.len() + chunk.len()) as u64 > data.attachments.max_bytes {
            return Err(CommandError::user(
                "The attachment is larger than allowed; nothing was sent.",
            ));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Upload {
        filename: p.filename.clone(),
        content_type: p.content_type.clone(),
        bytes,
    })
}

async fn submit_link(data: &Data, m: &serenity::ModalInteraction) -> Outcome {
    let text = modal_value(&m.data, "token").unwrap_or_default();
    let token = SecretString::from(text.trim().to_string());
    let account = with_api_slot(data, data.client.account(&token))
        .await
        .map_err(|e| match e {
            crate::client::ApiError::Unauthorized | crate::client::ApiError::Forbidden { .. } => {
                CommandError::user(
                    "Paradarum did not accept that token, so nothing was stored. Copy a customer \
                     API token from your Paradarum panel and try again.",
                )
            }
            other => errors::from_api(other, None),
        })?;
    let uid = m.user.id.get();
    let link = data.seal_link(uid, &token, account.id.clone(), account.name.clone())?;
    data.store.discord().save_link(uid, &link).await?;
    tracing::info!(user = uid, account = %account.id, "Discord user linked");
    Ok((
        format!(
            "Linked to the Paradarum account **{}**. Your `/ticket` commands now act for it.",
            render::user_text(&account.name, 100)
        ),
        None,
    ))
}

async fn handle_component(
    ctx: &serenity::Context,
    data: &Data,
    c: &serenity::ComponentInteraction,
) {
    let Some(id) = CustomId::parse(&c.data.custom_id) else {
        tracing::debug!(custom_id = %c.data.custom_id, "ignoring a component that is not ours");
        return;
    };
    match id {
        CustomId::KeepOpen(t) => {
            let msg = serenity::CreateInteractionResponseMessage::new()
                .content(format!("Ticket #{t} stays as it is. Nothing was changed."))
                .embeds(vec![])
                .components(vec![])
                .allowed_mentions(allowed_mentions_none());
            let r = serenity::CreateInteractionResponse::UpdateMessage(msg);
            if let Err(e) = c.create_response(&ctx.http, r).await {
                tracing::warn!(error = %e, "could not answer Keep open");
            }
        }
        CustomId::ReplyButton(t) => {
            let Some(custom_id) = (CustomId::ReplyModal {
                ticket: t,
                origin: c.id.get(),
            })
            .encode() else {
                return;
            };
            let r = serenity::CreateInteractionResponse::Modal(reply_modal(custom_id, t, None));
            if let Err(e) = c.create_response(&ctx.http, r).await {
                tracing::warn!(error = %e, "could not open the reply form");
            }
        }
        CustomId::Close(t) => {
            if acknowledge(ctx, c).await {
                let outcome = press_close(data, &c.user, t).await;
                let (content, card) = finish(outcome, "close button");
                let _ = c.edit_response(&ctx.http, response(&content, card)).await;
            }
        }
        CustomId::ListPage {
            status,
            page,
            cursor,
        } => {
            if acknowledge(ctx, c).await {
                let cursor = (!cursor.is_empty()).then_some(cursor);
                match list_page(data, &c.user, status, page, cursor).await {
                    Ok((card, rows)) => {
                        let r = response("", Some(card)).components(rows);
                        let _ = c.edit_response(&ctx.http, r).await;
                    }
                    Err(e) => {
                        let (content, _) = finish(Err(e), "list page");
                        let _ = c.edit_response(&ctx.http, response(&content, None)).await;
                    }
                }
            }
        }
        CustomId::OpenModal { .. } | CustomId::ReplyModal { .. } | CustomId::LinkModal => {}
    }
}

/// A deferred update: the button's message will be edited once the work is done.
async fn acknowledge(ctx: &serenity::Context, c: &serenity::ComponentInteraction) -> bool {
    match c
        .create_response(&ctx.http, serenity::CreateInteractionResponse::Acknowledge)
        .await
    {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!(error = %e, "could not acknowledge a button");
            false
        }
    }
}

async fn press_close(data: &Data, user: &serenity::User, id: TicketId) -> Outcome {
    let closed = with_api_slot(data, async {
        let (token, _) = data.customer_token(user).await?;
        data.client
            .close(&token, id)
            .await
            .map_err(api_err(Some(id)))
    })
    .await?;
    tracing::info!(ticket = id, "ticket closed from Discord");
    Ok((
        format!(
            "Ticket #{id} is now Closed. It is final; open a new ticket if you need more help."
        ),
        Some(render::ticket_card(&closed, None, &[])),
    ))
}

/// A rule's message as a sentence.
fn capital(s: &str) -> String {
    format!("{}.", errors::capitalise(s))
}

//! `/ticket reply ticket [attachment]` → a modal for the message → the reply (sent on the
//! modal's submit, see `interactions`). A Closed ticket is refused before any modal.

use std::sync::atomic::Ordering;
use std::time::Duration;

use poise::serenity_prelude as serenity;

use super::{answer, autocomplete_ticket, own_ticket, parse_ticket_id};
use crate::client::ApiError;
use crate::discord::errors;
use crate::discord::ids::CustomId;
use crate::discord::render;
use crate::discord::{CommandError, Context};
use crate::store::discord::PendingAttachment;
use crate::ticket::api::TicketId;
use crate::ticket::Status;

/// Before a modal the bot cannot defer, so the Closed check gets this long; if the API
/// is slower the modal opens anyway and the API refuses a Closed ticket on submit.
const PRECHECK_BUDGET: Duration = Duration::from_millis(1500);

/// Reply to one of your tickets (replying to a Resolved ticket reopens it)
#[poise::command(slash_command, rename = "reply")]
pub async fn reply(
    ctx: Context<'_>,
    #[description = "One of your tickets"]
    #[autocomplete = "autocomplete_ticket"]
    ticket: String,
    #[description = "A file to attach (screenshot, log…)"] attachment: Option<serenity::Attachment>,
) -> Result<(), CommandError> {
    let poise::Context::Application(actx) = ctx else {
        return Ok(());
    };
    let id = parse_ticket_id(&ticket)?;
    let data = ctx.data();
    if let Some(a) = &attachment {
        check_attachment(a, &data.attachments)?;
    }

    let precheck = tokio::time::timeout(PRECHECK_BUDGET, async {
        let (t, _) = own_ticket(data, ctx.author(), id).await?;
        Ok::<_, CommandError>(t.status)
    })
    .await;
    let status = match precheck {
        Ok(Ok(Status::Closed)) => {
            return Err(errors::from_api(ApiError::TicketClosed, Some(id)));
        }
        Ok(Ok(s)) => Some(s),
        // A user error (unknown ticket, not linked) is answered now.
        Ok(Err(e @ CommandError::User(_))) => return Err(e),
        // Slow or failing API: let the submit decide.
        Ok(Err(_)) | Err(_) => None,
    };

    let origin = actx.interaction.id.get();
    if let Some(a) = &attachment {
        data.store
            .discord()
            .save_pending_attachment(
                origin,
                ctx.author().id.get(),
                &PendingAttachment {
                    url: a.url.clone(),
                    filename: a.filename.clone(),
                    content_type: a
                        .content_type
                        .clone()
                        .unwrap_or_else(|| "application/octet-stream".into()),
                    size: u64::from(a.size),
                },
            )
            .await?;
    }
    let Some(custom_id) = (CustomId::ReplyModal { ticket: id, origin }).encode() else {
        return answer(ctx, "That ticket number is not valid.", None).await;
    };
    let modal = reply_modal(custom_id, id, status);
    actx.interaction
        .create_response(
            ctx.http(),
            serenity::CreateInteractionResponse::Modal(modal),
        )
        .await?;
    actx.has_sent_initial_response.store(true, Ordering::SeqCst);
    Ok(())
}

/// Refuses an attachment the bot would not download: a host off the allow-list, or too big.
pub fn check_attachment(
    a: &serenity::Attachment,
    settings: &crate::config::AttachmentSettings,
) -> Result<(), CommandError> {
    if !attachment_url_allowed(&a.url, &settings.hosts) {
        tracing::info!(url = %a.url, "attachment refused: not from an allowed host");
        return Err(CommandError::user(
            "That attachment is not on Discord's file servers, so it cannot be forwarded.",
        ));
    }
    if u64::from(a.size) > settings.max_bytes {
        return Err(CommandError::user(format!(
            "That file is {} MiB; the most that can be attached is {} MiB.",
            u64::from(a.size).div_ceil(1024 * 1024),
            settings.max_bytes / (1024 * 1024)
        )));
    }
    Ok(())
}

/// Whether the bot may download `url`: HTTPS from an allow-listed host. Plain HTTP is
/// accepted only for an allow-listed loopback address (a local test double), never for a
/// name that could resolve elsewhere.
pub fn attachment_url_allowed(url: &str, hosts: &[String]) -> bool {
    let Ok(u) = url::Url::parse(url) else {
        return false;
    };
    let Some(host) = u.host_str().map(|h| h.to_ascii_lowercase()) else {
        return false;
    };
    if !hosts.iter().any(|allowed| allowed == &host) {
        return false;
    }
    match u.scheme() {
        "https" => true,
        "http" => host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback()),
        _ => false,
    }
}

/// The reply modal. On a Resolved ticket its title says that replying reopens it.
pub fn reply_modal(
    custom_id: String,
    id: TicketId,
    status: Option<Status>,
) -> serenity::CreateModal {
    let title = if status == Some(Status::Resolved) {
        format!("Reply to #{id} (reopens it)")
    } else {
        format!("Reply to ticket #{id}")
    };
    let body =
        serenity::CreateInputText::new(serenity::InputTextStyle::Paragraph, "Message", "body")
            .min_length(1)
            .max_length(render::MODAL_DESCRIPTION_MAX)
            .placeholder(if status == Some(Status::Resolved) {
                "This ticket is Resolved: replying reopens it."
            } else {
                "Your message to Paradarum support"
            })
            .required(true);
    serenity::CreateModal::new(custom_id, render::truncate(&title, 45))
        .components(vec![serenity::CreateActionRow::InputText(body)])
}

#[cfg(test)]
mod tests {
    use super::attachment_url_allowed;

    #[test]
    fn attachments_come_only_from_allowed_hosts_over_https() {
        let hosts = vec!["cdn.discordapp.com".to_string(), "127.0.0.1".to_string()];
        assert!(attachment_url_allowed(
            "https://cdn.discordapp.com/a/b/c.png",
            &hosts
        ));
        assert!(attachment_url_allowed(
            "https://CDN.discordapp.com/a.png",
            &hosts
        ));
        assert!(!attachment_url_allowed(
            "http://cdn.discordapp.com/a.png",
            &hosts
        ));
        assert!(!attachment_url_allowed(
            "https://evil.example/a.png",
            &hosts
        ));
        assert!(!attachment_url_allowed(
            "https://cdn.discordapp.com.evil.example/a",
            &hosts
        ));
        assert!(!attachment_url_allowed(
            "https://user@evil.example/a",
            &hosts
        ));
        assert!(!attachment_url_allowed("file:///etc/passwd", &hosts));
        assert!(!attachment_url_allowed("not a url", &hosts));
        assert!(attachment_url_allowed("http://127.0.0.1:9/a.png", &hosts));
        assert!(!attachment_url_allowed(
            "http://localhost/a.png",
            &["localhost".into()]
        ));
    }
}

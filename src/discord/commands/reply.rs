//! `/ticket reply ticket [attachment]` (or a DM's *Reply* button) → a form for the
//! message → the reply. A Closed ticket or someone else's is refused before the form when
//! the API answers in time; the submit checks ownership again before fetching any file.
//! With `tickets.idempotent_writes` announced the reply carries the form's interaction id
//! as its idempotency key, so an unknown outcome offers *Try again*.

use std::time::Duration;

use poise::serenity_prelude as serenity;
use tokio::sync::{Semaphore, SemaphorePermit};

use crate::client::{ApiError, Upload};
use crate::discord::common::{
    api_err, autocomplete_ticket, modal_value, own_ticket, own_ticket_read_only, parse_ticket_id,
    respond_component, show_modal, text_error, time_left, with_api_slot, Answer, Handled,
};
use crate::discord::errors;
use crate::discord::ids::CustomId;
use crate::discord::render;
use crate::discord::{CommandError, Context, Data};
use crate::i18n::{Locale, LocaleSource};
use crate::store::discord::PendingAttachment;
use crate::store::kept::{KeptFile, Submission};
use crate::ticket::api::{capability, TicketId};
use crate::ticket::{self, Status};
use crate::{text, tr};

/// The Closed/ownership check before the form never waits longer than this, and never
/// past Discord's deadline: if the API is slower the form opens and the submit decides.
const PRECHECK_MAX: Duration = Duration::from_millis(1500);
/// A form submitted before its attachment was recorded waits this long for it.
const ATTACHMENT_WAIT: Duration = Duration::from_secs(3);
/// How long a reply waits for a download slot before giving up (nothing sent).
const DOWNLOAD_QUEUE_WAIT: Duration = Duration::from_secs(60);

/// Reply to one of your tickets (replying to a Resolved ticket reopens it)
#[poise::command(slash_command, rename = "reply")]
pub async fn reply(
    ctx: Context<'_>,
    #[description = "One of your tickets"]
    #[autocomplete = "autocomplete_ticket"]
    ticket: String,
    #[description = "A file to attach (screenshot, log…)"] attachment: Option<serenity::Attachment>,
) -> Result<(), CommandError> {
    let id = parse_ticket_id(&ticket)?;
    let data = ctx.data();
    if let Some(a) = &attachment {
        check_attachment(a, &data.attachments)?;
    }
    let origin = crate::discord::common::interaction_id(ctx);
    let status = precheck(data, ctx.author(), id, origin).await?;
    let Some(custom_id) = (CustomId::ReplyModal {
        ticket: id,
        origin,
        attachment: attachment.is_some(),
    })
    .encode() else {
        return Err(CommandError::user(text!("reply-bad-ticket")));
    };
    show_modal(ctx, reply_modal(custom_id, id, status, ctx.to_locale())).await?;
    // Recorded after the form is up, so the write never spends Discord's 3 seconds; the
    // submit waits for it (the form's id says there is one).
    if let Some(a) = &attachment {
        let pending = PendingAttachment {
            url: a.url.clone(),
            filename: a.filename.clone(),
            content_type: a
                .content_type
                .clone()
                .unwrap_or_else(|| "application/octet-stream".into()),
            size: u64::from(a.size),
        };
        if let Err(e) = data
            .store
            .discord()
            .save_pending_attachment(origin, ctx.author().id.get(), &pending)
            .await
        {
            tracing::warn!(error = %e, "could not record a reply's attachment; its submit will refuse");
        }
    }
    Ok(())
}

/// A DM's *Reply* button: the same form, after the same checks.
pub async fn button(
    ctx: &serenity::Context,
    data: &Data,
    c: &serenity::ComponentInteraction,
    id: TicketId,
) {
    let origin = c.id.get();
    let response = match precheck(data, &c.user, id, origin).await {
        Ok(status) => match (CustomId::ReplyModal {
            ticket: id,
            origin,
            attachment: false,
        })
        .encode()
        {
            Some(custom_id) => {
                let modal = reply_modal(custom_id, id, status, c.to_locale());
                serenity::CreateInteractionResponse::Modal(modal)
            }
            None => return,
        },
        Err(e) => {
            let reference = errors::new_reference();
            crate::discord::common::log_error(&e, &reference, "reply button");
            serenity::CreateInteractionResponse::Message(
                serenity::CreateInteractionResponseMessage::new()
                    .ephemeral(true)
                    .content(e.user_message(&reference, c.to_locale())),
            )
        }
    };
    respond_component(ctx, data, c, response).await;
}

/// Before the form: the ticket must be the user's and not Closed. Answers within the
/// time Discord leaves for interaction `origin`; a slow or failing API lets the form open
/// (None) and the submit decide.
async fn precheck(
    data: &Data,
    user: &serenity::User,
    id: TicketId,
    origin: u64,
) -> Result<Option<Status>, CommandError> {
    let budget = time_left(origin).min(PRECHECK_MAX);
    // Before the form (the first answer): reads only, so a second delivery is harmless.
    let checked = tokio::time::timeout(budget, async {
        let (t, _) = own_ticket_read_only(data, user, id).await?;
        Ok::<_, CommandError>(t.status)
    })
    .await;
    match checked {
        Ok(Ok(Status::Closed)) => Err(errors::from_api(ApiError::TicketClosed, Some(id))),
        Ok(Ok(s)) => Ok(Some(s)),
        // A user error (not theirs, not linked) is answered now.
        Ok(Err(e @ CommandError::User(_))) => Err(e),
        Ok(Err(_)) | Err(_) => Ok(None),
    }
}

/// Refuses an attachment the bot would not download: a host off the allow-list, or too big.
pub fn check_attachment(
    a: &serenity::Attachment,
    settings: &crate::config::AttachmentSettings,
) -> Result<(), CommandError> {
    if !attachment_url_allowed(&a.url, &settings.hosts.0) {
        tracing::info!(url = %a.url, "attachment refused: not from an allowed host");
        return Err(CommandError::user(text!("reply-attachment-host")));
    }
    if u64::from(a.size) > u64::from(settings.max_bytes.0) {
        return Err(CommandError::user(text!(
            "reply-attachment-too-big",
            size = u64::from(a.size).div_ceil(1024 * 1024),
            max = settings.max_bytes.0 / (1024 * 1024)
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

/// The reply form in `locale`. On a Resolved ticket its title says that replying reopens it.
pub fn reply_modal(
    custom_id: String,
    id: TicketId,
    status: Option<Status>,
    locale: Locale,
) -> serenity::CreateModal {
    let resolved = status == Some(Status::Resolved);
    let title = if resolved {
        tr!(locale, "reply-form-title-reopens", ticket_id = id)
    } else {
        tr!(locale, "reply-form-title", ticket_id = id)
    };
    let placeholder = if resolved {
        tr!(locale, "reply-form-placeholder-reopens")
    } else {
        tr!(locale, "reply-form-placeholder")
    };
    let body = serenity::CreateInputText::new(
        serenity::InputTextStyle::Paragraph,
        render::truncate(&tr!(locale, "reply-form-message"), 45),
        "body",
    )
    .min_length(1)
    .max_length(render::MODAL_DESCRIPTION_MAX)
    .placeholder(render::truncate(&placeholder, 100))
    .required(true);
    serenity::CreateModal::new(custom_id, render::truncate(&title, 45))
        .components(vec![serenity::CreateActionRow::InputText(body)])
}

/// The form was submitted.
pub async fn submit(
    data: &Data,
    m: &serenity::ModalInteraction,
    id: TicketId,
    origin: u64,
    attachment: bool,
) -> Handled {
    let body = modal_value(&m.data, "body").unwrap_or_default();
    ticket::validate_message(&body).map_err(text_error)?;
    let uid = m.user.id.get();
    let file = pending_file(data, origin, uid, attachment).await?;
    let keyed = data.announces(capability::IDEMPOTENT_WRITES).await;
    let key = keyed.then(|| idempotency_key(origin));
    let locale = m.to_locale();
    let result = send(
        data,
        &m.user,
        id,
        &body,
        file.as_ref(),
        key.as_deref(),
        locale,
    )
    .await;
    if result.is_ok() && file.is_some() {
        data.store
            .discord()
            .forget_pending_attachment(origin)
            .await?;
    }
    match key {
        Some(key) => {
            let submission = Submission::Reply {
                ticket: id,
                body,
                file,
            };
            super::retry::keep_if_unknown(data, origin, uid, &key, submission, result).await
        }
        None => result,
    }
}

/// The reply's idempotency key: the interaction that showed the form.
pub fn idempotency_key(origin: u64) -> String {
    format!("discord-reply-{origin}")
}

/// The attachment recorded for the form `origin`, waiting briefly when the form says
/// there is one that is not recorded yet.
async fn pending_file(
    data: &Data,
    origin: u64,
    uid: u64,
    expected: bool,
) -> Result<Option<KeptFile>, CommandError> {
    let started = tokio::time::Instant::now();
    loop {
        if let Some(p) = data.store.discord().pending_attachment(origin, uid).await? {
            return Ok(Some(KeptFile {
                url: p.url,
                filename: p.filename,
                content_type: p.content_type,
                size: p.size,
            }));
        }
        if !expected {
            return Ok(None);
        }
        if started.elapsed() >= ATTACHMENT_WAIT {
            return Err(CommandError::user(text!("reply-attachment-lost")));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Sends a reply (also what *Try again* resends): ownership first, then the file, then
/// the reply.
pub async fn send(
    data: &Data,
    user: &serenity::User,
    id: TicketId,
    body: &str,
    file: Option<&KeptFile>,
    key: Option<&str>,
    locale: Locale,
) -> Handled {
    // Ownership is checked (by the API and again here) before any file is fetched.
    let (before, token) = with_api_slot(data, own_ticket(data, user, id)).await?;
    if before.status == Status::Closed {
        return Err(errors::from_api(ApiError::TicketClosed, Some(id)));
    }
    let reply = match file {
        Some(f) => {
            // The permits are held until the upload is done: the bytes live until then.
            let _permits = data.download_limits.acquire(f.size).await?;
            let upload = download(data, f).await?;
            with_api_slot(
                data,
                data.client
                    .reply_with_files(&token, id, body, vec![upload], key),
            )
            .await
        }
        None => with_api_slot(data, data.client.reply(&token, id, body, key)).await,
    }
    .map_err(api_err(Some(id)))?;
    let reopened = ticket::reply_reopens(before.status) && reply.ticket.status == Status::Open;
    let text = if reopened {
        tr!(locale, "reply-added-reopened", ticket_id = id)
    } else {
        tr!(locale, "reply-added", ticket_id = id)
    };
    let last = std::slice::from_ref(&reply.message);
    Ok(Answer::with_card(
        text,
        render::ticket_card(&reply.ticket, None, last, locale),
    ))
}

/// Bounds attachment downloads: how many at once and how many bytes are held in memory
/// between download and upload, so a burst of replies with files cannot exhaust memory.
pub struct DownloadLimits {
    slots: Semaphore,
    kib: Semaphore,
    kib_total: u32,
}

impl DownloadLimits {
    /// At most `concurrent` downloads and `bytes_in_flight` bytes at once.
    pub fn new(concurrent: usize, bytes_in_flight: u64) -> Self {
        let kib_total = u32::try_from(bytes_in_flight.div_ceil(1024))
            .unwrap_or(u32::MAX)
            .clamp(1, Semaphore::MAX_PERMITS as u32);
        Self {
            slots: Semaphore::new(concurrent.max(1)),
            kib: Semaphore::new(kib_total as usize),
            kib_total,
        }
    }

    /// Waits for room for a file of `size` bytes (a file larger than the whole budget
    /// waits for all of it).
    pub async fn acquire(
        &self,
        size: u64,
    ) -> Result<(SemaphorePermit<'_>, SemaphorePermit<'_>), CommandError> {
        let kib = u32::try_from(size.div_ceil(1024))
            .unwrap_or(u32::MAX)
            .clamp(1, self.kib_total);
        let wait = async {
            let slot = self.slots.acquire().await.ok()?;
            let bytes = self.kib.acquire_many(kib).await.ok()?;
            Some((slot, bytes))
        };
        match tokio::time::timeout(DOWNLOAD_QUEUE_WAIT, wait).await {
            Ok(Some(permits)) => Ok(permits),
            _ => Err(CommandError::user(text!("reply-downloads-busy"))),
        }
    }
}

/// Downloads an attachment from Discord's CDN: allow-listed hosts only, no redirects, at
/// most the size Discord declared (and the configured maximum).
async fn download(data: &Data, f: &KeptFile) -> Result<Upload, CommandError> {
    let refuse = || CommandError::user(text!("reply-attachment-unfetchable"));
    if !attachment_url_allowed(&f.url, &data.attachments.hosts.0) {
        return Err(refuse());
    }
    let url = url::Url::parse(&f.url).map_err(|_| refuse())?;
    let mut resp = data.downloads.get(url).send().await.map_err(|_| refuse())?;
    if !resp.status().is_success() {
        return Err(refuse());
    }
    let limit = f.size.min(u64::from(data.attachments.max_bytes.0));
    let mut chunks = Vec::new();
    let mut len = 0u64;
    while let Some(chunk) = resp.chunk().await.map_err(|_| refuse())? {
        len += chunk.len() as u64;
        if len > limit {
            return Err(CommandError::user(text!("reply-attachment-grew")));
        }
        chunks.push(chunk);
    }
    Ok(Upload {
        filename: f.filename.clone(),
        content_type: f.content_type.clone(),
        chunks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[tokio::test]
    async fn downloads_wait_for_room_in_count_and_bytes() {
        let limits = DownloadLimits::new(4, 20 * 1024 * 1024);
        let a = limits.acquire(10 * 1024 * 1024).await.unwrap();
        let b = limits.acquire(10 * 1024 * 1024).await.unwrap();
        // The byte budget is spent: a third 10 MiB file waits (a small one too).
        let third =
            tokio::time::timeout(Duration::from_millis(50), limits.acquire(10 * 1024 * 1024)).await;
        assert!(third.is_err(), "a third 10 MiB download went ahead");
        drop(a);
        let c = tokio::time::timeout(Duration::from_secs(1), limits.acquire(1))
            .await
            .expect("room after a download finished")
            .unwrap();
        // A file bigger than the whole budget waits for all of it rather than forever.
        drop((b, c));
        let whole = tokio::time::timeout(Duration::from_secs(1), limits.acquire(u64::MAX))
            .await
            .expect("a huge file takes the whole budget")
            .unwrap();
        drop(whole);
        // Count: four small downloads at once, the fifth waits.
        let held: Vec<_> = futures::future::join_all((0..4).map(|_| limits.acquire(1)))
            .await
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert!(
            tokio::time::timeout(Duration::from_millis(50), limits.acquire(1))
                .await
                .is_err()
        );
        drop(held);
    }
}

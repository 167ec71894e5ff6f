//! *Try again* after a write whose outcome is unknown (a timeout, a proxy's 5xx, a broken
//! answer): the submission is kept, and the button resends exactly it under the same
//! idempotency key, so the retry returns the first result if the first try went through
//! and can never do it twice. Offered only for keyed writes: opens always (creation keys
//! are in the v1 contract), replies and closes where the API announces
//! `tickets.idempotent_writes`.

use poise::serenity_prelude as serenity;

use crate::discord::common::{acknowledge, finish_component, Ack, Handled};
use crate::discord::ids::CustomId;
use crate::discord::{CommandError, Data};
use crate::i18n::{Locale, LocaleSource};
use crate::store::kept::{Kept, Submission};
use crate::text;
use crate::ticket::api::CreateTicket;
use crate::ticket::Topic;

/// Keeps `submission` when `result` is an unknown outcome and turns the error into one
/// with a *Try again* button. A kept submission stays until the key's window ends, so a
/// second press (a double click) replays the same answer.
pub async fn keep_if_unknown(
    data: &Data,
    origin: u64,
    user_id: u64,
    key: &str,
    submission: Submission,
    result: Handled,
) -> Handled {
    match result {
        Err(e) if e.outcome_unknown() => {
            let Some(custom_id) = CustomId::Retry(origin).encode() else {
                return Err(e);
            };
            let kept = Kept {
                user_id,
                backend: data.backend.clone(),
                idem_key: key.to_string(),
                submission,
            };
            match data.store.kept().keep(origin, &kept).await {
                Ok(()) => Err(e.with_retry(custom_id)),
                Err(store) => {
                    tracing::warn!(error = %store, "could not keep a submission for Try again");
                    Err(e)
                }
            }
        }
        other => other,
    }
}

/// The *Try again* button of interaction `origin`'s kept submission.
pub async fn press(
    ctx: &serenity::Context,
    data: &Data,
    c: &serenity::ComponentInteraction,
    origin: u64,
) {
    if !acknowledge(ctx, data, c, Ack::Update).await {
        return;
    }
    let handled = resend(data, &c.user, origin, c.to_locale()).await;
    finish_component(ctx, c, handled, "try again").await;
}

async fn resend(data: &Data, user: &serenity::User, origin: u64, locale: Locale) -> Handled {
    let Some(kept) = data.store.kept().get(origin).await? else {
        return Err(CommandError::user(text!("retry-too-old")));
    };
    // Only the user who submitted it; ephemeral messages make anything else unlikely.
    if kept.user_id != user.id.get() {
        return Err(CommandError::user(text!("retry-not-yours")));
    }
    if kept.backend != data.backend {
        return Err(CommandError::user(text!("retry-backend-changed")));
    }
    let key = kept.idem_key.clone();
    let result = match &kept.submission {
        Submission::Open {
            topic,
            subject,
            message,
            property_id,
        } => {
            let body = CreateTicket {
                topic: Topic::from(*topic),
                subject: subject.clone(),
                message: message.clone(),
                property_id: property_id.clone(),
            };
            super::open::create(data, user, origin, &body, &key, locale).await
        }
        Submission::Reply { ticket, body, file } => {
            super::reply::send(data, user, *ticket, body, file.as_ref(), Some(&key), locale).await
        }
        Submission::Close { ticket } => {
            super::close::perform(data, user, *ticket, Some(&key), locale).await
        }
    };
    keep_if_unknown(data, origin, kept.user_id, &key, kept.submission, result).await
}

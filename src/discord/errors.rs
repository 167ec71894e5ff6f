//! Two kinds of failure: what the user can fix (shown in plain words) and what went wrong
//! inside (logged with its detail under a reference id; the user sees only the id).

use crate::client::ApiError;
use crate::i18n::{Locale, Text};
use crate::store::StoreError;
use crate::text;

#[derive(Debug)]
pub enum CommandError {
    /// Shown to the user, in their language.
    User(Text),
    /// The ticket API could not be reached or gave no usable answer; `outcome` says what
    /// the user may assume.
    Unavailable { detail: String, outcome: Outcome },
    /// A bug or corrupt data: logged; the user gets a short apology with the reference.
    Internal { detail: String },
    /// Discord refused the first answer because another session already gave one (40060:
    /// the interaction was delivered twice, e.g. to two replicas during a gateway
    /// handoff). The handler stops: no side effect, nothing shown, counted.
    Duplicate,
}

/// What an unavailable API may have done with the request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Certainly nothing: a read, or a write refused before it reached the API.
    Unchanged,
    /// A write may have gone through, and repeating it could do it twice.
    Unknown,
    /// A write may have gone through; the kept submission can be resent under the same
    /// idempotency key with this button's custom id, so a retry cannot double it.
    Retry { custom_id: String },
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CommandError::User(m) => f.write_str(&m.render(Locale::EN_US)),
            CommandError::Unavailable { detail, .. } | CommandError::Internal { detail } => {
                f.write_str(detail)
            }
            CommandError::Duplicate => f.write_str("interaction already acknowledged elsewhere"),
        }
    }
}

impl std::error::Error for CommandError {}

impl CommandError {
    /// What the user can fix, in words from the language files (`text!("key", …)`).
    pub fn user(message: Text) -> Self {
        CommandError::User(message)
    }

    pub fn internal(detail: impl std::fmt::Display) -> Self {
        CommandError::Internal {
            detail: detail.to_string(),
        }
    }

    /// Whether a write that failed this way may have taken effect.
    pub fn outcome_unknown(&self) -> bool {
        matches!(
            self,
            CommandError::Unavailable {
                outcome: Outcome::Unknown,
                ..
            }
        )
    }

    /// An unknown outcome made retryable by the button `custom_id`.
    pub fn with_retry(self, custom_id: String) -> Self {
        match self {
            CommandError::Unavailable {
                detail,
                outcome: Outcome::Unknown,
            } => CommandError::Unavailable {
                detail,
                outcome: Outcome::Retry { custom_id },
            },
            other => other,
        }
    }

    /// The text the user sees, in `locale`; internal details are logged under `reference`
    /// instead.
    pub fn user_message(&self, reference: &str, locale: Locale) -> String {
        let shown = match self {
            CommandError::User(m) => return m.render(locale),
            CommandError::Unavailable {
                outcome: Outcome::Unchanged,
                ..
            } => text!("error-unavailable-unchanged"),
            CommandError::Unavailable {
                outcome: Outcome::Unknown,
                ..
            } => text!("error-unavailable-unknown"),
            CommandError::Unavailable {
                outcome: Outcome::Retry { .. },
                ..
            } => text!("error-unavailable-retry"),
            CommandError::Internal { .. } | CommandError::Duplicate => text!("error-internal"),
        };
        shown.arg("reference", reference).render(locale)
    }

    /// The *Try again* button of a retryable unknown outcome.
    pub fn retry_button(&self, locale: Locale) -> Option<serenity::all::CreateActionRow> {
        let CommandError::Unavailable {
            outcome: Outcome::Retry { custom_id },
            ..
        } = self
        else {
            return None;
        };
        Some(serenity::all::CreateActionRow::Buttons(vec![
            serenity::all::CreateButton::new(custom_id.clone())
                .label(crate::tr!(locale, "button-try-again"))
                .style(serenity::all::ButtonStyle::Primary),
        ]))
    }
}

/// A fresh short reference id for an internal error, also written to the log.
pub fn new_reference() -> String {
    use rand::Rng;
    let n: u32 = rand::thread_rng().gen();
    format!("E-{n:08X}")
}

/// Maps the error of a read (which changes nothing) about ticket `id` to the user's words.
pub fn from_read(e: ApiError, ticket: Option<u64>) -> CommandError {
    match from_api(e, ticket) {
        CommandError::Unavailable { detail, .. } => CommandError::Unavailable {
            detail,
            outcome: Outcome::Unchanged,
        },
        other => other,
    }
}

/// Maps a ticket API error to what the user is told about ticket `id` (if any).
pub fn from_api(e: ApiError, ticket: Option<u64>) -> CommandError {
    match e {
        ApiError::NotFound => CommandError::user(match ticket {
            Some(t) => text!("error-not-found", ticket_id = t),
            None => text!("error-not-found-any"),
        }),
        ApiError::TicketClosed => CommandError::user(match ticket {
            Some(t) => text!("error-ticket-closed", ticket_id = t),
            None => text!("error-ticket-closed-any"),
        }),
        // The API's own words: shown as it wrote them.
        ApiError::Validation { field, message } => {
            CommandError::user(text!("error-validation", field = field, message = message))
        }
        ApiError::IdempotencyConflict => CommandError::user(text!("error-idempotency-conflict")),
        ApiError::Unauthorized => CommandError::user(text!("error-unauthorized")),
        ApiError::Forbidden { .. } => CommandError::user(text!("error-forbidden")),
        ApiError::PayloadTooLarge { message } => {
            CommandError::user(text!("error-too-large", message = message))
        }
        ApiError::Unavailable {
            reason,
            maybe_applied,
        } => CommandError::Unavailable {
            outcome: if maybe_applied {
                Outcome::Unknown
            } else {
                Outcome::Unchanged
            },
            detail: format!("ticket API unavailable: {reason}"),
        },
        // A refusal: the API did not act on it.
        e @ ApiError::RateLimited { .. } => CommandError::Unavailable {
            detail: e.to_string(),
            outcome: Outcome::Unchanged,
        },
        e @ (ApiError::Undecodable { .. } | ApiError::Rejected { .. }) => CommandError::internal(e),
    }
}

impl From<StoreError> for CommandError {
    fn from(e: StoreError) -> Self {
        CommandError::internal(format!("store: {e}"))
    }
}

/// Discord's "Interaction has already been acknowledged".
pub const ALREADY_ACKNOWLEDGED: isize = 40060;

/// Whether Discord refused an initial response because another session gave one first.
pub fn already_acknowledged(e: &serenity::Error) -> bool {
    matches!(
        e,
        serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(r))
            if r.error.code == ALREADY_ACKNOWLEDGED
    )
}

impl From<serenity::Error> for CommandError {
    fn from(e: serenity::Error) -> Self {
        if already_acknowledged(&e) {
            return CommandError::Duplicate;
        }
        CommandError::internal(format!("discord: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_errors_are_plain_and_internal_ones_hide_detail() {
        let e = from_api(ApiError::NotFound, Some(7));
        assert!(e.user_message("E-1", Locale::EN_US).contains("ticket #7"));
        let e = from_api(ApiError::TicketClosed, Some(7));
        assert!(e
            .user_message("E-1", Locale::EN_US)
            .starts_with("Ticket #7 is Closed"));
        let e = from_api(ApiError::unsent("cannot connect to 10.0.0.1"), None);
        let shown = e.user_message("E-00000001", Locale::EN_US);
        assert!(shown.contains("Nothing was changed"));
        assert!(shown.contains("E-00000001"));
        assert!(!shown.contains("10.0.0.1"));
        // A timeout, a proxy's 502 after a commit, a broken body: the write may be done.
        for reason in [
            crate::client::TIMED_OUT,
            "server error 502",
            "error decoding body",
        ] {
            let unknown = ApiError::Unavailable {
                reason: reason.into(),
                maybe_applied: true,
            };
            let shown = from_api(unknown.clone(), None).user_message("E-3", Locale::EN_US);
            assert!(shown.contains("can't tell whether"), "{reason}");
            assert!(!shown.contains("Nothing was changed"), "{reason}");
            assert!(!shown.contains("Try again"), "{reason}");
            // A read changed nothing, whatever happened to it.
            let read = from_read(unknown.clone(), None).user_message("E-3", Locale::EN_US);
            assert!(read.contains("Nothing was changed"), "{reason}");
            // Kept and keyed, it offers the button.
            let retry = from_api(unknown, None).with_retry("t:retry:1".into());
            assert!(retry
                .user_message("E-4", Locale::EN_US)
                .contains("Try again"));
            assert!(retry.retry_button(Locale::EN_US).is_some());
        }
        assert!(from_api(ApiError::unsent("x"), None)
            .with_retry("t:retry:1".into())
            .retry_button(Locale::EN_US)
            .is_none());
        let e = from_api(
            ApiError::Undecodable {
                status: 200,
                body: "secret internals".into(),
            },
            None,
        );
        assert!(!e
            .user_message("E-2", Locale::EN_US)
            .contains("secret internals"));
    }

    #[test]
    fn references_are_unique_enough() {
        let a: std::collections::HashSet<String> = (0..100).map(|_| new_reference()).collect();
        assert!(a.len() > 95);
    }
}

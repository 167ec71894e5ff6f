//! Two kinds of failure: what the user can fix (shown in plain words) and what went wrong
//! inside (logged with its detail under a reference id; the user sees only the id).

use crate::client::ApiError;
use crate::store::StoreError;

#[derive(Debug)]
pub enum CommandError {
    /// Shown to the user as is.
    User(String),
    /// The ticket API could not be reached or did not answer. `unchanged` is true when it
    /// certainly did nothing (refused connection, 5xx, 429); false after a timeout, when a
    /// change may have gone through.
    Unavailable { detail: String, unchanged: bool },
    /// A bug or corrupt data: logged; the user gets a short apology with the reference.
    Internal { detail: String },
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CommandError::User(m) => f.write_str(m),
            CommandError::Unavailable { detail, .. } | CommandError::Internal { detail } => {
                f.write_str(detail)
            }
        }
    }
}

impl std::error::Error for CommandError {}

impl CommandError {
    pub fn user(message: impl Into<String>) -> Self {
        CommandError::User(message.into())
    }

    pub fn internal(detail: impl std::fmt::Display) -> Self {
        CommandError::Internal {
            detail: detail.to_string(),
        }
    }

    /// The text the user sees; internal details are logged under `reference` instead.
    pub fn user_message(&self, reference: &str) -> String {
        match self {
            CommandError::User(m) => m.clone(),
            CommandError::Unavailable {
                unchanged: true, ..
            } => format!(
                "The ticket service is not available right now. Nothing was changed, so it is \
                 safe to try again in a moment. (ref `{reference}`)"
            ),
            CommandError::Unavailable {
                unchanged: false, ..
            } => format!(
                "The ticket service did not answer in time, so I can't tell whether that went \
                 through. Check with `/ticket list` before trying again. (ref `{reference}`)"
            ),
            CommandError::Internal { .. } => format!(
                "Something went wrong on our side. Please try again; if it keeps happening, \
                 give support this reference: `{reference}`."
            ),
        }
    }
}

/// A fresh short reference id for an internal error, also written to the log.
pub fn new_reference() -> String {
    use rand::Rng;
    let n: u32 = rand::thread_rng().gen();
    format!("E-{n:08X}")
}

/// Maps a ticket API error to what the user is told about ticket `id` (if any).
pub fn from_api(e: ApiError, ticket: Option<u64>) -> CommandError {
    let which = ticket.map_or("that ticket".to_string(), |t| format!("ticket #{t}"));
    match e {
        ApiError::NotFound => CommandError::user(format!(
            "I can't find {which} among your tickets. Check the number with `/ticket list`."
        )),
        ApiError::TicketClosed => CommandError::user(format!(
            "{} is Closed. Closed is final: it takes no more messages or changes. Open a new \
             ticket with `/ticket open` if you need more help.",
            capitalise(&which)
        )),
        ApiError::Validation { field, message } => {
            CommandError::user(format!("That was not accepted ({field}): {message}"))
        }
        ApiError::IdempotencyConflict => CommandError::user(
            "That form was already submitted with different text. Start again with `/ticket open`.",
        ),
        ApiError::Unauthorized => CommandError::user(
            "Paradarum did not accept your linked token. Link your account again with \
             `/ticket link`.",
        ),
        ApiError::Forbidden { .. } => {
            CommandError::user("Paradarum does not allow that for your account.")
        }
        ApiError::PayloadTooLarge { message } => {
            CommandError::user(format!("That is too large: {message}"))
        }
        ApiError::Unavailable { reason } => CommandError::Unavailable {
            unchanged: reason != crate::client::TIMED_OUT,
            detail: format!("ticket API unavailable: {reason}"),
        },
        e @ ApiError::RateLimited { .. } => CommandError::Unavailable {
            detail: e.to_string(),
            unchanged: true,
        },
        e @ (ApiError::Undecodable { .. } | ApiError::Rejected { .. }) => CommandError::internal(e),
    }
}

/// `s` with its first letter upper-case.
pub(crate) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

impl From<StoreError> for CommandError {
    fn from(e: StoreError) -> Self {
        CommandError::internal(format!("store: {e}"))
    }
}

impl From<serenity::Error> for CommandError {
    fn from(e: serenity::Error) -> Self {
        CommandError::internal(format!("discord: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_errors_are_plain_and_internal_ones_hide_detail() {
        let e = from_api(ApiError::NotFound, Some(7));
        assert!(e.user_message("E-1").contains("ticket #7"));
        let e = from_api(ApiError::TicketClosed, Some(7));
        assert!(e.user_message("E-1").starts_with("Ticket #7 is Closed"));
        let e = from_api(
            ApiError::Unavailable {
                reason: "server error 503 from 10.0.0.1".into(),
            },
            None,
        );
        let shown = e.user_message("E-00000001");
        assert!(shown.contains("Nothing was changed"));
        assert!(shown.contains("E-00000001"));
        assert!(!shown.contains("10.0.0.1"));
        let e = from_api(
            ApiError::Unavailable {
                reason: crate::client::TIMED_OUT.into(),
            },
            None,
        );
        let shown = e.user_message("E-3");
        assert!(shown.contains("can't tell whether"));
        assert!(!shown.contains("Nothing was changed"));
        let e = from_api(
            ApiError::Undecodable {
                status: 200,
                body: "secret internals".into(),
            },
            None,
        );
        assert!(!e.user_message("E-2").contains("secret internals"));
    }

    #[test]
    fn references_are_unique_enough() {
        let a: std::collections::HashSet<String> = (0..100).map(|_| new_reference()).collect();
        assert!(a.len() > 95);
    }
}

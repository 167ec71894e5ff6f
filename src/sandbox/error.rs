//! The sandbox's error answers: always `{"error", "message", "field"?}` with the
//! contract's status codes, never a framework's plain-text body.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::store::StoreError;
use crate::ticket::api::{code, ErrorBody, Ticket};

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: ErrorBody,
    /// With `status_changed`: the ticket as it is now, sent beside the error fields.
    pub ticket: Option<Box<Ticket>>,
}

/// The error body with the ticket beside it (`status_changed`).
#[derive(serde::Serialize)]
struct WithTicket<'a> {
    #[serde(flatten)]
    body: &'a ErrorBody,
    #[serde(skip_serializing_if = "Option::is_none")]
    ticket: Option<&'a Ticket>,
}

impl ApiError {
    fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            body: ErrorBody {
                error: code.into(),
                message: message.into(),
                field: None,
            },
            ticket: None,
        }
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            code::UNAUTHORIZED,
            "a valid `Authorization: Bearer <token>` header is required",
        )
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, code::FORBIDDEN, message)
    }

    pub fn missing_scope(scope: &str) -> Self {
        Self::forbidden(format!("this token lacks the `{scope}` scope"))
    }

    /// Also the answer for another account's ticket: existence must not leak.
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, code::NOT_FOUND, "no such resource")
    }

    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        let mut e = Self::new(StatusCode::BAD_REQUEST, code::VALIDATION, message);
        e.body.field = Some(field.to_string());
        e
    }

    pub fn ticket_closed() -> Self {
        Self::new(
            StatusCode::CONFLICT,
            code::TICKET_CLOSED,
            "the ticket is Closed; Closed is final and locked",
        )
    }

    /// A status change whose `expectedStatus` is not the ticket's status: nothing changed,
    /// and the caller sees what the ticket is now.
    pub fn status_changed(now: Ticket) -> Self {
        let mut e = Self::new(
            StatusCode::CONFLICT,
            code::STATUS_CHANGED,
            format!(
                "the ticket's status is {} ({}), not the expected one; nothing was changed",
                now.status.api_value(),
                now.status.label()
            ),
        );
        e.ticket = Some(Box::new(now));
        e
    }

    pub fn idempotency_conflict() -> Self {
        Self::new(
            StatusCode::CONFLICT,
            code::IDEMPOTENCY_CONFLICT,
            "this Idempotency-Key was used for a different request",
        )
    }

    pub fn too_large(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            code::PAYLOAD_TOO_LARGE,
            message,
        )
    }

    pub fn invalid_json(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code::INVALID_JSON, message)
    }

    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            code::METHOD_NOT_ALLOWED,
            "this method is not allowed on this path",
        )
    }

    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            code::INTERNAL,
            "the sandbox failed to handle the request",
        )
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        tracing::error!(error = %e, "sandbox storage error");
        Self::internal()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = WithTicket {
            body: &self.body,
            ticket: self.ticket.as_deref(),
        };
        (self.status, Json(body)).into_response()
    }
}

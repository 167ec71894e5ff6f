//! `POST /webhooks/paradarum`: Standard Webhooks verification, then the inbox.
//!
//! The body is capped (256 KiB) before it is read whole; the signature is checked in
//! constant time against every `v1,` signature given; the event is stored before the 2xx,
//! and a replayed id changes nothing.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::Wakers;
use crate::metrics::Metrics;
use crate::signing::WebhookSecret;
use crate::store::Store;
use crate::ticket::api::Event;

pub const BODY_LIMIT: usize = 256 * 1024;

#[derive(Clone)]
pub struct WebhookState {
    pub secret: WebhookSecret,
    /// The backend the signed events come from (the one the secret belongs to).
    pub backend: String,
    pub store: Store,
    pub metrics: Arc<Metrics>,
    pub wakers: Wakers,
}

fn refuse(status: StatusCode, error: &str) -> Response {
    (status, Json(json!({"error": error}))).into_response()
}

pub async fn receive(
    State(state): State<Arc<WebhookState>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let too_large = headers
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|n| n > BODY_LIMIT);
    if too_large {
        return refuse(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    }
    let Ok(bytes) = axum::body::to_bytes(body, BODY_LIMIT).await else {
        return refuse(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    };
    let h = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    };
    let now = chrono::Utc::now().timestamp();
    if let Err(e) = state.secret.verify(
        h("webhook-id"),
        h("webhook-timestamp"),
        h("webhook-signature"),
        &bytes,
        now,
    ) {
        Metrics::inc(&state.metrics.signature_failures);
        tracing::warn!(reason = %e, id = h("webhook-id"), "webhook refused");
        return refuse(StatusCode::UNAUTHORIZED, "invalid_signature");
    }
    let event: Event = match serde_json::from_slice(&bytes) {
        Ok(e) => e,
        Err(e) => {
            tracing::warn!(error = %e, "signed webhook with a body that is not an event");
            return refuse(StatusCode::BAD_REQUEST, "invalid_event");
        }
    };
    match state
        .store
        .notify()
        .receive(&state.backend, &[event], "webhook", None)
        .await
    {
        Ok(fresh) => {
            if fresh > 0 {
                Metrics::add(&state.metrics.events_webhook, fresh as u64);
                state.wakers.processor.notify_one();
            }
            StatusCode::NO_CONTENT.into_response()
        }
        Err(e) => {
            // Not stored: a non-2xx makes the sender retry.
            tracing::error!(error = %e, "could not store a webhook event");
            refuse(StatusCode::SERVICE_UNAVAILABLE, "unavailable")
        }
    }
}

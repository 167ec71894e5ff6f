//! The bot's own HTTP endpoints: `/healthz` (the process is up) and `/readyz` (it can do
//! its work: the store takes writes). The notification issue adds the webhook receiver and
//! `/metrics` on the same listener.

use std::net::SocketAddr;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::store::Store;

#[derive(Clone)]
struct HttpState {
    store: Store,
}

/// A bound, not yet serving listener (bind first so the port is known and a taken port
/// fails start-up before anything else runs).
pub struct HttpServer {
    listener: TcpListener,
    state: HttpState,
}

impl HttpServer {
    pub async fn bind(addr: SocketAddr, store: Store) -> std::io::Result<Self> {
        Ok(Self {
            listener: TcpListener::bind(addr).await?,
            state: HttpState { store },
        })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    pub async fn run(self, shutdown: CancellationToken) -> std::io::Result<()> {
        let app = Router::new()
            .route("/healthz", get(healthz))
            .route("/readyz", get(readyz))
            .with_state(self.state);
        axum::serve(self.listener, app)
            .with_graceful_shutdown(shutdown.cancelled_owned())
            .await
    }
}

async fn healthz() -> impl IntoResponse {
    Json(json!({"status": "ok"}))
}

async fn readyz(State(state): State<HttpState>) -> impl IntoResponse {
    match state.store.check_writable().await {
        Ok(()) => (
            StatusCode::OK,
            Json(json!({"status": "ready", "store": "ok"})),
        ),
        Err(e) => {
            tracing::warn!(error = %e, "readiness: the store does not take writes");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"status": "not ready", "store": "failing"})),
            )
        }
    }
}

/// The address a local client uses to reach a listener bound to `addr` (a wildcard
/// address is reached through loopback).
pub fn local_target(addr: SocketAddr) -> SocketAddr {
    match addr {
        SocketAddr::V4(a) if a.ip().is_unspecified() => {
            SocketAddr::from(([127, 0, 0, 1], a.port()))
        }
        SocketAddr::V6(a) if a.ip().is_unspecified() => {
            SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, a.port()))
        }
        other => other,
    }
}

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

use crate::discord::GatewayState;
use crate::store::Store;

#[derive(Clone)]
struct HttpState {
    store: Store,
    /// Present when the bot connects to Discord; readiness then needs the gateway.
    gateway: Option<std::sync::Arc<GatewayState>>,
}

/// A bound, not yet serving listener (bind first so the port is known and a taken port
/// fails start-up before anything else runs).
pub struct HttpServer {
    listener: TcpListener,
    state: HttpState,
}

impl HttpServer {
    pub async fn bind(
        addr: SocketAddr,
        store: Store,
        gateway: Option<std::sync::Arc<GatewayState>>,
    ) -> std::io::Result<Self> {
        Ok(Self {
            listener: TcpListener::bind(addr).await?,
            state: HttpState { store, gateway },
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
    let store_ok = match state.store.check_writable().await {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!(error = %e, "readiness: the store does not take writes");
            false
        }
    };
    let gateway = state.gateway.as_ref().map(|g| g.is_connected());
    let ready = store_ok && gateway.unwrap_or(true);
    let body = json!({
        "status": if ready { "ready" } else { "not ready" },
        "store": if store_ok { "ok" } else { "failing" },
        "gateway": match gateway {
            None => "not used",
            Some(true) => "connected",
            Some(false) => "disconnected",
        },
    });
    let code = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (code, Json(body))
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

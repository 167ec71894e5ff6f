//! The bot's own HTTP endpoints. On `HTTP_LISTEN` (public): `/healthz` (the process is
//! up), `/readyz` (the store answers, and for a single process the gateway is connected;
//! its body also says which roles this replica holds and how the notification pipeline is
//! doing) and `POST /webhooks/paradarum` (signed ticket
//! events). On `METRICS_LISTEN` (loopback by default): `/metrics` (Prometheus), so the
//! public listener never shows the bot's internals.
//!
//! Readiness and metrics read the store only (never its single writer, which a webhook
//! needs before its 2xx), and each has a few slots: when they are taken the answer is
//! an immediate 503, so a flood of probes or scrapes cannot take the read pool or the
//! CPU from the webhook path and the pipeline.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::serve::ListenerExt;
use axum::{Json, Router};
use serde_json::json;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;

use crate::discord::GatewayState;
use crate::metrics::{Format, Metrics, Scrape};
use crate::notify::health::Health;
use crate::notify::webhook::{self, WebhookState};
use crate::replica::{Role, Roles};
use crate::store::Store;

/// What the endpoints read.
#[derive(Clone)]
pub struct HttpState {
    pub store: Store,
    /// Present when the bot connects to Discord; readiness then needs the gateway.
    pub gateway: Option<Arc<GatewayState>>,
    pub metrics: Arc<Metrics>,
    /// Present when `PARADARUM_WEBHOOK_SECRET` is set.
    pub webhook: Option<Arc<WebhookState>>,
    /// The notification pipeline's state.
    pub health: Arc<Health>,
    /// The ticket API in use (its inbox backlog is reported).
    pub backend: String,
    /// Slots for `/readyz` and `/metrics` (see [`Probes`]).
    pub probes: Arc<Probes>,
    /// The roles this replica holds (see `crate::replica`).
    pub roles: Option<Roles>,
}

/// `/readyz` answers that may run at once. Each holds a read connection for one query;
/// with the scrape's below, they leave most of the store's 4 readers to the bot.
pub const READYZ_SLOTS: usize = 2;
/// `/metrics` scrapes that may run at once (two queries each, one after the other).
pub const METRICS_SLOTS: usize = 1;

/// The slots that bound readiness probes and metrics scrapes; one set per process.
pub struct Probes {
    readyz: Semaphore,
    metrics: Semaphore,
}

impl Default for Probes {
    fn default() -> Self {
        Self {
            readyz: Semaphore::new(READYZ_SLOTS),
            metrics: Semaphore::new(METRICS_SLOTS),
        }
    }
}

/// The answer when every slot is taken: at once, without touching the store.
fn busy() -> axum::response::Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [("retry-after", "1")],
        Json(json!({"status": "busy",
            "message": "too many requests to this endpoint at once; try again"})),
    )
        .into_response()
}

/// A bound, not yet serving listener (bind first so the port is known and a taken port
/// fails start-up before anything else runs).
pub struct HttpServer {
    listener: TcpListener,
    state: HttpState,
}

impl HttpServer {
    pub async fn bind(addr: SocketAddr, state: HttpState) -> std::io::Result<Self> {
        Ok(Self::on(TcpListener::bind(addr).await?, state))
    }

    /// Serves on a listener bound earlier (the bot binds before it knows its state, so
    /// that what it hands out, like the sandbox's webhook target, names the real port).
    pub fn on(listener: TcpListener, state: HttpState) -> Self {
        Self { listener, state }
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    pub async fn run(self, shutdown: CancellationToken) -> std::io::Result<()> {
        let hooks = match &self.state.webhook {
            Some(w) => Router::new()
                .route("/webhooks/paradarum", post(webhook::receive))
                .layer(DefaultBodyLimit::max(webhook::BODY_LIMIT))
                .with_state(w.clone()),
            None => Router::new().route(
                "/webhooks/paradarum",
                post(|| async {
                    (
                        StatusCode::NOT_FOUND,
                        Json(json!({"error": "webhooks_not_configured",
                            "message": "set PARADARUM_WEBHOOK_SECRET to receive webhooks"})),
                    )
                }),
            ),
        };
        let app = Router::new()
            .route("/healthz", get(healthz))
            .route("/readyz", get(readyz))
            .with_state(self.state)
            .merge(hooks);
        serve(self.listener, app, shutdown).await
    }
}

/// The metrics listener, bound and not yet serving (like [`HttpServer`]).
pub struct MetricsServer {
    listener: TcpListener,
    state: HttpState,
}

impl MetricsServer {
    pub async fn bind(addr: SocketAddr, state: HttpState) -> std::io::Result<Self> {
        Ok(Self {
            listener: TcpListener::bind(addr).await?,
            state,
        })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    pub async fn run(self, shutdown: CancellationToken) -> std::io::Result<()> {
        let app = Router::new()
            .route("/metrics", get(metrics))
            .with_state(self.state);
        serve(self.listener, app, shutdown).await
    }
}

async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: CancellationToken,
) -> std::io::Result<()> {
    // Small responses go out at once (no Nagle delay waiting for the peer's ACK).
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown.cancelled_owned())
        .await
}

async fn healthz() -> impl IntoResponse {
    Json(json!({"status": "ok"}))
}

async fn metrics(
    State(state): State<HttpState>,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    let Ok(_slot) = state.probes.metrics.try_acquire() else {
        Metrics::inc(&state.metrics.scrapes_refused);
        return busy();
    };
    let notify = state.store.notify();
    let depth = notify.depth().await.unwrap_or(-1);
    let (backlog, oldest) = notify.backlog(&state.backend).await.unwrap_or((-1, None));
    let age = oldest.map_or(0.0, |t| {
        (crate::store::now_millis().saturating_sub(t)).max(0) as f64 / 1000.0
    });
    let scrape = Scrape {
        outbox_depth: depth,
        inbox_backlog: backlog,
        inbox_oldest_age_secs: age,
        paused: state.health.is_paused(),
        gateway_connected: state.gateway.as_ref().map(|g| g.is_connected()),
        roles: state.roles.as_ref().map_or_else(Vec::new, |r| {
            let snap = r.snapshot();
            vec![
                (Role::Pipeline.name(), snap.pipeline),
                (Role::Registration.name(), snap.registration),
                ("gateway", !snap.gateway.is_empty()),
            ]
        }),
    };
    // Prometheus asks for OpenMetrics first; anything else gets the classic text format.
    let accept = headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok());
    let format = Format::from_accept(accept);
    (
        [("content-type", format.content_type())],
        state.metrics.render(&scrape, format),
    )
        .into_response()
}

async fn readyz(State(state): State<HttpState>) -> axum::response::Response {
    let Ok(_slot) = state.probes.readyz.try_acquire() else {
        Metrics::inc(&state.metrics.readyz_refused);
        return busy();
    };
    // Reads only: a flood of probes never queues behind the writer a webhook needs.
    let store_ok = match state.store.check_readable().await {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!(error = %e, "readiness: the store does not answer");
            false
        }
    };
    let gateway = state.gateway.as_ref().map(|g| g.is_connected());
    let snapshot = state.roles.as_ref().map(|r| (r.is_solo(), r.snapshot()));
    // One process (SQLite): ready needs its gateway, as always. Among replicas the code
    // means only "can take webhooks" (store reachable), so standbys stay in the balancer.
    let gateway_gates = match &snapshot {
        Some((solo, snap)) => *solo && !snap.gateway.is_empty(),
        None => true,
    };
    let ready = store_ok && (!gateway_gates || gateway.unwrap_or(true));
    let mut body = json!({
        "status": if ready { "ready" } else { "not ready" },
        "store": if store_ok { "ok" } else { "failing" },
        "gateway": match gateway {
            None => "not used",
            Some(true) => "connected",
            Some(false) => "disconnected",
        },
        // Reported, not part of the status code: a paused pipeline can still take webhooks.
        "notifications": state.health.summary(),
        "stages": state.health.stages(),
    });
    if let Some((_, snap)) = snapshot {
        let (replica, roles) = snap.to_json();
        body["replica"] = replica;
        body["roles"] = roles;
    }
    let code = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (code, Json(body)).into_response()
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

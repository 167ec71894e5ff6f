//! The embedded sandbox: a faithful implementation of Paradarum's ticket API v1 over
//! HTTP, persisted in SQLite. The bot uses it by default, so it runs before anyone has
//! Paradarum credentials, and every test runs against it over real HTTP.
//!
//! It applies the ticket model's rules (never its own), stores nothing for a refused
//! request, and can push its events as signed webhooks.

mod auth;
mod body;
mod error;
mod handlers;
mod retention;
mod webhooks;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::serve::ListenerExt;
use axum::Router;
use secrecy::SecretString;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use url::Url;

pub use auth::{hash_token, new_token};
pub use error::ApiError;

use crate::signing::WebhookSecret;
use crate::store::Store;

/// Largest JSON body the sandbox reads (a 20,000-character message fits with room).
pub const JSON_BODY_LIMIT: usize = 256 * 1024;
/// Largest multipart reply: five 10 MiB files and the text.
pub const MULTIPART_BODY_LIMIT: usize = 5 * 10 * 1024 * 1024 + 1024 * 1024;

/// Where and how the sandbox pushes its events.
#[derive(Clone, Debug)]
pub struct WebhookTarget {
    pub url: Url,
    pub secret: WebhookSecret,
    pub max_attempts: u32,
    /// The first retry waits this long; each next one twice as long, up to a minute.
    pub first_backoff: Duration,
}

pub struct SandboxConfig {
    pub admin_token: SecretString,
    pub webhook: Option<WebhookTarget>,
    /// Delete events older than this (at start, then hourly); None keeps them forever.
    /// The newest event and events the webhook sender has not delivered are always kept.
    pub retention: Option<Duration>,
}

impl SandboxConfig {
    /// No webhooks, events kept forever.
    pub fn new(admin_token: SecretString) -> Self {
        Self {
            admin_token,
            webhook: None,
            retention: None,
        }
    }
}

#[derive(Clone)]
pub(crate) struct AppState {
    pub store: Store,
    pub admin_token: Arc<SecretString>,
    /// Woken on every new event so webhooks go out without polling delay.
    pub events: Arc<Notify>,
    /// The last change time handed out (unix ms).
    pub clock: Arc<std::sync::atomic::AtomicI64>,
}

impl AppState {
    /// A change time: the wall clock, but strictly later than the previous one, so "most
    /// recently updated first" is exact even for changes in the same millisecond.
    pub fn tick(&self) -> i64 {
        use std::sync::atomic::Ordering;
        let now = crate::store::now_millis();
        let mut prev = self.clock.load(Ordering::SeqCst);
        loop {
            let next = now.max(prev + 1);
            match self
                .clock
                .compare_exchange(prev, next, Ordering::SeqCst, Ordering::SeqCst)
            {
                Ok(_) => return next,
                Err(p) => prev = p,
            }
        }
    }
}

/// A bound, not yet serving sandbox. Binding first lets callers learn the port (tests bind
/// `127.0.0.1:0`) before it serves.
pub struct Sandbox {
    listener: TcpListener,
    state: AppState,
    webhook: Option<WebhookTarget>,
    retention: Option<Duration>,
}

impl Sandbox {
    pub async fn bind(
        addr: SocketAddr,
        store: Store,
        config: SandboxConfig,
    ) -> std::io::Result<Self> {
        let listener = TcpListener::bind(addr).await?;
        Ok(Self {
            listener,
            state: AppState {
                store,
                admin_token: Arc::new(config.admin_token),
                events: Arc::new(Notify::new()),
                clock: Arc::new(std::sync::atomic::AtomicI64::new(0)),
            },
            webhook: config.webhook,
            retention: config.retention,
        })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `shutdown` is cancelled; requests in flight are finished first.
    pub async fn run(self, shutdown: CancellationToken) -> std::io::Result<()> {
        let webhook_task = self.webhook.clone().map(|target| {
            tokio::spawn(webhooks::deliver(
                self.state.store.clone(),
                self.state.events.clone(),
                target,
                shutdown.clone(),
            ))
        });
        let retention_task = self.retention.map(|keep| {
            tokio::spawn(retention::run(
                self.state.store.clone(),
                keep,
                self.webhook.is_some(),
                shutdown.clone(),
            ))
        });
        let app = router(self.state);
        // Small responses go out at once (no Nagle delay waiting for the peer's ACK).
        let listener = self.listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(shutdown.clone().cancelled_owned())
            .await;
        if webhook_task.is_some() || retention_task.is_some() {
            shutdown.cancel();
        }
        for task in [webhook_task, retention_task].into_iter().flatten() {
            let _ = task.await;
        }
        served
    }
}

fn router(state: AppState) -> Router {
    let replies = Router::new()
        .route(
            "/v1/tickets/{id}/messages",
            get(handlers::list_messages).post(handlers::reply),
        )
        .layer(DefaultBodyLimit::max(MULTIPART_BODY_LIMIT));
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/v1/meta", get(handlers::meta))
        .route("/v1/token", get(handlers::token_info))
        .route("/v1/account", get(handlers::account))
        .route("/v1/properties", get(handlers::properties))
        .route(
            "/v1/tickets",
            get(handlers::list_tickets).post(handlers::create_ticket),
        )
        .route(
            "/v1/tickets/{id}",
            get(handlers::get_ticket).patch(handlers::change_topic),
        )
        .route("/v1/tickets/{id}/close", post(handlers::close))
        .route("/v1/tickets/{id}/status", post(handlers::set_status))
        .route("/v1/events", get(handlers::events))
        .route("/v1/sandbox/accounts", post(handlers::create_account))
        .route("/v1/sandbox/tokens", post(handlers::create_token))
        .layer(DefaultBodyLimit::max(JSON_BODY_LIMIT))
        .merge(replies)
        .fallback(|| async { ApiError::not_found() })
        .method_not_allowed_fallback(|| async { ApiError::method_not_allowed() })
        .with_state(state)
}

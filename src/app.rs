//! Start-up and shutdown of the whole process: the store, the embedded sandbox when the
//! ticket API is `sandbox`, the ticket API client, the bot's HTTP endpoints (public and
//! metrics), the notification pipeline and the Discord client.
//!
//! Start-up is a list of small build steps ([`Application::build`]), each failing with a
//! [`StartError`] that names what failed; [`Application::run_until_stopped`] then serves.
//! Every part is bound before anything serves (a taken port fails start-up at once), and
//! every part watches one cancellation token, so SIGINT/SIGTERM stop them together.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use url::Url;

use crate::client::{ApiClient, ClientConfig};
use crate::config::{Backend, SecretKey, Settings};
use crate::crypto::TokenCipher;
use crate::discord::{Data, DiscordSetup, GatewayState};
use crate::http::{HttpServer, HttpState, MetricsServer, Probes};
use crate::metrics::Metrics;
use crate::notify::delivery::DiscordRest;
use crate::notify::health::Health;
use crate::notify::webhook::WebhookState;
use crate::notify::{PipelineDeps, Wakers};
use crate::replica::{Role, Roles, ShardPlan};
use crate::sandbox::{Sandbox, SandboxConfig, WebhookTarget};
use crate::store::Store;
use crate::ticket::api::scope;

/// A start-up failure, said the way an operator can act on it.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot open the database: {0}")]
    Store(#[from] crate::store::StoreError),
    #[error("cannot listen on {addr} ({what}): {source}")]
    Bind {
        what: &'static str,
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error("secret file {path}: {message}")]
    SecretKey { path: String, message: String },
    #[error("cannot build the HTTP client for {what}: {source}")]
    HttpClient {
        what: &'static str,
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("the embedded sandbox's address {addr} makes no URL: {source}")]
    SandboxUrl {
        addr: std::net::SocketAddr,
        source: url::ParseError,
    },
    #[error("ticket API client: {0}")]
    Client(#[from] crate::client::ApiError),
    #[error("Discord: {0}")]
    Discord(#[from] crate::discord::DiscordError),
    #[error("DISCORD_TOKEN is required to run the bot")]
    NoDiscordToken,
    #[error("the role coordinator's database URL: {0}")]
    Roles(sqlx::Error),
}

const KEY_FILE: &str = "secret.key";

/// Reads the secret key from `data_dir`, creating it (mode 0600) on first use. Only for
/// the sandbox backend, where the bot must run without any setup.
pub fn load_or_create_key(data_dir: &Path) -> Result<SecretKey, StartError> {
    let path = data_dir.join(KEY_FILE);
    let err = |message: String| StartError::SecretKey {
        path: path.display().to_string(),
        message,
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => SecretKey::parse(&text).map_err(|e| err(format!("the stored key {e}"))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(data_dir).map_err(|e| err(e.to_string()))?;
            let text = SecretKey::generate_text();
            write_private(&path, &text).map_err(|e| err(e.to_string()))?;
            tracing::warn!(
                path = %path.display(),
                "BOT_SECRET_KEY is not set: generated one for the sandbox; set BOT_SECRET_KEY \
                 before using the real ticket API"
            );
            SecretKey::parse(&text).map_err(|e| err(format!("the generated key {e}")))
        }
        Err(e) => Err(err(e.to_string())),
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

const ADMIN_TOKEN_FILE: &str = "sandbox-admin.token";

/// The admin token: configured, or one generated once into `data_dir` (mode 0600) and
/// reused. Its path is logged, never the token: in a container, stderr is the log.
fn admin_token(settings: &Settings) -> Result<SecretString, StartError> {
    if let Some(t) = &settings.sandbox.admin_token {
        return Ok(t.get().clone());
    }
    let path = settings.storage.data_dir.join(ADMIN_TOKEN_FILE);
    let err = |message: String| StartError::SecretKey {
        path: path.display().to_string(),
        message,
    };
    let token = match std::fs::read_to_string(&path) {
        Ok(text) if !text.trim().is_empty() => text.trim().to_string(),
        Ok(_) => return Err(err("is empty; delete it to get a new token".into())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(&settings.storage.data_dir).map_err(|e| err(e.to_string()))?;
            let token = crate::sandbox::new_token("sbx_adm_");
            write_private(&path, &token).map_err(|e| err(e.to_string()))?;
            token
        }
        Err(e) => return Err(err(e.to_string())),
    };
    tracing::warn!(
        path = %path.display(),
        "SANDBOX_ADMIN_TOKEN is not set: the sandbox admin token is in this file (mode 0600)"
    );
    Ok(SecretString::from(token))
}

fn webhook_target(settings: &Settings) -> Option<WebhookTarget> {
    let url = settings.sandbox.webhook_url.clone()?.0;
    let secret = settings.sandbox_webhook_secret()?;
    Some(WebhookTarget {
        url,
        secret,
        max_attempts: settings.sandbox.webhook_max_attempts.0,
        first_backoff: Duration::from_millis(500),
    })
}

/// The sandbox's database: its own when `sandbox.database_url` is set or the bot's is
/// PostgreSQL (the sandbox's tables live only in SQLite), else the bot's.
async fn sandbox_store(settings: &Settings, bot_store: &Store) -> Result<Store, StartError> {
    Ok(
        match settings.sandbox.database_url.is_some() || bot_store.is_postgres() {
            true => {
                let url = settings.sandbox_database_url();
                Store::open_with(&url, settings.database.synchronous.unwrap_or_default()).await?
            }
            false => bot_store.clone(),
        },
    )
}

async fn bind_sandbox(
    settings: &Settings,
    store: Store,
    admin_token: SecretString,
    webhook: Option<WebhookTarget>,
) -> Result<Sandbox, StartError> {
    let config = SandboxConfig {
        admin_token,
        webhook,
        retention: Some(settings.notify().retention),
    };
    let addr = settings.sandbox.listen.0;
    Sandbox::bind(addr, store, config)
        .await
        .map_err(|source| StartError::Bind {
            what: "SANDBOX_LISTEN",
            addr,
            source,
        })
}

/// The identity of a remote ticket API: its URL without credentials, query, fragment or
/// trailing slash (scheme and host are already lower case, default ports dropped).
pub fn backend_identity(url: &Url) -> String {
    let mut u = url.clone();
    let _ = u.set_username("");
    let _ = u.set_password(None);
    u.set_query(None);
    u.set_fragment(None);
    u.as_str().trim_end_matches('/').to_string()
}

/// A URL as it may be logged or printed: any `user:password@` replaced.
pub fn redacted_url(url: &Url) -> String {
    if url.username().is_empty() && url.password().is_none() {
        return url.to_string();
    }
    let mut u = url.clone();
    let _ = u.set_username("redacted");
    let _ = u.set_password(None);
    u.to_string()
}

/// The scopes the bot's own sandbox token needs.
const SANDBOX_SCOPES: [&str; 3] = [
    scope::EVENTS_READ,
    scope::TICKETS_READ,
    scope::TICKETS_TOPIC,
];

/// On the sandbox: the integration token minted at an earlier start if it still works and
/// has the scopes needed now, else a new one (kept sealed in the bot's database), so
/// restarts do not pile up tokens.
async fn sandbox_integration_token(
    client: &ApiClient,
    store: &Store,
    cipher: &TokenCipher,
    backend: &str,
    admin: &SecretString,
) -> Option<SecretString> {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    let key = format!("sandbox.integration_token:{backend}");
    let scopes = SANDBOX_SCOPES.join(" ");
    let aad = format!("{key}|{scopes}");
    let stored = store.get_state(&key).await.ok().flatten();
    if let Some(sealed) = stored.and_then(|s| b64.decode(s).ok()) {
        let opened = cipher
            .decrypt(&sealed, aad.as_bytes())
            .ok()
            .and_then(|p| String::from_utf8(p).ok())
            .map(SecretString::from);
        if let Some(token) = opened {
            match client.token_info(&token).await {
                Ok(info) if SANDBOX_SCOPES.iter().all(|s| info.has_scope(s)) => {
                    tracing::debug!("reusing the sandbox integration token");
                    return Some(token);
                }
                Ok(_) | Err(crate::client::ApiError::Unauthorized) => {}
                Err(e) => tracing::warn!(error = %e, "could not check the stored sandbox token"),
            }
        }
    }
    let token = match client.sandbox_create_token(admin, &SANDBOX_SCOPES).await {
        Ok(t) => t,
        Err(e) => {
            tracing::error!(error = %e, "could not get an integration token from the sandbox");
            return None;
        }
    };
    use secrecy::ExposeSecret;
    match cipher.encrypt(token.expose_secret().as_bytes(), aad.as_bytes()) {
        Ok(sealed) => {
            if let Err(e) = store.put_state(&key, &b64.encode(sealed)).await {
                tracing::warn!(error = %e, "could not keep the sandbox integration token");
            }
        }
        Err(e) => tracing::warn!(error = %e, "could not seal the sandbox integration token"),
    }
    Some(token)
}

/// `paradarum-bot sandbox`: serve only the sandbox ticket API until a signal.
pub async fn serve_sandbox(
    settings: Settings,
    shutdown: CancellationToken,
) -> Result<(), StartError> {
    let db = settings.sandbox_database_url();
    let store = Store::open_with(&db, settings.database.synchronous.unwrap_or_default()).await?;
    let sandbox = bind_sandbox(
        &settings,
        store.clone(),
        admin_token(&settings)?,
        webhook_target(&settings),
    )
    .await?;
    let addr = sandbox.local_addr().map_err(|source| StartError::Bind {
        what: "SANDBOX_LISTEN",
        addr: settings.sandbox.listen.0,
        source,
    })?;
    tracing::info!(listener = "sandbox", %addr, "sandbox ticket API serving at http://{addr}/v1");
    let served = sandbox.run(shutdown).await;
    store.close().await;
    if let Err(e) = served {
        tracing::error!(error = %e, "sandbox stopped with an error");
    }
    Ok(())
}

/// The ticket API the bot talks to, once chosen (on the sandbox: bound and serving).
struct TicketApi {
    url: Url,
    /// Its identity in the bot's records (see `api.backend_id`).
    backend: String,
    /// On the sandbox backend: the admin token, to link first-time users.
    sandbox_admin: Option<SecretString>,
}

/// What the HTTP endpoints, the pipeline and the Discord front end share while running.
struct Shared {
    metrics: Arc<Metrics>,
    wakers: Wakers,
    gateway: Arc<GatewayState>,
    health: Arc<Health>,
    roles: Roles,
}

/// The bot, built: every part that can fail at start-up has been opened or bound, and
/// nothing but the embedded sandbox serves yet. [`Application::run_until_stopped`] runs it.
pub struct Application {
    store: Store,
    http: HttpServer,
    http_addr: std::net::SocketAddr,
    metrics_http: Option<MetricsServer>,
    metrics_addr: Option<std::net::SocketAddr>,
    /// `None` when notifications are off.
    pipeline: Option<PipelineDeps>,
    discord: DiscordSetup,
    /// Parts already running: the embedded sandbox, which the bot needed to mint its token.
    tasks: JoinSet<()>,
    /// Stops every part: the caller's token cancels it, and so does a fatal Discord error.
    stop: CancellationToken,
    shutdown_grace: Duration,
    roles: Roles,
    gateway: Arc<GatewayState>,
}

impl Application {
    /// Opens the store, starts the embedded sandbox if it is the backend, builds the
    /// clients and binds the listeners: a start-up problem shows here, before any
    /// endpoint serves.
    pub async fn build(settings: Settings) -> Result<Application, StartError> {
        let discord_token = settings
            .discord
            .token
            .as_ref()
            .map(|t| t.get().clone())
            .ok_or(StartError::NoDiscordToken)?;
        let store = Store::open_with(
            &settings.database_url(),
            settings.database.synchronous.unwrap_or_default(),
        )
        .await?;
        let cipher = cipher(&settings)?;
        let stop = CancellationToken::new();
        let mut tasks = JoinSet::new();
        // Bound first: the embedded sandbox's webhook target names the port really bound.
        let http_listener = bind_http(&settings).await?;
        let http_addr = http_listener.local_addr().unwrap_or(settings.http.listen.0);
        let api = ticket_api(&settings, http_addr, &store, &mut tasks, &stop).await?;
        claim_backend(&store, &api.backend).await?;
        let metrics = Arc::new(Metrics::default());
        let client = api_client(&settings, api.url.clone())?.with_metrics(metrics.api.clone());
        let api = external_sandbox(&settings, &client, api).await;
        let integration_token = integration_token(&settings, &client, &store, &cipher, &api).await;

        let shared = Shared {
            metrics,
            wakers: Wakers::default(),
            gateway: Arc::new(GatewayState::default()),
            health: Arc::new(Health::default()),
            roles: roles(&settings, &store)?,
        };
        let state = http_state(&settings, &store, &api.backend, &shared);
        let http = HttpServer::on(http_listener, state.clone());
        // `listener` and `addr` let whoever started the bot on port 0 read the bound address.
        tracing::info!(listener = "http", addr = %http_addr, "health endpoints at http://{http_addr}/healthz and /readyz");
        let metrics_http = bind_metrics(&settings, state).await?;
        let metrics_addr = metrics_http.as_ref().and_then(|m| m.local_addr().ok());
        match metrics_addr {
            Some(addr) => {
                tracing::info!(listener = "metrics", %addr, "metrics at http://{addr}/metrics")
            }
            None => tracing::info!("metrics are off (METRICS_LISTEN=off)"),
        }

        let downloads = downloads_client()?;
        let pipeline = pipeline(
            &settings,
            &discord_token,
            &store,
            &client,
            &api.backend,
            &integration_token,
            &shared,
        )?;
        let data = discord_data(
            &settings,
            Parts {
                client,
                backend: api.backend,
                store: store.clone(),
                cipher,
                sandbox_admin: api.sandbox_admin,
                integration_token,
                metrics: shared.metrics,
                downloads,
                gateway: shared.gateway.clone(),
            },
        );
        let discord = DiscordSetup {
            token: discord_token,
            guild_id: settings.discord.guild_id.map(|g| g.0),
            proxy_url: settings.discord.proxy_url.clone().map(|u| u.0),
            gateway_stall: settings.discord.gateway_stall_secs.0,
            data,
        };
        Ok(Application {
            store,
            http,
            http_addr,
            metrics_http,
            metrics_addr,
            pipeline,
            discord,
            tasks,
            stop,
            shutdown_grace: settings.shutdown.grace_ms.0,
            roles: shared.roles,
            gateway: shared.gateway,
        })
    }

    /// Where the public endpoints listen (the port the system picked, for port 0).
    pub fn http_addr(&self) -> std::net::SocketAddr {
        self.http_addr
    }

    /// Where `/metrics` is served; `None` when it is off.
    pub fn metrics_addr(&self) -> Option<std::net::SocketAddr> {
        self.metrics_addr
    }

    /// Serves until `shutdown` is cancelled (or Discord fails for good), then gives work
    /// in flight the grace period and closes the store.
    pub async fn run_until_stopped(self, shutdown: CancellationToken) -> Result<(), StartError> {
        let Application {
            store,
            http,
            metrics_http,
            pipeline,
            discord,
            mut tasks,
            stop,
            shutdown_grace,
            roles,
            gateway,
            ..
        } = self;
        let token = stop.clone();
        tasks.spawn(async move {
            if let Err(e) = http.run(token).await {
                tracing::error!(error = %e, "HTTP endpoints stopped with an error");
            }
        });
        if let Some(metrics_http) = metrics_http {
            let token = stop.clone();
            tasks.spawn(async move {
                if let Err(e) = metrics_http.run(token).await {
                    tracing::error!(error = %e, "the metrics endpoint stopped with an error");
                }
            });
        }
        if let Some(deps) = pipeline {
            let role = roles.watch(Role::Pipeline);
            tasks.spawn(pipeline_while_held(Arc::new(deps), role, stop.clone()));
        }
        // The Discord client ends on shutdown (Ok) or on a fatal error, which stops the rest.
        let discord = {
            let stop = stop.clone();
            let roles = roles.clone();
            tokio::spawn(async move {
                let result = crate::discord::run(discord, roles, stop.clone()).await;
                stop.cancel();
                result
            })
        };

        tokio::select! {
            _ = shutdown.cancelled() => {}
            _ = stop.cancelled() => {}
        }
        // Handoff: interactions in flight finish (within the grace), then every role is
        // released so the standbys take over at once, then the gateway closes.
        if tokio::time::timeout(shutdown_grace, gateway.drained())
            .await
            .is_err()
        {
            tracing::warn!(grace = ?shutdown_grace, "interactions still running after the grace period");
        }
        roles.release_all().await;
        stop.cancel();
        let discord_result = match tokio::time::timeout(shutdown_grace, discord).await {
            Ok(Ok(r)) => r,
            Ok(Err(e)) => Err(crate::discord::DiscordError::Http(format!(
                "Discord task failed: {e}"
            ))),
            Err(_) => Ok(()),
        };
        // Work in flight gets the grace period; then the process exits regardless.
        let drained = tokio::time::timeout(shutdown_grace, async {
            while tasks.join_next().await.is_some() {}
        })
        .await;
        if drained.is_err() {
            tracing::warn!(grace = ?shutdown_grace, "work still running after the grace period; stopping it");
            tasks.abort_all();
        }
        store.close().await;
        discord_result?;
        tracing::info!("stopped cleanly");
        Ok(())
    }
}

/// The notification stages, running only while this replica holds the `pipeline` role:
/// started when it is taken, stopped when it is lost.
async fn pipeline_while_held(
    deps: Arc<PipelineDeps>,
    mut role: tokio::sync::watch::Receiver<bool>,
    stop: CancellationToken,
) {
    loop {
        tokio::select! {
            held = role.wait_for(|h| *h) => if held.is_err() { return },
            _ = stop.cancelled() => return,
        }
        let stages = stop.child_token();
        let mut running = JoinSet::new();
        crate::notify::spawn(deps.clone(), &mut running, stages.clone());
        let lost = tokio::select! {
            lost = role.wait_for(|h| !*h) => lost.is_ok(),
            _ = stop.cancelled() => false,
        };
        stages.cancel();
        while running.join_next().await.is_some() {}
        if !lost {
            return;
        }
        tracing::warn!(target: "replica", "pipeline role lost: notification stages stopped");
    }
}

/// This replica's roles: with SQLite the one process holds them all; with PostgreSQL a
/// coordinator takes them against the other replicas.
fn roles(settings: &Settings, store: &Store) -> Result<Roles, StartError> {
    let plan = ShardPlan::new(
        settings.discord.shards.0,
        settings.discord.shards_per_replica.map(|k| k.0),
    );
    let replica = crate::replica::replica_id();
    let url = settings.database_url();
    if store.is_postgres() {
        let (roles, _task) = Roles::start_postgres(
            &url,
            replica,
            plan,
            crate::replica::Tuning::default(),
            CancellationToken::new(),
        )
        .map_err(StartError::Roles)?;
        return Ok(roles);
    }
    Ok(Roles::solo(replica, plan))
}

/// `paradarum-bot run`: the bot.
pub async fn run(settings: Settings, shutdown: CancellationToken) -> Result<(), StartError> {
    Application::build(settings)
        .await?
        .run_until_stopped(shutdown)
        .await
}

/// The cipher for linked tokens: the configured key, or on the sandbox one generated once
/// (the real API was refused without a key by the configuration check).
fn cipher(settings: &Settings) -> Result<TokenCipher, StartError> {
    let previous = settings
        .bot
        .secret_key_previous
        .0
        .iter()
        .map(SecretKey::expose);
    Ok(match &settings.bot.secret_key {
        Some(k) => TokenCipher::new(k.expose(), previous),
        None => TokenCipher::new(
            load_or_create_key(&settings.storage.data_dir)?.expose(),
            previous,
        ),
    })
}

/// Chooses the ticket API; the embedded sandbox is bound and starts serving on `stop`.
async fn ticket_api(
    settings: &Settings,
    http_addr: std::net::SocketAddr,
    store: &Store,
    tasks: &mut JoinSet<()>,
    stop: &CancellationToken,
) -> Result<TicketApi, StartError> {
    let mut backend = settings.api.backend_id.clone();
    let mut sandbox_admin = None;
    let url = match &settings.api.url {
        Backend::Sandbox => {
            let admin = admin_token(settings)?;
            sandbox_admin = Some(admin.clone());
            // With a webhook secret and no other target, the sandbox pushes its events to
            // this bot, so the whole webhook path works out of the box.
            let hook = webhook_target(settings).or_else(|| {
                let secret = settings.webhook.secret.clone()?;
                let url = format!(
                    "http://{}/webhooks/paradarum",
                    crate::http::local_target(http_addr)
                );
                Some(WebhookTarget {
                    url: Url::parse(&url).ok()?,
                    secret,
                    max_attempts: settings.sandbox.webhook_max_attempts.0,
                    first_backoff: Duration::from_millis(500),
                })
            });
            let sb_store = sandbox_store(settings, store).await?;
            // A fresh sandbox database is another backend: its ticket ids start again.
            let instance = sb_store
                .get_or_init_state("sandbox.instance_id", || {
                    crate::sandbox::new_token("").chars().take(16).collect()
                })
                .await?;
            backend.get_or_insert_with(|| format!("sandbox:{instance}"));
            let sandbox = bind_sandbox(settings, sb_store, admin, hook).await?;
            let addr = sandbox.local_addr().map_err(|source| StartError::Bind {
                what: "SANDBOX_LISTEN",
                addr: settings.sandbox.listen.0,
                source,
            })?;
            tracing::warn!(
                listener = "sandbox",
                %addr,
                "ticket API: the EMBEDDED SANDBOX at http://{addr}, not Paradarum; set \
                 PARADARUM_API_URL to use the real API"
            );
            let token = stop.clone();
            tasks.spawn(async move {
                if let Err(e) = sandbox.run(token).await {
                    tracing::error!(error = %e, "sandbox stopped with an error");
                }
            });
            Url::parse(&format!("http://{}/", crate::http::local_target(addr)))
                .map_err(|source| StartError::SandboxUrl { addr, source })?
        }
        Backend::Remote(url) => {
            tracing::info!(url = %redacted_url(url), "ticket API: Paradarum");
            backend.get_or_insert_with(|| backend_identity(url));
            url.clone()
        }
    };
    let backend = backend.unwrap_or_default();
    tracing::info!(%backend, "ticket API backend identity");
    Ok(TicketApi {
        url,
        backend,
        sandbox_admin,
    })
}

/// A remote ticket API that takes `SANDBOX_ADMIN_TOKEN` as its admin token is a sandbox
/// process (`paradarum-bot sandbox`, as replicas use): the bot then acts as on the embedded
/// one (accounts made on first use, `/sandbox`, its own integration token). Only a clear
/// "no" from the API turns that off; an API that cannot be reached yet is taken at its
/// operator's word.
async fn external_sandbox(
    settings: &Settings,
    client: &ApiClient,
    mut api: TicketApi,
) -> TicketApi {
    let (Backend::Remote(url), Some(admin)) = (&settings.api.url, &settings.sandbox.admin_token)
    else {
        return api;
    };
    let url = redacted_url(url);
    match client.token_info(admin.get()).await {
        Ok(info) if info.kind == crate::ticket::api::token_kind::ADMIN => {
            tracing::warn!(%url, "ticket API: an external SANDBOX (it takes SANDBOX_ADMIN_TOKEN), not Paradarum");
        }
        Err(crate::client::ApiError::Unavailable { reason, .. }) => {
            tracing::warn!(%url, %reason, "ticket API: cannot ask it yet; taken as an external sandbox because SANDBOX_ADMIN_TOKEN is set");
        }
        Ok(_) | Err(_) => {
            tracing::warn!(%url, "SANDBOX_ADMIN_TOKEN is set but the ticket API does not take it as a sandbox admin token: ignored");
            return api;
        }
    }
    api.sandbox_admin = Some(admin.get().clone());
    api
}

/// Makes `backend` the one the notification records belong to.
async fn claim_backend(store: &Store, backend: &str) -> Result<(), StartError> {
    let notify = store.notify();
    let adopted = notify.adopt_legacy(backend).await?;
    if adopted > 0 {
        tracing::info!(rows = adopted, %backend, "notification records from before backends were given to this backend");
    }
    // The moment the bot first runs on this backend: the feed is announced from here
    // (less any backfill), whenever the poller gets to read it.
    store
        .get_or_init_state(&crate::notify::poller::first_start_key(backend), || {
            chrono::Utc::now().to_rfc3339()
        })
        .await?;
    let abandoned = notify.abandon_other_backends(backend).await?;
    if abandoned > 0 {
        tracing::warn!(
            events = abandoned, %backend,
            "the ticket API changed: events of the previous one were left unannounced"
        );
    }
    Ok(())
}

fn api_client(settings: &Settings, base_url: Url) -> Result<ApiClient, StartError> {
    ApiClient::new(ClientConfig {
        base_url,
        connect_timeout: settings.api.connect_timeout_ms.0,
        request_timeout: settings.api.request_timeout_ms.0,
        max_retries: settings.api.max_retries.0,
        retry_budget: settings.api.retry_budget_ms.0,
        first_backoff: Duration::from_millis(200),
    })
    .map_err(|e| StartError::HttpClient {
        what: "the ticket API",
        // Building the client is its only failure; its reason already says so.
        source: match e {
            crate::client::ApiError::Unavailable { reason, .. } => reason.into(),
            other => Box::new(other),
        },
    })
}

/// The bot's own token for its duties: configured, or on the sandbox minted once and kept
/// (sealed) for later starts.
async fn integration_token(
    settings: &Settings,
    client: &ApiClient,
    store: &Store,
    cipher: &TokenCipher,
    api: &TicketApi,
) -> Option<SecretString> {
    match (&settings.api.token, &api.sandbox_admin) {
        (Some(t), _) => Some(t.get().clone()),
        (None, Some(admin)) => {
            sandbox_integration_token(client, store, cipher, &api.backend, admin).await
        }
        (None, None) => None,
    }
}

fn http_state(settings: &Settings, store: &Store, backend: &str, shared: &Shared) -> HttpState {
    let webhook = settings.webhook.secret.clone().map(|secret| {
        Arc::new(WebhookState {
            secret,
            backend: backend.to_string(),
            store: store.clone(),
            metrics: shared.metrics.clone(),
            wakers: shared.wakers.clone(),
        })
    });
    HttpState {
        store: store.clone(),
        gateway: Some(shared.gateway.clone()),
        metrics: shared.metrics.clone(),
        webhook,
        health: shared.health.clone(),
        backend: backend.to_string(),
        probes: Arc::new(Probes::default()),
        roles: Some(shared.roles.clone()),
    }
}

async fn bind_http(settings: &Settings) -> Result<tokio::net::TcpListener, StartError> {
    tokio::net::TcpListener::bind(settings.http.listen.0)
        .await
        .map_err(|source| StartError::Bind {
            what: "HTTP_LISTEN",
            addr: settings.http.listen.0,
            source,
        })
}

/// The metrics listener, unless `METRICS_LISTEN=off`.
async fn bind_metrics(
    settings: &Settings,
    state: HttpState,
) -> Result<Option<MetricsServer>, StartError> {
    let Some(addr) = settings.http.metrics_listen.0 else {
        return Ok(None);
    };
    MetricsServer::bind(addr, state)
        .await
        .map(Some)
        .map_err(|source| StartError::Bind {
            what: "METRICS_LISTEN",
            addr,
            source,
        })
}

/// The client that downloads Discord attachments to relay them.
fn downloads_client() -> Result<reqwest::Client, StartError> {
    reqwest::Client::builder()
        // A redirect could lead off the allow-listed hosts: never follow one.
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(60))
        .user_agent(concat!("paradarum-bot/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| StartError::HttpClient {
            what: "attachment downloads",
            source: Box::new(e),
        })
}

/// The notification pipeline's parts, or `None` (with a warning) when nothing can feed it.
fn pipeline(
    settings: &Settings,
    discord_token: &SecretString,
    store: &Store,
    client: &ApiClient,
    backend: &str,
    integration_token: &Option<SecretString>,
    shared: &Shared,
) -> Result<Option<PipelineDeps>, StartError> {
    if integration_token.is_none() && settings.webhook.secret.is_none() {
        tracing::warn!(
            "notifications are off: set PARADARUM_API_TOKEN (events feed) or \
             PARADARUM_WEBHOOK_SECRET (webhooks)"
        );
        return Ok(None);
    }
    let rest = DiscordRest::new(
        settings.discord.proxy_url.as_ref().map(|u| &u.0),
        discord_token.clone(),
        settings.discord.global_rate_per_sec.0,
    )
    .map_err(|e| StartError::HttpClient {
        what: "Discord notifications",
        source: e.into(),
    })?;
    let notify = settings.notify();
    if notify.default_channel.is_none() && notify.topic_channels.is_empty() {
        tracing::warn!("no staff channel is configured: only customers' DMs are sent");
    }
    Ok(Some(PipelineDeps {
        store: store.clone(),
        client: client.clone(),
        backend: backend.to_string(),
        token: integration_token.clone(),
        settings: notify,
        rest,
        metrics: shared.metrics.clone(),
        health: shared.health.clone(),
        wakers: shared.wakers.clone(),
    }))
}

/// What [`discord_data`] is made of.
struct Parts {
    client: ApiClient,
    backend: String,
    store: Store,
    cipher: TokenCipher,
    sandbox_admin: Option<SecretString>,
    integration_token: Option<SecretString>,
    metrics: Arc<Metrics>,
    downloads: reqwest::Client,
    gateway: Arc<GatewayState>,
}

/// The Discord front end's shared state, built in this one place.
fn discord_data(settings: &Settings, parts: Parts) -> Data {
    let Parts {
        client,
        backend,
        store,
        cipher,
        sandbox_admin,
        integration_token,
        metrics,
        downloads,
        gateway,
    } = parts;
    Data::new(crate::discord::FrontEnd {
        client,
        backend,
        store,
        cipher,
        sandbox_admin,
        integration_token,
        moderator_roles: settings.moderation.role_ids.0.clone(),
        metrics,
        attachments: settings.attachments.clone(),
        downloads,
        open_cooldown: settings.discord.open_cooldown_secs.0,
        showing_forms: Default::default(),
        seen_locales: Default::default(),
        api_slots: tokio::sync::Semaphore::new(crate::discord::API_CONCURRENCY),
        gateway,
        sandbox_guild: settings.discord.guild_id.map(|g| g.0),
        download_limits: crate::discord::commands::reply::DownloadLimits::new(
            crate::discord::DOWNLOAD_CONCURRENCY,
            crate::discord::DOWNLOAD_BYTES_IN_FLIGHT,
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backend_is_its_url_without_credentials_query_or_trailing_slash() {
        let id = |u: &str| backend_identity(&Url::parse(u).unwrap());
        assert_eq!(
            id("https://API.Paradarum.com/"),
            "https://api.paradarum.com"
        );
        assert_eq!(
            id("https://api.paradarum.com:443/v1/"),
            "https://api.paradarum.com/v1"
        );
        assert_eq!(
            id("https://user:pw@api.paradarum.com/?x=1#f"),
            "https://api.paradarum.com"
        );
        assert_ne!(id("http://127.0.0.1:8787"), id("http://127.0.0.1:8788"));
    }

    #[test]
    fn urls_are_shown_without_their_password() {
        let u = Url::parse("https://bob:hunter2@proxy.example/api").unwrap();
        let shown = redacted_url(&u);
        assert!(
            !shown.contains("hunter2") && !shown.contains("bob"),
            "{shown}"
        );
        let plain = Url::parse("https://proxy.example/api").unwrap();
        assert_eq!(redacted_url(&plain), "https://proxy.example/api");
    }
}

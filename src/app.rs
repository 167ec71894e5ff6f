//! Start-up and shutdown of the whole process: the store, the embedded sandbox when the
//! ticket API is `sandbox`, the ticket API client and the bot's HTTP endpoints.
//!
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
use crate::http::HttpServer;
use crate::http::HttpState;
use crate::metrics::Metrics;
use crate::notify::delivery::DiscordRest;
use crate::notify::webhook::WebhookState;
use crate::notify::{PipelineDeps, Wakers};
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
    #[error("secret key file {path}: {message}")]
    SecretKey { path: String, message: String },
    #[error("ticket API client: {0}")]
    Client(#[from] crate::client::ApiError),
    #[error("Discord: {0}")]
    Discord(#[from] crate::discord::DiscordError),
    #[error("DISCORD_TOKEN is required to run the bot")]
    NoDiscordToken,
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

/// The admin token: configured, or a fresh random one printed so a person can use it.
fn admin_token(settings: &Settings) -> SecretString {
    match &settings.sandbox.admin_token {
        Some(t) => t.clone(),
        None => {
            let token = crate::sandbox::new_token("sbx_adm_");
            // Printed, not logged: it is for the person at the terminal.
            eprintln!("sandbox admin token (generated for this run): {token}");
            SecretString::from(token)
        }
    }
}

fn webhook_target(settings: &Settings) -> Option<WebhookTarget> {
    let url = settings.sandbox.webhook_url.clone()?;
    let secret = settings.sandbox.webhook_secret.clone()?;
    Some(WebhookTarget {
        url,
        secret,
        max_attempts: settings.sandbox.webhook_max_attempts,
        first_backoff: Duration::from_millis(500),
    })
}

async fn bind_sandbox(
    settings: &Settings,
    bot_store: &Store,
    admin_token: SecretString,
    webhook: Option<WebhookTarget>,
) -> Result<Sandbox, StartError> {
    let store = match &settings.sandbox.database_url {
        Some(url) => Store::open(url).await?,
        None => bot_store.clone(),
    };
    let config = SandboxConfig {
        admin_token,
        webhook,
    };
    let addr = settings.sandbox.listen;
    Sandbox::bind(addr, store, config)
        .await
        .map_err(|source| StartError::Bind {
            what: "SANDBOX_LISTEN",
            addr,
            source,
        })
}

/// `paradarum-bot sandbox`: serve only the sandbox ticket API until a signal.
pub async fn serve_sandbox(
    settings: Settings,
    shutdown: CancellationToken,
) -> Result<(), StartError> {
    let db = settings
        .sandbox
        .database_url
        .clone()
        .unwrap_or_else(|| settings.database_url.clone());
    let store = Store::open(&db).await?;
    let sandbox = bind_sandbox(
        &settings,
        &store,
        admin_token(&settings),
        webhook_target(&settings),
    )
    .await?;
    let addr = sandbox.local_addr().map_err(|source| StartError::Bind {
        what: "SANDBOX_LISTEN",
        addr: settings.sandbox.listen,
        source,
    })?;
    tracing::info!(%addr, "sandbox ticket API serving at http://{addr}/v1");
    let served = sandbox.run(shutdown).await;
    store.close().await;
    if let Err(e) = served {
        tracing::error!(error = %e, "sandbox stopped with an error");
    }
    Ok(())
}

/// `paradarum-bot run`: the bot.
pub async fn run(settings: Settings, shutdown: CancellationToken) -> Result<(), StartError> {
    let discord_token = settings
        .discord
        .token
        .clone()
        .ok_or(StartError::NoDiscordToken)?;
    let store = Store::open(&settings.database_url).await?;
    let generated_key;
    let secret_key = match &settings.secret_key {
        Some(k) => k,
        None => {
            // The real API was refused without a key by the configuration check.
            generated_key = load_or_create_key(&settings.data_dir)?;
            &generated_key
        }
    };

    let mut tasks = JoinSet::new();
    let mut sandbox_admin = None;
    let api_url = match &settings.api.backend {
        Backend::Sandbox => {
            let admin = admin_token(&settings);
            sandbox_admin = Some(admin.clone());
            // With a webhook secret and no other target, the sandbox pushes its events to
            // this bot, so the whole webhook path works out of the box.
            let hook = webhook_target(&settings).or_else(|| {
                let secret = settings.webhook_secret.clone()?;
                let url = format!(
                    "http://{}/webhooks/paradarum",
                    crate::http::local_target(settings.http_listen)
                );
                Some(WebhookTarget {
                    url: Url::parse(&url).ok()?,
                    secret,
                    max_attempts: settings.sandbox.webhook_max_attempts,
                    first_backoff: Duration::from_millis(500),
                })
            });
            let sandbox = bind_sandbox(&settings, &store, admin, hook).await?;
            let addr = sandbox.local_addr().map_err(|source| StartError::Bind {
                what: "SANDBOX_LISTEN",
                addr: settings.sandbox.listen,
                source,
            })?;
            tracing::warn!(
                %addr,
                "ticket API: the EMBEDDED SANDBOX at http://{addr}, not Paradarum; set \
                 PARADARUM_API_URL to use the real API"
            );
            let token = shutdown.clone();
            tasks.spawn(async move {
                if let Err(e) = sandbox.run(token).await {
                    tracing::error!(error = %e, "sandbox stopped with an error");
                }
            });
            Url::parse(&format!("http://{}/", crate::http::local_target(addr))).map_err(|e| {
                crate::client::ApiError::Unavailable {
                    reason: e.to_string(),
                }
            })?
        }
        Backend::Remote(url) => {
            tracing::info!(%url, "ticket API: Paradarum");
            url.clone()
        }
    };
    let client = ApiClient::new(ClientConfig {
        base_url: api_url,
        connect_timeout: settings.api.connect_timeout,
        request_timeout: settings.api.request_timeout,
        max_retries: settings.api.max_retries,
        retry_budget: settings.api.retry_budget,
        first_backoff: Duration::from_millis(200),
    })?;

    // The bot's own token for its duties: configured, or on the sandbox minted at start.
    let integration_token = match (&settings.api.token, &sandbox_admin) {
        (Some(t), _) => Some(t.clone()),
        (None, Some(admin)) => {
            let scopes = [
                scope::EVENTS_READ,
                scope::TICKETS_READ,
                scope::TICKETS_TOPIC,
            ];
            match client.sandbox_create_token(admin, &scopes).await {
                Ok(t) => Some(t),
                Err(e) => {
                    tracing::error!(error = %e, "could not get an integration token from the sandbox");
                    None
                }
            }
        }
        (None, None) => None,
    };

    let metrics = Arc::new(Metrics::default());
    let wakers = Wakers::default();
    let webhook = settings.webhook_secret.clone().map(|secret| {
        Arc::new(WebhookState {
            secret,
            store: store.clone(),
            metrics: metrics.clone(),
            wakers: wakers.clone(),
        })
    });
    let gateway = Arc::new(GatewayState::default());
    let http_state = HttpState {
        store: store.clone(),
        gateway: Some(gateway.clone()),
        metrics: metrics.clone(),
        webhook,
    };
    let http = HttpServer::bind(settings.http_listen, http_state)
        .await
        .map_err(|source| StartError::Bind {
            what: "HTTP_LISTEN",
            addr: settings.http_listen,
            source,
        })?;
    if let Ok(addr) = http.local_addr() {
        tracing::info!(%addr, "health endpoints at http://{addr}/healthz and /readyz");
    }
    let token = shutdown.clone();
    tasks.spawn(async move {
        if let Err(e) = http.run(token).await {
            tracing::error!(error = %e, "HTTP endpoints stopped with an error");
        }
    });

    let downloads = reqwest::Client::builder()
        // A redirect could lead off the allow-listed hosts: never follow one.
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(60))
        .user_agent(concat!("paradarum-bot/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| crate::client::ApiError::Unavailable {
            reason: e.to_string(),
        })?;
    let data = Data {
        client,
        store: store.clone(),
        cipher: TokenCipher::new(secret_key.expose()),
        sandbox_admin,
        integration_token: integration_token.clone(),
        moderator_roles: settings.moderator_role_ids.clone(),
        metrics: metrics.clone(),
        attachments: settings.attachments.clone(),
        downloads,
        open_cooldown: settings.discord.open_cooldown,
        cooldowns: Default::default(),
        api_slots: tokio::sync::Semaphore::new(crate::discord::API_CONCURRENCY),
        gateway,
    };
    if integration_token.is_some() || settings.webhook_secret.is_some() {
        let rest = DiscordRest::new(settings.discord.proxy_url.as_ref(), discord_token.clone())
            .map_err(|e| crate::client::ApiError::Unavailable { reason: e })?;
        crate::notify::spawn(
            PipelineDeps {
                store: store.clone(),
                client: data.client.clone(),
                token: integration_token.clone(),
                settings: settings.notifications.clone(),
                rest,
                metrics: metrics.clone(),
                wakers,
            },
            &mut tasks,
            shutdown.clone(),
        );
        if settings.notifications.default_channel.is_none()
            && settings.notifications.topic_channels.is_empty()
        {
            tracing::warn!("no staff channel is configured: only customers' DMs are sent");
        }
    } else {
        tracing::warn!(
            "notifications are off: set PARADARUM_API_TOKEN (events feed) or \
             PARADARUM_WEBHOOK_SECRET (webhooks)"
        );
    }
    let setup = DiscordSetup {
        token: discord_token,
        guild_id: settings.discord.guild_id,
        proxy_url: settings.discord.proxy_url.clone(),
        gateway_stall: settings.discord.gateway_stall,
        data,
    };
    // The Discord client ends on shutdown (Ok) or on a fatal error, which stops the rest.
    let discord = {
        let shutdown = shutdown.clone();
        tokio::spawn(async move {
            let result = crate::discord::run(setup, shutdown.clone()).await;
            shutdown.cancel();
            result
        })
    };

    shutdown.cancelled().await;
    let discord_result = match tokio::time::timeout(settings.shutdown_grace, discord).await {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => Err(crate::discord::DiscordError::Http(format!(
            "Discord task failed: {e}"
        ))),
        Err(_) => Ok(()),
    };
    // Work in flight gets the grace period; then the process exits regardless.
    let drained = tokio::time::timeout(settings.shutdown_grace, async {
        while tasks.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(grace = ?settings.shutdown_grace, "work still running after the grace period; stopping it");
        tasks.abort_all();
    }
    store.close().await;
    discord_result?;
    tracing::info!("stopped cleanly");
    Ok(())
}

//! Start-up and shutdown of the whole process: the store, the embedded sandbox when the
//! ticket API is `sandbox`, the ticket API client and the bot's HTTP endpoints.
//!
//! Every part is bound before anything serves (a taken port fails start-up at once), and
//! every part watches one cancellation token, so SIGINT/SIGTERM stop them together.

use std::path::Path;
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
use crate::sandbox::{Sandbox, SandboxConfig, WebhookTarget};
use crate::store::Store;

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
) -> Result<Sandbox, StartError> {
    let store = match &settings.sandbox.database_url {
        Some(url) => Store::open(url).await?,
        None => bot_store.clone(),
    };
    let config = SandboxConfig {
        admin_token,
        webhook: webhook_target(settings),
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
    let sandbox = bind_sandbox(&settings, &store, admin_token(&settings)).await?;
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
            let sandbox = bind_sandbox(&settings, &store, admin).await?;
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

    let gateway = std::sync::Arc::new(GatewayState::default());
    let http = HttpServer::bind(settings.http_listen, store.clone(), Some(gateway.clone()))
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
        attachments: settings.attachments.clone(),
        downloads,
        open_cooldown: settings.discord.open_cooldown,
        cooldowns: Default::default(),
        api_slots: tokio::sync::Semaphore::new(crate::discord::API_CONCURRENCY),
        gateway,
    };
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

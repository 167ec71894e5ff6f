//! The command line: `run` (default), `sandbox`, `check-config`, `gen-key`, `healthcheck`,
//! `commands`, `migrate-store`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use tokio_util::sync::CancellationToken;

use crate::config::{self, Backend, Loaded, SecretKey};

#[derive(Parser, Debug)]
#[command(
    name = "paradarum-bot",
    version,
    about = "Paradarum support tickets in Discord"
)]
pub struct Cli {
    /// A TOML file overlaid on the built-in defaults (config/default.toml).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Run the bot (the default).
    Run,
    /// Serve only the sandbox ticket API.
    Sandbox,
    /// Load and validate the configuration, print it with secrets redacted, and list
    /// every problem.
    CheckConfig {
        /// Also ask the ticket API what it supports (`GET /v1/meta`) and what the
        /// integration token may do (`GET /v1/token`).
        #[arg(long)]
        online: bool,
    },
    /// Print a fresh BOT_SECRET_KEY (32 random bytes, standard base64).
    GenKey,
    /// Exit 0 when the bot's /healthz answers (for container health checks).
    Healthcheck,
    /// Print the exact JSON the bot registers as its slash commands (no token needed).
    Commands,
    /// Copy a SQLite installation's bot data (links, openers, cursors, pending jobs…) into
    /// an empty PostgreSQL database, in one transaction. Stop the bot first.
    MigrateStore {
        /// The SQLite database to copy from (sqlite://…).
        #[arg(long, value_name = "URL")]
        from: String,
        /// The empty PostgreSQL database to copy into (postgres://…).
        #[arg(long, value_name = "URL")]
        to: String,
    },
}

/// Exit code for a configuration that does not validate.
const EXIT_CONFIG: u8 = 2;

/// Parses the command line and runs the command.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let dotenv_problem = match dotenvy::dotenv() {
        Ok(_) => None,
        Err(e) if e.not_found() => None,
        Err(e) => Some(format!(".env could not be read: {e}")),
    };
    let command = cli.command.unwrap_or(Command::Run);
    match &command {
        Command::MigrateStore { from, to } => return migrate_store(from, to),
        Command::GenKey => {
            println!("{}", SecretKey::generate_text());
            return ExitCode::SUCCESS;
        }
        Command::Commands => {
            // What the configured backend registers; the defaults (sandbox) when the
            // configuration does not load.
            let sandbox = match config::load(cli.config.as_deref(), &config::process_env()) {
                Ok(l) => l.settings.api.url == Backend::Sandbox,
                Err(_) => std::env::var("PARADARUM_API_URL").ok().is_none_or(|u| {
                    u.trim().is_empty() || u.trim().eq_ignore_ascii_case("sandbox")
                }),
            };
            let json = crate::discord::registration_json(sandbox);
            println!(
                "{}",
                serde_json::to_string_pretty(&json).unwrap_or_else(|_| json.to_string())
            );
            return ExitCode::SUCCESS;
        }
        _ => {}
    }
    let loaded = config::load(cli.config.as_deref(), &config::process_env());
    let loaded = match (loaded, dotenv_problem) {
        (Ok(l), None) => l,
        (Ok(_), Some(p)) => return config_failed(vec![p]),
        (Err(mut e), p) => {
            e.problems.extend(p);
            return config_failed(e.problems);
        }
    };
    let bot_problems = config::bot_problems(&loaded.settings);
    match command {
        Command::CheckConfig { online } => {
            print_config(&loaded);
            if online {
                print_online(&loaded.settings);
            }
            if bot_problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                println!();
                config_failed(bot_problems)
            }
        }
        Command::Healthcheck => healthcheck(&loaded),
        Command::Run if !bot_problems.is_empty() => config_failed(bot_problems),
        Command::Run | Command::Sandbox => serve(command, loaded),
        Command::GenKey | Command::Commands | Command::MigrateStore { .. } => ExitCode::SUCCESS,
    }
}

/// A URL as it may be printed: any `user:password@` redacted.
fn shown_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(u) => crate::app::redacted_url(&u),
        Err(_) if url.contains('@') => "the URL".into(),
        Err(_) => url.to_string(),
    }
}

/// `migrate-store --from sqlite://… --to postgres://…`.
fn migrate_store(from: &str, to: &str) -> ExitCode {
    use crate::store::{copy, Kind, Store};
    let fail = |what: String| {
        eprintln!("migrate-store: {what}");
        ExitCode::FAILURE
    };
    if Kind::of(from) != Some(Kind::Sqlite) {
        return fail(copy::CopyError::SourceNotSqlite.to_string());
    }
    if Kind::of(to) != Some(Kind::Postgres) {
        return fail(copy::CopyError::TargetNotPostgres.to_string());
    }
    if !crate::store::sqlite_file(from).is_some_and(|p| p.exists()) {
        return fail(format!("{} does not exist", shown_url(from)));
    }
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(e) => return fail(format!("cannot start the async runtime: {e}")),
    };
    println!("copying {} into {}", shown_url(from), shown_url(to));
    let result = rt.block_on(async {
        let source = Store::open(from).await?;
        let target = match Store::open(to).await {
            Ok(t) => t,
            Err(e) => {
                source.close().await;
                return Err(e.into());
            }
        };
        let copied = copy::sqlite_to_postgres(&source, &target).await;
        source.close().await;
        target.close().await;
        copied
    });
    let copied = match result {
        Ok(c) => c,
        Err(e) => return fail(format!("{e}")),
    };
    let width = copied
        .tables
        .iter()
        .map(|(t, _)| t.len())
        .max()
        .unwrap_or(0);
    for (table, n) in &copied.tables {
        println!("  {table:width$}  {n}");
    }
    let total: u64 = copied.tables.iter().map(|(_, n)| n).sum();
    println!(
        "copied {total} rows from {} tables in one transaction",
        copied.tables.len()
    );
    if copied.sandbox_rows > 0 {
        println!(
            "not copied: the sandbox's tables ({} rows) stay in {}; to keep using that \
             sandbox, set sandbox.database_url = \"{}\"",
            copied.sandbox_rows,
            shown_url(from),
            from
        );
    }
    ExitCode::SUCCESS
}

fn config_failed(problems: Vec<String>) -> ExitCode {
    eprintln!("{}", config::ConfigErrors { problems });
    eprintln!("Nothing was started. Fix the above (see README.md, Configuration) and try again.");
    ExitCode::from(EXIT_CONFIG)
}

fn print_config(loaded: &Loaded) {
    let s = &loaded.settings;
    println!("paradarum-bot configuration");
    match &s.api.url {
        Backend::Sandbox => println!(
            "  ticket API:    embedded sandbox on {} (not Paradarum)",
            s.sandbox.listen.0
        ),
        Backend::Remote(u) => println!(
            "  ticket API:    Paradarum at {}",
            crate::app::redacted_url(u)
        ),
    }
    println!(
        "  Discord:       {}",
        match (&s.discord.token, s.discord.guild_id) {
            (None, _) => "no token: cannot connect".to_string(),
            (Some(_), Some(g)) => format!("token set; commands registered in guild {}", g.0),
            (Some(_), None) => "token set; commands registered globally".to_string(),
        }
    );
    println!("  database:      {}", shown_url(&s.database_url()));
    println!("  linked users:  {}", linked_users(s));
    println!("  HTTP:          http://{}/healthz", s.http.listen.0);
    match s.http.metrics_listen.0 {
        Some(m) => println!("  metrics:       http://{m}/metrics"),
        None => println!("  metrics:       off"),
    }
    println!();
    let width = loaded
        .shown
        .iter()
        .map(|(k, _, _)| k.len())
        .max()
        .unwrap_or(0);
    for (key, label, value) in &loaded.shown {
        let env = label
            .split_once(' ')
            .map(|(env, _)| env)
            .filter(|env| !env.contains('.'))
            .unwrap_or("");
        let line = format!("  {key:width$}  {value}  {env}");
        println!("{}", line.trim_end());
    }
    let mut warnings = loaded.warnings.clone();
    warnings.extend(stored_warnings(s));
    if !warnings.is_empty() {
        println!();
        println!("warnings:");
        for w in &warnings {
            println!("  - {w}");
        }
    }
}

/// What the running bot has recorded that an operator should fix: staff channels Discord
/// refused (their notifications are parked). Only reads an existing database.
fn stored_warnings(s: &config::Settings) -> Vec<String> {
    let exists = crate::store::sqlite_file(&s.database_url()).is_some_and(|p| p.exists());
    if !exists {
        return Vec::new();
    }
    let Ok(rt) = runtime() else {
        return Vec::new();
    };
    rt.block_on(async {
        let Ok(store) = crate::store::Store::open(&s.database_url()).await else {
            return vec![
                "the database could not be opened to check for parked notifications".into(),
            ];
        };
        let parked = store.notify().parked_targets().await.unwrap_or_default();
        store.close().await;
        parked
            .into_iter()
            .map(|(_, target, n)| {
                let what = match target {
                    crate::store::notify::Target::Dm(_) => "DMs to user",
                    crate::store::notify::Target::Channel(_) => "channel",
                };
                format!(
                    "Discord refused {what} {}: {n} notification(s) parked; check the id and \
                     the bot's permissions there",
                    target.id()
                )
            })
            .collect()
    })
}

/// How the linked users' tokens stand against the configured keys: how many open only
/// with a previous key, and how many with none. Reads the database through a read-only
/// connection; never prints a key or a token.
fn linked_users(s: &config::Settings) -> String {
    // On the sandbox an unset key is the one the bot generated (app.rs `KEY_FILE`); it is
    // read, never created, here.
    let generated;
    let current = match &s.bot.secret_key {
        Some(k) => Some(k),
        None => {
            generated = std::fs::read_to_string(s.storage.data_dir.join("secret.key"))
                .ok()
                .and_then(|t| SecretKey::parse(&t).ok());
            generated.as_ref()
        }
    };
    let Ok(rt) = runtime() else {
        return "unknown (cannot start the async runtime)".into();
    };
    let links = rt.block_on(crate::store::discord::sealed_links_read_only(
        &s.database_url(),
    ));
    let links = match links {
        Ok(Some(l)) => l,
        Ok(None) => return "0 (no database yet)".into(),
        Err(e) => return format!("unknown (the database could not be read: {e})"),
    };
    let Some(current) = current else {
        return format!(
            "{} (not checked: BOT_SECRET_KEY is not set and {} holds no usable key)",
            links.len(),
            s.storage.data_dir.join("secret.key").display()
        );
    };
    let cipher = crate::crypto::TokenCipher::new(
        current.expose(),
        s.bot.secret_key_previous.0.iter().map(SecretKey::expose),
    );
    crate::discord::links::count(&cipher, &links).to_string()
}

/// `check-config --online`: what the ticket API announces and what the integration token
/// is and may do. Only reads.
fn print_online(s: &config::Settings) {
    use crate::ticket::api::{capability, scope};
    println!();
    println!("online checks:");
    let url = match &s.api.url {
        Backend::Remote(u) => u.clone(),
        Backend::Sandbox => {
            println!(
                "  - the embedded sandbox runs only inside the bot (`paradarum-bot run`); \
                 nothing to ask before it starts"
            );
            return;
        }
    };
    let Ok(rt) = runtime() else {
        println!("  - cannot start the async runtime");
        return;
    };
    let mut config = crate::client::ClientConfig::new(url.clone());
    config.connect_timeout = s.api.connect_timeout_ms.0;
    config.request_timeout = s.api.request_timeout_ms.0;
    config.max_retries = 0;
    let client = match crate::client::ApiClient::new(config) {
        Ok(c) => c,
        Err(e) => {
            println!("  - cannot build the API client: {e}");
            return;
        }
    };
    rt.block_on(async {
        let meta = match client.meta().await {
            Ok(m) => {
                if m.capabilities.is_empty() {
                    println!(
                        "  - API {}: announces no extensions (GET /v1/meta); the bot uses \
                         its fallbacks",
                        crate::app::redacted_url(&url)
                    );
                } else {
                    println!(
                        "  - API {}: extensions {}",
                        crate::app::redacted_url(&url),
                        m.capabilities.join(", ")
                    );
                }
                Some(m)
            }
            Err(e) => {
                println!(
                    "  - API {}: unreachable: {e}",
                    crate::app::redacted_url(&url)
                );
                None
            }
        };
        let Some(token) = &s.api.token else {
            println!("  - PARADARUM_API_TOKEN: not set");
            return;
        };
        if meta.is_some_and(|m| !m.has(capability::TOKEN_INTROSPECTION)) {
            println!(
                "  - PARADARUM_API_TOKEN: the API cannot describe tokens (no {}); its \
                 scopes are unknown",
                capability::TOKEN_INTROSPECTION
            );
            return;
        }
        match client.token_info(token.get()).await {
            Ok(info) => {
                println!(
                    "  - PARADARUM_API_TOKEN: {} token, scopes: {}",
                    info.kind,
                    if info.scopes.is_empty() {
                        "(none)".to_string()
                    } else {
                        info.scopes.join(" ")
                    }
                );
                let staff = !s.staff.role_ids.0.is_empty();
                for (needed, what, wanted) in [
                    (scope::EVENTS_READ, "the events feed", true),
                    (
                        scope::TICKETS_READ,
                        "ticket subjects in notifications",
                        true,
                    ),
                    (scope::TICKETS_TOPIC, "/ticket escalate", true),
                    (
                        scope::TICKETS_STATUS,
                        "staff cannot Start or Resolve tickets from notices (STAFF_ROLE_IDS)",
                        staff,
                    ),
                    (
                        scope::TICKETS_WRITE,
                        "staff cannot Reply from notices (STAFF_ROLE_IDS)",
                        staff,
                    ),
                ] {
                    if wanted && !info.has_scope(needed) {
                        println!("    warning: without {needed}, {what} will not work");
                    }
                }
            }
            Err(crate::client::ApiError::Unauthorized) => {
                println!("  - PARADARUM_API_TOKEN: refused by the API (401): replace it")
            }
            Err(e) => println!("  - PARADARUM_API_TOKEN: could not be checked: {e}"),
        }
    });
}

fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
}

fn serve(command: Command, loaded: Loaded) -> ExitCode {
    let settings = loaded.settings;
    let filter = settings.log.filter.as_deref().unwrap_or("info");
    let format = settings
        .log
        .format
        .unwrap_or(crate::config::LogFormat::Pretty);
    crate::telemetry::init(filter, format);
    if command == Command::Run {
        for w in &loaded.warnings {
            tracing::warn!("{w}");
        }
    }
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = rt.block_on(async move {
        let shutdown = CancellationToken::new();
        crate::shutdown::on_signal(shutdown.clone());
        match command {
            Command::Sandbox => crate::app::serve_sandbox(settings, shutdown).await,
            _ => crate::app::run(settings, shutdown).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("paradarum-bot could not start: {e}");
            ExitCode::FAILURE
        }
    }
}

fn healthcheck(loaded: &Loaded) -> ExitCode {
    let target = crate::http::local_target(loaded.settings.http.listen.0);
    let url = format!("http://{target}/healthz");
    let Ok(rt) = runtime() else {
        return ExitCode::FAILURE;
    };
    let ok = rt.block_on(async {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(3))
            .build()
            .ok()?;
        let resp = client.get(&url).send().await.ok()?;
        resp.status().is_success().then_some(())
    });
    match ok {
        Some(()) => {
            println!("healthy: {url}");
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("unhealthy: {url} did not answer 200");
            ExitCode::FAILURE
        }
    }
}

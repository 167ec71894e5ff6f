//! Configuration: `config/default.toml` (built in) ← `--config FILE` ← environment.
//!
//! Loading never stops at the first mistake: every key is read and checked, and all the
//! problems are reported together in words an operator understands. Secrets are held in
//! secret types and shown only as `[redacted]`.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use secrecy::{ExposeSecret, SecretBox, SecretString};
use url::Url;

use crate::signing::WebhookSecret;

/// The built-in defaults; the committed file documents every key.
pub const DEFAULT_TOML: &str = include_str!("../config/default.toml");

/// Prefix of the generic environment form of any key: `PARADARUM_BOT__API__URL`.
pub const ENV_PREFIX: &str = "PARADARUM_BOT__";

/// One configuration key: its dotted path, its public environment name if it has one,
/// and whether it is a secret.
pub struct KeySpec {
    pub key: &'static str,
    pub env: Option<&'static str>,
    pub secret: bool,
}

const fn k(key: &'static str, env: Option<&'static str>, secret: bool) -> KeySpec {
    KeySpec { key, env, secret }
}

/// Every key there is. A key in a file that is not here is reported as a problem, so a
/// typo never silently does nothing.
pub const KEYS: &[KeySpec] = &[
    k("discord.token", Some("DISCORD_TOKEN"), true),
    k("discord.guild_id", Some("DISCORD_GUILD_ID"), false),
    k("discord.proxy_url", Some("DISCORD_PROXY_URL"), false),
    k("discord.open_cooldown_secs", None, false),
    k("discord.gateway_stall_secs", None, false),
    k("discord.global_rate_per_sec", None, false),
    k("api.url", Some("PARADARUM_API_URL"), false),
    k("api.token", Some("PARADARUM_API_TOKEN"), true),
    k("api.backend_id", None, false),
    k("api.connect_timeout_ms", None, false),
    k("api.request_timeout_ms", None, false),
    k("api.max_retries", None, false),
    k("api.retry_budget_ms", None, false),
    k("webhook.secret", Some("PARADARUM_WEBHOOK_SECRET"), true),
    k("bot.secret_key", Some("BOT_SECRET_KEY"), true),
    k(
        "bot.secret_key_previous",
        Some("BOT_SECRET_KEY_PREVIOUS"),
        true,
    ),
    k("storage.data_dir", None, false),
    k("database.url", Some("DATABASE_URL"), false),
    k("database.synchronous", None, false),
    k(
        "notifications.staff_channel_id",
        Some("STAFF_CHANNEL_ID"),
        false,
    ),
    k("notifications.channel_general", None, false),
    k("notifications.channel_networking", None, false),
    k("notifications.channel_rules", None, false),
    k("notifications.channel_billing", None, false),
    k("notifications.channel_ssl", None, false),
    k("notifications.channel_performance", None, false),
    k("notifications.staff_role_id", None, false),
    k("notifications.customer_updates", None, false),
    k("notifications.staff_all_transitions", None, false),
    k("notifications.poll_interval_secs", None, false),
    k("notifications.backfill", None, false),
    k("notifications.retention", None, false),
    k("notifications.retention_check_secs", None, false),
    k("notifications.max_event_attempts", None, false),
    k("moderation.role_ids", Some("MODERATOR_ROLE_IDS"), false),
    k("http.listen", Some("HTTP_LISTEN"), false),
    k("http.metrics_listen", Some("METRICS_LISTEN"), false),
    k("sandbox.listen", Some("SANDBOX_LISTEN"), false),
    k("sandbox.admin_token", Some("SANDBOX_ADMIN_TOKEN"), true),
    k("sandbox.database_url", None, false),
    k("sandbox.webhook_url", None, false),
    k("sandbox.webhook_secret", None, true),
    k("sandbox.webhook_max_attempts", None, false),
    k("attachments.hosts", Some("ATTACHMENT_HOSTS"), false),
    k("attachments.max_bytes", None, false),
    k("log.filter", None, false),
    k("log.format", None, false),
    k("shutdown.grace_ms", None, false),
];

/// A 32-byte key for encrypting data at rest.
pub struct SecretKey(SecretBox<[u8; 32]>);

impl SecretKey {
    pub fn parse(text: &str) -> Result<Self, String> {
        let bytes = STANDARD
            .decode(text.trim())
            .map_err(|_| "is not valid standard base64".to_string())?;
        let arr: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| format!("decodes to {} bytes; it must be exactly 32", bytes.len()))?;
        Ok(Self(SecretBox::new(Box::new(arr))))
    }

    /// A fresh random key in its text form (what `gen-key` prints).
    pub fn generate_text() -> String {
        use rand::RngCore;
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        let text = STANDARD.encode(bytes);
        zeroize::Zeroize::zeroize(&mut bytes);
        text
    }

    pub fn expose(&self) -> &[u8; 32] {
        self.0.expose_secret()
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey([redacted])")
    }
}

/// Which ticket API the bot talks to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Backend {
    /// The embedded sandbox, started in-process.
    Sandbox,
    /// Paradarum's real API at this base URL.
    Remote(Url),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Debug)]
pub struct DiscordSettings {
    pub token: Option<SecretString>,
    pub guild_id: Option<u64>,
    pub proxy_url: Option<Url>,
    /// How long a user waits between two `/ticket open`.
    pub open_cooldown: Duration,
    /// How long the gateway may be disconnected before the process exits.
    pub gateway_stall: Duration,
    /// REST calls per second the notification pipeline may make (Discord: ~50 per bot).
    pub global_rate: u32,
}

#[derive(Debug)]
pub struct ApiSettings {
    pub backend: Backend,
    pub token: Option<SecretString>,
    /// `api.backend_id`: names the backend explicitly (replicas, proxies); else it is
    /// derived from the URL.
    pub backend_id: Option<String>,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    pub max_retries: u32,
    pub retry_budget: Duration,
}

#[derive(Debug)]
pub struct SandboxSettings {
    pub listen: SocketAddr,
    pub admin_token: Option<SecretString>,
    pub database_url: Option<String>,
    pub webhook_url: Option<Url>,
    pub webhook_secret: Option<WebhookSecret>,
    pub webhook_max_attempts: u32,
}

#[derive(Clone, Debug)]
pub struct AttachmentSettings {
    pub hosts: Vec<String>,
    pub max_bytes: u64,
}

/// The validated configuration.
#[derive(Debug)]
pub struct Settings {
    pub discord: DiscordSettings,
    pub api: ApiSettings,
    pub webhook_secret: Option<WebhookSecret>,
    pub secret_key: Option<SecretKey>,
    /// `BOT_SECRET_KEY_PREVIOUS`: keys linked tokens may still be sealed with; they open
    /// them (and they are re-sealed with `secret_key`), never seal anything new.
    pub secret_key_previous: Vec<SecretKey>,
    pub data_dir: PathBuf,
    pub database_url: String,
    /// `database.synchronous`: full (default) or normal.
    pub durability: crate::store::Durability,
    pub staff_channel_id: Option<u64>,
    pub notifications: crate::notify::NotifySettings,
    pub moderator_role_ids: Vec<u64>,
    pub http_listen: SocketAddr,
    /// `http.metrics_listen`: where `/metrics` is served, apart from the public listener;
    /// `None` when set to `off`.
    pub metrics_listen: Option<SocketAddr>,
    pub sandbox: SandboxSettings,
    pub attachments: AttachmentSettings,
    pub log_filter: String,
    pub log_format: LogFormat,
    pub shutdown_grace: Duration,
}

/// Where a value came from, for error messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Default,
    File(PathBuf),
    Env(String),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Default => f.write_str("built-in default"),
            Source::File(p) => write!(f, "{}", p.display()),
            Source::Env(name) => write!(f, "env {name}"),
        }
    }
}

/// The result of loading: the settings plus what is worth a warning, and the raw values
/// for `check-config` to print.
#[derive(Debug)]
pub struct Loaded {
    pub settings: Settings,
    pub warnings: Vec<String>,
    pub shown: Vec<(String, String, String)>,
}

/// Every problem found, in the order of the keys.
#[derive(Debug)]
pub struct ConfigErrors {
    pub problems: Vec<String>,
}

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} configuration problem(s):", self.problems.len())?;
        for p in &self.problems {
            writeln!(f, "  - {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}

/// Loads the configuration from the built-in defaults, an optional file and the given
/// environment (a function so tests can pass their own).
pub fn load(
    file: Option<&Path>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Loaded, ConfigErrors> {
    let mut problems = Vec::new();
    let mut values: BTreeMap<String, (toml::Value, Source)> = BTreeMap::new();

    match DEFAULT_TOML.parse::<toml::Table>() {
        Ok(table) => flatten(&table, "", &Source::Default, &mut values, &mut problems),
        Err(e) => problems.push(format!("the built-in defaults do not parse: {e}")),
    }
    if let Some(path) = file {
        match std::fs::read_to_string(path) {
            Ok(text) => match text.parse::<toml::Table>() {
                Ok(table) => {
                    let src = Source::File(path.to_path_buf());
                    flatten(&table, "", &src, &mut values, &mut problems)
                }
                Err(e) => problems.push(format!(
                    "{}: not valid TOML: {}",
                    path.display(),
                    e.message()
                )),
            },
            Err(e) => problems.push(format!("cannot read config file {}: {e}", path.display())),
        }
    }
    for spec in KEYS {
        let generic = format!(
            "{ENV_PREFIX}{}",
            spec.key.replace('.', "__").to_ascii_uppercase()
        );
        // The public name wins over the generic form when both are set.
        for name in [Some(generic.as_str()), spec.env].into_iter().flatten() {
            if let Some(v) = env(name) {
                values.insert(
                    spec.key.to_string(),
                    (toml::Value::String(v), Source::Env(name.to_string())),
                );
            }
        }
    }

    let mut r = Reader {
        values: &values,
        problems,
        shown: Vec::new(),
    };
    let settings = r.settings();
    let mut problems = r.problems;
    let shown = r.shown;

    let mut warnings = Vec::new();
    if let Some(s) = &settings {
        cross_check(s, &mut problems, &mut warnings);
    }
    match settings {
        Some(settings) if problems.is_empty() => Ok(Loaded {
            settings,
            warnings,
            shown,
        }),
        _ => Err(ConfigErrors { problems }),
    }
}

/// The process environment, as `load` wants it.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

fn flatten(
    table: &toml::Table,
    prefix: &str,
    src: &Source,
    out: &mut BTreeMap<String, (toml::Value, Source)>,
    problems: &mut Vec<String>,
) {
    for (name, value) in table {
        let key = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        match value {
            toml::Value::Table(inner) => flatten(inner, &key, src, out, problems),
            _ if KEYS.iter().any(|s| s.key == key) => {
                out.insert(key, (value.clone(), src.clone()));
            }
            _ => problems.push(format!("{src}: unknown key `{key}`")),
        }
    }
}

/// What running the bot (not the sandbox alone) needs on top of a valid configuration.
pub fn bot_problems(s: &Settings) -> Vec<String> {
    let mut problems = Vec::new();
    if s.discord.token.is_none() {
        problems.push(
            "DISCORD_TOKEN is not set: the bot cannot connect to Discord. Put the bot token \
             from the Discord developer portal in .env (see .env.example)"
                .into(),
        );
    }
    problems
}

/// Checks that need several keys at once.
fn cross_check(s: &Settings, problems: &mut Vec<String>, warnings: &mut Vec<String>) {
    if let Some(m) = s.metrics_listen {
        let mut others = vec![("HTTP_LISTEN", s.http_listen)];
        if s.api.backend == Backend::Sandbox {
            others.push(("SANDBOX_LISTEN", s.sandbox.listen));
        }
        for (name, addr) in others {
            if same_port(m, addr) {
                problems.push(format!(
                    "METRICS_LISTEN ({m}) and {name} ({addr}) would share a port: the \
                     metrics need their own (the default is 127.0.0.1:8479), or `off`"
                ));
            }
        }
    }
    match &s.api.backend {
        Backend::Sandbox => {
            if s.http_listen == s.sandbox.listen {
                problems.push(format!(
                    "HTTP_LISTEN and SANDBOX_LISTEN are both {}: they need different ports",
                    s.http_listen
                ));
            }
            if s.secret_key.is_none() {
                warnings.push(format!(
                    "BOT_SECRET_KEY is not set: on the sandbox a key is generated once into {}",
                    s.data_dir.display()
                ));
            }
            if s.discord.guild_id.is_none() {
                warnings.push(
                    "DISCORD_GUILD_ID is not set: /sandbox (act as staff on the sandbox) is not \
                     registered. It is a guild command of DISCORD_GUILD_ID only, so no other \
                     server's administrators can resolve customers' tickets"
                        .into(),
                );
            }
        }
        Backend::Remote(_) => {
            if s.secret_key.is_none() {
                problems.push(
                    "BOT_SECRET_KEY is required with the real ticket API: it encrypts the \
                     customers' linked tokens (`paradarum-bot gen-key` prints one)"
                        .into(),
                );
            }
            if s.api.token.is_none() {
                warnings.push(
                    "PARADARUM_API_TOKEN is not set: the events feed and escalation are off".into(),
                );
            }
        }
    }
    if s.api.token.is_none() && s.webhook_secret.is_none() && s.api.backend != Backend::Sandbox {
        warnings.push(
            "neither PARADARUM_API_TOKEN nor PARADARUM_WEBHOOK_SECRET is set: notifications \
             are off"
                .into(),
        );
    }
    if let Some(current) = &s.secret_key {
        for (i, old) in s.secret_key_previous.iter().enumerate() {
            if old.expose() == current.expose() {
                warnings.push(format!(
                    "BOT_SECRET_KEY_PREVIOUS entry {} is BOT_SECRET_KEY itself; it can go",
                    i + 1
                ));
            }
        }
    }
    if s.staff_channel_id.is_none() {
        warnings.push("STAFF_CHANNEL_ID is not set: staff notifications have nowhere to go".into());
    }
}

/// Whether two listeners would fight over one port: the same port (not 0, which picks a
/// free one) on the same address, or on a wildcard address that covers the other.
fn same_port(a: SocketAddr, b: SocketAddr) -> bool {
    a.port() == b.port()
        && a.port() != 0
        && (a.ip() == b.ip() || a.ip().is_unspecified() || b.ip().is_unspecified())
}

struct Reader<'a> {
    values: &'a BTreeMap<String, (toml::Value, Source)>,
    problems: Vec<String>,
    shown: Vec<(String, String, String)>,
}

fn spec(key: &str) -> &'static KeySpec {
    KEYS.iter().find(|s| s.key == key).unwrap_or(&KeySpec {
        key: "?",
        env: None,
        secret: true,
    })
}

impl Reader<'_> {
    fn label(&self, key: &str) -> String {
        match (spec(key).env, self.values.get(key)) {
            (_, Some((_, Source::Env(name)))) => format!("{name} ({key})"),
            (Some(env), _) => format!("{env} ({key})"),
            (None, _) => key.to_string(),
        }
    }

    fn fail(&mut self, key: &str, what: impl fmt::Display) {
        let src = self
            .values
            .get(key)
            .map(|(_, s)| s.to_string())
            .unwrap_or_default();
        let label = self.label(key);
        self.problems.push(format!("{label}: {what} [from {src}]"));
    }

    /// The raw value as text (numbers and booleans too); `None` when unset or empty.
    fn text(&mut self, key: &str) -> Option<String> {
        let raw = match self.values.get(key) {
            None => None,
            Some((toml::Value::String(s), _)) => {
                let t = s.trim();
                (!t.is_empty()).then(|| t.to_string())
            }
            Some((toml::Value::Integer(i), _)) => Some(i.to_string()),
            Some((toml::Value::Boolean(b), _)) => Some(b.to_string()),
            Some((toml::Value::Array(items), _)) => {
                let mut parts = Vec::new();
                for item in items {
                    match item {
                        toml::Value::String(s) => parts.push(s.clone()),
                        toml::Value::Integer(i) => parts.push(i.to_string()),
                        _ => {
                            self.fail(key, "list items must be strings or numbers");
                            return None;
                        }
                    }
                }
                (!parts.is_empty()).then(|| parts.join(","))
            }
            Some(_) => {
                self.fail(key, "must be a string or a number");
                None
            }
        };
        let shown = match (&raw, spec(key).secret) {
            (None, _) => "(not set)".to_string(),
            (Some(_), true) => "[redacted]".to_string(),
            // A URL's `user:password@` is a secret too.
            (Some(v), false) => match Url::parse(v) {
                Ok(u) if !u.username().is_empty() || u.password().is_some() => {
                    crate::app::redacted_url(&u)
                }
                _ => v.clone(),
            },
        };
        let label = self.label(key);
        self.shown.push((key.to_string(), label, shown));
        raw
    }

    fn secret(&mut self, key: &str) -> Option<SecretString> {
        self.text(key).map(SecretString::from)
    }

    fn snowflake_of(&mut self, key: &str, text: &str) -> Option<u64> {
        match text.trim().parse::<u64>() {
            Ok(v) if v > 0 => Some(v),
            _ => {
                self.fail(
                    key,
                    format!("`{}` is not a Discord id (a positive number)", text.trim()),
                );
                None
            }
        }
    }

    fn snowflake(&mut self, key: &str) -> Option<u64> {
        let t = self.text(key)?;
        self.snowflake_of(key, &t)
    }

    fn list(&mut self, key: &str) -> Vec<String> {
        self.text(key)
            .map(|t| {
                t.split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A whole number in `min..=max`; a broken or missing value is reported and `min`
    /// stands in so the other keys are still checked.
    fn required_number(&mut self, key: &str, min: u64, max: u64) -> u64 {
        let Some(t) = self.text(key) else {
            self.fail(
                key,
                format!("must be set to a whole number from {min} to {max}"),
            );
            return min;
        };
        match t.parse::<u64>() {
            Ok(v) if (min..=max).contains(&v) => v,
            _ => {
                self.fail(
                    key,
                    format!("`{t}` must be a whole number from {min} to {max}"),
                );
                min
            }
        }
    }

    fn millis(&mut self, key: &str, min: u64, max: u64) -> Duration {
        Duration::from_millis(self.required_number(key, min, max))
    }

    fn http_url(&mut self, key: &str) -> Option<Url> {
        let t = self.text(key)?;
        self.http_url_of(key, &t)
    }

    fn http_url_of(&mut self, key: &str, t: &str) -> Option<Url> {
        match Url::parse(t) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Some(u),
            Ok(u) => {
                // Quoted without any `user:password@`: a problem list is printed and logged.
                let shown = crate::app::redacted_url(&u);
                self.fail(key, format!("`{shown}` must be an http:// or https:// URL"));
                None
            }
            Err(e) => {
                let shown = if t.contains('@') { "the value" } else { t };
                self.fail(key, format!("`{shown}` is not a URL ({e})"));
                None
            }
        }
    }

    fn socket(&mut self, key: &str) -> Option<SocketAddr> {
        let Some(t) = self.text(key) else {
            self.fail(key, "must be set, e.g. 127.0.0.1:8080");
            return None;
        };
        match t.parse::<SocketAddr>() {
            Ok(a) => Some(a),
            Err(_) => {
                self.fail(key, format!("`{t}` is not an address like 127.0.0.1:8080"));
                None
            }
        }
    }

    fn boolean(&mut self, key: &str, default: bool) -> bool {
        match self.text(key).map(|t| t.to_ascii_lowercase()) {
            None => default,
            Some(t) if ["true", "1", "yes", "on"].contains(&t.as_str()) => true,
            Some(t) if ["false", "0", "no", "off"].contains(&t.as_str()) => false,
            Some(t) => {
                self.fail(key, format!("`{t}` must be true or false"));
                default
            }
        }
    }

    /// A duration like `30d`, `24h`, `90m` or `45s` (at most ten years).
    fn duration_of(&mut self, key: &str, t: &str) -> Option<Duration> {
        match parse_duration(t) {
            Some(d) => Some(d),
            None => {
                self.fail(
                    key,
                    format!("`{t}` must be a duration like 30d, 24h, 90m or 45s"),
                );
                None
            }
        }
    }

    fn webhook_secret(&mut self, key: &str) -> Option<WebhookSecret> {
        let t = self.text(key)?;
        match WebhookSecret::parse(&t) {
            Ok(s) => Some(s),
            Err(e) => {
                self.fail(key, e);
                None
            }
        }
    }

    /// `bot.secret_key_previous`: comma-separated keys in `bot.secret_key`'s form. A bad
    /// entry is named by its position, never quoted: it is a secret.
    fn previous_keys(&mut self) -> Vec<SecretKey> {
        const KEY: &str = "bot.secret_key_previous";
        let Some(text) = self.text(KEY) else {
            return Vec::new();
        };
        let entries: Vec<&str> = text.split(',').map(str::trim).collect();
        let mut keys = Vec::new();
        for (i, entry) in entries.iter().enumerate() {
            // A stray comma (`a,,b` or a trailing one) is not a key to parse.
            if entry.is_empty() {
                continue;
            }
            match SecretKey::parse(entry) {
                Ok(k) => keys.push(k),
                Err(e) => self.fail(KEY, format!("entry {} of {} {e}", i + 1, entries.len())),
            }
        }
        keys
    }

    /// Reads every key. Returns `None` only when a key that has no usable fallback is
    /// broken; the problems say which.
    fn settings(&mut self) -> Option<Settings> {
        let token = self.secret("discord.token");
        let guild_id = self.snowflake("discord.guild_id");
        let proxy_url = self.http_url("discord.proxy_url");
        let open_cooldown =
            Duration::from_secs(self.required_number("discord.open_cooldown_secs", 0, 86_400));
        let gateway_stall =
            Duration::from_secs(self.required_number("discord.gateway_stall_secs", 10, 3_600));
        let global_rate = self.required_number("discord.global_rate_per_sec", 1, 50) as u32;

        let backend = match self.text("api.url") {
            None => Some(Backend::Sandbox),
            Some(t) if t.eq_ignore_ascii_case("sandbox") => Some(Backend::Sandbox),
            Some(t) => self.http_url_of("api.url", &t).map(Backend::Remote),
        };
        let api_token = self.secret("api.token");
        let backend_id = self.text("api.backend_id");
        let connect_timeout = self.millis("api.connect_timeout_ms", 1, 120_000);
        let request_timeout = self.millis("api.request_timeout_ms", 1, 600_000);
        let max_retries = self.required_number("api.max_retries", 0, 20) as u32;
        let retry_budget = self.millis("api.retry_budget_ms", 0, 600_000);

        let webhook_secret = self.webhook_secret("webhook.secret");
        let webhook_secret_set = webhook_secret.is_some();
        let secret_key = match self.text("bot.secret_key") {
            None => None,
            Some(t) => match SecretKey::parse(&t) {
                Ok(k) => Some(k),
                Err(e) => {
                    self.fail("bot.secret_key", format!("the value {e}"));
                    None
                }
            },
        };
        let secret_key_previous = self.previous_keys();

        let data_dir = PathBuf::from(
            self.text("storage.data_dir")
                .unwrap_or_else(|| "data".into()),
        );
        let database_url = match self.text("database.url") {
            None => Some(format!("sqlite://{}/paradarum-bot.db", data_dir.display())),
            Some(u) if u.starts_with("sqlite:") => Some(u),
            Some(u) => {
                let scheme = u.split(':').next().unwrap_or_default().to_string();
                self.fail(
                    "database.url",
                    format!("`{scheme}:` databases are not supported yet; use a sqlite: URL"),
                );
                None
            }
        };

        let durability = match self.text("database.synchronous").as_deref() {
            None | Some("full") => crate::store::Durability::Full,
            Some("normal") => crate::store::Durability::Normal,
            Some(other) => {
                self.fail(
                    "database.synchronous",
                    format!("`{other}` must be `full` or `normal`"),
                );
                crate::store::Durability::Full
            }
        };
        let staff_channel_id = self.snowflake("notifications.staff_channel_id");
        let mut topic_channels = std::collections::HashMap::new();
        for (i, name) in [
            "general",
            "networking",
            "rules",
            "billing",
            "ssl",
            "performance",
        ]
        .iter()
        .enumerate()
        {
            if let Some(c) = self.snowflake(&format!("notifications.channel_{name}")) {
                topic_channels.insert(i as i64, c);
            }
        }
        let staff_role = self.snowflake("notifications.staff_role_id");
        let customer_updates = self.boolean("notifications.customer_updates", true);
        let staff_all_transitions = self.boolean("notifications.staff_all_transitions", false);
        let poll_secs = match self.text("notifications.poll_interval_secs") {
            None => None,
            Some(t) => {
                match t.parse::<u64>() {
                    Ok(v) if (1..=3600).contains(&v) => Some(v),
                    _ => {
                        self.fail(
                        "notifications.poll_interval_secs",
                        format!("`{t}` must be a whole number from 1 to 3600, or empty for automatic"),
                    );
                        None
                    }
                }
            }
        };
        let backfill = match self.text("notifications.backfill") {
            None => None,
            Some(t) if t.eq_ignore_ascii_case("none") => None,
            Some(t) => self.duration_of("notifications.backfill", &t),
        };
        let retention = self
            .text("notifications.retention")
            .and_then(|t| self.duration_of("notifications.retention", &t))
            .unwrap_or(Duration::from_secs(30 * 86_400));
        let retention_every = Duration::from_secs(self.required_number(
            "notifications.retention_check_secs",
            1,
            86_400,
        ));
        let max_event_attempts =
            self.required_number("notifications.max_event_attempts", 1, 100) as u32;
        let mut moderator_role_ids = Vec::new();
        for item in self.list("moderation.role_ids") {
            if let Some(id) = self.snowflake_of("moderation.role_ids", &item) {
                moderator_role_ids.push(id);
            }
        }
        let http_listen = self.socket("http.listen");
        // `off` turns the metrics listener off; an empty value is a mistake, not `off`.
        let metrics_listen = match self.text("http.metrics_listen") {
            None => {
                self.fail(
                    "http.metrics_listen",
                    "must be set, e.g. 127.0.0.1:8479, or `off`",
                );
                None
            }
            Some(t) if t.eq_ignore_ascii_case("off") => Some(None),
            Some(t) => match t.parse::<SocketAddr>() {
                Ok(a) => Some(Some(a)),
                Err(_) => {
                    self.fail(
                        "http.metrics_listen",
                        format!("`{t}` is not an address like 127.0.0.1:8479, or `off`"),
                    );
                    None
                }
            },
        };

        let sandbox_listen = self.socket("sandbox.listen");
        let admin_token = self.secret("sandbox.admin_token");
        let sandbox_db = match self.text("sandbox.database_url") {
            Some(u) if !u.starts_with("sqlite:") => {
                self.fail("sandbox.database_url", "must be a sqlite: URL");
                None
            }
            other => other,
        };
        let sandbox_webhook_url = self.http_url("sandbox.webhook_url");
        let sandbox_webhook_secret = self.webhook_secret("sandbox.webhook_secret");
        let webhook_max_attempts =
            self.required_number("sandbox.webhook_max_attempts", 1, 100) as u32;
        if sandbox_webhook_url.is_some()
            && sandbox_webhook_secret.is_none()
            && webhook_secret.is_none()
        {
            self.fail(
                "sandbox.webhook_url",
                "is set but there is no secret to sign with (sandbox.webhook_secret or \
                 PARADARUM_WEBHOOK_SECRET)",
            );
        }

        let mut hosts = Vec::new();
        for h in self.list("attachments.hosts") {
            let lower = h.to_ascii_lowercase();
            if lower.contains('/') || lower.contains(':') || lower.contains(' ') {
                self.fail(
                    "attachments.hosts",
                    format!("`{h}` must be a bare host name like cdn.discordapp.com"),
                );
            } else {
                hosts.push(lower);
            }
        }
        let max_bytes = self.required_number(
            "attachments.max_bytes",
            1,
            crate::ticket::ATTACHMENT_MAX_BYTES,
        );

        let log_filter = self.text("log.filter").unwrap_or_else(|| "info".into());
        let log_format = match self.text("log.format").as_deref() {
            None | Some("pretty") => LogFormat::Pretty,
            Some("json") => LogFormat::Json,
            Some(other) => {
                self.fail(
                    "log.format",
                    format!("`{other}` must be `pretty` or `json`"),
                );
                LogFormat::Pretty
            }
        };
        let shutdown_grace = self.millis("shutdown.grace_ms", 0, 600_000);

        Some(Settings {
            discord: DiscordSettings {
                token,
                guild_id,
                proxy_url,
                open_cooldown,
                gateway_stall,
                global_rate,
            },
            api: ApiSettings {
                backend: backend?,
                token: api_token,
                backend_id,
                connect_timeout,
                request_timeout,
                max_retries,
                retry_budget,
            },
            sandbox: SandboxSettings {
                listen: sandbox_listen?,
                admin_token,
                database_url: sandbox_db,
                webhook_url: sandbox_webhook_url,
                webhook_secret: sandbox_webhook_secret.or_else(|| webhook_secret.clone()),
                webhook_max_attempts,
            },
            webhook_secret,
            secret_key,
            secret_key_previous,
            data_dir,
            database_url: database_url?,
            durability,
            staff_channel_id,
            notifications: crate::notify::NotifySettings {
                default_channel: staff_channel_id,
                topic_channels,
                staff_role,
                customer_updates,
                staff_all_transitions,
                // Short when only the feed brings events, long as a backstop to webhooks.
                poll_interval: std::time::Duration::from_secs(
                    poll_secs.unwrap_or(if webhook_secret_set { 60 } else { 2 }),
                ),
                backfill,
                retention,
                retention_every,
                max_event_attempts,
                ..crate::notify::NotifySettings::default()
            },
            moderator_role_ids,
            http_listen: http_listen?,
            metrics_listen: metrics_listen?,
            attachments: AttachmentSettings { hosts, max_bytes },
            log_filter,
            log_format,
            shutdown_grace,
        })
    }
}

/// Parses `<whole number><unit>` with unit `s`, `m`, `h` or `d`; at most ten years.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let t = text.trim();
    let unit = t.chars().last()?;
    let secs_per: u64 = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3_600,
        'd' => 86_400,
        _ => return None,
    };
    let digits = &t[..t.len() - unit.len_utf8()];
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u64 = digits.parse().ok()?;
    let secs = n.checked_mul(secs_per)?;
    (secs <= 10 * 365 * 86_400).then(|| Duration::from_secs(secs))
}

/// A map-backed environment, for tests and tools.
pub fn env_from(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |name| map.get(name).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_env(pairs: &[(&str, &str)]) -> Result<Loaded, ConfigErrors> {
        load(None, &env_from(pairs))
    }

    #[test]
    fn the_defaults_load_on_the_sandbox_with_warnings_only() {
        let loaded = load_env(&[]).unwrap();
        let s = &loaded.settings;
        assert_eq!(s.api.backend, Backend::Sandbox);
        assert_eq!(s.http_listen, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(s.sandbox.listen, "127.0.0.1:8787".parse().unwrap());
        assert_eq!(s.database_url, "sqlite://data/paradarum-bot.db");
        assert_eq!(
            s.attachments.hosts,
            ["cdn.discordapp.com", "media.discordapp.net"]
        );
        assert!(bot_problems(s).iter().any(|w| w.contains("DISCORD_TOKEN")));
    }

    #[test]
    fn the_public_environment_names_set_their_keys() {
        let key = SecretKey::generate_text();
        let loaded = load_env(&[
            ("DISCORD_TOKEN", "abc.def"),
            ("DISCORD_GUILD_ID", "123456789012345678"),
            ("DISCORD_PROXY_URL", "http://127.0.0.1:3000"),
            ("PARADARUM_API_URL", "https://api.paradarum.example"),
            ("PARADARUM_API_TOKEN", "int_tok"),
            (
                "PARADARUM_WEBHOOK_SECRET",
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            ),
            ("BOT_SECRET_KEY", &key),
            ("DATABASE_URL", "sqlite://other.db"),
            ("STAFF_CHANNEL_ID", "42"),
            ("MODERATOR_ROLE_IDS", "1, 2,3"),
            ("HTTP_LISTEN", "0.0.0.0:9000"),
            ("SANDBOX_LISTEN", "127.0.0.1:9001"),
            ("SANDBOX_ADMIN_TOKEN", "adm"),
            ("ATTACHMENT_HOSTS", "cdn.example.com,Files.Example.com"),
        ])
        .unwrap();
        let s = loaded.settings;
        assert_eq!(s.discord.token.unwrap().expose_secret(), "abc.def");
        assert_eq!(s.discord.guild_id, Some(123456789012345678));
        assert_eq!(
            s.discord.proxy_url.unwrap().as_str(),
            "http://127.0.0.1:3000/"
        );
        assert!(
            matches!(s.api.backend, Backend::Remote(ref u) if u.host_str() == Some("api.paradarum.example"))
        );
        assert_eq!(s.api.token.unwrap().expose_secret(), "int_tok");
        assert!(s.webhook_secret.is_some());
        assert!(s.secret_key.is_some());
        assert_eq!(s.database_url, "sqlite://other.db");
        assert_eq!(s.staff_channel_id, Some(42));
        assert_eq!(s.moderator_role_ids, [1, 2, 3]);
        assert_eq!(s.http_listen, "0.0.0.0:9000".parse().unwrap());
        assert_eq!(s.sandbox.listen, "127.0.0.1:9001".parse().unwrap());
        assert_eq!(s.sandbox.admin_token.unwrap().expose_secret(), "adm");
        assert_eq!(
            s.attachments.hosts,
            ["cdn.example.com", "files.example.com"]
        );
    }

    #[test]
    fn the_generic_prefixed_form_sets_any_key() {
        let s = load_env(&[("PARADARUM_BOT__API__REQUEST_TIMEOUT_MS", "1234")])
            .unwrap()
            .settings;
        assert_eq!(s.api.request_timeout, Duration::from_millis(1234));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let err = load_env(&[
            ("DISCORD_GUILD_ID", "my-server"),
            ("PARADARUM_API_URL", "ftp://x"),
            ("BOT_SECRET_KEY", "c2hvcnQ="),
            ("MODERATOR_ROLE_IDS", "1,two"),
            ("HTTP_LISTEN", "localhost"),
            ("PARADARUM_WEBHOOK_SECRET", "secret"),
            ("PARADARUM_BOT__API__MAX_RETRIES", "-1"),
        ])
        .unwrap_err();
        let text = err.to_string();
        for needle in [
            "DISCORD_GUILD_ID",
            "PARADARUM_API_URL",
            "BOT_SECRET_KEY",
            "`two`",
            "HTTP_LISTEN",
            "PARADARUM_WEBHOOK_SECRET",
            "api.max_retries",
        ] {
            assert!(text.contains(needle), "missing {needle} in:\n{text}");
        }
        assert_eq!(err.problems.len(), 7, "{text}");
    }

    #[test]
    fn the_real_api_requires_a_secret_key() {
        let err = load_env(&[("PARADARUM_API_URL", "https://api.example")]).unwrap_err();
        assert!(err.to_string().contains("BOT_SECRET_KEY is required"));
    }

    #[test]
    fn secrets_never_show_in_check_output_or_debug() {
        let loaded = load_env(&[
            ("DISCORD_TOKEN", "super-secret-token"),
            ("SANDBOX_ADMIN_TOKEN", "admin-secret"),
        ])
        .unwrap();
        let shown = format!("{:?}", loaded.shown);
        let debug = format!("{:?}", loaded.settings);
        for text in [shown, debug] {
            assert!(!text.contains("super-secret-token"));
            assert!(!text.contains("admin-secret"));
        }
    }

    #[test]
    fn unknown_keys_and_bad_toml_in_a_file_are_problems() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(
            &path,
            "[discord]\ntokn = \"x\"\n[http]\nlisten = \"127.0.0.1:1\"\n",
        )
        .unwrap();
        let err = load(Some(&path), &env_from(&[])).unwrap_err();
        assert!(err.to_string().contains("unknown key `discord.tokn`"));

        std::fs::write(&path, "[discord\n").unwrap();
        let err = load(Some(&path), &env_from(&[])).unwrap_err();
        assert!(err.to_string().contains("not valid TOML"));

        let err = load(Some(&dir.path().join("missing.toml")), &env_from(&[])).unwrap_err();
        assert!(err.to_string().contains("cannot read config file"));
    }

    #[test]
    fn a_file_overrides_defaults_and_env_overrides_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(
            &path,
            "[http]\nlisten = \"127.0.0.1:7000\"\n[sandbox]\nlisten = \"127.0.0.1:7001\"\n",
        )
        .unwrap();
        let s = load(
            Some(&path),
            &env_from(&[("SANDBOX_LISTEN", "127.0.0.1:7002")]),
        )
        .unwrap()
        .settings;
        assert_eq!(s.http_listen, "127.0.0.1:7000".parse().unwrap());
        assert_eq!(s.sandbox.listen, "127.0.0.1:7002".parse().unwrap());
    }

    #[test]
    fn the_same_port_for_the_bot_and_the_sandbox_is_a_problem() {
        let err = load_env(&[("SANDBOX_LISTEN", "127.0.0.1:8080")]).unwrap_err();
        assert!(err.to_string().contains("need different ports"));
    }

    #[test]
    fn metrics_have_their_own_loopback_listener_that_can_be_moved_or_turned_off() {
        let s = load_env(&[]).unwrap().settings;
        assert_eq!(s.metrics_listen, Some("127.0.0.1:8479".parse().unwrap()));
        for (name, value) in [
            ("METRICS_LISTEN", "0.0.0.0:9464"),
            ("PARADARUM_BOT__HTTP__METRICS_LISTEN", "0.0.0.0:9464"),
        ] {
            let s = load_env(&[(name, value)]).unwrap().settings;
            assert_eq!(s.metrics_listen, Some("0.0.0.0:9464".parse().unwrap()));
        }
        let s = load_env(&[("METRICS_LISTEN", "OFF")]).unwrap().settings;
        assert_eq!(s.metrics_listen, None);
        for bad in ["", "8479", "localhost:8479", "no"] {
            let e = load_env(&[("METRICS_LISTEN", bad)]).unwrap_err();
            assert!(
                e.problems.iter().any(|p| p.starts_with("METRICS_LISTEN")),
                "{bad}: {e}"
            );
        }
    }

    #[test]
    fn metrics_on_the_port_of_another_listener_is_a_problem() {
        for env in [
            [
                ("METRICS_LISTEN", "127.0.0.1:8080"),
                ("HTTP_LISTEN", "127.0.0.1:8080"),
            ],
            [
                ("METRICS_LISTEN", "127.0.0.1:8080"),
                ("HTTP_LISTEN", "0.0.0.0:8080"),
            ],
            [
                ("METRICS_LISTEN", "0.0.0.0:7000"),
                ("SANDBOX_LISTEN", "127.0.0.1:7000"),
            ],
        ] {
            let e = load_env(&env).unwrap_err();
            assert!(
                e.to_string().contains("METRICS_LISTEN") && e.to_string().contains("share a port"),
                "{env:?}: {e}"
            );
        }
        // Other addresses, or a port picked by the system, are fine.
        for env in [
            [
                ("METRICS_LISTEN", "127.0.0.2:8080"),
                ("HTTP_LISTEN", "127.0.0.1:8080"),
            ],
            [
                ("METRICS_LISTEN", "127.0.0.1:0"),
                ("HTTP_LISTEN", "127.0.0.1:0"),
            ],
            [("METRICS_LISTEN", "off"), ("HTTP_LISTEN", "127.0.0.1:8080")],
        ] {
            assert!(load_env(&env).is_ok(), "{env:?}");
        }
        // The sandbox's port is free when the sandbox is not used.
        assert!(load_env(&[
            ("METRICS_LISTEN", "127.0.0.1:8787"),
            ("PARADARUM_API_URL", "https://api.example"),
            ("BOT_SECRET_KEY", &SecretKey::generate_text()),
        ])
        .is_ok());
    }

    #[test]
    fn a_refused_url_is_quoted_without_its_credentials() {
        for url in ["ftp://user:hunter2@proxy", "http//user:hunter2@proxy"] {
            let e =
                load_env(&[("DISCORD_PROXY_URL", url), ("PARADARUM_API_URL", url)]).unwrap_err();
            let text = e.to_string();
            assert!(text.contains("DISCORD_PROXY_URL"), "{text}");
            assert!(!text.contains("hunter2"), "{text}");
        }
    }

    #[test]
    fn durations_read_with_units_and_nonsense_is_refused() {
        assert_eq!(
            parse_duration("30d"),
            Some(Duration::from_secs(30 * 86_400))
        );
        assert_eq!(parse_duration("24h"), Some(Duration::from_secs(86_400)));
        assert_eq!(parse_duration(" 90m "), Some(Duration::from_secs(5_400)));
        assert_eq!(parse_duration("45s"), Some(Duration::from_secs(45)));
        for bad in [
            "",
            "h",
            "24",
            "-1h",
            "1.5h",
            "24 h",
            "1w",
            "99999999999999999999d",
            "é",
        ] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
        let e = load_env(&[("PARADARUM_BOT__NOTIFICATIONS__BACKFILL", "soon")]).unwrap_err();
        assert!(
            e.problems
                .iter()
                .any(|p| p.contains("notifications.backfill")),
            "{e}"
        );
        let ok = load_env(&[
            ("PARADARUM_BOT__NOTIFICATIONS__BACKFILL", "24h"),
            ("PARADARUM_BOT__NOTIFICATIONS__RETENTION", "7d"),
        ])
        .unwrap();
        assert_eq!(
            ok.settings.notifications.backfill,
            Some(Duration::from_secs(86_400))
        );
        assert_eq!(
            ok.settings.notifications.retention,
            Duration::from_secs(7 * 86_400)
        );
    }

    #[test]
    fn previous_secret_keys_are_a_list_and_a_bad_entry_is_named_by_position_only() {
        let (a, b) = (SecretKey::generate_text(), SecretKey::generate_text());
        let s = load_env(&[("BOT_SECRET_KEY_PREVIOUS", &format!(" {a} ,{b},"))])
            .unwrap()
            .settings;
        let got: Vec<[u8; 32]> = s.secret_key_previous.iter().map(|k| *k.expose()).collect();
        let want: Vec<[u8; 32]> = [&a, &b]
            .iter()
            .map(|t| *SecretKey::parse(t).unwrap().expose())
            .collect();
        assert_eq!(got, want);
        assert!(load_env(&[])
            .unwrap()
            .settings
            .secret_key_previous
            .is_empty());

        // A short key and a non-base64 one: both named, neither quoted.
        let short = STANDARD.encode([7u8; 31]);
        let loaded = load_env(&[(
            "BOT_SECRET_KEY_PREVIOUS",
            &format!("{a},{short},not-base64-hunter2"),
        )]);
        let e = loaded.unwrap_err();
        let text = e.to_string();
        assert!(text.contains("BOT_SECRET_KEY_PREVIOUS"), "{text}");
        assert!(text.contains("entry 2 of 3 decodes to 31 bytes"), "{text}");
        assert!(text.contains("entry 3 of 3 is not valid"), "{text}");
        for secret in [a.as_str(), short.as_str(), "hunter2"] {
            assert!(!text.contains(secret), "{text}");
        }

        // The shown value is redacted, and the current key listed again is a warning.
        let loaded = load_env(&[
            ("BOT_SECRET_KEY", &a),
            (
                "PARADARUM_BOT__BOT__SECRET_KEY_PREVIOUS",
                &format!("{b},{a}"),
            ),
        ])
        .unwrap();
        let shown = format!("{:?}", loaded.shown);
        assert!(!shown.contains(&a) && !shown.contains(&b), "{shown}");
        assert!(
            loaded
                .warnings
                .iter()
                .any(|w| w.contains("entry 2 is BOT_SECRET_KEY itself")),
            "{:?}",
            loaded.warnings
        );
    }

    #[test]
    fn secret_keys_must_be_32_bytes_of_base64() {
        assert!(SecretKey::parse(&SecretKey::generate_text()).is_ok());
        assert!(SecretKey::parse("not base64!").is_err());
        assert!(SecretKey::parse(&STANDARD.encode([0u8; 31])).is_err());
    }
}

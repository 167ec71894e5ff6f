//! Configuration: `config/default.toml` (built in) ← `--config FILE` ← environment.
//!
//! figment layers the sources and remembers which one every value came from; serde reads
//! them into one tree whose fields name the keys. On top of that, loading never stops at
//! the first mistake: every key is read and checked, and all the problems are reported
//! together, each with where its value came from, in words an operator understands.
//! Unknown keys are refused. Secrets are held in secret types and shown only as
//! `[redacted]`.

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use figment::providers::Serialized;
use figment::value::magic::Tagged;
use figment::value::{Dict, Map, Tag, Value};
use figment::{Figment, Metadata, Profile, Provider};
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

/// Names every key once, with how its value is read (the kind says whether it is a
/// secret) and its public environment name if it has one. Makes the serde tree figment
/// fills (`raw::Raw`) and `KEYS`, in the order `check-config` shows them.
macro_rules! keys {
    ($($section:ident { $($key:ident: $kind:ty $(= $env:literal)?,)* })*) => {
        /// Every key there is. A key in a file that is not here is reported as a problem,
        /// so a typo never silently does nothing.
        pub const KEYS: &[KeySpec] = &[$($(KeySpec {
            key: concat!(stringify!($section), ".", stringify!($key)),
            env: keys!(@env $($env)?),
            secret: <$kind as Kind>::SECRET,
        },)*)*];

        // The section structs are named as their TOML tables, so the macro can name them.
        #[allow(non_camel_case_types)]
        mod raw {
            use super::*;
            #[derive(serde::Deserialize)]
            pub(super) struct Raw { $(pub(super) $section: $section,)* }
            $(#[derive(serde::Deserialize)]
            pub(super) struct $section { $(pub(super) $key: F<$kind>,)* })*
            impl Raw {
                /// Names each value (serde does not), and notes its problems and how
                /// `check-config` shows it, key by key.
                pub(super) fn check(&mut self, r: &mut Reader) {
                    let mut specs = KEYS.iter();
                    $($(if let Some(spec) = specs.next() {
                        self.$section.$key.spec = spec;
                        r.check(spec, self.$section.$key.tag,
                            &self.$section.$key.text, &self.$section.$key.errs);
                    })*)*
                }
            }
        }
    };
    (@env) => { None };
    (@env $env:literal) => { Some($env) };
}

keys! {
    discord {
        token: Secret = "DISCORD_TOKEN",
        guild_id: Snowflake = "DISCORD_GUILD_ID",
        proxy_url: HttpUrl = "DISCORD_PROXY_URL",
        open_cooldown_secs: Secs<0, 86_400>,
        gateway_stall_secs: Secs<10, 3_600>,
        global_rate_per_sec: Num<1, 50>,
    }
    api {
        url: ApiUrl = "PARADARUM_API_URL",
        token: Secret = "PARADARUM_API_TOKEN",
        backend_id: Text,
        connect_timeout_ms: Millis<1, 120_000>,
        request_timeout_ms: Millis<1, 600_000>,
        max_retries: Num<0, 20>,
        retry_budget_ms: Millis<0, 600_000>,
    }
    webhook { secret: Whsec = "PARADARUM_WEBHOOK_SECRET", }
    bot {
        secret_key: Key = "BOT_SECRET_KEY",
        secret_key_previous: Keys = "BOT_SECRET_KEY_PREVIOUS",
    }
    storage { data_dir: Text, }
    database {
        url: Sqlite = "DATABASE_URL",
        synchronous: Synchronous,
    }
    notifications {
        staff_channel_id: Snowflake = "STAFF_CHANNEL_ID",
        channel_general: Snowflake,
        channel_networking: Snowflake,
        channel_rules: Snowflake,
        channel_billing: Snowflake,
        channel_ssl: Snowflake,
        channel_performance: Snowflake,
        staff_role_id: Snowflake,
        customer_updates: Flag,
        staff_all_transitions: Flag,
        poll_interval_secs: Poll,
        backfill: Backfill,
        retention: Dur,
        retention_check_secs: Secs<1, 86_400>,
        max_event_attempts: Num<1, 100>,
    }
    moderation { role_ids: Ids = "MODERATOR_ROLE_IDS", }
    http {
        listen: Addr = "HTTP_LISTEN",
        metrics_listen: Metrics = "METRICS_LISTEN",
    }
    sandbox {
        listen: Addr = "SANDBOX_LISTEN",
        admin_token: Secret = "SANDBOX_ADMIN_TOKEN",
        database_url: SandboxDb,
        webhook_url: HttpUrl,
        webhook_secret: Whsec,
        webhook_max_attempts: Num<1, 100>,
    }
    attachments {
        hosts: Hosts = "ATTACHMENT_HOSTS",
        max_bytes: Num<1, { crate::ticket::ATTACHMENT_MAX_BYTES }>,
    }
    log {
        filter: Text,
        format: Format,
    }
    shutdown { grace_ms: Millis<0, 600_000>, }
}

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

/// Where `load` reads environment variables: the process's, or a map (`env_from`).
pub trait Environment {
    fn var(&self, name: &str) -> Option<String>;
    /// Every name set, so that an unknown `PARADARUM_BOT__…` is refused, not ignored.
    fn names(&self) -> Vec<String>;
}

/// The process environment.
pub struct ProcessEnv;

impl Environment for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        process_env(name)
    }

    fn names(&self) -> Vec<String> {
        std::env::vars_os()
            .filter_map(|(name, _)| name.into_string().ok())
            .collect()
    }
}

/// Loads the configuration from the built-in defaults, an optional file and the given
/// environment.
pub fn load(file: Option<&Path>, env: &dyn Environment) -> Result<Loaded, ConfigErrors> {
    let mut problems = Vec::new();
    let mut figment = Figment::new();
    match DEFAULT_TOML.parse::<toml::Table>() {
        Ok(table) => figment = figment.merge(Layer::new(Source::Default, &table, &mut problems)),
        Err(e) => problems.push(format!("the built-in defaults do not parse: {e}")),
    }
    if let Some(path) = file {
        match std::fs::read_to_string(path) {
            Ok(text) => match text.parse::<toml::Table>() {
                Ok(table) => {
                    let src = Source::File(path.to_path_buf());
                    figment = figment.merge(Layer::new(src, &table, &mut problems));
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
    // Every `PARADARUM_BOT__SECTION__KEY` (an unknown one is refused like a file's), then
    // the public names, which win.
    let mut names = env.names();
    names.sort();
    let generic = names.iter().filter_map(|name| {
        let path = name.strip_prefix(ENV_PREFIX)?.to_ascii_lowercase();
        Some((name.as_str(), path.replace("__", ".")))
    });
    let public = KEYS
        .iter()
        .filter_map(|k| Some((k.env?, k.key.to_string())));
    for (name, key) in generic.chain(public) {
        if let Some(v) = env.var(name) {
            let value = key.rsplit('.').fold(toml::Value::String(v), |inner, part| {
                toml::Table::from_iter([(part.to_string(), inner)]).into()
            });
            if let toml::Value::Table(table) = value {
                let src = Source::Env(name.to_string());
                figment = figment.merge(Layer::new(src, &table, &mut problems));
            }
        }
    }
    let mut raw: raw::Raw = match figment.extract() {
        Ok(raw) => raw,
        Err(e) => {
            problems.push(format!("the configuration cannot be read: {e}"));
            return Err(ConfigErrors { problems });
        }
    };
    let mut r = Reader {
        figment: &figment,
        problems,
        shown: Vec::new(),
    };
    raw.check(&mut r);
    let settings = settings(raw, &mut r);
    let (mut problems, shown) = (r.problems, r.shown);
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

/// One variable of the process environment (what `ProcessEnv` reads).
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// One source for figment: its known keys, and metadata that says where they came from.
struct Layer {
    source: Source,
    data: Serialized<toml::Table>,
}

impl Layer {
    fn new(source: Source, table: &toml::Table, problems: &mut Vec<String>) -> Self {
        let mut known = toml::Table::new();
        keep_known(table, "", &source, &mut known, problems);
        let data = Serialized::defaults(known);
        Self { source, data }
    }
}

impl Provider for Layer {
    fn metadata(&self) -> Metadata {
        let meta = Metadata::named(self.source.to_string());
        match &self.source {
            Source::Default => meta,
            Source::File(path) => meta.source(path.as_path()),
            Source::Env(name) => meta.source(figment::Source::Custom(name.clone())),
        }
    }

    fn data(&self) -> Result<Map<Profile, Dict>, figment::Error> {
        self.data.data()
    }
}

/// Copies the keys of `table` that are in `KEYS` into `out` (tables nested as they are);
/// every other one is a problem, so a typo never silently does nothing.
fn keep_known(
    table: &toml::Table,
    prefix: &str,
    src: &Source,
    out: &mut toml::Table,
    problems: &mut Vec<String>,
) {
    for (name, value) in table {
        let key = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        match value {
            toml::Value::Table(inner) => {
                let mut kept = toml::Table::new();
                keep_known(inner, &key, src, &mut kept, problems);
                if !kept.is_empty() {
                    out.insert(name.clone(), kept.into());
                }
            }
            _ if KEYS.iter().any(|s| s.key == key) => {
                out.insert(name.clone(), value.clone());
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
            // Port 0 picks a free port for each, so two `:0`s never collide.
            if s.http_listen == s.sandbox.listen && s.http_listen.port() != 0 {
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

/// How one kind of value is read from its text (trimmed, never empty).
trait Kind {
    type Out;
    /// Shown as `[redacted]`, and never quoted in a problem.
    const SECRET: bool = false;
    /// The value when unset, or why it must be set.
    fn unset() -> Result<Option<Self::Out>, String> {
        Ok(None)
    }
    /// `None` after noting in `problems` what is wrong (a list may have several).
    fn read(t: &str, problems: &mut Vec<String>) -> Option<Self::Out>;
}

/// Defines kinds that read with one expression giving `Result<Out, String>`.
macro_rules! kinds {
    ($($(#[$doc:meta])* $name:ident $(<$(const $c:ident: u64),*>)? -> $out:ty
        $(, secret = $secret:literal)? $(, unset = $unset:expr)?; |$t:ident| $read:expr;)*) => {$(
        $(#[$doc])*
        struct $name $(<$(const $c: u64),*>)?;
        impl $(<$(const $c: u64),*>)? Kind for $name $(<$($c),*>)? {
            type Out = $out;
            $(const SECRET: bool = $secret;)?
            $(fn unset() -> Result<Option<$out>, String> { $unset })?
            fn read($t: &str, problems: &mut Vec<String>) -> Option<$out> {
                let read: Result<$out, String> = $read;
                read.map_err(|e| problems.push(e)).ok()
            }
        }
    )*};
}

kinds! {
    Text -> String; |t| Ok(t.to_string());
    Secret -> SecretString, secret = true; |t| Ok(SecretString::from(t.to_string()));
    Snowflake -> u64; |t| snowflake(t);
    Num<const MIN: u64, const MAX: u64> -> u64, unset = Err(set_to(MIN, MAX));
        |t| whole(t, MIN, MAX);
    Secs<const MIN: u64, const MAX: u64> -> Duration, unset = Err(set_to(MIN, MAX));
        |t| whole(t, MIN, MAX).map(Duration::from_secs);
    Millis<const MIN: u64, const MAX: u64> -> Duration, unset = Err(set_to(MIN, MAX));
        |t| whole(t, MIN, MAX).map(Duration::from_millis);
    /// Seconds between reads of the events feed; unset: chosen by whether webhooks come.
    Poll -> u64; |t| t.parse().ok().filter(|v| (1..=3600).contains(v)).ok_or_else(|| {
        format!("`{t}` must be a whole number from 1 to 3600, or empty for automatic")
    });
    Flag -> bool; |t| match t.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        t => Err(format!("`{t}` must be true or false")),
    };
    HttpUrl -> Url; |t| http_url(t);
    /// `sandbox` or unset: the embedded sandbox.
    ApiUrl -> Backend, unset = Ok(Some(Backend::Sandbox));
        |t| match t.eq_ignore_ascii_case("sandbox") {
            true => Ok(Backend::Sandbox),
            false => http_url(t).map(Backend::Remote),
        };
    Addr -> SocketAddr, unset = Err("must be set, e.g. 127.0.0.1:8080".into()); |t| {
        t.parse().map_err(|_| format!("`{t}` is not an address like 127.0.0.1:8080"))
    };
    /// `off` turns the metrics listener off; an empty value is a mistake, not `off`.
    Metrics -> Option<SocketAddr>, unset = Err("must be set, e.g. 127.0.0.1:8479, or `off`".into());
        |t| match t.eq_ignore_ascii_case("off") {
            true => Ok(None),
            false => t.parse().map(Some).map_err(|_| {
                format!("`{t}` is not an address like 127.0.0.1:8479, or `off`")
            }),
        };
    Whsec -> WebhookSecret, secret = true; |t| WebhookSecret::parse(t).map_err(|e| e.to_string());
    Key -> SecretKey, secret = true; |t| SecretKey::parse(t).map_err(|e| format!("the value {e}"));
    Dur -> Duration; |t| duration(t);
    Backfill -> Option<Duration>; |t| match t.eq_ignore_ascii_case("none") {
        true => Ok(None),
        false => duration(t).map(Some),
    };
    Sqlite -> String; |t| match t.starts_with("sqlite:") {
        true => Ok(t.to_string()),
        false => Err(format!(
            "`{}:` databases are not supported yet; use a sqlite: URL",
            t.split(':').next().unwrap_or_default()
        )),
    };
    SandboxDb -> String; |t| match t.starts_with("sqlite:") {
        true => Ok(t.to_string()),
        false => Err("must be a sqlite: URL".to_string()),
    };
    Synchronous -> crate::store::Durability; |t| match t {
        "full" => Ok(crate::store::Durability::Full),
        "normal" => Ok(crate::store::Durability::Normal),
        _ => Err(format!("`{t}` must be `full` or `normal`")),
    };
    Format -> LogFormat; |t| match t {
        "pretty" => Ok(LogFormat::Pretty),
        "json" => Ok(LogFormat::Json),
        _ => Err(format!("`{t}` must be `pretty` or `json`")),
    };
}

/// Comma-separated Discord ids; every bad one is a problem.
struct Ids;
impl Kind for Ids {
    type Out = Vec<u64>;
    fn read(t: &str, problems: &mut Vec<String>) -> Option<Vec<u64>> {
        Some(
            items(t)
                .filter_map(|i| snowflake(i).map_err(|e| problems.push(e)).ok())
                .collect(),
        )
    }
}

/// Comma-separated bare host names, lower-cased.
struct Hosts;
impl Kind for Hosts {
    type Out = Vec<String>;
    fn read(t: &str, problems: &mut Vec<String>) -> Option<Vec<String>> {
        let host = |h: &str| match h.contains(['/', ':', ' ']) {
            true => Err(format!(
                "`{h}` must be a bare host name like cdn.discordapp.com"
            )),
            false => Ok(h.to_ascii_lowercase()),
        };
        Some(
            items(t)
                .filter_map(|h| host(h).map_err(|e| problems.push(e)).ok())
                .collect(),
        )
    }
}

/// `bot.secret_key_previous`: comma-separated keys in `bot.secret_key`'s form. A bad
/// entry is named by its position, never quoted: it is a secret.
struct Keys;
impl Kind for Keys {
    type Out = Vec<SecretKey>;
    const SECRET: bool = true;
    fn read(t: &str, problems: &mut Vec<String>) -> Option<Vec<SecretKey>> {
        let entries: Vec<&str> = t.split(',').map(str::trim).collect();
        let mut keys = Vec::new();
        // A stray comma (`a,,b` or a trailing one) is not a key to parse.
        for (i, entry) in entries.iter().enumerate().filter(|(_, e)| !e.is_empty()) {
            match SecretKey::parse(entry) {
                Ok(k) => keys.push(k),
                Err(e) => problems.push(format!("entry {} of {} {e}", i + 1, entries.len())),
            }
        }
        Some(keys)
    }
}

fn items(t: &str) -> impl Iterator<Item = &str> {
    t.split(',').map(str::trim).filter(|s| !s.is_empty())
}

fn whole(t: &str, min: u64, max: u64) -> Result<u64, String> {
    let ok = t.parse().ok().filter(|v| (min..=max).contains(v));
    ok.ok_or_else(|| format!("`{t}` must be a whole number from {min} to {max}"))
}

fn set_to(min: u64, max: u64) -> String {
    format!("must be set to a whole number from {min} to {max}")
}

fn snowflake(t: &str) -> Result<u64, String> {
    match t.parse::<u64>() {
        Ok(v) if v > 0 => Ok(v),
        _ => Err(format!("`{t}` is not a Discord id (a positive number)")),
    }
}

fn http_url(t: &str) -> Result<Url, String> {
    match Url::parse(t) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Ok(u),
        // Quoted without any `user:password@`: a problem list is printed and logged.
        Ok(u) => Err(format!(
            "`{}` must be an http:// or https:// URL",
            crate::app::redacted_url(&u)
        )),
        Err(e) => {
            let shown = if t.contains('@') { "the value" } else { t };
            Err(format!("`{shown}` is not a URL ({e})"))
        }
    }
}

/// A duration like `30d`, `24h`, `90m` or `45s` (at most ten years).
fn duration(t: &str) -> Result<Duration, String> {
    parse_duration(t).ok_or_else(|| format!("`{t}` must be a duration like 30d, 24h, 90m or 45s"))
}

/// One key's value as serde hands it over, read by its kind. Reading never fails here,
/// so one bad value does not hide the others; `Raw::check` reports what went wrong.
struct F<K: Kind> {
    spec: &'static KeySpec,
    tag: Tag,
    /// `None` when unset or empty; numbers and booleans as text; a list joined by commas.
    text: Option<String>,
    v: Option<K::Out>,
    errs: Vec<String>,
}

impl<'de, K: Kind> serde::Deserialize<'de> for F<K> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Tagged::<Value>::deserialize(d)?;
        let tag = value.tag();
        let mut errs = Vec::new();
        let text = match value.into_inner() {
            Value::Array(_, items) => items
                .iter()
                .map(|item| match item {
                    Value::String(_, s) => Some(s.clone()),
                    Value::Num(_, n) => integer(*n),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()
                .map(|parts| (!parts.is_empty()).then(|| parts.join(",")))
                .ok_or("list items must be strings or numbers"),
            Value::String(_, s) => Ok(Some(s.trim().to_string()).filter(|s| !s.is_empty())),
            Value::Num(_, n) => integer(n).map(Some).ok_or("must be a string or a number"),
            Value::Bool(_, b) => Ok(Some(b.to_string())),
            _ => Err("must be a string or a number"),
        }
        .unwrap_or_else(|e| {
            errs.push(e.to_string());
            None
        });
        let v = match &text {
            Some(t) => K::read(t, &mut errs),
            None => K::unset().unwrap_or_else(|e| {
                errs.push(e);
                None
            }),
        };
        let spec = &UNNAMED;
        Ok(F {
            spec,
            tag,
            text,
            v,
            errs,
        })
    }
}

/// Stands in until `Raw::check` says which key a value is.
static UNNAMED: KeySpec = KeySpec {
    key: "?",
    env: None,
    secret: true,
};

fn integer(n: figment::value::Num) -> Option<String> {
    n.to_i128()
        .map(|i| i.to_string())
        .or_else(|| n.to_u128().map(|u| u.to_string()))
}

/// Collects every problem, each with where its value came from, and what `check-config`
/// shows.
struct Reader<'a> {
    figment: &'a Figment,
    problems: Vec<String>,
    shown: Vec<(String, String, String)>,
}

impl Reader<'_> {
    fn source(&self, tag: Tag) -> Source {
        match self
            .figment
            .get_metadata(tag)
            .and_then(|m| m.source.as_ref())
        {
            Some(figment::Source::File(path)) => Source::File(path.clone()),
            Some(figment::Source::Custom(name)) => Source::Env(name.clone()),
            _ => Source::Default,
        }
    }

    /// `DISCORD_TOKEN (discord.token)`: the name that set the value, or would.
    fn label(&self, spec: &KeySpec, tag: Tag) -> String {
        match (self.source(tag), spec.env) {
            (Source::Env(name), _) => format!("{name} ({})", spec.key),
            (_, Some(env)) => format!("{env} ({})", spec.key),
            _ => spec.key.to_string(),
        }
    }

    fn fail(&mut self, spec: &KeySpec, tag: Tag, what: &str) {
        let (label, src) = (self.label(spec, tag), self.source(tag));
        self.problems.push(format!("{label}: {what} [from {src}]"));
    }

    fn check(&mut self, spec: &KeySpec, tag: Tag, text: &Option<String>, errs: &[String]) {
        for e in errs {
            self.fail(spec, tag, e);
        }
        let shown = match text {
            None => "(not set)".to_string(),
            Some(_) if spec.secret => "[redacted]".to_string(),
            // A URL's `user:password@` is a secret too.
            Some(v) => match Url::parse(v) {
                Ok(u) if !u.username().is_empty() || u.password().is_some() => {
                    crate::app::redacted_url(&u)
                }
                _ => v.clone(),
            },
        };
        let label = self.label(spec, tag);
        self.shown.push((spec.key.to_string(), label, shown));
    }
}

/// Builds `Settings` from the values read. `None` only when a key that has no usable
/// fallback is broken (its problem is already noted).
fn settings(r: raw::Raw, reader: &mut Reader) -> Option<Settings> {
    let (d, a, n, s) = (r.discord, r.api, r.notifications, r.sandbox);
    let webhook_secret = r.webhook.secret.v;
    if s.webhook_url.v.is_some() && s.webhook_secret.v.is_none() && webhook_secret.is_none() {
        let what = "is set but there is no secret to sign with (sandbox.webhook_secret or \
                    PARADARUM_WEBHOOK_SECRET)";
        reader.fail(s.webhook_url.spec, s.webhook_url.tag, what);
    }
    let data_dir = PathBuf::from(r.storage.data_dir.v.unwrap_or_else(|| "data".into()));
    let database_url = match (r.database.url.v, r.database.url.errs.is_empty()) {
        (Some(url), _) => Some(url),
        (None, true) => Some(format!("sqlite://{}/paradarum-bot.db", data_dir.display())),
        (None, false) => None,
    };
    let channels = [
        n.channel_general.v,
        n.channel_networking.v,
        n.channel_rules.v,
        n.channel_billing.v,
        n.channel_ssl.v,
        n.channel_performance.v,
    ];
    let topic_channels = (0..)
        .zip(channels)
        .filter_map(|(topic, c)| Some((topic, c?)))
        .collect();
    // Short when only the feed brings events, long as a backstop to webhooks.
    let poll_secs = n.poll_interval_secs.v;
    let poll_secs = poll_secs.unwrap_or(if webhook_secret.is_some() { 60 } else { 2 });
    let notifications = crate::notify::NotifySettings {
        default_channel: n.staff_channel_id.v,
        topic_channels,
        staff_role: n.staff_role_id.v,
        customer_updates: n.customer_updates.v.unwrap_or(true),
        staff_all_transitions: n.staff_all_transitions.v.unwrap_or(false),
        poll_interval: Duration::from_secs(poll_secs),
        backfill: n.backfill.v.flatten(),
        retention: n.retention.v.unwrap_or(Duration::from_secs(30 * 86_400)),
        retention_every: n.retention_check_secs.v.unwrap_or_default(),
        max_event_attempts: n.max_event_attempts.v.unwrap_or_default() as u32,
        ..crate::notify::NotifySettings::default()
    };
    Some(Settings {
        discord: DiscordSettings {
            token: d.token.v,
            guild_id: d.guild_id.v,
            proxy_url: d.proxy_url.v,
            open_cooldown: d.open_cooldown_secs.v.unwrap_or_default(),
            gateway_stall: d.gateway_stall_secs.v.unwrap_or_default(),
            global_rate: d.global_rate_per_sec.v.unwrap_or_default() as u32,
        },
        api: ApiSettings {
            backend: a.url.v?,
            token: a.token.v,
            backend_id: a.backend_id.v,
            connect_timeout: a.connect_timeout_ms.v.unwrap_or_default(),
            request_timeout: a.request_timeout_ms.v.unwrap_or_default(),
            max_retries: a.max_retries.v.unwrap_or_default() as u32,
            retry_budget: a.retry_budget_ms.v.unwrap_or_default(),
        },
        sandbox: SandboxSettings {
            listen: s.listen.v?,
            admin_token: s.admin_token.v,
            database_url: s.database_url.v,
            webhook_url: s.webhook_url.v,
            webhook_secret: s.webhook_secret.v.or_else(|| webhook_secret.clone()),
            webhook_max_attempts: s.webhook_max_attempts.v.unwrap_or_default() as u32,
        },
        webhook_secret,
        secret_key: r.bot.secret_key.v,
        secret_key_previous: r.bot.secret_key_previous.v.unwrap_or_default(),
        data_dir,
        database_url: database_url?,
        durability: r
            .database
            .synchronous
            .v
            .unwrap_or(crate::store::Durability::Full),
        staff_channel_id: n.staff_channel_id.v,
        notifications,
        moderator_role_ids: r.moderation.role_ids.v.unwrap_or_default(),
        http_listen: r.http.listen.v?,
        metrics_listen: r.http.metrics_listen.v?,
        attachments: AttachmentSettings {
            hosts: r.attachments.hosts.v.unwrap_or_default(),
            max_bytes: r.attachments.max_bytes.v.unwrap_or_default(),
        },
        log_filter: r.log.filter.v.unwrap_or_else(|| "info".into()),
        log_format: r.log.format.v.unwrap_or(LogFormat::Pretty),
        shutdown_grace: r.shutdown.grace_ms.v.unwrap_or_default(),
    })
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
pub fn env_from(pairs: &[(&str, &str)]) -> impl Environment {
    struct Map(HashMap<String, String>);
    impl Environment for Map {
        fn var(&self, name: &str) -> Option<String> {
            self.0.get(name).cloned()
        }
        fn names(&self) -> Vec<String> {
            self.0.keys().cloned().collect()
        }
    }
    Map(pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect())
}

#[cfg(test)]
mod tests;

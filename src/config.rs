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

/// Names every key once: the serde tree that figment fills (`raw::Raw`), and `KEYS`,
/// the same keys with their public environment names and secrecy, in the order
/// `check-config` shows them.
macro_rules! keys {
    ($($section:ident { $($key:ident $(= $env:literal)? $($secret:ident)?,)* })*) => {
        /// Every key there is. A key in a file that is not here is reported as a problem,
        /// so a typo never silently does nothing.
        pub const KEYS: &[KeySpec] = &[$($(KeySpec {
            key: concat!(stringify!($section), ".", stringify!($key)),
            env: keys!(@env $($env)?),
            secret: keys!(@secret $($secret)?),
        },)*)*];

        #[allow(non_camel_case_types)]
        mod raw {
            use super::Leaf;
            #[derive(serde::Deserialize)]
            pub(super) struct Raw { $(pub(super) $section: $section,)* }
            $(#[derive(serde::Deserialize)]
            pub(super) struct $section { $(pub(super) $key: Leaf,)* })*
            impl Raw {
                /// Tells each value which key it is (serde does not).
                pub(super) fn name(&mut self) {
                    let mut specs = super::KEYS.iter();
                    $($(if let Some(spec) = specs.next() { self.$section.$key.spec = spec; })*)*
                }
            }
        }
    };
    (@env) => { None };
    (@env $env:literal) => { Some($env) };
    (@secret) => { false };
    (@secret secret) => { true };
}

keys! {
    discord {
        token = "DISCORD_TOKEN" secret,
        guild_id = "DISCORD_GUILD_ID",
        proxy_url = "DISCORD_PROXY_URL",
        open_cooldown_secs,
        gateway_stall_secs,
        global_rate_per_sec,
    }
    api {
        url = "PARADARUM_API_URL",
        token = "PARADARUM_API_TOKEN" secret,
        backend_id,
        connect_timeout_ms,
        request_timeout_ms,
        max_retries,
        retry_budget_ms,
    }
    webhook { secret = "PARADARUM_WEBHOOK_SECRET" secret, }
    bot {
        secret_key = "BOT_SECRET_KEY" secret,
        secret_key_previous = "BOT_SECRET_KEY_PREVIOUS" secret,
    }
    storage { data_dir, }
    database {
        url = "DATABASE_URL",
        synchronous,
    }
    notifications {
        staff_channel_id = "STAFF_CHANNEL_ID",
        channel_general,
        channel_networking,
        channel_rules,
        channel_billing,
        channel_ssl,
        channel_performance,
        staff_role_id,
        customer_updates,
        staff_all_transitions,
        poll_interval_secs,
        backfill,
        retention,
        retention_check_secs,
        max_event_attempts,
    }
    moderation { role_ids = "MODERATOR_ROLE_IDS", }
    http {
        listen = "HTTP_LISTEN",
        metrics_listen = "METRICS_LISTEN",
    }
    sandbox {
        listen = "SANDBOX_LISTEN",
        admin_token = "SANDBOX_ADMIN_TOKEN" secret,
        database_url,
        webhook_url,
        webhook_secret secret,
        webhook_max_attempts,
    }
    attachments {
        hosts = "ATTACHMENT_HOSTS",
        max_bytes,
    }
    log {
        filter,
        format,
    }
    shutdown { grace_ms, }
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

/// Loads the configuration from the built-in defaults, an optional file and the given
/// environment (a function so tests can pass their own).
pub fn load(
    file: Option<&Path>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Loaded, ConfigErrors> {
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
    for spec in KEYS {
        let generic = format!(
            "{ENV_PREFIX}{}",
            spec.key.replace('.', "__").to_ascii_uppercase()
        );
        // The public name wins over the generic form when both are set.
        for name in [Some(generic.as_str()), spec.env].into_iter().flatten() {
            if let (Some(v), Some((section, key))) = (env(name), spec.key.split_once('.')) {
                let leaf = toml::Table::from_iter([(key.to_string(), toml::Value::String(v))]);
                let table = toml::Table::from_iter([(section.to_string(), leaf.into())]);
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
    raw.name();

    let mut r = Reader {
        figment: &figment,
        problems,
        shown: Vec::new(),
    };
    let settings = r.settings(raw);
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

/// The process environment, as `load` wants it.
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

/// One key's value as serde hands it over: its text, or why it has none that can be read.
/// Reading never fails here, so one bad value does not hide the others.
struct Leaf {
    spec: &'static KeySpec,
    tag: Tag,
    /// `None` when unset or empty; numbers and booleans as text; a list joined by commas.
    text: Result<Option<String>, &'static str>,
}

/// Stands in until `Raw::name` says which key a value is.
static UNNAMED: KeySpec = KeySpec {
    key: "?",
    env: None,
    secret: true,
};

impl<'de> serde::Deserialize<'de> for Leaf {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Tagged::<Value>::deserialize(d)?;
        let tag = value.tag();
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
        };
        Ok(Leaf {
            spec: &UNNAMED,
            tag,
            text,
        })
    }
}

fn integer(n: figment::value::Num) -> Option<String> {
    n.to_i128()
        .map(|i| i.to_string())
        .or_else(|| n.to_u128().map(|u| u.to_string()))
}

/// Reads the values into `Settings`, collecting every problem and what `check-config`
/// shows.
struct Reader<'a> {
    figment: &'a Figment,
    problems: Vec<String>,
    shown: Vec<(String, String, String)>,
}

impl Reader<'_> {
    fn source(&self, leaf: &Leaf) -> Source {
        match self
            .figment
            .get_metadata(leaf.tag)
            .and_then(|m| m.source.as_ref())
        {
            Some(figment::Source::File(path)) => Source::File(path.clone()),
            Some(figment::Source::Custom(name)) => Source::Env(name.clone()),
            _ => Source::Default,
        }
    }

    fn label(&self, leaf: &Leaf) -> String {
        let key = leaf.spec.key;
        match (self.source(leaf), leaf.spec.env) {
            (Source::Env(name), _) => format!("{name} ({key})"),
            (_, Some(env)) => format!("{env} ({key})"),
            _ => key.to_string(),
        }
    }

    fn fail(&mut self, leaf: &Leaf, what: impl fmt::Display) {
        let (label, src) = (self.label(leaf), self.source(leaf));
        self.problems.push(format!("{label}: {what} [from {src}]"));
    }

    /// The value as text, `None` when unset or empty; notes what `check-config` shows.
    fn text(&mut self, leaf: &Leaf) -> Option<String> {
        let raw = match &leaf.text {
            Ok(raw) => raw.clone(),
            Err(what) => {
                self.fail(leaf, what);
                None
            }
        };
        let shown = match &raw {
            None => "(not set)".to_string(),
            Some(_) if leaf.spec.secret => "[redacted]".to_string(),
            // A URL's `user:password@` is a secret too.
            Some(v) => match Url::parse(v) {
                Ok(u) if !u.username().is_empty() || u.password().is_some() => {
                    crate::app::redacted_url(&u)
                }
                _ => v.clone(),
            },
        };
        let label = self.label(leaf);
        self.shown.push((leaf.spec.key.to_string(), label, shown));
        raw
    }

    /// The value read by `parse`; a value it refuses is a problem.
    fn get<T>(&mut self, leaf: &Leaf, parse: impl FnOnce(&str) -> Result<T, String>) -> Option<T> {
        let text = self.text(leaf)?;
        parse(&text).map_err(|e| self.fail(leaf, e)).ok()
    }

    /// Like `get`, and an unset value is a problem too.
    fn required<T>(
        &mut self,
        leaf: &Leaf,
        unset: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        if matches!(leaf.text, Ok(None)) {
            self.text(leaf);
            self.fail(leaf, unset);
            return None;
        }
        self.get(leaf, parse)
    }

    /// A whole number in `min..=max`; a broken or missing value is reported and `min`
    /// stands in so the other keys are still checked.
    fn number(&mut self, leaf: &Leaf, min: u64, max: u64) -> u64 {
        let unset = format!("must be set to a whole number from {min} to {max}");
        self.required(leaf, &unset, |t| {
            t.parse::<u64>()
                .ok()
                .filter(|v| (min..=max).contains(v))
                .ok_or_else(|| format!("`{t}` must be a whole number from {min} to {max}"))
        })
        .unwrap_or(min)
    }

    fn millis(&mut self, leaf: &Leaf, min: u64, max: u64) -> Duration {
        Duration::from_millis(self.number(leaf, min, max))
    }

    /// Comma-separated items, each read by `parse`; every bad one is a problem.
    fn list<T>(&mut self, leaf: &Leaf, parse: impl Fn(&str) -> Result<T, String>) -> Vec<T> {
        let text = self.text(leaf).unwrap_or_default();
        let mut items = Vec::new();
        for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            match parse(item) {
                Ok(v) => items.push(v),
                Err(e) => self.fail(leaf, e),
            }
        }
        items
    }

    fn boolean(&mut self, leaf: &Leaf, default: bool) -> bool {
        self.get(leaf, |t| match t.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Ok(true),
            "false" | "0" | "no" | "off" => Ok(false),
            t => Err(format!("`{t}` must be true or false")),
        })
        .unwrap_or(default)
    }

    /// `bot.secret_key_previous`: comma-separated keys in `bot.secret_key`'s form. A bad
    /// entry is named by its position, never quoted: it is a secret.
    fn previous_keys(&mut self, leaf: &Leaf) -> Vec<SecretKey> {
        let Some(text) = self.text(leaf) else {
            return Vec::new();
        };
        let entries: Vec<&str> = text.split(',').map(str::trim).collect();
        let mut keys = Vec::new();
        // A stray comma (`a,,b` or a trailing one) is not a key to parse.
        for (i, entry) in entries.iter().enumerate().filter(|(_, e)| !e.is_empty()) {
            match SecretKey::parse(entry) {
                Ok(k) => keys.push(k),
                Err(e) => self.fail(leaf, format!("entry {} of {} {e}", i + 1, entries.len())),
            }
        }
        keys
    }

    /// Reads every key. Returns `None` only when a key that has no usable fallback is
    /// broken; the problems say which.
    fn settings(&mut self, r: raw::Raw) -> Option<Settings> {
        let (d, a, n, s) = (&r.discord, &r.api, &r.notifications, &r.sandbox);
        let discord = DiscordSettings {
            token: self.text(&d.token).map(SecretString::from),
            guild_id: self.get(&d.guild_id, snowflake),
            proxy_url: self.get(&d.proxy_url, http_url),
            open_cooldown: Duration::from_secs(self.number(&d.open_cooldown_secs, 0, 86_400)),
            gateway_stall: Duration::from_secs(self.number(&d.gateway_stall_secs, 10, 3_600)),
            global_rate: self.number(&d.global_rate_per_sec, 1, 50) as u32,
        };
        let backend = match self.text(&a.url) {
            None => Some(Backend::Sandbox),
            Some(t) if t.eq_ignore_ascii_case("sandbox") => Some(Backend::Sandbox),
            Some(t) => http_url(&t)
                .map_err(|e| self.fail(&a.url, e))
                .ok()
                .map(Backend::Remote),
        };
        let api_token = self.text(&a.token).map(SecretString::from);
        let backend_id = self.text(&a.backend_id);
        let connect_timeout = self.millis(&a.connect_timeout_ms, 1, 120_000);
        let request_timeout = self.millis(&a.request_timeout_ms, 1, 600_000);
        let max_retries = self.number(&a.max_retries, 0, 20) as u32;
        let retry_budget = self.millis(&a.retry_budget_ms, 0, 600_000);

        let webhook_secret = self.get(&r.webhook.secret, whsec);
        let secret_key = self.get(&r.bot.secret_key, |t| {
            SecretKey::parse(t).map_err(|e| format!("the value {e}"))
        });
        let secret_key_previous = self.previous_keys(&r.bot.secret_key_previous);
        let data_dir = PathBuf::from(
            self.text(&r.storage.data_dir)
                .unwrap_or_else(|| "data".into()),
        );
        let database_url = match self.text(&r.database.url) {
            None => Some(format!("sqlite://{}/paradarum-bot.db", data_dir.display())),
            Some(u) if u.starts_with("sqlite:") => Some(u),
            Some(u) => {
                let scheme = u.split(':').next().unwrap_or_default();
                let what =
                    format!("`{scheme}:` databases are not supported yet; use a sqlite: URL");
                self.fail(&r.database.url, what);
                None
            }
        };
        let durability = self
            .get(&r.database.synchronous, |t| match t {
                "full" => Ok(crate::store::Durability::Full),
                "normal" => Ok(crate::store::Durability::Normal),
                _ => Err(format!("`{t}` must be `full` or `normal`")),
            })
            .unwrap_or(crate::store::Durability::Full);

        let staff_channel_id = self.get(&n.staff_channel_id, snowflake);
        let mut topic_channels = HashMap::new();
        let channels = [
            &n.channel_general,
            &n.channel_networking,
            &n.channel_rules,
            &n.channel_billing,
            &n.channel_ssl,
            &n.channel_performance,
        ];
        for (topic, leaf) in channels.into_iter().enumerate() {
            if let Some(c) = self.get(leaf, snowflake) {
                topic_channels.insert(topic as i64, c);
            }
        }
        let staff_role = self.get(&n.staff_role_id, snowflake);
        let customer_updates = self.boolean(&n.customer_updates, true);
        let staff_all_transitions = self.boolean(&n.staff_all_transitions, false);
        let poll_secs = self.get(&n.poll_interval_secs, |t| {
            t.parse::<u64>()
                .ok()
                .filter(|v| (1..=3600).contains(v))
                .ok_or_else(|| {
                    format!("`{t}` must be a whole number from 1 to 3600, or empty for automatic")
                })
        });
        let backfill = self
            .get(&n.backfill, |t| match t.eq_ignore_ascii_case("none") {
                true => Ok(None),
                false => duration(t).map(Some),
            })
            .flatten();
        let retention = self
            .get(&n.retention, duration)
            .unwrap_or(Duration::from_secs(30 * 86_400));
        let retention_every = Duration::from_secs(self.number(&n.retention_check_secs, 1, 86_400));
        let max_event_attempts = self.number(&n.max_event_attempts, 1, 100) as u32;
        let notifications =
            crate::notify::NotifySettings {
                default_channel: staff_channel_id,
                topic_channels,
                staff_role,
                customer_updates,
                staff_all_transitions,
                // Short when only the feed brings events, long as a backstop to webhooks.
                poll_interval: Duration::from_secs(
                    poll_secs.unwrap_or(if webhook_secret.is_some() { 60 } else { 2 }),
                ),
                backfill,
                retention,
                retention_every,
                max_event_attempts,
                ..crate::notify::NotifySettings::default()
            };
        let moderator_role_ids = self.list(&r.moderation.role_ids, snowflake);
        let http_listen = self.required(&r.http.listen, "must be set, e.g. 127.0.0.1:8080", |t| {
            t.parse::<SocketAddr>()
                .map_err(|_| format!("`{t}` is not an address like 127.0.0.1:8080"))
        });
        // `off` turns the metrics listener off; an empty value is a mistake, not `off`.
        let unset = "must be set, e.g. 127.0.0.1:8479, or `off`";
        let metrics_listen = self.required(&r.http.metrics_listen, unset, |t| {
            if t.eq_ignore_ascii_case("off") {
                return Ok(None);
            }
            t.parse::<SocketAddr>()
                .map(Some)
                .map_err(|_| format!("`{t}` is not an address like 127.0.0.1:8479, or `off`"))
        });

        let sandbox_listen = self.required(&s.listen, "must be set, e.g. 127.0.0.1:8080", |t| {
            t.parse::<SocketAddr>()
                .map_err(|_| format!("`{t}` is not an address like 127.0.0.1:8080"))
        });
        let admin_token = self.text(&s.admin_token).map(SecretString::from);
        let sandbox_db = self.get(&s.database_url, |t| match t.starts_with("sqlite:") {
            true => Ok(t.to_string()),
            false => Err("must be a sqlite: URL".to_string()),
        });
        let sandbox_webhook_url = self.get(&s.webhook_url, http_url);
        let sandbox_webhook_secret = self.get(&s.webhook_secret, whsec);
        let webhook_max_attempts = self.number(&s.webhook_max_attempts, 1, 100) as u32;
        if sandbox_webhook_url.is_some()
            && sandbox_webhook_secret.is_none()
            && webhook_secret.is_none()
        {
            self.fail(
                &s.webhook_url,
                "is set but there is no secret to sign with (sandbox.webhook_secret or \
                 PARADARUM_WEBHOOK_SECRET)",
            );
        }
        let hosts = self.list(&r.attachments.hosts, |h| {
            let lower = h.to_ascii_lowercase();
            match lower.contains('/') || lower.contains(':') || lower.contains(' ') {
                true => Err(format!(
                    "`{h}` must be a bare host name like cdn.discordapp.com"
                )),
                false => Ok(lower),
            }
        });
        let max_bytes = self.number(
            &r.attachments.max_bytes,
            1,
            crate::ticket::ATTACHMENT_MAX_BYTES,
        );
        let log_filter = self.text(&r.log.filter).unwrap_or_else(|| "info".into());
        let log_format = self
            .get(&r.log.format, |t| match t {
                "pretty" => Ok(LogFormat::Pretty),
                "json" => Ok(LogFormat::Json),
                _ => Err(format!("`{t}` must be `pretty` or `json`")),
            })
            .unwrap_or(LogFormat::Pretty);
        let shutdown_grace = self.millis(&r.shutdown.grace_ms, 0, 600_000);

        Some(Settings {
            discord,
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
            notifications,
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

fn snowflake(text: &str) -> Result<u64, String> {
    match text.parse::<u64>() {
        Ok(v) if v > 0 => Ok(v),
        _ => Err(format!("`{text}` is not a Discord id (a positive number)")),
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

fn whsec(t: &str) -> Result<WebhookSecret, String> {
    WebhookSecret::parse(t).map_err(|e| e.to_string())
}

/// A duration like `30d`, `24h`, `90m` or `45s` (at most ten years).
fn duration(t: &str) -> Result<Duration, String> {
    parse_duration(t).ok_or_else(|| format!("`{t}` must be a duration like 30d, 24h, 90m or 45s"))
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
mod tests;

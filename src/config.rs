//! Configuration: `config/default.toml` (built in) ← `--config FILE` ← environment.
//!
//! figment layers the sources and remembers which one every value came from; serde fills
//! `Settings`, whose sections and fields are the file's, and whose value types read and
//! check themselves. Loading never stops at the first mistake: a bad value is noted with
//! where it came from and put back to its default, and reading goes on, so every problem
//! is reported at once. Unknown keys are refused. Secrets are held in types that show
//! only `[redacted]`.

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use figment::value::{Dict, Empty, Map, Value};
use figment::{Figment, Metadata, Profile, Provider};
use secrecy::{ExposeSecret, SecretBox, SecretString};
use serde::de::{self, Deserializer};
use serde::Deserialize;
use url::Url;

use crate::notify::NotifySettings;
use crate::signing::WebhookSecret;
use crate::store::Durability;

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

macro_rules! keys {
    ($($section:ident: $($key:ident $(= $env:literal)? $($secret:ident)?),*;)*) => {
        &[$($(KeySpec {
            key: concat!(stringify!($section), ".", stringify!($key)),
            env: keys!(@env $($env)?),
            secret: keys!(@secret $($secret)?),
        }),*),*]
    };
    (@env) => { None };
    (@env $env:literal) => { Some($env) };
    (@secret) => { false };
    (@secret $secret:ident) => { true };
}

/// Every key there is, in the order `check-config` shows them, with its public
/// environment name and whether it is a secret. A key in a file or a
/// `PARADARUM_BOT__…` name that is not here is a problem, so a typo never silently does
/// nothing. `Settings` has a field for each.
pub const KEYS: &[KeySpec] = keys! {
    discord: token = "DISCORD_TOKEN" secret, guild_id = "DISCORD_GUILD_ID",
        proxy_url = "DISCORD_PROXY_URL", open_cooldown_secs, gateway_stall_secs,
        global_rate_per_sec;
    api: url = "PARADARUM_API_URL", token = "PARADARUM_API_TOKEN" secret, backend_id,
        connect_timeout_ms, request_timeout_ms, max_retries, retry_budget_ms;
    webhook: secret = "PARADARUM_WEBHOOK_SECRET" secret;
    bot: secret_key = "BOT_SECRET_KEY" secret,
        secret_key_previous = "BOT_SECRET_KEY_PREVIOUS" secret;
    storage: data_dir;
    database: url = "DATABASE_URL", synchronous;
    notifications: staff_channel_id = "STAFF_CHANNEL_ID", channel_general,
        channel_networking, channel_rules, channel_billing, channel_ssl, channel_performance,
        staff_role_id, customer_updates, staff_all_transitions, poll_interval_secs, backfill,
        retention, retention_check_secs, max_event_attempts;
    moderation: role_ids = "MODERATOR_ROLE_IDS";
    http: listen = "HTTP_LISTEN", metrics_listen = "METRICS_LISTEN";
    sandbox: listen = "SANDBOX_LISTEN", admin_token = "SANDBOX_ADMIN_TOKEN" secret,
        database_url, webhook_url, webhook_secret secret, webhook_max_attempts;
    attachments: hosts = "ATTACHMENT_HOSTS", max_bytes;
    log: filter, format;
    shutdown: grace_ms;
};

/// The validated configuration: a struct per section of `config/default.toml`, a field
/// per key, named as there. An empty value is "not set" (`None`, or the type's own
/// meaning of unset).
#[derive(Debug, Deserialize)]
pub struct Settings {
    pub discord: DiscordSettings,
    pub api: ApiSettings,
    pub webhook: WebhookSettings,
    pub bot: BotSettings,
    pub storage: StorageSettings,
    pub database: DatabaseSettings,
    pub notifications: NotificationSettings,
    pub moderation: ModerationSettings,
    pub http: HttpSettings,
    pub sandbox: SandboxSettings,
    pub attachments: AttachmentSettings,
    pub log: LogSettings,
    pub shutdown: ShutdownSettings,
}

#[derive(Debug, Deserialize)]
pub struct DiscordSettings {
    pub token: Option<Secret>,
    pub guild_id: Option<Snowflake>,
    /// Every Discord REST call goes to this base URL instead of https://discord.com.
    pub proxy_url: Option<HttpUrl>,
    /// Between two `/ticket open` of one user.
    pub open_cooldown_secs: Secs<0, 86_400>,
    /// How long the gateway may be disconnected before the process exits.
    pub gateway_stall_secs: Secs<10, 3_600>,
    /// REST calls per second the notification pipeline may make (Discord: ~50 per bot).
    pub global_rate_per_sec: Num<1, 50>,
}

#[derive(Debug, Deserialize)]
pub struct ApiSettings {
    pub url: Backend,
    pub token: Option<Secret>,
    /// Names the backend explicitly (replicas, proxies); else it is derived from the URL.
    pub backend_id: Option<String>,
    pub connect_timeout_ms: Millis<1, 120_000>,
    pub request_timeout_ms: Millis<1, 600_000>,
    pub max_retries: Num<0, 20>,
    pub retry_budget_ms: Millis<0, 600_000>,
}

#[derive(Debug, Deserialize)]
pub struct WebhookSettings {
    pub secret: Option<WebhookSecret>,
}

#[derive(Debug, Deserialize)]
pub struct BotSettings {
    pub secret_key: Option<SecretKey>,
    /// Keys linked tokens may still be sealed with; they open them (and they are
    /// re-sealed with `secret_key`), never seal anything new.
    pub secret_key_previous: SecretKeys,
}

#[derive(Debug, Deserialize)]
pub struct StorageSettings {
    #[serde(deserialize_with = "data_dir")]
    pub data_dir: PathBuf,
}

#[derive(Debug, Deserialize)]
pub struct DatabaseSettings {
    /// Unset: `Settings::database_url` names the file in the data directory.
    pub url: Option<SqliteUrl>,
    pub synchronous: Durability,
}

#[derive(Debug, Deserialize)]
pub struct NotificationSettings {
    pub staff_channel_id: Option<Snowflake>,
    pub channel_general: Option<Snowflake>,
    pub channel_networking: Option<Snowflake>,
    pub channel_rules: Option<Snowflake>,
    pub channel_billing: Option<Snowflake>,
    pub channel_ssl: Option<Snowflake>,
    pub channel_performance: Option<Snowflake>,
    pub staff_role_id: Option<Snowflake>,
    pub customer_updates: Flag,
    pub staff_all_transitions: Flag,
    /// Unset: chosen by whether webhooks come (`Settings::notify`).
    pub poll_interval_secs: Option<Secs<1, 3_600>>,
    pub backfill: Backfill,
    pub retention: Dur,
    pub retention_check_secs: Secs<1, 86_400>,
    pub max_event_attempts: Num<1, 100>,
}

#[derive(Debug, Deserialize)]
pub struct ModerationSettings {
    pub role_ids: Ids,
}

#[derive(Debug, Deserialize)]
pub struct HttpSettings {
    pub listen: Listen,
    /// Where `/metrics` is served, apart from the public listener.
    pub metrics_listen: ListenOrOff,
}

#[derive(Debug, Deserialize)]
pub struct SandboxSettings {
    pub listen: Listen,
    pub admin_token: Option<Secret>,
    pub database_url: Option<SqliteUrl>,
    pub webhook_url: Option<HttpUrl>,
    /// Unset: `webhook.secret` (`Settings::sandbox_webhook_secret`).
    pub webhook_secret: Option<WebhookSecret>,
    pub webhook_max_attempts: Num<1, 100>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct AttachmentSettings {
    pub hosts: Hosts,
    pub max_bytes: Num<1, { crate::ticket::ATTACHMENT_MAX_BYTES as u32 }>,
}

#[derive(Debug, Deserialize)]
pub struct LogSettings {
    /// Unset: `info`.
    pub filter: Option<String>,
    pub format: LogFormat,
}

#[derive(Debug, Deserialize)]
pub struct ShutdownSettings {
    pub grace_ms: Millis<0, 600_000>,
}

impl Settings {
    /// `database.url`, or the bot's file in the data directory.
    pub fn database_url(&self) -> String {
        match &self.database.url {
            Some(url) => url.0.clone(),
            None => format!(
                "sqlite://{}/paradarum-bot.db",
                self.storage.data_dir.display()
            ),
        }
    }

    /// What the sandbox signs its webhooks with: its own secret, else `webhook.secret`.
    pub fn sandbox_webhook_secret(&self) -> Option<WebhookSecret> {
        let own = self.sandbox.webhook_secret.as_ref();
        own.or(self.webhook.secret.as_ref()).cloned()
    }

    /// The notification pipeline's settings.
    pub fn notify(&self) -> NotifySettings {
        let n = &self.notifications;
        let topics = [
            n.channel_general,
            n.channel_networking,
            n.channel_rules,
            n.channel_billing,
            n.channel_ssl,
            n.channel_performance,
        ];
        // Short when only the feed brings events, long as a backstop to webhooks.
        let poll = if self.webhook.secret.is_some() { 60 } else { 2 };
        NotifySettings {
            default_channel: n.staff_channel_id.map(|c| c.0),
            topic_channels: (0..)
                .zip(topics)
                .filter_map(|(t, c)| Some((t, c?.0)))
                .collect(),
            staff_role: n.staff_role_id.map(|r| r.0),
            customer_updates: n.customer_updates.0,
            staff_all_transitions: n.staff_all_transitions.0,
            poll_interval: n
                .poll_interval_secs
                .map_or(Duration::from_secs(poll), |p| p.0),
            backfill: n.backfill.0,
            retention: n.retention.0,
            retention_every: n.retention_check_secs.0,
            max_event_attempts: n.max_event_attempts.0,
            ..NotifySettings::default()
        }
    }
}

fn data_dir<'de, D: Deserializer<'de>>(d: D) -> Result<PathBuf, D::Error> {
    Ok(Option::<PathBuf>::deserialize(d)?.unwrap_or_else(|| "data".into()))
}

/// A secret text (a token): there is no Display, and Debug shows `[redacted]`.
#[derive(Clone)]
pub struct Secret(SecretString);

impl Secret {
    pub fn get(&self) -> &SecretString {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
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

/// `bot.secret_key_previous`: comma-separated keys in `bot.secret_key`'s form.
#[derive(Debug, Default)]
pub struct SecretKeys(pub Vec<SecretKey>);

/// Which ticket API the bot talks to (`api.url`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Backend {
    /// The embedded sandbox, started in-process (`sandbox`, or unset).
    Sandbox,
    /// Paradarum's real API at this base URL.
    Remote(Url),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

/// A Discord id (a positive number).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Snowflake(pub u64);

/// Comma-separated Discord ids.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ids(pub Vec<u64>);

/// Comma-separated bare host names, lower-cased.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hosts(pub Vec<String>);

/// An http:// or https:// URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpUrl(pub Url);

/// A `sqlite:` database URL (the only kind supported for now).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SqliteUrl(pub String);

/// An address to listen on, like 127.0.0.1:8080.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Listen(pub SocketAddr);

/// An address to listen on, or `None` for `off` (an empty value is a mistake, not off).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListenOrOff(pub Option<SocketAddr>);

/// true/false, yes/no, on/off, 1/0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flag(pub bool);

/// A whole number from `MIN` to `MAX`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Num<const MIN: u32, const MAX: u32>(pub u32);

/// Whole seconds from `MIN` to `MAX` (keys named `…_secs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Secs<const MIN: u64, const MAX: u64>(pub Duration);

/// Whole milliseconds from `MIN` to `MAX` (keys named `…_ms`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Millis<const MIN: u64, const MAX: u64>(pub Duration);

/// A duration like `30d`, `24h`, `90m` or `45s`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dur(pub Duration);

/// `notifications.backfill`: a duration, or `none` (or unset) for nothing old.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backfill(pub Option<Duration>);

/// Makes types deserialize from their text (`Text`): `|t| …` reads a set value, giving
/// `Result<Self, String>`; `unset` is what an empty one means (else it must be set).
macro_rules! from_text {
    ($([$($g:tt)*] $ty:ty $(, unset = $unset:expr)?; |$t:ident| $read:expr;)*) => {$(
        impl<'de, $($g)*> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let read = |$t: &str| -> Result<Self, String> { $read };
                match Text::deserialize(d)?.0 {
                    Some(t) => read(&t),
                    None => from_text!(@unset $($unset)?),
                }
                .map_err(de::Error::custom)
            }
        }
    )*};
    (@unset) => { Err("must be set".to_string()) };
    (@unset $unset:expr) => { $unset };
}

from_text! {
    [] Secret; |t| Ok(Secret(SecretString::from(t.to_string())));
    [] SecretKey; |t| SecretKey::parse(t).map_err(|e| format!("the value {e}"));
    // A bad entry is named by its position, never quoted: it is a secret.
    [] SecretKeys, unset = Ok(SecretKeys::default()); |t| {
        let entries: Vec<&str> = t.split(',').map(str::trim).collect();
        // A stray comma (`a,,b` or a trailing one) is not a key to parse.
        let keys = entries.iter().enumerate().filter(|(_, e)| !e.is_empty()).map(|(i, e)| {
            SecretKey::parse(e).map_err(|e| format!("entry {} of {} {e}", i + 1, entries.len()))
        });
        all(keys.collect()).map(SecretKeys)
    };
    [] WebhookSecret; |t| WebhookSecret::parse(t).map_err(|e| e.to_string());
    [] Snowflake; |t| snowflake(t).map(Snowflake);
    [] Ids, unset = Ok(Ids::default()); |t| all(items(t).map(snowflake).collect()).map(Ids);
    [] Hosts, unset = Ok(Hosts::default()); |t| all(items(t).map(|h| match h.contains(['/', ':', ' ']) {
        true => Err(format!("`{h}` must be a bare host name like cdn.discordapp.com")),
        false => Ok(h.to_ascii_lowercase()),
    }).collect()).map(Hosts);
    [] HttpUrl; |t| http_url(t).map(HttpUrl);
    [] Backend, unset = Ok(Backend::Sandbox); |t| match t.eq_ignore_ascii_case("sandbox") {
        true => Ok(Backend::Sandbox),
        false => http_url(t).map(Backend::Remote),
    };
    [] SqliteUrl; |t| match t.starts_with("sqlite:") {
        true => Ok(SqliteUrl(t.to_string())),
        false => Err(format!("`{}:` databases are not supported yet; use a sqlite: URL",
            t.split(':').next().unwrap_or_default())),
    };
    [] Listen, unset = Err("must be set, e.g. 127.0.0.1:8080".into()); |t| t.parse().map(Listen)
        .map_err(|_| format!("`{t}` is not an address like 127.0.0.1:8080"));
    [] ListenOrOff, unset = Err("must be set, e.g. 127.0.0.1:8479, or `off`".into());
        |t| match t.eq_ignore_ascii_case("off") {
            true => Ok(ListenOrOff(None)),
            false => t.parse().map(|a| ListenOrOff(Some(a)))
                .map_err(|_| format!("`{t}` is not an address like 127.0.0.1:8479, or `off`")),
        };
    [] Flag; |t| match t.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(Flag(true)),
        "false" | "0" | "no" | "off" => Ok(Flag(false)),
        t => Err(format!("`{t}` must be true or false")),
    };
    [const MIN: u32, const MAX: u32] Num<MIN, MAX>, unset = Err(set_to(MIN, MAX));
        |t| whole(t, MIN.into(), MAX.into()).map(Num);
    [const MIN: u64, const MAX: u64] Secs<MIN, MAX>, unset = Err(set_to(MIN, MAX));
        |t| whole(t, MIN, MAX).map(|s| Secs(Duration::from_secs(s)));
    [const MIN: u64, const MAX: u64] Millis<MIN, MAX>, unset = Err(set_to(MIN, MAX));
        |t| whole(t, MIN, MAX).map(|ms| Millis(Duration::from_millis(ms)));
    [] Dur; |t| duration(t).map(Dur);
    [] Backfill, unset = Ok(Backfill(None)); |t| match t.eq_ignore_ascii_case("none") {
        true => Ok(Backfill(None)),
        false => duration(t).map(|d| Backfill(Some(d))),
    };
    [] Durability; |t| match t {
        "full" => Ok(Durability::Full),
        "normal" => Ok(Durability::Normal),
        _ => Err(format!("`{t}` must be `full` or `normal`")),
    };
    [] LogFormat; |t| match t {
        "pretty" => Ok(LogFormat::Pretty),
        "json" => Ok(LogFormat::Json),
        _ => Err(format!("`{t}` must be `pretty` or `json`")),
    };
}

/// Any value as the text the types above read: a string trimmed, a number or boolean
/// written out, a list joined by commas; `None` when empty.
struct Text(Option<String>);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> de::Visitor<'de> for TextVisitor {
    type Value = Text;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, a whole number, true or false, or a list of them")
    }

    fn visit_str<E>(self, s: &str) -> Result<Text, E> {
        Ok(Text(Some(s.trim().to_string()).filter(|s| !s.is_empty())))
    }

    fn visit_bool<E>(self, b: bool) -> Result<Text, E> {
        Ok(Text(Some(b.to_string())))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Text, E> {
        Ok(Text(Some(n.to_string())))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Text, E> {
        Ok(Text(Some(n.to_string())))
    }

    fn visit_unit<E>(self) -> Result<Text, E> {
        Ok(Text(None))
    }

    fn visit_none<E>(self) -> Result<Text, E> {
        Ok(Text(None))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Text, A::Error> {
        let mut parts = Vec::new();
        while let Some(Text(part)) = seq.next_element()? {
            parts.extend(part);
        }
        Ok(Text((!parts.is_empty()).then(|| parts.join(","))))
    }
}

/// Every item, or every problem with them together.
fn all<T>(items: Vec<Result<T, String>>) -> Result<Vec<T>, String> {
    let (ok, bad): (Vec<_>, Vec<_>) = items.into_iter().partition(Result::is_ok);
    match bad.is_empty() {
        true => Ok(ok.into_iter().flatten().collect()),
        false => Err(bad
            .into_iter()
            .filter_map(Result::err)
            .collect::<Vec<_>>()
            .join("; ")),
    }
}

fn items(t: &str) -> impl Iterator<Item = &str> {
    t.split(',').map(str::trim).filter(|s| !s.is_empty())
}

fn whole<T: TryFrom<u64>>(t: &str, min: u64, max: u64) -> Result<T, String> {
    let ok = t.parse().ok().filter(|v| (min..=max).contains(v));
    ok.and_then(|v| T::try_from(v).ok())
        .ok_or_else(|| format!("`{t}` must be a whole number from {min} to {max}"))
}

fn set_to(min: impl fmt::Display, max: impl fmt::Display) -> String {
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

/// Where a value came from, for error messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Default,
    File(PathBuf),
    Env(String),
}

impl Source {
    fn of(meta: Option<&Metadata>) -> Self {
        match meta.and_then(|m| m.source.as_ref()) {
            Some(figment::Source::File(path)) => Source::File(path.clone()),
            Some(figment::Source::Custom(name)) => Source::Env(name.clone()),
            _ => Source::Default,
        }
    }

    /// `DISCORD_TOKEN (discord.token)`: the name that set the key's value, or would.
    fn label(&self, spec: &KeySpec) -> String {
        match (self, spec.env) {
            (Source::Env(name), _) => format!("{name} ({})", spec.key),
            (_, Some(env)) => format!("{env} ({})", spec.key),
            _ => spec.key.to_string(),
        }
    }

    fn problem(&self, spec: &KeySpec, what: &str) -> String {
        format!("{}: {what} [from {self}]", self.label(spec))
    }
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

/// The result of loading: the settings plus what is worth a warning, and for every key
/// (key, label, value as `check-config` shows it).
#[derive(Debug)]
pub struct Loaded {
    pub settings: Settings,
    pub warnings: Vec<String>,
    pub shown: Vec<(String, String, String)>,
}

/// Every problem found.
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

/// One variable of the process environment (what `ProcessEnv` reads).
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
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

/// These keys broken, the checks across keys would only add noise.
const CROSS_CHECKED: [&str; 5] = [
    "api.url",
    "http.listen",
    "http.metrics_listen",
    "sandbox.listen",
    "database.url",
];

/// Loads the configuration from the built-in defaults, an optional file and the given
/// environment.
pub fn load(file: Option<&Path>, env: &dyn Environment) -> Result<Loaded, ConfigErrors> {
    let mut problems = Vec::new();
    let defaults = DEFAULT_TOML.parse::<toml::Table>().unwrap_or_else(|e| {
        problems.push(format!("the built-in defaults do not parse: {e}"));
        toml::Table::new()
    });
    let mut figment = Figment::new().merge(Layer::new(Source::Default, &defaults, &mut problems));
    if let Some(path) = file {
        match std::fs::read_to_string(path).map(|text| text.parse::<toml::Table>()) {
            Ok(Ok(table)) => {
                let src = Source::File(path.to_path_buf());
                figment = figment.merge(Layer::new(src, &table, &mut problems));
            }
            Ok(Err(e)) => problems.push(format!(
                "{}: not valid TOML: {}",
                path.display(),
                e.message()
            )),
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
            let table = one_key(&key, toml::Value::String(v));
            let src = Source::Env(name.to_string());
            figment = figment.merge(Layer::new(src, &table, &mut problems));
        }
    }
    // serde stops at the first bad value: note it, put the key back to its default, and
    // read again, until everything reads (each key at most once).
    let mut bad: Vec<usize> = Vec::new();
    let mut keyed = Vec::new();
    let settings = loop {
        let e = match figment.extract::<Settings>() {
            Ok(settings) => break settings,
            Err(e) => e,
        };
        let key = e.path.iter().take(2).cloned().collect::<Vec<_>>().join(".");
        let found = KEYS.iter().position(|k| k.key == key);
        let (Some(i), Some(default)) =
            (found.filter(|i| !bad.contains(i)), lookup(&defaults, &key))
        else {
            problems.push(format!("the configuration cannot be read: {e}"));
            return Err(ConfigErrors { problems });
        };
        // A secret is never quoted, not even by serde's "invalid type: … `value`".
        let what = match (&e.kind, KEYS[i].secret) {
            (figment::error::Kind::Message(m), _) => m.clone(),
            (_, true) => "must be a string".to_string(),
            (kind, false) => kind.to_string(),
        };
        keyed.push((i, Source::of(e.metadata.as_ref()).problem(&KEYS[i], &what)));
        bad.push(i);
        let table = one_key(&key, default.clone());
        figment = figment.merge(Layer::new(Source::Default, &table, &mut problems));
    };
    keyed.sort_by_key(|(i, _)| *i);
    problems.extend(keyed.into_iter().map(|(_, p)| p));
    let mut warnings = Vec::new();
    if !bad.iter().any(|&i| CROSS_CHECKED.contains(&KEYS[i].key)) {
        cross_check(&settings, &figment, &mut problems, &mut warnings);
    }
    if !problems.is_empty() {
        return Err(ConfigErrors { problems });
    }
    let shown = shown(&figment);
    Ok(Loaded {
        settings,
        warnings,
        shown,
    })
}

/// `{section = {key = value}}` for a dotted key.
fn one_key(key: &str, value: toml::Value) -> toml::Table {
    let value = key.rsplit('.').fold(value, |inner, part| {
        toml::Table::from_iter([(part.to_string(), inner)]).into()
    });
    match value {
        toml::Value::Table(table) => table,
        _ => toml::Table::new(),
    }
}

fn lookup<'a>(table: &'a toml::Table, key: &str) -> Option<&'a toml::Value> {
    let (section, name) = key.split_once('.')?;
    table.get(section)?.get(name)
}

/// Every key, the name that set it and its value as `check-config` shows it.
fn shown(figment: &Figment) -> Vec<(String, String, String)> {
    let show = |spec: &KeySpec| {
        let value = figment.find_value(spec.key).ok();
        let src = Source::of(value.as_ref().and_then(|v| figment.get_metadata(v.tag())));
        let text = value
            .and_then(|v| Text::deserialize(&v).ok())
            .and_then(|t| t.0);
        let shown = match text {
            None => "(not set)".to_string(),
            Some(_) if spec.secret => "[redacted]".to_string(),
            // A URL's `user:password@` is a secret too.
            Some(v) => match Url::parse(&v) {
                Ok(u) if !u.username().is_empty() || u.password().is_some() => {
                    crate::app::redacted_url(&u)
                }
                _ => v,
            },
        };
        (spec.key.to_string(), src.label(spec), shown)
    };
    KEYS.iter().map(show).collect()
}

/// One source for figment: its known keys (an empty string made "not set"), and
/// metadata that says where they came from.
struct Layer {
    source: Source,
    data: Dict,
}

impl Layer {
    fn new(source: Source, table: &toml::Table, problems: &mut Vec<String>) -> Self {
        let mut known = toml::Table::new();
        keep_known(table, "", &source, &mut known, problems);
        let data = match Value::serialize(known) {
            Ok(Value::Dict(_, dict)) => blank_unset(dict),
            _ => Dict::new(),
        };
        Self { source, data }
    }
}

fn blank_unset(dict: Dict) -> Dict {
    let unset = |value| match value {
        Value::String(tag, s) if s.trim().is_empty() => Value::Empty(tag, Empty::None),
        Value::Dict(tag, inner) => Value::Dict(tag, blank_unset(inner)),
        value => value,
    };
    dict.into_iter().map(|(k, v)| (k, unset(v))).collect()
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
        Ok(Map::from([(Profile::Default, self.data.clone())]))
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
fn cross_check(s: &Settings, f: &Figment, problems: &mut Vec<String>, warnings: &mut Vec<String>) {
    let sandbox = s.api.url == Backend::Sandbox;
    let (http, sandbox_listen) = (s.http.listen.0, s.sandbox.listen.0);
    if let Some(m) = s.http.metrics_listen.0 {
        let mut others = vec![("HTTP_LISTEN", http)];
        if sandbox {
            others.push(("SANDBOX_LISTEN", sandbox_listen));
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
    if s.sandbox.webhook_url.is_some() && s.sandbox_webhook_secret().is_none() {
        let spec = KEYS.iter().find(|k| k.key == "sandbox.webhook_url");
        let src = Source::of(f.find_metadata("sandbox.webhook_url"));
        problems.extend(spec.map(|spec| {
            let what = "is set but there is no secret to sign with (sandbox.webhook_secret \
                        or PARADARUM_WEBHOOK_SECRET)";
            src.problem(spec, what)
        }));
    }
    let no_key = s.bot.secret_key.is_none();
    if sandbox && http == sandbox_listen {
        problems.push(format!(
            "HTTP_LISTEN and SANDBOX_LISTEN are both {http}: they need different ports"
        ));
    }
    if sandbox && no_key {
        warnings.push(format!(
            "BOT_SECRET_KEY is not set: on the sandbox a key is generated once into {}",
            s.storage.data_dir.display()
        ));
    }
    if sandbox && s.discord.guild_id.is_none() {
        warnings.push(
            "DISCORD_GUILD_ID is not set: /sandbox (act as staff on the sandbox) is not \
             registered. It is a guild command of DISCORD_GUILD_ID only, so no other \
             server's administrators can resolve customers' tickets"
                .into(),
        );
    }
    if !sandbox && no_key {
        problems.push(
            "BOT_SECRET_KEY is required with the real ticket API: it encrypts the \
             customers' linked tokens (`paradarum-bot gen-key` prints one)"
                .into(),
        );
    }
    if !sandbox && s.api.token.is_none() {
        warnings
            .push("PARADARUM_API_TOKEN is not set: the events feed and escalation are off".into());
    }
    if !sandbox && s.api.token.is_none() && s.webhook.secret.is_none() {
        warnings.push(
            "neither PARADARUM_API_TOKEN nor PARADARUM_WEBHOOK_SECRET is set: notifications \
             are off"
                .into(),
        );
    }
    if let Some(current) = &s.bot.secret_key {
        for (i, old) in s.bot.secret_key_previous.0.iter().enumerate() {
            if old.expose() == current.expose() {
                warnings.push(format!(
                    "BOT_SECRET_KEY_PREVIOUS entry {} is BOT_SECRET_KEY itself; it can go",
                    i + 1
                ));
            }
        }
    }
    if s.notifications.staff_channel_id.is_none() {
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

#[cfg(test)]
mod tests;

//! Configuration: `config/default.toml` (built in) ← `--config FILE` ← environment.
//!
//! figment layers the sources and remembers which one every value came from; serde fills
//! `Settings`, whose sections and fields are the file's, and whose value types read and
//! check themselves. Loading never stops at the first mistake: a bad value is noted with
//! where it came from and put back to its default, and reading goes on, so every problem
//! is reported at once. Unknown keys are refused. Secrets are held in types that show
//! only `[redacted]`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use figment::value::{Dict, Empty, Map, Value};
use figment::{Figment, Metadata, Profile, Provider};
use serde::{Deserialize, Deserializer};
use url::Url;

use crate::notify::NotifySettings;
use crate::signing::WebhookSecret;
use crate::store::Durability;

mod checks;
mod values;
pub use checks::bot_problems;
use checks::cross_check;
pub use values::*;

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

/// Names every key once: makes `Settings` (a struct per section of the file, a field per
/// key, named as there) and `KEYS`, in the order `check-config` shows them.
macro_rules! settings {
    ($($(#[$sattr:meta])* $section:ident: $name:ident {
        $($(#[$attr:meta])* $key:ident: $ty:ty $(= $env:literal)? $(, $secret:ident)?;)*
    })*) => {
        /// The validated configuration. An empty value is "not set": `None`, or what the
        /// value's type makes of it.
        #[derive(Debug, Deserialize)]
        pub struct Settings { $(pub $section: $name,)* }
        $(#[derive(Debug, Deserialize)] $(#[$sattr])*
        pub struct $name { $($(#[$attr])* pub $key: $ty,)* })*
        /// Every key there is. A key in a file or a `PARADARUM_BOT__…` name that is not
        /// here is a problem, so a typo never silently does nothing.
        pub const KEYS: &[KeySpec] = &[$($(KeySpec {
            key: concat!(stringify!($section), ".", stringify!($key)),
            env: settings!(@env $($env)?),
            secret: settings!(@secret $($secret)?),
        },)*)*];
    };
    (@env) => { None };
    (@env $env:literal) => { Some($env) };
    (@secret) => { false };
    (@secret $secret:ident) => { true };
}

settings! {
    discord: DiscordSettings {
        token: Option<Secret> = "DISCORD_TOKEN", secret;
        guild_id: Option<Snowflake> = "DISCORD_GUILD_ID";
        proxy_url: Option<HttpUrl> = "DISCORD_PROXY_URL";
        open_cooldown_secs: Secs<0, 86_400>;
        gateway_stall_secs: Secs<10, 3_600>;
        global_rate_per_sec: Num<1, 50>;
        shards: Num<1, 1024>;
        /// Unset: all of them (one gateway group).
        shards_per_replica: Option<Num<1, 1024>>;
    }
    api: ApiSettings {
        url: Backend = "PARADARUM_API_URL";
        token: Option<Secret> = "PARADARUM_API_TOKEN", secret;
        /// Unset: the backend is named after its URL.
        backend_id: Option<String>;
        connect_timeout_ms: Millis<1, 120_000>;
        request_timeout_ms: Millis<1, 600_000>;
        max_retries: Num<0, 20>;
        retry_budget_ms: Millis<0, 600_000>;
    }
    webhook: WebhookSettings { secret: Option<WebhookSecret> = "PARADARUM_WEBHOOK_SECRET", secret; }
    bot: BotSettings {
        secret_key: Option<SecretKey> = "BOT_SECRET_KEY", secret;
        /// Open linked tokens sealed with them (re-sealed with `secret_key`); seal nothing.
        secret_key_previous: SecretKeys = "BOT_SECRET_KEY_PREVIOUS", secret;
    }
    storage: StorageSettings { #[serde(deserialize_with = "data_dir")] data_dir: PathBuf; }
    database: DatabaseSettings {
        /// Unset: `Settings::database_url` puts it in the data directory.
        url: Option<DbUrl> = "DATABASE_URL";
        /// Unset: full.
        synchronous: Option<Durability>;
    }
    notifications: NotificationSettings {
        staff_channel_id: Option<Snowflake> = "STAFF_CHANNEL_ID";
        channel_general: Option<Snowflake>; channel_networking: Option<Snowflake>;
        channel_rules: Option<Snowflake>; channel_billing: Option<Snowflake>;
        channel_ssl: Option<Snowflake>; channel_performance: Option<Snowflake>;
        staff_role_id: Option<Snowflake>;
        /// Unset: true.
        customer_updates: Option<Flag>;
        /// Unset: false.
        staff_all_transitions: Option<Flag>;
        /// Unset: chosen by whether webhooks come (`Settings::notify`).
        poll_interval_secs: Option<Secs<1, 3_600>>;
        backfill: Backfill;
        /// Unset: 30 days.
        retention: Option<Dur>;
        retention_check_secs: Secs<1, 86_400>;
        max_event_attempts: Num<1, 100>;
        /// Unset: the server's preferred locale.
        locale: Option<LocaleName>;
    }
    moderation: ModerationSettings { role_ids: Ids = "MODERATOR_ROLE_IDS"; }
    http: HttpSettings {
        listen: Listen = "HTTP_LISTEN";
        metrics_listen: ListenOrOff = "METRICS_LISTEN";
    }
    sandbox: SandboxSettings {
        listen: Listen = "SANDBOX_LISTEN";
        admin_token: Option<Secret> = "SANDBOX_ADMIN_TOKEN", secret;
        database_url: Option<SqliteUrl>;
        webhook_url: Option<HttpUrl>;
        /// Unset: `webhook.secret` (`Settings::sandbox_webhook_secret`).
        webhook_secret: Option<WebhookSecret>, secret;
        webhook_max_attempts: Num<1, 100>;
    }
    #[derive(Clone)]
    attachments: AttachmentSettings {
        hosts: Hosts = "ATTACHMENT_HOSTS";
        max_bytes: Num<1, { crate::ticket::ATTACHMENT_MAX_BYTES as u32 }>;
    }
    log: LogSettings {
        /// Unset: `info`.
        filter: Option<String>;
        /// Unset: pretty.
        format: Option<LogFormat>;
    }
    shutdown: ShutdownSettings { grace_ms: Millis<0, 600_000>; }
}

impl Settings {
    /// `database.url`, or the bot's file in the data directory.
    pub fn database_url(&self) -> String {
        let dir = self.storage.data_dir.display();
        let url = self.database.url.as_ref();
        url.map_or(format!("sqlite://{dir}/paradarum-bot.db"), |u| u.0.clone())
    }

    /// The sandbox's database: `sandbox.database_url`, else the bot's database when that
    /// is SQLite, else `sqlite://<data_dir>/sandbox.db` (the sandbox's tables live only in
    /// SQLite).
    pub fn sandbox_database_url(&self) -> String {
        if let Some(url) = &self.sandbox.database_url {
            return url.0.clone();
        }
        let bot = self.database_url();
        match crate::store::Kind::of(&bot) {
            Some(crate::store::Kind::Sqlite) => bot,
            _ => format!("sqlite://{}/sandbox.db", self.storage.data_dir.display()),
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
        let poll = Duration::from_secs(if self.webhook.secret.is_some() { 60 } else { 2 });
        NotifySettings {
            default_channel: n.staff_channel_id.map(|c| c.0),
            topic_channels: (0..)
                .zip(topics)
                .filter_map(|(t, c)| Some((t, c?.0)))
                .collect(),
            staff_role: n.staff_role_id.map(|r| r.0),
            customer_updates: n.customer_updates.is_none_or(|f| f.0),
            staff_all_transitions: n.staff_all_transitions.is_some_and(|f| f.0),
            poll_interval: n.poll_interval_secs.map_or(poll, |p| p.0),
            backfill: n.backfill.0,
            retention: n.retention.map_or(MONTH, |r| r.0),
            retention_every: n.retention_check_secs.0,
            max_event_attempts: n.max_event_attempts.0,
            locale: n.locale.map(|l| l.0),
            staff_guild: self.discord.guild_id.map(|g| g.0),
            ..NotifySettings::default()
        }
    }
}

const MONTH: Duration = Duration::from_secs(30 * 86_400);

fn data_dir<'de, D: Deserializer<'de>>(d: D) -> Result<PathBuf, D::Error> {
    Ok(Option::<PathBuf>::deserialize(d)?.unwrap_or_else(|| "data".into()))
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

/// The process environment for `load` (names and values that are not Unicode left out).
pub fn process_env() -> Vec<(String, String)> {
    let vars = std::env::vars_os();
    vars.filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .collect()
}

/// An environment for `load` from pairs, for tests and tools.
pub fn env_from(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|&(k, v)| (k.into(), v.into())).collect()
}

/// With one of these keys broken, the checks across keys would only add noise.
const CROSS_CHECKED: &str = "api.url http.listen http.metrics_listen sandbox.listen database.url";

/// Loads the configuration from the built-in defaults, an optional file and the given
/// environment (a name set twice: the last wins).
pub fn load(file: Option<&Path>, env: &[(String, String)]) -> Result<Loaded, ConfigErrors> {
    let mut problems = Vec::new();
    let defaults = DEFAULT_TOML.parse::<toml::Table>().unwrap_or_else(|e| {
        problems.push(format!("the built-in defaults do not parse: {e}"));
        toml::Table::new()
    });
    let default = || Metadata::named("built-in default");
    let layer = Layer::new(default(), pairs(defaults.clone()), &mut problems);
    let mut figment = Figment::new().merge(layer);
    if let Some(path) = file {
        match std::fs::read_to_string(path).map(|text| text.parse::<toml::Table>()) {
            Ok(Ok(table)) => {
                let meta = Metadata::named(path.display().to_string()).source(path);
                figment = figment.merge(Layer::new(meta, pairs(table), &mut problems));
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
    let env: BTreeMap<&str, &str> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let generic = env.keys().filter_map(|name| {
        let key = name.strip_prefix(ENV_PREFIX)?.to_ascii_lowercase();
        Some((*name, key.replace("__", ".")))
    });
    let public = KEYS
        .iter()
        .filter_map(|k| Some((k.env?, k.key.to_string())));
    for (name, key) in generic.chain(public) {
        if let Some(value) = env.get(name) {
            let meta = Metadata::named(format!("env {name}"))
                .source(figment::Source::Custom(name.to_string()));
            let pair = vec![(key, toml::Value::String(value.to_string()))];
            figment = figment.merge(Layer::new(meta, pair, &mut problems));
        }
    }
    // serde stops at the first bad value: note it, put the key back to its default and
    // read again, until everything reads (each key at most once).
    let mut bad = BTreeMap::new();
    let settings = loop {
        let e = match figment.extract::<Settings>() {
            Ok(settings) => break settings,
            Err(e) => e,
        };
        let key = e.path.iter().take(2).cloned().collect::<Vec<_>>().join(".");
        let found = KEYS.iter().position(|k| k.key == key);
        let default_value = key
            .split_once('.')
            .and_then(|(s, k)| defaults.get(s)?.get(k));
        let (Some(i), Some(value)) = (found.filter(|i| !bad.contains_key(i)), default_value) else {
            problems.push(format!("the configuration cannot be read: {e}"));
            return Err(ConfigErrors { problems });
        };
        // A secret is never quoted, not even by serde's "invalid type: … `value`".
        let what = match (&e.kind, KEYS[i].secret) {
            (figment::error::Kind::Message(m), _) => m.clone(),
            (_, true) => "must be a string".to_string(),
            (kind, false) => kind.to_string(),
        };
        bad.insert(i, problem(&KEYS[i], e.metadata.as_ref(), &what));
        let pair = vec![(key, value.clone())];
        figment = figment.merge(Layer::new(default(), pair, &mut problems));
    };
    let broken = |i: &usize| CROSS_CHECKED.split(' ').any(|k| k == KEYS[*i].key);
    let cross = !bad.keys().any(broken);
    problems.extend(bad.into_values());
    let mut warnings = Vec::new();
    if cross {
        cross_check(&settings, &figment, &mut problems, &mut warnings);
    }
    if !problems.is_empty() {
        return Err(ConfigErrors { problems });
    }
    let shown = KEYS.iter().map(|spec| shown(spec, &figment)).collect();
    Ok(Loaded {
        settings,
        warnings,
        shown,
    })
}

/// `DISCORD_TOKEN (discord.token)`: the name that set the key's value, or would.
fn label(spec: &KeySpec, meta: Option<&Metadata>) -> String {
    let env = match meta.and_then(|m| m.source.as_ref()) {
        Some(figment::Source::Custom(name)) => Some(name.as_str()),
        _ => spec.env,
    };
    env.map_or(spec.key.to_string(), |env| format!("{env} ({})", spec.key))
}

fn problem(spec: &KeySpec, meta: Option<&Metadata>, what: &str) -> String {
    let from = meta.map_or("built-in default", |m| &m.name);
    format!("{}: {what} [from {from}]", label(spec, meta))
}

/// A key, the name that set it and its value as `check-config` shows it.
fn shown(spec: &KeySpec, figment: &Figment) -> (String, String, String) {
    let value = figment.find_value(spec.key).ok();
    let meta = value.as_ref().and_then(|v| figment.get_metadata(v.tag()));
    let shown = match value.and_then(|v| text(v).ok().flatten()) {
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
    (spec.key.to_string(), label(spec, meta), shown)
}

/// A file's keys, dotted: `section.key` (or a bare name at the top, which is unknown).
fn pairs(table: toml::Table) -> Vec<(String, toml::Value)> {
    let flat = table.into_iter().map(|(section, value)| match value {
        toml::Value::Table(keys) => (keys.into_iter())
            .map(|(key, v)| (format!("{section}.{key}"), v))
            .collect(),
        value => vec![(section, value)],
    });
    flat.flatten().collect()
}

/// One source for figment: its known keys (an empty string made "not set"), and
/// metadata that says where they came from.
struct Layer(Metadata, Dict);

impl Layer {
    /// A key that is not in `KEYS` is a problem, so a typo never silently does nothing.
    fn new(meta: Metadata, pairs: Vec<(String, toml::Value)>, problems: &mut Vec<String>) -> Self {
        let mut sections: BTreeMap<String, Dict> = BTreeMap::new();
        for (key, value) in pairs {
            let known = KEYS.iter().any(|k| k.key == key);
            match (key.split_once('.'), Value::serialize(value)) {
                (Some((section, name)), Ok(mut value)) if known => {
                    if value.as_str().is_some_and(|s| s.trim().is_empty()) {
                        value = Value::Empty(value.tag(), Empty::None);
                    }
                    let section = sections.entry(section.into()).or_default();
                    section.insert(name.into(), value);
                }
                _ => problems.push(format!("{}: unknown key `{key}`", meta.name)),
            }
        }
        let data = sections.into_iter().map(|(s, d)| (s, d.into()));
        Self(meta, data.collect())
    }
}

impl Provider for Layer {
    fn metadata(&self) -> Metadata {
        self.0.clone()
    }

    fn data(&self) -> Result<Map<Profile, Dict>, figment::Error> {
        Ok(Map::from([(Profile::Default, self.1.clone())]))
    }
}

#[cfg(test)]
mod tests;

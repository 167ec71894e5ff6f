//! The value types of the configuration: each reads itself from its text (what the
//! environment gives, and what a file's strings, numbers, booleans and lists come down
//! to), checks it, and says what an empty value means.

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use figment::value::Value;
use secrecy::{ExposeSecret, SecretBox, SecretString};
use serde::de::{self, Deserializer};
use serde::Deserialize;
use url::Url;

use crate::signing::WebhookSecret;
use crate::store::Durability;

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

macro_rules! newtypes {
    ($($(#[$doc:meta])* $name:ident$(<$(const $c:ident: $cty:ty),*>)?($inner:ty) $($derive:ident)*;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, $($derive),*)]
        pub struct $name$(<$(const $c: $cty),*>)?(pub $inner);
    )*};
}

newtypes! {
    /// A Discord id (a positive number).
    Snowflake(u64) Copy;
    /// Comma-separated Discord ids.
    Ids(Vec<u64>) Default;
    /// Comma-separated bare host names, lower-cased.
    Hosts(Vec<String>) Default;
    /// An http:// or https:// URL.
    HttpUrl(Url);
    /// The bot's database: a `sqlite:` URL (embedded) or `postgres://` / `postgresql://`.
    DbUrl(String);
    /// A `sqlite:` database URL (the sandbox's own database is always SQLite).
    SqliteUrl(String);
    /// One of the shipped languages, by its Discord locale id (`de`, `pt-BR`).
    LocaleName(crate::i18n::Locale) Copy;
    /// An address to listen on, like 127.0.0.1:8080.
    Listen(SocketAddr) Copy;
    /// An address to listen on, or `off` (`None`); an empty value is a mistake, not off.
    ListenOrOff(Option<SocketAddr>) Copy;
    /// true/false, yes/no, on/off, 1/0.
    Flag(bool) Copy;
    /// A whole number from `MIN` to `MAX`.
    Num<const MIN: u32, const MAX: u32>(u32) Copy;
    /// Whole seconds from `MIN` to `MAX` (the keys named `…_secs`).
    Secs<const MIN: u64, const MAX: u64>(Duration) Copy;
    /// Whole milliseconds from `MIN` to `MAX` (the keys named `…_ms`).
    Millis<const MIN: u64, const MAX: u64>(Duration) Copy;
    /// A duration like `30d`, `24h`, `90m` or `45s`.
    Dur(Duration) Copy;
    /// A duration, or `none` (or unset) for nothing.
    Backfill(Option<Duration>) Copy;
}

/// Makes types deserialize from their `Text`: `|t| …` reads a set value, giving
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
    [] DbUrl; |t| match crate::store::Kind::of(t) {
        Some(_) => Ok(DbUrl(t.to_string())),
        None => Err(format!("`{}:` databases are not supported; use a sqlite: or postgres:// URL",
            t.split(':').next().unwrap_or_default())),
    };
    [] SqliteUrl; |t| match t.starts_with("sqlite:") {
        true => Ok(SqliteUrl(t.to_string())),
        false => Err(format!("`{}:` databases are not supported here; use a sqlite: URL (the sandbox's tables \
            live only in SQLite)",
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
    [] LocaleName; |t| crate::i18n::Locale::exact(t).map(LocaleName).ok_or_else(|| {
        let known: Vec<&str> = crate::i18n::Locale::shipped().map(|l| l.code()).collect();
        format!("`{t}` is not a shipped language; one of: {}", known.join(", "))
    });
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

/// Any value as the text the value types read: a string trimmed, a number or boolean
/// written out, a list joined by commas; `None` when empty.
struct Text(Option<String>);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        text(<Value as Deserialize>::deserialize(d)?)
            .map(Text)
            .map_err(de::Error::custom)
    }
}

pub(super) fn text(value: Value) -> Result<Option<String>, &'static str> {
    Ok(match value {
        Value::String(_, s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Bool(_, b) => Some(b.to_string()),
        Value::Num(_, n) => Some(match (n.to_i128(), n.to_u128()) {
            (Some(i), _) => i.to_string(),
            (_, Some(u)) => u.to_string(),
            _ => return Err("must be a string or a number"),
        }),
        Value::Empty(..) => None,
        Value::Array(_, items) => {
            let parts = items.into_iter().map(text).collect::<Result<Vec<_>, _>>()?;
            let parts: Vec<String> = parts.into_iter().flatten().collect();
            (!parts.is_empty()).then(|| parts.join(","))
        }
        _ => return Err("must be a string or a number"),
    })
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

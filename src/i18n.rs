//! Every word a user reads, in their language.
//!
//! The words live in Fluent files, `locales/<locale>.ftl`, named by Discord's locale ids
//! (`en-US`, `de`, `pt-BR`, …). `build.rs` compiles in every file it finds there, so adding
//! a language is adding one file. `en-US` is complete and the fallback: a key missing in a
//! language is shown in English at run time (the tests refuse to ship one missing).
//!
//! Look a string up with [`tr!`](crate::tr) when the locale is known, or build a [`Text`]
//! with [`text!`](crate::text) when it is not yet (errors, cards built before the answer):
//! a `Text` is the key and its arguments, rendered later in whatever locale the reader has.
//! Which locale: a command's answer uses the interaction's `locale`; staff messages use
//! `notifications.locale`, else the guild's preferred locale; DMs use the customer's last
//! interaction locale (kept in the store).
//!
//! What is never translated: log lines, metric names, API wire values (topic and status
//! integers, custom ids).

pub mod registration;

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use poise::serenity_prelude as serenity;

use crate::ticket::{Status, Topic};

/// `(locale, file text)` for every `locales/*.ftl`, sorted by locale (found by `build.rs`).
pub const SOURCES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/locales.rs"));

/// The complete language, and the fallback for every other.
pub const DEFAULT_LOCALE: &str = "en-US";

/// Discord locales with no file of their own that read another's (Discord's client falls
/// back the same way).
const ALIASES: &[(&str, &str)] = &[("en-GB", "en-US"), ("es-419", "es-ES")];

/// One of the shipped languages. Any locale string becomes one ([`Locale::from_discord`]),
/// falling back to `en-US`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Locale(&'static str);

impl Default for Locale {
    fn default() -> Self {
        Locale::EN_US
    }
}

impl std::fmt::Display for Locale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl Locale {
    pub const EN_US: Locale = Locale(DEFAULT_LOCALE);

    /// The Discord locale id of the file (`pt-BR`).
    pub fn code(self) -> &'static str {
        self.0
    }

    /// Every shipped language, `en-US` among them.
    pub fn shipped() -> impl Iterator<Item = Locale> {
        SOURCES.iter().map(|(code, _)| Locale(code))
    }

    /// The shipped language with exactly this id (any case), if there is one: for
    /// configuration, where a typo must be refused rather than fall back.
    pub fn exact(code: &str) -> Option<Locale> {
        Locale::shipped().find(|l| l.0.eq_ignore_ascii_case(code.trim()))
    }

    /// The best shipped language for a Discord locale (an interaction's `locale`, a guild's
    /// `preferred_locale`, a stored one): itself, its alias, the same language of another
    /// region, else `en-US`. Never fails: any input gives a locale.
    pub fn from_discord(code: &str) -> Locale {
        let code = code.trim();
        if let Some(l) = Locale::exact(code) {
            return l;
        }
        if let Some((_, to)) = ALIASES.iter().find(|(a, _)| a.eq_ignore_ascii_case(code)) {
            if let Some(l) = Locale::exact(to) {
                return l;
            }
        }
        let lang = |c: &str| {
            c.split(['-', '_'])
                .next()
                .unwrap_or("")
                .to_ascii_lowercase()
        };
        let wanted = lang(code);
        if !wanted.is_empty() {
            if let Some(l) = Locale::shipped().find(|l| lang(l.0) == wanted) {
                return l;
            }
        }
        Locale::EN_US
    }
}

/// Where a locale comes from: a [`Locale`], a poise context (the interaction's `locale`),
/// a modal, component or command interaction. What [`tr!`](crate::tr) takes first.
pub trait LocaleSource {
    fn to_locale(&self) -> Locale;
}

impl LocaleSource for Locale {
    fn to_locale(&self) -> Locale {
        *self
    }
}

impl<T: LocaleSource + ?Sized> LocaleSource for &T {
    fn to_locale(&self) -> Locale {
        (**self).to_locale()
    }
}

impl<U, E> LocaleSource for poise::Context<'_, U, E> {
    fn to_locale(&self) -> Locale {
        poise::Context::locale(*self).map_or(Locale::EN_US, Locale::from_discord)
    }
}

impl LocaleSource for serenity::ModalInteraction {
    fn to_locale(&self) -> Locale {
        Locale::from_discord(&self.locale)
    }
}

impl LocaleSource for serenity::ComponentInteraction {
    fn to_locale(&self) -> Locale {
        Locale::from_discord(&self.locale)
    }
}

impl LocaleSource for serenity::CommandInteraction {
    fn to_locale(&self) -> Locale {
        Locale::from_discord(&self.locale)
    }
}

/// A value for a placeable: text, a number (plural forms select on it), or another
/// [`Text`] rendered in the same locale (a topic's name inside a sentence).
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    Str(String),
    Num(i64),
    Text(Box<Text>),
}

/// Numbers above this are shown as text: Fluent holds numbers as `f64`.
const EXACT_F64: u64 = 1 << 53;

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Str(s.to_string())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Str(s)
    }
}
impl From<&String> for Arg {
    fn from(s: &String) -> Self {
        Arg::Str(s.clone())
    }
}
impl From<Text> for Arg {
    fn from(t: Text) -> Self {
        Arg::Text(Box::new(t))
    }
}
impl From<u64> for Arg {
    fn from(n: u64) -> Self {
        if n < EXACT_F64 {
            Arg::Num(n as i64)
        } else {
            Arg::Str(n.to_string())
        }
    }
}
impl From<i64> for Arg {
    fn from(n: i64) -> Self {
        if n.unsigned_abs() < EXACT_F64 {
            Arg::Num(n)
        } else {
            Arg::Str(n.to_string())
        }
    }
}
impl From<usize> for Arg {
    fn from(n: usize) -> Self {
        Arg::from(n as u64)
    }
}
impl From<u32> for Arg {
    fn from(n: u32) -> Self {
        Arg::Num(i64::from(n))
    }
}
impl From<i32> for Arg {
    fn from(n: i32) -> Self {
        Arg::Num(i64::from(n))
    }
}

/// Words not yet put in a language: a message key and its arguments (or, for text that is
/// not ours, such as the ticket API's own error message, that text verbatim). Rendered
/// with [`Text::render`] once the reader's locale is known.
#[derive(Clone, Debug, PartialEq)]
pub struct Text {
    body: Body,
    args: Vec<(&'static str, Arg)>,
}

#[derive(Clone, Debug, PartialEq)]
enum Body {
    Key(&'static str),
    Verbatim(String),
}

impl Text {
    /// The message `key` (build it with [`text!`](crate::text)).
    pub fn new(key: &'static str) -> Self {
        Self {
            body: Body::Key(key),
            args: Vec::new(),
        }
    }

    /// Text that is shown as is in every language: only for words that are not ours.
    pub fn verbatim(text: impl Into<String>) -> Self {
        Self {
            body: Body::Verbatim(text.into()),
            args: Vec::new(),
        }
    }

    /// Adds placeable `$name`.
    #[must_use]
    pub fn arg(mut self, name: &'static str, value: impl Into<Arg>) -> Self {
        self.args.push((name, value.into()));
        self
    }

    /// The message key (`None` for verbatim text).
    pub fn key(&self) -> Option<&'static str> {
        match self.body {
            Body::Key(k) => Some(k),
            Body::Verbatim(_) => None,
        }
    }

    /// The words in `locale` (English where that language lacks the key).
    pub fn render(&self, locale: impl LocaleSource) -> String {
        let locale = locale.to_locale();
        match &self.body {
            Body::Key(k) => tr(locale, k, &self.args),
            Body::Verbatim(s) => s.clone(),
        }
    }
}

/// English, for logs.
impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(Locale::EN_US))
    }
}

/// The name of a topic, as every list, card and choice shows it (`SSL / Certificates` in
/// en-US); the API integer is never translated.
pub fn topic(t: Topic) -> Text {
    match t {
        Topic::General => Text::new("topic-general"),
        Topic::Networking => Text::new("topic-networking"),
        Topic::Rules => Text::new("topic-rules"),
        Topic::Billing => Text::new("topic-billing"),
        Topic::Ssl => Text::new("topic-ssl"),
        Topic::Performance => Text::new("topic-performance"),
        Topic::Unknown(v) => Text::new("topic-unknown").arg("value", v),
    }
}

/// What a topic is for (the seed's "Use it for" column).
pub fn topic_hint(t: Topic) -> Text {
    match t {
        Topic::General => Text::new("topic-general-hint"),
        Topic::Networking => Text::new("topic-networking-hint"),
        Topic::Rules => Text::new("topic-rules-hint"),
        Topic::Billing => Text::new("topic-billing-hint"),
        Topic::Ssl => Text::new("topic-ssl-hint"),
        Topic::Performance => Text::new("topic-performance-hint"),
        Topic::Unknown(_) => Text::new("topic-unknown-hint"),
    }
}

/// The name of a status, the same everywhere it is shown.
pub fn status(s: Status) -> Text {
    match s {
        Status::Open => Text::new("status-open"),
        Status::InProgress => Text::new("status-in-progress"),
        Status::Resolved => Text::new("status-resolved"),
        Status::Closed => Text::new("status-closed"),
        Status::Unknown(v) => Text::new("status-unknown").arg("value", v),
    }
}

/// What a status means (the seed's words).
pub fn status_meaning(s: Status) -> Text {
    match s {
        Status::Open => Text::new("status-open-meaning"),
        Status::InProgress => Text::new("status-in-progress-meaning"),
        Status::Resolved => Text::new("status-resolved-meaning"),
        Status::Closed => Text::new("status-closed-meaning"),
        Status::Unknown(_) => Text::new("status-unknown-meaning"),
    }
}

/// Message `key` in `locale` with `args`; English where `locale` lacks it, the key itself
/// (and a warning in the log) where English lacks it too. Never panics.
pub fn tr(locale: Locale, key: &str, args: &[(&str, Arg)]) -> String {
    CATALOG.tr(locale, key, args)
}

/// Attribute `attr` of message `key` in exactly `locale` (no fallback), for registration,
/// where a missing localization is left out rather than sent in English.
pub fn attribute(locale: Locale, key: &str, attr: &str) -> Option<String> {
    CATALOG.format(locale, key, Some(attr), &[])
}

/// The value of message `key` in exactly `locale` (no fallback).
pub fn message(locale: Locale, key: &str) -> Option<String> {
    CATALOG.format(locale, key, None, &[])
}

/// `tr!(locale_source, "key", name = value, …)`: the message in the reader's language.
/// `locale_source` is a [`Locale`], a poise context or an interaction
/// ([`LocaleSource`]); each `value` anything [`Arg`] converts (text, numbers, a [`Text`]).
#[macro_export]
macro_rules! tr {
    ($loc:expr, $key:literal $(, $name:ident = $val:expr)* $(,)?) => {
        $crate::i18n::tr(
            $crate::i18n::LocaleSource::to_locale(&$loc),
            $key,
            &[$((stringify!($name), $crate::i18n::Arg::from($val))),*],
        )
    };
}

/// `text!("key", name = value, …)`: a [`Text`] to render later in the reader's language.
#[macro_export]
macro_rules! text {
    ($key:literal $(, $name:ident = $val:expr)* $(,)?) => {
        $crate::i18n::Text::new($key)$(.arg(stringify!($name), $val))*
    };
}

static CATALOG: LazyLock<Catalog> = LazyLock::new(Catalog::load);

struct Catalog {
    bundles: Vec<(&'static str, FluentBundle<FluentResource>)>,
}

impl Catalog {
    fn load() -> Self {
        Self::from_sources(SOURCES)
    }

    fn from_sources(sources: &[(&'static str, &'static str)]) -> Self {
        let bundles = sources
            .iter()
            .map(|(code, source)| (*code, bundle(code, source)))
            .collect();
        Self { bundles }
    }

    fn tr(&self, locale: Locale, key: &str, args: &[(&str, Arg)]) -> String {
        self.format(locale, key, None, args)
            .or_else(|| self.format(Locale::EN_US, key, None, args))
            .unwrap_or_else(|| {
                tracing::warn!(key, "no such message in the language files");
                key.to_string()
            })
    }

    fn format(
        &self,
        locale: Locale,
        key: &str,
        attr: Option<&str>,
        args: &[(&str, Arg)],
    ) -> Option<String> {
        let (_, bundle) = self.bundles.iter().find(|(c, _)| *c == locale.0)?;
        let message = bundle.get_message(key)?;
        let pattern = match attr {
            Some(a) => message.get_attribute(a)?.value(),
            None => message.value()?,
        };
        let mut fargs = FluentArgs::new();
        for (name, value) in args {
            let v: FluentValue = match value {
                Arg::Str(s) => FluentValue::from(s.clone()),
                Arg::Num(n) => FluentValue::from(*n),
                Arg::Text(t) => FluentValue::from(t.render(locale)),
            };
            fargs.set(*name, v);
        }
        let mut errors = Vec::new();
        let out = bundle.format_pattern(pattern, Some(&fargs), &mut errors);
        if !errors.is_empty() {
            tracing::warn!(
                key,
                locale = locale.0,
                ?errors,
                "a message did not format cleanly"
            );
        }
        Some(out.into_owned())
    }
}

/// One language's bundle. A file that does not parse keeps what did (the tests refuse it).
fn bundle(code: &str, source: &'static str) -> FluentBundle<FluentResource> {
    let langid = code.parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    // Discord shows Unicode isolation marks as stray characters around every placeable.
    bundle.set_use_isolating(false);
    let resource = FluentResource::try_new(source.to_string()).unwrap_or_else(|(r, errors)| {
        tracing::error!(locale = code, ?errors, "a language file has syntax errors");
        r
    });
    if let Err(errors) = bundle.add_resource(resource) {
        tracing::error!(
            locale = code,
            ?errors,
            "a language file has duplicate messages"
        );
    }
    bundle
}

#[cfg(test)]
mod tests;

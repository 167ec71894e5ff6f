//! Remembering languages for the messages no interaction answers: the locale a customer
//! last used (their DMs are written in it) and each server's preferred locale (staff
//! messages fall back to it). Written after the interaction was answered, and only when it
//! changed, so the usual interaction costs no database write.

use std::collections::HashMap;
use std::sync::Mutex;

use poise::serenity_prelude as serenity;

use super::Data;
use crate::store::discord::LocaleOf;

/// How many remembered values the process keeps to skip unchanged writes.
const SEEN_MAX: usize = 10_000;

/// What this process last wrote (or read) per user and server.
#[derive(Default)]
pub struct SeenLocales(Mutex<HashMap<(bool, u64), String>>);

impl SeenLocales {
    /// True when `locale` is new for `of` (and notes it).
    fn changed(&self, of: LocaleOf, locale: &str) -> bool {
        let key = match of {
            LocaleOf::User(u) => (true, u),
            LocaleOf::Guild(g) => (false, g),
        };
        let mut seen = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if seen.get(&key).is_some_and(|l| l == locale) {
            return false;
        }
        if seen.len() >= SEEN_MAX {
            seen.clear();
        }
        seen.insert(key, locale.to_string());
        true
    }

    fn forget(&self, of: LocaleOf) {
        let key = match of {
            LocaleOf::User(u) => (true, u),
            LocaleOf::Guild(g) => (false, g),
        };
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&key);
    }
}

async fn save(data: &Data, of: LocaleOf, locale: &str) {
    // Discord's ids are short ASCII; anything else is not a locale worth keeping.
    if locale.is_empty() || locale.len() > 16 || !locale.is_ascii() {
        return;
    }
    if !data.seen_locales.changed(of, locale) {
        return;
    }
    if let Err(e) = data.store.discord().save_locale(of, locale).await {
        data.seen_locales.forget(of);
        tracing::warn!(error = %e, "could not remember a locale");
    }
}

/// Notes the user's and the server's locale from an interaction (after it was answered).
pub async fn remember(data: &Data, interaction: &serenity::Interaction) {
    let (user, locale, guild, guild_locale) = match interaction {
        serenity::Interaction::Command(i) => (&i.user, &i.locale, i.guild_id, &i.guild_locale),
        serenity::Interaction::Component(i) => (&i.user, &i.locale, i.guild_id, &i.guild_locale),
        serenity::Interaction::Modal(i) => (&i.user, &i.locale, i.guild_id, &i.guild_locale),
        _ => return,
    };
    save(data, LocaleOf::User(user.id.get()), locale).await;
    if let (Some(g), Some(l)) = (guild, guild_locale) {
        save(data, LocaleOf::Guild(g.get()), l).await;
    }
}

/// Notes a server's preferred locale as the gateway announces it.
pub async fn remember_guild(data: &Data, guild: &serenity::Guild) {
    save(
        data,
        LocaleOf::Guild(guild.id.get()),
        &guild.preferred_locale,
    )
    .await;
}

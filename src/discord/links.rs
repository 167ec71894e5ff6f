//! Linked accounts: opening a user's sealed token with the keyring, re-sealing one a
//! previous key opened, and keeping (but marking) a link that no configured key opens.
//!
//! A wrong `BOT_SECRET_KEY` on one replica must not cost everyone their link, so an
//! unreadable link is never deleted or replaced here: its user is told how to link again,
//! and if the right key comes back, the link opens as before.

use poise::serenity_prelude as serenity;
use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroize;

use super::{errors, CommandError, FrontEnd};
use crate::crypto::{KeyUsed, TokenCipher};
use crate::i18n::Text;
use crate::store::discord::LinkRecord;
use crate::store::StoreError;

/// What autocomplete shows (as its one choice) when the user's link can't be read; short
/// enough for a choice name (100 characters, checked in every language).
pub const UNREADABLE_HINT: &str = "link-unreadable-hint";
/// [`UNREADABLE_HINT`] on the sandbox backend, where there is no token to paste.
pub const UNREADABLE_HINT_SANDBOX: &str = "link-unreadable-hint-sandbox";

/// What autocomplete shows when the user is not linked.
pub const NOT_LINKED_HINT: &str = "link-not-linked-hint";
pub const NOT_LINKED: &str = "link-not-linked";
const UNREADABLE: &str = "link-unreadable";
const UNREADABLE_SANDBOX: &str = "link-unreadable-sandbox";

/// Why a user's token is not available.
#[derive(Debug)]
pub enum LinkError {
    /// No link, and this backend does not make them by itself.
    NotLinked,
    /// A link exists but no configured key opens it; it is kept and marked. On the
    /// sandbox the user unlinks (the next command links a new account) instead.
    Unreadable { sandbox: bool },
    /// The store, the ticket API or a bug.
    Other(CommandError),
}

impl LinkError {
    pub fn is_unreadable(&self) -> bool {
        matches!(self, LinkError::Unreadable { .. })
    }

    /// The key of the short form of an unreadable link's advice (see [`UNREADABLE_HINT`]).
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            LinkError::Unreadable { sandbox: false } => Some(UNREADABLE_HINT),
            LinkError::Unreadable { sandbox: true } => Some(UNREADABLE_HINT_SANDBOX),
            _ => None,
        }
    }
}

impl From<LinkError> for CommandError {
    fn from(e: LinkError) -> Self {
        match e {
            LinkError::NotLinked => CommandError::user(Text::new(NOT_LINKED)),
            LinkError::Unreadable { sandbox: false } => CommandError::user(Text::new(UNREADABLE)),
            LinkError::Unreadable { sandbox: true } => {
                CommandError::user(Text::new(UNREADABLE_SANDBOX))
            }
            LinkError::Other(e) => e,
        }
    }
}

impl From<CommandError> for LinkError {
    fn from(e: CommandError) -> Self {
        LinkError::Other(e)
    }
}

impl From<StoreError> for LinkError {
    fn from(e: StoreError) -> Self {
        LinkError::Other(e.into())
    }
}

/// True when `e` is the advice given for a link no configured key opens (for callers that
/// only have the [`CommandError`] of `FrontEnd::customer_token`).
pub fn is_unreadable(e: &CommandError) -> bool {
    matches!(e, CommandError::User(m) if matches!(m.key(), Some(UNREADABLE | UNREADABLE_SANDBOX)))
}

/// The associated data that binds a sealed token to its Discord user.
pub fn aad(uid: u64) -> [u8; 8] {
    uid.to_be_bytes()
}

/// Seals `token` for `uid` with the current key.
pub fn seal(
    cipher: &TokenCipher,
    uid: u64,
    token: &SecretString,
    account_id: String,
    account_name: String,
) -> Result<LinkRecord, CommandError> {
    let sealed_token = cipher
        .encrypt(token.expose_secret().as_bytes(), &aad(uid))
        .map_err(CommandError::internal)?;
    Ok(LinkRecord {
        account_id,
        account_name,
        sealed_token,
        unreadable_since: None,
    })
}

/// The user's own Paradarum token: opened from their link, or on the sandbox a new
/// sandbox account linked on first use.
pub async fn customer_token(
    data: &FrontEnd,
    user: &serenity::User,
) -> Result<(SecretString, LinkRecord), LinkError> {
    let uid = user.id.get();
    if let Some(link) = data.store.discord().link(uid).await? {
        return open(data, uid, link, true).await;
    }
    let Some(admin) = &data.sandbox_admin else {
        return Err(LinkError::NotLinked);
    };
    let name = format!("{} (Discord)", user.name);
    let created = data
        .client
        .sandbox_create_account(admin, &name)
        .await
        .map_err(|e| errors::from_api(e, None))?;
    let link = seal(
        &data.cipher,
        uid,
        &created.token,
        created.account.id,
        created.account.name,
    )?;
    // Two first commands at once: the first link wins, and both use it.
    let saved = data.store.discord().save_link_if_absent(uid, &link).await?;
    let stored = data
        .store
        .discord()
        .link(uid)
        .await?
        .ok_or_else(|| CommandError::internal("link vanished after saving"))?;
    if saved {
        tracing::info!(user = uid, account = %stored.account_id, "linked a new sandbox account");
    }
    open(data, uid, stored, true).await
}

/// The user's token from an existing link, writing nothing (no sandbox account, no
/// re-sealing or marking): for checks made before an interaction's first answer, which a
/// second delivery of the same interaction must be able to repeat without effect.
pub async fn linked_token(
    data: &FrontEnd,
    user: &serenity::User,
) -> Result<(SecretString, LinkRecord), LinkError> {
    let uid = user.id.get();
    match data.store.discord().link(uid).await? {
        Some(link) => open(data, uid, link, false).await,
        None => Err(LinkError::NotLinked),
    }
}

/// Opens a stored link. With `maintain`, a previous key's link is re-sealed with the
/// current key; one no key opens is marked (and kept); a marked one that opens again is
/// unmarked. Those writes are best effort: the user's command does not depend on them.
async fn open(
    data: &FrontEnd,
    uid: u64,
    mut link: LinkRecord,
    maintain: bool,
) -> Result<(SecretString, LinkRecord), LinkError> {
    let store = data.store.discord();
    let (plain, used) = match data.cipher.open(&link.sealed_token, &aad(uid)) {
        Ok(opened) => opened,
        Err(_) => {
            if maintain && link.unreadable_since.is_none() {
                tracing::warn!(
                    user = uid,
                    "no configured key opens this user's linked token (BOT_SECRET_KEY changed? \
                     see BOT_SECRET_KEY_PREVIOUS); the link is kept and marked unreadable"
                );
                if let Err(e) = store.mark_link_unreadable(uid, &link.sealed_token).await {
                    tracing::warn!(user = uid, error = %e, "could not mark a link unreadable");
                }
            }
            return Err(LinkError::Unreadable {
                sandbox: data.sandbox_admin.is_some(),
            });
        }
    };
    let token = match String::from_utf8(plain) {
        Ok(t) => SecretString::from(t),
        Err(e) => {
            e.into_bytes().zeroize();
            return Err(
                CommandError::internal(format!("linked token of {uid} is not UTF-8")).into(),
            );
        }
    };
    if !maintain {
        return Ok((token, link));
    }
    match used {
        KeyUsed::Previous(i) => match data
            .cipher
            .encrypt(token.expose_secret().as_bytes(), &aad(uid))
        {
            Ok(resealed) => match store.reseal_link(uid, &link.sealed_token, &resealed).await {
                Ok(true) => {
                    tracing::info!(
                        user = uid,
                        previous_key = i + 1,
                        "a linked token sealed with BOT_SECRET_KEY_PREVIOUS was re-sealed with \
                         BOT_SECRET_KEY"
                    );
                    link.sealed_token = resealed;
                    link.unreadable_since = None;
                }
                // Relinked or unlinked meanwhile: that newer state stands.
                Ok(false) => {}
                Err(e) => tracing::warn!(
                    user = uid, error = %e,
                    "could not re-seal a linked token with the current key; will try on next use"
                ),
            },
            Err(e) => tracing::warn!(user = uid, error = %e, "could not re-seal a linked token"),
        },
        KeyUsed::Current if link.unreadable_since.is_some() => {
            match store.clear_link_mark(uid, &link.sealed_token).await {
                Ok(()) => link.unreadable_since = None,
                Err(e) => {
                    tracing::warn!(user = uid, error = %e, "could not unmark a readable link")
                }
            }
        }
        KeyUsed::Current => {}
    }
    Ok((token, link))
}

/// How the stored links stand against the configured keys (what `check-config` shows).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LinkCounts {
    pub total: usize,
    /// Open only with a key of `BOT_SECRET_KEY_PREVIOUS` (re-sealed on next use).
    pub previous_key: usize,
    /// Open with no configured key: those users must link again.
    pub unreadable: usize,
}

/// Tries every link against the keyring; writes nothing.
pub fn count(cipher: &TokenCipher, links: &[(u64, Vec<u8>)]) -> LinkCounts {
    let mut c = LinkCounts {
        total: links.len(),
        ..LinkCounts::default()
    };
    for (uid, sealed) in links {
        match cipher.open(sealed, &aad(*uid)) {
            Ok((mut plain, used)) => {
                plain.zeroize();
                if used != KeyUsed::Current {
                    c.previous_key += 1;
                }
            }
            Err(_) => c.unreadable += 1,
        }
    }
    c
}

impl std::fmt::Display for LinkCounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.total)?;
        let mut parts = Vec::new();
        if self.previous_key > 0 {
            parts.push(format!("{} sealed with a previous key", self.previous_key));
        }
        if self.unreadable > 0 {
            parts.push(format!(
                "{} that no configured key opens — those users must link again",
                self.unreadable
            ));
        }
        if !parts.is_empty() {
            write!(f, " ({})", parts.join(", "))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hints_fit_an_autocomplete_choice_and_the_advice_is_a_user_error() {
        for sandbox in [false, true] {
            let e = LinkError::Unreadable { sandbox };
            assert!(e.is_unreadable());
            let ce = CommandError::from(LinkError::Unreadable { sandbox });
            assert!(is_unreadable(&ce));
            for l in crate::i18n::Locale::shipped() {
                let hint = Text::new(e.hint().unwrap()).render(l);
                assert_ne!(hint, e.hint().unwrap(), "{l}: no such key");
                assert!(hint.chars().count() <= 100, "{l}: {hint}");
                let not_linked = Text::new(NOT_LINKED_HINT).render(l);
                assert!(not_linked.chars().count() <= 100, "{l}: {not_linked}");
            }
            let hint = Text::new(e.hint().unwrap()).render(crate::i18n::Locale::EN_US);
            let text = ce.user_message("E-1", crate::i18n::Locale::EN_US);
            assert!(!text.contains("Something went wrong"), "{text}");
            let wanted = if sandbox {
                "/ticket unlink"
            } else {
                "/ticket link"
            };
            assert!(text.contains(wanted) && hint.contains(wanted), "{text}");
        }
        assert!(LinkError::NotLinked.hint().is_none());
        assert!(!is_unreadable(&CommandError::from(LinkError::NotLinked)));
        assert!(!is_unreadable(&CommandError::internal("x")));
    }

    #[test]
    fn links_are_counted_by_the_key_that_opens_them() {
        let (old, new, lost) = ([1u8; 32], [2u8; 32], [3u8; 32]);
        let none: [&[u8; 32]; 0] = [];
        let by = |k: &[u8; 32], uid: u64| {
            TokenCipher::new(k, none)
                .encrypt(b"tok", &aad(uid))
                .unwrap()
        };
        let links = vec![
            (1, by(&new, 1)),
            (2, by(&old, 2)),
            (3, by(&old, 3)),
            (4, by(&lost, 4)),
            // Sealed for user 5, stored on user 6's row: bound to 5, so unreadable.
            (6, by(&new, 5)),
        ];
        let c = count(&TokenCipher::new(&new, [&old]), &links);
        assert_eq!(
            c,
            LinkCounts {
                total: 5,
                previous_key: 2,
                unreadable: 2
            }
        );
        assert_eq!(
            c.to_string(),
            "5 (2 sealed with a previous key, 2 that no configured key opens — those users \
             must link again)"
        );
        let only_new = count(&TokenCipher::new(&new, none), &links[..1]);
        assert_eq!(only_new.to_string(), "1");
    }
}

//! Encryption at rest for linked API tokens: AES-256-GCM with a random 96-bit nonce per
//! value, keyed with `BOT_SECRET_KEY`. The Discord user id is bound in as associated data,
//! so a ciphertext copied onto another user's row does not decrypt.
//!
//! The cipher is a keyring so the key can be rotated: values are always sealed with the
//! current key, and opened with the current key or any of `BOT_SECRET_KEY_PREVIOUS`.
//! [`TokenCipher::open`] says which key opened a value, so its owner can re-seal it.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use rand::RngCore;

const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    #[error("the stored value is damaged or was encrypted with another key")]
    Tampered,
    #[error("encryption failed")]
    Encrypt,
}

/// Which configured key opened a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyUsed {
    /// `BOT_SECRET_KEY`: nothing to do.
    Current,
    /// Entry `n` (0-based) of `BOT_SECRET_KEY_PREVIOUS`: the value should be re-sealed.
    Previous(usize),
}

pub struct TokenCipher {
    current: Aes256Gcm,
    previous: Vec<Aes256Gcm>,
}

impl TokenCipher {
    /// A keyring sealing with `current` and opening with it or any of `previous` (tried
    /// in order, after `current`).
    pub fn new<'k>(current: &[u8; 32], previous: impl IntoIterator<Item = &'k [u8; 32]>) -> Self {
        Self {
            current: Aes256Gcm::new(current.into()),
            previous: previous
                .into_iter()
                .map(|k| Aes256Gcm::new(k.into()))
                .collect(),
        }
    }

    /// How many previous keys the ring holds.
    pub fn previous_keys(&self) -> usize {
        self.previous.len()
    }

    /// nonce ‖ ciphertext ‖ tag, always with the current key.
    pub fn encrypt(&self, plaintext: &[u8], aad: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::thread_rng().fill_bytes(&mut nonce);
        let ct = self
            .current
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad,
                },
            )
            .map_err(|_| CryptoError::Encrypt)?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        Ok(out)
    }

    /// Opens `sealed` with the first key that authenticates it, and says which one.
    pub fn open(&self, sealed: &[u8], aad: &[u8]) -> Result<(Vec<u8>, KeyUsed), CryptoError> {
        if sealed.len() < NONCE_LEN + TAG_LEN {
            return Err(CryptoError::Tampered);
        }
        let (nonce, ct) = sealed.split_at(NONCE_LEN);
        let attempt = |c: &Aes256Gcm| {
            c.decrypt(Nonce::from_slice(nonce), Payload { msg: ct, aad })
                .ok()
        };
        if let Some(plain) = attempt(&self.current) {
            return Ok((plain, KeyUsed::Current));
        }
        self.previous
            .iter()
            .enumerate()
            .find_map(|(i, c)| attempt(c).map(|p| (p, KeyUsed::Previous(i))))
            .ok_or(CryptoError::Tampered)
    }

    /// Opens `sealed` with any configured key, for callers that never re-seal.
    pub fn decrypt(&self, sealed: &[u8], aad: &[u8]) -> Result<Vec<u8>, CryptoError> {
        self.open(sealed, aad).map(|(plain, _)| plain)
    }
}

impl std::fmt::Debug for TokenCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "TokenCipher([redacted], {} previous key(s))",
            self.previous.len()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: [&[u8; 32]; 0] = [];

    #[test]
    fn a_token_round_trips_and_every_tampering_is_detected() {
        let c = TokenCipher::new(&[7u8; 32], NONE);
        let sealed = c.encrypt(b"sbx_cus_secret", b"user:1").unwrap();
        assert!(!sealed.windows(6).any(|w| w == b"secret"));
        assert_eq!(c.decrypt(&sealed, b"user:1").unwrap(), b"sbx_cus_secret");
        // Another user's row, another key, a flipped bit, a truncation: all refused.
        assert_eq!(c.decrypt(&sealed, b"user:2"), Err(CryptoError::Tampered));
        let other = TokenCipher::new(&[8u8; 32], NONE);
        assert_eq!(
            other.decrypt(&sealed, b"user:1"),
            Err(CryptoError::Tampered)
        );
        for i in 0..sealed.len() {
            let mut bad = sealed.clone();
            bad[i] ^= 1;
            assert_eq!(c.decrypt(&bad, b"user:1"), Err(CryptoError::Tampered));
        }
        assert_eq!(
            c.decrypt(&sealed[..10], b"user:1"),
            Err(CryptoError::Tampered)
        );
        // Fresh nonces: the same token never encrypts the same way twice.
        assert_ne!(sealed, c.encrypt(b"sbx_cus_secret", b"user:1").unwrap());
    }

    #[test]
    fn the_keyring_opens_with_the_current_key_then_each_previous_one_and_says_which() {
        let (a, b, c, d) = ([1u8; 32], [2u8; 32], [3u8; 32], [4u8; 32]);
        let by_a = TokenCipher::new(&a, NONE).encrypt(b"tok-a", b"u1").unwrap();
        let by_b = TokenCipher::new(&b, NONE).encrypt(b"tok-b", b"u1").unwrap();
        let by_c = TokenCipher::new(&c, NONE).encrypt(b"tok-c", b"u1").unwrap();
        let by_d = TokenCipher::new(&d, NONE).encrypt(b"tok-d", b"u1").unwrap();

        let ring = TokenCipher::new(&c, [&a, &b]);
        assert_eq!(ring.previous_keys(), 2);
        assert_eq!(
            ring.open(&by_c, b"u1").unwrap(),
            (b"tok-c".to_vec(), KeyUsed::Current)
        );
        assert_eq!(
            ring.open(&by_a, b"u1").unwrap(),
            (b"tok-a".to_vec(), KeyUsed::Previous(0))
        );
        assert_eq!(
            ring.open(&by_b, b"u1").unwrap(),
            (b"tok-b".to_vec(), KeyUsed::Previous(1))
        );
        // No configured key: refused, whatever the ring holds.
        assert_eq!(ring.open(&by_d, b"u1"), Err(CryptoError::Tampered));
        // The user is still bound in under a previous key.
        assert_eq!(ring.open(&by_a, b"u2"), Err(CryptoError::Tampered));
        assert_eq!(ring.open(&by_c, b"u2"), Err(CryptoError::Tampered));
        // The current key wins when it is also listed as a previous one.
        let listed_twice = TokenCipher::new(&c, [&c]);
        assert_eq!(listed_twice.open(&by_c, b"u1").unwrap().1, KeyUsed::Current);
    }

    #[test]
    fn a_re_seal_opens_with_the_current_key_alone_and_stays_bound_to_its_user() {
        let (old, new) = ([5u8; 32], [6u8; 32]);
        let sealed_old = TokenCipher::new(&old, NONE).encrypt(b"tok", b"u1").unwrap();
        let ring = TokenCipher::new(&new, [&old]);
        let (plain, used) = ring.open(&sealed_old, b"u1").unwrap();
        assert_eq!(used, KeyUsed::Previous(0));
        let resealed = ring.encrypt(&plain, b"u1").unwrap();

        assert_eq!(
            ring.open(&resealed, b"u1").unwrap(),
            (b"tok".to_vec(), KeyUsed::Current)
        );
        // Once the previous key is dropped, the re-sealed value still opens; the old
        // one does not; and the old key alone cannot open the new value.
        let new_only = TokenCipher::new(&new, NONE);
        assert_eq!(new_only.decrypt(&resealed, b"u1").unwrap(), b"tok");
        assert_eq!(
            new_only.decrypt(&sealed_old, b"u1"),
            Err(CryptoError::Tampered)
        );
        assert_eq!(
            TokenCipher::new(&old, NONE).decrypt(&resealed, b"u1"),
            Err(CryptoError::Tampered)
        );
        assert_eq!(ring.open(&resealed, b"u2"), Err(CryptoError::Tampered));
    }

    #[test]
    fn debug_shows_no_key_material() {
        let ring = TokenCipher::new(&[9u8; 32], [&[10u8; 32]]);
        let text = format!("{ring:?}");
        assert_eq!(text, "TokenCipher([redacted], 1 previous key(s))");
    }
}

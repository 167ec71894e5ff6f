//! Encryption at rest for linked API tokens: AES-256-GCM with a random 96-bit nonce per
//! value, keyed with `BOT_SECRET_KEY`. The Discord user id is bound in as associated data,
//! so a ciphertext copied onto another user's row does not decrypt.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use rand::RngCore;

const NONCE_LEN: usize = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    #[error("the stored value is damaged or was encrypted with another key")]
    Tampered,
    #[error("encryption failed")]
    Encrypt,
}

pub struct TokenCipher {
    cipher: Aes256Gcm,
}

impl TokenCipher {
    pub fn new(key: &[u8; 32]) -> Self {
        Self {
            cipher: Aes256Gcm::new(key.into()),
        }
    }

    /// nonce ‖ ciphertext ‖ tag.
    pub fn encrypt(&self, plaintext: &[u8], aad: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::thread_rng().fill_bytes(&mut nonce);
        let ct = self
            .cipher
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

    pub fn decrypt(&self, sealed: &[u8], aad: &[u8]) -> Result<Vec<u8>, CryptoError> {
        if sealed.len() < NONCE_LEN + 16 {
            return Err(CryptoError::Tampered);
        }
        let (nonce, ct) = sealed.split_at(NONCE_LEN);
        self.cipher
            .decrypt(Nonce::from_slice(nonce), Payload { msg: ct, aad })
            .map_err(|_| CryptoError::Tampered)
    }
}

impl std::fmt::Debug for TokenCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenCipher([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_round_trips_and_every_tampering_is_detected() {
        let c = TokenCipher::new(&[7u8; 32]);
        let sealed = c.encrypt(b"sbx_cus_secret", b"user:1").unwrap();
        assert!(!sealed.windows(6).any(|w| w == b"secret"));
        assert_eq!(c.decrypt(&sealed, b"user:1").unwrap(), b"sbx_cus_secret");
        // Another user's row, another key, a flipped bit, a truncation: all refused.
        assert_eq!(c.decrypt(&sealed, b"user:2"), Err(CryptoError::Tampered));
        let other = TokenCipher::new(&[8u8; 32]);
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
}

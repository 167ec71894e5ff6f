//! Standard Webhooks signatures: `v1,<base64 HMAC-SHA256 over "{id}.{timestamp}.{body}">`
//! keyed with the bytes of a `whsec_<base64>` secret.
//!
//! The sandbox signs with it and the bot's webhook endpoint verifies with it; the scheme
//! is in one place so both sides agree byte for byte.

use std::fmt;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

type HmacSha256 = Hmac<Sha256>;

/// How far a webhook's timestamp may be from now before it is refused (5 minutes).
pub const TIMESTAMP_TOLERANCE_SECS: i64 = 5 * 60;

/// A webhook signing secret. Its bytes never appear in `Debug` output.
#[derive(Clone)]
pub struct WebhookSecret {
    key: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    #[error("must start with `whsec_` followed by base64")]
    MissingPrefix,
    #[error("the part after `whsec_` is not valid standard base64")]
    NotBase64,
    #[error("the key is empty")]
    Empty,
}

impl WebhookSecret {
    /// Parses `whsec_<base64>`.
    pub fn parse(text: &str) -> Result<Self, SecretError> {
        let b64 = text
            .trim()
            .strip_prefix("whsec_")
            .ok_or(SecretError::MissingPrefix)?;
        let key = STANDARD.decode(b64).map_err(|_| SecretError::NotBase64)?;
        if key.is_empty() {
            return Err(SecretError::Empty);
        }
        Ok(Self { key })
    }

    /// A fresh random secret (24 bytes), for the sandbox and for operators.
    pub fn generate() -> Self {
        use rand::RngCore;
        let mut key = vec![0u8; 24];
        rand::thread_rng().fill_bytes(&mut key);
        Self { key }
    }

    /// The `whsec_…` text form, to hand to whoever verifies.
    pub fn expose_text(&self) -> String {
        format!("whsec_{}", STANDARD.encode(&self.key))
    }

    fn mac(&self, id: &str, timestamp: i64, body: &[u8]) -> HmacSha256 {
        // HMAC accepts keys of any length, so this cannot fail.
        let mut mac = HmacSha256::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        mac
    }

    /// The `webhook-signature` header value for one message.
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        let tag = self.mac(id, timestamp, body).finalize().into_bytes();
        format!("v1,{}", STANDARD.encode(tag))
    }

    /// Verifies a webhook: the timestamp must be within ±5 minutes of `now`, and one of
    /// the space-separated `v1,` signatures in `header` must match (several are allowed
    /// so a secret can be rotated). Compared in constant time.
    pub fn verify(
        &self,
        id: &str,
        timestamp: &str,
        header: &str,
        body: &[u8],
        now_unix: i64,
    ) -> Result<(), VerifyError> {
        let ts: i64 = timestamp
            .trim()
            .parse()
            .map_err(|_| VerifyError::BadTimestamp)?;
        // Checked: an extreme timestamp is simply too far off, never an overflow.
        let skew = now_unix.checked_sub(ts).map(i64::unsigned_abs);
        if skew.is_none_or(|s| s > TIMESTAMP_TOLERANCE_SECS.unsigned_abs()) {
            return Err(VerifyError::Expired);
        }
        let expected = self.mac(id, ts, body).finalize().into_bytes();
        let mut any_v1 = false;
        for candidate in header.split_whitespace() {
            let Some(b64) = candidate.strip_prefix("v1,") else {
                continue;
            };
            any_v1 = true;
            if let Ok(sig) = STANDARD.decode(b64) {
                if sig.len() == expected.len() && bool::from(sig.ct_eq(expected.as_slice())) {
                    return Ok(());
                }
            }
        }
        if any_v1 {
            Err(VerifyError::Mismatch)
        } else {
            Err(VerifyError::NoSignature)
        }
    }
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookSecret([redacted])")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("the webhook-timestamp header is not a unix time")]
    BadTimestamp,
    #[error("the webhook timestamp is more than 5 minutes from now")]
    Expired,
    #[error("no v1 signature in the webhook-signature header")]
    NoSignature,
    #[error("no signature matches")]
    Mismatch,
}

#[cfg(test)]
mod tests {
    use super::*;

    // The test vector published with the Standard Webhooks specification.
    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const TS: i64 = 1614265330;
    const BODY: &[u8] = br#"{"test": 2432232314}"#;
    const SIG: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    #[test]
    fn the_standard_webhooks_test_vector_signs_and_verifies() {
        let secret = WebhookSecret::parse(SECRET).unwrap();
        assert_eq!(secret.sign(ID, TS, BODY), SIG);
        assert_eq!(secret.verify(ID, &TS.to_string(), SIG, BODY, TS), Ok(()));
    }

    #[test]
    fn a_wrong_secret_or_changed_body_fails() {
        let other = WebhookSecret::parse("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").unwrap();
        assert_eq!(
            other.verify(ID, &TS.to_string(), SIG, BODY, TS),
            Err(VerifyError::Mismatch)
        );
        let secret = WebhookSecret::parse(SECRET).unwrap();
        assert_eq!(
            secret.verify(ID, &TS.to_string(), SIG, b"{\"test\": 1}", TS),
            Err(VerifyError::Mismatch)
        );
        assert_eq!(
            secret.verify("msg_other", &TS.to_string(), SIG, BODY, TS),
            Err(VerifyError::Mismatch)
        );
    }

    #[test]
    fn any_of_several_signatures_may_match_for_rotation() {
        let secret = WebhookSecret::parse(SECRET).unwrap();
        let header = format!("v1,bm90IGl0 v2,whatever {SIG}");
        assert_eq!(
            secret.verify(ID, &TS.to_string(), &header, BODY, TS),
            Ok(())
        );
    }

    #[test]
    fn timestamps_outside_five_minutes_are_refused() {
        let secret = WebhookSecret::parse(SECRET).unwrap();
        assert_eq!(
            secret.verify(ID, &TS.to_string(), SIG, BODY, TS + 301),
            Err(VerifyError::Expired)
        );
        assert_eq!(
            secret.verify(ID, &TS.to_string(), SIG, BODY, TS - 301),
            Err(VerifyError::Expired)
        );
        assert_eq!(
            secret.verify(ID, &TS.to_string(), SIG, BODY, TS + 300),
            Ok(())
        );
        assert_eq!(
            secret.verify(ID, "soon", SIG, BODY, TS),
            Err(VerifyError::BadTimestamp)
        );
        assert_eq!(
            secret.verify(ID, &TS.to_string(), "", BODY, TS),
            Err(VerifyError::NoSignature)
        );
    }

    #[test]
    fn extreme_timestamps_and_clocks_are_refused_without_overflow() {
        let secret = WebhookSecret::parse(SECRET).unwrap();
        for (ts, now) in [
            (i64::MIN, 0),
            (i64::MAX, 0),
            (i64::MIN, i64::MAX),
            (i64::MAX, i64::MIN),
            (0, i64::MIN),
            (1, i64::MIN),
        ] {
            assert_eq!(
                secret.verify(ID, &ts.to_string(), SIG, BODY, now),
                Err(VerifyError::Expired),
                "ts {ts}, now {now}"
            );
        }
        let max = secret.sign(ID, i64::MAX, BODY);
        assert_eq!(
            secret.verify(ID, &i64::MAX.to_string(), &max, BODY, i64::MAX),
            Ok(())
        );
    }

    #[test]
    fn secrets_parse_strictly_and_never_print() {
        assert_eq!(
            WebhookSecret::parse("MfKQ9r8GKYqr").unwrap_err(),
            SecretError::MissingPrefix
        );
        assert_eq!(
            WebhookSecret::parse("whsec_***").unwrap_err(),
            SecretError::NotBase64
        );
        assert_eq!(
            WebhookSecret::parse("whsec_").unwrap_err(),
            SecretError::Empty
        );
        let s = WebhookSecret::parse(SECRET).unwrap();
        assert_eq!(format!("{s:?}"), "WebhookSecret([redacted])");
        assert_eq!(s.expose_text(), SECRET);
        let fresh = WebhookSecret::generate();
        assert!(WebhookSecret::parse(&fresh.expose_text()).is_ok());
    }
}

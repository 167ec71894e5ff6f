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

/// Generated headers, timestamps, bodies and secrets (docs/robustness.md).
#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn secret() -> impl Strategy<Value = WebhookSecret> {
        prop::collection::vec(any::<u8>(), 1..64).prop_map(|key| WebhookSecret { key })
    }

    /// Timestamps as text: numbers near and far, signs, spaces, garbage.
    fn timestamp_text(now: i64) -> impl Strategy<Value = String> {
        prop_oneof![
            (-400..400i64).prop_map(move |d| now.saturating_add(d).to_string()),
            any::<i64>().prop_map(|t| t.to_string()),
            (-400..400i64).prop_map(move |d| format!(" +{} ", now.saturating_add(d))),
            "[-+ 0-9a-z.]{0,24}",
            any::<String>(),
        ]
    }

    /// Signature headers: `v1,` with base64 or not, other versions, separators.
    fn header() -> impl Strategy<Value = String> {
        let one = prop_oneof![
            "v1,[A-Za-z0-9+/=]{0,50}",
            "v[0-9],[A-Za-z0-9+/=]{43}=",
            "[a-z0-9,]{0,10}",
            any::<String>(),
        ];
        prop::collection::vec(one, 0..4).prop_map(|v| v.join(" "))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn any_header_timestamp_and_body_is_refused_or_was_signed(
            secret in secret(),
            id in prop_oneof!["msg_[a-zA-Z0-9]{0,20}", any::<String>()],
            now in prop_oneof![any::<i64>(), 1_600_000_000..1_900_000_000i64],
            ts_text in timestamp_text(1_700_000_000),
            header in header(),
            body in prop::collection::vec(any::<u8>(), 0..256),
        ) {
            match secret.verify(&id, &ts_text, &header, &body, now) {
                Err(_) => {}
                Ok(()) => {
                    // Accepted only if one signature is exactly what the signer makes for
                    // this id, time and body, and the time is within five minutes.
                    let ts: i64 = ts_text.trim().parse().map_err(|_| TestCaseError::fail("time"))?;
                    prop_assert!(now.abs_diff(ts) <= 300);
                    let real = secret.sign(&id, ts, &body);
                    prop_assert!(header.split_whitespace().any(|c| c == real));
                }
            }
        }

        #[test]
        fn what_a_signer_signs_verifies_and_any_change_is_refused(
            secret in secret(),
            other in secret(),
            id in any::<String>(),
            ts in any::<i64>(),
            skew in -300..=300i64,
            body in prop::collection::vec(any::<u8>(), 0..256),
            noise in header(),
            flip in any::<prop::sample::Index>(),
        ) {
            let now = ts.saturating_add(skew);
            prop_assume!(now.abs_diff(ts) <= 300);
            let sig = secret.sign(&id, ts, &body);
            let t = ts.to_string();
            // Alone, or among other signatures (rotation).
            prop_assert_eq!(secret.verify(&id, &t, &sig, &body, now), Ok(()));
            let rotated = format!("{noise} {sig} {noise}");
            prop_assert_eq!(secret.verify(&id, &t, &rotated, &body, now), Ok(()));
            // Another secret, another body, another id, another time: refused.
            if other.key != secret.key {
                prop_assert_eq!(other.verify(&id, &t, &sig, &body, now), Err(VerifyError::Mismatch));
            }
            if !body.is_empty() {
                let mut changed = body.clone();
                changed[flip.index(body.len())] ^= 1;
                prop_assert_eq!(secret.verify(&id, &t, &sig, &changed, now), Err(VerifyError::Mismatch));
            }
            let other_id = format!("{id}x");
            prop_assert_eq!(secret.verify(&other_id, &t, &sig, &body, now), Err(VerifyError::Mismatch));
            if let Some(later) = ts.checked_add(1) {
                if now.abs_diff(later) <= 300 {
                    prop_assert_eq!(
                        secret.verify(&id, &later.to_string(), &sig, &body, now),
                        Err(VerifyError::Mismatch)
                    );
                }
            }
            // Outside five minutes, even a real signature is refused.
            if let Some(late) = ts.checked_add(301 + skew.unsigned_abs() as i64) {
                prop_assert_eq!(secret.verify(&id, &t, &sig, &body, late), Err(VerifyError::Expired));
            }
        }

        #[test]
        fn any_secret_text_parses_or_is_refused_and_round_trips(
            text in prop_oneof![
                "whsec_[A-Za-z0-9+/=]{0,60}",
                "[ ]?whsec_[A-Za-z0-9+/]{4,40}[ ]?",
                any::<String>(),
            ]
        ) {
            if let Ok(s) = WebhookSecret::parse(&text) {
                prop_assert!(!s.key.is_empty());
                let again = WebhookSecret::parse(&s.expose_text());
                prop_assert!(again.is_ok_and(|a| a.key == s.key));
                prop_assert_eq!(format!("{s:?}"), "WebhookSecret([redacted])");
            }
        }
    }
}

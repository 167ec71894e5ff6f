//! A webhook as the bot's endpoint receives it: the `webhook-id`, `webhook-timestamp` and
//! `webhook-signature` headers, then the body, read as an event.
//!
//! Input: four lines (id, timestamp, signature header, the receiver's clock), then the
//! body. A header line of `SIGN` stands for a real signature over this message, so the
//! accepting path is explored too. The secret is the Standard Webhooks test vector's.
#![no_main]

use libfuzzer_sys::fuzz_target;
use paradarum_bot::signing::WebhookSecret;
use paradarum_bot::ticket::api::Event;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(5, |b| *b == b'\n');
    let (Some(id), Some(ts), Some(header), Some(now)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return;
    };
    let body = parts.next().unwrap_or_default();
    let (Ok(id), Ok(ts), Ok(header), Ok(now)) = (
        std::str::from_utf8(id),
        std::str::from_utf8(ts),
        std::str::from_utf8(header),
        std::str::from_utf8(now),
    ) else {
        return;
    };
    let now: i64 = now.trim().parse().unwrap_or(1_614_265_330);
    let secret = WebhookSecret::parse(SECRET).expect("the test vector's secret");
    let parsed_ts = ts.trim().parse::<i64>().ok();
    let header = match (header, parsed_ts) {
        ("SIGN", Some(t)) => secret.sign(id, t, body),
        _ => header.to_string(),
    };
    let signed = |t: i64| {
        let real = secret.sign(id, t, body);
        header.split_whitespace().any(|c| c == real)
    };
    match secret.verify(id, ts, &header, body, now) {
        // Accepted only what a real signer produced, within five minutes.
        Ok(()) => {
            let t = parsed_ts.expect("an accepted timestamp parses");
            assert!(now.abs_diff(t) <= 300);
            assert!(signed(t));
        }
        // A real signature within five minutes is never refused.
        Err(e) => {
            if let Some(t) = parsed_ts {
                assert!(!(now.abs_diff(t) <= 300 && signed(t)), "refused: {e}");
            }
        }
    }
    // The endpoint then reads the body as an event.
    if let Ok(event) = serde_json::from_slice::<Event>(body) {
        let _ = event.kind();
        let _ = event.sequence();
    }
});

//! The ticket API's answers: every body the client reads, as every type it reads them as,
//! and as an error answer under each status the client maps. Reading gives a value or a
//! typed error; what is read writes back and reads again the same.
#![no_main]

use std::fmt::Debug;
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use paradarum_bot::client::{error_from_answer, parse_retry_after_secs, ApiError};
use paradarum_bot::ticket::api::{
    parse_event_id, Account, ErrorBody, Event, Items, Message, Meta, Page, Property, Reply, Ticket,
    TokenInfo,
};
use serde::de::DeserializeOwned;
use serde::Serialize;

fuzz_target!(|data: &[u8]| {
    round_trip::<Ticket>(data);
    round_trip::<Message>(data);
    round_trip::<Reply>(data);
    round_trip::<Page<Ticket>>(data);
    round_trip::<Items<Message>>(data);
    round_trip::<Items<Property>>(data);
    round_trip::<Account>(data);
    round_trip::<Meta>(data);
    round_trip::<TokenInfo>(data);
    round_trip::<ErrorBody>(data);
    // Events keep their `data` as it came: read, and their kind is always an answer.
    if let Ok(page) = serde_json::from_slice::<Page<Event>>(data) {
        for e in &page.items {
            let _ = e.kind();
            let _ = e.sequence();
        }
    }
    if let Ok(e) = serde_json::from_slice::<Event>(data) {
        let _ = e.kind();
    }
    let retry_after = std::str::from_utf8(data)
        .ok()
        .and_then(parse_retry_after_secs);
    if let Some(d) = retry_after {
        assert!(d <= Duration::from_secs(3600));
    }
    for status in [400, 401, 403, 404, 405, 409, 413, 418, 429, 500, 503] {
        let e = error_from_answer(status, retry_after, data);
        if let ApiError::Undecodable { body, .. } = &e {
            assert!(body.chars().count() <= 2048);
        }
        assert_eq!(e.is_retryable(), status >= 500 || status == 429, "{e:?}");
        let _ = e.to_string();
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Some(n) = parse_event_id(text) {
            assert!(text.ends_with(&n.to_string()));
        }
    }
});

fn round_trip<T: DeserializeOwned + Serialize + PartialEq + Debug>(data: &[u8]) {
    if let Ok(value) = serde_json::from_slice::<T>(data) {
        let text = serde_json::to_vec(&value).expect("what was read can be written");
        let again: T = serde_json::from_slice(&text).expect("what was written reads again");
        assert_eq!(again, value);
    }
}

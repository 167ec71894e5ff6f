//! The one place notifications leave for Discord: Create Message, Edit Message (staff
//! notices kept in step with their tickets) and Create DM over REST.
//!
//! It talks to Discord (or `DISCORD_PROXY_URL`) directly so it sees every status and
//! `retry_after`. Every call waits for a slot under a global rate (Discord allows a bot
//! about 50 requests a second; interaction responses are exempt), and every invalid
//! answer (401, 403, 429) is counted over a sliding 10 minutes: Discord bans an IP for
//! hours at 10,000. Pacing per channel is the dispatcher's job.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use secrecy::{ExposeSecret, SecretString};
use serde_json::{json, Value};
use url::Url;

/// Discord's ban line: invalid requests (401/403/429) per 10 minutes from one IP.
pub const INVALID_BAN_LINE: u64 = 10_000;
/// The window Discord counts invalid requests in.
const INVALID_WINDOW_SECS: usize = 600;

#[derive(Debug, Clone, PartialEq)]
pub enum SendError {
    /// 429: wait this long.
    RateLimited(Duration),
    /// 5xx, timeout, connection trouble: try again later.
    Transient(String),
    /// Discord refused for good (403 no access, 404 unknown channel, 400 bad body):
    /// status and Discord's error code.
    Refused { status: u16, code: u64 },
}

/// Discord's error code for "Cannot send messages to this user" (closed DMs).
pub const CANNOT_DM: u64 = 50007;

/// Requests spaced at a fixed rate: each call takes the next free slot. No burst, so the
/// rate holds over any window, and memory is one instant.
#[derive(Debug)]
struct GlobalRate {
    next: tokio::sync::Mutex<Instant>,
    interval: Duration,
}

impl GlobalRate {
    fn new(per_sec: u32) -> Self {
        Self {
            next: tokio::sync::Mutex::new(Instant::now()),
            interval: Duration::from_secs(1) / per_sec.max(1),
        }
    }

    async fn acquire(&self) {
        let slot = {
            let mut next = self.next.lock().await;
            let slot = (*next).max(Instant::now());
            *next = slot + self.interval;
            slot
        };
        tokio::time::sleep_until(slot.into()).await;
    }
}

/// Invalid answers per second over the last 10 minutes (a ring of counters).
#[derive(Debug)]
struct InvalidWindow {
    start: Instant,
    /// (second since start, count) per slot.
    slots: Mutex<Vec<(u64, u64)>>,
    total: AtomicU64,
}

impl InvalidWindow {
    fn new() -> Self {
        Self {
            start: Instant::now(),
            slots: Mutex::new(vec![(u64::MAX, 0); INVALID_WINDOW_SECS]),
            total: AtomicU64::new(0),
        }
    }

    fn record(&self) {
        self.total.fetch_add(1, Ordering::Relaxed);
        let sec = self.start.elapsed().as_secs();
        if let Ok(mut slots) = self.slots.lock() {
            let slot = &mut slots[(sec % INVALID_WINDOW_SECS as u64) as usize];
            if slot.0 != sec {
                *slot = (sec, 0);
            }
            slot.1 += 1;
        }
    }

    fn last_10_minutes(&self) -> u64 {
        let now = self.start.elapsed().as_secs();
        self.slots
            .lock()
            .map(|slots| {
                slots
                    .iter()
                    .filter(|(s, _)| {
                        *s != u64::MAX && now.saturating_sub(*s) < INVALID_WINDOW_SECS as u64
                    })
                    .map(|(_, n)| n)
                    .sum()
            })
            .unwrap_or(0)
    }
}

#[derive(Clone)]
pub struct DiscordRest {
    http: reqwest::Client,
    base: Url,
    token: SecretString,
    rate: Arc<GlobalRate>,
    invalid: Arc<InvalidWindow>,
    requests: Arc<AtomicU64>,
}

impl std::fmt::Debug for DiscordRest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DiscordRest({})", self.base)
    }
}

impl DiscordRest {
    /// `proxy`: `DISCORD_PROXY_URL`, else https://discord.com. `per_sec`: the global rate.
    pub fn new(proxy: Option<&Url>, token: SecretString, per_sec: u32) -> Result<Self, String> {
        let root = proxy
            .map(|u| u.as_str().trim_end_matches('/').to_string())
            .unwrap_or_else(|| "https://discord.com".into());
        let base = Url::parse(&format!("{root}/api/v10/")).map_err(|e| e.to_string())?;
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(15))
            .user_agent(concat!(
                "DiscordBot (https://github.com/paradarum/paradarum-bot, ",
                env!("CARGO_PKG_VERSION"),
                ")"
            ))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self {
            http,
            base,
            token,
            rate: Arc::new(GlobalRate::new(per_sec)),
            invalid: Arc::new(InvalidWindow::new()),
            requests: Arc::new(AtomicU64::new(0)),
        })
    }

    /// Invalid answers (401/403/429) in the last 10 minutes.
    pub fn invalid_last_10_minutes(&self) -> u64 {
        self.invalid.last_10_minutes()
    }

    /// Invalid answers since start.
    pub fn invalid_total(&self) -> u64 {
        self.invalid.total.load(Ordering::Relaxed)
    }

    /// REST calls made since start.
    pub fn requests_total(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    async fn post(&self, path: &str, body: &Value) -> Result<Value, SendError> {
        self.send(reqwest::Method::POST, path, body).await
    }

    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &Value,
    ) -> Result<Value, SendError> {
        let url = self
            .base
            .join(path)
            .map_err(|e| SendError::Transient(e.to_string()))?;
        self.rate.acquire().await;
        self.requests.fetch_add(1, Ordering::Relaxed);
        let resp = self
            .http
            .request(method, url)
            .header(
                "authorization",
                format!("Bot {}", self.token.expose_secret()),
            )
            .json(body)
            .send()
            .await
            .map_err(|e| SendError::Transient(e.without_url().to_string()))?;
        let status = resp.status().as_u16();
        if matches!(status, 401 | 403 | 429) {
            self.invalid.record();
        }
        let header_wait = resp
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(crate::client::parse_retry_after_secs);
        let body: Value = resp.json().await.unwrap_or(Value::Null);
        classify(status, &body, header_wait)
    }

    pub async fn create_message(&self, channel: u64, body: &Value) -> Result<Value, SendError> {
        self.post(&format!("channels/{channel}/messages"), body)
            .await
    }

    /// Edits one of the bot's messages (a staff notice kept in step with its ticket).
    pub async fn edit_message(
        &self,
        channel: u64,
        message: u64,
        body: &Value,
    ) -> Result<Value, SendError> {
        let path = format!("channels/{channel}/messages/{message}");
        self.send(reqwest::Method::PATCH, &path, body).await
    }

    /// The DM channel with a user.
    pub async fn open_dm(&self, user: u64) -> Result<u64, SendError> {
        let v = self
            .post(
                "users/@me/channels",
                &json!({"recipient_id": user.to_string()}),
            )
            .await?;
        v["id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| SendError::Transient("DM channel without an id".into()))
    }
}

/// What an answer means for the sender. Nothing in it can panic: a `retry_after` that is
/// not a finite, non-negative number of seconds is replaced by the header's or 1 s.
fn classify(status: u16, body: &Value, header_wait: Option<Duration>) -> Result<Value, SendError> {
    match status {
        200..=299 => Ok(body.clone()),
        429 => {
            let wait = body["retry_after"]
                .as_f64()
                .filter(|s| s.is_finite() && *s >= 0.0)
                .map(|s| Duration::from_secs_f64(s.min(600.0)))
                .or(header_wait)
                .unwrap_or(Duration::from_secs(1));
            Err(SendError::RateLimited(wait.min(Duration::from_secs(600))))
        }
        s if s >= 500 => Err(SendError::Transient(format!("Discord answered {s}"))),
        s => Err(SendError::Refused {
            status: s,
            code: body["code"].as_u64().unwrap_or(0),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_retry_after_values_never_panic_and_fall_back() {
        let no_header = classify(429, &json!({"retry_after": "NaN"}), None);
        assert_eq!(
            no_header,
            Err(SendError::RateLimited(Duration::from_secs(1)))
        );
        let huge = classify(429, &json!({"retry_after": 1e300}), None);
        assert_eq!(huge, Err(SendError::RateLimited(Duration::from_secs(600))));
        let negative = classify(
            429,
            &json!({"retry_after": -5.0}),
            Some(Duration::from_secs(2)),
        );
        assert_eq!(
            negative,
            Err(SendError::RateLimited(Duration::from_secs(2)))
        );
        assert_eq!(
            classify(403, &json!({"code": CANNOT_DM}), None),
            Err(SendError::Refused {
                status: 403,
                code: CANNOT_DM
            })
        );
    }

    #[test]
    fn the_invalid_window_counts_the_last_ten_minutes() {
        let w = InvalidWindow::new();
        for _ in 0..5 {
            w.record();
        }
        assert_eq!(w.last_10_minutes(), 5);
        assert_eq!(w.total.load(Ordering::Relaxed), 5);
    }

    #[tokio::test]
    async fn the_global_rate_spaces_calls() {
        let r = GlobalRate::new(100);
        let t = Instant::now();
        for _ in 0..11 {
            r.acquire().await;
        }
        // Ten intervals of 10 ms at least.
        assert!(
            t.elapsed() >= Duration::from_millis(100),
            "{:?}",
            t.elapsed()
        );
    }
}

//! The one place notifications leave for Discord: Create Message and Create DM over REST.
//!
//! It talks to Discord (or `DISCORD_PROXY_URL`) directly so it sees every status and
//! `retry_after`; pacing is the dispatcher's job.

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde_json::{json, Value};
use url::Url;

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

#[derive(Clone)]
pub struct DiscordRest {
    http: reqwest::Client,
    base: Url,
    token: SecretString,
}

impl std::fmt::Debug for DiscordRest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DiscordRest({})", self.base)
    }
}

impl DiscordRest {
    /// `proxy`: `DISCORD_PROXY_URL`, else https://discord.com.
    pub fn new(proxy: Option<&Url>, token: SecretString) -> Result<Self, String> {
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
        Ok(Self { http, base, token })
    }

    async fn post(&self, path: &str, body: &Value) -> Result<Value, SendError> {
        let url = self
            .base
            .join(path)
            .map_err(|e| SendError::Transient(e.to_string()))?;
        let resp = self
            .http
            .post(url)
            .header(
                "authorization",
                format!("Bot {}", self.token.expose_secret()),
            )
            .json(body)
            .send()
            .await
            .map_err(|e| SendError::Transient(e.without_url().to_string()))?;
        let status = resp.status().as_u16();
        let header_wait = resp
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<f64>().ok());
        let body: Value = resp.json().await.unwrap_or(Value::Null);
        match status {
            200..=299 => Ok(body),
            429 => {
                let secs = body["retry_after"]
                    .as_f64()
                    .or(header_wait)
                    .unwrap_or(1.0)
                    .clamp(0.0, 600.0);
                Err(SendError::RateLimited(Duration::from_secs_f64(secs)))
            }
            s if s >= 500 => Err(SendError::Transient(format!("Discord answered {s}"))),
            s => Err(SendError::Refused {
                status: s,
                code: body["code"].as_u64().unwrap_or(0),
            }),
        }
    }

    pub async fn create_message(&self, channel: u64, body: &Value) -> Result<Value, SendError> {
        self.post(&format!("channels/{channel}/messages"), body)
            .await
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

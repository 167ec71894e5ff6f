//! The client for Paradarum's ticket API v1 (and the sandbox, which speaks the same).
//!
//! One `reqwest::Client` with timeouts; the token is passed per call because customers act
//! with their own token and the bot's integration token serves only the bot's duties.
//! Errors are typed so callers can act on them. Only safe calls are retried: reads, and
//! creates that carry an idempotency key. Nothing in a response can make it panic.

use std::time::{Duration, Instant};

use backon::{BackoffBuilder, ExponentialBuilder};
use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, RequestBuilder, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde_json::json;
use url::Url;

use crate::metrics::{ApiMetrics, ApiOutcome};
use crate::ticket::api::{
    code, Account, ChangeTopic, CreateTicket, ErrorBody, Event, Items, Message, Meta, Page,
    Property, Reply, Ticket, TicketId, TokenInfo,
};
use crate::ticket::{Status, Topic};

/// The `Unavailable` reason of a call that timed out: it may have taken effect.
pub const TIMED_OUT: &str = "timed out";

/// The longest `Retry-After` the client honours; a longer one is read as this.
const MAX_RETRY_AFTER_SECS: f64 = 3600.0;
/// Largest response body the client reads; a bigger one is treated as undecodable.
const MAX_RESPONSE_BYTES: usize = 8 * 1024 * 1024;
/// How much of an undecodable body is kept for the log.
const KEPT_BODY_BYTES: usize = 2048;

/// What went wrong with a call, in kinds a caller can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    #[error("not found")]
    NotFound,
    #[error("forbidden: {message}")]
    Forbidden { message: String },
    #[error("the ticket is Closed")]
    TicketClosed,
    #[error("invalid {field}: {message}")]
    Validation { field: String, message: String },
    #[error("the idempotency key was used with a different request")]
    IdempotencyConflict,
    /// 409 `status_changed` (capability `tickets.expected_status`): the ticket was not in
    /// the expected status, so nothing changed; this is the ticket as it is now.
    #[error("the ticket's status is no longer the expected one (it is {})", ticket.status.label())]
    StatusChanged { ticket: Box<Ticket> },
    #[error("rate limited (retry after {retry_after:?})")]
    RateLimited { retry_after: Option<Duration> },
    #[error("the token was not accepted")]
    Unauthorized,
    #[error("too large: {message}")]
    PayloadTooLarge { message: String },
    /// No usable answer. `maybe_applied` is false only when the request certainly did
    /// not reach the API (refused connection, failed before sending): after a timeout,
    /// a 5xx (a proxy's 502/504 may follow a commit) or a broken body the change may have
    /// gone through.
    #[error("the ticket API is unavailable: {reason}")]
    Unavailable { reason: String, maybe_applied: bool },
    #[error("the ticket API answered {status} with a body that could not be read")]
    Undecodable { status: u16, body: String },
    #[error("the ticket API refused the request: {status} {code}: {message}")]
    Rejected {
        status: u16,
        code: String,
        message: String,
    },
}

impl ApiError {
    /// A failure before anything was sent: nothing can have changed.
    pub fn unsent(reason: impl Into<String>) -> Self {
        ApiError::Unavailable {
            reason: reason.into(),
            maybe_applied: false,
        }
    }

    /// Whether a write that failed this way may still have taken effect.
    pub fn maybe_applied(&self) -> bool {
        matches!(
            self,
            ApiError::Unavailable {
                maybe_applied: true,
                ..
            }
        )
    }

    /// Whether trying again later may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            ApiError::Unavailable { .. } | ApiError::RateLimited { .. }
        )
    }
}

#[derive(Clone, Debug)]
pub struct ClientConfig {
    pub base_url: Url,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    pub max_retries: u32,
    /// The most that the waits between retries of one call may add up to.
    pub retry_budget: Duration,
    /// The first retry waits this long, then twice as long each time (with jitter).
    pub first_backoff: Duration,
}

impl ClientConfig {
    pub fn new(base_url: Url) -> Self {
        Self {
            base_url,
            connect_timeout: Duration::from_secs(2),
            request_timeout: Duration::from_secs(5),
            max_retries: 3,
            retry_budget: Duration::from_secs(8),
            first_backoff: Duration::from_millis(100),
        }
    }
}

/// A file to upload with a reply. Its bytes are kept as the chunks they arrived in: a
/// 10 MiB attachment is never one 10 MiB allocation (glibc would keep such blocks after
/// a burst), and a retried upload shares them instead of copying.
#[derive(Clone, Debug)]
pub struct Upload {
    pub filename: String,
    pub content_type: String,
    pub chunks: Vec<bytes::Bytes>,
}

impl Upload {
    pub fn new(filename: &str, content_type: &str, bytes: impl Into<bytes::Bytes>) -> Self {
        Self {
            filename: filename.to_string(),
            content_type: content_type.to_string(),
            chunks: vec![bytes.into()],
        }
    }

    /// Its size in bytes.
    pub fn len(&self) -> u64 {
        self.chunks.iter().map(|c| c.len() as u64).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Filters of `GET /v1/tickets`.
#[derive(Clone, Debug, Default)]
pub struct ListTickets {
    pub statuses: Vec<Status>,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

#[derive(Clone, Debug)]
pub struct ApiClient {
    http: reqwest::Client,
    config: ClientConfig,
    /// Request counts and durations by endpoint, when the bot's metrics are on.
    metrics: Option<ApiMetrics>,
    /// The last `GET /v1/meta` answer and when it came, shared by every clone.
    announced: std::sync::Arc<tokio::sync::Mutex<Option<(Instant, Meta)>>>,
}

/// How long an API's announced extensions are trusted before asking again (an API
/// upgraded under a running bot is noticed within minutes).
const META_FRESH: Duration = Duration::from_secs(300);

/// Whether a call may be sent again after a failure that may have reached the server.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Retry {
    Safe,
    Never,
}

impl ApiClient {
    pub fn new(mut config: ClientConfig) -> Result<Self, ApiError> {
        // Url::join drops the last path segment unless the base ends in a slash.
        if !config.base_url.path().ends_with('/') {
            let path = format!("{}/", config.base_url.path());
            config.base_url.set_path(&path);
        }
        let http = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .user_agent(concat!("paradarum-bot/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ApiError::unsent(format!("cannot build the HTTP client: {e}")))?;
        Ok(Self {
            http,
            config,
            metrics: None,
            announced: Default::default(),
        })
    }

    /// Counts and times every request in `metrics`.
    pub fn with_metrics(mut self, metrics: ApiMetrics) -> Self {
        self.metrics = Some(metrics);
        self
    }

    pub fn base_url(&self) -> &Url {
        &self.config.base_url
    }

    fn url(&self, path: &str) -> Result<Url, ApiError> {
        self.config
            .base_url
            .join(path.trim_start_matches('/'))
            .map_err(|e| ApiError::unsent(format!("bad URL for {path}: {e}")))
    }

    fn request(
        &self,
        method: Method,
        path: &str,
        token: &SecretString,
    ) -> Result<RequestBuilder, ApiError> {
        Ok(self
            .http
            .request(method, self.url(path)?)
            .bearer_auth(token.expose_secret()))
    }

    /// Sends, retrying per `retry` with exponential backoff, `Retry-After` honoured,
    /// bounded by `max_retries` and `retry_budget`.
    async fn send<T: DeserializeOwned>(
        &self,
        endpoint: &'static str,
        build: impl Fn() -> Result<RequestBuilder, ApiError>,
        retry: Retry,
    ) -> Result<T, ApiError> {
        let mut delays = ExponentialBuilder::default()
            .with_min_delay(self.config.first_backoff)
            .with_max_delay(Duration::from_secs(5))
            .with_max_times(self.config.max_retries as usize)
            .with_jitter()
            .build();
        let started = Instant::now();
        let mut waited = Duration::ZERO;
        loop {
            let result = self.send_once(endpoint, build()?).await;
            let err = match result {
                Ok(v) => return Ok(v),
                Err(e) if retry == Retry::Safe && e.is_retryable() => e,
                Err(e) => return Err(e),
            };
            let Some(mut delay) = delays.next() else {
                return Err(err);
            };
            if let ApiError::RateLimited {
                retry_after: Some(after),
            } = &err
            {
                delay = *after;
            }
            if waited + delay > self.config.retry_budget {
                return Err(err);
            }
            tracing::debug!(error = %err, ?delay, elapsed = ?started.elapsed(), "retrying ticket API call");
            tokio::time::sleep(delay).await;
            waited += delay;
        }
    }

    /// One request; `endpoint` is its route template (the metrics' label).
    async fn send_once<T: DeserializeOwned>(
        &self,
        endpoint: &'static str,
        req: RequestBuilder,
    ) -> Result<T, ApiError> {
        let started = Instant::now();
        let answer = async {
            let resp = req.send().await.map_err(transport_error)?;
            let status = resp.status();
            let headers = resp.headers().clone();
            Ok::<_, ApiError>((status, headers, read_capped(resp).await?))
        }
        .await;
        if let Some(m) = &self.metrics {
            let outcome = match &answer {
                Ok((status, ..)) => ApiOutcome::from_status(status.as_u16()),
                Err(ApiError::Undecodable { status, .. }) => ApiOutcome::from_status(*status),
                Err(_) => ApiOutcome::Unreachable,
            };
            m.observe(endpoint, outcome, started.elapsed());
        }
        let (status, headers, body) = answer?;
        if status.is_success() {
            return serde_json::from_slice(&body).map_err(|_| undecodable(status.as_u16(), &body));
        }
        Err(error_from(status, &headers, &body))
    }

    // ---- endpoints -------------------------------------------------------------------

    /// `GET /v1/meta`, sent without a token: the extensions the API announces. An API
    /// that has no `/v1/meta` (it answers 404, or 405, or refuses an unauthenticated
    /// request with 401/403 before routing) announces nothing: `Ok` with no
    /// capabilities and an empty `api_version`.
    pub async fn meta(&self) -> Result<Meta, ApiError> {
        let result = self
            .send::<Meta>(
                "GET /v1/meta",
                || Ok(self.http.get(self.url("v1/meta")?)),
                Retry::Safe,
            )
            .await;
        match result {
            Err(ApiError::NotFound | ApiError::Unauthorized | ApiError::Forbidden { .. })
            | Err(ApiError::Rejected { status: 405, .. })
            | Err(ApiError::Undecodable { status: 405, .. }) => Ok(Meta::default()),
            other => other,
        }
    }

    /// [`ApiClient::meta`], asked at most once per five minutes (answers are shared by
    /// every clone of this client; failures are not remembered).
    pub async fn announced(&self) -> Result<Meta, ApiError> {
        let mut known = self.announced.lock().await;
        if let Some((at, meta)) = known.as_ref() {
            if at.elapsed() < META_FRESH {
                return Ok(meta.clone());
            }
        }
        let meta = self.meta().await?;
        *known = Some((Instant::now(), meta.clone()));
        Ok(meta)
    }

    /// `GET /v1/token` (capability `token.introspection`): the token's kind, scopes and
    /// account.
    pub async fn token_info(&self, token: &SecretString) -> Result<TokenInfo, ApiError> {
        self.send(
            "GET /v1/token",
            || self.request(Method::GET, "v1/token", token),
            Retry::Safe,
        )
        .await
    }

    pub async fn account(&self, token: &SecretString) -> Result<Account, ApiError> {
        self.send(
            "GET /v1/account",
            || self.request(Method::GET, "v1/account", token),
            Retry::Safe,
        )
        .await
    }

    pub async fn properties(&self, token: &SecretString) -> Result<Vec<Property>, ApiError> {
        let items: Items<Property> = self
            .send(
                "GET /v1/properties",
                || self.request(Method::GET, "v1/properties", token),
                Retry::Safe,
            )
            .await?;
        Ok(items.items)
    }

    /// Opens a ticket. With an idempotency key the call is retried safely and a repeat
    /// returns the first ticket instead of making a second one.
    pub async fn create_ticket(
        &self,
        token: &SecretString,
        body: &CreateTicket,
        idempotency_key: Option<&str>,
    ) -> Result<Ticket, ApiError> {
        self.send(
            "POST /v1/tickets",
            || {
                let req = self.request(Method::POST, "v1/tickets", token)?.json(body);
                Ok(with_key(req, idempotency_key))
            },
            retry_for(idempotency_key),
        )
        .await
    }

    pub async fn list_tickets(
        &self,
        token: &SecretString,
        query: &ListTickets,
    ) -> Result<Page<Ticket>, ApiError> {
        let mut params: Vec<(&str, String)> = query
            .statuses
            .iter()
            .map(|s| ("status", s.api_value().to_string()))
            .collect();
        if let Some(limit) = query.limit {
            params.push(("limit", limit.to_string()));
        }
        if let Some(cursor) = &query.cursor {
            params.push(("cursor", cursor.clone()));
        }
        self.send(
            "GET /v1/tickets",
            || {
                Ok(self
                    .request(Method::GET, "v1/tickets", token)?
                    .query(&params))
            },
            Retry::Safe,
        )
        .await
    }

    pub async fn ticket(&self, token: &SecretString, id: TicketId) -> Result<Ticket, ApiError> {
        let path = format!("v1/tickets/{id}");
        self.send(
            "GET /v1/tickets/{id}",
            || self.request(Method::GET, &path, token),
            Retry::Safe,
        )
        .await
    }

    pub async fn messages(
        &self,
        token: &SecretString,
        id: TicketId,
    ) -> Result<Vec<Message>, ApiError> {
        let path = format!("v1/tickets/{id}/messages");
        let items: Items<Message> = self
            .send(
                "GET /v1/tickets/{id}/messages",
                || self.request(Method::GET, &path, token),
                Retry::Safe,
            )
            .await?;
        Ok(items.items)
    }

    /// Replies with text only. With an idempotency key (capability
    /// `tickets.idempotent_writes`) the call is retried safely and a repeat returns the
    /// first reply; without one it is sent once.
    pub async fn reply(
        &self,
        token: &SecretString,
        id: TicketId,
        body: &str,
        idempotency_key: Option<&str>,
    ) -> Result<Reply, ApiError> {
        let path = format!("v1/tickets/{id}/messages");
        let payload = json!({ "body": body });
        self.send(
            "POST /v1/tickets/{id}/messages",
            || {
                let req = self.request(Method::POST, &path, token)?.json(&payload);
                Ok(with_key(req, idempotency_key))
            },
            retry_for(idempotency_key),
        )
        .await
    }

    /// Replies as staff (a token with `tickets:write`), signed with `staff_name` where
    /// given (only where `messages.staff_name` is announced: an API without it refuses
    /// the unknown field). Retried only with an idempotency key, as [`ApiClient::reply`].
    pub async fn reply_as_staff(
        &self,
        token: &SecretString,
        id: TicketId,
        body: &str,
        staff_name: Option<&str>,
        idempotency_key: Option<&str>,
    ) -> Result<Reply, ApiError> {
        let path = format!("v1/tickets/{id}/messages");
        let mut payload = json!({ "body": body });
        if let Some(name) = staff_name {
            payload["staffName"] = json!(name);
        }
        self.send(
            "POST /v1/tickets/{id}/messages",
            || {
                let req = self.request(Method::POST, &path, token)?.json(&payload);
                Ok(with_key(req, idempotency_key))
            },
            retry_for(idempotency_key),
        )
        .await
    }

    /// Replies with text and files (multipart); retried only with an idempotency key.
    pub async fn reply_with_files(
        &self,
        token: &SecretString,
        id: TicketId,
        body: &str,
        files: Vec<Upload>,
        idempotency_key: Option<&str>,
    ) -> Result<Reply, ApiError> {
        let path = format!("v1/tickets/{id}/messages");
        self.send(
            "POST /v1/tickets/{id}/messages",
            || {
                let mut form = reqwest::multipart::Form::new().text("body", body.to_string());
                for f in &files {
                    // Chunks clone by reference count: a retry copies no file bytes.
                    let chunks = f.chunks.clone().into_iter().map(Ok::<_, std::io::Error>);
                    let body = reqwest::Body::wrap_stream(futures::stream::iter(chunks));
                    let part = reqwest::multipart::Part::stream_with_length(body, f.len())
                        .file_name(f.filename.clone())
                        .mime_str(&f.content_type)
                        .map_err(|_| ApiError::Validation {
                            field: "attachments".into(),
                            message: "an attachment has an invalid content type".into(),
                        })?;
                    form = form.part("attachments", part);
                }
                let req = self.request(Method::POST, &path, token)?.multipart(form);
                Ok(with_key(req, idempotency_key))
            },
            retry_for(idempotency_key),
        )
        .await
    }

    /// Closes a ticket; retried only with an idempotency key (a repeat then returns the
    /// first close's answer instead of "already Closed").
    pub async fn close(
        &self,
        token: &SecretString,
        id: TicketId,
        idempotency_key: Option<&str>,
    ) -> Result<Ticket, ApiError> {
        let path = format!("v1/tickets/{id}/close");
        self.send(
            "POST /v1/tickets/{id}/close",
            || {
                let req = self.request(Method::POST, &path, token)?;
                Ok(with_key(req, idempotency_key))
            },
            retry_for(idempotency_key),
        )
        .await
    }

    /// Staff only (`tickets:status`): In Progress or Resolved. With `expected` (only where
    /// `tickets.expected_status` is announced) the change is made only if the ticket is
    /// still in that status; otherwise [`ApiError::StatusChanged`] carries it as it is.
    pub async fn set_status(
        &self,
        token: &SecretString,
        id: TicketId,
        status: Status,
        expected: Option<Status>,
    ) -> Result<Ticket, ApiError> {
        let path = format!("v1/tickets/{id}/status");
        let mut payload = json!({ "status": status });
        if let Some(e) = expected {
            payload["expectedStatus"] = json!(e);
        }
        self.send(
            "POST /v1/tickets/{id}/status",
            || Ok(self.request(Method::POST, &path, token)?.json(&payload)),
            Retry::Never,
        )
        .await
    }

    /// Moves a ticket to another topic (`tickets:topic`).
    pub async fn change_topic(
        &self,
        token: &SecretString,
        id: TicketId,
        topic: Topic,
        reason: Option<&str>,
    ) -> Result<Ticket, ApiError> {
        let path = format!("v1/tickets/{id}");
        let payload = ChangeTopic {
            topic,
            reason: reason.map(str::to_string),
        };
        self.send(
            "PATCH /v1/tickets/{id}",
            || Ok(self.request(Method::PATCH, &path, token)?.json(&payload)),
            Retry::Never,
        )
        .await
    }

    /// The events feed after `after` (an `evt_…` id), oldest first (`events:read`).
    pub async fn events(
        &self,
        token: &SecretString,
        after: Option<&str>,
        limit: Option<u32>,
    ) -> Result<Page<Event>, ApiError> {
        let mut params: Vec<(&str, String)> = Vec::new();
        if let Some(a) = after {
            params.push(("after", a.to_string()));
        }
        if let Some(l) = limit {
            params.push(("limit", l.to_string()));
        }
        self.get_events(token, &params).await
    }

    /// `GET /v1/events` with these query parameters (a read: retried safely).
    async fn get_events(
        &self,
        token: &SecretString,
        params: &[(&str, String)],
    ) -> Result<Page<Event>, ApiError> {
        self.send(
            "GET /v1/events",
            || Ok(self.request(Method::GET, "v1/events", token)?.query(params)),
            Retry::Safe,
        )
        .await
    }

    /// The newest event's id (capability `events.after_latest`), None when the feed is
    /// empty: a fresh reader starts after it without paging the feed (`events:read`).
    pub async fn events_latest(&self, token: &SecretString) -> Result<Option<String>, ApiError> {
        let page = self
            .get_events(token, &[("after", "latest".to_string())])
            .await?;
        Ok(page.next_cursor)
    }

    /// Events that occurred at or after `since`, oldest first (capability
    /// `events.since`, `events:read`). Continue with [`ApiClient::events`] after the
    /// page's `next_cursor`.
    pub async fn events_since(
        &self,
        token: &SecretString,
        since: chrono::DateTime<chrono::Utc>,
        limit: Option<u32>,
    ) -> Result<Page<Event>, ApiError> {
        // Full precision, `Z` (no `+` to be mangled): nothing before `since` comes back.
        let mut params: Vec<(&str, String)> = vec![(
            "since",
            since.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
        )];
        if let Some(l) = limit {
            params.push(("limit", l.to_string()));
        }
        self.get_events(token, &params).await
    }

    // ---- sandbox administration ------------------------------------------------------

    /// Sandbox only: a new account with a customer token and two demo properties.
    pub async fn sandbox_create_account(
        &self,
        admin_token: &SecretString,
        name: &str,
    ) -> Result<SandboxAccount, ApiError> {
        let payload = json!({ "name": name });
        self.send(
            "POST /v1/sandbox/accounts",
            || {
                Ok(self
                    .request(Method::POST, "v1/sandbox/accounts", admin_token)?
                    .json(&payload))
            },
            Retry::Never,
        )
        .await
    }

    /// Sandbox only: an integration token with the given scopes.
    pub async fn sandbox_create_token(
        &self,
        admin_token: &SecretString,
        scopes: &[&str],
    ) -> Result<SecretString, ApiError> {
        #[derive(serde::Deserialize)]
        struct TokenOut {
            token: String,
        }
        let payload = json!({ "scopes": scopes });
        let out: TokenOut = self
            .send(
                "POST /v1/sandbox/tokens",
                || {
                    Ok(self
                        .request(Method::POST, "v1/sandbox/tokens", admin_token)?
                        .json(&payload))
                },
                Retry::Never,
            )
            .await?;
        Ok(SecretString::from(out.token))
    }
}

/// A write is retried only when it carries an idempotency key.
fn retry_for(idempotency_key: Option<&str>) -> Retry {
    match idempotency_key {
        Some(_) => Retry::Safe,
        None => Retry::Never,
    }
}

fn with_key(req: RequestBuilder, idempotency_key: Option<&str>) -> RequestBuilder {
    match idempotency_key {
        Some(key) => req.header("Idempotency-Key", key),
        None => req,
    }
}

/// The answer to `POST /v1/sandbox/accounts`.
#[derive(Debug, serde::Deserialize)]
pub struct SandboxAccount {
    pub account: Account,
    pub token: SecretString,
    pub properties: Vec<Property>,
}

fn transport_error(e: reqwest::Error) -> ApiError {
    // A connect failure (a connect timeout included) sent nothing; anything later may
    // have reached the API.
    if e.is_connect() {
        return ApiError::unsent("cannot connect");
    }
    if e.is_builder() {
        return ApiError::unsent(e.without_url().to_string());
    }
    let reason = if e.is_timeout() {
        TIMED_OUT.to_string()
    } else {
        // Without the URL: it is ours, and the log line already says which call.
        e.without_url().to_string()
    };
    ApiError::Unavailable {
        reason,
        maybe_applied: true,
    }
}

async fn read_capped(mut resp: reqwest::Response) -> Result<Vec<u8>, ApiError> {
    let status = resp.status();
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(transport_error)? {
        if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
            return Err(ApiError::Undecodable {
                status: status.as_u16(),
                body: format!("(response over {MAX_RESPONSE_BYTES} bytes)"),
            });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn undecodable(status: u16, body: &[u8]) -> ApiError {
    let kept = &body[..body.len().min(KEPT_BODY_BYTES)];
    ApiError::Undecodable {
        status,
        body: String::from_utf8_lossy(kept).into_owned(),
    }
}

/// A `Retry-After` (or Discord `retry_after`) value in seconds, integer or decimal: None
/// unless it is a finite number >= 0; longer than an hour is read as an hour. Never
/// panics, whatever the text (`NaN`, `inf`, `1e300`, `-0`, garbage).
pub fn parse_retry_after_secs(text: &str) -> Option<Duration> {
    let secs: f64 = text.trim().parse().ok()?;
    if !secs.is_finite() || secs < 0.0 {
        return None;
    }
    Duration::try_from_secs_f64(secs.min(MAX_RETRY_AFTER_SECS)).ok()
}

/// `Retry-After` in seconds; HTTP dates are not used by the API.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    parse_retry_after_secs(headers.get(RETRY_AFTER)?.to_str().ok()?)
}

/// The `ticket` beside a `status_changed` error; None when it is missing or unreadable.
fn current_ticket(body: &[u8]) -> Option<Box<Ticket>> {
    #[derive(serde::Deserialize)]
    struct WithTicket {
        ticket: Box<Ticket>,
    }
    serde_json::from_slice::<WithTicket>(body)
        .ok()
        .map(|w| w.ticket)
}

fn error_from(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> ApiError {
    error_from_answer(status.as_u16(), retry_after(headers), body)
}

/// The [`ApiError`] for an answer that is not a success: its status, its `Retry-After`
/// (read by [`parse_retry_after_secs`]) and its body. Public so the fuzz targets reach it.
pub fn error_from_answer(status: u16, retry_after: Option<Duration>, body: &[u8]) -> ApiError {
    let parsed: Option<ErrorBody> = serde_json::from_slice(body).ok();
    let code = parsed.as_ref().map(|b| b.error.as_str()).unwrap_or("");
    let message = parsed
        .as_ref()
        .map(|b| b.message.clone())
        .unwrap_or_default();
    match status {
        401 => ApiError::Unauthorized,
        403 => ApiError::Forbidden { message },
        404 => ApiError::NotFound,
        409 if code == code::TICKET_CLOSED => ApiError::TicketClosed,
        409 if code == code::IDEMPOTENCY_CONFLICT => ApiError::IdempotencyConflict,
        409 if code == code::STATUS_CHANGED => match current_ticket(body) {
            Some(ticket) => ApiError::StatusChanged { ticket },
            None => ApiError::Rejected {
                status,
                code: code.to_string(),
                message,
            },
        },
        400 if code == code::VALIDATION => ApiError::Validation {
            field: parsed.and_then(|b| b.field).unwrap_or_default(),
            message,
        },
        413 => ApiError::PayloadTooLarge { message },
        429 => ApiError::RateLimited { retry_after },
        // A 5xx may come from a proxy after the API committed: the outcome is unknown.
        s if s >= 500 => ApiError::Unavailable {
            reason: format!("server error {s}"),
            maybe_applied: true,
        },
        s => match parsed {
            Some(b) => ApiError::Rejected {
                status: s,
                code: b.error,
                message: b.message,
            },
            None => undecodable(s, body),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bodies_map_to_kinds() {
        let h = HeaderMap::new();
        let body = |c: &str| format!(r#"{{"error":"{c}","message":"m","field":"priority"}}"#);
        assert_eq!(
            error_from(StatusCode::CONFLICT, &h, body("ticket_closed").as_bytes()),
            ApiError::TicketClosed
        );
        assert_eq!(
            error_from(StatusCode::BAD_REQUEST, &h, body("validation").as_bytes()),
            ApiError::Validation {
                field: "priority".into(),
                message: "m".into()
            }
        );
        assert_eq!(
            error_from(StatusCode::NOT_FOUND, &h, b"<html>"),
            ApiError::NotFound
        );
        assert!(matches!(
            error_from(StatusCode::IM_A_TEAPOT, &h, b"<html>"),
            ApiError::Undecodable { status: 418, .. }
        ));
        assert!(error_from(StatusCode::BAD_GATEWAY, &h, b"").is_retryable());
    }

    #[test]
    fn status_changed_carries_the_ticket_or_falls_back_to_rejected() {
        let h = HeaderMap::new();
        let ticket = r#"{"id":7,"accountId":"acc_1","topic":0,"status":2,"subject":"s",
            "propertyId":null,"createdAt":"2026-01-01T00:00:00Z",
            "updatedAt":"2026-01-01T00:00:01Z"}"#;
        let body = format!(r#"{{"error":"status_changed","message":"m","ticket":{ticket}}}"#);
        match error_from(StatusCode::CONFLICT, &h, body.as_bytes()) {
            ApiError::StatusChanged { ticket } => {
                assert_eq!(ticket.id, 7);
                assert_eq!(ticket.status, Status::Resolved);
            }
            other => panic!("{other:?}"),
        }
        for unreadable in [
            r#"{"error":"status_changed","message":"m"}"#,
            r#"{"error":"status_changed","message":"m","ticket":{"id":"x"}}"#,
        ] {
            assert_eq!(
                error_from(StatusCode::CONFLICT, &h, unreadable.as_bytes()),
                ApiError::Rejected {
                    status: 409,
                    code: "status_changed".into(),
                    message: "m".into()
                }
            );
        }
    }

    #[test]
    fn retry_after_reads_seconds_and_ignores_nonsense() {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, "1.5".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_millis(1500)));
        h.insert(RETRY_AFTER, "-3".parse().unwrap());
        assert_eq!(retry_after(&h), None);
        h.insert(
            RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&h), None);
    }

    #[test]
    fn retry_after_never_panics_on_odd_numbers() {
        let mut h = HeaderMap::new();
        for odd in [
            "NaN", "nan", "inf", "-inf", "infinity", "1e999", "-1e-300", "", "0x10",
        ] {
            h.insert(RETRY_AFTER, odd.parse().unwrap());
            assert_eq!(retry_after(&h), None, "{odd}");
            assert_eq!(parse_retry_after_secs(odd), None, "{odd}");
        }
        for (huge, capped) in [
            ("1e300", 3600),
            ("3601", 3600),
            ("18446744073709551616", 3600),
        ] {
            h.insert(RETRY_AFTER, huge.parse().unwrap());
            assert_eq!(retry_after(&h), Some(Duration::from_secs(capped)), "{huge}");
        }
        assert_eq!(parse_retry_after_secs("-0"), Some(Duration::ZERO));
        assert_eq!(parse_retry_after_secs(" 2 "), Some(Duration::from_secs(2)));
        assert_eq!(
            parse_retry_after_secs("0.25"),
            Some(Duration::from_millis(250))
        );
        // A header value that is not visible ASCII is ignored, not a panic.
        h.insert(
            RETRY_AFTER,
            reqwest::header::HeaderValue::from_bytes(b"\xff1").unwrap(),
        );
        assert_eq!(retry_after(&h), None);
    }
}

/// Generated error answers (docs/robustness.md): any status, any `Retry-After`, any body.
#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn body() -> impl Strategy<Value = Vec<u8>> {
        let code = prop_oneof![
            prop::sample::select(vec![
                code::TICKET_CLOSED,
                code::IDEMPOTENCY_CONFLICT,
                code::STATUS_CHANGED,
                code::VALIDATION,
                code::NOT_FOUND,
                "teapot",
            ])
            .prop_map(str::to_string),
            any::<String>(),
        ];
        prop_oneof![
            (code, any::<String>(), prop::option::of(any::<String>())).prop_map(
                |(error, message, field)| {
                    serde_json::to_vec(&ErrorBody {
                        error,
                        message,
                        field,
                    })
                    .unwrap_or_default()
                }
            ),
            prop::collection::vec(any::<u8>(), 0..4000),
            Just(b"{\"error\": 1, \"message\": null}".to_vec()),
        ]
    }

    fn retry_after_text() -> impl Strategy<Value = String> {
        prop_oneof![
            "[0-9]{1,30}(\\.[0-9]{1,20})?",
            "-?[0-9]{0,5}(\\.[0-9]*)?(e[-+]?[0-9]{1,4})?",
            prop::sample::select(vec!["NaN", "inf", "-inf", "infinity", "-0", " 2 ", ""])
                .prop_map(str::to_string),
            any::<String>(),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn any_error_answer_maps_to_a_kind(
            status in prop_oneof![100..600u16, 0..=u16::MAX],
            retry in prop::option::of(retry_after_text()),
            body in body(),
        ) {
            let retry_after = retry.as_deref().and_then(parse_retry_after_secs);
            let e = error_from_answer(status, retry_after, &body);
            match status {
                401 => prop_assert_eq!(&e, &ApiError::Unauthorized),
                404 => prop_assert_eq!(&e, &ApiError::NotFound),
                500.. => prop_assert!(e.is_retryable()),
                _ => {}
            }
            if let ApiError::RateLimited { retry_after: Some(d) } = &e {
                prop_assert!(*d <= Duration::from_secs(3600));
            }
            if let ApiError::Undecodable { body: kept, .. } = &e {
                prop_assert!(kept.chars().count() <= KEPT_BODY_BYTES);
            }
            // Its message can always be written (for the log and the user's reference).
            let _ = e.to_string();
        }

        #[test]
        fn any_retry_after_is_none_or_at_most_an_hour(text in retry_after_text()) {
            if let Some(d) = parse_retry_after_secs(&text) {
                prop_assert!(d <= Duration::from_secs(3600));
            }
        }
    }
}

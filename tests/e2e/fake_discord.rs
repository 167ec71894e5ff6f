//! A fake Discord (REST v10 + Gateway v10 on 127.0.0.1) good enough that the real bot
//! binary connects to it unchanged, with only `DISCORD_PROXY_URL` pointing here.
//!
//! It behaves like Discord where the bot could get it wrong: every JSON body is validated
//! against the request schema of Discord's own OpenAPI spec; an interaction's initial
//! response must come within 3 s and only once (10062 / 40060 otherwise; of two at
//! once exactly one wins, and it can deliver an interaction twice, as two sessions get it); message limits
//! answer 400; channels allow 5 messages per 5 s (429 + `retry_after` beyond); `nonce` +
//! `enforce_nonce` de-duplicate. It can be told to fail with 500s, 429s or slow answers,
//! and to drop the gateway connection.
//!
//! The gateway holds any number of sessions at once (one per shard and replica, plus
//! overlaps during a handoff) and records each one: its shard `[id, total]` from IDENTIFY,
//! when it identified, got READY and closed, and its RESUMEs. A dispatch goes to the live
//! sessions of the shard Discord's formula gives (`(guild_id >> 22) % total`; no guild:
//! shard 0), to all of them when a handoff overlaps, and each interaction's delivery is
//! recorded. IDENTIFYs count against a daily budget, as `GET /gateway/bot` reports.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::ws::{Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::serve::ListenerExt;
use axum::{Json, Router};
use serde_json::{json, Value};
use tokio::sync::{mpsc, Notify};

/// Discord's epoch (2015-01-01) in Unix milliseconds.
const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

fn unix_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// A unique snowflake created `ago`: milliseconds since Discord's epoch above bit 22, a
/// counter below.
fn snowflake(inner: &Inner, ago: Duration) -> u64 {
    let at = unix_ms().saturating_sub(ago.as_millis() as u64);
    let n = inner.next_id.fetch_add(1, Ordering::SeqCst) & 0x3F_FFFF;
    ((at - DISCORD_EPOCH_MS) << 22) | n
}

pub const APP_ID: u64 = 900_000_000_000_000_001;
pub const BOT_USER_ID: u64 = 900_000_000_000_000_002;
pub const GUILD_ID: u64 = 900_000_000_000_000_003;
pub const CHANNEL_ID: u64 = 900_000_000_000_000_004;

const OPENAPI: &str = include_str!("../fixtures/discord-openapi.json");

/// One request the bot made.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub body: Value,
    pub status: u16,
    /// When the request arrived.
    pub at: Instant,
}

#[derive(Debug)]
struct Pending {
    dispatched: Instant,
    responded: bool,
}

#[derive(Default)]
pub struct Faults {
    /// Answer this many REST calls (other than the gateway) with 500.
    pub fail_500: usize,
    /// Answer this many REST calls with 429.
    pub fail_429: usize,
    /// Delay every REST answer by this much.
    pub delay: Duration,
    /// Answer this many channel messages with a 429 whose `retry-after` is `NaN` (as a
    /// broken proxy might) and whose body has no usable `retry_after`.
    pub nan_429: usize,
}

struct Validators {
    commands: jsonschema::Validator,
    callback: jsonschema::Validator,
    webhook_edit: jsonschema::Validator,
    webhook_post: jsonschema::Validator,
    channel_message: jsonschema::Validator,
    message_edit: jsonschema::Validator,
    dm_channel: jsonschema::Validator,
}

/// One gateway session (IDENTIFY → READY, then any RESUMEs), as the fake saw it.
#[derive(Clone, Debug)]
pub struct Session {
    /// Its place in [`FakeDiscord::sessions`] (the order of IDENTIFYs).
    pub number: usize,
    pub session_id: String,
    /// `[shard_id, num_shards]` from IDENTIFY (`[0, 1]` when the bot sent none).
    pub shard: [u64; 2],
    pub identified_at: Instant,
    pub ready_at: Instant,
    /// When its socket last closed or dropped; `None` while live.
    pub closed_at: Option<Instant>,
    pub resumes: u32,
    /// When it was live: READY or RESUMED until its socket ended.
    pub live: Vec<(Instant, Option<Instant>)>,
}

impl Session {
    pub fn is_live(&self) -> bool {
        self.closed_at.is_none()
    }

    /// Whether an event of `guild` (`None`: a DM) belongs to this session's shard.
    pub fn serves(&self, guild: Option<u64>) -> bool {
        shard_of(guild, self.shard[1]) == self.shard[0]
    }
}

/// Discord's shard for an event of `guild` among `total` shards; DMs go to shard 0.
pub fn shard_of(guild: Option<u64>, total: u64) -> u64 {
    match guild {
        Some(g) if total > 0 => (g >> 22) % total,
        _ => 0,
    }
}

/// Two sessions of one shard live at the same time (a handoff's overlap).
#[derive(Clone, Debug)]
pub struct Overlap {
    pub shard: [u64; 2],
    pub sessions: (usize, usize),
    pub from: Instant,
    /// `None` while both are still live.
    pub to: Option<Instant>,
}

impl Overlap {
    /// How long it lasted (until now if it still does).
    pub fn length(&self) -> Duration {
        self.to
            .unwrap_or_else(Instant::now)
            .saturating_duration_since(self.from)
    }
}

/// An interaction and the sessions it was delivered to.
#[derive(Clone, Debug)]
pub struct Delivery {
    pub interaction_id: u64,
    pub token: String,
    pub guild: Option<u64>,
    /// Session numbers; more than one when a handoff overlapped, none when no session of
    /// its shard was live (Discord would have dropped it).
    pub sessions: Vec<usize>,
    pub at: Instant,
}

struct SessionState {
    record: Session,
    /// The socket it is live on.
    tx: Option<mpsc::UnboundedSender<Value>>,
    seq: u64,
}

pub struct Inner {
    addr: SocketAddr,
    pub recorded: Mutex<Vec<Recorded>>,
    /// Messages posted to channels (channel id, body), in order; an edit changes the
    /// body in place (as Discord shows the message).
    pub channel_messages: Mutex<Vec<(u64, Value)>>,
    /// Message id → its place in `channel_messages`; removed when deleted.
    message_index: Mutex<HashMap<u64, usize>>,
    /// Edits of channel messages (channel, message, body), in order.
    pub edits: Mutex<Vec<(u64, u64, Value)>>,
    pending: Mutex<HashMap<String, Pending>>,
    sessions: Mutex<Vec<SessionState>>,
    deliveries: Mutex<Vec<Delivery>>,
    pub identifies: AtomicU64,
    /// IDENTIFYs allowed (Discord: 1,000 a day); beyond it the socket is closed with 4004,
    /// as Discord resets the token.
    pub identify_budget: AtomicU64,
    /// What `GET /gateway/bot` says is left until the budget resets (ms; Discord: up to a
    /// day).
    pub identify_reset_after_ms: AtomicU64,
    /// What `GET /gateway/bot` recommends.
    pub recommended_shards: AtomicU64,
    /// While set, gateway connections are refused (Discord unreachable).
    pub refuse_gateway: std::sync::atomic::AtomicBool,
    /// While set, every interaction is delivered twice (same payload, id and token), as
    /// two gateway sessions receive it during a handoff between replicas.
    pub deliver_twice: std::sync::atomic::AtomicBool,
    /// Schema validation on (the default). Benchmarks turn it off so the fake's CPU does
    /// not compete with the bot's on a small machine.
    pub validate: std::sync::atomic::AtomicBool,
    /// When the last IDENTIFY arrived (READY is sent at once).
    pub identified_at: Mutex<Option<Instant>>,
    /// Channels the bot has no access to (403, code 50001).
    pub forbidden_channels: Mutex<std::collections::HashSet<u64>>,
    /// Channels where the bot may not post or edit (403, code 50013 Missing Permissions).
    pub missing_permissions: Mutex<std::collections::HashSet<u64>>,
    /// Messages the bot posted in channels and still there: id → (channel, message).
    pub messages: Mutex<HashMap<u64, (u64, Value)>>,
    /// Users whose DMs are closed: messages to their DM channel get 403, code 50007.
    pub closed_dms: Mutex<std::collections::HashSet<u64>>,
    /// DM channel id → the user it reaches.
    dm_channels: Mutex<HashMap<u64, u64>>,
    next_id: AtomicU64,
    pub changed: Notify,
    pub faults: Mutex<Faults>,
    /// Bodies that Discord would have rejected: each fails the test.
    pub schema_errors: Mutex<Vec<String>>,
    channel_sends: Mutex<HashMap<u64, VecDeque<Instant>>>,
    nonces: Mutex<HashMap<(u64, String), Value>>,
    validators: Validators,
}

#[derive(Clone)]
pub struct FakeDiscord {
    pub inner: Arc<Inner>,
}

fn validator(doc: &Value, name: &str, schema: Value) -> jsonschema::Validator {
    let mut doc = doc.clone();
    doc["components"]["schemas"][name] = schema;
    let obj = doc.as_object_mut().unwrap();
    obj.insert(
        "$schema".into(),
        "https://json-schema.org/draft/2020-12/schema".into(),
    );
    obj.insert("$ref".into(), format!("#/components/schemas/{name}").into());
    jsonschema::validator_for(&doc).expect("schema compiles")
}

fn request_schema(doc: &Value, path: &str, method: &str) -> Value {
    doc["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"].clone()
}

fn validators() -> Validators {
    let doc: Value = serde_json::from_str(OPENAPI).unwrap();
    Validators {
        commands: validator(
            &doc,
            "FakeCommands",
            request_schema(
                &doc,
                "/applications/{application_id}/guilds/{guild_id}/commands",
                "put",
            ),
        ),
        callback: validator(
            &doc,
            "FakeCallback",
            request_schema(
                &doc,
                "/interactions/{interaction_id}/{interaction_token}/callback",
                "post",
            ),
        ),
        webhook_edit: validator(
            &doc,
            "FakeWebhookEdit",
            request_schema(
                &doc,
                "/webhooks/{webhook_id}/{webhook_token}/messages/@original",
                "patch",
            ),
        ),
        webhook_post: validator(
            &doc,
            "FakeWebhookPost",
            request_schema(&doc, "/webhooks/{webhook_id}/{webhook_token}", "post"),
        ),
        channel_message: validator(
            &doc,
            "FakeChannelMessage",
            request_schema(&doc, "/channels/{channel_id}/messages", "post"),
        ),
        message_edit: validator(
            &doc,
            "FakeMessageEdit",
            request_schema(
                &doc,
                "/channels/{channel_id}/messages/{message_id}",
                "patch",
            ),
        ),
        dm_channel: validator(
            &doc,
            "FakeDmChannel",
            request_schema(&doc, "/users/@me/channels", "post"),
        ),
    }
}

fn discord_error(status: StatusCode, code: u64, message: &str) -> Response {
    (status, Json(json!({"code": code, "message": message}))).into_response()
}

impl FakeDiscord {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let inner = Arc::new(Inner {
            addr,
            recorded: Mutex::new(Vec::new()),
            channel_messages: Mutex::new(Vec::new()),
            message_index: Mutex::new(HashMap::new()),
            edits: Mutex::new(Vec::new()),
            pending: Mutex::new(HashMap::new()),
            sessions: Mutex::new(Vec::new()),
            deliveries: Mutex::new(Vec::new()),
            identifies: AtomicU64::new(0),
            identify_budget: AtomicU64::new(1000),
            identify_reset_after_ms: AtomicU64::new(86_400_000),
            recommended_shards: AtomicU64::new(1),
            refuse_gateway: std::sync::atomic::AtomicBool::new(false),
            deliver_twice: std::sync::atomic::AtomicBool::new(false),
            validate: std::sync::atomic::AtomicBool::new(true),
            identified_at: Mutex::new(None),
            forbidden_channels: Mutex::new(Default::default()),
            closed_dms: Mutex::new(Default::default()),
            missing_permissions: Mutex::new(Default::default()),
            messages: Mutex::new(HashMap::new()),
            dm_channels: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(0),
            changed: Notify::new(),
            faults: Mutex::new(Faults::default()),
            schema_errors: Mutex::new(Vec::new()),
            channel_sends: Mutex::new(HashMap::new()),
            nonces: Mutex::new(HashMap::new()),
            validators: validators(),
        });
        let app = Router::new()
            .route("/gateway", get(gateway))
            .route("/api/v10/{*rest}", any(rest))
            .with_state(inner.clone());
        tokio::spawn(async move {
            // Like Discord's edge: frames and small answers are not held back by Nagle.
            let listener = listener.tap_io(|tcp| {
                let _ = tcp.set_nodelay(true);
            });
            let _ = axum::serve(listener, app).await;
        });
        FakeDiscord { inner }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.inner.addr)
    }

    /// A fresh snowflake, as Discord makes them: its creation time in the high bits.
    pub fn new_id(&self) -> u64 {
        snowflake(&self.inner, Duration::ZERO)
    }

    /// A snowflake created `ago` (an interaction that spent that long on its way here).
    pub fn id_created(&self, ago: Duration) -> u64 {
        snowflake(&self.inner, ago)
    }

    /// Sends a dispatch to the live sessions of the shard its `guild_id` (none: shard 0)
    /// belongs to; the session numbers it went to (empty: nobody got it).
    pub fn dispatch_to(&self, event: &str, d: Value) -> Vec<usize> {
        let guild = d["guild_id"].as_str().and_then(|g| g.parse::<u64>().ok());
        let mut sessions = self.inner.sessions.lock().unwrap();
        let mut sent = Vec::new();
        for s in sessions.iter_mut() {
            let Some(tx) = s.tx.as_ref() else { continue };
            if !s.record.serves(guild) {
                continue;
            }
            s.seq += 1;
            let frame = json!({"op": 0, "s": s.seq, "t": event, "d": d});
            if tx.send(frame).is_ok() {
                sent.push(s.record.number);
            }
        }
        sent
    }

    /// Registers an interaction token (the 3-second clock starts) and dispatches it.
    pub fn dispatch_interaction(&self, payload: Value) -> bool {
        // serenity silently drops what it cannot parse: check it here first.
        if let Err(e) = serde_json::from_value::<serenity::all::Interaction>(payload.clone()) {
            panic!("the fake built an interaction serenity cannot read: {e}\n{payload:#}");
        }
        let token = payload["token"].as_str().unwrap().to_string();
        // Discord's 3 seconds count from the interaction's creation (its snowflake).
        let id: u64 = payload["id"].as_str().unwrap().parse().unwrap();
        let age = Duration::from_millis(unix_ms().saturating_sub((id >> 22) + DISCORD_EPOCH_MS));
        // A redelivery keeps the interaction's state: it was answered or it was not.
        self.inner
            .pending
            .lock()
            .unwrap()
            .entry(token.clone())
            .or_insert(Pending {
                dispatched: Instant::now() - age,
                responded: false,
            });
        let guild = payload["guild_id"].as_str().and_then(|g| g.parse().ok());
        let mut sessions = self.dispatch_to("INTERACTION_CREATE", payload.clone());
        if self.inner.deliver_twice.load(Ordering::SeqCst) && !sessions.is_empty() {
            sessions.extend(self.dispatch_to("INTERACTION_CREATE", payload));
        }
        let delivered = !sessions.is_empty();
        self.inner.deliveries.lock().unwrap().push(Delivery {
            interaction_id: id,
            token,
            guild,
            sessions,
            at: Instant::now(),
        });
        delivered
    }

    /// Deletes a message the bot posted, as a member with Manage Messages would (edits of
    /// it get 404, 10008 Unknown Message, from then on); false if there was none.
    pub fn delete_message(&self, id: u64) -> bool {
        self.inner.message_index.lock().unwrap().remove(&id);
        self.inner.messages.lock().unwrap().remove(&id).is_some()
    }

    /// A message the bot posted and nobody deleted: (channel, message as Discord has it).
    pub fn message(&self, id: u64) -> Option<(u64, Value)> {
        self.inner.messages.lock().unwrap().get(&id).cloned()
    }

    /// Closes every live gateway connection, as Discord does now and then. The sessions
    /// count as closed at once (nothing more is dispatched to them) until they RESUME.
    pub fn drop_gateway(&self) {
        let live: Vec<usize> = self
            .sessions()
            .iter()
            .filter(|s| s.is_live())
            .map(|s| s.number)
            .collect();
        for n in live {
            self.drop_session(n);
        }
    }

    /// Closes the socket of session `number` (it may RESUME).
    pub fn drop_session(&self, number: usize) {
        let mut sessions = self.inner.sessions.lock().unwrap();
        let Some(s) = sessions.get_mut(number) else {
            return;
        };
        let Some(tx) = s.tx.take() else { return };
        let _ = tx.send(json!({"__close": true}));
        let now = Instant::now();
        s.record.closed_at = Some(now);
        if let Some(last) = s.record.live.last_mut() {
            last.1 = Some(now);
        }
    }

    /// A session without a socket, identified as `shard`: what a gateway client would
    /// receive arrives on the returned channel. For checks of the fake's own routing.
    /// `None` when the fake refused the IDENTIFY (over budget, invalid shard).
    pub fn identify_in_process(
        &self,
        shard: [u64; 2],
    ) -> Option<(usize, mpsc::UnboundedReceiver<Value>)> {
        let (tx, rx) = mpsc::unbounded_channel();
        match identify(&self.inner, &json!({"shard": shard}), &tx) {
            (Answer::Frame(ready), Some(n)) => {
                let _ = tx.send(ready);
                self.inner.changed.notify_waiters();
                Some((n, rx))
            }
            _ => None,
        }
    }

    /// Whether any gateway session is live.
    pub fn is_connected(&self) -> bool {
        self.inner
            .sessions
            .lock()
            .unwrap()
            .iter()
            .any(|s| s.tx.is_some())
    }

    /// Every session so far, in the order they identified.
    pub fn sessions(&self) -> Vec<Session> {
        let sessions = self.inner.sessions.lock().unwrap();
        sessions.iter().map(|s| s.record.clone()).collect()
    }

    /// The live sessions' numbers by shard `[id, total]`.
    pub fn live_by_shard(&self) -> BTreeMap<[u64; 2], Vec<usize>> {
        let mut by = BTreeMap::<[u64; 2], Vec<usize>>::new();
        for s in self.sessions().into_iter().filter(Session::is_live) {
            by.entry(s.shard).or_default().push(s.number);
        }
        by
    }

    /// Every time two sessions of one shard were live at once.
    pub fn overlaps(&self) -> Vec<Overlap> {
        let sessions = self.sessions();
        let mut out = Vec::new();
        for (i, a) in sessions.iter().enumerate() {
            for b in &sessions[i + 1..] {
                if a.shard != b.shard {
                    continue;
                }
                for (a_from, a_to) in &a.live {
                    for (b_from, b_to) in &b.live {
                        let from = (*a_from).max(*b_from);
                        let to = match (a_to, b_to) {
                            (Some(x), Some(y)) => Some((*x).min(*y)),
                            (Some(x), None) | (None, Some(x)) => Some(*x),
                            (None, None) => None,
                        };
                        if to.is_none_or(|t| t > from) {
                            out.push(Overlap {
                                shard: a.shard,
                                sessions: (a.number, b.number),
                                from,
                                to,
                            });
                        }
                    }
                }
            }
        }
        out
    }

    /// Every interaction dispatched, with the sessions it went to.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.inner.deliveries.lock().unwrap().clone()
    }

    /// Whether the interaction with `token` got its initial response.
    pub fn answered(&self, token: &str) -> bool {
        let pending = self.inner.pending.lock().unwrap();
        pending.get(token).is_some_and(|p| p.responded)
    }

    /// Waits (bounded) until `pick` finds something in the sessions.
    pub async fn wait_sessions<T>(
        &self,
        timeout: Duration,
        pick: impl FnMut(&[Session]) -> Option<T>,
    ) -> Option<T> {
        self.wait_on(timeout, || self.sessions(), pick).await
    }

    /// The id of the `n`-th message posted to `channel`.
    pub fn message_id(&self, channel: u64, n: usize) -> Option<u64> {
        let messages = self.inner.channel_messages.lock().unwrap();
        let place = messages
            .iter()
            .enumerate()
            .filter(|(_, (c, _))| *c == channel)
            .nth(n)?
            .0;
        let index = self.inner.message_index.lock().unwrap();
        index.iter().find(|(_, i)| **i == place).map(|(id, _)| *id)
    }

    /// Edits of messages in `channel` (message id, body), in order.
    pub fn edits(&self, channel: u64) -> Vec<(u64, Value)> {
        let edits = self.inner.edits.lock().unwrap();
        edits
            .iter()
            .filter(|(c, _, _)| *c == channel)
            .map(|(_, m, b)| (*m, b.clone()))
            .collect()
    }

    pub fn recorded(&self) -> Vec<Recorded> {
        self.inner.recorded.lock().unwrap().clone()
    }

    /// Waits (bounded) until `pick` finds something in what the bot sent.
    pub async fn wait_for<T>(
        &self,
        timeout: Duration,
        pick: impl FnMut(&[Recorded]) -> Option<T>,
    ) -> Option<T> {
        self.wait_on(timeout, || self.recorded(), pick).await
    }

    /// Waits (bounded) until `pick` finds something in `read`'s snapshot, looking again at
    /// every change the fake records.
    async fn wait_on<S, T>(
        &self,
        timeout: Duration,
        read: impl Fn() -> Vec<S>,
        mut pick: impl FnMut(&[S]) -> Option<T>,
    ) -> Option<T> {
        let deadline = Instant::now() + timeout;
        loop {
            let notified = self.inner.changed.notified();
            if let Some(v) = pick(&read()) {
                return Some(v);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            let _ = tokio::time::timeout(left.min(Duration::from_millis(100)), notified).await;
        }
    }

    pub fn schema_errors(&self) -> Vec<String> {
        self.inner.schema_errors.lock().unwrap().clone()
    }
}

async fn gateway(State(inner): State<Arc<Inner>>, ws: WebSocketUpgrade) -> Response {
    if inner.refuse_gateway.load(Ordering::SeqCst) {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    ws.on_upgrade(move |socket| run_gateway(inner, socket))
}

fn ready_payload(inner: &Inner, session_id: &str, shard: [u64; 2]) -> Value {
    json!({
        "v": 10,
        "user": {"id": BOT_USER_ID.to_string(), "username": "paradarum-bot", "discriminator": "0000",
                 "global_name": null, "avatar": null, "bot": true},
        "guilds": [{"id": GUILD_ID.to_string(), "unavailable": true}],
        "session_id": session_id,
        "resume_gateway_url": format!("ws://{}/gateway", inner.addr),
        "shard": shard,
        "application": {"id": APP_ID.to_string(), "flags": 0},
    })
}

/// What one socket's IDENTIFY or RESUME asks for: the frame to answer, or a close code.
enum Answer {
    Frame(Value),
    Close(u16, &'static str),
}

/// IDENTIFY: a new session for its shard, unless over the budget or the shard is invalid.
fn identify(
    inner: &Inner,
    d: &Value,
    tx: &mpsc::UnboundedSender<Value>,
) -> (Answer, Option<usize>) {
    let n = inner.identifies.fetch_add(1, Ordering::SeqCst) + 1;
    let now = Instant::now();
    *inner.identified_at.lock().unwrap() = Some(now);
    if n > inner.identify_budget.load(Ordering::SeqCst) {
        return (Answer::Close(4004, "Authentication failed."), None);
    }
    let shard = match d.get("shard") {
        None | Some(Value::Null) => Some([0, 1]),
        Some(v) => v
            .as_array()
            .filter(|a| a.len() == 2)
            .and_then(|a| Some([a[0].as_u64()?, a[1].as_u64()?])),
    };
    let Some(shard) = shard.filter(|[id, total]| id < total) else {
        return (Answer::Close(4010, "Invalid shard."), None);
    };
    let mut sessions = inner.sessions.lock().unwrap();
    let number = sessions.len();
    let session_id = format!("fake-session-{number}");
    let ready =
        json!({"op": 0, "s": 1, "t": "READY", "d": ready_payload(inner, &session_id, shard)});
    sessions.push(SessionState {
        record: Session {
            number,
            session_id,
            shard,
            identified_at: now,
            ready_at: now,
            closed_at: None,
            resumes: 0,
            live: vec![(now, None)],
        },
        tx: Some(tx.clone()),
        seq: 1,
    });
    (Answer::Frame(ready), Some(number))
}

/// RESUME: the session continues on this socket (any socket it was still live on is closed).
fn resume(inner: &Inner, d: &Value, tx: &mpsc::UnboundedSender<Value>) -> (Answer, Option<usize>) {
    let mut sessions = inner.sessions.lock().unwrap();
    let wanted = d["session_id"].as_str().unwrap_or_default();
    let Some(s) = sessions.iter_mut().find(|s| s.record.session_id == wanted) else {
        return (Answer::Frame(json!({"op": 9, "d": false})), None);
    };
    let now = Instant::now();
    if let Some(old) = s.tx.replace(tx.clone()) {
        let _ = old.send(json!({"__close": true}));
    } else {
        s.record.live.push((now, None));
    }
    s.record.closed_at = None;
    s.record.resumes += 1;
    s.seq += 1;
    let frame = json!({"op": 0, "s": s.seq, "t": "RESUMED", "d": {}});
    (Answer::Frame(frame), Some(s.record.number))
}

/// The socket of session `number` ended: it is closed unless it already moved to another.
fn detach(inner: &Inner, number: usize, tx: &mpsc::UnboundedSender<Value>) {
    let mut sessions = inner.sessions.lock().unwrap();
    let Some(s) = sessions.get_mut(number) else {
        return;
    };
    if !s.tx.as_ref().is_some_and(|cur| cur.same_channel(tx)) {
        return;
    }
    let now = Instant::now();
    s.tx = None;
    s.record.closed_at = Some(now);
    if let Some(last) = s.record.live.last_mut() {
        last.1 = Some(now);
    }
}

async fn run_gateway(inner: Arc<Inner>, mut socket: WebSocket) {
    let (tx, mut rx) = mpsc::unbounded_channel::<Value>();
    // Discord says ~41 s; a short interval lets the bot notice a dead connection (its only
    // way: serenity 0.12 reads a closed stream as silence) within the tests' bounds.
    let hello = json!({"op": 10, "d": {"heartbeat_interval": 1000}});
    if socket
        .send(WsMessage::Text(hello.to_string().into()))
        .await
        .is_err()
    {
        return;
    }
    // The session this socket carries, once identified or resumed.
    let mut attached: Option<usize> = None;
    loop {
        tokio::select! {
            incoming = socket.recv() => {
                let Some(Ok(msg)) = incoming else { break };
                let text = match msg {
                    WsMessage::Text(t) => t.to_string(),
                    WsMessage::Close(_) => break,
                    _ => continue,
                };
                let Ok(v) = serde_json::from_str::<Value>(&text) else { continue };
                let op = v["op"].as_u64();
                if matches!(op, Some(2) | Some(6)) {
                    // A second IDENTIFY/RESUME on one socket ends what it carried.
                    if let Some(n) = attached.take() {
                        detach(&inner, n, &tx);
                    }
                }
                let (answer, now_attached) = match op {
                    Some(1) => (Some(Answer::Frame(json!({"op": 11}))), attached),
                    Some(2) => {
                        let (a, n) = identify(&inner, &v["d"], &tx);
                        (Some(a), n)
                    }
                    Some(6) => {
                        let (a, n) = resume(&inner, &v["d"], &tx);
                        (Some(a), n)
                    }
                    _ => (None, attached),
                };
                attached = now_attached;
                let open = match answer {
                    Some(Answer::Frame(r)) => {
                        socket.send(WsMessage::Text(r.to_string().into())).await.is_ok()
                    }
                    Some(Answer::Close(code, reason)) => {
                        let frame = axum::extract::ws::CloseFrame { code, reason: reason.into() };
                        let _ = socket.send(WsMessage::Close(Some(frame))).await;
                        false
                    }
                    None => true,
                };
                if !open {
                    break;
                }
                inner.changed.notify_waiters();
            }
            out = rx.recv() => {
                let Some(frame) = out else { break };
                if frame.get("__close").is_some() {
                    let _ = socket.send(WsMessage::Close(None)).await;
                    break;
                }
                if socket.send(WsMessage::Text(frame.to_string().into())).await.is_err() {
                    break;
                }
            }
        }
    }
    if let Some(n) = attached {
        detach(&inner, n, &tx);
    }
    inner.changed.notify_waiters();
}

fn message_json(inner: &Inner, channel: u64, body: &Value) -> Value {
    let id = snowflake(inner, Duration::ZERO);
    json!({
        "id": id.to_string(),
        "channel_id": channel.to_string(),
        "author": {"id": BOT_USER_ID.to_string(), "username": "paradarum-bot", "discriminator": "0000", "avatar": null, "bot": true, "global_name": null},
        "content": body.get("content").cloned().unwrap_or(json!("")),
        "timestamp": "2026-11-26T12:00:00.000000+00:00",
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": body.get("embeds").cloned().unwrap_or(json!([])),
        "components": body.get("components").cloned().unwrap_or(json!([])),
        "pinned": false,
        "type": 0,
        "flags": body.get("flags").cloned().unwrap_or(json!(0)),
    })
}

/// Discord's message limits; the first one broken, if any.
pub fn message_limit_error(body: &Value) -> Option<String> {
    let chars = |v: &Value| v.as_str().map_or(0, |s| s.chars().count());
    if chars(&body["content"]) > 2000 {
        return Some("content over 2000".into());
    }
    let embeds = body["embeds"].as_array().cloned().unwrap_or_default();
    if embeds.len() > 10 {
        return Some("more than 10 embeds".into());
    }
    let mut total = 0;
    for e in &embeds {
        let fields = e["fields"].as_array().cloned().unwrap_or_default();
        if chars(&e["title"]) > 256
            || chars(&e["description"]) > 4096
            || fields.len() > 25
            || chars(&e["footer"]["text"]) > 2048
        {
            return Some("an embed part over its limit".into());
        }
        for f in &fields {
            if chars(&f["name"]) > 256 || chars(&f["value"]) > 1024 {
                return Some("an embed field over its limit".into());
            }
            total += chars(&f["name"]) + chars(&f["value"]);
        }
        total += chars(&e["title"]) + chars(&e["description"]) + chars(&e["footer"]["text"]);
    }
    (total > 6000).then(|| "embeds over 6000 characters".into())
}

async fn rest(
    State(inner): State<Arc<Inner>>,
    method: Method,
    uri: Uri,
    Path(rest): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    // Arrival time, before the fake's own work (parsing, schema validation).
    let arrived = Instant::now();
    let body: Value = if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&body)
            .unwrap_or_else(|_| json!({"__unparsed": String::from_utf8_lossy(&body)}))
    };
    let delay = inner.faults.lock().unwrap().delay;
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let response = route(&inner, &method, &rest, &headers, &body);
    let status = response.status().as_u16();
    inner.recorded.lock().unwrap().push(Recorded {
        method: method.to_string(),
        path: format!(
            "/{rest}{}",
            uri.query().map(|q| format!("?{q}")).unwrap_or_default()
        ),
        body,
        status,
        at: arrived,
    });
    inner.changed.notify_waiters();
    response
}

fn check(inner: &Inner, v: &jsonschema::Validator, what: &str, body: &Value) -> Option<Response> {
    if !inner.validate.load(Ordering::Relaxed) {
        return None;
    }
    let errors: Vec<String> = v
        .iter_errors(body)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    if errors.is_empty() {
        return None;
    }
    let text = format!("{what}: body Discord would reject: {errors:?}\n{body:#}");
    inner.schema_errors.lock().unwrap().push(text);
    Some(discord_error(
        StatusCode::BAD_REQUEST,
        50035,
        "Invalid Form Body",
    ))
}

fn injected_fault(inner: &Inner) -> Option<Response> {
    let mut f = inner.faults.lock().unwrap();
    if f.fail_500 > 0 {
        f.fail_500 -= 1;
        return Some(discord_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            0,
            "500: Internal Server Error",
        ));
    }
    if f.fail_429 > 0 {
        f.fail_429 -= 1;
        return Some(
            (
                StatusCode::TOO_MANY_REQUESTS,
                [("retry-after", "0.2"), ("x-ratelimit-scope", "user")],
                Json(json!({"message": "You are being rate limited.", "retry_after": 0.2, "global": false})),
            )
                .into_response(),
        );
    }
    None
}

fn route(
    inner: &Inner,
    method: &Method,
    rest: &str,
    headers: &HeaderMap,
    body: &Value,
) -> Response {
    let auth_ok = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.starts_with("Bot "));
    let parts: Vec<&str> = rest.split('/').collect();
    // Interaction callbacks and webhooks authenticate by token, not by bot token.
    let by_token = matches!(parts.first(), Some(&"interactions") | Some(&"webhooks"));
    if !auth_ok && !by_token {
        return discord_error(StatusCode::UNAUTHORIZED, 0, "401: Unauthorized");
    }
    if parts.first() != Some(&"gateway") {
        if let Some(r) = injected_fault(inner) {
            return r;
        }
    }
    let app = APP_ID.to_string();
    match (method.as_str(), parts.as_slice()) {
        ("GET", ["gateway"]) => {
            Json(json!({"url": format!("ws://{}/gateway", inner.addr)})).into_response()
        }
        ("GET", ["gateway", "bot"]) => {
            let total = inner.identify_budget.load(Ordering::SeqCst);
            let used = inner.identifies.load(Ordering::SeqCst);
            let reset_after = inner.identify_reset_after_ms.load(Ordering::SeqCst);
            Json(json!({
                "url": format!("ws://{}/gateway", inner.addr),
                "shards": inner.recommended_shards.load(Ordering::SeqCst),
                "session_start_limit": {"total": total, "remaining": total.saturating_sub(used),
                    "reset_after": reset_after, "max_concurrency": 1}
            }))
            .into_response()
        }
        ("GET", ["oauth2", "applications", "@me"]) => Json(json!({
            "id": app, "name": "paradarum-bot", "description": "", "bot_public": true,
            "bot_require_code_grant": false, "verify_key": "00", "icon": null, "flags": 0,
            "owner": {"id": "1", "username": "owner", "discriminator": "0000", "avatar": null}
        }))
        .into_response(),
        ("PUT", ["applications", a, "guilds", _, "commands"])
        | ("PUT", ["applications", a, "commands"])
            if *a == app =>
        {
            if let Some(r) = check(
                inner,
                &inner.validators.commands,
                "command registration",
                body,
            ) {
                return r;
            }
            let cmds: Vec<Value> = body
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(|mut c| {
                    let id = snowflake(inner, Duration::ZERO).to_string();
                    c["id"] = id.into();
                    c["application_id"] = app.clone().into();
                    c["version"] = "1".into();
                    c["type"] = c.get("type").cloned().unwrap_or(json!(1));
                    // Discord answers context-menu commands with an empty description
                    // (serenity's `Command` requires the field).
                    if c.get("description").is_none() {
                        c["description"] = "".into();
                    }
                    c
                })
                .collect();
            Json(Value::Array(cmds)).into_response()
        }
        ("POST", ["interactions", _id, token, "callback"]) => {
            let mut pending = inner.pending.lock().unwrap();
            let Some(p) = pending.get_mut(*token) else {
                return discord_error(StatusCode::NOT_FOUND, 10062, "Unknown interaction");
            };
            if p.responded {
                return discord_error(
                    StatusCode::BAD_REQUEST,
                    40060,
                    "Interaction has already been acknowledged.",
                );
            }
            if p.dispatched.elapsed() > Duration::from_secs(3) {
                return discord_error(StatusCode::NOT_FOUND, 10062, "Unknown interaction");
            }
            // Claimed under the lock, so of two answers at once exactly one wins (as on
            // Discord); given back if this one turns out to be rejected.
            p.responded = true;
            drop(pending);
            let rejected = check(
                inner,
                &inner.validators.callback,
                "interaction callback",
                body,
            )
            .or_else(|| {
                message_limit_error(&body["data"])
                    .map(|e| discord_error(StatusCode::BAD_REQUEST, 50035, &e))
            });
            if let Some(r) = rejected {
                if let Some(p) = inner.pending.lock().unwrap().get_mut(*token) {
                    p.responded = false;
                }
                return r;
            }
            StatusCode::NO_CONTENT.into_response()
        }
        ("PATCH", ["webhooks", a, token, "messages", "@original"]) if *a == app => {
            if !inner
                .pending
                .lock()
                .unwrap()
                .get(*token)
                .is_some_and(|p| p.responded)
            {
                return discord_error(StatusCode::NOT_FOUND, 10015, "Unknown Webhook");
            }
            if let Some(r) = check(inner, &inner.validators.webhook_edit, "edit original", body) {
                return r;
            }
            if let Some(e) = message_limit_error(body) {
                return discord_error(StatusCode::BAD_REQUEST, 50035, &e);
            }
            Json(message_json(inner, CHANNEL_ID, body)).into_response()
        }
        ("POST", ["webhooks", a, token]) if *a == app => {
            if !inner
                .pending
                .lock()
                .unwrap()
                .get(*token)
                .is_some_and(|p| p.responded)
            {
                return discord_error(StatusCode::NOT_FOUND, 10015, "Unknown Webhook");
            }
            if let Some(r) = check(inner, &inner.validators.webhook_post, "followup", body) {
                return r;
            }
            if let Some(e) = message_limit_error(body) {
                return discord_error(StatusCode::BAD_REQUEST, 50035, &e);
            }
            Json(message_json(inner, CHANNEL_ID, body)).into_response()
        }
        ("POST", ["users", "@me", "channels"]) => {
            if let Some(r) = check(inner, &inner.validators.dm_channel, "create DM", body) {
                return r;
            }
            let recipient = body["recipient_id"].as_str().unwrap_or("0").to_string();
            let id = snowflake(inner, Duration::ZERO);
            inner
                .dm_channels
                .lock()
                .unwrap()
                .insert(id, recipient.parse().unwrap_or(0));
            Json(json!({"id": id.to_string(), "type": 1, "last_message_id": null,
                "recipients": [{"id": recipient, "username": "customer", "discriminator": "0000", "avatar": null}]}))
            .into_response()
        }
        ("POST", ["channels", channel, "messages"]) => {
            let Ok(channel) = channel.parse::<u64>() else {
                return discord_error(StatusCode::NOT_FOUND, 10003, "Unknown Channel");
            };
            if inner.forbidden_channels.lock().unwrap().contains(&channel) {
                return discord_error(StatusCode::FORBIDDEN, 50001, "Missing Access");
            }
            if inner.missing_permissions.lock().unwrap().contains(&channel) {
                return discord_error(StatusCode::FORBIDDEN, 50013, "Missing Permissions");
            }
            let dm_user = inner.dm_channels.lock().unwrap().get(&channel).copied();
            if dm_user.is_some_and(|u| inner.closed_dms.lock().unwrap().contains(&u)) {
                return discord_error(
                    StatusCode::FORBIDDEN,
                    50007,
                    "Cannot send messages to this user",
                );
            }
            {
                let mut f = inner.faults.lock().unwrap();
                if f.nan_429 > 0 {
                    f.nan_429 -= 1;
                    return (
                        StatusCode::TOO_MANY_REQUESTS,
                        [("retry-after", "NaN")],
                        Json(json!({"message": "You are being rate limited.", "retry_after": "NaN", "global": false})),
                    )
                        .into_response();
                }
            }
            if let Some(r) = check(
                inner,
                &inner.validators.channel_message,
                "channel message",
                body,
            ) {
                return r;
            }
            if let Some(e) = message_limit_error(body) {
                return discord_error(StatusCode::BAD_REQUEST, 50035, &e);
            }
            if body["enforce_nonce"] == true {
                if let Some(nonce) = body["nonce"].as_str() {
                    if let Some(existing) = inner
                        .nonces
                        .lock()
                        .unwrap()
                        .get(&(channel, nonce.to_string()))
                    {
                        return Json(existing.clone()).into_response();
                    }
                }
            }
            // 5 messages per 5 s per channel, like Discord's commonly observed limit.
            let now = Instant::now();
            let mut sends = inner.channel_sends.lock().unwrap();
            let window = sends.entry(channel).or_default();
            while window
                .front()
                .is_some_and(|t| now.duration_since(*t) > Duration::from_secs(5))
            {
                window.pop_front();
            }
            if window.len() >= 5 {
                let reset = Duration::from_secs(5).saturating_sub(now.duration_since(window[0]));
                let secs = format!("{:.3}", reset.as_secs_f64());
                return (
                    StatusCode::TOO_MANY_REQUESTS,
                    [
                        ("x-ratelimit-limit", "5".to_string()),
                        ("x-ratelimit-remaining", "0".to_string()),
                        ("x-ratelimit-reset-after", secs.clone()),
                        ("retry-after", secs.clone()),
                    ],
                    Json(json!({"message": "You are being rate limited.", "retry_after": reset.as_secs_f64(), "global": false})),
                )
                    .into_response();
            }
            window.push_back(now);
            let remaining = 5 - window.len();
            drop(sends);
            let msg = message_json(inner, channel, body);
            if let Some(nonce) = body["nonce"].as_str() {
                inner
                    .nonces
                    .lock()
                    .unwrap()
                    .insert((channel, nonce.to_string()), msg.clone());
            }
            {
                let mut messages = inner.channel_messages.lock().unwrap();
                messages.push((channel, body.clone()));
                if let Some(id) = msg["id"].as_str().and_then(|i| i.parse().ok()) {
                    inner
                        .message_index
                        .lock()
                        .unwrap()
                        .insert(id, messages.len() - 1);
                    inner
                        .messages
                        .lock()
                        .unwrap()
                        .insert(id, (channel, msg.clone()));
                }
            }
            (
                [
                    ("x-ratelimit-limit", "5".to_string()),
                    ("x-ratelimit-remaining", remaining.to_string()),
                    ("x-ratelimit-reset-after", "5.000".to_string()),
                ],
                Json(msg),
            )
                .into_response()
        }
        ("PATCH", ["channels", channel, "messages", message]) => {
            let (Ok(channel), Ok(message)) = (channel.parse::<u64>(), message.parse::<u64>())
            else {
                return discord_error(StatusCode::NOT_FOUND, 10008, "Unknown Message");
            };
            if inner.forbidden_channels.lock().unwrap().contains(&channel) {
                return discord_error(StatusCode::FORBIDDEN, 50001, "Missing Access");
            }
            if inner.missing_permissions.lock().unwrap().contains(&channel) {
                return discord_error(StatusCode::FORBIDDEN, 50013, "Missing Permissions");
            }
            if let Some(r) = check(inner, &inner.validators.message_edit, "message edit", body) {
                return r;
            }
            if let Some(e) = message_limit_error(body) {
                return discord_error(StatusCode::BAD_REQUEST, 50035, &e);
            }
            // Both views of the message: the body as posted (staff notices' tests read
            // bodies) and the message as Discord shows it (the panel's tests).
            let shown = {
                let mut messages = inner.messages.lock().unwrap();
                let Some((_, msg)) = messages.get_mut(&message).filter(|(c, _)| *c == channel)
                else {
                    return discord_error(StatusCode::NOT_FOUND, 10008, "Unknown Message");
                };
                for field in ["content", "embeds", "components", "flags"] {
                    if let Some(v) = body.get(field) {
                        msg[field] = v.clone();
                    }
                }
                msg["edited_timestamp"] = "2026-11-26T12:00:01.000000+00:00".into();
                msg.clone()
            };
            if let Some(i) = inner.message_index.lock().unwrap().get(&message).copied() {
                if let Some((_, stored)) = inner.channel_messages.lock().unwrap().get_mut(i) {
                    for key in [
                        "content",
                        "embeds",
                        "components",
                        "allowed_mentions",
                        "flags",
                    ] {
                        if let Some(v) = body.get(key) {
                            stored[key] = v.clone();
                        }
                    }
                }
            }
            inner
                .edits
                .lock()
                .unwrap()
                .push((channel, message, body.clone()));
            Json(shown).into_response()
        }
        _ => discord_error(StatusCode::NOT_FOUND, 0, "404: Not Found"),
    }
}

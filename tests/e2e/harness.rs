//! Starts the fake Discord and the real bot binary (temporary database, the embedded
//! sandbox on a random port) and drives them as Discord users would.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tempfile::TempDir;

use crate::fake_discord::{FakeDiscord, Recorded, APP_ID, BOT_USER_ID, CHANNEL_ID, GUILD_ID};

const BIN: &str = env!("CARGO_BIN_EXE_paradarum-bot");
pub const ADMIN: &str = "e2e-admin";

#[derive(Clone, Debug)]
pub struct User {
    pub id: u64,
    pub name: &'static str,
    pub roles: Vec<u64>,
    /// Holds the Administrator permission in the guild.
    pub admin: bool,
}

pub fn alice() -> User {
    User {
        id: 400_000_000_000_000_001,
        name: "alice",
        roles: vec![],
        admin: false,
    }
}

pub fn bob() -> User {
    User {
        id: 400_000_000_000_000_002,
        name: "bob",
        roles: vec![],
        admin: false,
    }
}

pub struct Bot {
    pub fake: FakeDiscord,
    child: Option<Child>,
    pub dir: TempDir,
    pub http_port: u16,
    /// Where `/metrics` is served (`METRICS_LISTEN`), apart from the public endpoints.
    pub metrics_port: u16,
    pub sandbox_port: u16,
    extra_env: Vec<(String, String)>,
    /// Variables the default environment sets that this bot runs without.
    unset_env: Vec<String>,
    pub api: reqwest::Client,
}

/// An interaction the test dispatched.
#[derive(Clone, Debug)]
pub struct Sent {
    pub id: u64,
    pub token: String,
    /// When it was dispatched to the bot.
    pub at: Instant,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Bot {
    pub async fn start() -> Bot {
        Self::start_with(&[]).await
    }

    pub async fn start_with(env: &[(&str, &str)]) -> Bot {
        Self::start_without(&[], env).await
    }

    /// Like `start_with`, without the variables `unset` of the default environment (e.g.
    /// `DISCORD_GUILD_ID`).
    pub async fn start_without(unset: &[&str], env: &[(&str, &str)]) -> Bot {
        let fake = FakeDiscord::start().await;
        let mut bot = Bot {
            fake,
            child: None,
            dir: tempfile::tempdir().unwrap(),
            http_port: free_port(),
            metrics_port: free_port(),
            sandbox_port: free_port(),
            extra_env: env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            unset_env: unset.iter().map(|k| k.to_string()).collect(),
            api: reqwest::Client::new(),
        };
        bot.spawn().await;
        bot
    }

    /// Sets (or replaces) an environment variable for the next `spawn`.
    pub fn set_env(&mut self, key: &str, value: &str) {
        self.extra_env.retain(|(k, _)| k != key);
        self.extra_env.push((key.to_string(), value.to_string()));
    }

    /// Stops the bot hard and deletes everything it kept (database, keys) but its log: a
    /// database reset.
    pub fn reset_data(&mut self) {
        self.kill_hard();
        for entry in std::fs::read_dir(self.dir.path()).unwrap().flatten() {
            if entry.file_name() == "bot.log" {
                continue;
            }
            let path = entry.path();
            if path.is_dir() {
                std::fs::remove_dir_all(&path).unwrap();
            } else {
                std::fs::remove_file(&path).unwrap();
            }
        }
    }

    /// The bot's database, opened beside the running bot (WAL lets both read and write).
    #[allow(dead_code)] // not every test binary reads it
    pub async fn store(&self) -> paradarum_bot::store::Store {
        let db = format!(
            "sqlite://{}/data/paradarum-bot.db",
            self.dir.path().display()
        );
        paradarum_bot::store::Store::open(&db).await.unwrap()
    }

    fn log_path(&self) -> PathBuf {
        self.dir.path().join("bot.log")
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    /// The binary with this bot's environment (what `spawn` runs), for `subcommand`.
    pub fn binary(&self, subcommand: &str) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.arg(subcommand)
            .env_clear()
            .current_dir(self.dir.path())
            .env("DISCORD_TOKEN", "fake.bot.token")
            .env("DISCORD_PROXY_URL", self.fake.url())
            .env("DISCORD_GUILD_ID", GUILD_ID.to_string())
            .env("HTTP_LISTEN", format!("127.0.0.1:{}", self.http_port))
            .env("METRICS_LISTEN", format!("127.0.0.1:{}", self.metrics_port))
            .env("SANDBOX_LISTEN", format!("127.0.0.1:{}", self.sandbox_port))
            .env("SANDBOX_ADMIN_TOKEN", ADMIN)
            .env("PARADARUM_BOT__DISCORD__OPEN_COOLDOWN_SECS", "0")
            .env("PARADARUM_BOT__API__REQUEST_TIMEOUT_MS", "2000")
            .env("PARADARUM_BOT__API__RETRY_BUDGET_MS", "500")
            .env(
                "RUST_LOG",
                "info,paradarum_bot=debug,serenity::gateway=debug",
            );
        for (k, v) in &self.extra_env {
            cmd.env(k, v);
        }
        for k in &self.unset_env {
            cmd.env_remove(k);
        }
        cmd
    }

    /// Starts the binary and waits until it has registered its commands.
    pub async fn spawn(&mut self) {
        let registrations_before = self.registrations();
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log_path())
            .unwrap();
        let mut cmd = self.binary("run");
        cmd.stdout(Stdio::null()).stderr(Stdio::from(log));
        self.child = Some(cmd.spawn().unwrap());
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.registrations() == registrations_before {
            assert!(
                Instant::now() < deadline,
                "the bot did not register its commands; log:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // The gateway session is up once commands are registered (setup runs after READY).
        assert!(self.fake.is_connected());
    }

    fn registrations(&self) -> usize {
        self.fake
            .recorded()
            .iter()
            .filter(|r| r.method == "PUT" && r.path.ends_with("/commands") && r.status == 200)
            .count()
    }

    /// SIGTERM and wait; returns the exit code.
    pub fn stop(&mut self) -> Option<i32> {
        let mut child = self.child.take()?;
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = child.try_wait() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
        None
    }

    /// Waits (bounded) for the process to exit by itself; its exit code.
    pub async fn wait_exit(&mut self, timeout: Duration) -> Option<i32> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Some(Ok(Some(status))) = self.child.as_mut().map(|c| c.try_wait()) {
                self.child = None;
                return status.code();
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        None
    }

    pub async fn readyz(&self) -> (u16, Value) {
        let r = self
            .api
            .get(format!("http://127.0.0.1:{}/readyz", self.http_port))
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// Messages posted to `channel` so far.
    pub fn channel_messages(&self, channel: u64) -> Vec<Value> {
        self.fake
            .inner
            .channel_messages
            .lock()
            .unwrap()
            .iter()
            .filter(|(c, _)| *c == channel)
            .map(|(_, b)| b.clone())
            .collect()
    }

    /// Every channel message (channel, body).
    pub fn all_channel_messages(&self) -> Vec<(u64, Value)> {
        self.fake.inner.channel_messages.lock().unwrap().clone()
    }

    pub async fn metrics(&self) -> String {
        self.api
            .get(format!("http://127.0.0.1:{}/metrics", self.metrics_port))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// A customer account made directly on the sandbox (not through Discord).
    pub async fn sandbox_customer(&self, name: &str) -> String {
        let v: Value = self
            .api
            .post(self.sandbox_url("v1/sandbox/accounts"))
            .bearer_auth(ADMIN)
            .json(&json!({"name": name}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        v["token"].as_str().unwrap().to_string()
    }

    /// A ticket opened directly on the sandbox with a customer token.
    pub async fn sandbox_open(&self, token: &str, topic: u8, subject: &str) -> u64 {
        let v: Value = self
            .api
            .post(self.sandbox_url("v1/tickets"))
            .bearer_auth(token)
            .json(&json!({"topic": topic, "subject": subject, "message": "m"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        v["id"].as_u64().unwrap()
    }

    pub fn kill_hard(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    pub fn sandbox_url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{path}", self.sandbox_port)
    }

    /// `GET` on the sandbox as staff; the `items` of the answer.
    pub async fn sandbox_items(&self, path: &str) -> Vec<Value> {
        let v: Value = self
            .api
            .get(self.sandbox_url(path))
            .bearer_auth(ADMIN)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        v["items"].as_array().cloned().unwrap_or_default()
    }

    /// Every ticket in the sandbox (as staff).
    pub async fn sandbox_tickets(&self) -> Vec<Value> {
        self.sandbox_items("v1/tickets?limit=100").await
    }

    pub async fn sandbox_messages(&self, ticket: u64) -> Vec<Value> {
        self.sandbox_items(&format!("v1/tickets/{ticket}/messages"))
            .await
    }

    pub async fn sandbox_set_status(&self, ticket: u64, status: u8) {
        let r = self
            .api
            .post(self.sandbox_url(&format!("v1/tickets/{ticket}/status")))
            .bearer_auth(ADMIN)
            .json(&json!({"status": status}))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success());
    }

    fn base(&self, kind: u8, user: &User, in_guild: bool) -> (Sent, Value) {
        self.base_aged(kind, user, in_guild, Duration::ZERO)
    }

    /// An interaction created `ago` (its snowflake says so, and Discord's 3 seconds count
    /// from then), as when the gateway delivers it late.
    fn base_aged(&self, kind: u8, user: &User, in_guild: bool, ago: Duration) -> (Sent, Value) {
        self.base_in(kind, user, in_guild.then_some(GUILD_ID), ago)
    }

    /// An interaction from `guild` (a member of it), or from a DM when `None`.
    fn base_in(&self, kind: u8, user: &User, guild: Option<u64>, ago: Duration) -> (Sent, Value) {
        let id = self.fake.id_created(ago);
        let token = format!("tok{id}");
        let user_json = json!({"id": user.id.to_string(), "username": user.name,
            "discriminator": "0", "global_name": user.name, "avatar": null});
        let mut v = json!({
            "id": id.to_string(),
            "application_id": APP_ID.to_string(),
            "type": kind,
            "token": token,
            "version": 1,
            "locale": "en-US",
            "entitlements": [],
            "attachment_size_limit": 26214400,
            "channel_id": CHANNEL_ID.to_string(),
            "app_permissions": "2248473465835073",
            "authorizing_integration_owners": {"0": GUILD_ID.to_string()},
        });
        if let Some(guild) = guild {
            v["guild_id"] = guild.to_string().into();
            v["authorizing_integration_owners"] = json!({"0": guild.to_string()});
            v["guild_locale"] = "en-US".into();
            v["context"] = 0.into();
            let roles: Vec<String> = user.roles.iter().map(|r| r.to_string()).collect();
            v["member"] = json!({
                "user": user_json, "roles": roles, "deaf": false, "mute": false, "flags": 0,
                "permissions": if user.admin { "8" } else { "0" }, "joined_at": "2026-01-01T00:00:00.000000+00:00",
                "pending": false, "nick": null, "avatar": null, "premium_since": null
            });
        } else {
            v["context"] = 1.into();
            v["user"] = user_json;
        }
        (
            Sent {
                id,
                token,
                at: Instant::now(),
            },
            v,
        )
    }

    /// `/ticket <sub> options…` as `user` in the guild.
    pub fn command(&self, user: &User, sub: &str, options: Value) -> Sent {
        self.command_with(user, sub, options, None)
    }

    /// Like `command`, with `data.resolved` (e.g. attachments).
    pub fn command_with(
        &self,
        user: &User,
        sub: &str,
        options: Value,
        resolved: Option<Value>,
    ) -> Sent {
        self.dispatch_command(user, "ticket", sub, options, resolved)
    }

    /// `/ticket <sub> options…` in the guild, delivered `ago` after Discord created it.
    pub fn command_aged(&self, user: &User, sub: &str, options: Value, ago: Duration) -> Sent {
        let (sent, mut v) = self.base_aged(2, user, true, ago);
        v["data"] = json!({
            "id": "1", "name": "ticket", "type": 1,
            "options": [{"type": 1, "name": sub, "options": options}],
        });
        assert!(self.fake.dispatch_interaction(v), "gateway not connected");
        sent
    }

    /// `/ticket <sub> options…` from a DM with the bot (no guild, no member).
    pub fn command_dm(&self, user: &User, sub: &str, options: Value) -> Sent {
        let (sent, mut v) = self.base(2, user, false);
        v["data"] = json!({
            "id": "1", "name": "ticket", "type": 1,
            "options": [{"type": 1, "name": sub, "options": options}],
        });
        assert!(self.fake.dispatch_interaction(v), "gateway not connected");
        sent
    }

    /// `/<name> <sub> options…`.
    pub fn command_named(&self, user: &User, name: &str, sub: &str, options: Value) -> Sent {
        self.dispatch_command(user, name, sub, options, None)
    }

    /// `/<name> <sub> options…` as a member of `guild` (which may be another server than
    /// the one the bot was set up for).
    pub fn command_in_guild(
        &self,
        user: &User,
        guild: u64,
        name: &str,
        sub: &str,
        options: Value,
    ) -> Sent {
        let (sent, mut v) = self.base_in(2, user, Some(guild), Duration::ZERO);
        v["data"] = json!({
            "id": "1", "name": name, "type": 1,
            "options": [{"type": 1, "name": sub, "options": options}],
        });
        assert!(self.fake.dispatch_interaction(v), "gateway not connected");
        sent
    }

    fn dispatch_command(
        &self,
        user: &User,
        name: &str,
        sub: &str,
        options: Value,
        resolved: Option<Value>,
    ) -> Sent {
        let (sent, mut v) = self.base(2, user, true);
        v["data"] = json!({
            "id": "1", "name": name, "type": 1,
            "options": [{"type": 1, "name": sub, "options": options}],
        });
        if let Some(r) = resolved {
            v["data"]["resolved"] = r;
        }
        assert!(self.fake.dispatch_interaction(v), "gateway not connected");
        sent
    }

    /// An autocomplete request for `/ticket <sub>` with `focused` being typed.
    pub fn autocomplete(
        &self,
        user: &User,
        sub: &str,
        focused: &str,
        typed: &str,
        kind: u8,
    ) -> Sent {
        let (sent, mut v) = self.base(4, user, true);
        v["data"] = json!({
            "id": "1", "name": "ticket", "type": 1,
            "options": [{"type": 1, "name": sub, "options": [
                {"type": kind, "name": focused, "value": typed, "focused": true}
            ]}],
        });
        assert!(self.fake.dispatch_interaction(v));
        sent
    }

    /// Submits a modal with the given text inputs.
    pub fn submit_modal(&self, user: &User, custom_id: &str, fields: &[(&str, &str)]) -> Sent {
        let (sent, mut v) = self.base(5, user, true);
        let rows: Vec<Value> = fields
            .iter()
            .map(|(id, value)| json!({"type": 1, "components": [{"type": 4, "custom_id": id, "value": value}]}))
            .collect();
        v["data"] = json!({"custom_id": custom_id, "components": rows});
        assert!(self.fake.dispatch_interaction(v));
        sent
    }

    /// Presses a button carrying `custom_id`.
    pub fn press(&self, user: &User, custom_id: &str, in_guild: bool) -> Sent {
        let (sent, mut v) = self.base(3, user, in_guild);
        v["data"] = json!({"custom_id": custom_id, "component_type": 2});
        v["message"] = json!({
            "id": self.fake.new_id().to_string(), "channel_id": CHANNEL_ID.to_string(),
            "author": {"id": BOT_USER_ID.to_string(), "username": "paradarum-bot", "discriminator": "0000", "avatar": null, "bot": true},
            "content": "", "timestamp": "2026-11-26T12:00:00.000000+00:00", "edited_timestamp": null,
            "tts": false, "mention_everyone": false, "mentions": [], "mention_roles": [],
            "attachments": [], "embeds": [], "pinned": false, "type": 0, "flags": 64, "components": []
        });
        assert!(self.fake.dispatch_interaction(v));
        sent
    }

    /// `/ticket open` → modal → submit, as `user`: the new ticket's id and its card. The
    /// modal must come first and the answer must be deferred ephemerally.
    pub async fn open_via_discord(&self, user: &User, topic: u8, subject: &str) -> (u64, Value) {
        let slash = self.command(
            user,
            "open",
            json!([{"type": 4, "name": "topic", "value": topic}]),
        );
        let modal = self.callback(&slash).await;
        assert_eq!(modal["type"], 9, "a modal: {modal}");
        let custom_id = modal["data"]["custom_id"].as_str().unwrap().to_string();
        let submit = self.submit_modal(
            user,
            &custom_id,
            &[
                ("subject", subject),
                ("description", "It stopped working this morning."),
            ],
        );
        let ack = self.callback(&submit).await;
        assert_eq!(ack["type"], 5, "a deferred answer: {ack}");
        assert_eq!(
            ack["data"]["flags"].as_u64().unwrap_or(0) & 64,
            64,
            "ephemeral"
        );
        let card = self.final_message(&submit, 20).await;
        let text = text_of(&card);
        let id = ticket_id_in(&text).unwrap_or_else(|| panic!("no ticket id in {text}"));
        (id, card)
    }

    /// How long the bot took to send its initial response to `sent`.
    pub async fn callback_latency(&self, sent: &Sent) -> Duration {
        self.callback(sent).await;
        let needle = format!("/interactions/{}/{}/callback", sent.id, sent.token);
        self.fake
            .recorded()
            .iter()
            .find(|r| r.path == needle)
            .map(|r| r.at.saturating_duration_since(sent.at))
            .unwrap_or(Duration::MAX)
    }

    #[allow(dead_code)] // used by benches/bench.rs
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(|c| c.id())
    }

    /// The initial response (callback body) to an interaction, waiting up to 5 s.
    pub async fn callback(&self, sent: &Sent) -> Value {
        let needle = format!("/interactions/{}/{}/callback", sent.id, sent.token);
        self.fake
            .wait_for(Duration::from_secs(5), |rs| {
                rs.iter()
                    .find(|r| r.path == needle && r.status == 204)
                    .map(|r| r.body.clone())
            })
            .await
            .unwrap_or_else(|| {
                panic!(
                    "no initial response to {needle}; sent: {:#?}\nlog:\n{}",
                    self.paths(),
                    self.log()
                )
            })
    }

    /// The message that finally answered an interaction: the last followup or edit of the
    /// original response, waiting up to `secs`.
    pub async fn final_message(&self, sent: &Sent, secs: u64) -> Value {
        let prefix = format!("/webhooks/{APP_ID}/{}", sent.token);
        let found = self
            .fake
            .wait_for(Duration::from_secs(secs), |rs| {
                rs.iter()
                    .rev()
                    .find(|r| r.path.starts_with(&prefix) && r.status == 200)
                    .map(|r| r.body.clone())
            })
            .await;
        found.unwrap_or_else(|| {
            panic!(
                "no followup for {}; sent: {:#?}\nlog:\n{}",
                sent.token,
                self.paths(),
                self.log()
            )
        })
    }

    pub fn paths(&self) -> Vec<String> {
        self.fake
            .recorded()
            .iter()
            .map(|r| format!("{} {} -> {}", r.method, r.path, r.status))
            .collect()
    }

    /// Every request the bot sent for `sent` (callback, followups, edits).
    pub fn requests_for(&self, sent: &Sent) -> Vec<Recorded> {
        self.fake
            .recorded()
            .into_iter()
            .filter(|r| r.path.contains(&sent.token))
            .collect()
    }

    /// Fails the test if the bot sent anything Discord would reject.
    pub fn assert_no_schema_errors(&self) {
        let errors = self.fake.schema_errors();
        assert!(errors.is_empty(), "{}", errors.join("\n\n"));
    }
}

impl Drop for Bot {
    fn drop(&mut self) {
        self.kill_hard();
    }
}

/// The ticket number in a card or message ("Ticket #12 …").
pub fn ticket_id_in(text: &str) -> Option<u64> {
    text.split("Ticket #")
        .nth(1)
        .and_then(|s| s.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|d| d.parse().ok())
}

/// Ticket ids a staff notification announces: a coalesced list (`#12`) or one card.
pub fn announced_ids(msg: &Value) -> Vec<u64> {
    let text = text_of(msg);
    let ids: Vec<u64> = text
        .split("`#")
        .skip(1)
        .filter_map(|p| p.split('`').next().and_then(|d| d.parse().ok()))
        .collect();
    if ids.is_empty() {
        ticket_id_in(&text).into_iter().collect()
    } else {
        ids
    }
}

/// All text a message shows: content, embed titles, descriptions, fields, footers.
pub fn text_of(msg: &Value) -> String {
    let mut out = msg["content"].as_str().unwrap_or_default().to_string();
    let embeds = msg["embeds"]
        .as_array()
        .or_else(|| msg["data"]["embeds"].as_array())
        .cloned()
        .unwrap_or_default();
    for e in embeds {
        for k in ["title", "description"] {
            out.push('\n');
            out.push_str(e[k].as_str().unwrap_or_default());
        }
        for f in e["fields"].as_array().cloned().unwrap_or_default() {
            out.push('\n');
            out.push_str(f["name"].as_str().unwrap_or_default());
            out.push('\n');
            out.push_str(f["value"].as_str().unwrap_or_default());
        }
        out.push('\n');
        out.push_str(e["footer"]["text"].as_str().unwrap_or_default());
    }
    if let Some(c) = msg["data"]["content"].as_str() {
        out.push('\n');
        out.push_str(c);
    }
    out
}

/// The custom ids of every button in a message.
pub fn buttons(msg: &Value) -> Vec<(String, String)> {
    let rows = msg["components"]
        .as_array()
        .or_else(|| msg["data"]["components"].as_array())
        .cloned()
        .unwrap_or_default();
    rows.iter()
        .flat_map(|r| r["components"].as_array().cloned().unwrap_or_default())
        .filter(|c| c["type"] == 2)
        .map(|c| {
            (
                c["label"].as_str().unwrap_or_default().to_string(),
                c["custom_id"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// What the API proxy does with each request.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ProxyMode {
    Pass,
    /// Answer 503 without forwarding.
    Down,
    /// Wait this long before forwarding.
    Slow(Duration),
}

/// One request the API proxy saw.
#[derive(Clone, Debug)]
pub struct ProxySeen {
    pub method: String,
    /// Without the query.
    pub path: String,
    pub idempotency_key: Option<String>,
}

type Rules = std::sync::Arc<std::sync::Mutex<Vec<(String, u16)>>>;

/// A ticket API between the bot and a real sandbox that can be made slow or down.
pub struct ApiProxy {
    pub url: String,
    pub mode: std::sync::Arc<std::sync::Mutex<ProxyMode>>,
    /// Requests whose path (without the query) is one of these are answered with the
    /// status and a JSON error body, without forwarding: a poisoned ticket, a refused
    /// token, an endpoint an older API does not have.
    pub rules: Rules,
    /// Requests whose path is one of these are forwarded (the API acts on them), and the
    /// bot gets the status instead of the API's answer: a proxy failing after a commit.
    pub after_forward: Rules,
    /// Requests it has seen (read by benches/bench.rs).
    #[allow(dead_code)]
    pub requests: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// Every request it has seen, in order.
    #[allow(dead_code)]
    pub seen: std::sync::Arc<std::sync::Mutex<Vec<ProxySeen>>>,
}

impl ApiProxy {
    pub async fn start(upstream: String) -> ApiProxy {
        use axum::extract::{Request, State};
        use axum::response::IntoResponse;
        #[derive(Clone)]
        struct Shared {
            mode: std::sync::Arc<std::sync::Mutex<ProxyMode>>,
            upstream: String,
            http: reqwest::Client,
            count: std::sync::Arc<std::sync::atomic::AtomicU64>,
            rules: Rules,
            after_forward: Rules,
            seen: std::sync::Arc<std::sync::Mutex<Vec<ProxySeen>>>,
        }
        fn rule_for(rules: &Rules, path: &str) -> Option<u16> {
            rules
                .lock()
                .unwrap()
                .iter()
                .find(|(p, _)| p == "*" || p == path)
                .map(|(_, s)| *s)
        }
        fn injected(status: u16) -> axum::response::Response {
            let code = axum::http::StatusCode::from_u16(status).unwrap();
            let body = serde_json::json!({"error": if status == 401 { "unauthorized" } else { "injected" },
                "message": "injected by the test proxy"});
            (code, axum::Json(body)).into_response()
        }
        async fn forward(State(sh): State<Shared>, req: Request) -> axum::response::Response {
            sh.count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let bare_path = req.uri().path().to_string();
            sh.seen.lock().unwrap().push(ProxySeen {
                method: req.method().to_string(),
                path: bare_path.clone(),
                idempotency_key: req
                    .headers()
                    .get("idempotency-key")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string),
            });
            if let Some(status) = rule_for(&sh.rules, &bare_path) {
                return injected(status);
            }
            let m = *sh.mode.lock().unwrap();
            match m {
                ProxyMode::Down => {
                    return (axum::http::StatusCode::SERVICE_UNAVAILABLE, "down").into_response()
                }
                ProxyMode::Slow(d) => tokio::time::sleep(d).await,
                ProxyMode::Pass => {}
            }
            let method = req.method().clone();
            let path = req
                .uri()
                .path_and_query()
                .map(|p| p.to_string())
                .unwrap_or_default();
            let headers = req.headers().clone();
            let body = axum::body::to_bytes(req.into_body(), 64 * 1024 * 1024)
                .await
                .unwrap_or_default();
            let mut out = sh
                .http
                .request(method, format!("{}{path}", sh.upstream))
                .body(body);
            for name in ["authorization", "content-type", "idempotency-key"] {
                if let Some(v) = headers.get(name) {
                    out = out.header(name, v.as_bytes());
                }
            }
            match out.send().await {
                Ok(r) => {
                    let status = r.status().as_u16();
                    let ct = r.headers().get("content-type").cloned();
                    let bytes = r.bytes().await.unwrap_or_default();
                    // The API has acted; the bot hears only the proxy's failure.
                    if let Some(status) = rule_for(&sh.after_forward, &bare_path) {
                        return injected(status);
                    }
                    let mut resp =
                        (axum::http::StatusCode::from_u16(status).unwrap(), bytes).into_response();
                    if let Some(ct) = ct {
                        resp.headers_mut().insert("content-type", ct);
                    }
                    resp
                }
                Err(_) => axum::http::StatusCode::BAD_GATEWAY.into_response(),
            }
        }
        let shared = Shared {
            mode: std::sync::Arc::new(std::sync::Mutex::new(ProxyMode::Pass)),
            upstream,
            http: reqwest::Client::new(),
            count: Default::default(),
            rules: Default::default(),
            after_forward: Default::default(),
            seen: Default::default(),
        };
        let proxy = ApiProxy {
            url: String::new(),
            mode: shared.mode.clone(),
            rules: shared.rules.clone(),
            after_forward: shared.after_forward.clone(),
            requests: shared.count.clone(),
            seen: shared.seen.clone(),
        };
        let app = axum::Router::new().fallback(forward).with_state(shared);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        ApiProxy {
            url: format!("http://{addr}"),
            ..proxy
        }
    }

    /// Answers `path` with `status` from now on.
    #[allow(dead_code)] // not every test binary uses it
    pub fn fail(&self, path: &str, status: u16) {
        self.rules.lock().unwrap().push((path.to_string(), status));
    }

    /// Forwards `path` (so the API acts on it) but answers `status` instead of the API's
    /// answer, from now on.
    #[allow(dead_code)]
    pub fn fail_after_forward(&self, path: &str, status: u16) {
        self.after_forward
            .lock()
            .unwrap()
            .push((path.to_string(), status));
    }

    /// Forwards everything again.
    #[allow(dead_code)]
    pub fn heal(&self) {
        self.rules.lock().unwrap().clear();
        self.after_forward.lock().unwrap().clear();
    }

    /// Stops answering `path` with a status after forwarding (other rules stay).
    #[allow(dead_code)]
    pub fn heal_after_forward(&self) {
        self.after_forward.lock().unwrap().clear();
    }

    /// What it has seen for `method path` (path without the query).
    #[allow(dead_code)]
    pub fn seen(&self, method: &str, path: &str) -> Vec<ProxySeen> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.method == method && r.path == path)
            .cloned()
            .collect()
    }

    pub fn set(&self, m: ProxyMode) {
        *self.mode.lock().unwrap() = m;
    }
}

/// A sandbox ticket API in this process (its own database), as a stand-in for Paradarum.
pub async fn external_sandbox() -> (u16, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store =
        paradarum_bot::store::Store::open(&format!("sqlite://{}/api.db", dir.path().display()))
            .await
            .unwrap();
    let sandbox = paradarum_bot::sandbox::Sandbox::bind(
        "127.0.0.1:0".parse().unwrap(),
        store,
        paradarum_bot::sandbox::SandboxConfig {
            admin_token: secrecy::SecretString::from(ADMIN),
            webhook: None,
            retention: None,
        },
    )
    .await
    .unwrap();
    let port = sandbox.local_addr().unwrap().port();
    tokio::spawn(sandbox.run(tokio_util::sync::CancellationToken::new()));
    (port, dir)
}

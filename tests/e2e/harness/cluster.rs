//! Several `paradarum-bot run` replicas working as one bot (#12): the same environment,
//! one fresh PostgreSQL database (created and dropped by a guard), one separate
//! `paradarum-bot sandbox` process as the ticket API, and the fake Discord they share.
//! Each replica has its own data directory and log and binds port 0, read back from its
//! log. Replicas can be started, stopped (SIGTERM), killed (SIGKILL) and asked for their
//! `/readyz` roles; webhooks can be POSTed to any of them.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tempfile::TempDir;

use super::bound::bound_ports;
use super::interactions::interaction_base;
use super::{Sent, User, ADMIN, BIN};
use crate::fake_discord::{FakeDiscord, GUILD_ID};

/// Where PostgreSQL runs for the tests (trust auth).
const PG: &str = "postgres://postgres@127.0.0.1:5432";

/// A fresh PostgreSQL database, dropped (with any connection still on it) when this goes.
pub struct PgDb {
    pub name: String,
    pub url: String,
}

fn psql(sql: &str) -> Result<(), String> {
    let out = Command::new("psql")
        .args([
            &format!("{PG}/postgres"),
            "-v",
            "ON_ERROR_STOP=1",
            "-Atqc",
            sql,
        ])
        .output()
        .map_err(|e| format!("psql: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

impl PgDb {
    pub fn create() -> PgDb {
        let name = format!(
            "e2e_cluster_{}_{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        );
        psql(&format!("CREATE DATABASE {name}"))
            .unwrap_or_else(|e| panic!("PostgreSQL at {PG} cannot create a database: {e}"));
        let url = format!("{PG}/{name}");
        PgDb { name, url }
    }
}

impl Drop for PgDb {
    fn drop(&mut self) {
        let _ = psql(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ));
    }
}

/// A process of the binary with its own directory and log.
struct Process {
    child: Option<Child>,
    dir: TempDir,
}

impl Process {
    fn log_path(&self) -> PathBuf {
        self.dir.path().join("process.log")
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    fn spawn(&mut self, mut cmd: Command) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log_path())
            .unwrap();
        cmd.current_dir(self.dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::from(log));
        self.child = Some(cmd.spawn().unwrap());
    }

    fn signal(&self, sig: &str) {
        if let Some(c) = &self.child {
            let _ = Command::new("kill")
                .args([sig, &c.id().to_string()])
                .status();
        }
    }

    /// Waits (bounded) for the process to exit; its exit code (`None`: killed or still
    /// running after `timeout`, then killed).
    fn wait(&mut self, timeout: Duration) -> Option<i32> {
        let mut child = self.child.take()?;
        let deadline = Instant::now() + timeout;
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

    /// Waits (bounded) until the log, from `from` on, names the bound listener `name`; fails
    /// at once if the process exits first.
    async fn bound(&mut self, from: usize, name: &str) -> u16 {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let log = self.log();
            let ports = bound_ports(log.get(from..).unwrap_or_default());
            if let Some((_, p)) = ports.iter().find(|(l, _)| l == name) {
                return *p;
            }
            let exited = self.child.as_mut().map(|c| c.try_wait());
            if let Some(Ok(Some(status))) = exited {
                self.child = None;
                panic!("exited ({status}) before binding {name}; log:\n{log}");
            }
            assert!(
                Instant::now() < deadline,
                "no {name} listener in the log:\n{log}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// One `paradarum-bot run` process.
pub struct Replica {
    process: Process,
    /// Its `/healthz`, `/readyz` and `/webhooks/paradarum`, bound at its last start.
    pub http_port: u16,
    pub metrics_port: u16,
}

impl Replica {
    pub fn is_running(&self) -> bool {
        self.process.child.is_some()
    }

    pub fn log(&self) -> String {
        self.process.log()
    }

    pub fn pid(&self) -> Option<u32> {
        self.process.child.as_ref().map(|c| c.id())
    }

    /// Its SQLite database (the default under its data directory).
    pub fn sqlite_url(&self) -> String {
        format!(
            "sqlite://{}/data/paradarum-bot.db",
            self.process.dir.path().display()
        )
    }
}

/// Where the replicas keep their state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Storage {
    /// One fresh PostgreSQL database shared by all replicas.
    Postgres,
    /// Each replica its own SQLite file (the embedded default): only a one-replica
    /// "cluster" makes sense, as the bot is today without #12.
    Sqlite,
}

pub struct Cluster {
    pub fake: FakeDiscord,
    pub db: Option<PgDb>,
    sandbox: Process,
    /// The sandbox process's ticket API port.
    pub sandbox_port: u16,
    pub replicas: Vec<Replica>,
    env: Vec<(String, String)>,
    pub api: reqwest::Client,
}

pub const STAFF_CHANNEL: u64 = 700_000_000_000_000_101;
pub const WEBHOOK_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

impl Cluster {
    /// The fake Discord, the sandbox process, the database, and `replicas` replicas started
    /// one after another (each up: its HTTP endpoints bound and `/healthz` answering).
    pub async fn start(replicas: usize, storage: Storage, env: &[(&str, &str)]) -> Cluster {
        assert!(
            storage == Storage::Postgres || replicas <= 1,
            "SQLite replicas would not share anything"
        );
        let fake = FakeDiscord::start().await;
        let mut sandbox = Process {
            child: None,
            dir: tempfile::tempdir().unwrap(),
        };
        let mut cmd = Command::new(BIN);
        cmd.arg("sandbox")
            .env_clear()
            .env("SANDBOX_LISTEN", "127.0.0.1:0")
            .env("SANDBOX_ADMIN_TOKEN", ADMIN)
            .env("RUST_LOG", "info");
        sandbox.spawn(cmd);
        let sandbox_port = sandbox.bound(0, "sandbox").await;
        let db = (storage == Storage::Postgres).then(PgDb::create);
        let api = reqwest::Client::new();
        let token = integration_token(&api, sandbox_port).await;
        let mut all: Vec<(String, String)> = vec![
            ("DISCORD_TOKEN".into(), "fake.bot.token".into()),
            ("DISCORD_PROXY_URL".into(), fake.url()),
            ("DISCORD_GUILD_ID".into(), GUILD_ID.to_string()),
            ("HTTP_LISTEN".into(), "127.0.0.1:0".into()),
            ("METRICS_LISTEN".into(), "127.0.0.1:0".into()),
            (
                "PARADARUM_API_URL".into(),
                format!("http://127.0.0.1:{sandbox_port}"),
            ),
            ("PARADARUM_API_TOKEN".into(), token),
            (
                "BOT_SECRET_KEY".into(),
                paradarum_bot::config::SecretKey::generate_text(),
            ),
            ("STAFF_CHANNEL_ID".into(), STAFF_CHANNEL.to_string()),
            (
                "PARADARUM_BOT__NOTIFICATIONS__POLL_INTERVAL_SECS".into(),
                "1".into(),
            ),
            (
                "PARADARUM_BOT__DISCORD__OPEN_COOLDOWN_SECS".into(),
                "0".into(),
            ),
            (
                "PARADARUM_BOT__API__REQUEST_TIMEOUT_MS".into(),
                "2000".into(),
            ),
            (
                "RUST_LOG".into(),
                "info,paradarum_bot=debug,serenity::gateway=debug".into(),
            ),
        ];
        if let Some(db) = &db {
            all.push(("DATABASE_URL".into(), db.url.clone()));
        }
        for (k, v) in env {
            all.retain(|(key, _)| key != k);
            all.push((k.to_string(), v.to_string()));
        }
        let mut cluster = Cluster {
            fake,
            db,
            sandbox,
            sandbox_port,
            replicas: Vec::new(),
            env: all,
            api,
        };
        for _ in 0..replicas {
            cluster.add_replica().await;
        }
        cluster
    }

    /// Sets (or replaces) a variable for every replica started from now on.
    pub fn set_env(&mut self, key: &str, value: &str) {
        self.env.retain(|(k, _)| k != key);
        self.env.push((key.to_string(), value.to_string()));
    }

    /// The binary with the replicas' environment, run in `dir`.
    pub fn binary(&self, subcommand: &str) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.arg(subcommand).env_clear();
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd
    }

    /// A new replica, started; its index.
    pub async fn add_replica(&mut self) -> usize {
        self.replicas.push(Replica {
            process: Process {
                child: None,
                dir: tempfile::tempdir().unwrap(),
            },
            http_port: 0,
            metrics_port: 0,
        });
        let i = self.replicas.len() - 1;
        self.start_replica(i).await;
        i
    }

    /// Starts replica `i` (again) and waits until its HTTP endpoints answer.
    pub async fn start_replica(&mut self, i: usize) {
        assert!(!self.replicas[i].is_running(), "replica {i} is running");
        let cmd = self.binary("run");
        let r = &mut self.replicas[i];
        let from = r.process.log().len();
        r.process.spawn(cmd);
        r.http_port = r.process.bound(from, "http").await;
        r.metrics_port = r.process.bound(from, "metrics").await;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let url = format!("http://127.0.0.1:{}/healthz", self.replicas[i].http_port);
            if self
                .api
                .get(url)
                .send()
                .await
                .is_ok_and(|r| r.status() == 200)
            {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "replica {i} never healthy:\n{}",
                self.replicas[i].log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// SIGKILL: the process dies with whatever it held.
    pub fn kill(&mut self, i: usize) {
        let p = &mut self.replicas[i].process;
        p.signal("-KILL");
        p.wait(Duration::from_secs(10));
    }

    /// SIGTERM without waiting (a rolling deploy's signal); see `wait_exit`.
    pub fn sigterm(&self, i: usize) {
        self.replicas[i].process.signal("-TERM");
    }

    /// Waits (bounded) for replica `i` to exit; its exit code.
    pub fn wait_exit(&mut self, i: usize, timeout: Duration) -> Option<i32> {
        self.replicas[i].process.wait(timeout)
    }

    /// SIGTERM and wait (≤ 20 s); the exit code.
    pub fn stop(&mut self, i: usize) -> Option<i32> {
        self.sigterm(i);
        self.wait_exit(i, Duration::from_secs(20))
    }

    /// Replica `i`'s `/readyz` status and body; `None` when it does not answer.
    pub async fn readyz(&self, i: usize) -> Option<(u16, Value)> {
        let url = format!("http://127.0.0.1:{}/readyz", self.replicas[i].http_port);
        let r = self
            .api
            .get(url)
            .timeout(Duration::from_secs(2))
            .send()
            .await
            .ok()?;
        let status = r.status().as_u16();
        Some((status, r.json().await.unwrap_or(Value::Null)))
    }

    /// Replica `i`'s `roles` (`/readyz`), `Null` when it does not answer.
    pub async fn roles(&self, i: usize) -> Value {
        self.readyz(i)
            .await
            .map_or(Value::Null, |(_, body)| body["roles"].clone())
    }

    /// The running replicas that hold `role` ("pipeline", "registration" or "gateway").
    pub async fn holders(&self, role: &str) -> Vec<usize> {
        let mut out = Vec::new();
        for i in 0..self.replicas.len() {
            if !self.replicas[i].is_running() {
                continue;
            }
            let roles = self.roles(i).await;
            let state = match &roles[role] {
                Value::Object(o) => o.get("state").cloned().unwrap_or(Value::Null),
                other => other.clone(),
            };
            if state == "held" {
                out.push(i);
            }
        }
        out
    }

    /// Waits (bounded) until exactly one running replica holds `role`; which.
    pub async fn wait_holder(&self, role: &str, timeout: Duration) -> Option<usize> {
        let deadline = Instant::now() + timeout;
        loop {
            if let [one] = self.holders(role).await[..] {
                return Some(one);
            }
            if Instant::now() >= deadline {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// POSTs a signed webhook (`event`, signed with `WEBHOOK_SECRET`) to replica `i`; the
    /// status.
    pub async fn post_webhook(&self, i: usize, event: &Value) -> u16 {
        let secret = paradarum_bot::signing::WebhookSecret::parse(WEBHOOK_SECRET).unwrap();
        let body = serde_json::to_vec(event).unwrap();
        let id = event["id"].as_str().unwrap_or("evt_0");
        let ts = chrono::Utc::now().timestamp();
        let url = format!(
            "http://127.0.0.1:{}/webhooks/paradarum",
            self.replicas[i].http_port
        );
        self.api
            .post(url)
            .header("content-type", "application/json")
            .header("webhook-id", id)
            .header("webhook-timestamp", ts.to_string())
            .header("webhook-signature", secret.sign(id, ts, &body))
            .body(body)
            .send()
            .await
            .map_or(0, |r| r.status().as_u16())
    }

    /// Every replica's log, labelled, for failure messages.
    pub fn logs(&self) -> String {
        let mut out = format!("--- sandbox\n{}", self.sandbox.log());
        for (i, r) in self.replicas.iter().enumerate() {
            out.push_str(&format!("\n--- replica {i}\n{}", r.log()));
        }
        out
    }

    // ---- the ticket API (the sandbox process), as staff -------------------------------

    async fn sandbox_post(&self, token: &str, path: &str, body: Value) -> Value {
        let r = self
            .api
            .post(format!("http://127.0.0.1:{}/{path}", self.sandbox_port))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{path}: {}", r.status());
        r.json().await.unwrap_or(Value::Null)
    }

    /// A customer account on the sandbox; its API token.
    pub async fn customer(&self, name: &str) -> String {
        let v = self
            .sandbox_post(ADMIN, "v1/sandbox/accounts", json!({"name": name}))
            .await;
        v["token"].as_str().unwrap().to_string()
    }

    /// A ticket opened by `customer`; its id.
    pub async fn open_ticket(&self, customer: &str, subject: &str) -> u64 {
        let v = self
            .sandbox_post(
                customer,
                "v1/tickets",
                json!({"topic": 0, "subject": subject, "message": "m"}),
            )
            .await;
        v["id"].as_u64().unwrap()
    }

    /// Staff moves ticket `id` to `status` (2: Resolved).
    pub async fn set_status(&self, id: u64, status: u8) {
        self.sandbox_post(
            ADMIN,
            &format!("v1/tickets/{id}/status"),
            json!({"status": status}),
        )
        .await;
    }

    // ---- Discord users ----------------------------------------------------------------

    /// `/ticket <sub>` as `user` in `guild` (`None`: a DM), dispatched to whichever
    /// sessions the fake routes it to.
    pub fn command(&self, user: &User, guild: Option<u64>, sub: &str, options: Value) -> Sent {
        ticket_command(&self.fake, user, guild, sub, options)
    }

    /// Waits (bounded) for the initial response to `sent`; whether it came.
    pub async fn answered(&self, sent: &Sent, timeout: Duration) -> bool {
        let path = format!("/interactions/{}/{}/callback", sent.id, sent.token);
        self.fake
            .wait_for(timeout, |rs| {
                rs.iter()
                    .any(|r| r.path == path && r.status == 204)
                    .then_some(())
            })
            .await
            .is_some()
    }

    /// The text of everything the bot answered `sent` with (callback data, followups,
    /// edits), joined.
    pub fn answer_text(&self, sent: &Sent) -> String {
        self.fake
            .recorded()
            .iter()
            .filter(|r| r.path.contains(&sent.token) && r.status < 300)
            .map(|r| {
                let body = if r.body.get("data").is_some() {
                    &r.body["data"]
                } else {
                    &r.body
                };
                super::text_of(body)
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// `/ticket link` with `token` through its form, as `user`; the text the bot answered
    /// the form with.
    pub async fn link(&self, user: &User, token: &str) -> String {
        let slash = self.command(user, Some(GUILD_ID), "link", json!([]));
        let path = format!("/interactions/{}/{}/callback", slash.id, slash.token);
        let modal = self
            .fake
            .wait_for(Duration::from_secs(10), |rs| {
                rs.iter()
                    .find(|r| r.path == path && r.status == 204)
                    .map(|r| r.body.clone())
            })
            .await
            .unwrap_or_else(|| panic!("no answer to /ticket link\n{}", self.logs()));
        assert_eq!(modal["type"], 9, "a form: {modal}");
        let cid = modal["data"]["custom_id"].as_str().unwrap().to_string();
        let (sub, mut v) = interaction_base(&self.fake, 5, user, Some(GUILD_ID), Duration::ZERO);
        v["data"] = json!({"custom_id": cid, "components": [{"type": 1, "components": [
            {"type": 4, "custom_id": "token", "value": token}]}]});
        self.fake.dispatch_interaction(v);
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let text = self.answer_text(&sub);
            if text.contains("Linked") || Instant::now() >= deadline {
                return text;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Ticket ids announced in the staff channel, with how many times each.
    pub fn staff_announcements(&self) -> std::collections::BTreeMap<u64, usize> {
        let mut counts = std::collections::BTreeMap::new();
        for (channel, body) in self.fake.inner.channel_messages.lock().unwrap().iter() {
            if *channel != STAFF_CHANNEL {
                continue;
            }
            for id in super::announced_ids(body) {
                *counts.entry(id).or_insert(0) += 1;
            }
        }
        counts
    }

    /// How many REST answers were 429.
    pub fn too_many_requests(&self) -> usize {
        self.fake
            .recorded()
            .iter()
            .filter(|r| r.status == 429)
            .count()
    }
}

async fn integration_token(api: &reqwest::Client, port: u16) -> String {
    let v: Value = api
        .post(format!("http://127.0.0.1:{port}/v1/sandbox/tokens"))
        .bearer_auth(ADMIN)
        .json(&json!({"scopes": ["events:read", "tickets:read", "tickets:topic"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["token"].as_str().unwrap().to_string()
}

/// `/ticket <sub>` as `user` in `guild` (`None`: a DM), dispatched through `fake` (which
/// may be moved into a task, unlike the cluster).
pub fn ticket_command(
    fake: &FakeDiscord,
    user: &User,
    guild: Option<u64>,
    sub: &str,
    options: Value,
) -> Sent {
    let (sent, mut v) = interaction_base(fake, 2, user, guild, Duration::ZERO);
    v["data"] = json!({
        "id": "1", "name": "ticket", "type": 1,
        "options": [{"type": 1, "name": sub, "options": options}],
    });
    fake.dispatch_interaction(v);
    sent
}

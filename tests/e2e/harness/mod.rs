//! Starts the fake Discord and the real bot binary (temporary database, the embedded
//! sandbox on a random port) and drives them as Discord users would. This file: the bot's
//! lifecycle (start, restart, stop, its log, health and metrics endpoints); the parts:
//!
//! - `interactions`: interactions sent as Discord users, and the bot's answers to them;
//! - `sandbox`: the embedded sandbox as staff, and a sandbox of the test's own;
//! - `proxy`: a ticket API proxy that can be slowed, stopped or made to fail;
//! - `text`: what a message shows (text, buttons, ticket ids);
//! - `bound`: the ports the bot bound on port 0, read from its log;
//! - `cluster`: several replicas as one bot, with PostgreSQL and a sandbox process (#12).

mod bound;
#[allow(dead_code)] // benches/bench.rs includes this harness but not the cluster
pub mod cluster;
mod interactions;
mod proxy;
mod sandbox;
mod text;

// What the tests name; benches/bench.rs includes this harness too and uses only part of it.
#[allow(unused_imports)]
pub use interactions::interaction_base;
#[allow(unused_imports)]
pub use proxy::{ApiProxy, ProxyMode};
pub use sandbox::external_sandbox;
#[allow(unused_imports)]
pub use text::{announced_ids, buttons, text_of, ticket_id_in};

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

use crate::fake_discord::{FakeDiscord, Recorded, GUILD_ID};
use bound::bound_ports;

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
    /// The ports the bot bound: it first starts on port 0 and logs what it bound, which
    /// `spawn` reads back; a restart asks for the same ports again, as a deployment's
    /// configuration would. `metrics_port` is where `/metrics` is served
    /// (`METRICS_LISTEN`), apart from the public endpoints; 0 when metrics are off.
    pub http_port: u16,
    pub metrics_port: u16,
    /// The ticket API's: the embedded sandbox's, or one a test set (an external sandbox).
    pub sandbox_port: u16,
    /// The embedded sandbox's (`SANDBOX_LISTEN`), 0 until it has bound one.
    embedded_sandbox_port: u16,
    extra_env: Vec<(String, String)>,
    /// Per user: the `locale` (and in a server `guild_locale`) their interactions carry,
    /// instead of en-US.
    pub(crate) locales: std::sync::Mutex<std::collections::HashMap<u64, (String, String)>>,
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
            http_port: 0,
            metrics_port: 0,
            sandbox_port: 0,
            embedded_sandbox_port: 0,
            extra_env: env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            locales: Default::default(),
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
            // Port 0 at the first start: the system picks a free port, and `spawn` reads
            // it from the log.
            .env("METRICS_LISTEN", format!("127.0.0.1:{}", self.metrics_port))
            .env(
                "SANDBOX_LISTEN",
                format!("127.0.0.1:{}", self.embedded_sandbox_port),
            )
            .env("PARADARUM_BOT__DISCORD__OPEN_COOLDOWN_SECS", "0")
            .env("PARADARUM_BOT__API__REQUEST_TIMEOUT_MS", "2000")
            .env("PARADARUM_BOT__API__RETRY_BUDGET_MS", "500")
            .env(
                "RUST_LOG",
                "info,paradarum_bot=debug,serenity::gateway=debug",
            );
        // With a remote ticket API the bot takes SANDBOX_ADMIN_TOKEN as that API's sandbox
        // admin token: a test of "Paradarum" (an external sandbox standing in) sets it
        // only when it means to.
        if !self.extra_env.iter().any(|(k, _)| k == "PARADARUM_API_URL") {
            cmd.env("SANDBOX_ADMIN_TOKEN", ADMIN);
        }
        for (k, v) in &self.extra_env {
            cmd.env(k, v);
        }
        for k in &self.unset_env {
            cmd.env_remove(k);
        }
        cmd
    }

    /// Starts the binary, waits until it has registered its commands, and reads back the
    /// ports it bound.
    pub async fn spawn(&mut self) {
        let registrations_before = self.registrations();
        let log_before = self.log().len();
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
        // Every listener is bound and logged before the gateway connects.
        let log = self.log();
        let bound = bound_ports(log.get(log_before..).unwrap_or_default());
        let port = |name: &str| bound.iter().find(|(l, _)| l == name).map(|(_, p)| *p);
        self.http_port =
            port("http").unwrap_or_else(|| panic!("no HTTP address in the log:\n{log}"));
        // Absent when metrics are off, or the ticket API is not the embedded sandbox.
        self.metrics_port = port("metrics").unwrap_or(0);
        if let Some(p) = port("sandbox") {
            self.sandbox_port = p;
            self.embedded_sandbox_port = p;
        }
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

    pub fn kill_hard(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// The bot's process id, to sample its memory and CPU.
    #[allow(dead_code)] // only benches/bench.rs reads it
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(|c| c.id())
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

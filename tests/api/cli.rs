//! The real binary: `check-config`, `gen-key`, `sandbox`, `run`, `healthcheck`, and a
//! clean exit on SIGTERM.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::bound::bound_ports;
use crate::helpers::free_port;

const BIN: &str = env!("CARGO_BIN_EXE_paradarum-bot");

/// The binary with an empty environment in a fresh directory (no stray `.env`).
pub(crate) fn bot(dir: &std::path::Path) -> Command {
    let mut c = Command::new(BIN);
    c.env_clear().current_dir(dir).env("RUST_LOG", "warn");
    c
}

/// A running binary whose log (stderr) is read as it comes: the addresses it bound on
/// port 0 are waited for, and the whole log is still there at the end. Dropping it stops
/// the process, even when an assertion fails midway.
pub(crate) struct Logged {
    child: Child,
    lines: mpsc::Receiver<String>,
    log: String,
}

impl Logged {
    pub(crate) fn spawn(cmd: &mut Command) -> Logged {
        let mut child = cmd.stderr(Stdio::piped()).spawn().unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        Logged {
            child,
            lines,
            log: String::new(),
        }
    }

    /// The address `listener` (`http`, `metrics`, `sandbox`) was bound on, waiting up to 20 s.
    pub(crate) fn bound(&mut self, listener: &str) -> SocketAddr {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some((_, port)) = bound_ports(&self.log)
                .into_iter()
                .find(|(l, _)| l == listener)
            {
                return SocketAddr::from(([127, 0, 0, 1], port));
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.log.push_str(&line);
                    self.log.push('\n');
                }
                Err(_) => panic!("no {listener} address logged in time:\n{}", self.log),
            }
        }
    }

    /// The whole log, once the process has exited (its stderr closed), waiting up to 5 s.
    fn rest_of_log(mut self) -> String {
        let deadline = Instant::now() + Duration::from_secs(5);
        while let Ok(line) = self
            .lines
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            self.log.push_str(&line);
            self.log.push('\n');
        }
        std::mem::take(&mut self.log)
    }
}

impl Drop for Logged {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn check_config_lists_every_problem_at_once_and_exits_non_zero() {
    let dir = tempfile::tempdir().unwrap();
    let out = bot(dir.path())
        .arg("check-config")
        .env("DISCORD_GUILD_ID", "not-a-number")
        .env("PARADARUM_API_URL", "ftp://example")
        .env("HTTP_LISTEN", "nowhere")
        .env("BOT_SECRET_KEY", "short")
        .env("MODERATOR_ROLE_IDS", "12,abc")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let t = text(&out);
    for needle in [
        "DISCORD_GUILD_ID",
        "PARADARUM_API_URL",
        "HTTP_LISTEN",
        "BOT_SECRET_KEY",
        "MODERATOR_ROLE_IDS",
        "5 configuration problem(s)",
    ] {
        assert!(t.contains(needle), "missing {needle} in:\n{t}");
    }
}

#[test]
fn running_the_bot_without_a_discord_token_says_how_to_fix_it() {
    let dir = tempfile::tempdir().unwrap();
    for cmd in ["run", "check-config"] {
        let out = bot(dir.path()).arg(cmd).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{cmd}");
        let t = text(&out);
        assert!(
            t.contains("DISCORD_TOKEN is not set") && t.contains(".env"),
            "{t}"
        );
    }
    // The sandbox alone needs no Discord token.
    let mut sandbox = Logged::spawn(
        bot(dir.path())
            .arg("sandbox")
            .env("SANDBOX_LISTEN", "127.0.0.1:0")
            .env("RUST_LOG", "info")
            .stdout(Stdio::null()),
    );
    let addr = sandbox.bound("sandbox");
    assert!(wait_http(&format!("http://{addr}/healthz"), Duration::from_secs(20)).is_some());
    assert_eq!(terminate(&mut sandbox.child), Some(0));
}

#[test]
fn commands_prints_the_registration_json_without_a_token_or_network() {
    let dir = tempfile::tempdir().unwrap();
    let out = bot(dir.path()).arg("commands").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["name"], "ticket");
}

#[test]
fn check_config_prints_what_is_enabled_with_secrets_redacted() {
    let dir = tempfile::tempdir().unwrap();
    let out = bot(dir.path())
        .arg("check-config")
        .env("DISCORD_TOKEN", "MTIzNDU2.very-secret-token")
        .env("SANDBOX_ADMIN_TOKEN", "admin-very-secret")
        .env("DISCORD_GUILD_ID", "123456789")
        .output()
        .unwrap();
    let t = text(&out);
    assert_eq!(out.status.code(), Some(0), "{t}");
    assert!(t.contains("embedded sandbox"));
    assert!(t.contains("commands registered in guild 123456789"));
    assert!(t.contains("[redacted]"));
    assert!(!t.contains("very-secret"), "{t}");
}

#[test]
fn a_dotenv_file_in_the_working_directory_is_loaded() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".env"),
        "DISCORD_TOKEN=abc\nDISCORD_GUILD_ID=987654321\n",
    )
    .unwrap();
    let out = bot(dir.path()).arg("check-config").output().unwrap();
    assert!(text(&out).contains("guild 987654321"), "{}", text(&out));
}

#[test]
fn gen_key_prints_32_random_bytes_in_base64() {
    use base64::Engine as _;
    let dir = tempfile::tempdir().unwrap();
    let a = bot(dir.path()).arg("gen-key").output().unwrap();
    let b = bot(dir.path()).arg("gen-key").output().unwrap();
    let a = String::from_utf8(a.stdout).unwrap();
    let b = String::from_utf8(b.stdout).unwrap();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(a.trim())
        .unwrap();
    assert_eq!(bytes.len(), 32);
    assert_ne!(a, b);
}

fn wait_http(url: &str, timeout: Duration) -> Option<reqwest::blocking::Response> {
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if let Ok(r) = client.get(url).send() {
            return Some(r);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

fn terminate(child: &mut Child) -> Option<i32> {
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    None
}

#[test]
fn run_serves_health_and_the_sandbox_then_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    // Discord is a closed port here (nothing listens on it): the bot must still serve,
    // report the gateway as not ready, and stop cleanly.
    let mut running = Logged::spawn(
        bot(dir.path())
            .arg("run")
            .env("DISCORD_TOKEN", "test.token")
            .env(
                "DISCORD_PROXY_URL",
                format!("http://127.0.0.1:{}", free_port()),
            )
            // Port 0 for all three (not the fixed defaults): test runs side by side never
            // collide, and the bot logs what it bound.
            .env("HTTP_LISTEN", "127.0.0.1:0")
            .env("SANDBOX_LISTEN", "127.0.0.1:0")
            .env("METRICS_LISTEN", "127.0.0.1:0")
            .env("SANDBOX_ADMIN_TOKEN", "adm")
            .env("RUST_LOG", "info")
            .stdout(Stdio::null()),
    );
    let http = running.bound("http").port();
    let sandbox = running.bound("sandbox").port();
    assert_ne!(running.bound("metrics").port(), http);

    let health = wait_http(
        &format!("http://127.0.0.1:{http}/healthz"),
        Duration::from_secs(20),
    );
    assert_eq!(health.map(|r| r.status().as_u16()), Some(200));
    let ready = wait_http(
        &format!("http://127.0.0.1:{http}/readyz"),
        Duration::from_secs(5),
    )
    .expect("readyz answers");
    assert_eq!(ready.status().as_u16(), 503);
    let body: serde_json::Value = ready.json().unwrap();
    assert_eq!(body["gateway"], "disconnected");
    assert_eq!(body["store"], "ok");
    // On SQLite the one process holds every role.
    assert!(
        body["replica"].as_str().is_some_and(|r| !r.is_empty()),
        "{body}"
    );
    assert_eq!(body["roles"]["pipeline"], "held");
    assert_eq!(body["roles"]["registration"], "held");
    assert_eq!(
        body["roles"]["gateway"],
        serde_json::json!({"state": "held", "shards": [0, 0], "groups": [0], "of": 1})
    );

    // The embedded sandbox answers on its port with the configured admin token.
    let resp = reqwest::blocking::Client::new()
        .post(format!("http://127.0.0.1:{sandbox}/v1/sandbox/accounts"))
        .bearer_auth("adm")
        .json(&serde_json::json!({"name": "Carol"}))
        .send()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 201);

    let hc = bot(dir.path())
        .arg("healthcheck")
        .env("HTTP_LISTEN", format!("127.0.0.1:{http}"))
        .output()
        .unwrap();
    assert_eq!(hc.status.code(), Some(0), "{}", text(&hc));

    assert_eq!(terminate(&mut running.child), Some(0));
    let log = running.rest_of_log();
    assert!(log.contains("EMBEDDED SANDBOX"), "{log}");
    assert!(log.contains("stopped cleanly"), "{log}");
    assert!(dir.path().join("data/paradarum-bot.db").exists());
    assert!(dir.path().join("data/secret.key").exists());

    // Once stopped, the health check fails.
    let hc = bot(dir.path())
        .arg("healthcheck")
        .env("HTTP_LISTEN", format!("127.0.0.1:{http}"))
        .output()
        .unwrap();
    assert_eq!(hc.status.code(), Some(1));
}

#[test]
fn the_sandbox_subcommand_serves_the_api_and_keeps_data_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    // On port 0 each run has its own address, read from its log.
    let start = || {
        let mut sandbox = Logged::spawn(
            bot(dir.path())
                .arg("sandbox")
                .env("SANDBOX_LISTEN", "127.0.0.1:0")
                .env("SANDBOX_ADMIN_TOKEN", "adm")
                .env("RUST_LOG", "info")
                .stdout(Stdio::null()),
        );
        let base = format!("http://{}", sandbox.bound("sandbox"));
        (sandbox, base)
    };
    let (mut sandbox, base) = start();
    assert!(wait_http(&format!("{base}/healthz"), Duration::from_secs(20)).is_some());
    let http = reqwest::blocking::Client::new();
    let acc: serde_json::Value = http
        .post(format!("{base}/v1/sandbox/accounts"))
        .bearer_auth("adm")
        .json(&serde_json::json!({"name": "Dana"}))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let token = acc["token"].as_str().unwrap().to_string();
    let created = http
        .post(format!("{base}/v1/tickets"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"topic": 4, "subject": "TLS", "message": "expired"}))
        .send()
        .unwrap();
    assert_eq!(created.status().as_u16(), 201);
    assert_eq!(terminate(&mut sandbox.child), Some(0));

    let (mut sandbox, base) = start();
    assert!(wait_http(&format!("{base}/healthz"), Duration::from_secs(20)).is_some());
    let listed: serde_json::Value = http
        .get(format!("{base}/v1/tickets"))
        .bearer_auth(&token)
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    assert_eq!(listed["items"][0]["topic"], 4);
    assert_eq!(terminate(&mut sandbox.child), Some(0));
}

#[test]
fn a_taken_port_fails_start_up_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let out = bot(dir.path())
        .arg("run")
        .env("DISCORD_TOKEN", "test.token")
        .env(
            "DISCORD_PROXY_URL",
            format!("http://127.0.0.1:{}", free_port()),
        )
        .env("HTTP_LISTEN", format!("127.0.0.1:{port}"))
        .env("SANDBOX_LISTEN", "127.0.0.1:0")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let t = text(&out);
    assert!(
        t.contains("cannot listen on") && t.contains("HTTP_LISTEN"),
        "{t}"
    );
}

// Multi-threaded: the sandbox serves while this thread waits for the binary.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_config_online_reports_the_apis_extensions_and_the_tokens_scopes() {
    let api = crate::helpers::TestSandbox::spawn().await;
    let token = api.staff(&["events:read", "tickets:read"]).await;
    let dir = tempfile::tempdir().unwrap();
    let out = bot(dir.path())
        .args(["check-config", "--online"])
        .env("DISCORD_TOKEN", "x")
        // Credentials in a URL are never printed.
        .env("DISCORD_PROXY_URL", "http://user:hunter2@127.0.0.1:9/")
        .env("PARADARUM_API_URL", api.base.as_str())
        .env("PARADARUM_API_TOKEN", crate::helpers::expose(&token))
        .env(
            "BOT_SECRET_KEY",
            paradarum_bot::config::SecretKey::generate_text(),
        )
        .output()
        .unwrap();
    let t = text(&out);
    assert_eq!(out.status.code(), Some(0), "{t}");
    assert!(
        t.contains(
            "extensions events.after_latest, events.since, token.introspection, \
             tickets.idempotent_writes"
        ),
        "{t}"
    );
    assert!(
        t.contains("PARADARUM_API_TOKEN: integration token, scopes: events:read tickets:read"),
        "{t}"
    );
    assert!(t.contains("without tickets:topic, /ticket escalate"), "{t}");
    assert!(!t.contains("hunter2"), "{t}");

    // A token the API does not know is called out; the API's URL credentials are not
    // printed either.
    let with_credentials = api.base.as_str().replace("http://", "http://user:hunter2@");
    let out = bot(dir.path())
        .args(["check-config", "--online"])
        .env("DISCORD_TOKEN", "x")
        .env("PARADARUM_API_URL", &with_credentials)
        .env("PARADARUM_API_TOKEN", "sbx_int_unknown")
        .env(
            "BOT_SECRET_KEY",
            paradarum_bot::config::SecretKey::generate_text(),
        )
        .output()
        .unwrap();
    assert!(
        text(&out).contains("refused by the API (401)"),
        "{}",
        text(&out)
    );
}

#[test]
fn a_generated_sandbox_admin_token_goes_to_a_private_file_not_to_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let mut sandbox = Logged::spawn(
        bot(dir.path())
            .arg("sandbox")
            .env("SANDBOX_LISTEN", "127.0.0.1:0")
            .env("RUST_LOG", "info")
            .stdout(Stdio::piped()),
    );
    let addr = sandbox.bound("sandbox");
    let health = wait_http(&format!("http://{addr}/healthz"), Duration::from_secs(20));
    assert_eq!(health.map(|r| r.status().as_u16()), Some(200));
    let path = dir.path().join("data/sandbox-admin.token");
    let token = std::fs::read_to_string(&path).unwrap();
    assert!(token.starts_with("sbx_adm_"), "{token}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let resp = reqwest::blocking::Client::new()
        .post(format!("http://{addr}/v1/sandbox/accounts"))
        .bearer_auth(token.trim())
        .json(&serde_json::json!({"name": "Dana"}))
        .send()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 201);
    assert_eq!(terminate(&mut sandbox.child), Some(0));
    let mut stdout = String::new();
    if let Some(mut out) = sandbox.child.stdout.take() {
        std::io::Read::read_to_string(&mut out, &mut stdout).unwrap();
    }
    let log = format!("{stdout}{}", sandbox.rest_of_log());
    assert!(!log.contains(token.trim()), "the token was printed: {log}");
    assert!(log.contains("sandbox-admin.token"), "{log}");
}

#[tokio::test]
async fn check_config_counts_links_by_the_key_that_opens_them_and_changes_nothing() {
    use paradarum_bot::config::SecretKey;
    use paradarum_bot::crypto::TokenCipher;
    use paradarum_bot::store::discord::LinkRecord;
    use paradarum_bot::store::Store;

    let dir = tempfile::tempdir().unwrap();
    let (old, current, lost) = (
        SecretKey::generate_text(),
        SecretKey::generate_text(),
        SecretKey::generate_text(),
    );
    let check = |current_key: Option<&str>, previous: &str| {
        let mut c = bot(dir.path());
        c.arg("check-config")
            .env("DISCORD_TOKEN", "x")
            .env("BOT_SECRET_KEY_PREVIOUS", previous);
        if let Some(k) = current_key {
            c.env("BOT_SECRET_KEY", k);
        }
        let out = c.output().unwrap();
        let t = text(&out);
        assert_eq!(out.status.code(), Some(0), "{t}");
        for secret in [&old, &current, &lost] {
            assert!(!t.contains(secret.as_str()), "a key was printed: {t}");
        }
        assert!(!t.contains("plain-token"), "a token was printed: {t}");
        t.lines()
            .find(|l| l.contains("linked users:"))
            .unwrap_or_else(|| panic!("no count in {t}"))
            .trim()
            .to_string()
    };

    // No database yet: nothing to count, and nothing is created.
    assert_eq!(
        check(Some(&current), ""),
        "linked users:  0 (no database yet)"
    );
    let db = dir.path().join("data/paradarum-bot.db");
    assert!(!db.exists());

    // Two users sealed with the current key, three with the old one, one with a lost key.
    let store = Store::open(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    let sealers = [(&current, 2), (&old, 3), (&lost, 1)];
    let mut uid = 0u64;
    for (key, n) in sealers {
        let cipher = TokenCipher::new(SecretKey::parse(key).unwrap().expose(), []);
        for _ in 0..n {
            uid += 1;
            let sealed = cipher
                .encrypt(format!("plain-token-{uid}").as_bytes(), &uid.to_be_bytes())
                .unwrap();
            let link = LinkRecord {
                account_id: format!("acc_{uid}"),
                account_name: "Acme".into(),
                sealed_token: sealed,
                unreadable_since: None,
            };
            store.discord().save_link(uid, &link).await.unwrap();
        }
    }
    let mut before = Vec::new();
    for u in 1..=uid {
        before.push(store.discord().link(u).await.unwrap());
    }
    store.close().await;

    assert_eq!(
        check(Some(&current), &old),
        "linked users:  6 (3 sealed with a previous key, 1 that no configured key opens — \
         those users must link again)"
    );
    assert_eq!(
        check(Some(&current), ""),
        "linked users:  6 (4 that no configured key opens — those users must link again)"
    );
    assert_eq!(
        check(Some(&old), &format!("{lost}, {current}")),
        "linked users:  6 (3 sealed with a previous key)"
    );
    // On the sandbox without BOT_SECRET_KEY, the generated key is the current one.
    std::fs::write(dir.path().join("data/secret.key"), &current).unwrap();
    assert_eq!(
        check(None, &format!("{old},{lost}")),
        "linked users:  6 (4 sealed with a previous key)"
    );

    // Counting re-sealed nothing and marked nothing.
    let store = Store::open(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    for (u, was) in (1..=uid).zip(before) {
        assert_eq!(store.discord().link(u).await.unwrap(), was, "user {u}");
    }
    store.close().await;
}

#[test]
fn check_config_redacts_a_postgres_password_and_warns_about_the_embedded_sandbox() {
    let dir = tempfile::tempdir().unwrap();
    let out = bot(dir.path())
        .arg("check-config")
        .env("DISCORD_TOKEN", "MTIzNDU2.very-secret-token")
        .env(
            "DATABASE_URL",
            "postgres://bot:pg-very-secret@127.0.0.1:1/bot",
        )
        .output()
        .unwrap();
    let t = text(&out);
    assert!(!t.contains("pg-very-secret"), "{t}");
    assert!(t.contains("postgres://redacted@127.0.0.1:1/bot"), "{t}");
    assert!(
        t.contains("the embedded sandbox is single-process: with PostgreSQL and several replicas"),
        "{t}"
    );
    let out = bot(dir.path())
        .arg("check-config")
        .env("DATABASE_URL", "mysql://127.0.0.1/bot")
        .output()
        .unwrap();
    assert!(
        text(&out).contains("use a sqlite: or postgres:// URL"),
        "{}",
        text(&out)
    );
}

#[tokio::test]
#[ignore = "needs PostgreSQL (127.0.0.1:5432); .ci/run runs it"]
async fn migrate_store_moves_a_used_sqlite_installation_into_postgres_once() {
    use paradarum_bot::store::discord::LinkRecord;
    use paradarum_bot::store::Store;
    let dir = tempfile::tempdir().unwrap();
    let from = format!("sqlite://{}/data/paradarum-bot.db", dir.path().display());
    let pg = crate::helpers::PgDb::new();
    let store = Store::open(&from).await.unwrap();
    let link = LinkRecord {
        account_id: "acc_1".into(),
        account_name: "Acme".into(),
        sealed_token: vec![9, 8, 7],
        unreadable_since: None,
    };
    store.discord().save_link(42, &link).await.unwrap();
    store
        .put_state("events.cursor:b", "evt_000000000007")
        .await
        .unwrap();
    store
        .notify()
        .remember_opener("b", 7, "acc_1", 42)
        .await
        .unwrap();
    let (_, sqlite) = ((), sqlx::SqlitePool::connect(&from).await.unwrap());
    sqlx::query("INSERT INTO sandbox_accounts (id, name, created_at) VALUES ('acc_1', 'Acme', 1)")
        .execute(&sqlite)
        .await
        .unwrap();
    sqlite.close().await;
    store.close().await;

    let migrate = |from: &str, to: &str| {
        let out = bot(dir.path())
            .args(["migrate-store", "--from", from, "--to", to])
            .output()
            .unwrap();
        (out.status.code(), text(&out))
    };
    let to = pg.url_as("postgres:pg-very-secret");
    let (code, t) = migrate(&from, &to);
    assert_eq!(code, Some(0), "{t}");
    assert!(!t.contains("pg-very-secret"), "{t}");
    for line in [
        "discord_links        1",
        "ticket_openers       1",
        "kv_state             1",
    ] {
        assert!(t.contains(line), "no `{line}` in {t}");
    }
    assert!(t.contains("set sandbox.database_url"), "{t}");

    let copied = Store::open(&pg.url_as("postgres")).await.unwrap();
    assert_eq!(copied.discord().link(42).await.unwrap(), Some(link));
    assert_eq!(
        copied
            .get_state("events.cursor:b")
            .await
            .unwrap()
            .as_deref(),
        Some("evt_000000000007")
    );
    copied.close().await;

    // Again: refused, nothing changed.
    let (code, t) = migrate(&from, &to);
    assert_ne!(code, Some(0), "{t}");
    assert!(
        t.contains("already holds data") && t.contains("nothing was changed"),
        "{t}"
    );
    // The wrong way round.
    let (code, t) = migrate(&to, &from);
    assert_ne!(code, Some(0), "{t}");
    assert!(t.contains("must be a SQLite database"), "{t}");
}

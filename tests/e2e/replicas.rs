//! Replicas (#12): several `paradarum-bot run` processes on one PostgreSQL database work as
//! one bot, against a fake Discord that holds several gateway sessions and records each.
//!
//! The seven scenarios of #12 need PostgreSQL and a bot that supports it and its roles;
//! they are ignored in plain `cargo test`. Run them with
//! `cargo test --test e2e replicas -- --ignored`. The tests without `#[ignore]` check the
//! fake's gateway and the cluster harness against the bot as it is today (one process).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::fake_discord::{shard_of, FakeDiscord, Session, APP_ID, GUILD_ID};
use crate::harness::cluster::{ticket_command, Cluster, PgDb, Storage, STAFF_CHANNEL};
use crate::harness::{alice, announced_ids, Sent, User};

/// A guild whose events Discord sends to `shard` of `total`.
fn guild_on_shard(shard: u64, total: u64) -> u64 {
    (0..total)
        .map(|j| GUILD_ID + (j << 22))
        .find(|g| shard_of(Some(*g), total) == shard)
        .unwrap()
}

/// The live sessions by shard, as `[id, total] → count`.
fn live_counts(fake: &FakeDiscord) -> BTreeMap<[u64; 2], usize> {
    fake.live_by_shard()
        .into_iter()
        .map(|(k, v)| (k, v.len()))
        .collect()
}

/// Exactly one live session for each shard of `total`, and none else.
fn steady(fake: &FakeDiscord, total: u64) -> bool {
    let want: BTreeMap<[u64; 2], usize> = (0..total).map(|s| ([s, total], 1)).collect();
    live_counts(fake) == want
}

async fn wait_steady(c: &Cluster, total: u64, timeout: Duration) {
    let ok = c
        .fake
        .wait_sessions(timeout, |_| steady(&c.fake, total).then_some(()))
        .await;
    assert!(
        ok.is_some(),
        "not one live session per shard of {total} within {timeout:?}: live {:?}; sessions {:#?}\n{}",
        live_counts(&c.fake),
        c.fake.sessions(),
        c.logs()
    );
}

fn user(n: u64) -> User {
    User {
        id: 400_000_000_000_100_000 + n,
        name: "member",
        roles: vec![],
        admin: false,
    }
}

/// Interactions among `sent` that got no initial response.
fn unanswered(fake: &FakeDiscord, sent: &[Sent]) -> Vec<u64> {
    sent.iter()
        .filter(|s| !fake.answered(&s.token))
        .map(|s| s.id)
        .collect()
}

/// Ticket ids announced in the staff channel from message `from` on, with their counts.
fn staff_counts_from(c: &Cluster, from: usize) -> BTreeMap<u64, usize> {
    let mut counts = BTreeMap::new();
    let all = c.fake.inner.channel_messages.lock().unwrap().clone();
    for (channel, body) in all.iter().skip(from) {
        if *channel == STAFF_CHANNEL {
            for id in announced_ids(body) {
                *counts.entry(id).or_insert(0) += 1;
            }
        }
    }
    counts
}

fn channel_message_count(c: &Cluster) -> usize {
    c.fake.inner.channel_messages.lock().unwrap().len()
}

/// Waits (≤ 120 s) until no channel message came for `quiet` (earlier announcements, e.g.
/// of new tickets, have drained); how many there are then, to count from.
async fn after_quiet(c: &Cluster, quiet: Duration) -> usize {
    let deadline = Instant::now() + Duration::from_secs(120);
    let (mut n, mut since) = (channel_message_count(c), Instant::now());
    while since.elapsed() < quiet && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let now = channel_message_count(c);
        if now != n {
            (n, since) = (now, Instant::now());
        }
    }
    n
}

/// `ids` each exactly once in `counts`: (missing, repeated with their counts).
fn once_each(ids: &[u64], counts: &BTreeMap<u64, usize>) -> (Vec<u64>, Vec<(u64, usize)>) {
    let missing = ids
        .iter()
        .copied()
        .filter(|i| !counts.contains_key(i))
        .collect();
    let repeated = ids
        .iter()
        .filter_map(|i| counts.get(i).filter(|n| **n > 1).map(|n| (*i, *n)))
        .collect();
    (missing, repeated)
}

async fn wait_until(what: &str, timeout: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    while !done() {
        if Instant::now() >= deadline {
            eprintln!("timed out waiting for {what}");
            return false;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    true
}

// ---- the fake's own gateway, without the bot ------------------------------------------

async fn next_frame(rx: &mut tokio::sync::mpsc::UnboundedReceiver<Value>) -> Option<Value> {
    tokio::time::timeout(Duration::from_millis(200), rx.recv())
        .await
        .ok()
        .flatten()
}

fn fake_interaction(fake: &FakeDiscord, guild: Option<u64>) -> Value {
    let (_, mut v) = crate::harness::interaction_base(fake, 2, &alice(), guild, Duration::ZERO);
    v["data"] = json!({"id": "1", "name": "ticket", "type": 1,
        "options": [{"type": 1, "name": "list", "options": []}]});
    v
}

#[tokio::test]
async fn the_fake_routes_guild_interactions_by_discords_shard_formula_and_dms_to_shard_zero() {
    let fake = FakeDiscord::start().await;
    let (s0, mut rx0) = fake.identify_in_process([0, 2]).unwrap();
    let (s1, mut rx1) = fake.identify_in_process([1, 2]).unwrap();
    for rx in [&mut rx0, &mut rx1] {
        let ready = next_frame(rx).await.unwrap();
        assert_eq!(ready["t"], "READY");
    }
    // READY was 1 on each.
    let mut seq = [1u64, 1];
    for (guild, want) in [
        (Some(guild_on_shard(0, 2)), s0),
        (Some(guild_on_shard(1, 2)), s1),
        (None, s0),
    ] {
        let v = fake_interaction(&fake, guild);
        assert!(fake.dispatch_interaction(v.clone()));
        let (got, other) = if want == s0 {
            (&mut rx0, &mut rx1)
        } else {
            (&mut rx1, &mut rx0)
        };
        let frame = next_frame(got).await.expect("delivered to its shard");
        assert_eq!(frame["d"]["id"], v["id"]);
        let k = usize::from(want != s0);
        seq[k] += 1;
        assert_eq!(frame["s"], seq[k], "each session counts its own sequence");
        assert!(next_frame(other).await.is_none(), "not to the other shard");
        let d = fake.deliveries().pop().unwrap();
        assert_eq!(d.sessions, vec![want], "guild {guild:?}");
        assert_eq!(
            (d.guild, d.interaction_id.to_string()),
            (guild, v["id"].as_str().unwrap().to_string())
        );
        assert!(d.at.elapsed() < Duration::from_secs(5));
        // Acknowledged by nobody yet.
        assert!(!fake.answered(&d.token));
    }
    // A shard nobody holds: Discord would drop it; the fake records that.
    fake.drop_session(s1);
    assert!(!fake.dispatch_interaction(fake_interaction(&fake, Some(guild_on_shard(1, 2)))));
    assert!(fake.deliveries().pop().unwrap().sessions.is_empty());
    assert_eq!(fake.live_by_shard(), BTreeMap::from([([0, 2], vec![s0])]));
}

#[tokio::test]
async fn the_fake_delivers_to_both_sessions_of_a_shard_while_they_overlap_and_accepts_one_answer() {
    let fake = FakeDiscord::start().await;
    let (old, mut rx_old) = fake.identify_in_process([0, 1]).unwrap();
    let (new, mut rx_new) = fake.identify_in_process([0, 1]).unwrap();
    let v = fake_interaction(&fake, Some(GUILD_ID));
    assert!(fake.dispatch_interaction(v.clone()));
    let d = fake.deliveries().pop().unwrap();
    assert_eq!(d.sessions, vec![old, new]);
    for rx in [&mut rx_old, &mut rx_new] {
        let _ready = next_frame(rx).await.unwrap();
        assert_eq!(next_frame(rx).await.unwrap()["d"]["id"], v["id"]);
    }
    // Both replicas answer: the first wins, the second gets 40060.
    let url = format!(
        "{}/api/v10/interactions/{}/{}/callback",
        fake.url(),
        v["id"].as_str().unwrap(),
        d.token
    );
    let body = json!({"type": 4, "data": {"content": "hi", "flags": 64}});
    let http = reqwest::Client::new();
    let first = http.post(&url).json(&body).send().await.unwrap();
    assert_eq!(first.status(), 204);
    let second = http.post(&url).json(&body).send().await.unwrap();
    assert_eq!(second.status(), 400);
    let err: Value = second.json().await.unwrap();
    assert_eq!(err["code"], 40060);
    assert!(fake.answered(&d.token));
    // The overlap is on record, open until one of them closes.
    std::thread::sleep(Duration::from_millis(50));
    fake.drop_session(old);
    let overlaps = fake.overlaps();
    assert_eq!(overlaps.len(), 1, "{overlaps:?}");
    assert_eq!(overlaps[0].sessions, (old, new));
    assert_eq!(overlaps[0].shard, [0, 1]);
    assert!(overlaps[0].to.is_some());
    assert!(overlaps[0].length() >= Duration::from_millis(50));
    let sessions = fake.sessions();
    assert!(sessions[old].closed_at.is_some() && sessions[new].is_live());
    let _ = APP_ID;
}

#[tokio::test]
async fn the_fake_counts_identifies_against_the_budget_gateway_bot_reports() {
    let fake = FakeDiscord::start().await;
    let gateway_bot = || async {
        reqwest::Client::new()
            .get(format!("{}/api/v10/gateway/bot", fake.url()))
            .header("authorization", "Bot x")
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap()
    };
    let v = gateway_bot().await;
    assert_eq!(v["shards"], 1);
    assert_eq!(v["session_start_limit"]["remaining"], 1000);
    assert_eq!(v["session_start_limit"]["max_concurrency"], 1);
    fake.inner
        .identify_budget
        .store(2, std::sync::atomic::Ordering::SeqCst);
    assert!(fake.identify_in_process([0, 1]).is_some());
    assert!(fake.identify_in_process([0, 1]).is_some());
    assert_eq!(gateway_bot().await["session_start_limit"]["remaining"], 0);
    assert!(fake.identify_in_process([0, 1]).is_none(), "over budget");
    assert!(fake.identify_in_process([2, 2]).is_none(), "invalid shard");
    assert_eq!(fake.sessions().len(), 2);
}

// ---- the harness against today's bot (one process, SQLite) ----------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_process_holds_one_session_for_shard_0_of_1_and_after_sigkill_a_restart_opens_a_new_one(
) {
    let mut c = Cluster::start(1, Storage::Sqlite, &[]).await;
    wait_steady(&c, 1, Duration::from_secs(30)).await;
    // Its whole life: the same one session, answering through the sandbox process.
    let mut sent = Vec::new();
    for n in 0..5 {
        sent.push(c.command(&user(n), Some(GUILD_ID), "list", json!([])));
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert_eq!(c.fake.sessions().len(), 1, "{:#?}", c.fake.sessions());
        assert!(steady(&c.fake, 1), "live: {:?}", live_counts(&c.fake));
    }
    for s in &sent {
        assert!(c.answered(s, Duration::from_secs(10)).await, "{}", c.logs());
    }
    // The ticket API is the sandbox process: a token it minted links.
    let token = c.customer("acme").await;
    let linked = c.link(&alice(), &token).await;
    assert!(linked.contains("Linked"), "{linked}\n{}", c.logs());
    assert!(c.fake.deliveries().iter().all(|d| d.sessions == vec![0]));
    let first = c.fake.sessions()[0].clone();
    assert_eq!(first.shard, [0, 1]);
    assert!(first.ready_at >= first.identified_at && first.resumes == 0);
    assert!(first.is_live());

    // A dropped connection comes back (serenity 0.12 re-identifies after a close without
    // a code; a RESUME would count on session 0): one live session again, never two.
    c.fake.drop_gateway();
    wait_steady(&c, 1, Duration::from_secs(15)).await;
    assert!(c.fake.overlaps().is_empty(), "{:?}", c.fake.overlaps());
    let before_kill = c.fake.sessions();
    assert!(before_kill[0].live.len() == before_kill[0].resumes as usize + 1);

    let killed = Instant::now();
    c.kill(0);
    let closed = c
        .fake
        .wait_sessions(Duration::from_secs(5), |s| {
            s.last().and_then(|s| s.closed_at)
        })
        .await
        .expect("the dead process's session recorded closed");
    c.start_replica(0).await;
    wait_steady(&c, 1, Duration::from_secs(30)).await;
    let sessions = c.fake.sessions();
    assert_eq!(sessions.len(), before_kill.len() + 1, "{sessions:#?}");
    let second: &Session = sessions.last().unwrap();
    assert_eq!(second.shard, [0, 1]);
    assert!(closed >= killed && closed <= second.identified_at);
    assert!(c.fake.overlaps().is_empty(), "{:?}", c.fake.overlaps());
    assert_eq!(
        c.fake
            .inner
            .identifies
            .load(std::sync::atomic::Ordering::SeqCst),
        sessions.len() as u64,
        "one IDENTIFY per session"
    );
    let after = c.command(&user(9), Some(GUILD_ID), "list", json!([]));
    assert!(c.answered(&after, Duration::from_secs(10)).await);
    assert_eq!(
        c.fake.deliveries().last().unwrap().sessions,
        vec![second.number]
    );
    assert_eq!(c.stop(0), Some(0), "a clean SIGTERM exit");
    let closed = c
        .fake
        .wait_sessions(Duration::from_secs(5), |s| s[second.number].closed_at)
        .await;
    assert!(closed.is_some(), "a stopped bot's session is closed");
}

/// The bot's `paradarum_gateway_identifies_total`, scraped from replica `i`.
async fn identifies_metric(c: &Cluster, i: usize) -> Option<u64> {
    let text = c
        .api
        .get(format!(
            "http://127.0.0.1:{}/metrics",
            c.replicas[i].metrics_port
        ))
        .send()
        .await
        .ok()?
        .text()
        .await
        .ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix("paradarum_gateway_identifies_total "))
        .and_then(|v| v.trim().parse().ok())
}

/// The identify counter of replica 0 once it reads `want` (≤ 5 s), or its last reading.
async fn metric_reaches(c: &Cluster, want: u64) -> Option<u64> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let got = identifies_metric(c, 0).await;
        if got == Some(want) || Instant::now() >= deadline {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_identify_budget_used_up_the_bot_waits_for_its_reset_and_counts_identifies() {
    use std::sync::atomic::Ordering::SeqCst;
    const RESET_AFTER_MS: u64 = 3_000;
    let mut c = Cluster::start(0, Storage::Sqlite, &[]).await;
    // Discord's budget is spent: nothing left until it resets in 3 s.
    c.fake.inner.identify_budget.store(0, SeqCst);
    c.fake
        .inner
        .identify_reset_after_ms
        .store(RESET_AFTER_MS, SeqCst);
    c.add_replica().await;
    let budget_read = |c: &Cluster| {
        c.fake
            .recorded()
            .iter()
            .find(|r| r.method == "GET" && r.path.ends_with("/gateway/bot"))
            .map(|r| r.at)
    };
    assert!(
        wait_until("GET /gateway/bot", Duration::from_secs(15), || budget_read(
            &c
        )
        .is_some())
        .await,
        "{}",
        c.logs()
    );
    let read_at = budget_read(&c).unwrap();
    // Well inside the wait: no IDENTIFY tried (one past the budget would reset the token).
    tokio::time::sleep(
        (read_at + Duration::from_millis(RESET_AFTER_MS / 2))
            .saturating_duration_since(Instant::now()),
    )
    .await;
    assert_eq!(c.fake.inner.identifies.load(SeqCst), 0, "{}", c.logs());
    assert!(c.fake.sessions().is_empty());
    assert!(
        c.logs().contains("IDENTIFY budget is used up"),
        "the wait is logged:\n{}",
        c.logs()
    );
    // Discord resets the budget; the bot identifies once its wait is over, not before.
    c.fake.inner.identify_budget.store(1000, SeqCst);
    wait_steady(&c, 1, Duration::from_secs(15)).await;
    let first = c.fake.sessions()[0].clone();
    let waited = first.identified_at.saturating_duration_since(read_at);
    assert!(
        waited >= Duration::from_millis(RESET_AFTER_MS),
        "identified {waited:?} after reading the budget, before its reset"
    );
    assert_eq!(c.fake.inner.identifies.load(SeqCst), 1);
    assert_eq!(
        metric_reaches(&c, 1).await,
        Some(1),
        "paradarum_gateway_identifies_total"
    );
    // A dropped connection that identifies again counts again.
    c.fake.drop_gateway();
    wait_steady(&c, 1, Duration::from_secs(15)).await;
    let identifies = c.fake.inner.identifies.load(SeqCst);
    assert!(identifies >= 1);
    assert_eq!(
        metric_reaches(&c, identifies).await,
        Some(identifies),
        "paradarum_gateway_identifies_total"
    );
}

// ---- the seven scenarios of #12 (PostgreSQL, replicas) --------------------------------

/// Every interaction of `sent` answered, each once, with no 40060 seen by the bot's side
/// left unhandled (a second callback may be refused; none may be accepted twice).
fn assert_answered_once(c: &Cluster, sent: &[Sent]) {
    let missed = unanswered(&c.fake, sent);
    assert!(
        missed.is_empty(),
        "{} of {} unanswered: {missed:?}",
        missed.len(),
        sent.len()
    );
    for s in sent {
        let accepted = c
            .fake
            .recorded()
            .iter()
            .filter(|r| {
                r.path.contains(&s.token) && r.path.ends_with("/callback") && r.status == 204
            })
            .count();
        assert_eq!(
            accepted, 1,
            "interaction {} acknowledged {accepted} times",
            s.id
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL (127.0.0.1:5432); .ci/run runs it"]
async fn replicas_1_steady_state_holds_exactly_one_live_session_per_shard() {
    let c = Cluster::start(3, Storage::Postgres, &[]).await;
    wait_steady(&c, 1, Duration::from_secs(30)).await;
    // Settled: one holder of each role among the three.
    for role in ["gateway", "pipeline", "registration"] {
        let holder = c.wait_holder(role, Duration::from_secs(10)).await;
        assert!(
            holder.is_some(),
            "{role}: holders {:?}",
            c.holders(role).await
        );
    }
    let sessions_before = c.fake.sessions().len();
    let mut sent = Vec::new();
    let mut not_steady = 0;
    for n in 0..30 {
        sent.push(c.command(&user(n), Some(GUILD_ID), "list", json!([])));
        tokio::time::sleep(Duration::from_millis(300)).await;
        if !steady(&c.fake, 1) {
            not_steady += 1;
        }
    }
    assert_eq!(
        not_steady,
        0,
        "samples without exactly one live session: {not_steady} of 30; sessions {:#?}",
        c.fake.sessions()
    );
    assert_eq!(
        c.fake.sessions().len(),
        sessions_before,
        "no new session in steady state: {:#?}",
        c.fake.sessions()
    );
    let long: Vec<_> = c
        .fake
        .overlaps()
        .into_iter()
        .filter(|o| o.length() > Duration::from_secs(2))
        .collect();
    assert!(long.is_empty(), "overlaps over 2 s: {long:?}");
    for role in ["gateway", "pipeline", "registration"] {
        let holders = c.holders(role).await;
        assert_eq!(holders.len(), 1, "{role} held by {holders:?}");
    }
    assert_answered_once(&c, &sent);
    let registrations = c
        .fake
        .recorded()
        .iter()
        .filter(|r| r.method == "PUT" && r.path.ends_with("/commands"))
        .count();
    assert_eq!(registrations, 1, "commands registered by one replica once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL (127.0.0.1:5432); .ci/run runs it"]
async fn replicas_2_after_sigkill_of_the_gateway_holder_another_identifies_within_5_s() {
    let mut c = Cluster::start(3, Storage::Postgres, &[]).await;
    wait_steady(&c, 1, Duration::from_secs(30)).await;
    let holder = c
        .wait_holder("gateway", Duration::from_secs(10))
        .await
        .expect("one gateway holder");
    let before = c.fake.sessions().len();
    let killed = Instant::now();
    c.kill(holder);
    let new = c
        .fake
        .wait_sessions(Duration::from_secs(10), |s| {
            s.iter()
                .find(|s| s.number >= before && s.is_live())
                .map(|s| s.identified_at)
        })
        .await;
    let took = new.map(|t| t.saturating_duration_since(killed));
    assert!(
        took.is_some_and(|t| t <= Duration::from_secs(5)),
        "SIGKILL → new IDENTIFY: {took:?} (bound 5 s)\n{}",
        c.logs()
    );
    eprintln!("SIGKILL → new session: {took:?}");
    let next = c.wait_holder("gateway", Duration::from_secs(5)).await;
    assert!(next.is_some_and(|n| n != holder), "holder now {next:?}");
    wait_steady(&c, 1, Duration::from_secs(5)).await;
    let mut sent = Vec::new();
    for n in 0..10 {
        sent.push(c.command(&user(n), Some(GUILD_ID), "list", json!([])));
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_answered_once(&c, &sent);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL (127.0.0.1:5432); .ci/run runs it"]
async fn replicas_3_sigkill_of_the_pipeline_holder_amid_300_resolved_announces_each_once() {
    const N: usize = 300;
    let mut c = Cluster::start(3, Storage::Postgres, &[]).await;
    let customer = c.customer("acme").await;
    let mut ids = Vec::new();
    for n in 0..N {
        ids.push(c.open_ticket(&customer, &format!("Ticket {n}")).await);
    }
    // Let the creations pass through the pipeline first.
    let from = after_quiet(&c, Duration::from_secs(5)).await;
    let holder = c
        .wait_holder("pipeline", Duration::from_secs(10))
        .await
        .expect("one pipeline holder");
    for id in &ids {
        c.set_status(*id, 2).await;
    }
    let third = wait_until("a third announced", Duration::from_secs(60), || {
        staff_counts_from(&c, from).len() >= N / 3
    })
    .await;
    assert!(third, "not even {} announced:\n{}", N / 3, c.logs());
    c.kill(holder);
    let announced_at_kill = staff_counts_from(&c, from).len();
    wait_until("all announced", Duration::from_secs(120), || {
        staff_counts_from(&c, from).len() >= N
    })
    .await;
    // Anything repeated would arrive late: give it time to.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let counts = staff_counts_from(&c, from);
    let (missing, repeated) = once_each(&ids, &counts);
    assert!(
        missing.is_empty() && repeated.is_empty(),
        "{N} Resolved, {announced_at_kill} announced at the SIGKILL: {} missing {missing:?}, \
         {} repeated {repeated:?}",
        missing.len(),
        repeated.len()
    );
    assert_eq!(c.too_many_requests(), 0, "429s from Discord");
    let next = c.wait_holder("pipeline", Duration::from_secs(5)).await;
    assert!(next.is_some_and(|n| n != holder), "pipeline now {next:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL (127.0.0.1:5432); .ci/run runs it"]
async fn replicas_4_a_rolling_restart_under_10_interactions_a_second_answers_99_percent() {
    let mut c = Cluster::start(3, Storage::Postgres, &[]).await;
    wait_steady(&c, 1, Duration::from_secs(30)).await;
    let sent = Arc::new(Mutex::new(Vec::<Sent>::new()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let traffic = {
        let (fake, sent, stop) = (c.fake.clone(), sent.clone(), stop.clone());
        tokio::spawn(async move {
            let mut n = 0;
            let mut tick = tokio::time::interval(Duration::from_millis(100));
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                tick.tick().await;
                let s = ticket_command(&fake, &user(n % 50), Some(GUILD_ID), "list", json!([]));
                sent.lock().unwrap().push(s);
                n += 1;
            }
        })
    };
    tokio::time::sleep(Duration::from_secs(2)).await;
    for i in 0..3 {
        let code = c.stop(i);
        assert_eq!(code, Some(0), "replica {i} exit\n{}", c.replicas[i].log());
        c.start_replica(i).await;
        wait_steady(&c, 1, Duration::from_secs(10)).await;
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    traffic.await.unwrap();
    tokio::time::sleep(Duration::from_secs(5)).await;
    let sent = sent.lock().unwrap().clone();
    let missed = unanswered(&c.fake, &sent);
    let undelivered = c
        .fake
        .deliveries()
        .iter()
        .filter(|d| d.sessions.is_empty())
        .count();
    let answered = sent.len() - missed.len();
    assert!(
        answered * 100 >= sent.len() * 99,
        "{answered} of {} answered ({} missed: {missed:?}; {undelivered} found no live session)",
        sent.len(),
        missed.len()
    );
    eprintln!(
        "rolling restart: {answered} of {} answered, {} missed",
        sent.len(),
        missed.len()
    );
    let long: Vec<_> = c
        .fake
        .overlaps()
        .into_iter()
        .filter(|o| o.length() > Duration::from_secs(2))
        .collect();
    assert!(long.is_empty(), "handoff overlaps over 2 s: {long:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL (127.0.0.1:5432); .ci/run runs it"]
async fn replicas_5_webhooks_spread_over_all_replicas_deliver_every_event_once() {
    const N: usize = 30;
    let c = Cluster::start(
        3,
        Storage::Postgres,
        &[
            (
                "PARADARUM_WEBHOOK_SECRET",
                crate::harness::cluster::WEBHOOK_SECRET,
            ),
            // The feed is read at start and then hardly: what comes, comes by webhook.
            ("PARADARUM_BOT__NOTIFICATIONS__POLL_INTERVAL_SECS", "3600"),
        ],
    )
    .await;
    let customer = c.customer("acme").await;
    let mut ids = Vec::new();
    for n in 0..N {
        ids.push(c.open_ticket(&customer, &format!("Hooked {n}")).await);
    }
    let from = after_quiet(&c, Duration::from_secs(5)).await;
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut refused = Vec::new();
    for (k, id) in ids.iter().enumerate() {
        let event = json!({"id": format!("evt_{:012}", 900_000_000_000u64 + k as u64),
            "type": "ticket.status_changed", "ticketId": id, "accountId": "acc_x",
            "occurredAt": now, "data": {"from": 0, "to": 2}});
        // Each to one replica, and its redelivery (as a retrying sender would) to the next.
        for i in [k % 3, (k + 1) % 3] {
            let status = c.post_webhook(i, &event).await;
            if status != 204 {
                refused.push((k, i, status));
            }
        }
    }
    assert!(
        refused.is_empty(),
        "webhooks refused (event, replica, status): {refused:?}"
    );
    wait_until("all announced", Duration::from_secs(60), || {
        staff_counts_from(&c, from).len() >= N
    })
    .await;
    tokio::time::sleep(Duration::from_secs(5)).await;
    let (missing, repeated) = once_each(&ids, &staff_counts_from(&c, from));
    assert!(
        missing.is_empty() && repeated.is_empty(),
        "{N} events over 3 replicas (each twice): {} missing {missing:?}, {} repeated {repeated:?}",
        missing.len(),
        repeated.len()
    );
    assert_eq!(c.too_many_requests(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL (127.0.0.1:5432); .ci/run runs it"]
async fn replicas_6_two_shards_one_per_replica_route_each_guild_to_discords_shard() {
    let c = Cluster::start(
        2,
        Storage::Postgres,
        &[
            ("PARADARUM_BOT__DISCORD__SHARDS", "2"),
            ("PARADARUM_BOT__DISCORD__SHARDS_PER_REPLICA", "1"),
        ],
    )
    .await;
    wait_steady(&c, 2, Duration::from_secs(40)).await;
    // The first replica up takes both groups (it is alone); once it counts the second it
    // gives one back, which the second takes within its next round.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let mut states = Vec::new();
        for i in 0..2 {
            states.push(c.roles(i).await["gateway"]["state"].clone());
        }
        if states.iter().all(|s| s == "held") || tokio::time::Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    wait_steady(&c, 2, Duration::from_secs(10)).await;
    let mut held = BTreeSet::new();
    for i in 0..2 {
        let g = c.roles(i).await["gateway"].clone();
        assert_eq!(g["state"], "held", "replica {i}: {g}");
        assert_eq!(g["of"], 2, "replica {i}: {g}");
        held.insert(g["shards"].to_string());
    }
    assert_eq!(
        held,
        BTreeSet::from(["[0,0]".to_string(), "[1,1]".to_string()]),
        "each replica one shard"
    );
    let sessions = c.fake.sessions();
    let mut sent = Vec::new();
    for shard in 0..2 {
        let guild = guild_on_shard(shard, 2);
        for n in 0..5 {
            let s = c.command(&user(n), Some(guild), "list", json!([]));
            let d = c.fake.deliveries().pop().unwrap();
            assert_eq!(d.sessions.len(), 1, "guild {guild}: {d:?}");
            assert_eq!(
                sessions[d.sessions[0]].shard,
                [shard, 2],
                "guild {guild} on shard {shard}"
            );
            sent.push(s);
        }
    }
    // DMs arrive on shard 0.
    let dm = c.command(&user(7), None, "list", json!([]));
    let d = c.fake.deliveries().pop().unwrap();
    assert_eq!(sessions[d.sessions[0]].shard, [0, 2]);
    sent.push(dm);
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_answered_once(&c, &sent);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL (127.0.0.1:5432); .ci/run runs it"]
async fn replicas_7_migrate_store_keeps_links_and_notifications_exactly_once() {
    let mut c = Cluster::start(1, Storage::Sqlite, &[]).await;
    wait_steady(&c, 1, Duration::from_secs(30)).await;
    let a = alice();
    let token = c.customer("alice-co").await;
    let linked = c.link(&a, &token).await;
    assert!(linked.contains("Linked"), "{linked}\n{}", c.logs());
    let t1 = c.open_ticket(&token, "Before the move").await;
    let t2 = c.open_ticket(&token, "After the move").await;
    c.set_status(t1, 2).await;
    let from = 0;
    assert!(
        wait_until("t1 announced", Duration::from_secs(20), || {
            staff_counts_from(&c, from).contains_key(&t1)
        })
        .await,
        "{}",
        c.logs()
    );
    let all_before = after_quiet(&c, Duration::from_secs(3)).await;
    let t1_before: usize = c
        .fake
        .inner
        .channel_messages
        .lock()
        .unwrap()
        .iter()
        .map(|(_, b)| announced_ids(b).iter().filter(|i| **i == t1).count())
        .sum();
    assert_eq!(c.stop(0), Some(0));

    let db = PgDb::create();
    let out = c
        .binary("migrate-store")
        .args(["--from", &c.replicas[0].sqlite_url(), "--to", &db.url])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "migrate-store failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    c.set_env("DATABASE_URL", &db.url);
    c.db = Some(db);
    c.start_replica(0).await;
    c.add_replica().await;
    wait_steady(&c, 1, Duration::from_secs(30)).await;

    // Linked without relinking: her tickets are listed.
    let list = c.command(&a, Some(GUILD_ID), "list", json!([]));
    assert!(c.answered(&list, Duration::from_secs(10)).await);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let text = c.answer_text(&list);
    assert!(
        text.contains(&format!("#{t1}")) && text.contains(&format!("#{t2}")),
        "alice's list after the move: {text}"
    );
    c.set_status(t2, 2).await;
    assert!(
        wait_until("t2 announced", Duration::from_secs(20), || {
            staff_counts_from(&c, all_before).contains_key(&t2)
        })
        .await,
        "{}",
        c.logs()
    );
    tokio::time::sleep(Duration::from_secs(5)).await;
    let after = staff_counts_from(&c, all_before);
    assert_eq!(after.get(&t2), Some(&1), "t2 announced once: {after:?}");
    let t1_after: usize = c
        .fake
        .inner
        .channel_messages
        .lock()
        .unwrap()
        .iter()
        .map(|(_, b)| announced_ids(b).iter().filter(|i| **i == t1).count())
        .sum();
    assert_eq!(
        t1_after, t1_before,
        "t1's notifications repeated after the move"
    );
}

//! The store's tests, written once and run on each engine: always on SQLite, and on
//! PostgreSQL as ignored tests (`cargo test -- --ignored`, which `.ci/run` runs), each
//! test in a fresh database dropped at its end.

use std::collections::HashSet;

use super::copy;
use super::discord::{LinkRecord, PendingAttachment};
use super::kept::{Kept, Submission};
use super::notify::{JobKind, JobState, NewJob, Payload, Target};
use super::test_db::TestDb;
use super::{Durability, Kind, Store, StoreError};
use crate::ticket::api::{format_event_id, Event};

/// One `#[tokio::test]` per engine for each named test function (`async fn(Kind)`).
macro_rules! on_both_engines {
    ($($(#[$attr:meta])* $name:path => $test:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $test() {
                $name($crate::store::Kind::Sqlite).await
            })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[ignore = "needs PostgreSQL (127.0.0.1:5432); .ci/run runs it"]
            async fn $test() {
                $name($crate::store::Kind::Postgres).await
            })*
        }
    };
}

on_both_engines! {
    super::staff_notices_and_actions_read_back_and_name_who_acted
        => staff_notices_and_actions_read_back_and_name_who_acted,
    crate::store::front_door::tests::panels_are_one_per_channel_and_prefills_are_the_owners_and_expire
        => panels_are_one_per_channel_and_prefills_are_the_owners_and_expire,
    crate::store::discord::tests::an_unreadable_mark_is_kept_by_auto_links_and_cleared_by_relinks_and_reseals
        => an_unreadable_mark_is_kept_by_auto_links_and_cleared_by_relinks_and_reseals,
    super::named_state_keeps_the_first_writer_and_takes_updates
        => named_state_keeps_the_first_writer_and_takes_updates,
    super::an_open_cooldown_lets_exactly_one_of_many_concurrent_reservations_through
        => an_open_cooldown_lets_exactly_one_of_many_concurrent_reservations_through,
    super::an_event_goes_from_inbox_to_outbox_to_a_sent_batch_once
        => an_event_goes_from_inbox_to_outbox_to_a_sent_batch_once,
    super::retention_deletes_only_what_is_done_and_old
        => retention_deletes_only_what_is_done_and_old,
    super::kept_submissions_and_pending_attachments_read_back_within_their_window
        => kept_submissions_and_pending_attachments_read_back_within_their_window,
    super::concurrent_batches_never_put_one_job_in_two
        => concurrent_batches_never_put_one_job_in_two,
    super::a_users_and_a_servers_locale_are_kept_apart_and_the_last_one_wins
        => a_users_and_a_servers_locale_are_kept_apart_and_the_last_one_wins,
}

async fn a_users_and_a_servers_locale_are_kept_apart_and_the_last_one_wins(kind: Kind) {
    use super::discord::LocaleOf;
    let db = TestDb::new(kind).await;
    let store = db.open().await;
    let d = store.discord();
    let id = (1u64 << 62) + 7;
    assert_eq!(d.locale(LocaleOf::User(id)).await.unwrap(), None);
    d.save_locale(LocaleOf::User(id), "de").await.unwrap();
    d.save_locale(LocaleOf::Guild(id), "pl").await.unwrap();
    d.save_locale(LocaleOf::User(id), "pt-BR").await.unwrap();
    assert_eq!(
        d.locale(LocaleOf::User(id)).await.unwrap().as_deref(),
        Some("pt-BR")
    );
    assert_eq!(
        d.locale(LocaleOf::Guild(id)).await.unwrap().as_deref(),
        Some("pl")
    );
    assert_eq!(d.guild_locales().await.unwrap(), [(id, "pl".to_string())]);
    store.close().await;
}

fn event(seq: u64, ticket: u64) -> Event {
    serde_json::from_value(serde_json::json!({
        "id": format_event_id(seq),
        "type": "ticket.status_changed",
        "ticketId": ticket,
        "accountId": "acc_1",
        "occurredAt": "2026-11-01T00:00:00Z",
        "data": {"from": 1, "to": 3},
    }))
    .unwrap()
}

fn job(key: &str, target: u64, ticket: u64) -> NewJob {
    NewJob {
        dedupe_key: key.into(),
        kind: JobKind::StaffResolved,
        target: Target::Channel(target),
        ticket_id: ticket,
        payload: Payload {
            event: key.into(),
            subject: Some("Printer on fire".into()),
            ..Payload::default()
        },
        received_at: 1,
    }
}

async fn staff_notices_and_actions_read_back_and_name_who_acted(kind: Kind) {
    use super::staff::{Action, Outcome};
    use crate::ticket::Status;
    let db = TestDb::new(kind).await;
    let store = db.open().await;
    let staff = store.staff();
    for message in 1..=7u64 {
        staff.record_notice("b", 9, 100, message).await.unwrap();
    }
    staff.record_notice("b", 9, 100, 7).await.unwrap();
    staff.record_notice("other", 9, 100, 50).await.unwrap();
    let kept: Vec<u64> = staff
        .notices("b", 9)
        .await
        .unwrap()
        .iter()
        .map(|n| n.1)
        .collect();
    assert_eq!(
        kept,
        [3, 4, 5, 6, 7],
        "the newest five, each once, this backend's only"
    );
    staff.forget_notice(100, 3).await.unwrap();
    assert_eq!(staff.notices("b", 9).await.unwrap().len(), 4);

    assert_eq!(staff.last_action("b", 9, None).await.unwrap(), None);
    let a = staff
        .begin_action("b", 9, Action::Resolve, 5, "sam", Some(Status::Resolved))
        .await
        .unwrap();
    // Under way counts (its event may come before the API's answer).
    let pending = staff
        .last_action("b", 9, Some(Status::Resolved))
        .await
        .unwrap();
    assert_eq!(pending.map(|p| p.user_name), Some("sam".to_string()));
    let b = staff
        .begin_action("b", 9, Action::Resolve, 6, "kim", Some(Status::Resolved))
        .await
        .unwrap();
    staff.finish_action(b, Outcome::NotDone).await.unwrap();
    staff.finish_action(a, Outcome::Done).await.unwrap();
    let who = staff
        .last_action("b", 9, Some(Status::Resolved))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (who.user_id, who.action),
        (5, Action::Resolve),
        "not the stale press"
    );
    assert_eq!(
        staff
            .last_action("b", 9, Some(Status::InProgress))
            .await
            .unwrap(),
        None
    );
    let r = staff
        .begin_action("b", 9, Action::Reply, 6, "kim", None)
        .await
        .unwrap();
    staff.finish_action(r, Outcome::Done).await.unwrap();
    let last = staff.last_action("b", 9, None).await.unwrap().unwrap();
    assert_eq!(
        (last.user_id, last.action, last.to_status),
        (6, Action::Reply, None)
    );
    assert_eq!(
        staff.prune(crate::store::now_millis() + 1).await.unwrap(),
        8
    );
    assert!(staff.notices("b", 9).await.unwrap().is_empty());
    store.close().await;
}

async fn named_state_keeps_the_first_writer_and_takes_updates(kind: Kind) {
    let db = TestDb::new(kind).await;
    let store = db.open().await;
    assert_eq!(store.get_state("anchor").await.unwrap(), None);
    let first = store
        .get_or_init_state("anchor", || "a".into())
        .await
        .unwrap();
    let second = store
        .get_or_init_state("anchor", || "b".into())
        .await
        .unwrap();
    assert_eq!((first.as_str(), second.as_str()), ("a", "a"));
    store.put_state("anchor", "c").await.unwrap();
    assert_eq!(
        store.get_state("anchor").await.unwrap().as_deref(),
        Some("c")
    );
    store.check_readable().await.unwrap();
    store.close().await;
}

async fn an_open_cooldown_lets_exactly_one_of_many_concurrent_reservations_through(kind: Kind) {
    let db = TestDb::new(kind).await;
    let store = db.open().await;
    // Two stores on one database stand for two replicas.
    let other = db.open().await;
    let tries = (0..16).map(|i| {
        let s = if i % 2 == 0 {
            store.clone()
        } else {
            other.clone()
        };
        tokio::spawn(async move {
            s.discord()
                .reserve_cooldown(42, i + 1, 60_000)
                .await
                .unwrap()
        })
    });
    let results = futures::future::join_all(tries).await;
    let passed = results.iter().filter(|r| matches!(r, Ok(Ok(())))).count();
    assert_eq!(passed, 1, "{results:?}");
    let left = store
        .discord()
        .reserve_cooldown(42, 100, 60_000)
        .await
        .unwrap();
    assert!(
        matches!(left, Err(ms) if ms > 0 && ms <= 60_000),
        "{left:?}"
    );
    // Another user is not held back; an expired cooldown is taken again.
    assert_eq!(
        store
            .discord()
            .reserve_cooldown(43, 101, 60_000)
            .await
            .unwrap(),
        Ok(())
    );
    assert_eq!(
        store.discord().reserve_cooldown(42, 102, 0).await.unwrap(),
        Ok(())
    );
    store
        .discord()
        .start_cooldown(42, 103, 60_000)
        .await
        .unwrap();
    // Its own interaction, delivered again, is not held back; a read says so too.
    assert_eq!(
        store
            .discord()
            .reserve_cooldown(42, 103, 60_000)
            .await
            .unwrap(),
        Ok(())
    );
    assert_eq!(
        store
            .discord()
            .cooldown_left(42, 103, 60_000)
            .await
            .unwrap(),
        None
    );
    let left = store
        .discord()
        .cooldown_left(42, 104, 60_000)
        .await
        .unwrap();
    assert!(left.is_some_and(|ms| ms > 0 && ms <= 60_000), "{left:?}");
    assert!(store
        .discord()
        .reserve_cooldown(42, 104, 60_000)
        .await
        .unwrap()
        .is_err());
    other.close().await;
    store.close().await;
}

async fn an_event_goes_from_inbox_to_outbox_to_a_sent_batch_once(kind: Kind) {
    let db = TestDb::new(kind).await;
    let store = db.open().await;
    let n = store.notify();
    let events = [event(1, 7), event(2, 7), event(3, 8)];
    assert_eq!(
        n.receive("b", &events, "webhook", Some("c1"))
            .await
            .unwrap(),
        3
    );
    // Seen again (a webhook retried, the feed overlapping): nothing new.
    assert_eq!(
        n.receive("b", &events, "feed", Some("c2")).await.unwrap(),
        0
    );
    assert_eq!(
        store
            .get_state(&super::notify::cursor_key("b"))
            .await
            .unwrap()
            .as_deref(),
        Some("c2")
    );
    assert_eq!(n.backlog("b").await.unwrap().0, 3);

    // Only the first event of each ticket is due.
    let due = n.due_events("b", i64::MAX, 10).await.unwrap();
    let ids: Vec<_> = due.iter().map(|e| e.event.id.clone()).collect();
    assert_eq!(ids, [format_event_id(1), format_event_id(3)]);
    n.defer("b", &format_event_id(3), 5_000, "api down")
        .await
        .unwrap();
    assert_eq!(n.next_due("b").await.unwrap(), Some(0));
    let due = n.due_events("b", 4_999, 10).await.unwrap();
    assert_eq!(due.len(), 1);
    let deferred = n.due_events("b", 5_000, 10).await.unwrap();
    assert_eq!(
        deferred
            .iter()
            .find(|e| e.event.ticket_id == 8)
            .unwrap()
            .attempts,
        1
    );

    n.remember_opener("b", 7, "acc_1", 99).await.unwrap();
    n.remember_opener("b", 7, "acc_2", 100).await.unwrap();
    assert_eq!(n.opener("b", 7).await.unwrap().unwrap().user_id, 99);

    let jobs = [job("k1", 500, 7), job("k2", 500, 7)];
    n.complete("b", &events[0], &jobs, true).await.unwrap();
    // Completing it again (a second processor) writes no job twice.
    n.complete("b", &events[0], &jobs, true).await.unwrap();
    assert_eq!(n.depth().await.unwrap(), 2);
    assert_eq!(n.backlog("b").await.unwrap().0, 2);

    let targets = n.due_targets(i64::MAX).await.unwrap();
    assert_eq!(targets, [(JobKind::StaffResolved, Target::Channel(500))]);
    let pending = n
        .pending_jobs(JobKind::StaffResolved, Target::Channel(500), 10)
        .await
        .unwrap();
    assert_eq!(pending.len(), 2);
    assert_eq!(
        pending[0].payload.subject.as_deref(),
        Some("Printer on fire")
    );
    let ids: Vec<i64> = pending.iter().map(|j| j.id).collect();
    let batch = n.start_batch(&ids).await.unwrap();
    assert_eq!(n.due_batches(i64::MAX).await.unwrap(), [batch]);
    assert!(
        n.due_targets(i64::MAX).await.unwrap().is_empty(),
        "a batch is in flight"
    );
    assert_eq!(n.batch_jobs(batch).await.unwrap().len(), 2);
    let in_flight = n.recent_sends(0).await.unwrap();
    assert_eq!(
        in_flight,
        [(JobKind::StaffResolved, Target::Channel(500), None)]
    );
    n.retry_batch_at(batch, 10).await.unwrap();
    assert_eq!(n.batch_jobs(batch).await.unwrap()[0].attempts, 1);
    n.finish_batch(batch, JobState::Sent).await.unwrap();
    assert_eq!(n.depth().await.unwrap(), 0);
    let sent = n.recent_sends(0).await.unwrap();
    assert!(matches!(
        sent.as_slice(),
        [(JobKind::StaffResolved, Target::Channel(500), Some(_))]
    ));

    // A refused target parks what waits for it.
    n.complete("b", &events[2], &[job("k3", 600, 8)], false)
        .await
        .unwrap();
    assert_eq!(
        n.park_target(JobKind::StaffResolved, Target::Channel(600))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        n.parked_targets().await.unwrap(),
        [(JobKind::StaffResolved, Target::Channel(600), 1)]
    );

    n.save_dm_channel(99, 1234).await.unwrap();
    n.save_dm_channel(99, 1235).await.unwrap();
    assert_eq!(n.dm_channel(99).await.unwrap(), Some(1235));
    n.mark_dm_closed(99, 2_000).await.unwrap();
    assert_eq!(n.dm_closed_until(99, 1_000).await.unwrap(), Some(2_000));
    assert_eq!(n.dm_closed_until(99, 2_000).await.unwrap(), None);
    // Events of another API are set aside, not notified.
    n.receive("other", &[event(9, 9)], "feed", None)
        .await
        .unwrap();
    assert_eq!(n.abandon_other_backends("b").await.unwrap(), 1);
    store.close().await;
}

async fn retention_deletes_only_what_is_done_and_old(kind: Kind) {
    let db = TestDb::new(kind).await;
    let store = db.open().await;
    let n = store.notify();
    n.receive("b", &[event(1, 7), event(2, 8)], "feed", None)
        .await
        .unwrap();
    n.remember_opener("b", 7, "acc_1", 99).await.unwrap();
    n.complete("b", &event(1, 7), &[job("k1", 500, 7)], true)
        .await
        .unwrap();
    n.save_dm_channel(99, 1234).await.unwrap();
    n.mark_dm_closed(99, 5).await.unwrap();
    let future = super::now_millis() + 60_000;
    let pruned = n.prune(future, future).await.unwrap();
    // The pending job and the unprocessed event stay; the rest was done before `future`.
    assert_eq!(
        (
            pruned.inbox,
            pruned.outbox,
            pruned.openers,
            pruned.dm_channels
        ),
        (1, 0, 1, 1)
    );
    let sizes: Vec<i64> = n
        .table_sizes()
        .await
        .unwrap()
        .into_iter()
        .map(|(_, c)| c)
        .collect();
    assert_eq!(sizes, [1, 1, 0, 0, 0]);
    store.close().await;
}

async fn kept_submissions_and_pending_attachments_read_back_within_their_window(kind: Kind) {
    let db = TestDb::new(kind).await;
    let store = db.open().await;
    let kept = Kept {
        user_id: 5,
        backend: "b".into(),
        idem_key: "key-1".into(),
        submission: Submission::Close { ticket: 9 },
    };
    store.kept().keep(77, &kept).await.unwrap();
    let again = Kept {
        idem_key: "key-2".into(),
        ..kept.clone()
    };
    store.kept().keep(77, &again).await.unwrap();
    assert_eq!(
        store.kept().get(77).await.unwrap(),
        Some(kept),
        "the first one kept wins"
    );
    assert_eq!(store.kept().get(78).await.unwrap(), None);

    let a = PendingAttachment {
        url: "https://cdn.discordapp.com/x.png".into(),
        filename: "x.png".into(),
        content_type: "image/png".into(),
        size: 123,
    };
    let d = store.discord();
    d.save_pending_attachment(1, 5, &a).await.unwrap();
    assert_eq!(d.pending_attachment(1, 5).await.unwrap(), Some(a));
    assert_eq!(
        d.pending_attachment(1, 6).await.unwrap(),
        None,
        "only for its user"
    );
    d.forget_pending_attachment(1).await.unwrap();
    assert_eq!(d.pending_attachment(1, 5).await.unwrap(), None);
    store.close().await;
}

async fn concurrent_batches_never_put_one_job_in_two(kind: Kind) {
    let db = TestDb::new(kind).await;
    let store = db.open().await;
    let other = db.open().await;
    let n = store.notify();
    n.receive("b", &[event(1, 7)], "feed", None).await.unwrap();
    let jobs: Vec<NewJob> = (0..20).map(|i| job(&format!("k{i}"), 500, 7)).collect();
    n.complete("b", &event(1, 7), &jobs, false).await.unwrap();
    let ids: Vec<i64> = n
        .pending_jobs(JobKind::StaffResolved, Target::Channel(500), 100)
        .await
        .unwrap()
        .iter()
        .map(|j| j.id)
        .collect();
    // Two dispatchers form overlapping batches at once.
    let (a, b) = (ids[..15].to_vec(), ids[5..].to_vec());
    let (s1, s2) = (store.clone(), other.clone());
    let (ba, bb) = tokio::join!(
        async move { s1.notify().start_batch(&a).await.unwrap() },
        async move { s2.notify().start_batch(&b).await.unwrap() }
    );
    let mut seen = HashSet::new();
    for batch in [ba, bb] {
        for j in store.notify().batch_jobs(batch).await.unwrap() {
            assert!(seen.insert(j.id), "job {} is in two batches", j.id);
        }
    }
    assert_eq!(seen.len(), 20);
    other.close().await;
    store.close().await;
}

#[tokio::test]
async fn commits_are_on_disk_before_they_return_unless_told_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let url = |name: &str| format!("sqlite://{}/{name}.db", dir.path().display());
    let full = Store::open(&url("full")).await.unwrap();
    // 2 = FULL: in WAL mode the log is synced at every commit, so a webhook answered
    // 2xx after its event was committed survives a power cut.
    assert_eq!(full.synchronous().await.unwrap(), Some(2));
    full.close().await;
    let normal = Store::open_with(&url("normal"), Durability::Normal)
        .await
        .unwrap();
    assert_eq!(normal.synchronous().await.unwrap(), Some(1));
    normal.close().await;
}

#[tokio::test]
async fn a_database_migrated_from_the_old_flat_migrations_folder_opens_unchanged() {
    // Until #12 the SQLite migrations lived in migrations/ itself. sqlx records each
    // one's version and checksum (of its SQL, not its path), so a database migrated by
    // that layout must open without a checksum error and gain only 0008.
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("migrations");
    std::fs::create_dir(&old).unwrap();
    let all = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite");
    for entry in std::fs::read_dir(&all).unwrap() {
        let name = entry.unwrap().file_name();
        if name.to_string_lossy().as_ref() < "0008" {
            std::fs::copy(all.join(&name), old.join(&name)).unwrap();
        }
    }
    let url = format!("sqlite://{}/bot.db", dir.path().display());
    let opts = url
        .parse::<sqlx::sqlite::SqliteConnectOptions>()
        .unwrap()
        .create_if_missing(true);
    let pool = sqlx::SqlitePool::connect_with(opts).await.unwrap();
    sqlx::migrate::Migrator::new(old.as_path())
        .await
        .unwrap()
        .run(&pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO kv_state (name, value, updated_at) VALUES ('x', 'kept', 1)")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let store = Store::open(&url).await.unwrap();
    assert_eq!(store.get_state("x").await.unwrap().as_deref(), Some("kept"));
    assert_eq!(
        store.discord().reserve_cooldown(1, 1, 1_000).await.unwrap(),
        Ok(())
    );
    store.close().await;
}

#[tokio::test]
async fn an_older_release_opens_a_database_a_newer_one_migrated() {
    let db = TestDb::new(Kind::Sqlite).await;
    let store = db.open().await;
    store.close().await;
    // A migration this release does not know, as a newer release would have applied it.
    let pool = sqlx::SqlitePool::connect(&db.url()).await.unwrap();
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (9999, 'from the future', 1, x'00', 0)",
    )
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;
    db.open().await.close().await;
}

#[tokio::test]
async fn the_sandbox_refuses_a_postgres_store_and_urls_pick_their_engine() {
    assert_eq!(Kind::of("sqlite://x.db"), Some(Kind::Sqlite));
    assert_eq!(Kind::of("postgres://h/db"), Some(Kind::Postgres));
    assert_eq!(Kind::of("postgresql://h/db"), Some(Kind::Postgres));
    assert_eq!(Kind::of("mysql://h/db"), None);
    assert!(matches!(
        Store::open("mysql://h/db").await,
        Err(StoreError::BadUrl(_))
    ));
    assert_eq!(super::sqlite_file("postgres://h/db"), None);
}

#[tokio::test]
#[ignore = "needs PostgreSQL (127.0.0.1:5432); .ci/run runs it"]
async fn replicas_opening_one_fresh_postgres_database_at_once_all_succeed() {
    let db = TestDb::new(Kind::Postgres).await;
    let url = db.url();
    let opens = (0..8).map(|_| {
        let url = url.clone();
        tokio::spawn(async move { Store::open(&url).await })
    });
    let stores: Vec<Store> = futures::future::join_all(opens)
        .await
        .into_iter()
        .map(|r| r.unwrap().unwrap())
        .collect();
    // The sandbox's tables do not exist there, and its store says so instead of failing
    // on a missing table.
    assert!(stores[0].is_postgres());
    assert!(matches!(
        stores[0].sandbox().account("acc_1").await,
        Err(StoreError::SandboxNeedsSqlite)
    ));
    // migrate-store copies every table PostgreSQL has.
    let mut listed: Vec<String> = copy::tables().map(String::from).collect();
    listed.sort();
    assert_eq!(copy::postgres_tables(&stores[0]).await.unwrap(), listed);
    for s in stores {
        s.close().await;
    }
}

#[tokio::test]
#[ignore = "needs PostgreSQL (127.0.0.1:5432); .ci/run runs it"]
async fn a_sqlite_installation_copies_into_postgres_once() {
    let src = TestDb::new(Kind::Sqlite).await;
    let dst = TestDb::new(Kind::Postgres).await;
    let from = src.open().await;
    let link = LinkRecord {
        account_id: "acc_1".into(),
        account_name: "Acme".into(),
        sealed_token: vec![0, 1, 2, 255],
        unreadable_since: None,
    };
    from.discord().save_link(1 << 60, &link).await.unwrap();
    from.discord()
        .mark_link_unreadable(1 << 60, &link.sealed_token)
        .await
        .unwrap();
    let link = from.discord().link(1 << 60).await.unwrap();
    assert!(link.as_ref().is_some_and(|l| l.unreadable_since.is_some()));
    from.put_state("events.cursor:b", "evt_000000000002")
        .await
        .unwrap();
    let n = from.notify();
    n.receive("b", &[event(1, 7), event(2, 7)], "feed", None)
        .await
        .unwrap();
    n.remember_opener("b", 7, "acc_1", 1 << 60).await.unwrap();
    n.complete(
        "b",
        &event(1, 7),
        &[job("k1", 500, 7), job("k2", 501, 7)],
        false,
    )
    .await
    .unwrap();
    from.discord().start_cooldown(3, 30, 60_000).await.unwrap();
    from.front_door().save_panel(1, 2, 3).await.unwrap();
    let to = dst.open().await;

    let copied = copy::sqlite_to_postgres(&from, &to).await.unwrap();
    let count = |t: &str| copied.tables.iter().find(|(n, _)| *n == t).unwrap().1;
    assert_eq!(
        (
            count("discord_links"),
            count("inbox_events"),
            count("outbox_jobs"),
            count("open_cooldowns"),
            count("ticket_panels")
        ),
        (1, 2, 2, 1, 1)
    );
    assert_eq!(to.front_door().panel(2).await.unwrap(), Some(3));
    assert_eq!(to.discord().link(1 << 60).await.unwrap(), link);
    assert_eq!(
        to.get_state("events.cursor:b").await.unwrap().as_deref(),
        Some("evt_000000000002")
    );
    assert_eq!(
        to.notify().opener("b", 7).await.unwrap().unwrap().user_id,
        1 << 60
    );
    let before = n
        .pending_jobs(JobKind::StaffResolved, Target::Channel(500), 9)
        .await
        .unwrap();
    let after = to
        .notify()
        .pending_jobs(JobKind::StaffResolved, Target::Channel(500), 9)
        .await
        .unwrap();
    assert_eq!(before, after, "jobs keep their ids, so their nonces");
    assert!(to
        .discord()
        .reserve_cooldown(3, 31, 60_000)
        .await
        .unwrap()
        .is_err());
    // The id sequence moved past the copied ids.
    to.notify()
        .complete("b", &event(2, 7), &[job("k3", 500, 7)], false)
        .await
        .unwrap();
    let all = to
        .notify()
        .pending_jobs(JobKind::StaffResolved, Target::Channel(500), 9)
        .await
        .unwrap();
    assert!(all.last().unwrap().id > after.last().unwrap().id);

    // A second run refuses and changes nothing.
    let again = copy::sqlite_to_postgres(&from, &to).await;
    assert!(
        matches!(again, Err(copy::CopyError::TargetNotEmpty(_))),
        "{again:?}"
    );
    assert_eq!(to.notify().depth().await.unwrap(), 3);
    assert!(matches!(
        copy::sqlite_to_postgres(&to, &from).await,
        Err(copy::CopyError::SourceNotSqlite)
    ));
    from.close().await;
    to.close().await;
}

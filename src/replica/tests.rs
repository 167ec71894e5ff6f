use super::*;

#[test]
fn shard_groups_cover_every_shard_once_with_inclusive_ends() {
    let plan = ShardPlan::new(5, Some(2));
    assert_eq!(plan.groups(), 3);
    assert_eq!(plan.shards(0), (0, 1));
    assert_eq!(plan.shards(1), (2, 3));
    assert_eq!(plan.shards(2), (4, 4));
    let all = ShardPlan::new(4, None);
    assert_eq!((all.groups(), all.shards(0)), (1, (0, 3)));
    let one = ShardPlan::new(1, None);
    assert_eq!((one.groups(), one.shards(0)), (1, (0, 0)));
    // Too big a group is all the shards.
    assert_eq!(ShardPlan::new(2, Some(9)).groups(), 1);
}

#[test]
fn a_solo_replica_holds_every_role_and_gives_them_up_on_release() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let roles = Roles::solo("solo".into(), ShardPlan::new(2, Some(1)));
        let snap = roles.snapshot();
        assert!(snap.pipeline && snap.registration);
        assert_eq!(snap.gateway, vec![0, 1]);
        let (replica, body) = snap.to_json();
        assert_eq!(replica, "solo");
        assert_eq!(body["gateway"]["shards"], serde_json::json!([0, 1]));
        assert_eq!(body["gateway"]["of"], 2);
        let mut pipeline = roles.watch(Role::Pipeline);
        roles.release_all().await;
        assert!(pipeline.has_changed().unwrap());
        assert!(!*pipeline.borrow_and_update());
        assert!(roles.snapshot().gateway.is_empty());
    });
}

const PG: &str = "postgres://postgres@127.0.0.1:5432";

/// A fresh database, dropped by `drop_db`.
async fn fresh_db() -> (String, String) {
    use sqlx::Connection;
    let name = format!("roles_{}", crate::sandbox::new_token("").to_lowercase());
    let mut admin = PgConnection::connect(&format!("{PG}/postgres"))
        .await
        .unwrap();
    sql::create_database(&mut admin, &name).await.unwrap();
    (name.clone(), format!("{PG}/{name}"))
}

async fn drop_db(name: &str) {
    use sqlx::Connection;
    let mut admin = PgConnection::connect(&format!("{PG}/postgres"))
        .await
        .unwrap();
    sql::drop_database(&mut admin, name).await.unwrap();
}

fn start(url: &str, id: &str, plan: ShardPlan, tuning: Tuning) -> (Roles, CancellationToken) {
    let stop = CancellationToken::new();
    let (roles, _task) = Roles::start_postgres(url, id.into(), plan, tuning, stop.clone()).unwrap();
    (roles, stop)
}

/// Waits (at most `within`) until `check` holds; how long it took.
async fn until(within: Duration, check: impl Fn() -> bool) -> Option<Duration> {
    let started = Instant::now();
    while started.elapsed() < within {
        if check() {
            return Some(started.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    check().then(|| started.elapsed())
}

fn holds(r: &Roles, role: Role) -> bool {
    r.is_held(role)
}

#[tokio::test]
#[ignore = "needs PostgreSQL (127.0.0.1:5432); .ci/run runs it"]
async fn two_replicas_hold_each_role_exactly_once() {
    let (db, url) = fresh_db().await;
    let plan = ShardPlan::new(1, None);
    let (a, stop_a) = start(&url, "a", plan, Tuning::default());
    let (b, stop_b) = start(&url, "b", plan, Tuning::default());
    let all = plan.roles();
    let settled = until(Duration::from_secs(5), || {
        all.iter().all(|r| holds(&a, *r) || holds(&b, *r))
    })
    .await;
    assert!(settled.is_some(), "every role gets an owner");
    // Stays so for a while: never both.
    for _ in 0..30 {
        for r in &all {
            assert!(holds(&a, *r) != holds(&b, *r), "{r:?} held by exactly one");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    stop_a.cancel();
    stop_b.cancel();
    tokio::time::sleep(Duration::from_millis(200)).await;
    drop_db(&db).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL (127.0.0.1:5432); .ci/run runs it"]
async fn when_the_holders_connection_dies_the_other_takes_over_within_two_seconds() {
    use sqlx::Connection;
    let (db, url) = fresh_db().await;
    let plan = ShardPlan::new(1, None);
    let (a, stop_a) = start(&url, "a", plan, Tuning::default());
    until(Duration::from_secs(5), || holds(&a, Role::Pipeline))
        .await
        .expect("a takes the roles first");
    let (b, stop_b) = start(&url, "b", plan, Tuning::default());
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!holds(&b, Role::Pipeline), "b is a standby");
    let pid = a.lock_backend().expect("a is connected");
    let mut admin = PgConnection::connect(&url).await.unwrap();
    assert!(sql::terminate_backend(&mut admin, pid).await.unwrap());
    let killed = Instant::now();
    let lost = until(Duration::from_secs(2), || !holds(&a, Role::Pipeline)).await;
    let taken = until(Duration::from_secs(3), || {
        plan.roles().iter().all(|r| holds(&b, *r))
    })
    .await;
    let took = killed.elapsed();
    eprintln!("loser gave up after {lost:?}; standby took every role after {took:?}");
    assert!(lost.is_some(), "the loser reports the loss within 2 s");
    assert!(
        taken.is_some() && took <= Duration::from_secs(2),
        "took {took:?}"
    );
    // The loser must not take them back while b holds them (flap damping or the locks).
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(plan.roles().iter().all(|r| !holds(&a, *r) && holds(&b, *r)));
    stop_a.cancel();
    stop_b.cancel();
    drop(admin);
    tokio::time::sleep(Duration::from_millis(200)).await;
    drop_db(&db).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL (127.0.0.1:5432); .ci/run runs it"]
async fn two_gateway_groups_are_shared_one_each_between_two_replicas() {
    let (db, url) = fresh_db().await;
    let plan = ShardPlan::new(2, Some(1));
    let (a, stop_a) = start(&url, "a", plan, Tuning::default());
    until(Duration::from_secs(5), || {
        holds(&a, Role::Gateway(0)) && holds(&a, Role::Gateway(1))
    })
    .await
    .expect("alone, a holds both groups");
    let (b, stop_b) = start(&url, "b", plan, Tuning::default());
    let shared = until(Duration::from_secs(5), || {
        a.snapshot().gateway.len() == 1 && b.snapshot().gateway.len() == 1
    })
    .await;
    assert!(
        shared.is_some(),
        "one group each: a {:?}, b {:?}",
        a.snapshot().gateway,
        b.snapshot().gateway
    );
    assert_ne!(a.snapshot().gateway, b.snapshot().gateway);
    // b leaves: a takes both again.
    b.release_all().await;
    until(Duration::from_secs(3), || a.snapshot().gateway.len() == 2)
        .await
        .expect("a takes the freed group");
    stop_a.cancel();
    stop_b.cancel();
    tokio::time::sleep(Duration::from_millis(200)).await;
    drop_db(&db).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL (127.0.0.1:5432); .ci/run runs it"]
async fn release_all_hands_every_role_over_at_once_through_notify() {
    let (db, url) = fresh_db().await;
    let plan = ShardPlan::new(1, None);
    let (a, stop_a) = start(&url, "a", plan, Tuning::default());
    until(Duration::from_secs(5), || holds(&a, Role::Gateway(0)))
        .await
        .expect("a takes the roles");
    // The standby polls only every 30 s: only the NOTIFY can make it take over fast.
    let slow = Tuning {
        retry_every: Duration::from_secs(30),
        ..Tuning::default()
    };
    let (b, stop_b) = start(&url, "b", plan, slow);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!holds(&b, Role::Gateway(0)));
    let released = Instant::now();
    a.release_all().await;
    assert!(plan.roles().iter().all(|r| !holds(&a, *r)));
    let taken = until(Duration::from_secs(3), || {
        plan.roles().iter().all(|r| holds(&b, *r))
    })
    .await;
    let took = released.elapsed();
    eprintln!("handover after release_all: {took:?}");
    assert!(
        taken.is_some() && took < Duration::from_secs(1),
        "took {took:?}"
    );
    stop_a.cancel();
    stop_b.cancel();
    tokio::time::sleep(Duration::from_millis(200)).await;
    drop_db(&db).await;
}

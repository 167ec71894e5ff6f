//! The v1 contract's extensions: `GET /v1/meta` and its capability rule, seeking the events
//! feed (`after=latest`, `since`), token introspection, and event retention.

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use paradarum_bot::client::ApiError;
use paradarum_bot::sandbox::{Sandbox, SandboxConfig};
use paradarum_bot::store::Store;
use paradarum_bot::ticket::api::{
    capability, format_event_id, parse_event_id, scope, token_kind, Event, EventKind, Meta,
};
use paradarum_bot::ticket::{Status, Topic};
use reqwest::Method;
use secrecy::SecretString;
use serde_json::Value;
use tokio_util::sync::CancellationToken;

use crate::helpers::{client_for, expose, TestSandbox, ADMIN};

/// Serves `app` on loopback; returns its base URL.
async fn serve(app: Router) -> url::Url {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}/").parse().unwrap()
}

/// Every event of the feed, oldest first (pages of 100).
async fn all_events(sb: &TestSandbox) -> Vec<Event> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = sb
            .client
            .events(&sb.admin, after.as_deref(), Some(100))
            .await
            .unwrap();
        let last = page.items.last().map(|e| e.id.clone());
        out.extend(page.items);
        match (page.next_cursor, last) {
            (Some(c), _) => after = Some(c),
            _ => return out,
        }
    }
}

/// A raw GET of `path` with `token`: (status, JSON body).
async fn get_json(sb: &TestSandbox, path: &str, token: Option<&str>) -> (u16, Value) {
    let resp = sb.raw(Method::GET, path, token).send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap())
}

// ---- GET /v1/meta ---------------------------------------------------------------------

#[tokio::test]
async fn meta_lists_every_capability_without_a_token() {
    let sb = TestSandbox::spawn().await;
    let (status, body) = get_json(&sb, "v1/meta", None).await;
    assert_eq!(status, 200);
    assert_eq!(body["apiVersion"], "v1");
    assert_eq!(
        body["capabilities"],
        serde_json::json!([
            "events.after_latest",
            "events.since",
            "token.introspection",
            "tickets.idempotent_writes",
            "tickets.expected_status",
            "messages.staff_name"
        ])
    );
    // A token, even an unknown one, is ignored.
    let (status, with_bad_token) = get_json(&sb, "v1/meta", Some("nonsense")).await;
    assert_eq!(status, 200);
    assert_eq!(with_bad_token, body);

    let meta = sb.client.meta().await.unwrap();
    assert_eq!(meta.api_version, "v1");
    for cap in capability::ALL {
        assert!(meta.has(cap), "{cap}");
    }
    assert_eq!(meta.capabilities.len(), 6);
    assert!(!meta.has("events.teleport"));
}

#[tokio::test]
async fn an_api_without_meta_announces_nothing() {
    // An API that lags the contract: no /v1/meta (404), or one that authenticates before
    // routing (401).
    let base =
        serve(Router::new().route("/v1/account", get(|| async { (StatusCode::OK, "{}") }))).await;
    let meta = client_for(base).meta().await.unwrap();
    assert_eq!(meta, Meta::default());
    assert!(meta.capabilities.is_empty());
    assert!(!meta.has(capability::EVENTS_SINCE));

    let base = serve(Router::new().fallback(|| async {
        (
            StatusCode::UNAUTHORIZED,
            r#"{"error":"unauthorized","message":"token"}"#,
        )
    }))
    .await;
    let meta = client_for(base).meta().await.unwrap();
    assert!(meta.capabilities.is_empty());

    // A newer API: extra fields and capabilities this bot does not know still read.
    let base = serve(Router::new().route(
        "/v1/meta",
        get(|| async {
            (
                [("content-type", "application/json")],
                r#"{"apiVersion":"v1","capabilities":["events.since","tickets.tags"],"region":"eu"}"#,
            )
        }),
    ))
    .await;
    let meta = client_for(base).meta().await.unwrap();
    assert!(meta.has(capability::EVENTS_SINCE));
    assert!(!meta.has(capability::EVENTS_AFTER_LATEST));
    assert_eq!(meta.capabilities, vec!["events.since", "tickets.tags"]);

    // A failing API is an error, not "nothing announced".
    let base = serve(Router::new().route(
        "/v1/meta",
        get(|| async { StatusCode::SERVICE_UNAVAILABLE }),
    ))
    .await;
    let err = client_for(base).meta().await.unwrap_err();
    assert!(matches!(err, ApiError::Unavailable { .. }), "{err:?}");
}

// ---- GET /v1/events?after=latest ------------------------------------------------------

#[tokio::test]
async fn after_latest_is_the_newest_id_and_the_feed_continues_from_it() {
    let sb = TestSandbox::spawn().await;
    let feed = sb.staff(&[scope::EVENTS_READ]).await;
    // An empty feed: no newest event.
    assert_eq!(sb.client.events_latest(&feed).await.unwrap(), None);
    let (status, body) = get_json(&sb, "v1/events?after=latest", Some(expose(&feed))).await;
    assert_eq!(status, 200);
    assert_eq!(body["items"], serde_json::json!([]));
    assert!(body["nextCursor"].is_null());

    let (alice, _) = sb.customer("Alice").await;
    let t = sb.open(&alice, Topic::General, "Help").await;
    sb.client
        .set_status(&sb.admin, t.id, Status::InProgress, None)
        .await
        .unwrap();
    let events = all_events(&sb).await;
    assert_eq!(events.len(), 2);
    let latest = sb.client.events_latest(&feed).await.unwrap().unwrap();
    assert_eq!(latest, events[1].id);
    let (_, body) = get_json(&sb, "v1/events?after=latest", Some(expose(&feed))).await;
    assert_eq!(body["items"], serde_json::json!([]));
    assert_eq!(body["nextCursor"], latest.as_str());

    // Nothing after it yet; then exactly the later events.
    let page = sb
        .client
        .events(&feed, Some(&latest), Some(100))
        .await
        .unwrap();
    assert!(page.items.is_empty());
    sb.client
        .set_status(&sb.admin, t.id, Status::Resolved, None)
        .await
        .unwrap();
    sb.client.close(&alice, t.id, None).await.unwrap();
    let page = sb
        .client
        .events(&feed, Some(&latest), Some(100))
        .await
        .unwrap();
    let to: Vec<Status> = page
        .items
        .iter()
        .map(|e| match e.kind() {
            EventKind::StatusChanged { to, .. } => to,
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(to, vec![Status::Resolved, Status::Closed]);
    assert!(page.items.iter().all(|e| e.id > latest));
    assert_eq!(
        sb.client.events_latest(&feed).await.unwrap().as_deref(),
        Some(page.items[1].id.as_str())
    );
}

#[tokio::test]
async fn after_latest_needs_the_events_scope() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let read = sb.staff(&[scope::TICKETS_READ]).await;
    for token in [&alice, &read] {
        let err = sb.client.events_latest(token).await.unwrap_err();
        assert!(matches!(err, ApiError::Forbidden { .. }), "{err:?}");
    }
    let err = sb
        .client
        .events_latest(&SecretString::from("unknown"))
        .await
        .unwrap_err();
    assert_eq!(err, ApiError::Unauthorized);
}

// ---- GET /v1/events?since= -------------------------------------------------------------

#[tokio::test]
async fn since_returns_exactly_the_events_at_or_after_a_time() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    for i in 0..5 {
        sb.open(&alice, Topic::General, &format!("Ticket {i}"))
            .await;
        // Distinct milliseconds, so a time splits the feed cleanly.
        tokio::time::sleep(Duration::from_millis(3)).await;
    }
    let events = all_events(&sb).await;
    assert_eq!(events.len(), 5);
    let middle = events[2].occurred_at;
    assert!(events[1].occurred_at < middle);

    let page = sb
        .client
        .events_since(&sb.admin, middle, None)
        .await
        .unwrap();
    let ids: Vec<&str> = page.items.iter().map(|e| e.id.as_str()).collect();
    let expected: Vec<&str> = events[2..].iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, expected);
    assert_eq!(page.next_cursor, None, "not a full page");

    // One millisecond later excludes the middle event.
    let later = middle + chrono::Duration::milliseconds(1);
    let page = sb
        .client
        .events_since(&sb.admin, later, None)
        .await
        .unwrap();
    assert_eq!(page.items.first().map(|e| &e.id), Some(&events[3].id));
    assert_eq!(page.items.len(), 2);

    // A time after everything: nothing. One before everything: everything.
    let future = chrono::Utc::now() + chrono::Duration::hours(1);
    let page = sb
        .client
        .events_since(&sb.admin, future, None)
        .await
        .unwrap();
    assert!(page.items.is_empty());
    let past = events[0].occurred_at - chrono::Duration::days(1);
    let page = sb.client.events_since(&sb.admin, past, None).await.unwrap();
    assert_eq!(page.items, events);

    // `limit` applies; the page is full, so nextCursor is its last id and `after`
    // continues exactly.
    let first = sb
        .client
        .events_since(&sb.admin, middle, Some(2))
        .await
        .unwrap();
    assert_eq!(first.items.len(), 2);
    assert_eq!(first.items[0].id, events[2].id);
    assert_eq!(first.next_cursor.as_deref(), Some(events[3].id.as_str()));
    let rest = sb
        .client
        .events(&sb.admin, first.next_cursor.as_deref(), Some(100))
        .await
        .unwrap();
    assert_eq!(rest.items, events[4..].to_vec());

    // On the wire, with an explicit offset (`+` sent as %2B).
    let local = middle
        .with_timezone(&chrono::FixedOffset::east_opt(2 * 3600).unwrap())
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, false);
    assert!(local.contains("+02:00"), "{local}");
    let path = format!("v1/events?since={}", local.replace('+', "%2B"));
    let (status, body) = get_json(&sb, &path, Some(expose(&sb.admin))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["items"].as_array().unwrap().len(), 3);
    assert_eq!(body["items"][0]["id"], events[2].id.as_str());
}

#[tokio::test]
async fn a_bad_since_or_since_with_after_is_a_400_naming_since() {
    let sb = TestSandbox::spawn().await;
    let admin = expose(&sb.admin).to_string();
    for query in [
        "since=yesterday",
        "since=2026-01-01",
        "since=2026-13-01T00:00:00Z",
        "since=1700000000",
        "since=",
        "since=2026-01-01T00:00:00Z&after=evt_000000000001",
        "after=evt_000000000001&since=2026-01-01T00:00:00Z",
        "after=latest&since=2026-01-01T00:00:00Z",
    ] {
        let (status, body) = get_json(&sb, &format!("v1/events?{query}"), Some(&admin)).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(body["error"], "validation", "{query}");
        assert_eq!(body["field"], "since", "{query}");
    }
    // Existing rules still hold.
    let (status, body) = get_json(&sb, "v1/events?after=newest", Some(&admin)).await;
    assert_eq!((status, body["field"].as_str()), (400, Some("after")));
    let (status, body) = get_json(
        &sb,
        "v1/events?since=2026-01-01T00:00:00Z&limit=101",
        Some(&admin),
    )
    .await;
    assert_eq!((status, body["field"].as_str()), (400, Some("limit")));
    // Without `events:read`, scope comes first.
    let (alice, _) = sb.customer("Alice").await;
    let (status, body) = get_json(&sb, "v1/events?since=junk", Some(expose(&alice))).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("forbidden")));
}

// ---- GET /v1/token ---------------------------------------------------------------------

#[tokio::test]
async fn token_introspection_tells_each_kind_of_token() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let alice_account = sb.client.account(&alice).await.unwrap().id;

    let info = sb.client.token_info(&alice).await.unwrap();
    assert_eq!(info.kind, token_kind::CUSTOMER);
    assert_eq!(info.kind, "customer");
    assert!(info.scopes.is_empty());
    assert_eq!(info.account_id.as_deref(), Some(alice_account.as_str()));

    let integration = sb.staff(&[scope::EVENTS_READ, scope::TICKETS_TOPIC]).await;
    let info = sb.client.token_info(&integration).await.unwrap();
    assert_eq!(info.kind, "integration");
    assert_eq!(info.scopes, vec!["events:read", "tickets:topic"]);
    assert_eq!(info.account_id, None);
    assert!(info.has_scope(scope::EVENTS_READ));
    assert!(!info.has_scope(scope::TICKETS_READ));
    // On the wire the account of a staff token is an explicit null.
    let (status, body) = get_json(&sb, "v1/token", Some(expose(&integration))).await;
    assert_eq!(status, 200);
    assert!(body.get("accountId").is_some_and(Value::is_null), "{body}");

    let info = sb.client.token_info(&sb.admin).await.unwrap();
    assert_eq!(info.kind, "admin");
    assert_eq!(info.scopes, scope::ALL.to_vec());
    assert_eq!(info.account_id, None);

    let err = sb
        .client
        .token_info(&SecretString::from("sbx_int_unknown"))
        .await
        .unwrap_err();
    assert_eq!(err, ApiError::Unauthorized);
    let (status, body) = get_json(&sb, "v1/token", None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("unauthorized"))
    );
}

// ---- retention ---------------------------------------------------------------------------

#[tokio::test]
async fn pruning_deletes_old_events_but_keeps_the_newest_and_ids_keep_growing() {
    let sb = TestSandbox::spawn().await;
    let store = sb.store.sandbox();
    // Nothing to prune on an empty feed.
    assert_eq!(store.prune_events(i64::MAX, None).await.unwrap(), 0);

    let (alice, _) = sb.customer("Alice").await;
    for i in 0..4 {
        sb.open(&alice, Topic::General, &format!("Ticket {i}"))
            .await;
    }
    let events = all_events(&sb).await;
    assert_eq!(events.len(), 4);
    let seqs: Vec<u64> = events.iter().map(|e| e.sequence().unwrap()).collect();

    // A cut-off before every event deletes nothing.
    let before_all = events[0].occurred_at.timestamp_millis();
    assert_eq!(store.prune_events(before_all, None).await.unwrap(), 0);
    assert_eq!(all_events(&sb).await.len(), 4);

    // Undelivered webhook events are kept: only up to seq[1] may go.
    let after_all = chrono::Utc::now().timestamp_millis() + 1000;
    assert_eq!(
        store.prune_events(after_all, Some(seqs[1])).await.unwrap(),
        2
    );
    let left: Vec<String> = all_events(&sb).await.into_iter().map(|e| e.id).collect();
    assert_eq!(left, vec![events[2].id.clone(), events[3].id.clone()]);

    // Everything old goes, except the newest.
    assert_eq!(store.prune_events(after_all, None).await.unwrap(), 1);
    assert_eq!(store.prune_events(after_all, None).await.unwrap(), 0);
    let left = all_events(&sb).await;
    assert_eq!(left, vec![events[3].clone()]);
    assert_eq!(
        sb.client.events_latest(&sb.admin).await.unwrap(),
        Some(events[3].id.clone())
    );

    // The feed continues with increasing ids, never reusing a deleted one.
    sb.open(&alice, Topic::Billing, "After pruning").await;
    let page = sb
        .client
        .events(&sb.admin, Some(&events[3].id), None)
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    let new_seq = parse_event_id(&page.items[0].id).unwrap();
    assert_eq!(new_seq, seqs[3] + 1);
    // A reader whose cursor points at a deleted event still continues correctly.
    let page = sb
        .client
        .events(&sb.admin, Some(&events[0].id), None)
        .await
        .unwrap();
    let ids: Vec<String> = page.items.iter().map(|e| e.id.clone()).collect();
    assert_eq!(ids, vec![events[3].id.clone(), format_event_id(new_seq)]);
}

#[tokio::test]
async fn a_sandbox_with_retention_prunes_at_start() {
    // Events written by one sandbox ...
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    for i in 0..3 {
        sb.open(&alice, Topic::General, &format!("Ticket {i}"))
            .await;
    }
    let events = all_events(&sb).await;
    assert_eq!(events.len(), 3);
    tokio::time::sleep(Duration::from_millis(5)).await;

    // ... then a second one on the same database, keeping events for no time at all.
    let store: Store = sb.store.clone();
    let mut config = SandboxConfig::new(SecretString::from(ADMIN));
    assert!(config.webhook.is_none() && config.retention.is_none());
    config.retention = Some(Duration::ZERO);
    let pruning = Sandbox::bind("127.0.0.1:0".parse().unwrap(), store, config)
        .await
        .unwrap();
    let shutdown = CancellationToken::new();
    let task = tokio::spawn(pruning.run(shutdown.clone()));

    let deadline = Instant::now() + Duration::from_secs(10);
    let left = loop {
        let left = all_events(&sb).await;
        if left.len() == 1 || Instant::now() > deadline {
            break left;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(left, vec![events[2].clone()], "only the newest is kept");
    shutdown.cancel();
    let stopped = tokio::time::timeout(Duration::from_secs(5), task).await;
    assert!(
        matches!(stopped, Ok(Ok(Ok(())))),
        "stops with its shutdown token"
    );
}

//! Faults the sandbox cannot produce, from a small misbehaving server: each ends in the
//! right error kind or value, quickly, and only safe calls are retried.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use paradarum_bot::client::{ApiClient, ApiError, ClientConfig};
use paradarum_bot::ticket::api::CreateTicket;
use paradarum_bot::ticket::{Status, Topic};
use secrecy::SecretString;

use crate::helpers::free_port;

const TICKET_JSON: &str = r#"{"id":5,"accountId":"acc_1","topic":9,"status":1,"subject":"future",
 "propertyId":null,"createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z","sla":"gold"}"#;

/// Serves `app` on loopback; returns its base URL and a hit counter the app shares.
async fn serve(app: Router) -> url::Url {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}/").parse().unwrap()
}

fn client(base: url::Url, timeout_ms: u64) -> ApiClient {
    let mut c = ClientConfig::new(base);
    c.request_timeout = Duration::from_millis(timeout_ms);
    c.connect_timeout = Duration::from_millis(500);
    c.max_retries = 2;
    c.first_backoff = Duration::from_millis(10);
    c.retry_budget = Duration::from_secs(2);
    ApiClient::new(c).unwrap()
}

fn token() -> SecretString {
    SecretString::from("t")
}

fn counted(hits: &Arc<AtomicUsize>) -> Arc<AtomicUsize> {
    hits.clone()
}

#[tokio::test]
async fn a_500_is_unavailable_after_bounded_retries_of_a_read() {
    let hits = Arc::new(AtomicUsize::new(0));
    let h = counted(&hits);
    let base = serve(Router::new().route(
        "/v1/tickets/{id}",
        get(move || {
            let h = h.clone();
            async move {
                h.fetch_add(1, Ordering::SeqCst);
                (StatusCode::INTERNAL_SERVER_ERROR, "boom")
            }
        }),
    ))
    .await;
    let started = Instant::now();
    let err = client(base, 1000).ticket(&token(), 5).await.unwrap_err();
    assert!(matches!(err, ApiError::Unavailable { .. }), "{err:?}");
    assert_eq!(hits.load(Ordering::SeqCst), 3, "one try and two retries");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn a_create_without_an_idempotency_key_is_never_retried() {
    let hits = Arc::new(AtomicUsize::new(0));
    let h = counted(&hits);
    let base = serve(Router::new().route(
        "/v1/tickets",
        post(move || {
            let h = h.clone();
            async move {
                h.fetch_add(1, Ordering::SeqCst);
                StatusCode::BAD_GATEWAY
            }
        }),
    ))
    .await;
    let c = client(base, 1000);
    let body = CreateTicket {
        topic: Topic::General,
        subject: "s".into(),
        message: "m".into(),
        property_id: None,
    };
    assert!(c.create_ticket(&token(), &body, None).await.is_err());
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    assert!(c.create_ticket(&token(), &body, Some("k")).await.is_err());
    assert_eq!(hits.load(Ordering::SeqCst), 1 + 3, "with a key: retried");
    assert!(c.close(&token(), 5, None).await.is_err());
}

#[tokio::test]
async fn a_slow_answer_times_out_quickly_as_unavailable() {
    let base = serve(Router::new().route(
        "/v1/tickets/{id}",
        get(|| async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            TICKET_JSON
        }),
    ))
    .await;
    let mut c = ClientConfig::new(base);
    c.request_timeout = Duration::from_millis(200);
    c.max_retries = 0;
    let started = Instant::now();
    let err = ApiClient::new(c)
        .unwrap()
        .ticket(&token(), 5)
        .await
        .unwrap_err();
    assert_eq!(
        err,
        ApiError::Unavailable {
            reason: "timed out".into(),
            maybe_applied: true,
        }
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn malformed_json_is_undecodable_and_keeps_the_body() {
    let base = serve(Router::new().route(
        "/v1/tickets/{id}",
        get(|| async {
            (
                [("content-type", "application/json")],
                "{\"id\": 5, \"topic\":",
            )
        }),
    ))
    .await;
    let err = client(base, 1000).ticket(&token(), 5).await.unwrap_err();
    match err {
        ApiError::Undecodable { status, body } => {
            assert_eq!(status, 200);
            assert_eq!(body, "{\"id\": 5, \"topic\":");
        }
        other => panic!("expected Undecodable, got {other:?}"),
    }
}

#[tokio::test]
async fn a_429_with_retry_after_is_honoured_then_succeeds() {
    let hits = Arc::new(AtomicUsize::new(0));
    let h = counted(&hits);
    let base = serve(Router::new().route(
        "/v1/tickets/{id}",
        get(move || {
            let h = h.clone();
            async move {
                if h.fetch_add(1, Ordering::SeqCst) == 0 {
                    let mut headers = HeaderMap::new();
                    headers.insert("retry-after", "0.3".parse().unwrap());
                    (
                        StatusCode::TOO_MANY_REQUESTS,
                        headers,
                        "{\"error\":\"rate_limited\",\"message\":\"slow down\"}",
                    )
                        .into_response()
                } else {
                    ([("content-type", "application/json")], TICKET_JSON).into_response()
                }
            }
        }),
    ))
    .await;
    let started = Instant::now();
    let t = client(base, 1000).ticket(&token(), 5).await.unwrap();
    let waited = started.elapsed();
    assert_eq!(t.id, 5);
    assert_eq!(hits.load(Ordering::SeqCst), 2);
    assert!(
        waited >= Duration::from_millis(300),
        "Retry-After ignored: {waited:?}"
    );
    assert!(waited < Duration::from_secs(2));
}

#[tokio::test]
async fn a_retry_after_beyond_the_budget_returns_rate_limited_at_once() {
    let base = serve(Router::new().route(
        "/v1/tickets/{id}",
        get(|| async {
            let r: Response =
                (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "120")], "").into_response();
            r
        }),
    ))
    .await;
    let started = Instant::now();
    let err = client(base, 1000).ticket(&token(), 5).await.unwrap_err();
    assert_eq!(
        err,
        ApiError::RateLimited {
            retry_after: Some(Duration::from_secs(120))
        }
    );
    assert!(started.elapsed() < Duration::from_millis(500));
}

#[tokio::test]
async fn a_refused_connection_is_unavailable_quickly() {
    let port = free_port();
    let started = Instant::now();
    let err = client(format!("http://127.0.0.1:{port}/").parse().unwrap(), 1000)
        .ticket(&token(), 5)
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::Unavailable { .. }), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn a_topic_of_nine_and_unknown_fields_still_read_as_a_ticket() {
    let base = serve(Router::new().route(
        "/v1/tickets/{id}",
        get(|| async { ([("content-type", "application/json")], TICKET_JSON) }),
    ))
    .await;
    let t = client(base, 1000).ticket(&token(), 5).await.unwrap();
    assert_eq!(t.topic, Topic::Unknown(9));
    assert_eq!(t.topic.label(), "Unknown topic (9)");
    assert_eq!(t.status, Status::InProgress);
}

#[tokio::test]
async fn an_error_page_that_is_not_json_still_maps_by_status() {
    let base = serve(Router::new().route(
        "/v1/tickets/{id}",
        get(|| async { (StatusCode::NOT_FOUND, "<html>nope</html>") }),
    ))
    .await;
    let err = client(base, 1000).ticket(&token(), 5).await.unwrap_err();
    assert_eq!(err, ApiError::NotFound);
}

#[tokio::test]
async fn a_base_url_with_a_path_keeps_it() {
    let base = serve(Router::new().route(
        "/api/v1/tickets/{id}",
        get(|| async { ([("content-type", "application/json")], TICKET_JSON) }),
    ))
    .await;
    let with_path = base.join("api").unwrap();
    let t = client(with_path, 1000).ticket(&token(), 5).await.unwrap();
    assert_eq!(t.id, 5);
}

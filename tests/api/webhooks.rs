//! The sandbox's signed webhooks, received by a real HTTP server and verified with the
//! documented Standard Webhooks scheme.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use paradarum_bot::sandbox::WebhookTarget;
use paradarum_bot::signing::WebhookSecret;
use paradarum_bot::ticket::api::{Event, EventKind};
use paradarum_bot::ticket::{Status, Topic};

use crate::helpers::TestSandbox;

/// (webhook-id, webhook-timestamp, webhook-signature, body) of one request.
pub(crate) type Delivery = (String, String, String, Vec<u8>);

#[derive(Clone, Default)]
pub(crate) struct Received {
    /// Every request received.
    pub(crate) requests: Arc<Mutex<Vec<Delivery>>>,
    /// Answer 500 to this many requests first.
    fail_first: Arc<Mutex<usize>>,
}

async fn receive(State(r): State<Received>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let h = |n: &str| {
        headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    r.requests.lock().unwrap().push((
        h("webhook-id"),
        h("webhook-timestamp"),
        h("webhook-signature"),
        body.to_vec(),
    ));
    let mut fail = r.fail_first.lock().unwrap();
    if *fail > 0 {
        *fail -= 1;
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::NO_CONTENT
    }
}

pub(crate) async fn receiver(fail_first: usize) -> (url::Url, Received) {
    let received = Received::default();
    *received.fail_first.lock().unwrap() = fail_first;
    let app = Router::new()
        .route("/hook", post(receive))
        .with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (format!("http://{addr}/hook").parse().unwrap(), received)
}

pub(crate) async fn wait_for(received: &Received, n: usize) -> Vec<Delivery> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let got = received.requests.lock().unwrap().clone();
        if got.len() >= n || Instant::now() > deadline {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn every_event_arrives_signed_and_verifies_with_the_secret() {
    let (url, received) = receiver(0).await;
    let secret = WebhookSecret::generate();
    let sb = TestSandbox::spawn_with(Some(WebhookTarget {
        url,
        secret: secret.clone(),
        max_attempts: 3,
        first_backoff: Duration::from_millis(20),
    }))
    .await;
    let (alice, _) = sb.customer("Alice").await;
    let t = sb.open(&alice, Topic::Ssl, "Cert").await;
    sb.client
        .set_status(&sb.admin, t.id, Status::Resolved, None)
        .await
        .unwrap();

    let got = wait_for(&received, 2).await;
    assert_eq!(got.len(), 2);
    let now = chrono::Utc::now().timestamp();
    let wrong = WebhookSecret::generate();
    let mut kinds = Vec::new();
    for (id, ts, sig, body) in &got {
        assert_eq!(secret.verify(id, ts, sig, body, now), Ok(()));
        assert!(wrong.verify(id, ts, sig, body, now).is_err());
        let event: Event = serde_json::from_slice(body).unwrap();
        assert_eq!(&event.id, id, "webhook-id is the event id");
        kinds.push(event.kind());
    }
    assert_eq!(
        kinds,
        vec![
            EventKind::Created {
                topic: Topic::Ssl,
                status: Status::Open
            },
            EventKind::StatusChanged {
                from: Status::Open,
                to: Status::Resolved
            },
        ]
    );
}

#[tokio::test]
async fn a_failing_receiver_gets_the_event_again_with_backoff() {
    let (url, received) = receiver(2).await;
    let secret = WebhookSecret::generate();
    let sb = TestSandbox::spawn_with(Some(WebhookTarget {
        url,
        secret: secret.clone(),
        max_attempts: 5,
        first_backoff: Duration::from_millis(50),
    }))
    .await;
    let (alice, _) = sb.customer("Alice").await;
    sb.open(&alice, Topic::General, "Help").await;

    let got = wait_for(&received, 3).await;
    assert_eq!(got.len(), 3, "two refusals then the delivery");
    assert!(
        got.iter().all(|(id, ..)| id == &got[0].0),
        "the same event each time"
    );
    // Nothing further: it was delivered.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(received.requests.lock().unwrap().len(), 3);
}

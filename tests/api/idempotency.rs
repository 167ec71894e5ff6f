//! `Idempotency-Key` on replies and closes (capability `tickets.idempotent_writes`), over
//! real HTTP against the real sandbox: a retry gets the first answer byte for byte and
//! changes nothing; the key used for anything else is a conflict.

use std::time::Duration;

use paradarum_bot::sandbox::WebhookTarget;
use paradarum_bot::signing::WebhookSecret;
use paradarum_bot::ticket::api::{capability, scope, CreateTicket, Event, EventKind, TicketId};
use paradarum_bot::ticket::{Status, Topic};
use reqwest::header::HeaderValue;
use reqwest::multipart::{Form, Part};
use reqwest::Method;
use secrecy::SecretString;
use serde_json::{json, Value};

use crate::helpers::{expose, TestSandbox};

/// An answer as it came off the wire: status and the exact body bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Answer {
    status: u16,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }

    fn error(&self) -> String {
        self.json()["error"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

async fn answer(req: reqwest::RequestBuilder) -> Answer {
    let resp = req.timeout(Duration::from_secs(10)).send().await.unwrap();
    let status = resp.status().as_u16();
    Answer {
        status,
        body: resp.bytes().await.unwrap().to_vec(),
    }
}

fn keyed(req: reqwest::RequestBuilder, key: Option<&str>) -> reqwest::RequestBuilder {
    match key {
        Some(k) => req.header("Idempotency-Key", k),
        None => req,
    }
}

async fn reply(
    sb: &TestSandbox,
    token: &SecretString,
    id: TicketId,
    key: Option<&str>,
    body: &str,
) -> Answer {
    let req = sb.raw(
        Method::POST,
        &format!("v1/tickets/{id}/messages"),
        Some(expose(token)),
    );
    answer(keyed(req, key).json(&json!({ "body": body }))).await
}

/// A multipart reply with one file.
async fn reply_with_file(
    sb: &TestSandbox,
    token: &SecretString,
    id: TicketId,
    key: &str,
    (filename, content_type, bytes): (&str, &str, &[u8]),
) -> Answer {
    let part = Part::bytes(bytes.to_vec())
        .file_name(filename.to_string())
        .mime_str(content_type)
        .unwrap();
    let form = Form::new()
        .text("body", "the log is attached")
        .part("attachments", part);
    let req = sb.raw(
        Method::POST,
        &format!("v1/tickets/{id}/messages"),
        Some(expose(token)),
    );
    answer(keyed(req, Some(key)).multipart(form)).await
}

async fn close(sb: &TestSandbox, token: &SecretString, id: TicketId, key: Option<&str>) -> Answer {
    let req = sb.raw(
        Method::POST,
        &format!("v1/tickets/{id}/close"),
        Some(expose(token)),
    );
    answer(keyed(req, key)).await
}

async fn message_count(sb: &TestSandbox, id: TicketId) -> usize {
    sb.client.messages(&sb.admin, id).await.unwrap().len()
}

async fn all_events(sb: &TestSandbox) -> Vec<Event> {
    let page = sb.client.events(&sb.admin, None, Some(100)).await.unwrap();
    assert!(page.items.len() < 100, "more events than one page");
    page.items
}

#[tokio::test]
async fn meta_announces_idempotent_writes() {
    let sb = TestSandbox::spawn().await;
    let meta = sb.client.meta().await.unwrap();
    assert!(meta.has(capability::IDEMPOTENT_WRITES));
    assert_eq!(capability::IDEMPOTENT_WRITES, "tickets.idempotent_writes");
}

#[tokio::test]
async fn a_replayed_reply_answers_the_first_message_and_adds_none() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let t = sb.open(&alice, Topic::Networking, "Origin down").await;
    assert_eq!(message_count(&sb, t.id).await, 1);

    let first = reply(&sb, &alice, t.id, Some("reply-1"), "Still down.").await;
    assert_eq!(first.status, 201, "{:?}", first.json());
    assert_eq!(first.json()["message"]["body"], "Still down.");
    assert_eq!(first.json()["ticket"]["status"], 0);
    // The ticket moves on after the first answer.
    sb.client
        .set_status(&sb.admin, t.id, Status::InProgress, None)
        .await
        .unwrap();

    let again = reply(&sb, &alice, t.id, Some("reply-1"), "Still down.").await;
    assert_eq!(again, first, "the same status and the very same bytes");
    assert_eq!(
        again.json()["ticket"]["status"],
        0,
        "the ticket as first returned"
    );
    assert_eq!(
        message_count(&sb, t.id).await,
        2,
        "one message more, not two"
    );

    // Without a key nothing changes: each request is a reply of its own.
    let a = reply(&sb, &alice, t.id, None, "Same text").await;
    let b = reply(&sb, &alice, t.id, None, "Same text").await;
    assert_eq!((a.status, b.status), (201, 201));
    assert_ne!(a.json()["message"]["id"], b.json()["message"]["id"]);
    assert_eq!(message_count(&sb, t.id).await, 4);
}

#[tokio::test]
async fn a_reply_key_with_another_body_or_on_another_ticket_conflicts() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let t1 = sb.open(&alice, Topic::General, "One").await;
    let t2 = sb.open(&alice, Topic::General, "Two").await;
    let first = reply(&sb, &alice, t1.id, Some("k"), "Hello").await;
    assert_eq!(first.status, 201);

    let other_body = reply(&sb, &alice, t1.id, Some("k"), "Hello!").await;
    assert_eq!(other_body.status, 409);
    assert_eq!(other_body.error(), "idempotency_conflict");

    let other_ticket = reply(&sb, &alice, t2.id, Some("k"), "Hello").await;
    assert_eq!(other_ticket.status, 409);
    assert_eq!(other_ticket.error(), "idempotency_conflict");

    assert_eq!(message_count(&sb, t1.id).await, 2);
    assert_eq!(message_count(&sb, t2.id).await, 1);
    // The key still names the first request.
    assert_eq!(reply(&sb, &alice, t1.id, Some("k"), "Hello").await, first);
}

#[tokio::test]
async fn a_multipart_reply_replays_with_the_same_file_and_conflicts_with_another() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let t = sb.open(&alice, Topic::Performance, "Slow").await;
    let file = ("trace.log", "text/plain", b"GET / 200 9000ms".as_slice());

    let first = reply_with_file(&sb, &alice, t.id, "upload-1", file).await;
    assert_eq!(first.status, 201, "{:?}", first.json());
    let attachments = &first.json()["message"]["attachments"];
    assert_eq!(attachments[0]["filename"], "trace.log");
    assert_eq!(attachments[0]["size"], 16);

    let again = reply_with_file(&sb, &alice, t.id, "upload-1", file).await;
    assert_eq!(again, first);

    // One byte different, another name, another type: another request.
    for other in [
        ("trace.log", "text/plain", b"GET / 200 9001ms".as_slice()),
        ("trace2.log", "text/plain", file.2),
        ("trace.log", "application/octet-stream", file.2),
    ] {
        let conflict = reply_with_file(&sb, &alice, t.id, "upload-1", other).await;
        assert_eq!(conflict.status, 409, "{other:?}");
        assert_eq!(conflict.error(), "idempotency_conflict");
    }
    // And the same key as a JSON reply with the same text but no file.
    let json_reply = reply(&sb, &alice, t.id, Some("upload-1"), "the log is attached").await;
    assert_eq!(json_reply.error(), "idempotency_conflict");

    let messages = sb.client.messages(&alice, t.id).await.unwrap();
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[1].attachments.len(), 1);
}

#[tokio::test]
async fn a_replayed_close_answers_200_with_the_first_ticket_though_it_is_now_closed() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let t = sb.open(&alice, Topic::Billing, "Invoice").await;

    let first = close(&sb, &alice, t.id, Some("close-1")).await;
    assert_eq!(first.status, 200, "{:?}", first.json());
    assert_eq!(first.json()["status"], 3);
    assert_eq!(first.json()["id"], t.id);

    let again = close(&sb, &alice, t.id, Some("close-1")).await;
    assert_eq!(again, first);

    // Without the key, or with a new one, a Closed ticket is still refused.
    let unkeyed = close(&sb, &alice, t.id, None).await;
    assert_eq!(unkeyed.status, 409);
    assert_eq!(unkeyed.error(), "ticket_closed");
    let new_key = close(&sb, &alice, t.id, Some("close-2")).await;
    assert_eq!(new_key.error(), "ticket_closed");
    // A refused close is not remembered: close-2 is still free.
    let t2 = sb.open(&alice, Topic::Billing, "Second").await;
    let later = close(&sb, &alice, t2.id, Some("close-2")).await;
    assert_eq!(later.status, 200);
    assert_eq!(later.json()["id"], t2.id);
}

#[tokio::test]
async fn a_reply_made_before_the_close_replays_after_it() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let t = sb.open(&alice, Topic::Rules, "Rule 7").await;
    let first = reply(&sb, &alice, t.id, Some("r"), "More detail").await;
    assert_eq!(first.status, 201);
    assert_eq!(close(&sb, &alice, t.id, None).await.status, 200);

    assert_eq!(
        reply(&sb, &alice, t.id, Some("r"), "More detail").await,
        first
    );
    let refused = reply(&sb, &alice, t.id, Some("r2"), "More detail").await;
    assert_eq!(refused.error(), "ticket_closed");
    assert_eq!(message_count(&sb, t.id).await, 2);
}

#[tokio::test]
async fn a_key_is_one_request_across_reply_close_and_create() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let t = sb.open(&alice, Topic::General, "Mixed").await;

    assert_eq!(reply(&sb, &alice, t.id, Some("k1"), "hi").await.status, 201);
    let closed = close(&sb, &alice, t.id, Some("k1")).await;
    assert_eq!(closed.status, 409);
    assert_eq!(closed.error(), "idempotency_conflict");
    assert_eq!(
        sb.client.ticket(&alice, t.id).await.unwrap().status,
        Status::Open
    );

    assert_eq!(close(&sb, &alice, t.id, Some("k2")).await.status, 200);
    let replied = reply(&sb, &alice, t.id, Some("k2"), "hi").await;
    assert_eq!(replied.error(), "idempotency_conflict");

    // A key that created a ticket is taken for replies, and the other way round.
    let body = CreateTicket {
        topic: Topic::General,
        subject: "Keyed".into(),
        message: "m".into(),
        property_id: None,
    };
    let created = sb
        .client
        .create_ticket(&alice, &body, Some("k3"))
        .await
        .unwrap();
    let replied = reply(&sb, &alice, created.id, Some("k3"), "m").await;
    assert_eq!(replied.error(), "idempotency_conflict");
    assert_eq!(
        sb.client
            .create_ticket(&alice, &body, Some("k1"))
            .await
            .unwrap_err(),
        paradarum_bot::client::ApiError::IdempotencyConflict
    );
    assert_eq!(message_count(&sb, created.id).await, 1);
}

#[tokio::test]
async fn a_refused_request_is_not_remembered() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let t = sb.open(&alice, Topic::General, "Typo").await;

    let empty = reply(&sb, &alice, t.id, Some("k"), "").await;
    assert_eq!(empty.status, 400);
    assert_eq!(empty.error(), "validation");
    let req = sb.raw(
        Method::POST,
        &format!("v1/tickets/{}/messages", t.id),
        Some(expose(&alice)),
    );
    let unknown_field = answer(keyed(req, Some("k")).json(&json!({"body": "x", "p": 1}))).await;
    assert_eq!(unknown_field.status, 400);

    let ok = reply(&sb, &alice, t.id, Some("k"), "Now with text").await;
    assert_eq!(ok.status, 201, "judged afresh: {:?}", ok.json());

    // Refused as Closed, then the same key on an open ticket works.
    let closed = sb.open(&alice, Topic::General, "Closed one").await;
    sb.client.close(&alice, closed.id, None).await.unwrap();
    let refused = reply(&sb, &alice, closed.id, Some("k4"), "late").await;
    assert_eq!(refused.error(), "ticket_closed");
    assert_eq!(
        reply(&sb, &alice, t.id, Some("k4"), "late").await.status,
        201
    );
}

#[tokio::test]
async fn concurrent_replies_with_one_key_make_one_message_and_answer_alike() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let t = sb.open(&alice, Topic::General, "Double click").await;
    let make = |key: &'static str, path: String| {
        let req = sb
            .raw(Method::POST, &path, Some(expose(&alice)))
            .header("Idempotency-Key", key);
        if path.ends_with("/messages") {
            req.json(&json!({"body": "clicked twice"}))
        } else {
            req
        }
    };
    let replies: Vec<_> = (0..8)
        .map(|_| answer(make("same", format!("v1/tickets/{}/messages", t.id))))
        .collect();
    let answers = futures_all(replies).await;
    assert_eq!(answers[0].status, 201, "{:?}", answers[0].json());
    assert!(answers.iter().all(|a| a == &answers[0]), "{answers:?}");
    assert_eq!(message_count(&sb, t.id).await, 2);

    let closes: Vec<_> = (0..8)
        .map(|_| answer(make("close", format!("v1/tickets/{}/close", t.id))))
        .collect();
    let answers = futures_all(closes).await;
    assert_eq!(answers[0].status, 200, "{:?}", answers[0].json());
    assert!(answers.iter().all(|a| a == &answers[0]), "{answers:?}");
    let closings = all_events(&sb)
        .await
        .into_iter()
        .filter(|e| {
            e.kind()
                == EventKind::StatusChanged {
                    from: Status::Open,
                    to: Status::Closed,
                }
        })
        .count();
    assert_eq!(closings, 1);
}

/// Runs the requests at once (each on its own task and connection).
async fn futures_all(
    requests: Vec<impl std::future::Future<Output = Answer> + Send + 'static>,
) -> Vec<Answer> {
    let tasks: Vec<_> = requests.into_iter().map(tokio::spawn).collect();
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

#[tokio::test]
async fn a_replay_emits_no_event_and_sends_no_webhook() {
    let (url, received) = crate::webhooks::receiver(0).await;
    let sb = TestSandbox::spawn_with(Some(WebhookTarget {
        url,
        secret: WebhookSecret::generate(),
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

    // A reply to Resolved reopens: two events, once.
    let first = reply(&sb, &alice, t.id, Some("r"), "It is back").await;
    let before = all_events(&sb).await;
    assert_eq!(before.len(), 4);
    assert_eq!(
        reply(&sb, &alice, t.id, Some("r"), "It is back").await,
        first
    );
    assert_eq!(all_events(&sb).await, before);

    let closed = close(&sb, &alice, t.id, Some("c")).await;
    assert_eq!(closed.status, 200);
    let after_close = all_events(&sb).await;
    assert_eq!(after_close.len(), 5);
    assert_eq!(close(&sb, &alice, t.id, Some("c")).await, closed);
    assert_eq!(all_events(&sb).await, after_close);

    // Webhooks go out in order: once the close's has arrived, every earlier one has, and
    // a replay would have added one before it.
    let got = crate::webhooks::wait_for(&received, 5).await;
    let ids: Vec<String> = got.iter().map(|d| d.0.clone()).collect();
    let want: Vec<String> = after_close.iter().map(|e| e.id.clone()).collect();
    assert_eq!(ids, want);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(received.requests.lock().unwrap().len(), 5);
}

#[tokio::test]
async fn a_bad_idempotency_key_is_refused_like_on_creation() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let t = sb.open(&alice, Topic::General, "Keys").await;
    let long = "k".repeat(256);
    let bad: Vec<HeaderValue> = vec![
        HeaderValue::from_static(""),
        HeaderValue::from_str(&long).unwrap(),
        HeaderValue::from_static("has space"),
        HeaderValue::from_bytes("café".as_bytes()).unwrap(),
        HeaderValue::from_bytes(b"tab\there").unwrap(),
    ];
    for value in bad {
        let on = |method_path: &str| {
            sb.raw(Method::POST, method_path, Some(expose(&alice)))
                .header("Idempotency-Key", value.clone())
        };
        let created = answer(on("v1/tickets").json(&json!({
            "topic": 0, "subject": "s", "message": "m"
        })))
        .await;
        let replied =
            answer(on(&format!("v1/tickets/{}/messages", t.id)).json(&json!({"body": "x"}))).await;
        let form = Form::new().text("body", "x");
        let multipart = answer(on(&format!("v1/tickets/{}/messages", t.id)).multipart(form)).await;
        let closed = answer(on(&format!("v1/tickets/{}/close", t.id))).await;
        assert_eq!(created.status, 400, "{value:?}");
        assert_eq!(created.json()["field"], "Idempotency-Key");
        for a in [&replied, &multipart, &closed] {
            assert_eq!(a.status, 400, "{value:?}");
            assert_eq!(a.json(), created.json(), "{value:?}");
        }
    }
    // Nothing was stored.
    assert_eq!(message_count(&sb, t.id).await, 1);
    assert_eq!(
        sb.client.ticket(&alice, t.id).await.unwrap().status,
        Status::Open
    );

    // The longest allowed key works.
    let longest = "k".repeat(255);
    assert_eq!(
        reply(&sb, &alice, t.id, Some(&longest), "x").await.status,
        201
    );
    assert_eq!(
        reply(&sb, &alice, t.id, Some("~!{}"), "y").await.status,
        201
    );
}

#[tokio::test]
async fn keys_belong_to_their_caller() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let t = sb.open(&alice, Topic::General, "Shared key").await;
    let one = sb.staff(&[scope::TICKETS_WRITE]).await;
    let two = sb.staff(&[scope::TICKETS_WRITE]).await;

    let mine = reply(&sb, &alice, t.id, Some("k"), "same").await;
    let by_one = reply(&sb, &one, t.id, Some("k"), "same").await;
    let by_two = reply(&sb, &two, t.id, Some("k"), "same").await;
    let by_admin = reply(&sb, &sb.admin, t.id, Some("k"), "same").await;
    for a in [&mine, &by_one, &by_two, &by_admin] {
        assert_eq!(a.status, 201, "{:?}", a.json());
    }
    assert_eq!(by_one.json()["message"]["author"], "staff");
    assert_eq!(message_count(&sb, t.id).await, 5);

    // Each caller's retry replays its own answer.
    assert_eq!(reply(&sb, &one, t.id, Some("k"), "same").await, by_one);
    assert_eq!(
        reply(&sb, &sb.admin, t.id, Some("k"), "same").await,
        by_admin
    );
    assert_eq!(reply(&sb, &alice, t.id, Some("k"), "same").await, mine);
    assert_eq!(message_count(&sb, t.id).await, 5);

    // Another account's key of the same name is its own, but its ticket stays hidden.
    let (bob, _) = sb.customer("Bob").await;
    let hidden = reply(&sb, &bob, t.id, Some("k"), "same").await;
    assert_eq!(hidden.status, 404);
    let bobs = sb.open(&bob, Topic::General, "Bob's").await;
    assert_eq!(
        reply(&sb, &bob, bobs.id, Some("k"), "same").await.status,
        201
    );
}

//! The two contract extensions staff work from Discord needs (#13), over real HTTP against
//! the real sandbox: `expectedStatus` on a status change (capability
//! `tickets.expected_status`) and `staffName` on a staff reply (`messages.staff_name`).

use std::time::Duration;

use paradarum_bot::client::ApiError;
use paradarum_bot::ticket::api::{capability, code, scope, TicketId};
use paradarum_bot::ticket::{Author, Status, Topic};
use reqwest::multipart::{Form, Part};
use reqwest::Method;
use secrecy::SecretString;
use serde_json::{json, Value};

use crate::helpers::{expose, TestSandbox};

async fn event_count(sb: &TestSandbox) -> usize {
    let page = sb.client.events(&sb.admin, None, Some(100)).await.unwrap();
    assert!(page.items.len() < 100, "more events than one page");
    page.items.len()
}

/// A raw request's status and JSON body.
async fn send(req: reqwest::RequestBuilder) -> (u16, Value) {
    let resp = req.timeout(Duration::from_secs(10)).send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap())
}

async fn post_json(sb: &TestSandbox, token: &str, path: &str, body: Value) -> (u16, Value) {
    send(sb.raw(Method::POST, path, Some(token)).json(&body)).await
}

fn messages_path(id: TicketId) -> String {
    format!("v1/tickets/{id}/messages")
}

#[tokio::test]
async fn meta_announces_both_extensions() {
    let sb = TestSandbox::spawn().await;
    let meta = sb.client.meta().await.unwrap();
    assert!(meta.has(capability::EXPECTED_STATUS));
    assert!(meta.has(capability::STAFF_NAME));
    assert_eq!(capability::EXPECTED_STATUS, "tickets.expected_status");
    assert_eq!(capability::STAFF_NAME, "messages.staff_name");
}

#[tokio::test]
async fn a_status_change_with_the_right_expected_status_is_made() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let t = sb.open(&alice, Topic::General, "Help").await;
    let staff = sb.staff(&[scope::TICKETS_STATUS]).await;
    let started = sb
        .client
        .set_status(&staff, t.id, Status::InProgress, Some(Status::Open))
        .await
        .unwrap();
    assert_eq!(started.status, Status::InProgress);
    let resolved = sb
        .client
        .set_status(&staff, t.id, Status::Resolved, Some(Status::InProgress))
        .await
        .unwrap();
    assert_eq!(resolved.status, Status::Resolved);
    // Expecting the status it is already in, and asking for it: unchanged, 200, no event.
    let before = event_count(&sb).await;
    let same = sb
        .client
        .set_status(&staff, t.id, Status::Resolved, Some(Status::Resolved))
        .await
        .unwrap();
    assert_eq!(same.status, Status::Resolved);
    assert_eq!(event_count(&sb).await, before);
}

#[tokio::test]
async fn a_lost_race_answers_status_changed_with_the_ticket_and_changes_nothing() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let t = sb.open(&alice, Topic::Billing, "Invoice").await;
    // Two staff saw it Open; the first resolves it.
    sb.client
        .set_status(&sb.admin, t.id, Status::Resolved, Some(Status::Open))
        .await
        .unwrap();
    let before = event_count(&sb).await;
    let updated_at = sb.client.ticket(&sb.admin, t.id).await.unwrap().updated_at;

    // The second asks for In Progress, and for Resolved, both expecting Open.
    for target in [Status::InProgress, Status::Resolved] {
        match sb
            .client
            .set_status(&sb.admin, t.id, target, Some(Status::Open))
            .await
        {
            Err(ApiError::StatusChanged { ticket }) => {
                assert_eq!(ticket.id, t.id);
                assert_eq!(ticket.status, Status::Resolved);
                assert_eq!(ticket.updated_at, updated_at);
            }
            other => panic!("expected status_changed, got {other:?}"),
        }
    }
    assert_eq!(event_count(&sb).await, before, "no event on a mismatch");
    let now = sb.client.ticket(&sb.admin, t.id).await.unwrap();
    assert_eq!(now.status, Status::Resolved);
    assert_eq!(now.updated_at, updated_at, "nothing changed");

    // The raw answer: 409, the error fields and the ticket beside them.
    let (status, body) = post_json(
        &sb,
        expose(&sb.admin),
        &format!("v1/tickets/{}/status", t.id),
        json!({"status": 1, "expectedStatus": 1}),
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(body["error"], code::STATUS_CHANGED);
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert_eq!(body["ticket"]["id"], t.id);
    assert_eq!(body["ticket"]["status"], 2);
}

#[tokio::test]
async fn a_closed_ticket_answers_status_changed_unless_closed_was_expected() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let t = sb.open(&alice, Topic::Ssl, "Cert").await;
    sb.client.close(&alice, t.id, None).await.unwrap();
    let before = event_count(&sb).await;
    for expected in [Status::Open, Status::InProgress, Status::Resolved] {
        match sb
            .client
            .set_status(&sb.admin, t.id, Status::Resolved, Some(expected))
            .await
        {
            Err(ApiError::StatusChanged { ticket }) => assert_eq!(ticket.status, Status::Closed),
            other => panic!("expected status_changed, got {other:?}"),
        }
    }
    // Expecting Closed: the status matches, and Closed is final, as without the field.
    assert_eq!(
        sb.client
            .set_status(&sb.admin, t.id, Status::Resolved, Some(Status::Closed))
            .await
            .unwrap_err(),
        ApiError::TicketClosed
    );
    // Without the field: as before the extension.
    assert_eq!(
        sb.client
            .set_status(&sb.admin, t.id, Status::Resolved, None)
            .await
            .unwrap_err(),
        ApiError::TicketClosed
    );
    assert_eq!(event_count(&sb).await, before);
}

#[tokio::test]
async fn expected_status_is_validated_and_checked_after_the_scope() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let t = sb.open(&alice, Topic::General, "Help").await;
    let path = format!("v1/tickets/{}/status", t.id);
    for bad in [json!(4), json!(-1), json!("0"), json!(1.5), json!([0])] {
        let (status, body) = post_json(
            &sb,
            expose(&sb.admin),
            &path,
            json!({"status": 1, "expectedStatus": bad}),
        )
        .await;
        assert_eq!(status, 400, "{bad}");
        assert_eq!(body["field"], "expectedStatus", "{bad}");
    }
    // Null is no check.
    let (status, body) = post_json(
        &sb,
        expose(&sb.admin),
        &path,
        json!({"status": 1, "expectedStatus": null}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    // A customer, or a token without tickets:status, learns nothing about the status.
    let reader = sb.staff(&[scope::TICKETS_READ]).await;
    for token in [&alice, &reader] {
        let (status, body) = post_json(
            &sb,
            expose(token),
            &path,
            json!({"status": 2, "expectedStatus": 0}),
        )
        .await;
        assert_eq!(status, 403, "{body}");
        assert!(body.get("ticket").is_none());
    }
    assert_eq!(
        sb.client.ticket(&sb.admin, t.id).await.unwrap().status,
        Status::InProgress
    );
}

#[tokio::test]
async fn a_staff_name_is_stored_trimmed_and_returned_with_the_message() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let t = sb.open(&alice, Topic::General, "Help").await;
    let staff = sb.staff(&[scope::TICKETS_WRITE]).await;
    let reply = sb
        .client
        .reply_as_staff(&staff, t.id, "We are on it.", Some("  Ana Pérez "), None)
        .await
        .unwrap();
    assert_eq!(reply.message.author, Author::Staff);
    assert_eq!(reply.message.staff_name.as_deref(), Some("Ana Pérez"));
    // The admin token (Paradarum's panel, in the sandbox) signs too; without a name, null.
    sb.client
        .reply_as_staff(&sb.admin, t.id, "From the panel.", Some("Bo"), None)
        .await
        .unwrap();
    let unsigned = sb
        .client
        .reply_as_staff(&sb.admin, t.id, "Unsigned.", None, None)
        .await
        .unwrap();
    assert_eq!(unsigned.message.staff_name, None);

    // The customer reads the names; every other message has null.
    let messages = sb.client.messages(&alice, t.id).await.unwrap();
    let names: Vec<Option<&str>> = messages.iter().map(|m| m.staff_name.as_deref()).collect();
    assert_eq!(names, [None, Some("Ana Pérez"), Some("Bo"), None]);
    let (status, raw) = send(sb.raw(Method::GET, &messages_path(t.id), Some(expose(&alice)))).await;
    assert_eq!(status, 200);
    for m in raw["items"].as_array().unwrap() {
        assert!(
            m.get("staffName").is_some(),
            "staffName is always present: {m}"
        );
    }
    assert!(raw["items"][0]["staffName"].is_null());
}

#[tokio::test]
async fn a_customer_token_cannot_send_a_staff_name_and_nothing_is_stored() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let t = sb.open(&alice, Topic::General, "Help").await;
    let (status, body) = post_json(
        &sb,
        expose(&alice),
        &messages_path(t.id),
        json!({"body": "I am staff, honest", "staffName": "Support"}),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], code::VALIDATION);
    assert_eq!(body["field"], "staffName");
    // Through the typed client too, and multipart.
    assert!(matches!(
        sb.client
            .reply_as_staff(&alice, t.id, "hi", Some("Support"), None)
            .await,
        Err(ApiError::Validation { field, .. }) if field == "staffName"
    ));
    let form = Form::new().text("body", "hi").text("staffName", "Support");
    let (status, body) = send(
        sb.raw(Method::POST, &messages_path(t.id), Some(expose(&alice)))
            .multipart(form),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["field"], "staffName");
    // A null staffName is no name: the customer's reply is accepted.
    let (status, _) = post_json(
        &sb,
        expose(&alice),
        &messages_path(t.id),
        json!({"body": "just me", "staffName": null}),
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(sb.client.messages(&alice, t.id).await.unwrap().len(), 2);
}

#[tokio::test]
async fn staff_names_are_validated() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let t = sb.open(&alice, Topic::General, "Help").await;
    let bad = [
        json!(""),
        json!("   "),
        json!("x".repeat(81)),
        json!("Ana\nPérez"),
        json!("Ana\u{0}"),
        json!("A\u{85}B"),
        json!(7),
        json!(["Ana"]),
    ];
    for name in bad {
        let (status, body) = post_json(
            &sb,
            expose(&sb.admin),
            &messages_path(t.id),
            json!({"body": "hello", "staffName": name}),
        )
        .await;
        assert_eq!(status, 400, "{name}: {body}");
        assert_eq!(body["field"], "staffName", "{name}");
    }
    // 80 characters (not bytes) after trimming is the most.
    let (status, body) = post_json(
        &sb,
        expose(&sb.admin),
        &messages_path(t.id),
        json!({"body": "hello", "staffName": format!("  {}  ", "é".repeat(80))}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["message"]["staffName"], "é".repeat(80));
    // Nothing was stored for the refusals.
    assert_eq!(sb.client.messages(&alice, t.id).await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_multipart_staff_reply_carries_its_name_once() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let t = sb.open(&alice, Topic::General, "Help").await;
    let file = || {
        Part::bytes(b"line 1\n".to_vec())
            .file_name("fix.log")
            .mime_str("text/plain")
            .unwrap()
    };
    let form = Form::new()
        .text("body", "The log of the fix")
        .text("staffName", " Ana ")
        .part("attachments", file());
    let (status, body) = send(
        sb.raw(Method::POST, &messages_path(t.id), Some(expose(&sb.admin)))
            .multipart(form),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["message"]["staffName"], "Ana");
    assert_eq!(body["message"]["attachments"][0]["filename"], "fix.log");

    for form in [
        Form::new()
            .text("body", "twice")
            .text("staffName", "Ana")
            .text("staffName", "Bo"),
        Form::new().text("body", "bad").text("staffName", "A\tB"),
        Form::new().text("body", "blank").text("staffName", " "),
    ] {
        let (status, body) = send(
            sb.raw(Method::POST, &messages_path(t.id), Some(expose(&sb.admin)))
                .multipart(form),
        )
        .await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(body["field"], "staffName");
    }
    assert_eq!(sb.client.messages(&alice, t.id).await.unwrap().len(), 2);
}

#[tokio::test]
async fn the_staff_name_is_part_of_an_idempotency_keys_same_request() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let t = sb.open(&alice, Topic::General, "Help").await;
    let staff: SecretString = sb.staff(&[scope::TICKETS_WRITE]).await;
    let first = sb
        .client
        .reply_as_staff(&staff, t.id, "Fixed.", Some("Ana"), Some("k-1"))
        .await
        .unwrap();
    // The same text and name (trimming aside): the first answer, nothing added.
    let again = sb
        .client
        .reply_as_staff(&staff, t.id, "Fixed.", Some(" Ana "), Some("k-1"))
        .await
        .unwrap();
    assert_eq!(again, first);
    // Another name, or none, with the same key and text: another request.
    for other in [Some("Bo"), None] {
        assert_eq!(
            sb.client
                .reply_as_staff(&staff, t.id, "Fixed.", other, Some("k-1"))
                .await
                .unwrap_err(),
            ApiError::IdempotencyConflict,
            "{other:?}"
        );
    }
    // A JSON reply and a multipart one with the same text and name are one request.
    let form = Form::new().text("body", "Fixed.").text("staffName", "Ana");
    let (status, body) = send(
        sb.raw(Method::POST, &messages_path(t.id), Some(expose(&staff)))
            .header("Idempotency-Key", "k-1")
            .multipart(form),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["message"]["id"], first.message.id);
    // An unnamed keyed reply is judged as before the extension: its retry replays.
    let plain = sb
        .client
        .reply(&staff, t.id, "Anything else?", Some("k-2"))
        .await
        .unwrap();
    let plain_again = sb
        .client
        .reply_as_staff(&staff, t.id, "Anything else?", None, Some("k-2"))
        .await
        .unwrap();
    assert_eq!(plain_again, plain);
    assert_eq!(sb.client.messages(&alice, t.id).await.unwrap().len(), 3);
}

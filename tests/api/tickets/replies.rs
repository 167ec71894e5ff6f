//! Replies: who may reply when, what a reply to a resolved or closed ticket does,
//! and how reply bodies are checked.

use paradarum_bot::client::{ApiError, Upload};
use paradarum_bot::ticket::{Author, Status, Topic};
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{expose, TestSandbox};

#[tokio::test]
async fn a_customer_reply_to_a_resolved_ticket_reopens_it() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let t = sb.open(&alice, Topic::General, "Help").await;
    let resolved = sb
        .client
        .set_status(&sb.admin, t.id, Status::Resolved, None)
        .await
        .unwrap();
    assert_eq!(resolved.status, Status::Resolved);

    let reply = sb
        .client
        .reply(&alice, t.id, "Still broken", None)
        .await
        .unwrap();
    assert_eq!(reply.ticket.status, Status::Open);
    assert_eq!(reply.message.author, Author::Customer);
    assert_eq!(
        sb.client.ticket(&alice, t.id).await.unwrap().status,
        Status::Open
    );
}

#[tokio::test]
async fn a_staff_reply_to_a_resolved_ticket_does_not_reopen_it() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let t = sb.open(&alice, Topic::General, "Help").await;
    sb.client
        .set_status(&sb.admin, t.id, Status::Resolved, None)
        .await
        .unwrap();
    let reply = sb
        .client
        .reply(&sb.admin, t.id, "Anything else?", None)
        .await
        .unwrap();
    assert_eq!(reply.message.author, Author::Staff);
    assert_eq!(reply.ticket.status, Status::Resolved);
}

#[tokio::test]
async fn a_reply_to_a_closed_ticket_is_refused_and_nothing_is_stored() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let t = sb.open(&alice, Topic::General, "Help").await;
    sb.client.close(&alice, t.id, None).await.unwrap();
    let before_msgs = sb.client.messages(&alice, t.id).await.unwrap().len();
    let before_events = sb
        .client
        .events(&sb.admin, None, Some(100))
        .await
        .unwrap()
        .items
        .len();

    let err = sb
        .client
        .reply(&alice, t.id, "hello?", None)
        .await
        .unwrap_err();
    assert_eq!(err, ApiError::TicketClosed);
    let files = vec![Upload::new("log.txt", "text/plain", b"log".to_vec())];
    let err = sb
        .client
        .reply_with_files(&alice, t.id, "with a file", files, None)
        .await
        .unwrap_err();
    assert_eq!(err, ApiError::TicketClosed);

    assert_eq!(
        sb.client.messages(&alice, t.id).await.unwrap().len(),
        before_msgs
    );
    assert_eq!(
        sb.client
            .events(&sb.admin, None, Some(100))
            .await
            .unwrap()
            .items
            .len(),
        before_events
    );
}

#[tokio::test]
async fn reply_bodies_are_validated() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let t = sb.open(&alice, Topic::General, "Help").await;
    for (body, field) in [
        (json!({"body": ""}), "body"),
        (json!({"body": "x".repeat(20_001)}), "body"),
        (json!({}), "body"),
        (json!({"body": "hi", "priority": "high"}), "priority"),
    ] {
        let resp = sb
            .raw(
                Method::POST,
                &format!("v1/tickets/{}/messages", t.id),
                Some(expose(&alice)),
            )
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 400);
        let err: Value = resp.json().await.unwrap();
        assert_eq!(err["field"], field);
    }
    assert_eq!(sb.client.messages(&alice, t.id).await.unwrap().len(), 1);
}

//! Closing, status moves and topic changes: who may move a ticket where, and that
//! closed is final.

use paradarum_bot::client::ApiError;
use paradarum_bot::ticket::api::scope;
use paradarum_bot::ticket::{Status, Topic};
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{expose, TestSandbox};

#[tokio::test]
async fn a_customer_closes_their_own_ticket_from_any_status_but_closed() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    for start in [Status::Open, Status::InProgress, Status::Resolved] {
        let t = sb.open(&alice, Topic::Billing, "Invoice").await;
        if start != Status::Open {
            sb.client
                .set_status(&sb.admin, t.id, start, None)
                .await
                .unwrap();
        }
        let closed = sb.client.close(&alice, t.id, None).await.unwrap();
        assert_eq!(closed.status, Status::Closed, "closing from {start}");
        assert_eq!(
            sb.client.close(&alice, t.id, None).await.unwrap_err(),
            ApiError::TicketClosed
        );
    }
}

#[tokio::test]
async fn closed_is_final_for_replies_status_and_topic() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let t = sb.open(&alice, Topic::General, "Help").await;
    let closed = sb.client.close(&alice, t.id, None).await.unwrap();

    assert_eq!(
        sb.client
            .reply(&sb.admin, t.id, "staff too", None)
            .await
            .unwrap_err(),
        ApiError::TicketClosed
    );
    for s in [Status::InProgress, Status::Resolved] {
        assert_eq!(
            sb.client
                .set_status(&sb.admin, t.id, s, None)
                .await
                .unwrap_err(),
            ApiError::TicketClosed
        );
    }
    assert_eq!(
        sb.client
            .change_topic(&sb.admin, t.id, Topic::Billing, Some("wrong topic"))
            .await
            .unwrap_err(),
        ApiError::TicketClosed
    );
    assert_eq!(sb.client.ticket(&alice, t.id).await.unwrap(), closed);
}

#[tokio::test]
async fn a_customer_cannot_set_in_progress_or_resolved() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let t = sb.open(&alice, Topic::General, "Help").await;
    for s in [Status::InProgress, Status::Resolved] {
        let err = sb
            .client
            .set_status(&alice, t.id, s, None)
            .await
            .unwrap_err();
        assert!(matches!(err, ApiError::Forbidden { .. }), "{err:?}");
    }
    // An integration token without the scope is refused too.
    let reader = sb.staff(&[scope::TICKETS_READ]).await;
    let err = sb
        .client
        .set_status(&reader, t.id, Status::Resolved, None)
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::Forbidden { .. }));
    assert_eq!(
        sb.client.ticket(&alice, t.id).await.unwrap().status,
        Status::Open
    );
}

#[tokio::test]
async fn staff_with_the_status_scope_move_tickets_and_open_or_closed_are_refused() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let t = sb.open(&alice, Topic::General, "Help").await;
    let staff = sb.staff(&[scope::TICKETS_STATUS]).await;
    let t2 = sb
        .client
        .set_status(&staff, t.id, Status::InProgress, None)
        .await
        .unwrap();
    assert_eq!(t2.status, Status::InProgress);
    for bad in [0, 3, 7] {
        let resp = sb
            .raw(
                Method::POST,
                &format!("v1/tickets/{}/status", t.id),
                Some(expose(&staff)),
            )
            .json(&json!({"status": bad}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 400, "status {bad}");
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["error"], "validation");
        assert_eq!(body["field"], "status");
    }
    assert_eq!(
        sb.client.ticket(&alice, t.id).await.unwrap().status,
        Status::InProgress
    );
}

#[tokio::test]
async fn topic_changes_need_the_topic_scope_and_record_the_reason() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let t = sb.open(&alice, Topic::General, "Invoice wrong").await;
    let err = sb
        .client
        .change_topic(&alice, t.id, Topic::Billing, Some("mine"))
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::Forbidden { .. }));

    let mover = sb.staff(&[scope::TICKETS_TOPIC]).await;
    let moved = sb
        .client
        .change_topic(
            &mover,
            t.id,
            Topic::Billing,
            Some("mod#1: invoice question"),
        )
        .await
        .unwrap();
    assert_eq!(moved.topic, Topic::Billing);
    let same = sb
        .client
        .change_topic(&mover, t.id, Topic::Billing, Some("again"))
        .await
        .unwrap();
    assert_eq!(same.updated_at, moved.updated_at, "same topic is unchanged");

    for (body, field) in [
        (json!({"topic": 9}), "topic"),
        (json!({"topic": 3, "reason": ""}), "reason"),
        (json!({"topic": 3, "reason": "r".repeat(1001)}), "reason"),
        (json!({"topic": 3, "priority": 1}), "priority"),
    ] {
        let resp = sb
            .raw(
                Method::PATCH,
                &format!("v1/tickets/{}", t.id),
                Some(expose(&mover)),
            )
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 400, "{body}");
        let err: Value = resp.json().await.unwrap();
        assert_eq!(err["field"], field);
    }
    let err = sb
        .client
        .change_topic(&mover, 424242, Topic::Ssl, None)
        .await
        .unwrap_err();
    assert_eq!(err, ApiError::NotFound);
}

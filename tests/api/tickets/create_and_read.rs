//! Creating tickets (validation, idempotency) and reading them back: one ticket,
//! an account's own, the list with its pages and filters.

use paradarum_bot::client::{ApiError, ListTickets};
use paradarum_bot::ticket::api::CreateTicket;
use paradarum_bot::ticket::{Author, Status, Topic};
use reqwest::Method;
use serde_json::{json, Value};

use super::new_ticket;
use crate::helpers::{expose, TestSandbox};

#[tokio::test]
async fn a_created_ticket_is_open_with_its_topic_subject_and_first_message() {
    let sb = TestSandbox::spawn().await;
    let (alice, props) = sb.customer("Alice").await;
    let mut body = new_ticket(Topic::Ssl, "Certificate expired");
    body.property_id = Some(props[0].clone());
    let t = sb.client.create_ticket(&alice, &body, None).await.unwrap();
    assert_eq!(t.status, Status::Open);
    assert_eq!(t.topic, Topic::Ssl);
    assert_eq!(t.subject, "Certificate expired");
    assert_eq!(t.property_id.as_deref(), Some(props[0].as_str()));

    let fetched = sb.client.ticket(&alice, t.id).await.unwrap();
    assert_eq!(fetched, t);
    let msgs = sb.client.messages(&alice, t.id).await.unwrap();
    assert_eq!(msgs.len(), 1);
    assert_eq!(msgs[0].author, Author::Customer);
    assert_eq!(msgs[0].body, "It does not work.");

    // On the wire the topic is the integer 4.
    let raw: Value = sb
        .raw(
            Method::GET,
            &format!("v1/tickets/{}", t.id),
            Some(expose(&alice)),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(raw["topic"], 4);
    assert_eq!(raw["status"], 0);
    assert!(raw.get("priority").is_none());
}

#[tokio::test]
async fn account_and_properties_belong_to_the_token() {
    let sb = TestSandbox::spawn().await;
    let (alice, props) = sb.customer("Alice Ltd").await;
    let acc = sb.client.account(&alice).await.unwrap();
    assert_eq!(acc.name, "Alice Ltd");
    assert!(acc.id.starts_with("acc_"));
    let listed = sb.client.properties(&alice).await.unwrap();
    assert_eq!(listed.len(), 2);
    let mut ids: Vec<String> = listed.iter().map(|p| p.id.clone()).collect();
    ids.sort();
    let mut expected = props.clone();
    expected.sort();
    assert_eq!(ids, expected);
    assert!(listed.iter().all(|p| p.id.starts_with("prop_")));
}

#[tokio::test]
async fn another_accounts_ticket_is_not_found_never_forbidden() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let (bob, _) = sb.customer("Bob").await;
    let t = sb.open(&alice, Topic::General, "Alice's secret").await;

    assert_eq!(
        sb.client.ticket(&bob, t.id).await.unwrap_err(),
        ApiError::NotFound
    );
    assert_eq!(
        sb.client.messages(&bob, t.id).await.unwrap_err(),
        ApiError::NotFound
    );
    assert_eq!(
        sb.client.close(&bob, t.id, None).await.unwrap_err(),
        ApiError::NotFound
    );
    assert_eq!(
        sb.client
            .reply(&bob, t.id, "mine now", None)
            .await
            .unwrap_err(),
        ApiError::NotFound
    );
    // The same answer as for a ticket that does not exist at all.
    let missing = sb
        .raw(Method::GET, "v1/tickets/999999", Some(expose(&bob)))
        .send()
        .await
        .unwrap();
    let theirs = sb
        .raw(
            Method::GET,
            &format!("v1/tickets/{}", t.id),
            Some(expose(&bob)),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    assert_eq!(theirs.status(), 404);
    assert_eq!(missing.text().await.unwrap(), theirs.text().await.unwrap());

    let bobs = sb
        .client
        .list_tickets(&bob, &ListTickets::default())
        .await
        .unwrap();
    assert!(bobs.items.is_empty());
    let t_after = sb.client.ticket(&alice, t.id).await.unwrap();
    assert_eq!(t_after.status, Status::Open);
    assert_eq!(sb.client.messages(&alice, t.id).await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_priority_field_is_refused_and_nothing_is_stored() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let resp = sb
        .raw(Method::POST, "v1/tickets", Some(expose(&alice)))
        .json(&json!({"topic": 0, "subject": "s", "message": "m", "priority": "high"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"], "validation");
    assert_eq!(body["field"], "priority");
    assert!(body["message"].as_str().unwrap().contains("no priority"));
    let listed = sb
        .client
        .list_tickets(&alice, &ListTickets::default())
        .await
        .unwrap();
    assert!(listed.items.is_empty());
}

#[tokio::test]
async fn every_invalid_create_names_its_field_and_stores_nothing() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let (_, bobs_props) = sb.customer("Bob").await;
    let long_subject = "s".repeat(201);
    let long_message = "m".repeat(20_001);
    let cases = [
        (json!({"topic": 6, "subject": "s", "message": "m"}), "topic"),
        (
            json!({"topic": -1, "subject": "s", "message": "m"}),
            "topic",
        ),
        (
            json!({"topic": "4", "subject": "s", "message": "m"}),
            "topic",
        ),
        (json!({"subject": "s", "message": "m"}), "topic"),
        (
            json!({"topic": 1, "subject": "", "message": "m"}),
            "subject",
        ),
        (
            json!({"topic": 1, "subject": "   ", "message": "m"}),
            "subject",
        ),
        (
            json!({"topic": 1, "subject": long_subject, "message": "m"}),
            "subject",
        ),
        (
            json!({"topic": 1, "subject": "s", "message": ""}),
            "message",
        ),
        (
            json!({"topic": 1, "subject": "s", "message": long_message}),
            "message",
        ),
        (
            json!({"topic": 1, "subject": "s", "message": "m", "propertyId": bobs_props[0]}),
            "propertyId",
        ),
        (
            json!({"topic": 1, "subject": "s", "message": "m", "propertyId": "prop_nope"}),
            "propertyId",
        ),
        (
            json!({"topic": 1, "subject": "s", "message": "m", "urgency": 1}),
            "urgency",
        ),
    ];
    for (body, field) in cases {
        let resp = sb
            .raw(Method::POST, "v1/tickets", Some(expose(&alice)))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 400, "{body}");
        let err: Value = resp.json().await.unwrap();
        assert_eq!(err["error"], "validation", "{body}");
        assert_eq!(err["field"], field, "{body}");
    }
    // The limits themselves are accepted.
    let ok = CreateTicket {
        topic: Topic::Performance,
        subject: "s".repeat(200),
        message: "m".repeat(20_000),
        property_id: None,
    };
    sb.client.create_ticket(&alice, &ok, None).await.unwrap();
    let listed = sb
        .client
        .list_tickets(&alice, &ListTickets::default())
        .await
        .unwrap();
    assert_eq!(listed.items.len(), 1);
}

#[tokio::test]
async fn the_same_idempotency_key_gives_one_ticket_and_a_different_body_conflicts() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let body = new_ticket(Topic::Networking, "Origin unreachable");
    let first = sb
        .client
        .create_ticket(&alice, &body, Some("interaction-123"))
        .await
        .unwrap();
    let again = sb
        .client
        .create_ticket(&alice, &body, Some("interaction-123"))
        .await
        .unwrap();
    assert_eq!(first.id, again.id);

    let mut other = body.clone();
    other.subject = "Something else".into();
    assert_eq!(
        sb.client
            .create_ticket(&alice, &other, Some("interaction-123"))
            .await
            .unwrap_err(),
        ApiError::IdempotencyConflict
    );
    let listed = sb
        .client
        .list_tickets(&alice, &ListTickets::default())
        .await
        .unwrap();
    assert_eq!(listed.items.len(), 1);

    // Keys are per account: Bob's identical key is his own.
    let (bob, _) = sb.customer("Bob").await;
    let bobs = sb
        .client
        .create_ticket(&bob, &body, Some("interaction-123"))
        .await
        .unwrap();
    assert_ne!(bobs.id, first.id);
}

#[tokio::test]
async fn concurrent_creates_with_one_key_make_one_ticket() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let body = new_ticket(Topic::Rules, "Double submit");
    let mut handles = Vec::new();
    for _ in 0..10 {
        let client = sb.client.clone();
        let token = alice.clone();
        let body = body.clone();
        handles.push(tokio::spawn(async move {
            client.create_ticket(&token, &body, Some("same-key")).await
        }));
    }
    let mut ids = Vec::new();
    for h in handles {
        ids.push(h.await.unwrap().unwrap().id);
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "{ids:?}");
    let listed = sb
        .client
        .list_tickets(&alice, &ListTickets::default())
        .await
        .unwrap();
    assert_eq!(listed.items.len(), 1);
}

#[tokio::test]
async fn listing_is_newest_first_paginated_and_filtered_by_status() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let (bob, _) = sb.customer("Bob").await;
    let mut mine = Vec::new();
    for i in 0..23 {
        mine.push(
            sb.open(&alice, Topic::General, &format!("ticket {i}"))
                .await
                .id,
        );
    }
    sb.open(&bob, Topic::General, "bob's").await;
    // Touching an old ticket makes it the most recently updated.
    sb.client
        .reply(&alice, mine[0], "bump", None)
        .await
        .unwrap();

    let mut seen = Vec::new();
    let mut cursor = None;
    let mut pages = 0;
    loop {
        let page = sb
            .client
            .list_tickets(
                &alice,
                &ListTickets {
                    statuses: vec![],
                    limit: Some(10),
                    cursor,
                },
            )
            .await
            .unwrap();
        pages += 1;
        seen.extend(page.items.iter().map(|t| t.id));
        cursor = page.next_cursor;
        if cursor.is_none() || pages > 5 {
            break;
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), 23);
    assert_eq!(seen[0], mine[0]);
    let mut rest: Vec<u64> = mine[1..].to_vec();
    rest.reverse();
    assert_eq!(&seen[1..], rest.as_slice());

    sb.client.close(&alice, mine[5], None).await.unwrap();
    sb.client
        .set_status(&sb.admin, mine[6], Status::Resolved, None)
        .await
        .unwrap();
    let closed_or_resolved = sb
        .client
        .list_tickets(
            &alice,
            &ListTickets {
                statuses: vec![Status::Closed, Status::Resolved],
                limit: None,
                cursor: None,
            },
        )
        .await
        .unwrap();
    let ids: Vec<u64> = closed_or_resolved.items.iter().map(|t| t.id).collect();
    assert_eq!(ids, vec![mine[6], mine[5]]);

    // Staff see every account's tickets.
    let all = sb
        .client
        .list_tickets(
            &sb.admin,
            &ListTickets {
                statuses: vec![],
                limit: Some(100),
                cursor: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(all.items.len(), 24);

    for q in ["limit=0", "limit=101", "status=4", "cursor=zzz"] {
        let resp = sb
            .raw(
                Method::GET,
                &format!("v1/tickets?{q}"),
                Some(expose(&alice)),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 400, "{q}");
    }
}

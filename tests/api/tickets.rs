//! The client against the real sandbox over HTTP: every endpoint and every rule of the seed.

use paradarum_bot::client::{ApiError, ListTickets, Upload};
use paradarum_bot::ticket::api::{scope, CreateTicket, EventKind};
use paradarum_bot::ticket::{Author, Status, Topic};
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{expose, TestSandbox};

fn new_ticket(topic: Topic, subject: &str) -> CreateTicket {
    CreateTicket {
        topic,
        subject: subject.into(),
        message: "It does not work.".into(),
        property_id: None,
    }
}

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
async fn a_customer_reply_to_a_resolved_ticket_reopens_it() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let t = sb.open(&alice, Topic::General, "Help").await;
    let resolved = sb
        .client
        .set_status(&sb.admin, t.id, Status::Resolved)
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
        .set_status(&sb.admin, t.id, Status::Resolved)
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
async fn a_customer_closes_their_own_ticket_from_any_status_but_closed() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    for start in [Status::Open, Status::InProgress, Status::Resolved] {
        let t = sb.open(&alice, Topic::Billing, "Invoice").await;
        if start != Status::Open {
            sb.client.set_status(&sb.admin, t.id, start).await.unwrap();
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
            sb.client.set_status(&sb.admin, t.id, s).await.unwrap_err(),
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
        let err = sb.client.set_status(&alice, t.id, s).await.unwrap_err();
        assert!(matches!(err, ApiError::Forbidden { .. }), "{err:?}");
    }
    // An integration token without the scope is refused too.
    let reader = sb.staff(&[scope::TICKETS_READ]).await;
    let err = sb
        .client
        .set_status(&reader, t.id, Status::Resolved)
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
        .set_status(&staff, t.id, Status::InProgress)
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
async fn malformed_json_is_a_400_and_an_oversized_body_a_413() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let resp = sb
        .raw(Method::POST, "v1/tickets", Some(expose(&alice)))
        .header("content-type", "application/json")
        .body("{\"topic\": 1,")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"], "invalid_json");

    let huge = format!(
        "{{\"topic\":1,\"subject\":\"s\",\"message\":\"{}\"}}",
        "x".repeat(400_000)
    );
    let resp = sb
        .raw(Method::POST, "v1/tickets", Some(expose(&alice)))
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 413);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"], "payload_too_large");
    assert!(sb
        .client
        .list_tickets(&alice, &ListTickets::default())
        .await
        .unwrap()
        .items
        .is_empty());
}

#[tokio::test]
async fn a_missing_or_unknown_token_is_401() {
    let sb = TestSandbox::spawn().await;
    for token in [None, Some("sbx_cus_nope"), Some("")] {
        let resp = sb
            .raw(Method::GET, "v1/tickets", token)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 401, "{token:?}");
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["error"], "unauthorized");
    }
    let bad = secrecy::SecretString::from("wrong");
    assert_eq!(
        sb.client.account(&bad).await.unwrap_err(),
        ApiError::Unauthorized
    );
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
async fn the_events_feed_shows_each_transition_once_in_order() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let t = sb.open(&alice, Topic::General, "Help").await;
    sb.client
        .set_status(&sb.admin, t.id, Status::InProgress)
        .await
        .unwrap();
    sb.client
        .set_status(&sb.admin, t.id, Status::Resolved)
        .await
        .unwrap();
    // Setting the same status again is no change and no event.
    sb.client
        .set_status(&sb.admin, t.id, Status::Resolved)
        .await
        .unwrap();
    sb.client
        .reply(&alice, t.id, "Not fixed", None)
        .await
        .unwrap();
    sb.client
        .change_topic(&sb.admin, t.id, Topic::Billing, Some("it is an invoice"))
        .await
        .unwrap();
    sb.client
        .change_topic(&sb.admin, t.id, Topic::Billing, None)
        .await
        .unwrap();
    sb.client.close(&alice, t.id, None).await.unwrap();

    let feed = sb.staff(&[scope::EVENTS_READ]).await;
    let events = sb
        .client
        .events(&feed, None, Some(100))
        .await
        .unwrap()
        .items;
    let kinds: Vec<EventKind> = events.iter().map(|e| e.kind()).collect();
    assert_eq!(
        kinds,
        vec![
            EventKind::Created {
                topic: Topic::General,
                status: Status::Open
            },
            EventKind::StatusChanged {
                from: Status::Open,
                to: Status::InProgress
            },
            EventKind::StatusChanged {
                from: Status::InProgress,
                to: Status::Resolved
            },
            EventKind::MessageCreated {
                message_id: 2,
                author: Author::Customer
            },
            EventKind::StatusChanged {
                from: Status::Resolved,
                to: Status::Open
            },
            EventKind::TopicChanged {
                from: Topic::General,
                to: Topic::Billing,
                reason: Some("it is an invoice".into())
            },
            EventKind::StatusChanged {
                from: Status::Open,
                to: Status::Closed
            },
        ]
    );
    assert!(events.iter().all(|e| e.ticket_id == t.id));
    let seqs: Vec<u64> = events.iter().map(|e| e.sequence().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");

    // Paging with `after` continues exactly where the last page stopped.
    let page1 = sb.client.events(&feed, None, Some(3)).await.unwrap();
    assert_eq!(page1.items.len(), 3);
    let cursor = page1.next_cursor.clone().unwrap();
    let page2 = sb
        .client
        .events(&feed, Some(&cursor), Some(100))
        .await
        .unwrap();
    assert_eq!(page2.items.len(), events.len() - 3);
    assert_eq!(page2.items[0].id, events[3].id);
    assert_eq!(page2.next_cursor, None);
}

#[tokio::test]
async fn the_events_feed_needs_its_scope() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let topic_only = sb.staff(&[scope::TICKETS_TOPIC]).await;
    for token in [&alice, &topic_only] {
        let err = sb.client.events(token, None, None).await.unwrap_err();
        assert!(matches!(err, ApiError::Forbidden { .. }), "{err:?}");
    }
    let resp = sb
        .raw(Method::GET, "v1/events?after=42", Some(expose(&sb.admin)))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
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
        .set_status(&sb.admin, mine[6], Status::Resolved)
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

#[tokio::test]
async fn replies_carry_attachments_and_the_limits_are_413() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let t = sb.open(&alice, Topic::Performance, "Slow").await;
    let file = |name: &str, size: usize| Upload::new(name, "image/png", vec![7u8; size]);
    let reply = sb
        .client
        .reply_with_files(
            &alice,
            t.id,
            "screenshots",
            vec![file("a.png", 1000), file("b.png", 5)],
            None,
        )
        .await
        .unwrap();
    assert_eq!(reply.message.attachments.len(), 2);
    assert_eq!(reply.message.attachments[0].filename, "a.png");
    assert_eq!(reply.message.attachments[0].content_type, "image/png");
    assert_eq!(reply.message.attachments[0].size, 1000);

    let six: Vec<Upload> = (0..6).map(|i| file(&format!("{i}.png"), 10)).collect();
    let err = sb
        .client
        .reply_with_files(&alice, t.id, "too many", six, None)
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::PayloadTooLarge { .. }), "{err:?}");

    let big = vec![file("big.png", 10 * 1024 * 1024 + 1)];
    let err = sb
        .client
        .reply_with_files(&alice, t.id, "too big", big, None)
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::PayloadTooLarge { .. }), "{err:?}");

    let exactly = vec![file("max.png", 10 * 1024 * 1024)];
    sb.client
        .reply_with_files(&alice, t.id, "just fits", exactly, None)
        .await
        .unwrap();

    let msgs = sb.client.messages(&alice, t.id).await.unwrap();
    let bodies: Vec<&str> = msgs.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(
        bodies,
        ["first message of Slow", "screenshots", "just fits"]
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

#[tokio::test]
async fn unknown_paths_methods_and_ids_answer_in_the_error_format() {
    let sb = TestSandbox::spawn().await;
    let admin = expose(&sb.admin).to_string();
    for (method, path, status) in [
        (Method::GET, "v1/nope", 404),
        (Method::DELETE, "v1/tickets", 405),
        (Method::GET, "v1/tickets/abc", 404),
        (Method::GET, "v1/tickets/-1", 404),
        (Method::GET, "v1/tickets/99999999999999999999999", 404),
    ] {
        let resp = sb
            .raw(method.clone(), path, Some(&admin))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), status, "{method} {path}");
        let body: Value = resp.json().await.unwrap();
        assert!(body["error"].is_string());
        assert!(body["message"].is_string());
    }
}

#[tokio::test]
async fn sandbox_administration_needs_the_admin_token() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let staff = sb.staff(scope::ALL.as_slice()).await;
    for token in [&alice, &staff] {
        let err = sb
            .client
            .sandbox_create_account(token, "Eve")
            .await
            .unwrap_err();
        assert!(matches!(err, ApiError::Forbidden { .. }));
        let err = sb
            .client
            .sandbox_create_token(token, &["events:read"])
            .await
            .unwrap_err();
        assert!(matches!(err, ApiError::Forbidden { .. }));
    }
    let err = sb
        .client
        .sandbox_create_token(&sb.admin, &["root"])
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::Validation { ref field, .. } if field == "scopes"));
    let err = sb
        .client
        .sandbox_create_token(&sb.admin, &[])
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::Validation { .. }));
}

#[tokio::test]
async fn tokens_are_stored_hashed() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let hash = paradarum_bot::sandbox::hash_token(expose(&alice));
    assert!(sb.store.sandbox().token(&hash).await.unwrap().is_some());
    assert!(sb
        .store
        .sandbox()
        .token(expose(&alice))
        .await
        .unwrap()
        .is_none());
}

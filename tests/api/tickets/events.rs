//! The events feed: each transition once, in order, and only with its scope.

use paradarum_bot::client::ApiError;
use paradarum_bot::ticket::api::{scope, EventKind};
use paradarum_bot::ticket::{Author, Status, Topic};
use reqwest::Method;

use crate::helpers::{expose, TestSandbox};

#[tokio::test]
async fn the_events_feed_shows_each_transition_once_in_order() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let t = sb.open(&alice, Topic::General, "Help").await;
    sb.client
        .set_status(&sb.admin, t.id, Status::InProgress, None)
        .await
        .unwrap();
    sb.client
        .set_status(&sb.admin, t.id, Status::Resolved, None)
        .await
        .unwrap();
    // Setting the same status again is no change and no event.
    sb.client
        .set_status(&sb.admin, t.id, Status::Resolved, None)
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

//! The fake must refuse what Discord refuses, or the scenarios prove nothing.

use std::time::Duration;

use serde_json::{json, Value};

use crate::fake_discord::{FakeDiscord, APP_ID, CHANNEL_ID, GUILD_ID};

fn interaction(fake: &FakeDiscord) -> (u64, String, Value) {
    let id = fake.new_id();
    let token = format!("tok{id}");
    let v = json!({
        "id": id.to_string(), "application_id": APP_ID.to_string(), "type": 2, "token": token,
        "version": 1, "locale": "en-US", "entitlements": [], "attachment_size_limit": 1,
        "channel_id": CHANNEL_ID.to_string(), "guild_id": GUILD_ID.to_string(),
        "member": {"user": {"id": "5", "username": "u", "discriminator": "0", "avatar": null},
                   "roles": [], "deaf": false, "mute": false, "flags": 0, "permissions": "0",
                   "joined_at": "2026-01-01T00:00:00.000000+00:00"},
        "data": {"id": "1", "name": "ticket", "type": 1, "options": []},
    });
    (id, token, v)
}

async fn post(fake: &FakeDiscord, path: &str, body: Value) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(format!("{}/api/v10{path}", fake.url()))
        .header("authorization", "Bot x")
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_fake_answers_an_interaction_once_and_only_within_three_seconds() {
    let fake = FakeDiscord::start().await;
    let (id, token, v) = interaction(&fake);
    fake.dispatch_interaction(v); // not connected: registers the token only
    let cb = format!("/interactions/{id}/{token}/callback");
    let ok = json!({"type": 4, "data": {"content": "hi", "flags": 64}});
    assert_eq!(post(&fake, &cb, ok.clone()).await.0, 204);
    let (status, body) = post(&fake, &cb, ok.clone()).await;
    assert_eq!((status, body["code"].as_u64()), (400, Some(40060)));
    // Two answers at once (two replicas that both got it): exactly one wins.
    let (id2, token2, v2) = interaction(&fake);
    fake.dispatch_interaction(v2.clone());
    let cb2 = format!("/interactions/{id2}/{token2}/callback");
    let (a, b) = tokio::join!(post(&fake, &cb2, ok.clone()), post(&fake, &cb2, ok.clone()));
    let mut codes = [a.0, b.0];
    codes.sort_unstable();
    assert_eq!(codes, [204, 400], "{a:?} {b:?}");
    let refused = if a.0 == 400 { a.1 } else { b.1 };
    assert_eq!(refused["code"], 40060);
    // A redelivery (another session) does not make it unanswered again.
    fake.dispatch_interaction(v2);
    assert_eq!(post(&fake, &cb2, ok.clone()).await.0, 400, "still answered");
    let (status, body) = post(&fake, "/interactions/1/unknown/callback", ok.clone()).await;
    assert_eq!((status, body["code"].as_u64()), (404, Some(10062)));

    let (id, token, v) = interaction(&fake);
    fake.dispatch_interaction(v);
    tokio::time::sleep(Duration::from_millis(3100)).await;
    let (status, body) = post(&fake, &format!("/interactions/{id}/{token}/callback"), ok).await;
    assert_eq!(
        (status, body["code"].as_u64()),
        (404, Some(10062)),
        "late answers are dead"
    );
}

#[tokio::test]
async fn the_fake_rejects_bodies_discord_would_reject() {
    let fake = FakeDiscord::start().await;
    let (id, token, v) = interaction(&fake);
    fake.dispatch_interaction(v);
    let cb = format!("/interactions/{id}/{token}/callback");
    // An unknown callback type is not in Discord's schema.
    let (status, _) = post(&fake, &cb, json!({"type": 99})).await;
    assert_eq!(status, 400);
    assert_eq!(fake.schema_errors().len(), 1);
    // Message limits: 2,001 characters of content.
    let (status, _) = post(
        &fake,
        &cb,
        json!({"type": 4, "data": {"content": "x".repeat(2001)}}),
    )
    .await;
    assert_eq!(status, 400);
    // A command name over 32 characters fails registration.
    let path = format!("/applications/{APP_ID}/guilds/{GUILD_ID}/commands");
    let r = reqwest::Client::new()
        .put(format!("{}/api/v10{path}", fake.url()))
        .header("authorization", "Bot x")
        .json(&json!([{"name": "x".repeat(33), "description": "d", "type": 1}]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    // Embeds over 6,000 characters in total.
    let fields: Vec<Value> = (0..7)
        .map(|i| json!({"name": format!("f{i}"), "value": "v".repeat(1000)}))
        .collect();
    let (status, _) = post(
        &fake,
        &format!("/channels/{CHANNEL_ID}/messages"),
        json!({"embeds": [{"title": "t", "fields": fields}]}),
    )
    .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn the_fake_limits_a_channel_to_five_messages_in_five_seconds_and_honours_nonces() {
    let fake = FakeDiscord::start().await;
    let path = format!("/channels/{CHANNEL_ID}/messages");
    for i in 0..5 {
        let (status, _) = post(&fake, &path, json!({"content": format!("m{i}")})).await;
        assert_eq!(status, 200);
    }
    let (status, body) = post(&fake, &path, json!({"content": "sixth"})).await;
    assert_eq!(status, 429);
    assert!(body["retry_after"].as_f64().unwrap() > 0.0);

    let other = format!("/channels/{}/messages", CHANNEL_ID + 1);
    let a = post(
        &fake,
        &other,
        json!({"content": "once", "nonce": "n1", "enforce_nonce": true}),
    )
    .await;
    let b = post(
        &fake,
        &other,
        json!({"content": "once", "nonce": "n1", "enforce_nonce": true}),
    )
    .await;
    assert_eq!(a.0, 200);
    assert_eq!(
        a.1["id"], b.1["id"],
        "the same nonce returns the same message"
    );
    let sent = fake
        .inner
        .channel_messages
        .lock()
        .unwrap()
        .iter()
        .filter(|(c, _)| *c == CHANNEL_ID + 1)
        .count();
    assert_eq!(sent, 1);
}

#[tokio::test]
async fn the_fake_can_fail_on_demand() {
    let fake = FakeDiscord::start().await;
    fake.inner.faults.lock().unwrap().fail_500 = 1;
    fake.inner.faults.lock().unwrap().fail_429 = 1;
    let path = format!("/channels/{CHANNEL_ID}/messages");
    assert_eq!(post(&fake, &path, json!({"content": "a"})).await.0, 500);
    assert_eq!(post(&fake, &path, json!({"content": "a"})).await.0, 429);
    assert_eq!(post(&fake, &path, json!({"content": "a"})).await.0, 200);
}

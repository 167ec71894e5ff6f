//! Tokens and the error format: 401s, malformed and oversized bodies, unknown
//! paths and methods, the sandbox's admin endpoints, tokens stored hashed.

use paradarum_bot::client::{ApiError, ListTickets};
use paradarum_bot::ticket::api::scope;
use reqwest::Method;
use serde_json::Value;

use crate::helpers::{expose, TestSandbox};

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

//! The embedded sandbox driven directly as staff (not through Discord), and a sandbox of
//! the test's own to stand in for Paradarum.

use serde_json::{json, Value};

use super::{Bot, ADMIN};

impl Bot {
    /// A customer account made directly on the sandbox (not through Discord).
    pub async fn sandbox_customer(&self, name: &str) -> String {
        let v: Value = self
            .api
            .post(self.sandbox_url("v1/sandbox/accounts"))
            .bearer_auth(ADMIN)
            .json(&json!({"name": name}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        v["token"].as_str().unwrap().to_string()
    }

    /// A ticket opened directly on the sandbox with a customer token.
    pub async fn sandbox_open(&self, token: &str, topic: u8, subject: &str) -> u64 {
        let v: Value = self
            .api
            .post(self.sandbox_url("v1/tickets"))
            .bearer_auth(token)
            .json(&json!({"topic": topic, "subject": subject, "message": "m"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        v["id"].as_u64().unwrap()
    }

    pub fn sandbox_url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{path}", self.sandbox_port)
    }

    /// `GET` on the sandbox as staff; the `items` of the answer.
    pub async fn sandbox_items(&self, path: &str) -> Vec<Value> {
        let v: Value = self
            .api
            .get(self.sandbox_url(path))
            .bearer_auth(ADMIN)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        v["items"].as_array().cloned().unwrap_or_default()
    }

    /// Every ticket in the sandbox (as staff).
    pub async fn sandbox_tickets(&self) -> Vec<Value> {
        self.sandbox_items("v1/tickets?limit=100").await
    }

    pub async fn sandbox_messages(&self, ticket: u64) -> Vec<Value> {
        self.sandbox_items(&format!("v1/tickets/{ticket}/messages"))
            .await
    }

    pub async fn sandbox_set_status(&self, ticket: u64, status: u8) {
        let r = self
            .api
            .post(self.sandbox_url(&format!("v1/tickets/{ticket}/status")))
            .bearer_auth(ADMIN)
            .json(&json!({"status": status}))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success());
    }
}

/// A sandbox ticket API in this process (its own database), as a stand-in for Paradarum.
pub async fn external_sandbox() -> (u16, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store =
        paradarum_bot::store::Store::open(&format!("sqlite://{}/api.db", dir.path().display()))
            .await
            .unwrap();
    let sandbox = paradarum_bot::sandbox::Sandbox::bind(
        "127.0.0.1:0".parse().unwrap(),
        store,
        paradarum_bot::sandbox::SandboxConfig {
            admin_token: secrecy::SecretString::from(ADMIN),
            webhook: None,
            retention: None,
        },
    )
    .await
    .unwrap();
    let port = sandbox.local_addr().unwrap().port();
    tokio::spawn(sandbox.run(tokio_util::sync::CancellationToken::new()));
    (port, dir)
}

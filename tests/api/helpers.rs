//! Test support: a real sandbox server on 127.0.0.1 with its own temporary database,
//! and a client pointed at it over HTTP.

use std::time::Duration;

use paradarum_bot::client::{ApiClient, ClientConfig};
use paradarum_bot::sandbox::{Sandbox, SandboxConfig, WebhookTarget};
use paradarum_bot::store::Store;
use paradarum_bot::ticket::api::{CreateTicket, Ticket};
use paradarum_bot::ticket::Topic;
use secrecy::{ExposeSecret, SecretString};
use tempfile::TempDir;
use tokio_util::sync::CancellationToken;
use url::Url;

pub const ADMIN: &str = "test-admin-token";

pub struct TestSandbox {
    pub client: ApiClient,
    pub admin: SecretString,
    pub base: Url,
    pub store: Store,
    shutdown: CancellationToken,
    _dir: TempDir,
}

impl Drop for TestSandbox {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

pub fn client_for(base: Url) -> ApiClient {
    let mut config = ClientConfig::new(base);
    config.request_timeout = Duration::from_secs(10);
    config.first_backoff = Duration::from_millis(20);
    ApiClient::new(config).expect("client builds")
}

impl TestSandbox {
    pub async fn spawn() -> Self {
        Self::spawn_with(None).await
    }

    pub async fn spawn_with(webhook: Option<WebhookTarget>) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}/sandbox.db", dir.path().display());
        let store = Store::open(&url).await.expect("store opens");
        let sandbox = Sandbox::bind(
            "127.0.0.1:0".parse().unwrap(),
            store.clone(),
            SandboxConfig {
                admin_token: SecretString::from(ADMIN),
                webhook,
                retention: None,
            },
        )
        .await
        .expect("sandbox binds");
        let addr = sandbox.local_addr().unwrap();
        let shutdown = CancellationToken::new();
        tokio::spawn(sandbox.run(shutdown.clone()));
        let base: Url = format!("http://{addr}/").parse().unwrap();
        Self {
            client: client_for(base.clone()),
            admin: SecretString::from(ADMIN),
            base,
            store,
            shutdown,
            _dir: dir,
        }
    }

    /// A fresh customer account; returns its token and property ids.
    pub async fn customer(&self, name: &str) -> (SecretString, Vec<String>) {
        let acc = self
            .client
            .sandbox_create_account(&self.admin, name)
            .await
            .expect("account created");
        (
            acc.token,
            acc.properties.into_iter().map(|p| p.id).collect(),
        )
    }

    pub async fn staff(&self, scopes: &[&str]) -> SecretString {
        self.client
            .sandbox_create_token(&self.admin, scopes)
            .await
            .expect("token created")
    }

    pub async fn open(&self, token: &SecretString, topic: Topic, subject: &str) -> Ticket {
        self.client
            .create_ticket(
                token,
                &CreateTicket {
                    topic,
                    subject: subject.into(),
                    message: format!("first message of {subject}"),
                    property_id: None,
                },
                None,
            )
            .await
            .expect("ticket created")
    }

    /// A raw request, for what the typed client will not send.
    pub fn raw(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
    ) -> reqwest::RequestBuilder {
        let req = reqwest::Client::new().request(method, self.base.join(path).unwrap());
        match token {
            Some(t) => req.bearer_auth(t),
            None => req,
        }
    }
}

pub fn expose(token: &SecretString) -> &str {
    token.expose_secret()
}

/// A port nothing listens on (bound and released): for a peer that must refuse connections.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A fresh PostgreSQL database (127.0.0.1:5432, trust auth) with a random name, dropped
/// when this goes, even when the test panics.
pub struct PgDb {
    pub name: String,
}

const PG_SERVER: &str = "postgres://postgres@127.0.0.1:5432";

fn pg_admin(sql: &str) {
    use sqlx::Connection;
    let sql = sql.to_string();
    // A runtime of its own on a thread of its own: callers may be inside one.
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let mut conn = sqlx::PgConnection::connect(&format!("{PG_SERVER}/postgres"))
                .await
                .expect("PostgreSQL answers at 127.0.0.1:5432");
            sqlx::query(&sql).execute(&mut conn).await.unwrap();
            let _ = conn.close().await;
        })
    })
    .join()
    .unwrap();
}

impl PgDb {
    pub fn new() -> PgDb {
        let name = format!("paradarum_test_{:016x}", rand::random::<u64>());
        pg_admin(&format!("CREATE DATABASE {name}"));
        PgDb { name }
    }

    /// Its URL, with `userinfo` (e.g. `postgres:password`; trust auth ignores a password).
    pub fn url_as(&self, userinfo: &str) -> String {
        format!("postgres://{userinfo}@127.0.0.1:5432/{}", self.name)
    }
}

impl Drop for PgDb {
    fn drop(&mut self) {
        pg_admin(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ));
    }
}

//! A ticket API proxy between the bot and a real sandbox, which a test can slow, stop, or
//! make answer chosen statuses.

use std::time::Duration;

/// What the API proxy does with each request.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ProxyMode {
    Pass,
    /// Answer 503 without forwarding.
    Down,
    /// Wait this long before forwarding.
    Slow(Duration),
}

/// One request the API proxy saw.
#[derive(Clone, Debug)]
pub struct ProxySeen {
    pub method: String,
    /// Without the query.
    pub path: String,
    pub idempotency_key: Option<String>,
}

type Rules = std::sync::Arc<std::sync::Mutex<Vec<(String, u16)>>>;

/// A ticket API between the bot and a real sandbox that can be made slow or down.
pub struct ApiProxy {
    pub url: String,
    pub mode: std::sync::Arc<std::sync::Mutex<ProxyMode>>,
    /// Requests whose path (without the query) is one of these are answered with the
    /// status and a JSON error body, without forwarding: a poisoned ticket, a refused
    /// token, an endpoint an older API does not have.
    pub rules: Rules,
    /// Requests whose path is one of these are forwarded (the API acts on them), and the
    /// bot gets the status instead of the API's answer: a proxy failing after a commit.
    pub after_forward: Rules,
    /// Requests it has seen.
    #[allow(dead_code)] // only benches/bench.rs reads it
    pub requests: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// Every request it has seen, in order.
    pub seen: std::sync::Arc<std::sync::Mutex<Vec<ProxySeen>>>,
}

impl ApiProxy {
    pub async fn start(upstream: String) -> ApiProxy {
        use axum::extract::{Request, State};
        use axum::response::IntoResponse;
        #[derive(Clone)]
        struct Shared {
            mode: std::sync::Arc<std::sync::Mutex<ProxyMode>>,
            upstream: String,
            http: reqwest::Client,
            count: std::sync::Arc<std::sync::atomic::AtomicU64>,
            rules: Rules,
            after_forward: Rules,
            seen: std::sync::Arc<std::sync::Mutex<Vec<ProxySeen>>>,
        }
        fn rule_for(rules: &Rules, path: &str) -> Option<u16> {
            rules
                .lock()
                .unwrap()
                .iter()
                .find(|(p, _)| p == "*" || p == path)
                .map(|(_, s)| *s)
        }
        fn injected(status: u16) -> axum::response::Response {
            let code = axum::http::StatusCode::from_u16(status).unwrap();
            let body = serde_json::json!({"error": if status == 401 { "unauthorized" } else { "injected" },
                "message": "injected by the test proxy"});
            (code, axum::Json(body)).into_response()
        }
        async fn forward(State(sh): State<Shared>, req: Request) -> axum::response::Response {
            sh.count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let bare_path = req.uri().path().to_string();
            sh.seen.lock().unwrap().push(ProxySeen {
                method: req.method().to_string(),
                path: bare_path.clone(),
                idempotency_key: req
                    .headers()
                    .get("idempotency-key")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string),
            });
            if let Some(status) = rule_for(&sh.rules, &bare_path) {
                return injected(status);
            }
            let m = *sh.mode.lock().unwrap();
            match m {
                ProxyMode::Down => {
                    return (axum::http::StatusCode::SERVICE_UNAVAILABLE, "down").into_response()
                }
                ProxyMode::Slow(d) => tokio::time::sleep(d).await,
                ProxyMode::Pass => {}
            }
            let method = req.method().clone();
            let path = req
                .uri()
                .path_and_query()
                .map(|p| p.to_string())
                .unwrap_or_default();
            let headers = req.headers().clone();
            let body = axum::body::to_bytes(req.into_body(), 64 * 1024 * 1024)
                .await
                .unwrap_or_default();
            let mut out = sh
                .http
                .request(method, format!("{}{path}", sh.upstream))
                .body(body);
            for name in ["authorization", "content-type", "idempotency-key"] {
                if let Some(v) = headers.get(name) {
                    out = out.header(name, v.as_bytes());
                }
            }
            match out.send().await {
                Ok(r) => {
                    let status = r.status().as_u16();
                    let ct = r.headers().get("content-type").cloned();
                    let bytes = r.bytes().await.unwrap_or_default();
                    // The API has acted; the bot hears only the proxy's failure.
                    if let Some(status) = rule_for(&sh.after_forward, &bare_path) {
                        return injected(status);
                    }
                    let mut resp =
                        (axum::http::StatusCode::from_u16(status).unwrap(), bytes).into_response();
                    if let Some(ct) = ct {
                        resp.headers_mut().insert("content-type", ct);
                    }
                    resp
                }
                Err(_) => axum::http::StatusCode::BAD_GATEWAY.into_response(),
            }
        }
        let shared = Shared {
            mode: std::sync::Arc::new(std::sync::Mutex::new(ProxyMode::Pass)),
            upstream,
            http: reqwest::Client::new(),
            count: Default::default(),
            rules: Default::default(),
            after_forward: Default::default(),
            seen: Default::default(),
        };
        let proxy = ApiProxy {
            url: String::new(),
            mode: shared.mode.clone(),
            rules: shared.rules.clone(),
            after_forward: shared.after_forward.clone(),
            requests: shared.count.clone(),
            seen: shared.seen.clone(),
        };
        let app = axum::Router::new().fallback(forward).with_state(shared);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        ApiProxy {
            url: format!("http://{addr}"),
            ..proxy
        }
    }

    /// Answers `path` with `status` from now on.
    pub fn fail(&self, path: &str, status: u16) {
        self.rules.lock().unwrap().push((path.to_string(), status));
    }

    /// Forwards `path` (so the API acts on it) but answers `status` instead of the API's
    /// answer, from now on.
    pub fn fail_after_forward(&self, path: &str, status: u16) {
        self.after_forward
            .lock()
            .unwrap()
            .push((path.to_string(), status));
    }

    /// Forwards everything again.
    pub fn heal(&self) {
        self.rules.lock().unwrap().clear();
        self.after_forward.lock().unwrap().clear();
    }

    /// Stops answering `path` with a status after forwarding (other rules stay).
    pub fn heal_after_forward(&self) {
        self.after_forward.lock().unwrap().clear();
    }

    /// What it has seen for `method path` (path without the query).
    pub fn seen(&self, method: &str, path: &str) -> Vec<ProxySeen> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.method == method && r.path == path)
            .cloned()
            .collect()
    }

    pub fn set(&self, m: ProxyMode) {
        *self.mode.lock().unwrap() = m;
    }
}

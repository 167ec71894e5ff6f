//! The OpenAPI contract (`docs/ticket-api.openapi.yaml`) against the code: every answer the
//! real sandbox gives over HTTP has a documented status and matches its documented schema
//! (JSON Schema 2020-12, as OpenAPI 3.1 says), with no undocumented field; the client's
//! wire types (`ticket::api`) read those answers and write back exactly the documented
//! fields; the enumerations, error codes and scopes of the document are the code's.

use std::collections::BTreeSet;
use std::time::Duration;

use jsonschema::{Draft, Validator};
use paradarum_bot::sandbox::WebhookTarget;
use paradarum_bot::signing::WebhookSecret;
use paradarum_bot::ticket::api::{
    capability, code, scope, Account, Attachment, ChangeTopic, CreateTicket, ErrorBody, Event,
    Items, Message, Meta, Page, Property, Reply, Ticket, TokenInfo,
};
use paradarum_bot::ticket::{Status, Topic};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

use crate::helpers::{TestSandbox, ADMIN};
use crate::webhooks::{receiver, wait_for};

const SPEC_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/ticket-api.openapi.yaml");

/// The document, with its component schemas under `$defs` so one JSON Schema 2020-12
/// document resolves every `$ref` locally.
struct Spec {
    doc: Value,
    defs: Value,
}

impl Spec {
    fn load() -> Self {
        let text = std::fs::read_to_string(SPEC_PATH).expect("the OpenAPI document reads");
        let doc: Value = serde_yaml_ng::from_str(&text).expect("the OpenAPI document is YAML");
        assert_eq!(doc["openapi"], "3.1.0");
        let defs = rewrite_refs(&doc["components"]["schemas"]);
        assert!(defs.is_object(), "components.schemas is a map");
        Self { doc, defs }
    }

    /// The schema of a component, as a reference.
    fn component(name: &str) -> Value {
        json!({"$ref": format!("#/$defs/{name}")})
    }

    fn validator(&self, schema: &Value) -> Validator {
        let mut doc = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$defs": self.defs,
        });
        for (k, v) in rewrite_refs(schema).as_object().expect("a schema object") {
            doc[k] = v.clone();
        }
        jsonschema::options()
            .with_draft(Draft::Draft202012)
            .should_validate_formats(true)
            .build(&doc)
            .unwrap_or_else(|e| panic!("the schema {schema} compiles: {e}"))
    }

    /// Follows one `$ref` inside the document (`#/components/...`).
    fn follow<'a>(&'a self, v: &'a Value) -> &'a Value {
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let pointer = r.strip_prefix('#').expect("a local reference");
                self.doc
                    .pointer(pointer)
                    .unwrap_or_else(|| panic!("{r} exists"))
            }
            None => v,
        }
    }

    /// The documented JSON schema of `method path` answering `status`; panics when the
    /// document does not list that status for the operation.
    fn response_schema(&self, method: &Method, path: &str, status: u16) -> Value {
        let op = &self.doc["paths"][path][method.as_str().to_ascii_lowercase()];
        assert!(op.is_object(), "{method} {path} is documented");
        let response = op["responses"]
            .get(status.to_string())
            .unwrap_or_else(|| panic!("{method} {path} documents no {status} answer"));
        let response = self.follow(response);
        response["content"]["application/json"]["schema"].clone()
    }

    /// Fails with every way `value` departs from `schema`: invalid, or a field the
    /// schema does not name.
    fn check(&self, schema: &Value, value: &Value, what: &str) {
        let validator = self.validator(schema);
        let errors: Vec<String> = validator
            .iter_errors(value)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(
            errors.is_empty(),
            "{what}: {value} does not match its schema: {errors:#?}"
        );
        let mut extra = Vec::new();
        self.undocumented(schema, value, String::new(), &mut extra);
        assert!(
            extra.is_empty(),
            "{what}: fields the document does not name: {extra:?} in {value}"
        );
    }

    /// Resolves a `#/$defs/...` or `#/components/schemas/...` reference.
    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let name = r.rsplit('/').next().unwrap_or_default();
                &self.defs[name]
            }
            None => schema,
        }
    }

    fn undocumented(&self, schema: &Value, value: &Value, at: String, out: &mut Vec<String>) {
        let schema = self.resolve(schema);
        match value {
            Value::Object(map) => {
                let Some(props) = schema.get("properties").and_then(Value::as_object) else {
                    return;
                };
                for (k, v) in map {
                    match props.get(k) {
                        Some(s) => self.undocumented(s, v, format!("{at}/{k}"), out),
                        None => out.push(format!("{at}/{k}")),
                    }
                }
            }
            Value::Array(items) => {
                if let Some(s) = schema.get("items") {
                    for (i, v) in items.iter().enumerate() {
                        self.undocumented(s, v, format!("{at}/{i}"), out);
                    }
                }
            }
            _ => {}
        }
    }

    /// The `required` list of a component.
    fn required(&self, name: &str) -> BTreeSet<String> {
        self.defs[name]["required"]
            .as_array()
            .unwrap_or_else(|| panic!("{name} lists its required fields"))
            .iter()
            .map(|v| v.as_str().expect("a field name").to_string())
            .collect()
    }

    /// The integer values of an enumeration component.
    fn int_enum(&self, name: &str) -> Vec<i64> {
        self.defs[name]["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{name} is an enum"))
            .iter()
            .map(|v| v.as_i64().expect("an integer"))
            .collect()
    }

    fn str_enum(&self, name: &str) -> BTreeSet<String> {
        self.defs[name]["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{name} is an enum"))
            .iter()
            .map(|v| v.as_str().expect("a string").to_string())
            .collect()
    }
}

/// OpenAPI's component references as JSON Schema `$defs` references.
fn rewrite_refs(v: &Value) -> Value {
    let text = v.to_string().replace("#/components/schemas/", "#/$defs/");
    serde_json::from_str(&text).expect("still JSON")
}

/// The client's wire type reads the sandbox's answer, and what it writes back is exactly
/// the documented component: every required property is a field of the type, and the type
/// has no field the document does not name.
fn wire_type<T: DeserializeOwned + Serialize>(spec: &Spec, component: &str, real: &Value) -> T {
    let typed: T = serde_json::from_value(real.clone())
        .unwrap_or_else(|e| panic!("{component}: the wire type reads {real}: {e}"));
    let written = serde_json::to_value(&typed).expect("serializes");
    if let Some(map) = written.as_object() {
        for field in spec.required(component) {
            assert!(
                map.contains_key(&field),
                "{component}: required `{field}` is not a field of the Rust type (wrote {written})"
            );
        }
    }
    spec.check(
        &Spec::component(component),
        &written,
        &format!("{component} as written by the Rust type"),
    );
    typed
}

/// One request to the sandbox: the answer's status must be documented for the operation
/// (`template`), its body must match the documented schema. Returns (status, body).
// A request has this many parts; a builder for one test file would only hide them.
#[allow(clippy::too_many_arguments)]
async fn call(
    spec: &Spec,
    sb: &TestSandbox,
    method: Method,
    template: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
    headers: &[(&str, &str)],
) -> (u16, Value) {
    let mut req = sb.raw(method.clone(), path.trim_start_matches('/'), token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = req.send().await.expect("the sandbox answers");
    let status = resp.status().as_u16();
    let value: Value = resp.json().await.expect("a JSON answer");
    let schema = spec.response_schema(&method, template, status);
    spec.check(&schema, &value, &format!("{method} {path} → {status}"));
    (status, value)
}

#[tokio::test]
async fn every_answer_of_the_sandbox_is_documented_and_read_by_the_wire_types() {
    let spec = Spec::load();
    let sb = TestSandbox::spawn().await;
    let g = Method::GET;
    let p = Method::POST;

    // Sandbox admin: an account (customer token) and an integration token.
    let (s, acc) = call(
        &spec,
        &sb,
        p.clone(),
        "/v1/sandbox/accounts",
        "/v1/sandbox/accounts",
        Some(ADMIN),
        Some(json!({"name": "Contract"})),
        &[],
    )
    .await;
    assert_eq!(s, 201);
    let customer = acc["token"].as_str().expect("a token").to_string();
    let property = acc["properties"][0]["id"]
        .as_str()
        .expect("an id")
        .to_string();
    wire_type::<Account>(&spec, "Account", &acc["account"]);
    let (s, minted) = call(
        &spec,
        &sb,
        p.clone(),
        "/v1/sandbox/tokens",
        "/v1/sandbox/tokens",
        Some(ADMIN),
        Some(json!({"scopes": ["tickets:read", "events:read"]})),
        &[],
    )
    .await;
    assert_eq!(s, 201);
    let reader = minted["token"].as_str().expect("a token").to_string();

    // Meta and the three kinds of token.
    let (_, meta) = call(
        &spec,
        &sb,
        g.clone(),
        "/v1/meta",
        "/v1/meta",
        None,
        None,
        &[],
    )
    .await;
    let meta: Meta = wire_type(&spec, "Meta", &meta);
    assert_eq!(meta.capabilities.len(), capability::ALL.len());
    for token in [customer.as_str(), reader.as_str(), ADMIN] {
        let (s, info) = call(
            &spec,
            &sb,
            g.clone(),
            "/v1/token",
            "/v1/token",
            Some(token),
            None,
            &[],
        )
        .await;
        assert_eq!(s, 200);
        wire_type::<TokenInfo>(&spec, "TokenInfo", &info);
    }
    let (_, account) = call(
        &spec,
        &sb,
        g.clone(),
        "/v1/account",
        "/v1/account",
        Some(&customer),
        None,
        &[],
    )
    .await;
    wire_type::<Account>(&spec, "Account", &account);
    let (_, props) = call(
        &spec,
        &sb,
        g.clone(),
        "/v1/properties",
        "/v1/properties",
        Some(&customer),
        None,
        &[],
    )
    .await;
    wire_type::<Items<Property>>(&spec, "PropertyList", &props);

    // A ticket's life: create (with a property and a key), read, reply twice, staff moves.
    let create = CreateTicket {
        topic: Topic::Ssl,
        subject: "Certificate expired".into(),
        message: "Renewal failed overnight".into(),
        property_id: Some(property.clone()),
    };
    let create_json = serde_json::to_value(&create).expect("serializes");
    spec.check(
        &Spec::component("CreateTicket"),
        &create_json,
        "CreateTicket as the client sends it",
    );
    let (s, ticket) = call(
        &spec,
        &sb,
        p.clone(),
        "/v1/tickets",
        "/v1/tickets",
        Some(&customer),
        Some(create_json),
        &[("Idempotency-Key", "contract-create-1")],
    )
    .await;
    assert_eq!(s, 201);
    let ticket: Ticket = wire_type(&spec, "Ticket", &ticket);
    assert_eq!(ticket.property_id.as_deref(), Some(property.as_str()));
    let id = ticket.id;
    let one = format!("/v1/tickets/{id}");
    let (_, got) = call(
        &spec,
        &sb,
        g.clone(),
        "/v1/tickets/{id}",
        &one,
        Some(&reader),
        None,
        &[],
    )
    .await;
    wire_type::<Ticket>(&spec, "Ticket", &got);
    let (s, reply) = call(
        &spec,
        &sb,
        p.clone(),
        "/v1/tickets/{id}/messages",
        &format!("{one}/messages"),
        Some(ADMIN),
        Some(json!({"body": "Looking into it", "staffName": "Ana"})),
        &[("Idempotency-Key", "contract-reply-1")],
    )
    .await;
    assert_eq!(s, 201);
    let reply: Reply = wire_type(&spec, "Reply", &reply);
    assert_eq!(reply.message.staff_name.as_deref(), Some("Ana"));
    spec.check(
        &Spec::component("ReplyJson"),
        &json!({"body": "Looking into it", "staffName": "Ana"}),
        "a staff reply with a name",
    );
    // A multipart reply with a file: the attachment's shape too.
    let form = reqwest::multipart::Form::new()
        .text("body", "The log")
        .part(
            "attachments",
            reqwest::multipart::Part::bytes(b"line 1\n".to_vec())
                .file_name("renew.log")
                .mime_str("text/plain")
                .expect("a mime type"),
        );
    let resp = sb
        .raw(
            p.clone(),
            &format!("v1/tickets/{id}/messages"),
            Some(&customer),
        )
        .multipart(form)
        .send()
        .await
        .expect("answers");
    assert_eq!(resp.status().as_u16(), 201);
    let multipart: Value = resp.json().await.expect("JSON");
    spec.check(
        &spec.response_schema(&p, "/v1/tickets/{id}/messages", 201),
        &multipart,
        "multipart reply",
    );
    let multipart: Reply = wire_type(&spec, "Reply", &multipart);
    wire_type::<Attachment>(
        &spec,
        "Attachment",
        &serde_json::to_value(&multipart.message.attachments[0]).expect("serializes"),
    );
    let (_, messages) = call(
        &spec,
        &sb,
        g.clone(),
        "/v1/tickets/{id}/messages",
        &format!("{one}/messages"),
        Some(&customer),
        None,
        &[],
    )
    .await;
    let messages: Items<Message> = wire_type(&spec, "MessageList", &messages);
    assert_eq!(messages.items.len(), 3);
    for m in &messages.items {
        wire_type::<Message>(&spec, "Message", &serde_json::to_value(m).expect("ser"));
    }
    let (s, _) = call(
        &spec,
        &sb,
        p.clone(),
        "/v1/tickets/{id}/status",
        &format!("{one}/status"),
        Some(ADMIN),
        Some(json!({"status": Status::Resolved.api_value(), "expectedStatus": 0})),
        &[],
    )
    .await;
    assert_eq!(s, 200);
    // A lost race: the ticket is no longer Open. The error carries the ticket.
    let (s, lost) = call(
        &spec,
        &sb,
        p.clone(),
        "/v1/tickets/{id}/status",
        &format!("{one}/status"),
        Some(ADMIN),
        Some(json!({"status": 1, "expectedStatus": 0})),
        &[],
    )
    .await;
    assert_eq!(s, 409);
    assert_eq!(lost["error"], code::STATUS_CHANGED);
    let now: Ticket = wire_type(&spec, "Ticket", &lost["ticket"]);
    assert_eq!(now.status, Status::Resolved);
    let change = ChangeTopic {
        topic: Topic::Networking,
        reason: Some("DNS, not the certificate".into()),
    };
    let change_json = serde_json::to_value(&change).expect("serializes");
    spec.check(
        &Spec::component("ChangeTopic"),
        &change_json,
        "ChangeTopic as the client sends it",
    );
    let (s, _) = call(
        &spec,
        &sb,
        Method::PATCH,
        "/v1/tickets/{id}",
        &one,
        Some(ADMIN),
        Some(change_json),
        &[],
    )
    .await;
    assert_eq!(s, 200);
    let (s, closed) = call(
        &spec,
        &sb,
        p.clone(),
        "/v1/tickets/{id}/close",
        &format!("{one}/close"),
        Some(&customer),
        None,
        &[("Idempotency-Key", "contract-close-1")],
    )
    .await;
    assert_eq!(s, 200);
    let closed: Ticket = wire_type(&spec, "Ticket", &closed);
    assert_eq!(closed.status, Status::Closed);
    let (_, page) = call(
        &spec,
        &sb,
        g.clone(),
        "/v1/tickets",
        "/v1/tickets?status=3&limit=1",
        Some(&customer),
        None,
        &[],
    )
    .await;
    let page: Page<Ticket> = wire_type(&spec, "TicketPage", &page);
    assert_eq!(page.items.len(), 1);

    // The feed: every event type of the ticket's life, and both seeks.
    let (_, events) = call(
        &spec,
        &sb,
        g.clone(),
        "/v1/events",
        "/v1/events?limit=100",
        Some(&reader),
        None,
        &[],
    )
    .await;
    let events: Page<Event> = wire_type(&spec, "EventPage", &events);
    let types: BTreeSet<&str> = events.items.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(types.len(), 4, "every event type was checked: {types:?}");
    for e in &events.items {
        wire_type::<Event>(&spec, "Event", &serde_json::to_value(e).expect("ser"));
    }
    for query in ["after=latest", "since=2000-01-01T00:00:00Z&limit=2"] {
        call(
            &spec,
            &sb,
            g.clone(),
            "/v1/events",
            &format!("/v1/events?{query}"),
            Some(&reader),
            None,
            &[],
        )
        .await;
    }

    // Every error answer: documented status, ErrorBody, read by the client's type.
    type Case<'a> = (
        Method,
        &'a str,
        String,
        Option<&'a str>,
        Option<Value>,
        Vec<(&'a str, &'a str)>,
        &'a str,
    );
    let errors: Vec<Case> = vec![
        (
            g.clone(),
            "/v1/tickets",
            "/v1/tickets".into(),
            None,
            None,
            vec![],
            code::UNAUTHORIZED,
        ),
        (
            g.clone(),
            "/v1/account",
            "/v1/account".into(),
            Some(ADMIN),
            None,
            vec![],
            code::FORBIDDEN,
        ),
        (
            g.clone(),
            "/v1/events",
            "/v1/events".into(),
            Some(&customer),
            None,
            vec![],
            code::FORBIDDEN,
        ),
        (
            g.clone(),
            "/v1/tickets/{id}",
            "/v1/tickets/999999".into(),
            Some(ADMIN),
            None,
            vec![],
            code::NOT_FOUND,
        ),
        (
            g.clone(),
            "/v1/tickets",
            "/v1/tickets?limit=0".into(),
            Some(ADMIN),
            None,
            vec![],
            code::VALIDATION,
        ),
        (
            p.clone(),
            "/v1/tickets",
            "/v1/tickets".into(),
            Some(&customer),
            Some(json!({"topic": 0, "subject": "s", "message": "m", "priority": "high"})),
            vec![],
            code::VALIDATION,
        ),
        (
            p.clone(),
            "/v1/tickets",
            "/v1/tickets".into(),
            Some(&customer),
            Some(json!([1, 2])),
            vec![],
            code::INVALID_JSON,
        ),
        (
            p.clone(),
            "/v1/tickets/{id}/messages",
            format!("{one}/messages"),
            Some(&customer),
            Some(json!({"body": "again"})),
            vec![],
            code::TICKET_CLOSED,
        ),
        (
            p.clone(),
            "/v1/tickets/{id}/messages",
            format!("{one}/messages"),
            Some(ADMIN),
            Some(json!({"body": "another text"})),
            vec![("Idempotency-Key", "contract-reply-1")],
            code::IDEMPOTENCY_CONFLICT,
        ),
        (
            p.clone(),
            "/v1/tickets/{id}/status",
            format!("{one}/status"),
            Some(ADMIN),
            Some(json!({"status": 2, "expectedStatus": 2})),
            vec![],
            code::STATUS_CHANGED,
        ),
        (
            p.clone(),
            "/v1/tickets/{id}/close",
            format!("{one}/close"),
            Some(&customer),
            None,
            vec![("Idempotency-Key", "bad key")],
            code::VALIDATION,
        ),
        (
            p.clone(),
            "/v1/tickets",
            "/v1/tickets".into(),
            Some(&customer),
            Some(json!({"topic": 0, "subject": "s", "message": "m".repeat(300 * 1024)})),
            vec![],
            code::PAYLOAD_TOO_LARGE,
        ),
    ];
    for (method, template, path, token, body, headers, want) in errors {
        let (_, err) = call(&spec, &sb, method, template, &path, token, body, &headers).await;
        let err: ErrorBody = wire_type(&spec, "ErrorBody", &err);
        assert_eq!(err.error, want, "{path}");
    }
    // 405 is the same body, on any path.
    let resp = sb
        .raw(Method::DELETE, "v1/meta", None)
        .send()
        .await
        .expect("answers");
    assert_eq!(resp.status().as_u16(), 405);
    let err: Value = resp.json().await.expect("JSON");
    spec.check(&Spec::component("ErrorBody"), &err, "405");
}

#[tokio::test]
async fn webhooks_carry_the_documented_headers_and_body() {
    let spec = Spec::load();
    let (url, received) = receiver(0).await;
    let secret = WebhookSecret::generate();
    let sb = TestSandbox::spawn_with(Some(WebhookTarget {
        url,
        secret: secret.clone(),
        max_attempts: 3,
        first_backoff: Duration::from_millis(20),
    }))
    .await;
    let (alice, _) = sb.customer("Alice").await;
    let t = sb.open(&alice, Topic::Billing, "Invoice").await;
    sb.client
        .set_status(&sb.admin, t.id, Status::InProgress, None)
        .await
        .expect("status set");

    let hook = &spec.doc["webhooks"]["ticketEvent"]["post"];
    let body_schema = &hook["requestBody"]["content"]["application/json"]["schema"];
    let params = hook["parameters"].as_array().expect("documented headers");
    let got = wait_for(&received, 2).await;
    assert_eq!(got.len(), 2);
    for (id, ts, sig, body) in &got {
        let event: Value = serde_json::from_slice(body).expect("JSON");
        spec.check(body_schema, &event, "webhook body");
        wire_type::<Event>(&spec, "Event", &event);
        let sent = [
            ("webhook-id", id),
            ("webhook-timestamp", ts),
            ("webhook-signature", sig),
        ];
        for p in params {
            assert_eq!(p["in"], "header");
            let name = p["name"].as_str().expect("a name");
            let (_, value) = sent
                .iter()
                .find(|(n, _)| *n == name)
                .unwrap_or_else(|| panic!("{name} is one the sandbox sends"));
            spec.check(&p["schema"], &json!(value), name);
        }
        assert_eq!(
            secret.verify(id, ts, sig, body, chrono::Utc::now().timestamp()),
            Ok(())
        );
    }
}

#[test]
fn the_documents_enumerations_are_the_codes() {
    let spec = Spec::load();
    let topics: Vec<i64> = Topic::ALL.iter().map(|t| t.api_value()).collect();
    assert_eq!(spec.int_enum("Topic"), topics);
    assert_eq!(topics, (0..=5).collect::<Vec<_>>());
    let statuses: Vec<i64> = Status::ALL.iter().map(|s| s.api_value()).collect();
    assert_eq!(spec.int_enum("Status"), statuses);
    assert_eq!(statuses, (0..=3).collect::<Vec<_>>());
    let labelled = |name: &str, value: i64, label: String| {
        let d = spec.defs[name]["description"].as_str().expect("described");
        let line = format!("- {value}: {label}");
        assert!(d.contains(&line), "{name}'s description has `{line}`");
    };
    for t in Topic::ALL {
        labelled("Topic", t.api_value(), t.label());
    }
    for s in Status::ALL {
        labelled("Status", s.api_value(), s.label());
    }
    let codes = [
        code::UNAUTHORIZED,
        code::FORBIDDEN,
        code::NOT_FOUND,
        code::VALIDATION,
        code::TICKET_CLOSED,
        code::IDEMPOTENCY_CONFLICT,
        code::STATUS_CHANGED,
        code::PAYLOAD_TOO_LARGE,
        code::INVALID_JSON,
        code::RATE_LIMITED,
        code::METHOD_NOT_ALLOWED,
        code::INTERNAL,
    ];
    assert_eq!(
        spec.str_enum("ErrorCode"),
        codes.iter().map(|c| c.to_string()).collect()
    );
    assert_eq!(
        spec.str_enum("Scope"),
        scope::ALL.iter().map(|c| c.to_string()).collect()
    );
    let about = spec.doc["info"]["description"].as_str().expect("described");
    for cap in capability::ALL {
        assert!(about.contains(cap), "the document announces {cap}");
    }
    for header in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
        let params = spec.doc["webhooks"]["ticketEvent"]["post"]["parameters"].to_string();
        assert!(params.contains(header), "{header} documented");
    }
    let key = &spec.doc["components"]["parameters"]["IdempotencyKey"];
    assert_eq!(key["name"], "Idempotency-Key");
    assert!(spec.doc["components"]["headers"]["RetryAfter"].is_object());
    assert_eq!(
        spec.doc["components"]["responses"]["RateLimited"]["headers"]["Retry-After"]["$ref"],
        "#/components/headers/RetryAfter"
    );
}

#[test]
fn no_schema_has_a_priority_field() {
    fn walk(v: &Value, at: &str, found: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                if let Some(Value::Object(props)) = map.get("properties") {
                    for k in props.keys() {
                        if k.eq_ignore_ascii_case("priority") {
                            found.push(format!("{at}/properties/{k}"));
                        }
                    }
                }
                if map
                    .get("name")
                    .and_then(Value::as_str)
                    .is_some_and(|n| n.eq_ignore_ascii_case("priority"))
                {
                    found.push(at.to_string());
                }
                for (k, v) in map {
                    walk(v, &format!("{at}/{k}"), found);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    walk(v, &format!("{at}/{i}"), found);
                }
            }
            _ => {}
        }
    }
    let spec = Spec::load();
    let mut found = Vec::new();
    walk(&spec.doc, "", &mut found);
    assert!(found.is_empty(), "a priority in the contract: {found:?}");
    // And the request schemas refuse one, as the API does.
    let with_priority = json!({"topic": 0, "subject": "s", "message": "m", "priority": "high"});
    assert!(!spec
        .validator(&Spec::component("CreateTicket"))
        .is_valid(&with_priority));
}

/// Every path the sandbox routes is documented, and every documented path is routed (an
/// undocumented one would answer the JSON 404 of the fallback).
#[tokio::test]
async fn the_documented_paths_are_the_sandboxs_routes() {
    let spec = Spec::load();
    let sb = TestSandbox::spawn().await;
    let paths = spec.doc["paths"].as_object().expect("paths");
    for (template, ops) in paths {
        let path = template.replace("{id}", "1");
        for method in ops.as_object().expect("operations").keys() {
            let Ok(method) = method.to_ascii_uppercase().parse::<Method>() else {
                continue;
            };
            if !["GET", "POST", "PATCH", "PUT", "DELETE"].contains(&method.as_str()) {
                continue;
            }
            // Without a token: a routed path answers 401 (or 200 where no token is
            // needed), never 404 or 405.
            let status = sb
                .raw(method.clone(), path.trim_start_matches('/'), None)
                .send()
                .await
                .expect("answers")
                .status()
                .as_u16();
            assert!(
                status == 401 || status == 200,
                "{method} {template} answers {status}: not routed as documented"
            );
        }
    }
    let routed = [
        "/healthz",
        "/v1/meta",
        "/v1/token",
        "/v1/account",
        "/v1/properties",
        "/v1/tickets",
        "/v1/tickets/{id}",
        "/v1/tickets/{id}/messages",
        "/v1/tickets/{id}/close",
        "/v1/tickets/{id}/status",
        "/v1/events",
        "/v1/sandbox/accounts",
        "/v1/sandbox/tokens",
    ];
    let documented: BTreeSet<&str> = paths.keys().map(String::as_str).collect();
    assert_eq!(documented, routed.into_iter().collect());
}

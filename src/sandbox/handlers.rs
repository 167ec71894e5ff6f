//! The sandbox's endpoints: parse and check the request, decide with the ticket model,
//! write through one store transaction, answer with the contract's shapes.

use axum::extract::{FromRequest, Multipart, Path, RawQuery, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::auth::{hash_token, new_token, random_alnum, Principal};
use super::body::{
    only_fields, optional_str, parse_object, required_int, required_str, required_topic, JsonObject,
};
use super::error::ApiError;
use super::AppState;
use crate::store::sandbox::{ListPosition, SandboxTx, StoredResponse, Visibility};
use crate::ticket::api::{
    capability, format_event_id, parse_event_id, scope, token_kind, Account, Attachment, Event,
    Items, Meta, Page, Property, Reply, Ticket, TicketId, TokenInfo, EVENT_MESSAGE_CREATED,
    EVENT_STATUS_CHANGED, EVENT_TICKET_CREATED, EVENT_TOPIC_CHANGED,
};
use crate::ticket::{self, Author, Change, RuleError, Status};

type ApiResult<T> = Result<T, ApiError>;

const IDEMPOTENCY_WINDOW_MS: i64 = 24 * 60 * 60 * 1000;
const DEFAULT_LIMIT: u32 = 25;
const MAX_LIMIT: u32 = 100;

/// A path id that is not a ticket number is simply not found.
fn ticket_id(raw: &str) -> ApiResult<TicketId> {
    raw.parse::<TicketId>().map_err(|_| ApiError::not_found())
}

fn text_error(field: &str, e: ticket::TextError) -> ApiError {
    ApiError::validation(field, e.to_string())
}

/// Writes an event and wakes the webhook sender once the transaction is committed.
async fn emit(
    tx: &mut SandboxTx,
    kind: &str,
    ticket: &Ticket,
    data: Value,
    now: i64,
) -> ApiResult<Event> {
    Ok(tx.insert_event(kind, ticket, data, now).await?)
}

/// The optional `Idempotency-Key` header: 1–255 visible ASCII characters, else 400.
fn idempotency_key(headers: &HeaderMap) -> ApiResult<Option<&str>> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .ok()
        .filter(|k| !k.is_empty() && k.len() <= 255 && k.bytes().all(|b| b.is_ascii_graphic()));
    key.map(Some).ok_or_else(|| {
        ApiError::validation(
            "Idempotency-Key",
            "the Idempotency-Key header must be 1–255 visible ASCII characters",
        )
    })
}

/// What a keyed reply or close asked, as one hash: the operation and its canonical path
/// (another ticket or another operation is another request) and the content.
fn write_hash(operation: &str, content: Value) -> String {
    let canonical = json!({"request": operation, "content": content});
    URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.to_string().as_bytes()))
}

/// A JSON answer from its exact text, so a replay sends the very bytes first sent.
fn json_text(status: StatusCode, body: String) -> Response {
    (
        status,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

fn replay(stored: StoredResponse) -> ApiResult<Response> {
    let status = StatusCode::from_u16(stored.status).map_err(|_| ApiError::internal())?;
    Ok(json_text(status, stored.body))
}

/// A keyed write inside its transaction: the first answer when this caller already used
/// the key for this very request, 409 when for another, None when the key is new.
async fn earlier_answer(
    tx: &mut SandboxTx,
    caller: &str,
    key: &str,
    hash: &str,
    now: i64,
) -> ApiResult<Option<Response>> {
    let Some(seen) = tx
        .idempotency(caller, key, now - IDEMPOTENCY_WINDOW_MS)
        .await?
    else {
        return Ok(None);
    };
    match seen.response {
        Some(stored) if seen.body_hash == hash => replay(stored).map(Some),
        // Another request, or a key first used to create a ticket.
        _ => Err(ApiError::idempotency_conflict()),
    }
}

/// Serializes a successful keyed write's answer and remembers it with the key (in the
/// same transaction as the write); without a key only serializes.
async fn answer_and_remember<T: serde::Serialize>(
    tx: &mut SandboxTx,
    keyed: Option<(&str, &str, &str)>,
    ticket_id: TicketId,
    status: StatusCode,
    value: &T,
    now: i64,
) -> ApiResult<Response> {
    let body = serde_json::to_string(value).map_err(|e| {
        tracing::error!(error = %e, "cannot serialize an answer");
        ApiError::internal()
    })?;
    if let Some((caller, key, hash)) = keyed {
        let stored = StoredResponse {
            status: status.as_u16(),
            body,
        };
        tx.remember_response(caller, key, hash, ticket_id, &stored, now)
            .await?;
        return Ok(json_text(status, stored.body));
    }
    Ok(json_text(status, body))
}

pub async fn account(State(state): State<AppState>, who: Principal) -> ApiResult<Json<Account>> {
    let id = who.customer_account()?;
    let account = state.store.sandbox().account(id).await?;
    account.map(Json).ok_or_else(ApiError::not_found)
}

pub async fn properties(
    State(state): State<AppState>,
    who: Principal,
) -> ApiResult<Json<Items<Property>>> {
    let id = who.customer_account()?;
    let items = state.store.sandbox().properties(id).await?;
    Ok(Json(Items { items }))
}

pub async fn create_ticket(
    State(state): State<AppState>,
    who: Principal,
    headers: HeaderMap,
    JsonObject(body): JsonObject,
) -> ApiResult<Response> {
    let account_id = who.customer_account()?.to_string();
    only_fields(&body, &["topic", "subject", "message", "propertyId"])?;
    let topic = required_topic(&body)?;
    let subject = required_str(&body, "subject")?;
    ticket::validate_subject(subject).map_err(|e| text_error("subject", e))?;
    let message = required_str(&body, "message")?;
    ticket::validate_message(message).map_err(|e| text_error("message", e))?;
    let property_id = optional_str(&body, "propertyId")?;

    let key = idempotency_key(&headers)?;
    // The canonical form of what was asked, to tell a retry from a different request.
    let body_hash = {
        let canonical = json!({
            "topic": topic.api_value(), "subject": subject,
            "message": message, "propertyId": property_id,
        });
        let digest = Sha256::digest(canonical.to_string().as_bytes());
        URL_SAFE_NO_PAD.encode(digest)
    };

    let now = state.tick();
    let mut tx = state.store.sandbox().begin().await?;
    if let Some(key) = key {
        if let Some(seen) = tx
            .idempotency(&account_id, key, now - IDEMPOTENCY_WINDOW_MS)
            .await?
        {
            if seen.body_hash != body_hash {
                return Err(ApiError::idempotency_conflict());
            }
            let ticket = tx
                .ticket(seen.ticket_id, Visibility::Account(&account_id))
                .await?
                .ok_or_else(ApiError::internal)?;
            return Ok((StatusCode::CREATED, Json(ticket)).into_response());
        }
    }
    if let Some(p) = property_id {
        if !tx.property_of_account(&account_id, p).await? {
            return Err(ApiError::validation(
                "propertyId",
                "no such property on this account",
            ));
        }
    }
    let status = ticket::initial_status();
    let ticket = tx
        .insert_ticket(&account_id, topic, status, subject, property_id, now)
        .await?;
    tx.insert_message(ticket.id, Author::Customer, message, &[], None, now)
        .await?;
    let data = json!({"topic": topic, "status": status});
    emit(&mut tx, EVENT_TICKET_CREATED, &ticket, data, now).await?;
    if let Some(key) = key {
        tx.remember_idempotency(&account_id, key, &body_hash, ticket.id, now)
            .await?;
    }
    tx.commit().await?;
    state.events.notify_one();
    Ok((StatusCode::CREATED, Json(ticket)).into_response())
}

/// Reads `?status=&status=&limit=&cursor=` strictly: a bad value is a 400 naming it.
fn list_query(raw: Option<&str>) -> ApiResult<(i64, u32, Option<ListPosition>)> {
    let mut mask = 0i64;
    let mut limit = DEFAULT_LIMIT;
    let mut cursor = None;
    for (k, v) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        match k.as_ref() {
            "status" => {
                let s = v
                    .parse::<i64>()
                    .ok()
                    .and_then(Status::from_api)
                    .ok_or_else(|| {
                        ApiError::validation("status", "`status` must be an integer from 0 to 3")
                    })?;
                mask |= 1 << s.api_value();
            }
            "limit" => {
                limit = v
                    .parse::<u32>()
                    .ok()
                    .filter(|l| (1..=MAX_LIMIT).contains(l))
                    .ok_or_else(|| {
                        ApiError::validation("limit", "`limit` must be an integer from 1 to 100")
                    })?;
            }
            "cursor" => {
                cursor = Some(decode_cursor(&v).ok_or_else(|| {
                    ApiError::validation("cursor", "`cursor` is not one this API gave out")
                })?);
            }
            _ => {}
        }
    }
    if mask == 0 {
        mask = Status::ALL.iter().fold(0, |m, s| m | (1 << s.api_value()));
    }
    Ok((mask, limit, cursor))
}

fn encode_cursor((updated, id): ListPosition) -> String {
    URL_SAFE_NO_PAD.encode(format!("{updated}:{id}"))
}

fn decode_cursor(text: &str) -> Option<ListPosition> {
    let bytes = URL_SAFE_NO_PAD.decode(text).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (u, i) = text.split_once(':')?;
    Some((u.parse().ok()?, i.parse().ok()?))
}

pub async fn list_tickets(
    State(state): State<AppState>,
    who: Principal,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<Page<Ticket>>> {
    let vis = who.read_visibility()?;
    let (mask, limit, after) = list_query(query.as_deref())?;
    let mut items = state
        .store
        .sandbox()
        .list_tickets(vis, mask, limit + 1, after)
        .await?;
    let next_cursor = if items.len() > limit as usize {
        items.truncate(limit as usize);
        items
            .last()
            .map(|t| encode_cursor((t.updated_at.timestamp_millis(), t.id as i64)))
    } else {
        None
    };
    Ok(Json(Page { items, next_cursor }))
}

pub async fn get_ticket(
    State(state): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
) -> ApiResult<Json<Ticket>> {
    let vis = who.read_visibility()?;
    let ticket = state.store.sandbox().ticket(ticket_id(&id)?, vis).await?;
    ticket.map(Json).ok_or_else(ApiError::not_found)
}

pub async fn list_messages(
    State(state): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
) -> ApiResult<Json<Items<crate::ticket::api::Message>>> {
    let vis = who.read_visibility()?;
    let id = ticket_id(&id)?;
    let sandbox = state.store.sandbox();
    sandbox
        .ticket(id, vis)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(Items {
        items: sandbox.messages(id).await?,
    }))
}

/// A reply's text and attachment descriptions, from JSON or multipart.
struct ReplyBody {
    body: String,
    attachments: Vec<Attachment>,
    /// Each attachment's SHA-256 (URL-safe base64), in order; only for a keyed reply.
    file_hashes: Vec<String>,
    /// `staffName` as sent (checked and trimmed by [`staff_name`]).
    staff_name: Option<String>,
}

impl ReplyBody {
    /// The reply as one request for its Idempotency-Key: the text and each file's name,
    /// type and bytes. A JSON reply is a multipart one without files.
    fn content(&self) -> Value {
        let files: Vec<Value> = self
            .attachments
            .iter()
            .zip(&self.file_hashes)
            .map(|(a, h)| json!({"filename": a.filename, "contentType": a.content_type, "sha256": h}))
            .collect();
        let mut content = json!({"body": self.body, "attachments": files});
        // Only when sent: a reply without it hashes as it did before the extension, so a
        // retry across an upgrade is still the same request.
        if let Some(name) = &self.staff_name {
            content["staffName"] = json!(name);
        }
        content
    }
}

/// Reads a multipart reply; `hash_files` also digests each file's bytes as they stream by
/// (for an Idempotency-Key), so they are never held whole.
async fn read_multipart(mut form: Multipart, hash_files: bool) -> ApiResult<ReplyBody> {
    let too_large_or_bad = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::too_large("the request body is too large")
        } else {
            ApiError::validation(
                "body",
                format!("malformed multipart body: {}", e.body_text()),
            )
        }
    };
    let mut body = None;
    let mut staff_name = None;
    let mut attachments = Vec::new();
    let mut file_hashes = Vec::new();
    while let Some(mut field) = form.next_field().await.map_err(too_large_or_bad)? {
        match field.name().unwrap_or_default() {
            "staffName" => {
                if staff_name.is_some() {
                    return Err(ApiError::validation(
                        "staffName",
                        "`staffName` was sent twice",
                    ));
                }
                staff_name = Some(field.text().await.map_err(too_large_or_bad)?);
            }
            "body" => {
                if body.is_some() {
                    return Err(ApiError::validation("body", "`body` was sent twice"));
                }
                body = Some(field.text().await.map_err(too_large_or_bad)?);
            }
            "attachments" => {
                if attachments.len() == ticket::ATTACHMENTS_MAX {
                    return Err(ApiError::too_large(format!(
                        "at most {} attachments per message",
                        ticket::ATTACHMENTS_MAX
                    )));
                }
                let filename: String = field
                    .file_name()
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or("attachment")
                    .chars()
                    .take(255)
                    .collect();
                let content_type = field
                    .content_type()
                    .unwrap_or("application/octet-stream")
                    .to_string();
                // Counted chunk by chunk: an oversized file is refused before it is
                // read whole.
                let mut size: u64 = 0;
                let mut digest = hash_files.then(Sha256::new);
                while let Some(chunk) = field.chunk().await.map_err(too_large_or_bad)? {
                    size += chunk.len() as u64;
                    if size > ticket::ATTACHMENT_MAX_BYTES {
                        return Err(ApiError::too_large(format!(
                            "`{filename}` is over the 10 MiB limit for one attachment"
                        )));
                    }
                    if let Some(d) = digest.as_mut() {
                        d.update(&chunk);
                    }
                }
                if let Some(d) = digest {
                    file_hashes.push(URL_SAFE_NO_PAD.encode(d.finalize()));
                }
                attachments.push(Attachment {
                    filename,
                    content_type,
                    size,
                });
            }
            other => {
                let name = other.to_string();
                return Err(ApiError::validation(
                    &name,
                    format!("unknown field `{name}`"),
                ));
            }
        }
    }
    let body = body.ok_or_else(|| ApiError::validation("body", "`body` is required"))?;
    Ok(ReplyBody {
        body,
        attachments,
        file_hashes,
        staff_name,
    })
}

/// `staffName` of a reply: staff only, 1–80 characters after trimming, one line. Returns
/// it trimmed (as stored, shown and compared for an Idempotency-Key).
fn staff_name(author: Author, sent: Option<&str>) -> ApiResult<Option<String>> {
    let Some(sent) = sent else {
        return Ok(None);
    };
    if author != Author::Staff {
        return Err(ApiError::validation(
            "staffName",
            "`staffName` is for staff replies; a customer's reply cannot carry one",
        ));
    }
    ticket::validate_staff_name(sent)
        .map(|n| Some(n.to_string()))
        .map_err(|e| text_error("staffName", e))
}

pub async fn reply(
    State(state): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
    headers: HeaderMap,
    request: Request,
) -> ApiResult<Response> {
    let vis = who.write_visibility()?;
    let author = match who {
        Principal::Customer { .. } => Author::Customer,
        Principal::Staff { .. } => Author::Staff,
    };
    let id = ticket_id(&id)?;
    let key = idempotency_key(&headers)?;
    let caller = who.idempotency_caller();
    // Refuse early, before a large upload is read: unknown ticket, or Closed. Not Closed
    // for a key already used: a retry of a reply made before the close gets its first
    // answer, and the transaction below decides.
    let sandbox = state.store.sandbox();
    let current = sandbox
        .ticket(id, vis)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let seen = match key {
        Some(k) => {
            let not_before = crate::store::now_millis() - IDEMPOTENCY_WINDOW_MS;
            sandbox.idempotency_seen(caller, k, not_before).await?
        }
        None => false,
    };
    if !seen {
        ticket::status_after_reply(current.status, author)
            .map_err(|_| ApiError::ticket_closed())?;
    }

    let is_multipart = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.to_ascii_lowercase().starts_with("multipart/form-data"));
    let mut reply = if is_multipart {
        let form = Multipart::from_request(request, &state)
            .await
            .map_err(|e| ApiError::validation("body", e.body_text()))?;
        read_multipart(form, key.is_some()).await?
    } else {
        if request
            .headers()
            .get(axum::http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok())
            .is_some_and(|len| len > super::JSON_BODY_LIMIT)
        {
            return Err(ApiError::too_large("the request body is too large"));
        }
        let bytes = axum::body::to_bytes(request.into_body(), super::JSON_BODY_LIMIT)
            .await
            .map_err(|_| ApiError::too_large("the request body is too large"))?;
        let map = parse_object(&bytes)?;
        only_fields(&map, &["body", "staffName"])?;
        ReplyBody {
            body: required_str(&map, "body")?.to_string(),
            attachments: Vec::new(),
            file_hashes: Vec::new(),
            staff_name: optional_str(&map, "staffName")?.map(str::to_string),
        }
    };
    ticket::validate_message(&reply.body).map_err(|e| text_error("body", e))?;
    reply.staff_name = staff_name(author, reply.staff_name.as_deref())?;
    let hash = key.map(|_| write_hash(&format!("POST /v1/tickets/{id}/messages"), reply.content()));
    let keyed = key.zip(hash.as_deref()).map(|(k, h)| (caller, k, h));

    let now = state.tick();
    let mut tx = state.store.sandbox().begin().await?;
    if let Some((caller, key, hash)) = keyed {
        if let Some(first) = earlier_answer(&mut tx, caller, key, hash, now).await? {
            return Ok(first);
        }
    }
    let ticket = tx.ticket(id, vis).await?.ok_or_else(ApiError::not_found)?;
    let next =
        ticket::status_after_reply(ticket.status, author).map_err(|_| ApiError::ticket_closed())?;
    let message = tx
        .insert_message(
            id,
            author,
            &reply.body,
            &reply.attachments,
            reply.staff_name.as_deref(),
            now,
        )
        .await?;
    let updated = tx.update_ticket(id, next, ticket.topic, now).await?;
    let data = json!({"messageId": message.id, "author": author});
    emit(&mut tx, EVENT_MESSAGE_CREATED, &updated, data, now).await?;
    if next != ticket.status {
        let data = json!({"from": ticket.status, "to": next});
        emit(&mut tx, EVENT_STATUS_CHANGED, &updated, data, now).await?;
    }
    let answer = Reply {
        message,
        ticket: updated,
    };
    let response =
        answer_and_remember(&mut tx, keyed, id, StatusCode::CREATED, &answer, now).await?;
    tx.commit().await?;
    state.events.notify_one();
    Ok(response)
}

pub async fn close(
    State(state): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
    headers: HeaderMap,
    JsonObject(body): JsonObject,
) -> ApiResult<Response> {
    let vis = who.write_visibility()?;
    only_fields(&body, &[])?;
    let id = ticket_id(&id)?;
    let key = idempotency_key(&headers)?;
    let hash = key.map(|_| write_hash(&format!("POST /v1/tickets/{id}/close"), json!({})));
    let keyed = key
        .zip(hash.as_deref())
        .map(|(k, h)| (who.idempotency_caller(), k, h));

    let now = state.tick();
    let mut tx = state.store.sandbox().begin().await?;
    // Before the Closed check: a retry of the close that closed it gets that close's answer.
    if let Some((caller, key, hash)) = keyed {
        if let Some(first) = earlier_answer(&mut tx, caller, key, hash, now).await? {
            return Ok(first);
        }
    }
    let ticket = tx.ticket(id, vis).await?.ok_or_else(ApiError::not_found)?;
    ticket::check_close(ticket.status).map_err(|_| ApiError::ticket_closed())?;
    let updated = tx
        .update_ticket(id, Status::Closed, ticket.topic, now)
        .await?;
    let data = json!({"from": ticket.status, "to": Status::Closed});
    emit(&mut tx, EVENT_STATUS_CHANGED, &updated, data, now).await?;
    let response = answer_and_remember(&mut tx, keyed, id, StatusCode::OK, &updated, now).await?;
    tx.commit().await?;
    state.events.notify_one();
    Ok(response)
}

/// The optional `expectedStatus` (capability `tickets.expected_status`): a status 0–3, or
/// absent / null.
fn expected_status(body: &serde_json::Map<String, Value>) -> ApiResult<Option<Status>> {
    match body.get("expectedStatus") {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_i64()
            .and_then(Status::from_api)
            .map(Some)
            .ok_or_else(|| {
                ApiError::validation(
                    "expectedStatus",
                    "`expectedStatus` must be an integer from 0 to 3",
                )
            }),
    }
}

pub async fn set_status(
    State(state): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> ApiResult<Json<Ticket>> {
    who.require(scope::TICKETS_STATUS)?;
    only_fields(&body, &["status", "expectedStatus"])?;
    let target = Status::from(required_int(&body, "status")?);
    let expected = expected_status(&body)?;
    // Decide what the request may ask before looking the ticket up: a bad target is a
    // 400 whatever the ticket.
    match ticket::check_staff_status(Status::Open, target, true) {
        Err(RuleError::NotDirectlySettable(_)) | Err(RuleError::UnknownStatus) => {
            return Err(ApiError::validation(
                "status",
                "`status` must be 1 (In Progress) or 2 (Resolved): Open comes only from \
                 create or reopen, Closed only from close",
            ));
        }
        _ => {}
    }
    let id = ticket_id(&id)?;
    let now = state.tick();
    let mut tx = state.store.sandbox().begin().await?;
    let ticket = tx
        .ticket(id, Visibility::All)
        .await?
        .ok_or_else(ApiError::not_found)?;
    // Before the Closed check: a caller who expected another status learns what it is
    // now, Closed included.
    if expected.is_some_and(|e| e != ticket.status) {
        return Err(ApiError::status_changed(ticket));
    }
    match ticket::check_staff_status(ticket.status, target, true) {
        Ok(Change::Unchanged) => Ok(Json(ticket)),
        Ok(Change::To(next)) => {
            let updated = tx.update_ticket(id, next, ticket.topic, now).await?;
            let data = json!({"from": ticket.status, "to": next});
            emit(&mut tx, EVENT_STATUS_CHANGED, &updated, data, now).await?;
            tx.commit().await?;
            state.events.notify_one();
            Ok(Json(updated))
        }
        Err(RuleError::Closed) => Err(ApiError::ticket_closed()),
        Err(e) => Err(ApiError::validation("status", e.to_string())),
    }
}

pub async fn change_topic(
    State(state): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> ApiResult<Json<Ticket>> {
    who.require(scope::TICKETS_TOPIC)?;
    only_fields(&body, &["topic", "reason"])?;
    let topic = required_topic(&body)?;
    let reason = optional_str(&body, "reason")?;
    if let Some(r) = reason {
        ticket::validate_reason(r).map_err(|e| text_error("reason", e))?;
    }
    let id = ticket_id(&id)?;
    let now = state.tick();
    let mut tx = state.store.sandbox().begin().await?;
    let ticket = tx
        .ticket(id, Visibility::All)
        .await?
        .ok_or_else(ApiError::not_found)?;
    match ticket::check_topic_change(ticket.status, ticket.topic, topic) {
        Ok(Change::Unchanged) => Ok(Json(ticket)),
        Ok(Change::To(next)) => {
            let updated = tx.update_ticket(id, ticket.status, next, now).await?;
            let data = json!({"from": ticket.topic, "to": next, "reason": reason});
            emit(&mut tx, EVENT_TOPIC_CHANGED, &updated, data, now).await?;
            tx.commit().await?;
            state.events.notify_one();
            Ok(Json(updated))
        }
        Err(RuleError::Closed) => Err(ApiError::ticket_closed()),
        Err(e) => Err(ApiError::validation("topic", e.to_string())),
    }
}

/// Where a page of the events feed starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Seek {
    /// After this sequence number (0: from the beginning).
    After(u64),
    /// Nothing, only the newest event's id as the cursor (`after=latest`).
    Latest,
    /// Events that occurred at or after this time (unix ms).
    Since(i64),
}

/// Reads `?after=&since=&limit=` strictly: a bad value is a 400 naming it.
fn events_query(raw: Option<&str>) -> ApiResult<(Seek, u32)> {
    let mut after = None;
    let mut since = None;
    let mut limit = DEFAULT_LIMIT;
    for (k, v) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        match k.as_ref() {
            "after" if !v.is_empty() => {
                after = Some(if v == "latest" {
                    Seek::Latest
                } else {
                    Seek::After(parse_event_id(&v).ok_or_else(|| {
                        ApiError::validation(
                            "after",
                            "`after` must be an event id like evt_000000000042, or `latest`",
                        )
                    })?)
                });
            }
            "since" => since = Some(parse_since(&v)?),
            "limit" => {
                limit = v
                    .parse::<u32>()
                    .ok()
                    .filter(|l| (1..=MAX_LIMIT).contains(l))
                    .ok_or_else(|| {
                        ApiError::validation("limit", "`limit` must be an integer from 1 to 100")
                    })?;
            }
            _ => {}
        }
    }
    let seek = match (after, since) {
        (Some(_), Some(_)) => {
            return Err(ApiError::validation(
                "since",
                "`since` and `after` cannot be used together: continue a `since` page with \
                 `after`",
            ))
        }
        (Some(a), None) => a,
        (None, Some(ms)) => Seek::Since(ms),
        (None, None) => Seek::After(0),
    };
    Ok((seek, limit))
}

/// An RFC 3339 time as unix ms, rounded up so nothing before it is included.
fn parse_since(text: &str) -> ApiResult<i64> {
    let t = chrono::DateTime::parse_from_rfc3339(text).map_err(|_| {
        ApiError::validation(
            "since",
            "`since` must be an RFC 3339 time like 2026-01-01T00:00:00.000Z \
             (a `+` offset must be sent as %2B)",
        )
    })?;
    let sub_ms = t.timestamp_subsec_nanos() % 1_000_000 != 0;
    Ok(t.timestamp_millis().saturating_add(i64::from(sub_ms)))
}

pub async fn events(
    State(state): State<AppState>,
    who: Principal,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<Page<Event>>> {
    who.require(scope::EVENTS_READ)?;
    let (seek, limit) = events_query(query.as_deref())?;
    let sandbox = state.store.sandbox();
    let items = match seek {
        Seek::Latest => {
            let newest = sandbox.latest_event_seq().await?;
            return Ok(Json(Page {
                items: Vec::new(),
                next_cursor: newest.map(format_event_id),
            }));
        }
        Seek::After(after) => sandbox.events(after, limit).await?,
        Seek::Since(ms) => sandbox.events_since(ms, limit).await?,
    };
    let next_cursor = if items.len() == limit as usize {
        items.last().map(|e| e.id.clone())
    } else {
        None
    };
    Ok(Json(Page { items, next_cursor }))
}

/// `GET /v1/meta`: needs no token (one sent is ignored).
pub async fn meta() -> Json<Meta> {
    Json(Meta {
        api_version: "v1".into(),
        capabilities: capability::ALL.iter().map(|c| c.to_string()).collect(),
    })
}

/// `GET /v1/token`: what the calling token is.
pub async fn token_info(who: Principal) -> Json<TokenInfo> {
    Json(match who {
        Principal::Customer { account_id } => TokenInfo {
            kind: token_kind::CUSTOMER.into(),
            scopes: Vec::new(),
            account_id: Some(account_id),
        },
        Principal::Staff {
            scopes,
            admin: true,
            ..
        } => TokenInfo {
            kind: token_kind::ADMIN.into(),
            scopes,
            account_id: None,
        },
        Principal::Staff {
            scopes,
            admin: false,
            ..
        } => TokenInfo {
            kind: token_kind::INTEGRATION.into(),
            scopes,
            account_id: None,
        },
    })
}

fn slug(name: &str) -> String {
    let s: String = name
        .chars()
        .filter_map(|c| match c {
            'a'..='z' | '0'..='9' => Some(c),
            'A'..='Z' => Some(c.to_ascii_lowercase()),
            ' ' | '-' | '_' | '.' => Some('-'),
            _ => None,
        })
        .take(40)
        .collect();
    let s = s.trim_matches('-').to_string();
    if s.is_empty() {
        "demo".into()
    } else {
        s
    }
}

pub async fn create_account(
    State(state): State<AppState>,
    who: Principal,
    JsonObject(body): JsonObject,
) -> ApiResult<Response> {
    if !who.is_admin() {
        return Err(ApiError::forbidden("this needs the sandbox admin token"));
    }
    only_fields(&body, &["name"])?;
    let name = required_str(&body, "name")?.trim().to_string();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ApiError::validation(
            "name",
            "`name` must be 1–100 characters",
        ));
    }
    let account = Account {
        id: format!("acc_{}", random_alnum(16)),
        name: name.clone(),
    };
    let site = slug(&name);
    let properties = vec![
        Property {
            id: format!("prop_{}", random_alnum(16)),
            name: format!("{site}.example.com"),
        },
        Property {
            id: format!("prop_{}", random_alnum(16)),
            name: format!("shop.{site}.example.com"),
        },
    ];
    let token = new_token("sbx_cus_");
    state
        .store
        .sandbox()
        .create_account(&account, &hash_token(&token), &properties)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"account": account, "token": token, "properties": properties})),
    )
        .into_response())
}

pub async fn create_token(
    State(state): State<AppState>,
    who: Principal,
    JsonObject(body): JsonObject,
) -> ApiResult<Response> {
    if !who.is_admin() {
        return Err(ApiError::forbidden("this needs the sandbox admin token"));
    }
    only_fields(&body, &["scopes"])?;
    let invalid = || {
        ApiError::validation(
            "scopes",
            format!(
                "`scopes` must be a non-empty list of: {}",
                scope::ALL.join(", ")
            ),
        )
    };
    let Some(Value::Array(items)) = body.get("scopes") else {
        return Err(invalid());
    };
    let mut scopes = Vec::new();
    for item in items {
        match item.as_str() {
            Some(s) if scope::ALL.contains(&s) => {
                if !scopes.iter().any(|x| x == s) {
                    scopes.push(s.to_string());
                }
            }
            _ => return Err(invalid()),
        }
    }
    if scopes.is_empty() {
        return Err(invalid());
    }
    let token = new_token("sbx_int_");
    state
        .store
        .sandbox()
        .create_integration_token(&hash_token(&token), &scopes)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"token": token, "scopes": scopes})),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        assert_eq!(decode_cursor(&encode_cursor((123, 45))), Some((123, 45)));
        assert_eq!(decode_cursor("!!"), None);
        assert_eq!(decode_cursor(&URL_SAFE_NO_PAD.encode("x:y")), None);
    }

    #[test]
    fn events_queries_are_read_strictly() {
        assert_eq!(events_query(None).unwrap(), (Seek::After(0), 25));
        assert_eq!(
            events_query(Some("after=evt_000000000007&limit=3")).unwrap(),
            (Seek::After(7), 3)
        );
        assert_eq!(
            events_query(Some("after=latest")).unwrap(),
            (Seek::Latest, 25)
        );
        assert_eq!(
            events_query(Some("since=1970-01-01T00:00:01.5Z")).unwrap(),
            (Seek::Since(1500), 25)
        );
        // Sub-millisecond times round up: nothing before `since` is included.
        assert_eq!(
            events_query(Some("since=1970-01-01T00:00:01.0005Z")).unwrap(),
            (Seek::Since(1001), 25)
        );
        assert_eq!(
            events_query(Some("since=1970-01-01T01:00:00%2B01:00")).unwrap(),
            (Seek::Since(0), 25)
        );
        let field = |q: &str| events_query(Some(q)).unwrap_err().body.field;
        assert_eq!(field("since=yesterday").as_deref(), Some("since"));
        assert_eq!(field("since=").as_deref(), Some("since"));
        assert_eq!(
            field("since=1970-01-01T00:00:00Z&after=evt_000000000001").as_deref(),
            Some("since")
        );
        assert_eq!(
            field("after=latest&since=1970-01-01T00:00:00Z").as_deref(),
            Some("since")
        );
        assert_eq!(field("after=newest").as_deref(), Some("after"));
        assert_eq!(field("limit=0").as_deref(), Some("limit"));
    }

    #[test]
    fn slugs_are_host_safe() {
        assert_eq!(slug("Acme Corp!"), "acme-corp");
        assert_eq!(slug("☃☃"), "demo");
    }
}

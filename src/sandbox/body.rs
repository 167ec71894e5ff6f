//! Reading request bodies the contract's way: a size cap checked before the body is read
//! whole, malformed JSON → 400, every unknown field → 400 `validation` naming it.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde_json::{Map, Value};

use super::error::ApiError;
use crate::ticket::Topic;

/// A JSON object body. An empty body reads as `{}` so bodiless POSTs work.
pub struct JsonObject(pub Map<String, Value>);

impl<S: Send + Sync> FromRequest<S> for JsonObject {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = Bytes::from_request(req, state).await.map_err(|rej| {
            if rej.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::too_large("the request body is too large")
            } else {
                ApiError::invalid_json(rej.body_text())
            }
        })?;
        parse_object(&bytes).map(JsonObject)
    }
}

pub fn parse_object(bytes: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::invalid_json("the body must be a JSON object")),
        Err(e) => Err(ApiError::invalid_json(format!(
            "the body is not valid JSON: {e}"
        ))),
    }
}

/// Refuses any field not in `allowed`. A `priority` gets a message of its own, because
/// people look for one: Paradarum tickets have a topic and no priority.
pub fn only_fields(map: &Map<String, Value>, allowed: &[&str]) -> Result<(), ApiError> {
    for key in map.keys() {
        if !allowed.contains(&key.as_str()) {
            let message = if key.eq_ignore_ascii_case("priority") {
                "unknown field `priority`: Paradarum tickets have no priority; choose the most \
                 specific topic instead"
                    .to_string()
            } else {
                format!("unknown field `{key}`")
            };
            return Err(ApiError::validation(key, message));
        }
    }
    Ok(())
}

pub fn required_str<'a>(map: &'a Map<String, Value>, field: &str) -> Result<&'a str, ApiError> {
    match map.get(field) {
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(ApiError::validation(
            field,
            format!("`{field}` must be a string"),
        )),
        None => Err(ApiError::validation(
            field,
            format!("`{field}` is required"),
        )),
    }
}

pub fn optional_str<'a>(
    map: &'a Map<String, Value>,
    field: &str,
) -> Result<Option<&'a str>, ApiError> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(ApiError::validation(
            field,
            format!("`{field}` must be a string or null"),
        )),
    }
}

pub fn required_int(map: &Map<String, Value>, field: &str) -> Result<i64, ApiError> {
    match map.get(field) {
        Some(Value::Number(n)) if n.as_i64().is_some() => Ok(n.as_i64().unwrap_or_default()),
        Some(_) => Err(ApiError::validation(
            field,
            format!("`{field}` must be an integer"),
        )),
        None => Err(ApiError::validation(
            field,
            format!("`{field}` is required"),
        )),
    }
}

/// A topic: an integer 0–5.
pub fn required_topic(map: &Map<String, Value>) -> Result<Topic, ApiError> {
    let invalid = || ApiError::validation("topic", "`topic` must be an integer from 0 to 5");
    let value = required_int(map, "topic").map_err(|e| {
        if map.contains_key("topic") {
            invalid()
        } else {
            e
        }
    })?;
    Topic::from_api(value).ok_or_else(invalid)
}

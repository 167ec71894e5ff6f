//! Who is calling the sandbox: a customer (one account) or staff (an integration token
//! with scopes, or the admin token with every scope).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use rand::distributions::Alphanumeric;
use rand::Rng;
use secrecy::ExposeSecret;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::error::ApiError;
use super::AppState;
use crate::store::sandbox::Visibility;
use crate::ticket::api::scope;

#[derive(Clone, Debug)]
pub enum Principal {
    Customer {
        account_id: String,
    },
    Staff {
        scopes: Vec<String>,
        admin: bool,
        /// Which staff token this is, stable across requests: `admin`, or `int:` and the
        /// stored hash of an integration token (never the token itself).
        caller: String,
    },
}

impl Principal {
    pub fn has_scope(&self, wanted: &str) -> bool {
        match self {
            Principal::Customer { .. } => false,
            Principal::Staff { scopes, admin, .. } => *admin || scopes.iter().any(|s| s == wanted),
        }
    }

    pub fn require(&self, wanted: &str) -> Result<(), ApiError> {
        if self.has_scope(wanted) {
            Ok(())
        } else {
            Err(ApiError::missing_scope(wanted))
        }
    }

    /// Whose Idempotency-Keys a request's key is among: a customer's account (as for
    /// ticket creation), or the staff token's own identity.
    pub fn idempotency_caller(&self) -> &str {
        match self {
            Principal::Customer { account_id } => account_id,
            Principal::Staff { caller, .. } => caller,
        }
    }

    pub fn is_admin(&self) -> bool {
        matches!(self, Principal::Staff { admin: true, .. })
    }

    /// The customer's account, or 403 for staff tokens (which have none).
    pub fn customer_account(&self) -> Result<&str, ApiError> {
        match self {
            Principal::Customer { account_id } => Ok(account_id),
            Principal::Staff { .. } => Err(ApiError::forbidden(
                "this needs a customer token; integration tokens have no account",
            )),
        }
    }

    /// Whose tickets this caller reads: a customer its own, staff all (with
    /// `tickets:read`).
    pub fn read_visibility(&self) -> Result<Visibility<'_>, ApiError> {
        match self {
            Principal::Customer { account_id } => Ok(Visibility::Account(account_id)),
            Principal::Staff { .. } => {
                self.require(scope::TICKETS_READ)?;
                Ok(Visibility::All)
            }
        }
    }

    /// Whose tickets this caller may reply to or close: a customer its own, staff all
    /// (with `tickets:write`).
    pub fn write_visibility(&self) -> Result<Visibility<'_>, ApiError> {
        match self {
            Principal::Customer { account_id } => Ok(Visibility::Account(account_id)),
            Principal::Staff { .. } => {
                self.require(scope::TICKETS_WRITE)?;
                Ok(Visibility::All)
            }
        }
    }
}

/// Tokens are stored as SHA-256 hex, so a copy of the database holds no usable token.
pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A random token with a readable prefix (`sbx_cus_…`, `sbx_int_…`).
pub fn new_token(prefix: &str) -> String {
    format!("{prefix}{}", random_alnum(32))
}

pub fn random_alnum(len: usize) -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(ApiError::unauthorized)?;
        let token = header
            .strip_prefix("Bearer ")
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(ApiError::unauthorized)?;

        let admin = state.admin_token.expose_secret().as_bytes();
        if admin.len() == token.len() && bool::from(admin.ct_eq(token.as_bytes())) {
            return Ok(Principal::Staff {
                scopes: scope::ALL.iter().map(|s| s.to_string()).collect(),
                admin: true,
                caller: "admin".into(),
            });
        }
        let token_hash = hash_token(token);
        let record = state
            .store
            .sandbox()
            .token(&token_hash)
            .await?
            .ok_or_else(ApiError::unauthorized)?;
        Ok(match record.account_id {
            Some(account_id) => Principal::Customer { account_id },
            None => Principal::Staff {
                scopes: record.scopes,
                admin: false,
                caller: format!("int:{token_hash}"),
            },
        })
    }
}

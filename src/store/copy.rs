//! `migrate-store`: the bot's tables copied from a SQLite installation into an empty
//! PostgreSQL database, in one transaction. Values move as they are (links stay sealed
//! under the same key, jobs keep their ids and states), so nobody relinks and no
//! notification is repeated or lost. The sandbox's `sandbox_*` tables are not copied: the
//! embedded sandbox stays on SQLite.

use futures::TryStreamExt;
use sqlx::Row;

use super::{Engine, Store, StoreError};

#[derive(Clone, Copy)]
enum Col {
    Int,
    OptInt,
    Text,
    OptText,
    Blob,
}

use Col::{Blob, Int, OptInt, OptText, Text};

/// Every bot table and its columns: the schema of `migrations/postgres` (a test checks
/// that no table is missing).
const TABLES: &[(&str, &[(&str, Col)])] = &[
    (
        "kv_state",
        &[("name", Text), ("value", Text), ("updated_at", Int)],
    ),
    (
        "discord_links",
        &[
            ("user_id", Int),
            ("account_id", Text),
            ("account_name", Text),
            ("sealed_token", Blob),
            ("created_at", Int),
            ("unreadable_since", OptInt),
        ],
    ),
    (
        "pending_attachments",
        &[
            ("origin", Int),
            ("user_id", Int),
            ("url", Text),
            ("filename", Text),
            ("content_type", Text),
            ("size", Int),
            ("created_at", Int),
        ],
    ),
    (
        "inbox_events",
        &[
            ("backend", Text),
            ("event_id", Text),
            ("seq", Int),
            ("ticket_id", Int),
            ("source", Text),
            ("payload", Text),
            ("received_at", Int),
            ("processed_at", OptInt),
            ("attempts", Int),
            ("next_attempt_at", Int),
            ("last_error", OptText),
        ],
    ),
    (
        "outbox_jobs",
        &[
            ("id", Int),
            ("dedupe_key", Text),
            ("kind", Text),
            ("target", Int),
            ("ticket_id", Int),
            ("payload", Text),
            ("state", Text),
            ("batch_id", OptInt),
            ("attempts", Int),
            ("next_attempt_at", Int),
            ("received_at", Int),
            ("created_at", Int),
            ("sent_at", OptInt),
            ("backend", Text),
        ],
    ),
    (
        "ticket_openers",
        &[
            ("backend", Text),
            ("ticket_id", Int),
            ("account_id", Text),
            ("user_id", Int),
            ("created_at", Int),
            ("closed_at", OptInt),
        ],
    ),
    (
        "dm_channels",
        &[("user_id", Int), ("channel_id", Int), ("used_at", Int)],
    ),
    ("dm_closed", &[("user_id", Int), ("closed_until", Int)]),
    (
        "kept_submissions",
        &[
            ("origin", Int),
            ("user_id", Int),
            ("backend", Text),
            ("idem_key", Text),
            ("payload", Text),
            ("created_at", Int),
        ],
    ),
    (
        "open_cooldowns",
        &[("user_id", Int), ("started_at", Int), ("origin", Int)],
    ),
    (
        "staff_notices",
        &[
            ("channel_id", Int),
            ("message_id", Int),
            ("backend", Text),
            ("ticket_id", Int),
            ("created_at", Int),
        ],
    ),
    (
        "staff_actions",
        &[
            ("id", Int),
            ("backend", Text),
            ("ticket_id", Int),
            ("action", Text),
            ("user_id", Int),
            ("user_name", Text),
            ("to_status", OptInt),
            ("outcome", Text),
            ("at", Int),
        ],
    ),
    (
        "ticket_panels",
        &[
            ("channel_id", Int),
            ("guild_id", Int),
            ("message_id", Int),
            ("updated_at", Int),
        ],
    ),
    (
        "message_prefills",
        &[
            ("origin", Int),
            ("user_id", Int),
            ("description", Text),
            ("created_at", Int),
        ],
    ),
    (
        "locales",
        &[
            ("scope", Text),
            ("id", Int),
            ("locale", Text),
            ("updated_at", Int),
        ],
    ),
];

/// The bot's tables, in copy order.
pub fn tables() -> impl Iterator<Item = &'static str> {
    TABLES.iter().map(|(t, _)| *t)
}

#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error("the source must be a SQLite database (--from sqlite://…)")]
    SourceNotSqlite,
    #[error("the target must be a PostgreSQL database (--to postgres://…)")]
    TargetNotPostgres,
    #[error(
        "the target database already holds data (in {}); migrate-store copies only into \
         an empty database, so nothing was changed",
        .0.join(", ")
    )]
    TargetNotEmpty(Vec<&'static str>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for CopyError {
    fn from(e: sqlx::Error) -> Self {
        CopyError::Store(e.into())
    }
}

/// What was copied.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Copied {
    /// Rows per bot table.
    pub tables: Vec<(&'static str, u64)>,
    /// Rows in the source's `sandbox_*` tables (left where they are).
    pub sandbox_rows: u64,
}

/// The sandbox's tables, counted (never copied).
const SANDBOX_TABLES: [&str; 7] = [
    "sandbox_accounts",
    "sandbox_properties",
    "sandbox_tokens",
    "sandbox_tickets",
    "sandbox_messages",
    "sandbox_events",
    "sandbox_idempotency",
];

/// Copies every bot table of `from` (SQLite) into `to` (PostgreSQL, migrated and empty)
/// in one transaction, then moves the outbox's id sequence past the copied ids. Refuses a
/// target that holds any row, so a second run changes nothing.
pub async fn sqlite_to_postgres(from: &Store, to: &Store) -> Result<Copied, CopyError> {
    let Engine::Sqlite { read: src, .. } = &from.engine else {
        return Err(CopyError::SourceNotSqlite);
    };
    let Engine::Postgres(dst) = &to.engine else {
        return Err(CopyError::TargetNotPostgres);
    };
    let mut tx = dst.begin().await?;
    let mut holding = Vec::new();
    for table in tables() {
        let any: bool = sqlx::query_scalar(&format!("SELECT EXISTS (SELECT 1 FROM {table})"))
            .fetch_one(&mut *tx)
            .await?;
        if any {
            holding.push(table);
        }
    }
    if !holding.is_empty() {
        return Err(CopyError::TargetNotEmpty(holding));
    }
    let mut copied = Copied::default();
    for (table, cols) in TABLES {
        let names = cols.iter().map(|(c, _)| *c).collect::<Vec<_>>().join(", ");
        let params = (1..=cols.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let insert = format!("INSERT INTO {table} ({names}) VALUES ({params})");
        let select = format!("SELECT {names} FROM {table} ORDER BY rowid");
        let mut rows = sqlx::query(&select).fetch(src);
        let mut n = 0;
        while let Some(row) = rows.try_next().await? {
            let mut q = sqlx::query(&insert);
            for (i, (_, col)) in cols.iter().enumerate() {
                q = match col {
                    Int => q.bind(row.try_get::<i64, _>(i)?),
                    OptInt => q.bind(row.try_get::<Option<i64>, _>(i)?),
                    Text => q.bind(row.try_get::<String, _>(i)?),
                    OptText => q.bind(row.try_get::<Option<String>, _>(i)?),
                    Blob => q.bind(row.try_get::<Vec<u8>, _>(i)?),
                };
            }
            q.execute(&mut *tx).await?;
            n += 1;
        }
        copied.tables.push((*table, n));
    }
    // Ids given by the copy are not drawn from the sequences: the next row must come after.
    for table in ["outbox_jobs", "staff_actions"] {
        sqlx::query(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
             (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
        ))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    for table in SANDBOX_TABLES {
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(src)
            .await?;
        copied.sandbox_rows += n.max(0) as u64;
    }
    Ok(copied)
}

/// PostgreSQL's tables besides sqlx's bookkeeping, for the test that [`TABLES`] misses
/// none.
#[cfg(test)]
pub(crate) async fn postgres_tables(store: &Store) -> Result<Vec<String>, StoreError> {
    let Engine::Postgres(pool) = &store.engine else {
        return Ok(Vec::new());
    };
    Ok(sqlx::query_scalar(
        "SELECT table_name::TEXT FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations' ORDER BY 1",
    )
    .fetch_all(pool)
    .await?)
}

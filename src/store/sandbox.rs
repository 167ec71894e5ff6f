//! The sandbox ticket API's tables. The sandbox decides (with the ticket model's rules);
//! this module only reads and writes rows. Changes that must happen together are made
//! through one [`SandboxTx`].

use chrono::{DateTime, TimeZone, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, Sqlite, Transaction};

use super::{Store, StoreError};
use crate::ticket::api::{
    format_event_id, Account, Attachment, Event, Message, Property, Ticket, TicketId,
};
use crate::ticket::{Author, Status, Topic};

/// Whose tickets a caller may see: one account's, or (staff) all.
#[derive(Clone, Copy, Debug)]
pub enum Visibility<'a> {
    Account(&'a str),
    All,
}

impl<'a> Visibility<'a> {
    fn account(self) -> Option<&'a str> {
        match self {
            Visibility::Account(a) => Some(a),
            Visibility::All => None,
        }
    }
}

/// A stored API token: the account it acts for (None for integration tokens) and scopes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenRecord {
    pub account_id: Option<String>,
    pub scopes: Vec<String>,
}

/// Where a ticket listing continues: the last item's (updated_at, id).
pub type ListPosition = (i64, i64);

pub struct SandboxStore<'s> {
    pub(super) store: &'s Store,
}

fn millis_to_time(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms)
        .single()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

const TICKET_COLUMNS: &str =
    "id, account_id, topic, status, subject, property_id, created_at, updated_at";

fn ticket_from_row(row: &SqliteRow) -> Result<Ticket, StoreError> {
    let id: i64 = row.try_get("id")?;
    Ok(Ticket {
        id: id as TicketId,
        account_id: row.try_get("account_id")?,
        topic: Topic::from(row.try_get::<i64, _>("topic")?),
        status: Status::from(row.try_get::<i64, _>("status")?),
        subject: row.try_get("subject")?,
        property_id: row.try_get("property_id")?,
        created_at: millis_to_time(row.try_get("created_at")?),
        updated_at: millis_to_time(row.try_get("updated_at")?),
    })
}

fn message_from_row(row: &SqliteRow) -> Result<Message, StoreError> {
    let id: i64 = row.try_get("id")?;
    let ticket_id: i64 = row.try_get("ticket_id")?;
    let author: String = row.try_get("author")?;
    let attachments: String = row.try_get("attachments")?;
    let attachments: Vec<Attachment> = serde_json::from_str(&attachments)
        .map_err(|e| StoreError::Corrupt(format!("attachments of message {id}: {e}")))?;
    Ok(Message {
        id: id as u64,
        ticket_id: ticket_id as TicketId,
        author: serde_json::from_value(serde_json::Value::String(author))
            .unwrap_or(Author::Unknown),
        body: row.try_get("body")?,
        attachments,
        created_at: millis_to_time(row.try_get("created_at")?),
        staff_name: row.try_get("staff_name")?,
    })
}

const MESSAGE_COLUMNS: &str = "id, ticket_id, author, body, attachments, created_at, staff_name";

fn event_from_row(row: &SqliteRow) -> Result<Event, StoreError> {
    let seq: i64 = row.try_get("seq")?;
    let ticket_id: i64 = row.try_get("ticket_id")?;
    let data: String = row.try_get("data")?;
    Ok(Event {
        id: format_event_id(seq as u64),
        event_type: row.try_get("event_type")?,
        ticket_id: ticket_id as TicketId,
        account_id: row.try_get("account_id")?,
        occurred_at: millis_to_time(row.try_get("occurred_at")?),
        data: serde_json::from_str(&data)
            .map_err(|e| StoreError::Corrupt(format!("data of event {seq}: {e}")))?,
    })
}

impl SandboxStore<'_> {
    /// The SQLite writer: the sandbox is single-process and never runs on PostgreSQL.
    fn write(&self) -> Result<&sqlx::SqlitePool, StoreError> {
        self.store.sqlite().map(|(_, write)| write)
    }

    fn read(&self) -> Result<&sqlx::SqlitePool, StoreError> {
        self.store.sqlite().map(|(read, _)| read)
    }

    /// Creates an account with its customer token and demo properties, all or nothing.
    pub async fn create_account(
        &self,
        account: &Account,
        token_hash: &str,
        properties: &[Property],
    ) -> Result<(), StoreError> {
        let now = super::now_millis();
        let mut tx = self.write()?.begin().await?;
        sqlx::query("INSERT INTO sandbox_accounts (id, name, created_at) VALUES ($1, $2, $3)")
            .bind(&account.id)
            .bind(&account.name)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO sandbox_tokens (token_hash, account_id, scopes, created_at) \
             VALUES ($1, $2, '', $3)",
        )
        .bind(token_hash)
        .bind(&account.id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        for p in properties {
            sqlx::query(
                "INSERT INTO sandbox_properties (id, account_id, name) VALUES ($1, $2, $3)",
            )
            .bind(&p.id)
            .bind(&account.id)
            .bind(&p.name)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Stores an integration token (no account) with its scopes.
    pub async fn create_integration_token(
        &self,
        token_hash: &str,
        scopes: &[String],
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sandbox_tokens (token_hash, account_id, scopes, created_at) \
             VALUES ($1, NULL, $2, $3)",
        )
        .bind(token_hash)
        .bind(scopes.join(" "))
        .bind(super::now_millis())
        .execute(self.write()?)
        .await?;
        Ok(())
    }

    pub async fn token(&self, token_hash: &str) -> Result<Option<TokenRecord>, StoreError> {
        let row =
            sqlx::query("SELECT account_id, scopes FROM sandbox_tokens WHERE token_hash = $1")
                .bind(token_hash)
                .fetch_optional(self.read()?)
                .await?;
        row.map(|r| {
            let scopes: String = r.try_get("scopes")?;
            Ok(TokenRecord {
                account_id: r.try_get("account_id")?,
                scopes: scopes.split_whitespace().map(str::to_string).collect(),
            })
        })
        .transpose()
    }

    pub async fn account(&self, id: &str) -> Result<Option<Account>, StoreError> {
        let row = sqlx::query("SELECT id, name FROM sandbox_accounts WHERE id = $1")
            .bind(id)
            .fetch_optional(self.read()?)
            .await?;
        row.map(|r| {
            Ok(Account {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
            })
        })
        .transpose()
    }

    pub async fn properties(&self, account_id: &str) -> Result<Vec<Property>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, name FROM sandbox_properties WHERE account_id = $1 ORDER BY name, id",
        )
        .bind(account_id)
        .fetch_all(self.read()?)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Property {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                })
            })
            .collect()
    }

    pub async fn ticket(
        &self,
        id: TicketId,
        vis: Visibility<'_>,
    ) -> Result<Option<Ticket>, StoreError> {
        let Ok(id) = i64::try_from(id) else {
            return Ok(None);
        };
        let row = sqlx::query(&format!(
            "SELECT {TICKET_COLUMNS} FROM sandbox_tickets \
             WHERE id = $1 AND ($2 IS NULL OR account_id = $2)"
        ))
        .bind(id)
        .bind(vis.account())
        .fetch_optional(self.read()?)
        .await?;
        row.as_ref().map(ticket_from_row).transpose()
    }

    /// Tickets most recently updated first, keyset-paginated. `status_mask` has bit `n`
    /// set for each status integer `n` wanted. Returns up to `limit` tickets.
    pub async fn list_tickets(
        &self,
        vis: Visibility<'_>,
        status_mask: i64,
        limit: u32,
        after: Option<ListPosition>,
    ) -> Result<Vec<Ticket>, StoreError> {
        let (after_updated, after_id) = after.unwrap_or((i64::MAX, i64::MAX));
        let rows = sqlx::query(&format!(
            "SELECT {TICKET_COLUMNS} FROM sandbox_tickets \
             WHERE ($1 IS NULL OR account_id = $1) \
               AND status >= 0 AND status < 62 AND (($2 >> status) & 1) = 1 \
               AND (updated_at < $3 OR (updated_at = $3 AND id < $4)) \
             ORDER BY updated_at DESC, id DESC LIMIT $5"
        ))
        .bind(vis.account())
        .bind(status_mask)
        .bind(after_updated)
        .bind(after_id)
        .bind(i64::from(limit))
        .fetch_all(self.read()?)
        .await?;
        rows.iter().map(ticket_from_row).collect()
    }

    /// A ticket's messages, oldest first.
    pub async fn messages(&self, ticket_id: TicketId) -> Result<Vec<Message>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {MESSAGE_COLUMNS} FROM sandbox_messages WHERE ticket_id = $1 ORDER BY id"
        ))
        .bind(ticket_id as i64)
        .fetch_all(self.read()?)
        .await?;
        rows.iter().map(message_from_row).collect()
    }

    /// Events after sequence number `after`, oldest first.
    pub async fn events(&self, after: u64, limit: u32) -> Result<Vec<Event>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, event_type, ticket_id, account_id, occurred_at, data \
             FROM sandbox_events WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(i64::try_from(after).unwrap_or(i64::MAX))
        .bind(i64::from(limit))
        .fetch_all(self.read()?)
        .await?;
        rows.iter().map(event_from_row).collect()
    }

    /// The newest event's sequence number, or None when there are no events.
    pub async fn latest_event_seq(&self) -> Result<Option<u64>, StoreError> {
        let seq: Option<i64> = sqlx::query_scalar("SELECT MAX(seq) FROM sandbox_events")
            .fetch_one(self.read()?)
            .await?;
        Ok(seq.and_then(|s| u64::try_from(s).ok()))
    }

    /// Events that occurred at or after `since_ms` (unix ms), oldest first.
    pub async fn events_since(&self, since_ms: i64, limit: u32) -> Result<Vec<Event>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, event_type, ticket_id, account_id, occurred_at, data \
             FROM sandbox_events WHERE occurred_at >= $1 ORDER BY seq LIMIT $2",
        )
        .bind(since_ms)
        .bind(i64::from(limit))
        .fetch_all(self.read()?)
        .await?;
        rows.iter().map(event_from_row).collect()
    }

    /// Retention: deletes events that occurred before `older_than_ms` (unix ms), except
    /// the newest event (so `after=latest` still answers and the feed's position is
    /// known) and, when `undelivered_after` is given, every event after that sequence
    /// number (ones the webhook sender has not delivered yet). Sequence numbers are
    /// AUTOINCREMENT, so a deleted one is never handed out again. Returns how many rows
    /// were deleted.
    pub async fn prune_events(
        &self,
        older_than_ms: i64,
        undelivered_after: Option<u64>,
    ) -> Result<u64, StoreError> {
        let keep_after = undelivered_after.map(|s| i64::try_from(s).unwrap_or(i64::MAX));
        let done = sqlx::query(
            "DELETE FROM sandbox_events \
             WHERE occurred_at < $1 \
               AND seq < (SELECT MAX(seq) FROM sandbox_events) \
               AND ($2 IS NULL OR seq <= $2)",
        )
        .bind(older_than_ms)
        .bind(keep_after)
        .execute(self.write()?)
        .await?;
        Ok(done.rows_affected())
    }

    /// Whether `caller` used `key` at or after `not_before`, read outside a transaction: a
    /// hint only (the write transaction decides), so a retry is not refused before its
    /// body is read.
    pub async fn idempotency_seen(
        &self,
        caller: &str,
        key: &str,
        not_before: i64,
    ) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sandbox_idempotency \
             WHERE caller = $1 AND idem_key = $2 AND created_at >= $3",
        )
        .bind(caller)
        .bind(key)
        .bind(not_before)
        .fetch_one(self.read()?)
        .await?;
        Ok(n > 0)
    }

    /// Starts a write transaction; changes are kept only if it is committed.
    pub async fn begin(&self) -> Result<SandboxTx, StoreError> {
        Ok(SandboxTx {
            tx: self.write()?.begin().await?,
        })
    }
}

/// One all-or-nothing change to the sandbox's data.
pub struct SandboxTx {
    tx: Transaction<'static, Sqlite>,
}

/// What an idempotency key was first used for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdempotencyRecord {
    pub body_hash: String,
    pub ticket_id: TicketId,
    /// The first answer of a reply or close; None for a ticket creation.
    pub response: Option<StoredResponse>,
}

/// An answer kept for replay: its status code and the exact JSON text sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    pub body: String,
}

const IDEMPOTENCY_COLUMNS: &str = "body_hash, ticket_id, response_status, response_body";

fn idempotency_from_row(row: &SqliteRow) -> Result<IdempotencyRecord, StoreError> {
    let id: i64 = row.try_get("ticket_id")?;
    let status: Option<i64> = row.try_get("response_status")?;
    let body: Option<String> = row.try_get("response_body")?;
    let response = match (status, body) {
        (Some(status), Some(body)) => Some(StoredResponse {
            status: u16::try_from(status)
                .map_err(|_| StoreError::Corrupt(format!("idempotent response status {status}")))?,
            body,
        }),
        (None, None) => None,
        _ => {
            return Err(StoreError::Corrupt(
                "an idempotent response with a status or a body, not both".into(),
            ))
        }
    };
    Ok(IdempotencyRecord {
        body_hash: row.try_get("body_hash")?,
        ticket_id: id as TicketId,
        response,
    })
}

impl SandboxTx {
    pub async fn commit(self) -> Result<(), StoreError> {
        self.tx.commit().await?;
        Ok(())
    }

    /// The record of an idempotency key, unless it is older than `not_before` (then it is
    /// forgotten and the key may be used afresh). `caller` is whose keys these are.
    pub async fn idempotency(
        &mut self,
        caller: &str,
        key: &str,
        not_before: i64,
    ) -> Result<Option<IdempotencyRecord>, StoreError> {
        sqlx::query("DELETE FROM sandbox_idempotency WHERE created_at < $1")
            .bind(not_before)
            .execute(&mut *self.tx)
            .await?;
        let row = sqlx::query(&format!(
            "SELECT {IDEMPOTENCY_COLUMNS} FROM sandbox_idempotency \
             WHERE caller = $1 AND idem_key = $2"
        ))
        .bind(caller)
        .bind(key)
        .fetch_optional(&mut *self.tx)
        .await?;
        row.as_ref().map(idempotency_from_row).transpose()
    }

    /// Remembers a key's first use for a ticket creation (replayed by ticket id).
    pub async fn remember_idempotency(
        &mut self,
        caller: &str,
        key: &str,
        body_hash: &str,
        ticket_id: TicketId,
        now: i64,
    ) -> Result<(), StoreError> {
        self.insert_idempotency(caller, key, body_hash, ticket_id, None, now)
            .await
    }

    /// Remembers a key's first use with the answer to replay. The key is the primary key:
    /// a second insert fails, and with it the transaction that would have made a second
    /// effect.
    pub async fn remember_response(
        &mut self,
        caller: &str,
        key: &str,
        body_hash: &str,
        ticket_id: TicketId,
        response: &StoredResponse,
        now: i64,
    ) -> Result<(), StoreError> {
        self.insert_idempotency(caller, key, body_hash, ticket_id, Some(response), now)
            .await
    }

    async fn insert_idempotency(
        &mut self,
        caller: &str,
        key: &str,
        body_hash: &str,
        ticket_id: TicketId,
        response: Option<&StoredResponse>,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sandbox_idempotency \
             (caller, idem_key, body_hash, ticket_id, response_status, response_body, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(caller)
        .bind(key)
        .bind(body_hash)
        .bind(ticket_id as i64)
        .bind(response.map(|r| i64::from(r.status)))
        .bind(response.map(|r| r.body.as_str()))
        .bind(now)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    pub async fn property_of_account(
        &mut self,
        account_id: &str,
        property_id: &str,
    ) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sandbox_properties WHERE id = $1 AND account_id = $2",
        )
        .bind(property_id)
        .bind(account_id)
        .fetch_one(&mut *self.tx)
        .await?;
        Ok(n > 0)
    }

    pub async fn insert_ticket(
        &mut self,
        account_id: &str,
        topic: Topic,
        status: Status,
        subject: &str,
        property_id: Option<&str>,
        now: i64,
    ) -> Result<Ticket, StoreError> {
        let row = sqlx::query(&format!(
            "INSERT INTO sandbox_tickets \
             (account_id, topic, status, subject, property_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING {TICKET_COLUMNS}"
        ))
        .bind(account_id)
        .bind(topic.api_value())
        .bind(status.api_value())
        .bind(subject)
        .bind(property_id)
        .bind(now)
        .fetch_one(&mut *self.tx)
        .await?;
        ticket_from_row(&row)
    }

    pub async fn ticket(
        &mut self,
        id: TicketId,
        vis: Visibility<'_>,
    ) -> Result<Option<Ticket>, StoreError> {
        let Ok(id) = i64::try_from(id) else {
            return Ok(None);
        };
        let row = sqlx::query(&format!(
            "SELECT {TICKET_COLUMNS} FROM sandbox_tickets \
             WHERE id = $1 AND ($2 IS NULL OR account_id = $2)"
        ))
        .bind(id)
        .bind(vis.account())
        .fetch_optional(&mut *self.tx)
        .await?;
        row.as_ref().map(ticket_from_row).transpose()
    }

    /// Sets status and topic and bumps `updated_at`; returns the ticket as it now is.
    pub async fn update_ticket(
        &mut self,
        id: TicketId,
        status: Status,
        topic: Topic,
        now: i64,
    ) -> Result<Ticket, StoreError> {
        let row = sqlx::query(&format!(
            "UPDATE sandbox_tickets SET status = $1, topic = $2, updated_at = $3 \
             WHERE id = $4 RETURNING {TICKET_COLUMNS}"
        ))
        .bind(status.api_value())
        .bind(topic.api_value())
        .bind(now)
        .bind(id as i64)
        .fetch_one(&mut *self.tx)
        .await?;
        ticket_from_row(&row)
    }

    /// Stores a message; `staff_name` is the name a staff reply is signed with.
    pub async fn insert_message(
        &mut self,
        ticket_id: TicketId,
        author: Author,
        body: &str,
        attachments: &[Attachment],
        staff_name: Option<&str>,
        now: i64,
    ) -> Result<Message, StoreError> {
        let attachments = serde_json::to_string(attachments)
            .map_err(|e| StoreError::Corrupt(format!("attachments: {e}")))?;
        let row = sqlx::query(&format!(
            "INSERT INTO sandbox_messages \
             (ticket_id, author, body, attachments, created_at, staff_name) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING {MESSAGE_COLUMNS}"
        ))
        .bind(ticket_id as i64)
        .bind(author.as_str())
        .bind(body)
        .bind(attachments)
        .bind(now)
        .bind(staff_name)
        .fetch_one(&mut *self.tx)
        .await?;
        message_from_row(&row)
    }

    pub async fn insert_event(
        &mut self,
        event_type: &str,
        ticket: &Ticket,
        data: serde_json::Value,
        now: i64,
    ) -> Result<Event, StoreError> {
        let row = sqlx::query(
            "INSERT INTO sandbox_events (event_type, ticket_id, account_id, occurred_at, data) \
             VALUES ($1, $2, $3, $4, $5) \
             RETURNING seq, event_type, ticket_id, account_id, occurred_at, data",
        )
        .bind(event_type)
        .bind(ticket.id as i64)
        .bind(&ticket.account_id)
        .bind(now)
        .bind(data.to_string())
        .fetch_one(&mut *self.tx)
        .await?;
        event_from_row(&row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db_url(dir: &tempfile::TempDir) -> String {
        format!("sqlite://{}/sandbox.db", dir.path().display())
    }

    #[tokio::test]
    async fn a_creation_key_stored_before_0005_still_replays_after_it() {
        let dir = tempfile::tempdir().unwrap();
        // The database as 0001–0004 left it, with one creation key.
        let old = dir.path().join("old-migrations");
        std::fs::create_dir(&old).unwrap();
        let all = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite");
        for name in [
            "0001_init.sql",
            "0002_discord.sql",
            "0003_notifications.sql",
            "0004_backends.sql",
        ] {
            std::fs::copy(all.join(name), old.join(name)).unwrap();
        }
        let opts = db_url(&dir)
            .parse::<sqlx::sqlite::SqliteConnectOptions>()
            .unwrap()
            .create_if_missing(true);
        let pool = sqlx::SqlitePool::connect_with(opts).await.unwrap();
        sqlx::migrate::Migrator::new(old.as_path())
            .await
            .unwrap()
            .run(&pool)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO sandbox_idempotency (account_id, idem_key, body_hash, ticket_id, \
             created_at) VALUES ('acc_1', 'k', 'h', 7, 1000)",
        )
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;

        let store = Store::open(&db_url(&dir)).await.unwrap();
        let mut tx = store.sandbox().begin().await.unwrap();
        let seen = tx.idempotency("acc_1", "k", 0).await.unwrap();
        assert_eq!(
            seen,
            Some(IdempotencyRecord {
                body_hash: "h".into(),
                ticket_id: 7,
                response: None,
            })
        );
        // The transaction holds the writer: close would wait for it forever.
        drop(tx);
        store.close().await;
    }

    #[tokio::test]
    async fn a_kept_answer_reads_back_exactly_and_is_forgotten_after_its_window() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&db_url(&dir)).await.unwrap();
        let answer = StoredResponse {
            status: 201,
            body: r#"{"message":{"id":1},"ticket":{"id":7}}"#.into(),
        };
        let mut tx = store.sandbox().begin().await.unwrap();
        tx.remember_response("int:abc", "k", "h", 7, &answer, 1000)
            .await
            .unwrap();
        // The key is the primary key: a second first use fails.
        assert!(tx
            .remember_response("int:abc", "k", "h2", 8, &answer, 1000)
            .await
            .is_err());
        tx.commit().await.unwrap();

        let sandbox = store.sandbox();
        assert!(sandbox
            .idempotency_seen("int:abc", "k", 1000)
            .await
            .unwrap());
        assert!(!sandbox
            .idempotency_seen("int:abc", "k", 1001)
            .await
            .unwrap());
        assert!(!sandbox.idempotency_seen("acc_x", "k", 0).await.unwrap());

        let mut tx = sandbox.begin().await.unwrap();
        let seen = tx.idempotency("int:abc", "k", 1000).await.unwrap().unwrap();
        assert_eq!(seen.response.as_ref(), Some(&answer));
        assert_eq!(seen.ticket_id, 7);
        // Past the window the record is deleted, and the key may be used afresh.
        assert_eq!(tx.idempotency("int:abc", "k", 1001).await.unwrap(), None);
        tx.remember_response("int:abc", "k", "h2", 8, &answer, 2000)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        store.close().await;
    }
}

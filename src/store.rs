//! Storage: every SQL statement of the project lives under this module.
//!
//! SQLite through sqlx, with embedded migrations. Writes go through a pool of one
//! connection, so write transactions queue in Rust instead of fighting over SQLite's lock;
//! reads use a separate pool and, in WAL mode, never wait for a writer. Statements use
//! `$n` parameters and plain SQL so a Postgres backend can be added without touching
//! callers.

pub mod discord;
pub mod notify;
pub mod sandbox;

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database URL `{0}` is not a usable SQLite URL")]
    BadUrl(String),
    #[error("cannot create the database directory {path}: {source}")]
    CreateDir {
        path: String,
        source: std::io::Error,
    },
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Sql(#[from] sqlx::Error),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

/// The database handle. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    read: SqlitePool,
    write: SqlitePool,
}

/// Unix milliseconds now.
pub fn now_millis() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// The file behind a SQLite URL, if it names one.
pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    let opts = SqliteConnectOptions::from_str(url).ok()?;
    let path = opts.get_filename().to_path_buf();
    (!path.as_os_str().is_empty() && !path.to_string_lossy().contains(":memory:")).then_some(path)
}

impl Store {
    /// Opens (creating if needed) the database at `url` and applies migrations.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let opts = SqliteConnectOptions::from_str(url)
            .map_err(|_| StoreError::BadUrl(url.to_string()))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true);

        let path = opts.get_filename().to_path_buf();
        let in_memory = path.as_os_str().is_empty() || path.to_string_lossy().contains(":memory:");
        if !in_memory {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
                    path: dir.display().to_string(),
                    source,
                })?;
            }
        }

        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(opts.clone())
            .await?;
        sqlx::migrate!("./migrations").run(&write).await?;
        // An in-memory database exists once per connection: share the writer.
        let read = if in_memory {
            write.clone()
        } else {
            // Opened up front: a connection opened on first use under load costs a
            // request tens of milliseconds.
            SqlitePoolOptions::new()
                .min_connections(4)
                .max_connections(4)
                .acquire_timeout(Duration::from_secs(30))
                .connect_with(opts.read_only(true))
                .await?
        };
        Ok(Self { read, write })
    }

    /// The sandbox ticket API's tables.
    pub fn sandbox(&self) -> sandbox::SandboxStore<'_> {
        sandbox::SandboxStore { store: self }
    }

    /// The Discord front end's tables.
    pub fn discord(&self) -> discord::DiscordStore<'_> {
        discord::DiscordStore { store: self }
    }

    /// The notification pipeline's tables.
    pub fn notify(&self) -> notify::NotifyStore<'_> {
        notify::NotifyStore { store: self }
    }

    /// Proves the database takes writes: used by readiness checks.
    pub async fn check_writable(&self) -> Result<(), StoreError> {
        self.put_state("heartbeat", &now_millis().to_string()).await
    }

    pub async fn get_state(&self, name: &str) -> Result<Option<String>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT value FROM kv_state WHERE name = $1")
                .bind(name)
                .fetch_optional(&self.read)
                .await?,
        )
    }

    pub async fn put_state(&self, name: &str, value: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO kv_state (name, value, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(name)
        .bind(value)
        .bind(now_millis())
        .execute(&self.write)
        .await?;
        Ok(())
    }

    /// Waits for queued writes and closes both pools; after this the file is consistent.
    /// The writer closes last so it can fold the WAL back into the database file.
    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }
}

//! Storage: every SQL statement of the project lives under this module.
//!
//! SQLite through sqlx, with embedded migrations. Writes go through a pool of one
//! connection, so write transactions queue in Rust instead of fighting over SQLite's lock;
//! reads use a separate pool and, in WAL mode, never wait for a writer. Statements use
//! `$n` parameters and plain SQL so a Postgres backend can be added without touching
//! callers.

pub mod discord;
pub mod kept;
pub mod notify;
pub mod roles;
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

/// How hard SQLite works to keep a commit through a power failure.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Durability {
    /// `synchronous=FULL`: a commit is on disk before it returns, so a webhook answered
    /// 2xx survives a power cut. The default.
    #[default]
    Full,
    /// `synchronous=NORMAL`: faster commits; in WAL mode the last commits can be lost on
    /// power failure (never on a process crash).
    Normal,
}

impl Store {
    /// Opens (creating if needed) the database at `url` and applies migrations, with the
    /// safe durability.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        Self::open_with(url, Durability::Full).await
    }

    /// Like [`Store::open`], choosing the durability.
    pub async fn open_with(url: &str, durability: Durability) -> Result<Self, StoreError> {
        let synchronous = match durability {
            Durability::Full => SqliteSynchronous::Full,
            Durability::Normal => SqliteSynchronous::Normal,
        };
        let opts = SqliteConnectOptions::from_str(url)
            .map_err(|_| StoreError::BadUrl(url.to_string()))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(synchronous)
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

    /// Writes kept for a *Try again*.
    pub fn kept(&self) -> kept::KeptStore<'_> {
        kept::KeptStore { store: self }
    }

    /// The notification pipeline's tables.
    pub fn notify(&self) -> notify::NotifyStore<'_> {
        notify::NotifyStore { store: self }
    }

    /// Proves the database answers, without taking the single writer a webhook needs.
    pub async fn check_readable(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.read).await?;
        Ok(())
    }

    /// The `synchronous` setting of the writer (0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA).
    pub async fn synchronous(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(&self.write)
            .await?)
    }

    /// The value stored under `name`, storing `init()` first if there is none (the first
    /// writer wins, so concurrent callers agree).
    pub async fn get_or_init_state(
        &self,
        name: &str,
        init: impl FnOnce() -> String,
    ) -> Result<String, StoreError> {
        sqlx::query(
            "INSERT INTO kv_state (name, value, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(init())
        .bind(now_millis())
        .execute(&self.write)
        .await?;
        Ok(
            sqlx::query_scalar("SELECT value FROM kv_state WHERE name = $1")
                .bind(name)
                .fetch_one(&self.write)
                .await?,
        )
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

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn commits_are_on_disk_before_they_return_unless_told_otherwise() {
        let dir = tempfile::tempdir().unwrap();
        let url = |name: &str| format!("sqlite://{}/{name}.db", dir.path().display());
        let full = Store::open(&url("full")).await.unwrap();
        // 2 = FULL: in WAL mode the log is synced at every commit, so a webhook answered
        // 2xx after its event was committed survives a power cut.
        assert_eq!(full.synchronous().await.unwrap(), 2);
        full.close().await;
        let normal = Store::open_with(&url("normal"), Durability::Normal)
            .await
            .unwrap();
        assert_eq!(normal.synchronous().await.unwrap(), 1);
        normal.close().await;
    }
}

//! Storage: every SQL statement of the project lives under this module.
//!
//! SQLite (the embedded default) or PostgreSQL (replicas), chosen by the URL's scheme,
//! through sqlx with embedded migrations per engine (`migrations/sqlite`,
//! `migrations/postgres`). On SQLite, writes go through a pool of one connection, so write
//! transactions queue in Rust instead of fighting over SQLite's lock, and reads use a
//! separate pool that, in WAL mode, never waits for a writer. On PostgreSQL one pool
//! serves both, and correctness under concurrent replicas comes from the statements
//! themselves (`ON CONFLICT`, conditional updates). Statements are written once with `$n`
//! parameters; [`on!`] expands each for both engines' typed pools (sqlx's `Any` driver
//! lacks SQLite's pragmas and typed decoding).
//!
//! The sandbox ticket API's tables exist only on SQLite: [`Store::sandbox`] refuses a
//! PostgreSQL store.

/// Runs `$body` with `$db` bound to the store's pool for reads or writes. The body is
/// expanded once per engine, so one statement's code is typed for each.
macro_rules! on {
    ($store:expr, read, |$db:ident| $body:expr) => {
        match &$store.engine {
            $crate::store::Engine::Sqlite { read: $db, .. } => $body,
            $crate::store::Engine::Postgres($db) => $body,
        }
    };
    ($store:expr, write, |$db:ident| $body:expr) => {
        match &$store.engine {
            $crate::store::Engine::Sqlite { write: $db, .. } => $body,
            $crate::store::Engine::Postgres($db) => $body,
        }
    };
}

pub mod copy;
pub mod discord;
pub mod front_door;
pub mod kept;
pub mod notify;
pub mod roles;
pub mod sandbox;
pub mod staff;
#[cfg(test)]
pub(crate) mod test_db;
#[cfg(test)]
mod tests;

use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

/// Connections in a PostgreSQL store's pool (reads and writes).
const PG_POOL_SIZE: u32 = 10;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database URL `{0}` is not a usable sqlite: or postgres:// URL")]
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
    #[error("the sandbox's tables live only in a SQLite database (set sandbox.database_url)")]
    SandboxNeedsSqlite,
}

/// Which database a URL names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

impl Kind {
    /// By scheme: `sqlite:`, `postgres:` or `postgresql:`.
    pub fn of(url: &str) -> Option<Kind> {
        let scheme = url.split(':').next()?.to_ascii_lowercase();
        match scheme.as_str() {
            "sqlite" => Some(Kind::Sqlite),
            "postgres" | "postgresql" => Some(Kind::Postgres),
            _ => None,
        }
    }
}

/// The typed pools of one engine.
#[derive(Clone, Debug)]
pub(crate) enum Engine {
    Sqlite { read: SqlitePool, write: SqlitePool },
    Postgres(PgPool),
}

/// The database handle. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) engine: Engine,
}

/// Unix milliseconds now.
pub fn now_millis() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// The file behind a SQLite URL, if it names one.
pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    if Kind::of(url) != Some(Kind::Sqlite) {
        return None;
    }
    let opts = SqliteConnectOptions::from_str(url).ok()?;
    let path = opts.get_filename().to_path_buf();
    (!path.as_os_str().is_empty() && !path.to_string_lossy().contains(":memory:")).then_some(path)
}

/// How hard SQLite works to keep a commit through a power failure (PostgreSQL keeps its
/// own server settings).
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

    /// Like [`Store::open`], choosing the durability (SQLite only).
    pub async fn open_with(url: &str, durability: Durability) -> Result<Self, StoreError> {
        match Kind::of(url) {
            Some(Kind::Sqlite) => Self::open_sqlite(url, durability).await,
            Some(Kind::Postgres) => Self::open_postgres(url).await,
            None => Err(StoreError::BadUrl(url.to_string())),
        }
    }

    async fn open_postgres(url: &str) -> Result<Self, StoreError> {
        let opts =
            PgConnectOptions::from_str(url).map_err(|_| StoreError::BadUrl(url.to_string()))?;
        let pool = PgPoolOptions::new()
            .max_connections(PG_POOL_SIZE)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(opts)
            .await?;
        // The migrator holds an advisory lock while it runs: replicas starting together
        // migrate one at a time.
        tolerant(sqlx::migrate!("./migrations/postgres"))
            .run(&pool)
            .await?;
        Ok(Self {
            engine: Engine::Postgres(pool),
        })
    }

    async fn open_sqlite(url: &str, durability: Durability) -> Result<Self, StoreError> {
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
        tolerant(sqlx::migrate!("./migrations/sqlite"))
            .run(&write)
            .await?;
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
        Ok(Self {
            engine: Engine::Sqlite { read, write },
        })
    }

    /// Whether this store is on PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        matches!(self.engine, Engine::Postgres(_))
    }

    /// The SQLite pools (read, write), or an error on PostgreSQL.
    pub(crate) fn sqlite(&self) -> Result<(&SqlitePool, &SqlitePool), StoreError> {
        match &self.engine {
            Engine::Sqlite { read, write } => Ok((read, write)),
            Engine::Postgres(_) => Err(StoreError::SandboxNeedsSqlite),
        }
    }

    /// The sandbox ticket API's tables.
    pub fn sandbox(&self) -> sandbox::SandboxStore<'_> {
        sandbox::SandboxStore { store: self }
    }

    /// The Discord front end's tables.
    pub fn discord(&self) -> discord::DiscordStore<'_> {
        discord::DiscordStore { store: self }
    }

    /// The ticket panels and the context menu's prefills (#14).
    pub fn front_door(&self) -> front_door::FrontDoorStore<'_> {
        front_door::FrontDoorStore { store: self }
    }

    /// Writes kept for a *Try again*.
    pub fn kept(&self) -> kept::KeptStore<'_> {
        kept::KeptStore { store: self }
    }

    /// The notification pipeline's tables.
    pub fn staff(&self) -> staff::StaffStore<'_> {
        staff::StaffStore { store: self }
    }

    pub fn notify(&self) -> notify::NotifyStore<'_> {
        notify::NotifyStore { store: self }
    }

    /// Proves the database answers, without taking the single writer a webhook needs.
    pub async fn check_readable(&self) -> Result<(), StoreError> {
        on!(self, read, |db| sqlx::query("SELECT 1")
            .execute(db)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// SQLite's `synchronous` setting of the writer (0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA);
    /// None on PostgreSQL, whose durability is the server's.
    pub async fn synchronous(&self) -> Result<Option<i64>, StoreError> {
        match &self.engine {
            Engine::Sqlite { write, .. } => Ok(Some(
                sqlx::query_scalar("PRAGMA synchronous")
                    .fetch_one(write)
                    .await?,
            )),
            Engine::Postgres(_) => Ok(None),
        }
    }

    /// The value stored under `name`, storing `init()` first if there is none (the first
    /// writer wins, so concurrent callers agree).
    pub async fn get_or_init_state(
        &self,
        name: &str,
        init: impl FnOnce() -> String,
    ) -> Result<String, StoreError> {
        let value = init();
        on!(self, write, |db| {
            sqlx::query(
                "INSERT INTO kv_state (name, value, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (name) DO NOTHING",
            )
            .bind(name)
            .bind(&value)
            .bind(now_millis())
            .execute(db)
            .await?;
            Ok(
                sqlx::query_scalar("SELECT value FROM kv_state WHERE name = $1")
                    .bind(name)
                    .fetch_one(db)
                    .await?,
            )
        })
    }

    pub async fn get_state(&self, name: &str) -> Result<Option<String>, StoreError> {
        Ok(on!(self, read, |db| {
            sqlx::query_scalar("SELECT value FROM kv_state WHERE name = $1")
                .bind(name)
                .fetch_optional(db)
                .await
        })?)
    }

    pub async fn put_state(&self, name: &str, value: &str) -> Result<(), StoreError> {
        on!(self, write, |db| {
            sqlx::query(
                "INSERT INTO kv_state (name, value, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (name) DO UPDATE SET value = excluded.value, \
                 updated_at = excluded.updated_at",
            )
            .bind(name)
            .bind(value)
            .bind(now_millis())
            .execute(db)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// Waits for queued writes and closes the pools; after this a SQLite file is
    /// consistent. Its writer closes last so it can fold the WAL back into the file.
    pub async fn close(&self) {
        match &self.engine {
            Engine::Sqlite { read, write } => {
                read.close().await;
                write.close().await;
            }
            Engine::Postgres(pool) => pool.close().await,
        }
    }
}

/// Migrations applied in the database that this release does not know are ignored, so
/// an older release keeps running against a database a newer release already migrated
/// (rolling deploys: see migrations/README.md).
fn tolerant(mut m: Migrator) -> Migrator {
    m.set_ignore_missing(true);
    m
}

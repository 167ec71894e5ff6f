//! Fresh databases for the store's tests: a temporary SQLite file, or a PostgreSQL
//! database with a random name, dropped when the guard goes, even when the test panics.

use super::{Kind, Store};

/// The PostgreSQL server the ignored tests use (trust auth).
pub(crate) const PG_SERVER: &str = "postgres://postgres@127.0.0.1:5432";

pub(crate) enum TestDb {
    Sqlite(tempfile::TempDir),
    Postgres(String),
}

impl TestDb {
    pub(crate) async fn new(kind: Kind) -> TestDb {
        match kind {
            Kind::Sqlite => TestDb::Sqlite(tempfile::tempdir().unwrap()),
            Kind::Postgres => {
                let name = format!("paradarum_test_{:016x}", rand::random::<u64>());
                admin(&format!("CREATE DATABASE {name}")).await;
                TestDb::Postgres(name)
            }
        }
    }

    pub(crate) fn url(&self) -> String {
        match self {
            TestDb::Sqlite(dir) => format!("sqlite://{}/bot.db", dir.path().display()),
            TestDb::Postgres(name) => format!("{PG_SERVER}/{name}"),
        }
    }

    pub(crate) async fn open(&self) -> Store {
        Store::open(&self.url()).await.unwrap()
    }
}

async fn admin(sql: &str) {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(&format!("{PG_SERVER}/postgres"))
        .await
        .expect("PostgreSQL answers at 127.0.0.1:5432");
    sqlx::query(sql).execute(&mut conn).await.unwrap();
    let _ = conn.close().await;
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let TestDb::Postgres(name) = self else {
            return;
        };
        // Drop cannot await, and the test's runtime may be the one unwinding: a thread of
        // its own with a runtime of its own drops the database.
        let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        let dropped = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map(|rt| rt.block_on(admin(&sql)))
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("could not drop test database {name}");
        }
    }
}

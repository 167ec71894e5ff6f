//! The replica coordinator's SQL (see `crate::replica`): PostgreSQL session advisory locks
//! on the coordinator's own connection, the count of live replicas, and the wake-up
//! NOTIFY. Every function takes that one connection: a session lock belongs to it.

use sqlx::PgConnection;

/// Takes the two-int advisory lock `(class, id)` for this session if it is free.
pub async fn try_lock(conn: &mut PgConnection, class: i32, id: i32) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT pg_try_advisory_lock($1, $2)")
        .bind(class)
        .bind(id)
        .fetch_one(conn)
        .await
}

/// Releases one lock this session holds; false if it held none.
pub async fn unlock(conn: &mut PgConnection, class: i32, id: i32) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT pg_advisory_unlock($1, $2)")
        .bind(class)
        .bind(id)
        .fetch_one(conn)
        .await
}

/// Releases every session lock this connection holds.
pub async fn unlock_all(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_advisory_unlock_all()")
        .execute(conn)
        .await?;
    Ok(())
}

/// How many two-int advisory locks of `class` are granted in this database (the live
/// replicas, when each holds one presence lock of that class).
pub async fn count_granted(conn: &mut PgConnection, class: i32) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT count(*) FROM pg_locks \
         WHERE locktype = 'advisory' AND objsubid = 2 AND granted \
           AND classid::bigint = $1 \
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    )
    .bind(i64::from(class))
    .fetch_one(conn)
    .await
}

/// Wakes every replica listening on `channel` (they try the free roles at once).
pub async fn notify(
    conn: &mut PgConnection,
    channel: &str,
    payload: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(channel)
        .bind(payload)
        .execute(conn)
        .await?;
    Ok(())
}

/// Proves the connection (and so its locks) is alive.
pub async fn ping(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT 1").execute(conn).await?;
    Ok(())
}

/// The server-side id of this connection's backend (for `pg_terminate_backend` in tests).
pub async fn backend_pid(conn: &mut PgConnection) -> Result<i32, sqlx::Error> {
    sqlx::query_scalar("SELECT pg_backend_pid()")
        .fetch_one(conn)
        .await
}

/// Ends another session by its backend id (the tests' stand-in for a dead replica).
pub async fn terminate_backend(conn: &mut PgConnection, pid: i32) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT pg_terminate_backend($1)")
        .bind(pid)
        .fetch_one(conn)
        .await
}

/// Creates a database (tests: each its own). `name` must be a plain identifier.
pub async fn create_database(conn: &mut PgConnection, name: &str) -> Result<(), sqlx::Error> {
    sqlx::query(&format!("CREATE DATABASE \"{name}\""))
        .execute(conn)
        .await?;
    Ok(())
}

/// Drops a database, ending its sessions first.
pub async fn drop_database(conn: &mut PgConnection, name: &str) -> Result<(), sqlx::Error> {
    sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .execute(conn)
        .await?;
    Ok(())
}

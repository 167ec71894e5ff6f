//! paradarum-bot: Paradarum's support tickets in Discord.
//!
//! # Layout
//! - [`ticket`]: the ticket model — topics, statuses, lifecycle rules, text limits — and
//!   the API's wire shapes ([`ticket::api`]). Pure: no I/O, imports nothing of the crate.
//! - [`client`]: the ticket API client (timeouts, typed errors, safe retries).
//! - [`sandbox`]: the embedded sandbox ticket API, the default backend and what the tests
//!   run against. The client and the sandbox share only the model; neither imports the
//!   other.
//! - [`store`]: every SQL statement (SQLite or PostgreSQL via sqlx, embedded migrations).
//! - [`signing`]: Standard Webhooks signatures, shared by the sandbox and the bot.
//! - [`http`]: the bot's own HTTP endpoints (`/healthz`, `/readyz`, the webhook; `/metrics`
//!   on a listener of its own).
//! - [`i18n`]: every user-facing word, in the reader's language (`locales/*.ftl`).
//! - [`config`]: layered configuration with every problem reported at once.
//! - [`app`]: start-up and clean shutdown of the parts; [`cli`]: the commands.
//!
//! Data flows one way: Discord → command → client → ticket API; ticket API events →
//! inbox → outbox → delivery → Discord.

pub mod app;
pub mod cli;
pub mod client;
pub mod config;
pub mod crypto;
pub mod discord;
pub mod http;
pub mod i18n;
pub mod metrics;
pub mod notify;
pub mod replica;
pub mod sandbox;
pub mod shutdown;
pub mod signing;
pub mod store;
pub mod telemetry;
pub mod ticket;

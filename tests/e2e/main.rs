//! End-to-end: the real `paradarum-bot` binary against a fake Discord and its embedded
//! sandbox ticket API. Run only these with `cargo test --test e2e`.

mod duplicates;
mod endpoints;
mod escalation;
mod fake_discord;
mod fake_selftest;
mod front_door;
mod front_end;
mod harness;
mod keys;
mod languages;
mod notifications;
mod operations;
mod replicas;
mod scenarios;
mod staff_desk;
mod staff_replies;

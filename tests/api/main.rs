//! Integration tests in one binary (one link, shared helpers): the client against the real
//! sandbox over HTTP, faults from misbehaving servers, webhooks, the real binary, and
//! property tests of the public parsers of outside input.

// Reads the ports a binary started on port 0 bound from its log; shared with tests/e2e.
#[path = "../e2e/harness/bound.rs"]
mod bound;
mod cli;
mod faults;
mod helpers;
mod idempotency;
mod meta_and_feed;
mod openapi;
mod operator_kit;
// The benchmark's charts, drawn from sample points (the benchmark itself runs for an hour).
#[path = "../../benches/bench/plot.rs"]
mod plot;
mod properties;
mod registration;
mod staff_extensions;
mod tickets;
mod webhooks;

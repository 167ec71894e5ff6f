//! Integration tests in one binary (one link, shared helpers): the client against the real
//! sandbox over HTTP, faults from misbehaving servers, webhooks, the real binary, and
//! property tests of the public parsers of outside input.

mod cli;
mod faults;
mod helpers;
mod idempotency;
mod meta_and_feed;
mod openapi;
mod operator_kit;
mod properties;
mod registration;
mod tickets;
mod webhooks;

//! Integration tests in one binary (one link, shared helpers): the client against the real
//! sandbox over HTTP, faults from misbehaving servers, webhooks, and the real binary.

mod cli;
mod faults;
mod helpers;
mod meta_and_feed;
mod registration;
mod tickets;
mod webhooks;

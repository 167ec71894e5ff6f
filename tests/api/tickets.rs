//! The client against the real sandbox over HTTP: every endpoint and every rule of the seed,
//! one file per endpoint group.

mod attachments;
mod auth_and_errors;
mod create_and_read;
mod events;
mod replies;
mod status_and_topic;

use paradarum_bot::ticket::api::CreateTicket;
use paradarum_bot::ticket::Topic;

fn new_ticket(topic: Topic, subject: &str) -> CreateTicket {
    CreateTicket {
        topic,
        subject: subject.into(),
        message: "It does not work.".into(),
        property_id: None,
    }
}

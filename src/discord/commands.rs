//! `/ticket` and its subcommands, one file per feature: each owns its slash command and
//! the forms and buttons that follow it (`open.rs`: `open` shows the form, `submit`
//! creates the ticket). Also the topic and status choices.

pub mod close;
pub mod escalate;
pub mod from_message;
pub mod link;
pub mod list;
pub mod open;
pub mod panel;
pub mod read;
pub mod reply;
pub mod retry;
pub mod sandbox_admin;
pub mod staff;
pub mod status;

use super::errors::CommandError;
use super::Context;
use crate::ticket::{Status, Topic};

pub use from_message::open_from_message;
pub use sandbox_admin::sandbox;

/// Open, follow, reply to and close your Paradarum support tickets
#[poise::command(
    slash_command,
    subcommands(
        "open::open",
        "status::status",
        "list::list",
        "reply::reply",
        "close::close",
        "link::link",
        "link::unlink",
        "escalate::escalate",
        "panel::panel"
    ),
    subcommand_required
)]
pub async fn ticket(_: Context<'_>) -> Result<(), CommandError> {
    Ok(())
}

/// The six topics, exactly the panel's labels in API order; the index is the API value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, poise::ChoiceParameter)]
pub enum TopicChoice {
    #[name = "General"]
    General,
    #[name = "Networking"]
    Networking,
    #[name = "Rules"]
    Rules,
    #[name = "Billing"]
    Billing,
    #[name = "SSL / Certificates"]
    Ssl,
    #[name = "Performance"]
    Performance,
}

impl TopicChoice {
    pub fn topic(self) -> Topic {
        match self {
            TopicChoice::General => Topic::General,
            TopicChoice::Networking => Topic::Networking,
            TopicChoice::Rules => Topic::Rules,
            TopicChoice::Billing => Topic::Billing,
            TopicChoice::Ssl => Topic::Ssl,
            TopicChoice::Performance => Topic::Performance,
        }
    }
}

/// The four statuses, labels as in the panel; the index is the API value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, poise::ChoiceParameter)]
pub enum StatusChoice {
    #[name = "Open"]
    Open,
    #[name = "In Progress"]
    InProgress,
    #[name = "Resolved"]
    Resolved,
    #[name = "Closed"]
    Closed,
}

impl StatusChoice {
    pub fn status(self) -> Status {
        match self {
            StatusChoice::Open => Status::Open,
            StatusChoice::InProgress => Status::InProgress,
            StatusChoice::Resolved => Status::Resolved,
            StatusChoice::Closed => Status::Closed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topic_choices_map_to_the_api_integers_in_order() {
        use poise::ChoiceParameter;
        let list = TopicChoice::list();
        let names: Vec<String> = list.iter().map(|c| c.name.to_string()).collect();
        assert_eq!(
            names,
            [
                "General",
                "Networking",
                "Rules",
                "Billing",
                "SSL / Certificates",
                "Performance"
            ]
        );
        for (i, c) in list.iter().enumerate() {
            let choice = TopicChoice::from_index(i).unwrap();
            assert_eq!(choice.topic().api_value(), i as i64, "{}", c.name);
            assert_eq!(choice.topic().label(), c.name.to_string());
        }
        for (i, s) in StatusChoice::list().iter().enumerate() {
            let status = StatusChoice::from_index(i).unwrap().status();
            assert_eq!(status.api_value(), i as i64);
            assert_eq!(status.label(), s.name.to_string());
        }
    }
}

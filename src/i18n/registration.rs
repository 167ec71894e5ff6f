//! Command, option and choice names and descriptions in every shipped language, sent to
//! Discord when the commands are registered (poise's `apply_translations` pattern).
//!
//! Keys: a command is `cmd-<its path>` (`cmd-ticket-open`; a context-menu command
//! `cmd-<function name>` with `-` for `_`); its value is the localized name, attribute
//! `.description` its description, `.<option>` and `.<option>-description` its options'.
//! A choice is the topic's or status's own message (`topic-ssl`), so its name is the same
//! in the choice list as on every card. The en-US file sets the default descriptions;
//! names stay as the code has them (poise routes by them), and a test holds en-US to them.
//!
//! poise 0.7.1 sends no localizations for context-menu commands: [`localize_context_menus`]
//! adds them to the registration JSON.

use std::borrow::Cow;

use super::{attribute, message, Locale};
use crate::ticket::{Status, Topic};

/// The message key of a command at `path` (its parents' names and its own).
pub fn command_key(path: &[&str]) -> String {
    let mut key = String::from("cmd");
    for part in path {
        key.push('-');
        key.push_str(&part.replace('_', "-"));
    }
    key
}

/// The key of a choice: the topic's or status's message whose en-US text is `name`.
pub fn choice_key(name: &str) -> Option<&'static str> {
    let topics = Topic::ALL.into_iter().map(super::topic);
    let statuses = Status::ALL.into_iter().map(super::status);
    topics
        .chain(statuses)
        .find(|t| t.render(Locale::EN_US) == name)
        .and_then(|t| t.key())
}

fn others() -> impl Iterator<Item = Locale> {
    Locale::shipped().filter(|l| *l != Locale::EN_US)
}

fn push(list: &mut Cow<'static, [(Cow<'static, str>, Cow<'static, str>)]>, l: Locale, v: String) {
    let list = list.to_mut();
    list.retain(|(code, _)| code != l.code());
    list.push((Cow::Borrowed(l.code()), Cow::Owned(v)));
}

/// Puts every language's names and descriptions on `commands` and their subcommands,
/// options and choices. A key a language lacks is left out (Discord then shows English).
pub fn apply<U, E>(commands: &mut [poise::Command<U, E>]) {
    for c in commands {
        apply_one(c, &[]);
    }
}

fn apply_one<U, E>(c: &mut poise::Command<U, E>, parents: &[&str]) {
    let mut path: Vec<&str> = parents.to_vec();
    let name = c.name.to_string();
    path.push(&name);
    let key = command_key(&path);
    if let Some(d) = attribute(Locale::EN_US, &key, "description") {
        c.description = Some(Cow::Owned(d));
    }
    for l in others() {
        if let Some(n) = message(l, &key) {
            push(&mut c.name_localizations, l, n);
        }
        if c.context_menu_action.is_none() {
            if let Some(d) = attribute(l, &key, "description") {
                push(&mut c.description_localizations, l, d);
            }
        }
    }
    for p in &mut c.parameters {
        let pname = p.name.to_string();
        let pdesc = format!("{pname}-description");
        if let Some(d) = attribute(Locale::EN_US, &key, &pdesc) {
            p.description = Some(Cow::Owned(d));
        }
        for l in others() {
            if let Some(n) = attribute(l, &key, &pname) {
                push(&mut p.name_localizations, l, n);
            }
            if let Some(d) = attribute(l, &key, &pdesc) {
                push(&mut p.description_localizations, l, d);
            }
        }
        for choice in p.choices.to_mut() {
            let Some(ckey) = choice_key(&choice.name) else {
                continue;
            };
            for l in others() {
                if let Some(n) = message(l, ckey) {
                    push(&mut choice.localizations, l, n);
                }
            }
        }
    }
    for sub in &mut c.subcommands {
        apply_one(sub, &path);
    }
}

/// Adds the context-menu commands' `name_localizations` (which poise leaves out) to the
/// registration JSON made from `commands`: the hook for every context-menu command.
pub fn localize_context_menus<U, E>(
    json: &mut serde_json::Value,
    commands: &[poise::Command<U, E>],
) {
    for c in commands.iter().filter(|c| c.context_menu_action.is_some()) {
        let shown = c.context_menu_name.as_deref().unwrap_or(&c.name);
        let names: serde_json::Map<String, serde_json::Value> = c
            .name_localizations
            .iter()
            .map(|(l, n)| (l.to_string(), n.to_string().into()))
            .collect();
        if names.is_empty() {
            continue;
        }
        for entry in json.as_array_mut().into_iter().flatten() {
            let is_menu = matches!(entry.get("type").and_then(|t| t.as_u64()), Some(2 | 3));
            if is_menu && entry.get("name").and_then(|n| n.as_str()) == Some(shown) {
                entry["name_localizations"] = serde_json::Value::Object(names.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use poise::serenity_prelude as serenity;

    /// A message context-menu command, as front ends add them.
    #[poise::command(context_menu_command = "Open ticket from message")]
    async fn open_from_message(
        _ctx: poise::Context<'_, (), crate::discord::CommandError>,
        _msg: serenity::Message,
    ) -> Result<(), crate::discord::CommandError> {
        Ok(())
    }

    #[test]
    fn a_context_menu_commands_localized_names_reach_the_registration_json() {
        let mut cmds = vec![open_from_message()];
        // What `apply` puts there from `cmd-open-from-message` in each file.
        push(
            &mut cmds[0].name_localizations,
            Locale::from_discord("de"),
            "Ticket aus Nachricht öffnen".into(),
        );
        let built = poise::builtins::create_application_commands(&cmds);
        let mut json = serde_json::to_value(built).unwrap();
        // poise leaves them out (serenity sends an empty map).
        assert!(json[0]["name_localizations"]["de"].is_null(), "{json}");
        localize_context_menus(&mut json, &cmds);
        assert_eq!(json[0]["type"], 3);
        assert_eq!(json[0]["name"], "Open ticket from message");
        assert_eq!(
            json[0]["name_localizations"]["de"],
            "Ticket aus Nachricht öffnen"
        );
    }

    #[test]
    fn command_keys_follow_the_command_path() {
        assert_eq!(command_key(&["ticket", "open"]), "cmd-ticket-open");
        assert_eq!(command_key(&["open_from_message"]), "cmd-open-from-message");
        assert_eq!(choice_key("SSL / Certificates"), Some("topic-ssl"));
        assert_eq!(choice_key("In Progress"), Some("status-in-progress"));
        assert_eq!(choice_key("Urgent"), None);
    }
}

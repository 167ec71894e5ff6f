//! Interactions sent to the bot as Discord users would (slash commands, autocomplete,
//! modals, buttons) and the bot's answers to them (initial responses, final messages).

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::{text_of, ticket_id_in, Bot, Sent, User};
use crate::fake_discord::{FakeDiscord, APP_ID, BOT_USER_ID, CHANNEL_ID, GUILD_ID};

impl Bot {
    fn base(&self, kind: u8, user: &User, in_guild: bool) -> (Sent, Value) {
        self.base_aged(kind, user, in_guild, Duration::ZERO)
    }

    /// An interaction created `ago` (its snowflake says so, and Discord's 3 seconds count
    /// from then), as when the gateway delivers it late.
    fn base_aged(&self, kind: u8, user: &User, in_guild: bool, ago: Duration) -> (Sent, Value) {
        self.base_in(kind, user, in_guild.then_some(GUILD_ID), ago)
    }

    /// An interaction from `guild` (a member of it), or from a DM when `None`.
    fn base_in(&self, kind: u8, user: &User, guild: Option<u64>, ago: Duration) -> (Sent, Value) {
        let (sent, mut v) = interaction_base(&self.fake, kind, user, guild, ago);
        let locales = self.locales.lock().unwrap();
        if let Some((locale, guild_locale)) = locales.get(&user.id) {
            v["locale"] = locale.as_str().into();
            if guild.is_some() {
                v["guild_locale"] = guild_locale.as_str().into();
            }
        }
        (sent, v)
    }

    /// From now on `user`'s Discord client is in `locale`, and (in the server) the
    /// server's preferred locale is `guild_locale`.
    pub fn speaks(&self, user: &User, locale: &str, guild_locale: &str) {
        self.locales
            .lock()
            .unwrap()
            .insert(user.id, (locale.to_string(), guild_locale.to_string()));
    }

    /// `/ticket <sub> options…` as `user` in the guild.
    pub fn command(&self, user: &User, sub: &str, options: Value) -> Sent {
        self.command_with(user, sub, options, None)
    }

    /// Like `command`, with `data.resolved` (e.g. attachments).
    pub fn command_with(
        &self,
        user: &User,
        sub: &str,
        options: Value,
        resolved: Option<Value>,
    ) -> Sent {
        self.dispatch_command(user, "ticket", sub, options, resolved)
    }

    /// `/ticket <sub> options…` in the guild, delivered `ago` after Discord created it.
    pub fn command_aged(&self, user: &User, sub: &str, options: Value, ago: Duration) -> Sent {
        let (sent, mut v) = self.base_aged(2, user, true, ago);
        v["data"] = json!({
            "id": "1", "name": "ticket", "type": 1,
            "options": [{"type": 1, "name": sub, "options": options}],
        });
        assert!(self.fake.dispatch_interaction(v), "gateway not connected");
        sent
    }

    /// `/ticket <sub> options…` from a DM with the bot (no guild, no member).
    pub fn command_dm(&self, user: &User, sub: &str, options: Value) -> Sent {
        let (sent, mut v) = self.base(2, user, false);
        v["data"] = json!({
            "id": "1", "name": "ticket", "type": 1,
            "options": [{"type": 1, "name": sub, "options": options}],
        });
        assert!(self.fake.dispatch_interaction(v), "gateway not connected");
        sent
    }

    /// `/<name> <sub> options…`.
    pub fn command_named(&self, user: &User, name: &str, sub: &str, options: Value) -> Sent {
        self.dispatch_command(user, name, sub, options, None)
    }

    /// `/<name> <sub> options…` as a member of `guild` (which may be another server than
    /// the one the bot was set up for).
    pub fn command_in_guild(
        &self,
        user: &User,
        guild: u64,
        name: &str,
        sub: &str,
        options: Value,
    ) -> Sent {
        let (sent, mut v) = self.base_in(2, user, Some(guild), Duration::ZERO);
        v["data"] = json!({
            "id": "1", "name": name, "type": 1,
            "options": [{"type": 1, "name": sub, "options": options}],
        });
        assert!(self.fake.dispatch_interaction(v), "gateway not connected");
        sent
    }

    fn dispatch_command(
        &self,
        user: &User,
        name: &str,
        sub: &str,
        options: Value,
        resolved: Option<Value>,
    ) -> Sent {
        let (sent, mut v) = self.base(2, user, true);
        v["data"] = json!({
            "id": "1", "name": name, "type": 1,
            "options": [{"type": 1, "name": sub, "options": options}],
        });
        if let Some(r) = resolved {
            v["data"]["resolved"] = r;
        }
        assert!(self.fake.dispatch_interaction(v), "gateway not connected");
        sent
    }

    /// An autocomplete request for `/ticket <sub>` with `focused` being typed.
    pub fn autocomplete(
        &self,
        user: &User,
        sub: &str,
        focused: &str,
        typed: &str,
        kind: u8,
    ) -> Sent {
        let (sent, mut v) = self.base(4, user, true);
        v["data"] = json!({
            "id": "1", "name": "ticket", "type": 1,
            "options": [{"type": 1, "name": sub, "options": [
                {"type": kind, "name": focused, "value": typed, "focused": true}
            ]}],
        });
        assert!(self.fake.dispatch_interaction(v));
        sent
    }

    /// Submits a modal with the given text inputs.
    pub fn submit_modal(&self, user: &User, custom_id: &str, fields: &[(&str, &str)]) -> Sent {
        let (sent, mut v) = self.base(5, user, true);
        let rows: Vec<Value> = fields
            .iter()
            .map(|(id, value)| json!({"type": 1, "components": [{"type": 4, "custom_id": id, "value": value}]}))
            .collect();
        v["data"] = json!({"custom_id": custom_id, "components": rows});
        assert!(self.fake.dispatch_interaction(v));
        sent
    }

    /// Presses a button carrying `custom_id`.
    pub fn press(&self, user: &User, custom_id: &str, in_guild: bool) -> Sent {
        let (sent, mut v) = self.base(3, user, in_guild);
        v["data"] = json!({"custom_id": custom_id, "component_type": 2});
        v["message"] = json!({
            "id": self.fake.new_id().to_string(), "channel_id": CHANNEL_ID.to_string(),
            "author": {"id": BOT_USER_ID.to_string(), "username": "paradarum-bot", "discriminator": "0000", "avatar": null, "bot": true},
            "content": "", "timestamp": "2026-11-26T12:00:00.000000+00:00", "edited_timestamp": null,
            "tts": false, "mention_everyone": false, "mentions": [], "mention_roles": [],
            "attachments": [], "embeds": [], "pinned": false, "type": 0, "flags": 64, "components": []
        });
        assert!(self.fake.dispatch_interaction(v));
        sent
    }

    /// A message context-menu command `name` on `target` (a message as Discord resolves
    /// it), from the guild or a DM.
    pub fn message_command(&self, user: &User, name: &str, target: Value, in_guild: bool) -> Sent {
        let (sent, mut v) = self.base(2, user, in_guild);
        let target_id = target["id"].as_str().unwrap().to_string();
        v["data"] = json!({
            "id": "2", "name": name, "type": 3, "target_id": target_id,
            "resolved": {"messages": {target_id.clone(): target}},
        });
        assert!(self.fake.dispatch_interaction(v), "gateway not connected");
        sent
    }

    /// Picks `value` in the string select `custom_id` of `message` (a message as Discord
    /// has it: the panel, or an ephemeral answer).
    pub fn choose(
        &self,
        user: &User,
        custom_id: &str,
        value: &str,
        message: Value,
        in_guild: bool,
    ) -> Sent {
        let (sent, mut v) = self.base(3, user, in_guild);
        v["data"] = json!({"custom_id": custom_id, "component_type": 3, "values": [value]});
        v["message"] = message;
        assert!(self.fake.dispatch_interaction(v), "gateway not connected");
        sent
    }

    /// `/ticket open` → modal → submit, as `user`: the new ticket's id and its card. The
    /// modal must come first and the answer must be deferred ephemerally.
    pub async fn open_via_discord(&self, user: &User, topic: u8, subject: &str) -> (u64, Value) {
        let slash = self.command(
            user,
            "open",
            json!([{"type": 4, "name": "topic", "value": topic}]),
        );
        let modal = self.callback(&slash).await;
        assert_eq!(modal["type"], 9, "a modal: {modal}");
        let custom_id = modal["data"]["custom_id"].as_str().unwrap().to_string();
        let submit = self.submit_modal(
            user,
            &custom_id,
            &[
                ("subject", subject),
                ("description", "It stopped working this morning."),
            ],
        );
        let ack = self.callback(&submit).await;
        assert_eq!(ack["type"], 5, "a deferred answer: {ack}");
        assert_eq!(
            ack["data"]["flags"].as_u64().unwrap_or(0) & 64,
            64,
            "ephemeral"
        );
        let card = self.final_message(&submit, 20).await;
        let text = text_of(&card);
        let id = ticket_id_in(&text).unwrap_or_else(|| panic!("no ticket id in {text}"));
        (id, card)
    }

    /// How long the bot took to send its initial response to `sent`.
    pub async fn callback_latency(&self, sent: &Sent) -> Duration {
        self.callback(sent).await;
        let needle = format!("/interactions/{}/{}/callback", sent.id, sent.token);
        self.fake
            .recorded()
            .iter()
            .find(|r| r.path == needle)
            .map(|r| r.at.saturating_duration_since(sent.at))
            .unwrap_or(Duration::MAX)
    }

    /// The initial response (callback body) to an interaction, waiting up to 5 s.
    pub async fn callback(&self, sent: &Sent) -> Value {
        let needle = format!("/interactions/{}/{}/callback", sent.id, sent.token);
        self.fake
            .wait_for(Duration::from_secs(5), |rs| {
                rs.iter()
                    .find(|r| r.path == needle && r.status == 204)
                    .map(|r| r.body.clone())
            })
            .await
            .unwrap_or_else(|| {
                panic!(
                    "no initial response to {needle}; sent: {:#?}\nlog:\n{}",
                    self.paths(),
                    self.log()
                )
            })
    }

    /// The message that finally answered an interaction: the last followup or edit of the
    /// original response, waiting up to `secs`.
    pub async fn final_message(&self, sent: &Sent, secs: u64) -> Value {
        let prefix = format!("/webhooks/{APP_ID}/{}", sent.token);
        let found = self
            .fake
            .wait_for(Duration::from_secs(secs), |rs| {
                rs.iter()
                    .rev()
                    .find(|r| r.path.starts_with(&prefix) && r.status == 200)
                    .map(|r| r.body.clone())
            })
            .await;
        found.unwrap_or_else(|| {
            panic!(
                "no followup for {}; sent: {:#?}\nlog:\n{}",
                sent.token,
                self.paths(),
                self.log()
            )
        })
    }
}

/// An interaction of `kind` from `guild` (a member of it), or from a DM when `None`, created
/// `ago`: what Discord would deliver (without its `data`).
pub fn interaction_base(
    fake: &FakeDiscord,
    kind: u8,
    user: &User,
    guild: Option<u64>,
    ago: Duration,
) -> (Sent, Value) {
    let id = fake.id_created(ago);
    let token = format!("tok{id}");
    let user_json = json!({"id": user.id.to_string(), "username": user.name,
        "discriminator": "0", "global_name": user.name, "avatar": null});
    let mut v = json!({
        "id": id.to_string(),
        "application_id": APP_ID.to_string(),
        "type": kind,
        "token": token,
        "version": 1,
        "locale": "en-US",
        "entitlements": [],
        "attachment_size_limit": 26214400,
        "channel_id": CHANNEL_ID.to_string(),
        "app_permissions": "2248473465835073",
        "authorizing_integration_owners": {"0": GUILD_ID.to_string()},
    });
    if let Some(guild) = guild {
        v["guild_id"] = guild.to_string().into();
        v["authorizing_integration_owners"] = json!({"0": guild.to_string()});
        v["guild_locale"] = "en-US".into();
        v["context"] = 0.into();
        let roles: Vec<String> = user.roles.iter().map(|r| r.to_string()).collect();
        v["member"] = json!({
            "user": user_json, "roles": roles, "deaf": false, "mute": false, "flags": 0,
            "permissions": if user.admin { "8" } else { "0" }, "joined_at": "2026-01-01T00:00:00.000000+00:00",
            "pending": false, "nick": null, "avatar": null, "premium_since": null
        });
    } else {
        v["context"] = 1.into();
        v["user"] = user_json;
    }
    (
        Sent {
            id,
            token,
            at: Instant::now(),
        },
        v,
    )
}

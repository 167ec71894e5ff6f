//! `/ticket escalate ticket to reason` — community moderators move a ticket to Billing or
//! SSL / Certificates, and can do nothing else. The role check runs here on every use
//! (Discord-side command permissions are not a boundary: server admins can change them).
//! The moderator sees the id, the topics and the status — never the subject, the messages
//! or who the customer is.

use crate::client::ApiError;
use crate::discord::common::{answer, defer, parse_ticket_id, with_api_slot};
use crate::discord::render;
use crate::discord::{CommandError, Context};
use crate::i18n::{self, Locale};
use crate::metrics::Metrics;
use crate::ticket::{self, Change, RuleError, Topic};
use crate::{text, tr};

/// Move a ticket to Billing or SSL / Certificates (community moderators)
#[poise::command(slash_command, rename = "escalate")]
pub async fn escalate(
    ctx: Context<'_>,
    #[description = "The ticket number"] ticket: String,
    #[description = "The team that should pick it up"]
    #[rename = "to"]
    to: i64,
    #[description = "Why it belongs there (shown to staff)"]
    #[min_length = 1]
    #[max_length = 500]
    reason: String,
) -> Result<(), CommandError> {
    let data = ctx.data();
    let who = ctx.author().clone();
    if !is_moderator(ctx, &data.moderator_roles) {
        let answered = answer(ctx, &tr!(ctx, "escalate-not-moderator"), None).await;
        // Audited once: a second delivery of this interaction stops at its answer (40060).
        if answered.is_ok() {
            tracing::info!(target: "audit", user = who.id.get(), "escalation refused: not a moderator");
        }
        return answered;
    }
    let id = parse_ticket_id(&ticket)?;
    let target = Topic::from_api(to)
        .filter(|t| Topic::ESCALATION_TARGETS.contains(t))
        .ok_or_else(|| CommandError::user(text!("escalate-bad-target")))?;
    let reason = reason.trim().to_string();
    if reason.is_empty() || reason.chars().count() > ticket::ESCALATION_REASON_MAX_CHARS {
        return Err(CommandError::user(text!(
            "escalate-bad-reason",
            max = ticket::ESCALATION_REASON_MAX_CHARS
        )));
    }
    defer(ctx).await?;
    let Some(token) = &data.integration_token else {
        return answer(ctx, &tr!(ctx, "escalate-not-configured"), None).await;
    };
    let not_found = || CommandError::user(text!("escalate-no-such-ticket", ticket_id = id));
    let current = with_api_slot(data, data.client.ticket(token, id))
        .await
        .map_err(|e| match e {
            ApiError::NotFound => not_found(),
            other => crate::discord::errors::from_read(other, Some(id)),
        })?;
    match ticket::check_topic_change(current.status, current.topic, target) {
        Err(RuleError::Closed) => {
            return answer(ctx, &tr!(ctx, "escalate-closed", ticket_id = id), None).await;
        }
        Err(_) => return Err(CommandError::user(text!("escalate-bad-topic"))),
        Ok(Change::Unchanged) => {
            let text = tr!(
                ctx,
                "escalate-unchanged",
                ticket_id = id,
                topic = i18n::topic(target)
            );
            return answer(ctx, &text, None).await;
        }
        Ok(Change::To(_)) => {}
    }
    let recorded = format!("Escalated by {} ({}): {reason}", who.name, who.id.get());
    let moved = with_api_slot(
        data,
        data.client.change_topic(token, id, target, Some(&recorded)),
    )
    .await
    .map_err(|e| match e {
        ApiError::NotFound => not_found(),
        other => crate::discord::errors::from_api(other, Some(id)),
    })?;
    Metrics::inc(&data.metrics.escalations);
    tracing::info!(
        target: "audit",
        moderator = who.id.get(),
        ticket = id,
        from = current.topic.api_value(),
        to = moved.topic.api_value(),
        reason = %reason,
        "ticket escalated"
    );
    let text = tr!(
        ctx,
        "escalate-moved",
        ticket_id = id,
        from = i18n::topic(current.topic),
        to = i18n::topic(moved.topic),
        status = i18n::status(moved.status)
    );
    answer(ctx, &render::truncate(&text, render::CONTENT_MAX), None).await
}

/// A member of the guild holding one of the moderator roles. From a DM: never.
fn is_moderator(ctx: Context<'_>, roles: &[u64]) -> bool {
    let poise::Context::Application(a) = ctx else {
        return false;
    };
    if a.interaction.guild_id.is_none() || roles.is_empty() {
        return false;
    }
    a.interaction
        .member
        .as_ref()
        .is_some_and(|m| m.roles.iter().any(|r| roles.contains(&r.get())))
}

/// The `to` option as Discord must see it: exactly the two panel labels with their API
/// values (poise would number choices 0 and 1).
pub fn fix_registration(commands: &mut serde_json::Value) {
    let Some(to) = commands
        .as_array_mut()
        .and_then(|cs| cs.iter_mut().find(|c| c["name"] == "ticket"))
        .and_then(|t| t["options"].as_array_mut())
        .and_then(|subs| subs.iter_mut().find(|s| s["name"] == "escalate"))
        .and_then(|e| e["options"].as_array_mut())
        .and_then(|opts| opts.iter_mut().find(|o| o["name"] == "to"))
    else {
        return;
    };
    to["choices"] = Topic::ESCALATION_TARGETS
        .iter()
        .map(|t| {
            let name = i18n::topic(*t);
            let localized: serde_json::Map<String, serde_json::Value> = Locale::shipped()
                .filter(|l| *l != Locale::EN_US)
                .map(|l| (l.code().to_string(), name.render(l).into()))
                .collect();
            serde_json::json!({
                "name": name.render(Locale::EN_US),
                "name_localizations": localized,
                "value": t.api_value(),
            })
        })
        .collect();
}

//! Outbox → Discord. One loop, paced per channel under Discord's limit (5 messages per
//! 5 s) and, through [`DiscordRest`](super::delivery::DiscordRest), under the global
//! one; staff messages coalesce a backlog into few messages. A batch is fixed in the
//! store before it is sent and carries a nonce made of a per-database random prefix and
//! its id, with `enforce_nonce`, so a crash between sending and recording never posts
//! twice — and a reset database or a second deployment never collides with old nonces.
//! 5xx, timeouts and 429 are retried with backoff; a channel that answers 403/404 is
//! parked; a user whose DMs are closed is not tried again for a while.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;

use super::compose;
use super::delivery::{SendError, CANNOT_DM, INVALID_BAN_LINE};
use super::PipelineDeps;
use crate::i18n::Locale;
use crate::metrics::{DeliveryOutcome, DeliveryTarget, Metrics};
use crate::store::discord::LocaleOf;
use crate::store::notify::{Job, JobKind, JobState, Target};
use crate::store::{now_millis, StoreError};

/// Discord's commonly observed per-channel limit.
const WINDOW: Duration = Duration::from_secs(5);
const PER_WINDOW: usize = 5;
/// Most jobs considered for one staff message (compose keeps what fits).
const COALESCE_MAX: u32 = 200;
const IDLE_WAIT: Duration = Duration::from_millis(500);
/// DMs are held while this many invalid answers were seen in 10 minutes (a tenth of the
/// ban line): they are the usual source of 403s.
const INVALID_SOFT_LIMIT: u64 = INVALID_BAN_LINE / 10;
/// The pacer forgets idle targets once it tracks more than this many.
const PACER_KEEP: usize = 1_024;
/// With this many free slots or fewer left in a channel's window, a staff message waits
/// to be full — or for its backlog to stop growing (`QUIET`), at most `MAX_HOLD` — so a
/// burst is not spent on small messages while the backlog is still arriving. A lone
/// notice waits too when the channel was sent to less than `QUIET` ago: notices then come
/// one at a time faster than a trickle, the first of a backlog (sending each at once spent
/// the whole window on one-line messages and pushed the rest of a 1,000-ticket burst into
/// a third window).
const HOLD_AT_FREE: usize = 2;
const QUIET_MS: i64 = 300;
const MAX_HOLD_MS: i64 = 2_000;

/// Sliding-window pacing per target. Bounded: targets with nothing in their window and
/// no block are dropped once there are many.
#[derive(Default)]
pub struct Pacer {
    sent: HashMap<Target, VecDeque<Instant>>,
    blocked_until: HashMap<Target, Instant>,
}

impl Pacer {
    /// How long until `target` may take another message (zero: now).
    fn wait_for(&mut self, target: Target) -> Duration {
        let now = Instant::now();
        let mut wait = self
            .blocked_until
            .get(&target)
            .map_or(Duration::ZERO, |t| t.saturating_duration_since(now));
        if let Some(q) = self.sent.get_mut(&target) {
            while q.front().is_some_and(|t| now.duration_since(*t) >= WINDOW) {
                q.pop_front();
            }
            if q.len() >= PER_WINDOW {
                wait = wait.max((q[0] + WINDOW).saturating_duration_since(now));
            }
        }
        wait
    }

    fn record(&mut self, target: Target) {
        self.record_at(target, Instant::now());
    }

    /// When `target` was last sent to, if within its window.
    fn last_sent(&self, target: Target) -> Option<Instant> {
        self.sent.get(&target).and_then(|q| q.back().copied())
    }

    /// Messages `target` may still take in its current window.
    fn free_slots(&mut self, target: Target) -> usize {
        let now = Instant::now();
        match self.sent.get_mut(&target) {
            None => PER_WINDOW,
            Some(q) => {
                while q.front().is_some_and(|t| now.duration_since(*t) >= WINDOW) {
                    q.pop_front();
                }
                PER_WINDOW.saturating_sub(q.len())
            }
        }
    }

    fn record_at(&mut self, target: Target, at: Instant) {
        let q = self.sent.entry(target).or_default();
        // Kept in time order: a send seeded from the store may be older than the last.
        let pos = q.iter().rposition(|t| *t <= at).map_or(0, |p| p + 1);
        q.insert(pos, at);
        self.trim();
    }

    fn block(&mut self, target: Target, d: Duration) {
        self.blocked_until.insert(target, Instant::now() + d);
        self.trim();
    }

    /// Drops what no longer limits anything, when there is much of it.
    fn trim(&mut self) {
        if self.sent.len() + self.blocked_until.len() <= PACER_KEEP {
            return;
        }
        let now = Instant::now();
        self.sent
            .retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) < WINDOW));
        self.blocked_until.retain(|_, t| *t > now);
    }

    /// Targets tracked, for tests.
    pub fn tracked(&self) -> usize {
        self.sent.len() + self.blocked_until.len()
    }
}

#[derive(Debug, thiserror::Error)]
enum DispatchError {
    #[error("store: {0}")]
    Store(#[from] StoreError),
}

pub async fn run(deps: Arc<PipelineDeps>, shutdown: CancellationToken) {
    super::test_fault("dispatcher");
    let prefix = loop {
        match nonce_prefix(&deps).await {
            Ok(p) => break p,
            Err(e) => {
                tracing::warn!(error = %e, "notifications: cannot read the nonce prefix");
                tokio::select! {
                    _ = shutdown.cancelled() => return,
                    _ = tokio::time::sleep(Duration::from_secs(2)) => {}
                }
            }
        }
    };
    let mut pacer = Pacer::default();
    if !seed_pacer(&deps, &mut pacer).await {
        // Not knowing what the previous owner sent, wait out its window: no 429 after a
        // takeover.
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(WINDOW) => {}
        }
    }
    loop {
        let next = match round(&deps, &mut pacer, &prefix).await {
            Ok(wait) => wait,
            Err(e) => {
                tracing::warn!(error = %e, "notifications: delivery paused");
                Duration::from_secs(2)
            }
        };
        Metrics::set(
            &deps.metrics.discord_invalid_10m,
            deps.rest.invalid_last_10_minutes(),
        );
        if shutdown.is_cancelled() {
            return;
        }
        if next.is_zero() {
            continue;
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = deps.wakers.dispatcher.notified() => {}
            _ = tokio::time::sleep(next) => {}
        }
    }
}

/// What was sent in the last window before this dispatcher started (another process, or
/// this one before a crash, or the replica that held the pipeline before) counts against
/// the limit now. False if the outbox could not be read.
async fn seed_pacer(deps: &PipelineDeps, pacer: &mut Pacer) -> bool {
    let now_ms = now_millis();
    let now = Instant::now();
    let window_ms = WINDOW.as_millis() as i64;
    match deps.store.notify().recent_sends(now_ms - window_ms).await {
        Ok(sends) => {
            for (_, target, at) in sends {
                let age = at.map_or(0, |t| (now_ms - t).clamp(0, window_ms));
                let at = now
                    .checked_sub(Duration::from_millis(age as u64))
                    .unwrap_or(now);
                pacer.record_at(target, at);
            }
            true
        }
        Err(e) => {
            tracing::warn!(error = %e, "could not read recent sends; waiting one window");
            false
        }
    }
}

/// A random prefix made once per database: nonces stay unique after a database reset and
/// between deployments sharing a bot token.
async fn nonce_prefix(deps: &PipelineDeps) -> Result<String, StoreError> {
    deps.store
        .get_or_init_state("notify.nonce_prefix", || {
            crate::sandbox::new_token("").chars().take(10).collect()
        })
        .await
}

/// The nonce of a batch: the prefix (10 characters) and the batch id in base 36 (at most
/// 13), within Discord's 25.
pub fn nonce(prefix: &str, batch: i64) -> String {
    let mut n = batch.unsigned_abs();
    let mut digits = Vec::new();
    loop {
        let d = (n % 36) as u8;
        digits.push(if d < 10 { b'0' + d } else { b'a' + d - 10 });
        n /= 36;
        if n == 0 {
            break;
        }
    }
    digits.reverse();
    format!("{prefix}{}", String::from_utf8_lossy(&digits))
}

/// One pass over what is due; returns how long to wait before the next pass.
async fn round(
    deps: &PipelineDeps,
    pacer: &mut Pacer,
    prefix: &str,
) -> Result<Duration, DispatchError> {
    let store = deps.store.notify();
    let now = now_millis();
    let mut next = IDLE_WAIT;
    let mut progressed = false;
    let hold_dms = deps.rest.invalid_last_10_minutes() >= INVALID_SOFT_LIMIT;
    if hold_dms {
        tracing::warn!(
            invalid = deps.rest.invalid_last_10_minutes(),
            "many invalid Discord answers in 10 minutes: holding DMs to stay far from the ban line"
        );
        next = Duration::from_secs(5);
    }

    // Batches already fixed (a previous attempt, maybe before a crash) go first, as they
    // were: the same jobs and the same nonce.
    for batch in store.due_batches(now).await? {
        let jobs = store.batch_jobs(batch).await?;
        let Some(first) = jobs.first() else { continue };
        if hold_dms && first.kind == JobKind::Dm {
            continue;
        }
        let wait = pacer.wait_for(first.target);
        if !wait.is_zero() {
            next = next.min(wait);
            continue;
        }
        send_batch(deps, pacer, prefix, batch, &jobs).await?;
        progressed = true;
    }

    for (kind, target) in store.due_targets(now).await? {
        if hold_dms && kind == JobKind::Dm {
            continue;
        }
        let wait = pacer.wait_for(target);
        if !wait.is_zero() {
            next = next.min(wait);
            continue;
        }
        let single = matches!(kind, JobKind::Dm | JobKind::StaffEdit);
        let limit = if single { 1 } else { COALESCE_MAX };
        let pending = store.pending_jobs(kind, target, limit).await?;
        if pending.is_empty() {
            continue;
        }
        // Decide what fits in one message before fixing the batch.
        let used = if single {
            1
        } else {
            let link = deps.settings.ticket_url.as_deref();
            let locale = staff_locale(deps).await;
            compose::staff(kind, &pending, deps.settings.staff_role, link, "x", locale)
                .used
                .max(1)
        };
        if let Some(wait) = hold(pacer, target, &pending, used, now) {
            next = next.min(wait);
            continue;
        }
        let ids: Vec<i64> = pending[..used.min(pending.len())]
            .iter()
            .map(|j| j.id)
            .collect();
        let batch = store.start_batch(&ids).await?;
        let jobs = store.batch_jobs(batch).await?;
        send_batch(deps, pacer, prefix, batch, &jobs).await?;
        progressed = true;
    }
    Ok(if progressed { Duration::ZERO } else { next })
}

/// How long a staff message should wait to carry more, if it should: only when the
/// channel's window is nearly used up, less than a full message's worth waits — several
/// jobs, or a lone one while the channel is being sent to faster than a trickle — and the
/// backlog is still growing (its newest job is younger than `QUIET_MS`) and has not been
/// held `MAX_HOLD_MS` yet.
fn hold(
    pacer: &mut Pacer,
    target: Target,
    pending: &[Job],
    used: usize,
    now: i64,
) -> Option<Duration> {
    if matches!(target, Target::Dm(_)) || pacer.free_slots(target) > HOLD_AT_FREE {
        return None;
    }
    if used < pending.len() || pending.is_empty() {
        // Full: more than one message's worth waits.
        return None;
    }
    let quiet = Duration::from_millis(QUIET_MS as u64);
    if pending.len() == 1
        && pacer
            .last_sent(target)
            .is_none_or(|at| at.elapsed() >= quiet)
    {
        // A lone notice after a quiet spell: no backlog to wait for, so no delay for a
        // steady trickle.
        return None;
    }
    let (first, last) = (pending.first()?, pending.last()?);
    let quiet_in = QUIET_MS - (now - last.created_at);
    let held_in = MAX_HOLD_MS - (now - first.created_at);
    let wait = quiet_in.min(held_in);
    (wait > 0).then(|| Duration::from_millis(wait as u64))
}

/// Why a DM is no longer to be sent, if it is not.
async fn dm_obstacle(deps: &PipelineDeps, job: &Job) -> Result<Option<&'static str>, StoreError> {
    let Target::Dm(user) = job.target else {
        return Ok(None);
    };
    if job.backend != deps.backend {
        return Ok(Some("backend_changed"));
    }
    let account = job.payload.account.as_deref().unwrap_or_default();
    let opener = super::processor::verified_opener(deps, job.ticket_id, account).await?;
    if opener != Some(user) {
        return Ok(Some("not_linked"));
    }
    if deps
        .store
        .notify()
        .dm_closed_until(user, now_millis())
        .await?
        .is_some()
    {
        return Ok(Some("dms_closed"));
    }
    Ok(None)
}

async fn send_batch(
    deps: &PipelineDeps,
    pacer: &mut Pacer,
    prefix: &str,
    batch: i64,
    jobs: &[Job],
) -> Result<(), DispatchError> {
    let store = deps.store.notify();
    let Some(first) = jobs.first() else {
        return Ok(());
    };
    // Checked again now, not only when planned: an unlink stops queued DMs too.
    if let Some(reason) = dm_obstacle(deps, first).await? {
        store.finish_batch(batch, JobState::Skipped).await?;
        Metrics::inc(&deps.metrics.dm_skipped);
        deps.metrics
            .delivery(DeliveryTarget::Dm, DeliveryOutcome::Skipped);
        tracing::info!(
            user = first.target.id(),
            ticket = first.ticket_id,
            reason,
            "DM not sent"
        );
        return Ok(());
    }
    let nonce = nonce(prefix, batch);
    let kind = first.kind;
    let target = match first.target {
        Target::Dm(_) => DeliveryTarget::Dm,
        Target::Channel(_) => DeliveryTarget::Staff,
    };
    let result = match first.target {
        Target::Dm(user) => send_dm(deps, user, first, &nonce).await,
        Target::Channel(channel) if kind == JobKind::StaffEdit => {
            send_edit(deps, channel, first).await
        }
        Target::Channel(channel) => {
            let link = deps.settings.ticket_url.as_deref();
            let locale = staff_locale(deps).await;
            let role = deps.settings.staff_role;
            let body = compose::staff(kind, jobs, role, link, &nonce, locale).body;
            match deps.rest.create_message(channel, &body).await {
                Ok(sent) => {
                    if let [job] = jobs {
                        remember_notice(deps, channel, job, &sent).await;
                    }
                    Ok(())
                }
                Err(e) => Err(e),
            }
        }
    };
    // Counted when the answer is in: Discord saw the message no later than now, so the
    // window never opens early (the global rate may have delayed the send itself).
    pacer.record(first.target);
    match result {
        Ok(()) if kind == JobKind::StaffEdit => {
            // An edit is no new notification: only its delivery is counted.
            store.finish_batch(batch, JobState::Sent).await?;
            deps.metrics.delivery(target, DeliveryOutcome::Sent);
        }
        Ok(()) => {
            store.finish_batch(batch, JobState::Sent).await?;
            Metrics::inc(&deps.metrics.messages_sent);
            let counter = if kind == JobKind::Dm {
                &deps.metrics.sent_dm
            } else {
                &deps.metrics.sent_staff
            };
            Metrics::add(counter, jobs.len() as u64);
            deps.metrics.delivery(target, DeliveryOutcome::Sent);
            let now = now_millis();
            for j in jobs {
                let ms = (now - j.received_at).max(0) as u64;
                deps.metrics
                    .observe_latency(target, j.payload.topic, Duration::from_millis(ms));
            }
        }
        Err(SendError::RateLimited(d)) => {
            Metrics::inc(&deps.metrics.discord_429);
            deps.metrics.delivery(target, DeliveryOutcome::RateLimited);
            pacer.block(first.target, d);
            let at = now_millis() + d.as_millis() as i64;
            store.retry_batch_at(batch, at).await?;
        }
        Err(SendError::Transient(reason)) => {
            let attempt = u32::try_from(first.attempts)
                .unwrap_or(u32::MAX)
                .saturating_add(1);
            let backoff = super::processor::retry_delay(attempt).min(Duration::from_secs(60));
            deps.metrics.delivery(target, DeliveryOutcome::Retried);
            tracing::warn!(batch, %reason, ?backoff, "notification send failed; will retry");
            store
                .retry_batch_at(batch, now_millis() + backoff.as_millis() as i64)
                .await?;
        }
        Err(SendError::Refused { status: 404, code }) if kind == JobKind::StaffEdit => {
            // The notice was deleted (or its channel): forget it, nothing to keep in step.
            if let (Some(message), Target::Channel(channel)) = (first.payload.message, first.target)
            {
                deps.store.staff().forget_notice(channel, message).await?;
            }
            tracing::info!(
                channel = first.target.id(),
                ticket = first.ticket_id,
                code,
                "a staff notice is gone from Discord; it is no longer edited"
            );
            deps.metrics.delivery(target, DeliveryOutcome::Skipped);
            store.finish_batch(batch, JobState::Skipped).await?;
        }
        Err(SendError::Refused { status, code }) if kind == JobKind::Dm => {
            Metrics::inc(&deps.metrics.dm_failures);
            deps.metrics.delivery(target, DeliveryOutcome::Refused);
            if code == CANNOT_DM || status == 403 {
                // Closed DMs: remembered, so the next notices cost no call (each refusal
                // counts towards Discord's invalid-request ban).
                let until = now_millis()
                    + i64::try_from(deps.settings.dm_closed_for.as_millis()).unwrap_or(i64::MAX);
                store.mark_dm_closed(first.target.id(), until).await?;
            }
            tracing::warn!(
                user = first.target.id(),
                ticket = first.ticket_id,
                status,
                code,
                "DM refused by Discord"
            );
            store.finish_batch(batch, JobState::Failed).await?;
        }
        Err(SendError::Refused { status, code }) if status == 403 || status == 404 => {
            let parked = store.park_target(kind, first.target).await?;
            Metrics::add(&deps.metrics.parked, parked);
            deps.metrics.delivery(target, DeliveryOutcome::Parked);
            tracing::error!(
                channel = first.target.id(),
                status,
                code,
                parked,
                "Discord refuses this staff channel: its notifications are parked (check the \
                 channel id and the bot's permissions)"
            );
        }
        Err(SendError::Refused { status, code }) => {
            tracing::error!(
                batch,
                status,
                code,
                "Discord rejected a notification; dropped"
            );
            deps.metrics.delivery(target, DeliveryOutcome::Refused);
            store.finish_batch(batch, JobState::Failed).await?;
        }
    }
    Ok(())
}

/// The language of staff messages: `notifications.locale`; else the preferred locale of
/// the server (`discord.guild_id`, or the only one the bot has seen); else en-US.
async fn staff_locale(deps: &PipelineDeps) -> Locale {
    if let Some(l) = deps.settings.locale {
        return l;
    }
    let guilds = match deps.store.discord().guild_locales().await {
        Ok(g) => g,
        Err(e) => {
            tracing::warn!(error = %e, "could not read the servers' locales; writing en-US");
            return Locale::EN_US;
        }
    };
    let chosen = match deps.settings.staff_guild {
        Some(id) => guilds.into_iter().find(|(g, _)| *g == id),
        None if guilds.len() == 1 => guilds.into_iter().next(),
        None => None,
    };
    chosen.map_or(Locale::EN_US, |(_, l)| Locale::from_discord(&l))
}

/// Records a single-ticket notice Discord accepted, so later events of its ticket edit
/// it. A notice that cannot be recorded is only not kept in step (logged).
async fn remember_notice(deps: &PipelineDeps, channel: u64, job: &Job, sent: &serde_json::Value) {
    let Some(message) = sent["id"].as_str().and_then(|s| s.parse::<u64>().ok()) else {
        tracing::warn!(
            channel,
            ticket = job.ticket_id,
            "Discord's answer had no message id"
        );
        return;
    };
    let staff = deps.store.staff();
    if let Err(e) = staff
        .record_notice(&job.backend, job.ticket_id, channel, message)
        .await
    {
        tracing::warn!(error = %e, ticket = job.ticket_id, "could not record a staff notice");
    }
}

/// Edits a staff notice to show its ticket now, and who acted last from Discord.
async fn send_edit(deps: &PipelineDeps, channel: u64, job: &Job) -> Result<(), SendError> {
    let Some(message) = job.payload.message else {
        return Err(SendError::Refused {
            status: 400,
            code: 0,
        });
    };
    let staff = deps.store.staff();
    let acted = match staff.last_action(&job.backend, job.ticket_id, None).await {
        Ok(a) => a,
        Err(e) => return Err(SendError::Transient(e.to_string())),
    };
    let link = deps.settings.ticket_url.as_deref();
    let body = compose::edit(job, acted.as_ref(), link, staff_locale(deps).await);
    deps.rest.edit_message(channel, message, &body).await?;
    Ok(())
}

async fn send_dm(deps: &PipelineDeps, user: u64, job: &Job, nonce: &str) -> Result<(), SendError> {
    let store = deps.store.notify();
    let channel = match store.dm_channel(user).await {
        Ok(Some(c)) => c,
        Ok(None) => deps.rest.open_dm(user).await?,
        Err(e) => return Err(SendError::Transient(e.to_string())),
    };
    // The language the customer last used with the bot.
    let locale = match deps.store.discord().locale(LocaleOf::User(user)).await {
        Ok(l) => l.map_or(Locale::EN_US, |l| Locale::from_discord(&l)),
        Err(e) => return Err(SendError::Transient(e.to_string())),
    };
    let body = compose::dm(job, nonce, locale);
    deps.rest.create_message(channel, &body).await?;
    // Saved (and its use time refreshed) after a delivery, for retention.
    let _ = store.save_dm_channel(user, channel).await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_fit_discords_25_characters_and_differ_per_prefix() {
        assert_eq!(nonce("abcdefghij", 0), "abcdefghij0");
        assert_eq!(nonce("abcdefghij", 35), "abcdefghijz");
        assert_eq!(nonce("abcdefghij", 36), "abcdefghij10");
        assert!(nonce("abcdefghij", i64::MAX).len() <= 25);
        assert!(nonce("abcdefghij", i64::MIN).len() <= 25);
        assert_ne!(nonce("aaaaaaaaaa", 7), nonce("bbbbbbbbbb", 7));
    }

    fn staff_job(id: i64, created_at: i64) -> Job {
        Job {
            id,
            backend: "b".into(),
            kind: JobKind::StaffResolved,
            target: Target::Channel(1),
            ticket_id: id as u64,
            payload: crate::store::notify::Payload::default(),
            batch_id: None,
            attempts: 0,
            received_at: created_at,
            created_at,
        }
    }

    /// A pacer whose channel 1 took three messages (two slots left), the last `ago`.
    fn three_sent(ago: Duration) -> Pacer {
        let mut p = Pacer::default();
        let at = Instant::now().checked_sub(ago).unwrap();
        for _ in 0..3 {
            p.record_at(Target::Channel(1), at);
        }
        p
    }

    #[test]
    fn a_lone_notice_right_after_other_sends_waits_when_the_window_is_nearly_used() {
        let now = now_millis();
        let lone = [staff_job(1, now)];
        // Notices arriving one at a time, fast: the first of a backlog. Sending it alone
        // would spend one of the last slots on one line.
        let mut p = three_sent(Duration::from_millis(50));
        let wait = hold(&mut p, Target::Channel(1), &lone, 1, now);
        assert!(wait.is_some_and(|w| w <= Duration::from_millis(QUIET_MS as u64)));
        // After a quiet spell it is a trickle: sent at once.
        let mut p = three_sent(Duration::from_secs(1));
        assert_eq!(hold(&mut p, Target::Channel(1), &lone, 1, now), None);
        // With slots to spare, never held.
        let mut p = Pacer::default();
        assert_eq!(hold(&mut p, Target::Channel(1), &lone, 1, now), None);
        // Once the lone notice is quiet for `QUIET_MS`, it goes.
        let mut p = three_sent(Duration::from_millis(50));
        let old = [staff_job(1, now - QUIET_MS)];
        assert_eq!(hold(&mut p, Target::Channel(1), &old, 1, now), None);
    }

    #[test]
    fn a_held_backlog_goes_when_full_or_after_the_longest_hold() {
        let now = now_millis();
        let growing = [staff_job(1, now - 100), staff_job(2, now)];
        let mut p = three_sent(Duration::from_secs(1));
        assert!(hold(&mut p, Target::Channel(1), &growing, 2, now).is_some());
        // More than one message's worth: no wait.
        assert_eq!(hold(&mut p, Target::Channel(1), &growing, 1, now), None);
        // Held since its first job `MAX_HOLD_MS` ago: no longer.
        let long = [staff_job(1, now - MAX_HOLD_MS), staff_job(2, now)];
        assert_eq!(hold(&mut p, Target::Channel(1), &long, 2, now), None);
        // DMs are never held.
        assert_eq!(hold(&mut p, Target::Dm(1), &growing, 2, now), None);
    }

    #[test]
    fn the_pacer_stays_bounded_after_many_distinct_targets() {
        let mut p = Pacer::default();
        for user in 0..20_000u64 {
            p.record(Target::Dm(user));
        }
        // Everything recorded within the last 5 s may still limit: bounded by how many
        // messages fit in a window at the global rate, not by how many users there were.
        assert!(p.tracked() <= 20_000);
        // Once their window has passed, old targets are dropped on the next trim.
        for q in p.sent.values_mut() {
            for t in q.iter_mut() {
                *t = t.checked_sub(WINDOW).unwrap();
            }
        }
        p.record(Target::Dm(99_999_999));
        assert!(p.tracked() <= PACER_KEEP, "{} tracked", p.tracked());
    }
}

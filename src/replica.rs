//! Replica roles: work that must have one owner across every `paradarum-bot run` sharing a
//! database — the notification `pipeline`, command `registration`, and the `gateway` of
//! each shard group.
//!
//! On PostgreSQL a role is a session advisory lock `(LOCK_CLASS, role)` held on one
//! dedicated connection (never a pooled one: the lock lives as long as that session).
//! Free roles are tried at start, every second, and at once when another replica NOTIFYs
//! that it released some. The connection is pinged every 500 ms; when a ping fails every
//! role is given up at once and the coordinator reconnects with backoff. Each replica also
//! holds one presence lock `(PRESENCE_CLASS, slot)`, so the live replicas can be counted
//! and the gateway groups shared fairly. A role lost soon after it was taken is not tried
//! again for a while (flap damping), so a sick replica cannot burn the IDENTIFY budget.
//!
//! With SQLite there is one process: [`Roles::solo`] holds every role at once.

use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use sqlx::postgres::{PgConnectOptions, PgListener, PgPoolOptions};
use sqlx::{ConnectOptions, PgConnection};
use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::store::roles as sql;

/// The advisory-lock class of this app's roles (advisory locks are per database; the class
/// keeps them apart from any other user of the same database).
pub const LOCK_CLASS: i32 = 0x5044_4231;
/// The class of the presence locks, one per live replica.
pub const PRESENCE_CLASS: i32 = 0x5044_4232;
/// Presence slots: at most this many replicas are counted.
pub const PRESENCE_SLOTS: i32 = 64;
/// The channel a releasing replica NOTIFYs.
pub const CHANNEL: &str = "paradarum_bot_roles";

/// One piece of work with a single owner.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Pipeline,
    Registration,
    /// The gateway of one shard group (see [`ShardPlan`]).
    Gateway(u32),
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Pipeline => "pipeline",
            Role::Registration => "registration",
            Role::Gateway(_) => "gateway",
        }
    }

    fn lock_id(self) -> i32 {
        match self {
            Role::Pipeline => 0,
            Role::Registration => 1,
            Role::Gateway(g) => 16_i32.saturating_add(i32::try_from(g).unwrap_or(i32::MAX - 16)),
        }
    }
}

/// How the shards are split into groups, one gateway role each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShardPlan {
    total: u32,
    per_group: u32,
}

impl ShardPlan {
    /// `total` shards (at least 1), `per_replica` per group (unset or too big: all).
    pub fn new(total: u32, per_replica: Option<u32>) -> Self {
        let total = total.max(1);
        let per_group = per_replica.unwrap_or(total).clamp(1, total);
        Self { total, per_group }
    }

    pub fn total(self) -> u32 {
        self.total
    }

    pub fn groups(self) -> u32 {
        self.total.div_ceil(self.per_group)
    }

    /// The first and last shard (inclusive) of `group`.
    pub fn shards(self, group: u32) -> (u32, u32) {
        let first = group.saturating_mul(self.per_group).min(self.total - 1);
        let end = group
            .saturating_add(1)
            .saturating_mul(self.per_group)
            .min(self.total);
        (first, end.saturating_sub(1).max(first))
    }

    /// Every role, in the order they are tried.
    pub fn roles(self) -> Vec<Role> {
        let mut roles: Vec<Role> = (0..self.groups()).map(Role::Gateway).collect();
        roles.extend([Role::Pipeline, Role::Registration]);
        roles
    }
}

/// The coordinator's timings (tests shorten or lengthen them).
#[derive(Clone, Debug)]
pub struct Tuning {
    /// Free roles are tried this often (and at once on a NOTIFY).
    pub retry_every: Duration,
    pub ping_every: Duration,
    /// A ping (or any statement) slower than this means the connection is lost.
    pub ping_timeout: Duration,
    /// A role lost within this long of taking it counts as a flap.
    pub flap_window: Duration,
    pub flap_first: Duration,
    pub flap_max: Duration,
    pub reconnect_max: Duration,
}

impl Default for Tuning {
    fn default() -> Self {
        Self {
            retry_every: Duration::from_secs(1),
            ping_every: Duration::from_millis(500),
            ping_timeout: Duration::from_millis(1000),
            flap_window: Duration::from_secs(60),
            flap_first: Duration::from_secs(1),
            flap_max: Duration::from_secs(60),
            reconnect_max: Duration::from_secs(10),
        }
    }
}

struct Shared {
    replica: String,
    plan: ShardPlan,
    states: BTreeMap<Role, watch::Sender<bool>>,
    /// Asks the coordinator to release everything and stop; `None` when solo.
    release: Option<mpsc::Sender<oneshot::Sender<()>>>,
    /// The lock connection's backend id while connected.
    backend: watch::Sender<Option<i32>>,
}

/// The roles this replica holds: a watch per role, and a snapshot for `/readyz`.
#[derive(Clone)]
pub struct Roles(Arc<Shared>);

/// What `/readyz` shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub replica: String,
    pub pipeline: bool,
    pub registration: bool,
    /// The gateway groups held.
    pub gateway: Vec<u32>,
    pub plan: ShardPlan,
}

impl Snapshot {
    /// The `replica` and `roles` members of the `/readyz` body.
    pub fn to_json(&self) -> (serde_json::Value, serde_json::Value) {
        let state = |held: bool| if held { "held" } else { "standby" };
        let shards = match (self.gateway.first(), self.gateway.last()) {
            (Some(&a), Some(&b)) => {
                serde_json::json!([self.plan.shards(a).0, self.plan.shards(b).1])
            }
            _ => serde_json::Value::Null,
        };
        (
            serde_json::Value::String(self.replica.clone()),
            serde_json::json!({
                "pipeline": state(self.pipeline),
                "registration": state(self.registration),
                "gateway": {
                    "state": state(!self.gateway.is_empty()),
                    "shards": shards,
                    "groups": self.gateway,
                    "of": self.plan.total(),
                },
            }),
        )
    }
}

/// A name for this process in logs and `/readyz`: host, pid and a random tail.
pub fn replica_id() -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "replica".into());
    let tail: String = crate::sandbox::new_token("").chars().take(6).collect();
    format!("{host}-{}-{tail}", std::process::id())
}

impl Roles {
    fn new(
        replica: String,
        plan: ShardPlan,
        held: bool,
        release: Option<mpsc::Sender<oneshot::Sender<()>>>,
    ) -> Self {
        let states = plan
            .roles()
            .into_iter()
            .map(|r| (r, watch::channel(held).0))
            .collect();
        Self(Arc::new(Shared {
            replica,
            plan,
            states,
            release,
            backend: watch::channel(None).0,
        }))
    }

    /// The single process of an SQLite installation: every role, held at once.
    pub fn solo(replica: String, plan: ShardPlan) -> Self {
        let roles = Self::new(replica, plan, true, None);
        for role in plan.roles() {
            log_took(&roles.0.replica, plan, role, "solo");
        }
        roles
    }

    /// Starts the coordinator on the PostgreSQL database at `url`; it runs until
    /// [`Roles::release_all`] or `stop` (which also releases everything).
    pub fn start_postgres(
        url: &str,
        replica: String,
        plan: ShardPlan,
        tuning: Tuning,
        stop: CancellationToken,
    ) -> Result<(Self, JoinHandle<()>), sqlx::Error> {
        let opts = lock_options(url)?;
        let (tx, rx) = mpsc::channel(4);
        let roles = Self::new(replica, plan, false, Some(tx));
        let task = tokio::spawn(coordinate(roles.clone(), opts, tuning, rx, stop));
        Ok((roles, task))
    }

    /// Whether this is the one process of an SQLite installation.
    pub fn is_solo(&self) -> bool {
        self.0.release.is_none()
    }

    pub fn replica(&self) -> &str {
        &self.0.replica
    }

    pub fn plan(&self) -> ShardPlan {
        self.0.plan
    }

    /// Follows `role`: true while this replica holds it. A role outside the plan is never
    /// held.
    pub fn watch(&self, role: Role) -> watch::Receiver<bool> {
        match self.0.states.get(&role) {
            Some(tx) => tx.subscribe(),
            None => watch::channel(false).1,
        }
    }

    pub fn is_held(&self, role: Role) -> bool {
        self.0.states.get(&role).is_some_and(|tx| *tx.borrow())
    }

    pub fn snapshot(&self) -> Snapshot {
        let plan = self.0.plan;
        Snapshot {
            replica: self.0.replica.clone(),
            pipeline: self.is_held(Role::Pipeline),
            registration: self.is_held(Role::Registration),
            gateway: (0..plan.groups())
                .filter(|g| self.is_held(Role::Gateway(*g)))
                .collect(),
            plan,
        }
    }

    /// The lock connection's server-side backend id, while connected (PostgreSQL only).
    pub fn lock_backend(&self) -> Option<i32> {
        *self.0.backend.borrow()
    }

    /// Gives up every role (on PostgreSQL: unlocks them and NOTIFYs the standbys, which
    /// take over at once) and stops trying. Waits at most 2 s for the coordinator.
    pub async fn release_all(&self) {
        match &self.0.release {
            Some(tx) => {
                let (ack, done) = oneshot::channel();
                if tx.send(ack).await.is_ok() {
                    let _ = tokio::time::timeout(Duration::from_secs(2), done).await;
                }
                // Whatever the coordinator managed, this replica acts as the owner of nothing.
                self.set_all(false, "released");
            }
            None => self.set_all(false, "shutdown"),
        }
    }

    fn set(&self, role: Role, held: bool) {
        if let Some(tx) = self.0.states.get(&role) {
            tx.send_replace(held);
        }
    }

    fn set_all(&self, held: bool, reason: &str) {
        for (role, tx) in &self.0.states {
            if tx.send_replace(held) != held && !held {
                log_gave_up(&self.0.replica, self.0.plan, *role, reason);
            }
        }
    }
}

fn shards_field(plan: ShardPlan, role: Role) -> Option<String> {
    match role {
        Role::Gateway(g) => {
            let (a, b) = plan.shards(g);
            Some(format!("{a}..={b}/{}", plan.total()))
        }
        _ => None,
    }
}

fn log_took(replica: &str, plan: ShardPlan, role: Role, reason: &str) {
    let shards = shards_field(plan, role);
    tracing::info!(target: "replica", replica, role = role.name(), shards, reason, "took role");
}

fn log_gave_up(replica: &str, plan: ShardPlan, role: Role, reason: &str) {
    let shards = shards_field(plan, role);
    tracing::warn!(target: "replica", replica, role = role.name(), shards, reason, "gave up role");
}

/// The lock connection's options: short TCP keepalives on the server's side of the
/// session, so the server frees a dead replica's locks within seconds.
fn lock_options(url: &str) -> Result<PgConnectOptions, sqlx::Error> {
    Ok(PgConnectOptions::from_str(url)?
        .application_name("paradarum-bot roles")
        .options([
            ("tcp_keepalives_idle", "2"),
            ("tcp_keepalives_interval", "1"),
            ("tcp_keepalives_count", "2"),
            ("tcp_user_timeout", "4000"),
        ])
        // Two statements a second would drown the debug log.
        .disable_statement_logging())
}

/// Per role: how long it is not tried after a flap.
#[derive(Default)]
struct Flaps(HashMap<Role, (Duration, Instant)>);

impl Flaps {
    fn blocked(&self, role: Role, now: Instant) -> bool {
        self.0.get(&role).is_some_and(|(_, until)| now < *until)
    }

    /// Notes the loss of `role`, held since `since`.
    fn lost(&mut self, roles: &Roles, role: Role, since: Instant, tuning: &Tuning) {
        let now = Instant::now();
        if now.duration_since(since) >= tuning.flap_window {
            self.0.remove(&role);
            return;
        }
        let backoff = match self.0.get(&role) {
            Some((last, _)) => (*last * 2).min(tuning.flap_max),
            None => tuning.flap_first,
        };
        self.0.insert(role, (backoff, now + backoff));
        tracing::warn!(
            target: "replica",
            replica = roles.replica(),
            role = role.name(),
            shards = shards_field(roles.plan(), role),
            ?backoff,
            "role lost soon after it was taken; not trying it again for a while"
        );
    }
}

enum Ended {
    Stopped,
    Lost(String),
}

async fn coordinate(
    roles: Roles,
    opts: PgConnectOptions,
    tuning: Tuning,
    mut release: mpsc::Receiver<oneshot::Sender<()>>,
    stop: CancellationToken,
) {
    let mut flaps = Flaps::default();
    let first_backoff = Duration::from_millis(250);
    let mut backoff = first_backoff;
    loop {
        let connected = tokio::select! {
            c = tokio::time::timeout(tuning.ping_timeout * 3, opts.connect()) => c,
            _ = stop.cancelled() => return,
            ack = release.recv() => {
                if let Some(ack) = ack { let _ = ack.send(()); }
                return;
            }
        };
        let error = match connected {
            Ok(Ok(conn)) => {
                backoff = first_backoff;
                let mut session = Session {
                    roles: &roles,
                    conn,
                    held: BTreeMap::new(),
                    presence: None,
                    tuning: &tuning,
                };
                match session.run(&opts, &mut release, &stop, &mut flaps).await {
                    Ended::Stopped => return,
                    Ended::Lost(reason) => reason,
                }
            }
            Ok(Err(e)) => format!("cannot connect: {e}"),
            Err(_) => "cannot connect: timed out".to_string(),
        };
        roles.0.backend.send_replace(None);
        tracing::warn!(target: "replica", replica = roles.replica(), error, retry_in = ?backoff, "role lock connection down");
        tokio::select! {
            _ = tokio::time::sleep(backoff) => {}
            _ = stop.cancelled() => return,
            ack = release.recv() => {
                if let Some(ack) = ack { let _ = ack.send(()); }
                return;
            }
        }
        backoff = (backoff * 2).min(tuning.reconnect_max);
    }
}

/// One lock connection's life.
struct Session<'a> {
    roles: &'a Roles,
    conn: PgConnection,
    /// Each role held, and since when.
    held: BTreeMap<Role, Instant>,
    presence: Option<i32>,
    tuning: &'a Tuning,
}

impl Session<'_> {
    async fn run(
        &mut self,
        opts: &PgConnectOptions,
        release: &mut mpsc::Receiver<oneshot::Sender<()>>,
        stop: &CancellationToken,
        flaps: &mut Flaps,
    ) -> Ended {
        if let Ok(Ok(pid)) =
            tokio::time::timeout(self.tuning.ping_timeout, sql::backend_pid(&mut self.conn)).await
        {
            self.roles.0.backend.send_replace(Some(pid));
        }
        let mut listener = listen(opts, self.tuning.ping_timeout).await;
        let mut listener_tried = Instant::now();
        let mut retry = tokio::time::interval(self.tuning.retry_every);
        retry.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut ping = tokio::time::interval(self.tuning.ping_every);
        ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            let result = tokio::select! {
                biased;
                _ = stop.cancelled() => {
                    self.release_all().await;
                    return Ended::Stopped;
                }
                ack = release.recv() => {
                    self.release_all().await;
                    if let Some(ack) = ack { let _ = ack.send(()); }
                    return Ended::Stopped;
                }
                _ = ping.tick() => {
                    match tokio::time::timeout(self.tuning.ping_timeout, sql::ping(&mut self.conn)).await {
                        Ok(Ok(())) => Ok(()),
                        Ok(Err(e)) => Err(e.to_string()),
                        Err(_) => Err(format!("no answer to a ping within {:?}", self.tuning.ping_timeout)),
                    }
                }
                _ = retry.tick() => {
                    if listener.is_none() && listener_tried.elapsed() > Duration::from_secs(5) {
                        listener_tried = Instant::now();
                        listener = listen(opts, self.tuning.ping_timeout).await;
                    }
                    self.round(flaps).await
                }
                woken = notified(&mut listener) => {
                    if woken.is_err() {
                        // Polling still works; the listener is reopened later.
                        listener = None;
                        Ok(())
                    } else {
                        self.round(flaps).await
                    }
                }
            };
            if let Err(reason) = result {
                self.lose_all(&reason, flaps);
                return Ended::Lost(reason);
            }
        }
    }

    /// Tries the free roles once, and gives back gateway groups above a fair share.
    async fn round(&mut self, flaps: &Flaps) -> Result<(), String> {
        let budget = self.tuning.ping_timeout;
        match tokio::time::timeout(budget, self.try_round(flaps)).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err(format!("no answer within {budget:?}")),
        }
    }

    async fn try_round(&mut self, flaps: &Flaps) -> Result<(), sqlx::Error> {
        let plan = self.roles.plan();
        if self.presence.is_none() {
            for slot in 0..PRESENCE_SLOTS {
                if sql::try_lock(&mut self.conn, PRESENCE_CLASS, slot).await? {
                    self.presence = Some(slot);
                    break;
                }
            }
        }
        let live = sql::count_granted(&mut self.conn, PRESENCE_CLASS).await?;
        let live = u32::try_from(live).unwrap_or(1).max(1);
        let fair = plan.groups().div_ceil(live) as usize;
        let gateways: Vec<Role> = self
            .held
            .keys()
            .copied()
            .filter(|r| matches!(r, Role::Gateway(_)))
            .collect();
        let mut gateway_count = gateways.len();
        if gateway_count > fair {
            // Give the highest groups back so a newcomer gets its share.
            for role in gateways.into_iter().skip(fair) {
                self.roles.set(role, false);
                sql::unlock(&mut self.conn, LOCK_CLASS, role.lock_id()).await?;
                self.held.remove(&role);
                gateway_count -= 1;
                log_gave_up(self.roles.replica(), plan, role, "fair share");
            }
            sql::notify(&mut self.conn, CHANNEL, self.roles.replica()).await?;
        }
        let now = Instant::now();
        for role in plan.roles() {
            let gateway = matches!(role, Role::Gateway(_));
            if self.held.contains_key(&role)
                || flaps.blocked(role, now)
                || (gateway && gateway_count >= fair)
            {
                continue;
            }
            if sql::try_lock(&mut self.conn, LOCK_CLASS, role.lock_id()).await? {
                self.held.insert(role, Instant::now());
                if gateway {
                    gateway_count += 1;
                }
                self.roles.set(role, true);
                log_took(self.roles.replica(), plan, role, "lock free");
            }
        }
        Ok(())
    }

    /// Stops acting as the owner first, then frees the locks and wakes the standbys.
    async fn release_all(&mut self) {
        let reason = "released";
        for role in std::mem::take(&mut self.held).into_keys() {
            self.roles.set(role, false);
            log_gave_up(self.roles.replica(), self.roles.plan(), role, reason);
        }
        let budget = self.tuning.ping_timeout;
        let released = tokio::time::timeout(budget, async {
            sql::unlock_all(&mut self.conn).await?;
            sql::notify(&mut self.conn, CHANNEL, self.roles.replica()).await
        })
        .await;
        match released {
            Ok(Ok(())) => {}
            // The server frees the locks anyway when this connection closes.
            Ok(Err(e)) => {
                tracing::warn!(target: "replica", error = %e, "releasing the roles failed")
            }
            Err(_) => tracing::warn!(target: "replica", "releasing the roles timed out"),
        }
        self.roles.0.backend.send_replace(None);
    }

    /// The connection is gone, and the locks with it: stop acting as the owner at once.
    fn lose_all(&mut self, reason: &str, flaps: &mut Flaps) {
        for (role, since) in std::mem::take(&mut self.held) {
            self.roles.set(role, false);
            log_gave_up(self.roles.replica(), self.roles.plan(), role, reason);
            flaps.lost(self.roles, role, since, self.tuning);
        }
        self.presence = None;
    }
}

/// A listener on [`CHANNEL`], on a connection of its own; `None` if it cannot be had now.
async fn listen(opts: &PgConnectOptions, budget: Duration) -> Option<PgListener> {
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(budget)
        .connect_lazy_with(opts.clone());
    let opened = tokio::time::timeout(budget * 2, async {
        let mut l = PgListener::connect_with(&pool).await?;
        l.listen(CHANNEL).await?;
        Ok::<_, sqlx::Error>(l)
    })
    .await;
    match opened {
        Ok(Ok(l)) => Some(l),
        Ok(Err(e)) => {
            tracing::warn!(target: "replica", error = %e, "cannot LISTEN for role releases; polling only");
            None
        }
        Err(_) => {
            tracing::warn!(target: "replica", "LISTEN timed out; polling only");
            None
        }
    }
}

/// The next NOTIFY (never, without a listener).
async fn notified(listener: &mut Option<PgListener>) -> Result<(), sqlx::Error> {
    match listener {
        Some(l) => l.recv().await.map(|_| ()),
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests;

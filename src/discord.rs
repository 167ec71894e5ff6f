//! The Discord front end: poise 0.7 on serenity 0.12.5, gateway intent `GUILDS` only.
//!
//! Commands answer every interaction within Discord's 3 seconds, keep every ticket answer
//! ephemeral, and act with the customer's own linked token. Every handler makes its first
//! answer (a deferral, a form or a message) before any side effect (ticket API write,
//! store write, DM), and stops silently when Discord refuses it with 40060: an interaction
//! delivered to two sessions (replicas during a gateway handoff) then acts once. Buttons and modals are routed by their custom ids, so they work after a
//! restart. A watchdog exits the process when the gateway goes quiet for too long, so a
//! supervisor restarts it (serenity 0.12 can lose a shard silently).

pub mod commands;
pub mod common;
pub mod errors;
pub mod ids;
pub mod interactions;
pub mod links;
pub mod locales;
pub mod render;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use poise::serenity_prelude as serenity;
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::{watch, Semaphore};
use tokio_util::sync::CancellationToken;

use crate::client::ApiClient;
use crate::config::AttachmentSettings;
use crate::crypto::TokenCipher;
use crate::replica::{Role, Roles};
use crate::store::discord::LinkRecord;
use crate::store::Store;
pub use errors::CommandError;

pub type Context<'a> = poise::Context<'a, Data, CommandError>;
pub type Command = poise::Command<Data, CommandError>;

/// How many ticket API calls the front end makes at once; serenity spawns a task per
/// event with no back-pressure, so this is the bound.
pub const API_CONCURRENCY: usize = 64;

/// Attachment downloads at once, and bytes held between download and upload: 50 replies
/// with 10 MiB files must not take more than a few tens of MB.
pub const DOWNLOAD_CONCURRENCY: usize = 4;
pub const DOWNLOAD_BYTES_IN_FLIGHT: u64 = 32 * 1024 * 1024;

/// How long the bot waits for the API's announced extensions before using none.
const META_BUDGET: Duration = Duration::from_secs(2);

/// What the gateway watchdog and `/readyz` know about the connection.
#[derive(Debug, Default)]
pub struct GatewayState {
    connected: AtomicBool,
    /// Unix ms of the last gateway event or successful shard check.
    last_seen: AtomicI64,
    /// Interactions being handled (by id), so a shutdown can let them finish.
    in_flight: Mutex<std::collections::HashSet<u64>>,
    idle: tokio::sync::Notify,
}

impl GatewayState {
    pub fn is_connected(&self) -> bool {
        self.connected.load(Ordering::Relaxed)
    }

    pub(crate) fn seen(&self) {
        self.last_seen
            .store(crate::store::now_millis(), Ordering::Relaxed);
    }

    pub(crate) fn begin(&self, interaction: u64) {
        let mut set = self.in_flight.lock().unwrap_or_else(|p| p.into_inner());
        set.insert(interaction);
    }

    pub(crate) fn end(&self, interaction: u64) {
        let mut set = self.in_flight.lock().unwrap_or_else(|p| p.into_inner());
        if set.remove(&interaction) && set.is_empty() {
            self.idle.notify_waiters();
        }
    }

    fn busy(&self) -> bool {
        !self
            .in_flight
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_empty()
    }

    /// Returns once no interaction is being handled.
    pub async fn drained(&self) {
        loop {
            let idle = self.idle.notified();
            if !self.busy() {
                return;
            }
            // Woken by the last `end`, or looked at again (an id may never end: a
            // handler that panicked).
            let _ = tokio::time::timeout(Duration::from_millis(100), idle).await;
        }
    }
}

/// What every handler shares: cheap to clone, because each gateway client (one per shard
/// group this replica holds, started again when a group is taken again) gets its own
/// copy while cooldowns, slots and limits stay one per process.
#[derive(Clone)]
pub struct Data(Arc<FrontEnd>);

impl Data {
    pub fn new(front_end: FrontEnd) -> Self {
        Self(Arc::new(front_end))
    }
}

impl std::ops::Deref for Data {
    type Target = FrontEnd;

    fn deref(&self) -> &FrontEnd {
        &self.0
    }
}

/// Everything a command needs, shared by every handler.
pub struct FrontEnd {
    pub client: ApiClient,
    /// The identity of the ticket API in use (see `api.backend_id`).
    pub backend: String,
    pub store: Store,
    pub cipher: TokenCipher,
    /// Set on the sandbox backend: first-time users are linked to a fresh sandbox account.
    pub sandbox_admin: Option<SecretString>,
    /// The bot's integration token: only for the bot's own duties (escalation), never
    /// on a customer's behalf.
    pub integration_token: Option<SecretString>,
    /// Members holding one of these roles may escalate.
    pub moderator_roles: Vec<u64>,
    /// Members holding one of these roles may work tickets from staff notices.
    pub staff_roles: Vec<u64>,
    pub metrics: Arc<crate::metrics::Metrics>,
    pub attachments: AttachmentSettings,
    pub downloads: reqwest::Client,
    pub open_cooldown: Duration,
    /// `/ticket open` forms being shown by this process right now (user → interaction),
    /// between the cooldown check and its reservation in the database.
    pub showing_forms: Mutex<HashMap<u64, u64>>,
    pub api_slots: Semaphore,
    pub gateway: Arc<GatewayState>,
    /// `DISCORD_GUILD_ID`: the only server where `/sandbox` is registered and accepted.
    pub sandbox_guild: Option<u64>,
    pub download_limits: commands::reply::DownloadLimits,
    /// Locales already stored, so an unchanged one is not written again.
    pub seen_locales: locales::SeenLocales,
}

impl FrontEnd {
    /// Whether the ticket API announces extension `cap` (`ticket::api::capability`). An
    /// API that cannot be asked announces nothing: the bot then uses no extension.
    pub async fn announces(&self, cap: &str) -> bool {
        match tokio::time::timeout(META_BUDGET, self.client.announced()).await {
            Ok(Ok(meta)) => meta.has(cap),
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "could not read the ticket API's extensions; using none");
                false
            }
            Err(_) => {
                tracing::warn!("the ticket API's extensions did not come in time; using none");
                false
            }
        }
    }

    /// The user's own Paradarum token: opened from their link, or on the sandbox a new
    /// sandbox account linked on first use (see [`links::customer_token`]).
    pub async fn customer_token(
        &self,
        user: &serenity::User,
    ) -> Result<(SecretString, LinkRecord), CommandError> {
        Ok(links::customer_token(self, user).await?)
    }

    pub fn seal_link(
        &self,
        uid: u64,
        token: &SecretString,
        account_id: String,
        account_name: String,
    ) -> Result<LinkRecord, CommandError> {
        links::seal(&self.cipher, uid, token, account_id, account_name)
    }

    /// How long until `uid` may open another ticket, if a form or ticket of theirs other
    /// than interaction `origin` holds their slot. Writes nothing, so it can run before
    /// the form is shown; a second delivery of the same `/ticket open` is never refused
    /// (its refusal could beat the first delivery's form to Discord). A database that
    /// cannot be asked lets the user through: the cooldown is a courtesy, not a safety
    /// check (opening is idempotent per form).
    pub async fn open_cooldown_left(&self, uid: u64, origin: u64) -> Option<Duration> {
        if self.open_cooldown.is_zero() {
            return None;
        }
        let shown_here = {
            let showing = self.showing_forms.lock().unwrap_or_else(|p| p.into_inner());
            showing.get(&uid).copied()
        };
        if shown_here.is_some_and(|o| o != origin) {
            return Some(self.open_cooldown);
        }
        match self
            .store
            .discord()
            .cooldown_left(uid, origin, self.cooldown_ms())
            .await
        {
            Ok(left) => left.map(|ms| Duration::from_millis(ms.unsigned_abs())),
            Err(e) => {
                tracing::warn!(error = %e, "could not check the open cooldown; letting the user through");
                None
            }
        }
    }

    /// Marks `uid`'s form `origin` as being shown, so a second `/ticket open` arriving
    /// before [`Data::start_open_cooldown`] is refused. Process memory only, never a
    /// side effect anyone else sees: a user's interactions all arrive on their guild's
    /// shard, so on one process.
    pub fn showing_open_form(&self, uid: u64, origin: u64) {
        if self.open_cooldown.is_zero() {
            return;
        }
        let mut showing = self.showing_forms.lock().unwrap_or_else(|p| p.into_inner());
        showing.entry(uid).or_insert(origin);
    }

    /// Forgets a form that Discord refused (another session showed it).
    pub fn form_not_shown(&self, uid: u64, origin: u64) {
        let mut showing = self.showing_forms.lock().unwrap_or_else(|p| p.into_inner());
        if showing.get(&uid) == Some(&origin) {
            showing.remove(&uid);
        }
    }

    /// Reserves (or restarts) `uid`'s open slot for interaction `origin`, in the database
    /// so every replica sees it: after its form was shown, and again once its ticket was
    /// opened.
    pub async fn start_open_cooldown(&self, uid: u64, origin: u64) {
        if self.open_cooldown.is_zero() {
            return;
        }
        if let Err(e) = self
            .store
            .discord()
            .start_cooldown(uid, origin, self.cooldown_ms())
            .await
        {
            tracing::warn!(error = %e, "could not start the open cooldown");
        }
        self.form_not_shown(uid, origin);
    }

    fn cooldown_ms(&self) -> i64 {
        i64::try_from(self.open_cooldown.as_millis()).unwrap_or(i64::MAX)
    }
}

/// Every command the bot registers (`/ticket`, the message menu's "Open ticket from
/// message"); `/sandbox` only on the sandbox backend with
/// `DISCORD_GUILD_ID` set (it is then registered in that guild only).
pub fn commands(sandbox: bool) -> Vec<Command> {
    let mut cmds = vec![commands::ticket()];
    if sandbox {
        cmds.push(commands::sandbox());
    }
    cmds.push(commands::open_from_message());
    // Every language's names and descriptions (locales/*.ftl), sent at registration.
    crate::i18n::registration::apply(&mut cmds);
    cmds
}

/// The exact JSON the bot PUTs to register its commands.
pub fn registration_json(sandbox: bool) -> serde_json::Value {
    let list = commands(sandbox);
    let cmds = poise::builtins::create_application_commands(&list);
    let mut v = serde_json::to_value(cmds).unwrap_or(serde_json::Value::Null);
    commands::escalate::fix_registration(&mut v);
    // poise sends no localizations for context-menu commands.
    crate::i18n::registration::localize_context_menus(&mut v, &list);
    // serenity writes permission sets as strings; Discord's schema for this field is an
    // integer (it accepts both, but a validator would not): send the integer.
    for cmd in v.as_array_mut().into_iter().flatten() {
        if let Some(p) = cmd
            .get("default_member_permissions")
            .and_then(|p| p.as_str())
            .and_then(|p| p.parse::<u64>().ok())
        {
            cmd["default_member_permissions"] = p.into();
        }
    }
    v
}

/// What the front end needs from the rest of the process.
pub struct DiscordSetup {
    pub token: SecretString,
    pub guild_id: Option<u64>,
    pub proxy_url: Option<url::Url>,
    pub gateway_stall: Duration,
    pub data: Data,
}

#[derive(Debug, thiserror::Error)]
pub enum DiscordError {
    #[error("cannot build the Discord HTTP client: {0}")]
    Http(String),
    #[error("the Discord client failed: {0}")]
    Client(Box<serenity::Error>),
    #[error(
        "the Discord gateway has been silent for {0:?}; exiting so a supervisor restarts the bot"
    )]
    Stalled(Duration),
}

fn allowed_mentions_none() -> serenity::CreateAllowedMentions {
    serenity::CreateAllowedMentions::new()
        .empty_users()
        .empty_roles()
        .everyone(false)
        .replied_user(false)
}

/// serenity's HTTP client with timeouts (serenity builds its own without), through the
/// proxy when one is configured.
fn discord_http(setup: &DiscordSetup) -> Result<serenity::Http, DiscordError> {
    let reqwest_client = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(15))
        .build()
        .map_err(|e| DiscordError::Http(e.to_string()))?;
    let mut http = serenity::HttpBuilder::new(setup.token.expose_secret()).client(reqwest_client);
    if let Some(proxy) = &setup.proxy_url {
        // serenity honours a proxy only with its own rate limiter off (serenity #1739).
        http = http
            .proxy(proxy.as_str().trim_end_matches('/'))
            .ratelimiter_disabled(true);
    }
    Ok(http.build())
}

/// Connects to Discord and runs until `shutdown` or a fatal error: a gateway client for
/// each shard group while this replica holds its role, and command registration while
/// it holds that one.
pub async fn run(
    setup: DiscordSetup,
    roles: Roles,
    shutdown: CancellationToken,
) -> Result<(), DiscordError> {
    let setup = Arc::new(setup);
    let guild_id = setup.guild_id;
    // Never global: in every server the bot is invited to, admins could act as staff.
    let sandbox = setup.data.sandbox_admin.is_some() && guild_id.is_some();
    if setup.data.sandbox_admin.is_some() && guild_id.is_none() {
        tracing::warn!(
            "/sandbox is not registered: set DISCORD_GUILD_ID to your test server to use it"
        );
    }
    // The application id, from the first READY (registration needs it).
    let app_id = watch::channel(None).0;
    let mut parts = tokio::task::JoinSet::new();
    parts.spawn(register_while_held(
        setup.clone(),
        roles.clone(),
        sandbox,
        app_id.subscribe(),
        shutdown.clone(),
    ));
    for group in 0..roles.plan().groups() {
        parts.spawn(gateway_while_held(
            setup.clone(),
            roles.clone(),
            group,
            sandbox,
            app_id.clone(),
            shutdown.clone(),
        ));
    }
    // The first part to fail ends the front end (the others stop when the set drops).
    while let Some(ended) = parts.join_next().await {
        match ended {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(e),
            Err(e) => return Err(DiscordError::Http(format!("Discord task failed: {e}"))),
        }
    }
    Ok(())
}

/// Waits until `role` reads `held` (true) or `shutdown`; false on shutdown.
async fn until_held(role: &mut watch::Receiver<bool>, shutdown: &CancellationToken) -> bool {
    tokio::select! {
        r = role.wait_for(|h| *h) => r.is_ok(),
        _ = shutdown.cancelled() => false,
    }
}

/// Returns once `role` is no longer held (never if its coordinator is gone).
async fn until_lost(role: &mut watch::Receiver<bool>) {
    if role.wait_for(|h| !*h).await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// One shard group: while its role is held, a serenity client runs its shards; when the
/// role is lost they are shut down, and a new client starts when it is taken again.
async fn gateway_while_held(
    setup: Arc<DiscordSetup>,
    roles: Roles,
    group: u32,
    sandbox: bool,
    app_id: watch::Sender<Option<serenity::ApplicationId>>,
    shutdown: CancellationToken,
) -> Result<(), DiscordError> {
    let plan = roles.plan();
    let (first, last) = plan.shards(group);
    let mut role = roles.watch(Role::Gateway(group));
    loop {
        if !until_held(&mut role, &shutdown).await {
            return Ok(());
        }
        let http = discord_http(&setup)?;
        tokio::select! {
            _ = identify_budget(&http, last - first + 1) => {}
            _ = until_lost(&mut role) => continue,
            _ = shutdown.cancelled() => return Ok(()),
        }
        let data = setup.data.clone();
        let gateway = data.gateway.clone();
        let app_id = app_id.clone();
        let framework = poise::Framework::builder()
            .options(poise::FrameworkOptions {
                commands: commands(sandbox),
                on_error: |e| Box::pin(interactions::on_error(e)),
                event_handler: |fw, event| Box::pin(interactions::on_event(fw, event)),
                // Ended in `on_event`, which poise calls after the command ran.
                pre_command: |ctx| {
                    Box::pin(async move { ctx.data().gateway.begin(ctx.id()) })
                },
                allowed_mentions: Some(allowed_mentions_none()),
                ..Default::default()
            })
            .initialize_owners(false)
            .setup(move |_ctx, ready, _framework| {
                Box::pin(async move {
                    tracing::info!(user = %ready.user.name, guilds = ready.guilds.len(), "connected to Discord");
                    app_id.send_replace(Some(ready.application.id));
                    Ok(data)
                })
            })
            .build();
        let mut client =
            serenity::ClientBuilder::new_with_http(http, serenity::GatewayIntents::GUILDS)
                .framework(framework)
                .await
                .map_err(|e| DiscordError::Client(Box::new(e)))?;
        let shards = client.shard_manager.clone();
        let watchdog = watch_gateway(shards.clone(), gateway.clone(), setup.gateway_stall);
        tracing::info!(target: "replica", shards = %format!("{first}..={last}/{}", plan.total()), "starting the gateway");
        // serenity 0.12.5 treats the range's end as INCLUSIVE: `first..last` starts
        // shards first, …, last.
        #[allow(clippy::reversed_empty_ranges, clippy::range_plus_one)]
        let range = first..last;
        let ended = tokio::select! {
            r = client.start_shard_range(range, plan.total()) => Some(r.map_err(|e| DiscordError::Client(Box::new(e)))),
            stalled = watchdog => Some(Err(DiscordError::Stalled(stalled))),
            _ = until_lost(&mut role) => None,
            _ = shutdown.cancelled() => Some(Ok(())),
        };
        // Close the gateway politely, but never let it hold up the process.
        let _ = tokio::time::timeout(Duration::from_secs(3), shards.shutdown_all()).await;
        gateway.connected.store(false, Ordering::Relaxed);
        match ended {
            Some(result) => return result,
            None => {
                tracing::warn!(target: "replica", shards = %format!("{first}..={last}/{}", plan.total()), "gateway role lost: shards shut down")
            }
        }
    }
}

/// Waits while Discord's IDENTIFY budget (1,000 a day) cannot start `shards` sessions:
/// starting anyway would get the token reset.
async fn identify_budget(http: &serenity::Http, shards: u32) {
    match tokio::time::timeout(Duration::from_secs(10), http.get_bot_gateway()).await {
        Ok(Ok(gw)) => {
            let limit = gw.session_start_limit;
            if limit.remaining < u64::from(shards) {
                let wait = Duration::from_millis(limit.reset_after);
                tracing::error!(
                    remaining = limit.remaining,
                    total = limit.total,
                    ?wait,
                    "Discord's IDENTIFY budget is used up; waiting for it to reset before \
                     starting the gateway"
                );
                tokio::time::sleep(wait).await;
            }
        }
        Ok(Err(e)) => tracing::warn!(error = %e, "could not read the IDENTIFY budget; starting"),
        Err(_) => tracing::warn!("reading the IDENTIFY budget timed out; starting"),
    }
}

/// Registers the slash commands each time this replica takes the registration role, once
/// the application id is known (from a READY here, or asked of Discord when this replica
/// runs no gateway).
async fn register_while_held(
    setup: Arc<DiscordSetup>,
    roles: Roles,
    sandbox: bool,
    mut app_id: watch::Receiver<Option<serenity::ApplicationId>>,
    shutdown: CancellationToken,
) -> Result<(), DiscordError> {
    let mut role = roles.watch(Role::Registration);
    let guild_id = setup.guild_id;
    loop {
        if !until_held(&mut role, &shutdown).await {
            return Ok(());
        }
        let http = discord_http(&setup)?;
        let id = loop {
            if let Some(id) = *app_id.borrow_and_update() {
                break Some(id);
            }
            if roles.snapshot().gateway.is_empty() {
                let asked = tokio::time::timeout(
                    Duration::from_secs(10),
                    http.get_current_application_info(),
                );
                match asked.await {
                    Ok(Ok(info)) => break Some(info.id),
                    Ok(Err(e)) => tracing::warn!(error = %e, "could not read the application id"),
                    Err(_) => tracing::warn!("reading the application id timed out"),
                }
            }
            tokio::select! {
                _ = app_id.changed() => {}
                _ = tokio::time::sleep(Duration::from_secs(5)) => {}
                _ = until_lost(&mut role) => break None,
                _ = shutdown.cancelled() => return Ok(()),
            }
        };
        let Some(id) = id else { continue };
        http.set_application_id(id);
        let body = registration_json(sandbox);
        let registered = match guild_id {
            Some(g) => http
                .create_guild_commands(serenity::GuildId::new(g), &body)
                .await
                .map(|_| ()),
            None => http.create_global_commands(&body).await.map(|_| ()),
        };
        match registered {
            Ok(()) => tracing::info!(guild = ?guild_id, "slash commands registered"),
            Err(e) => tracing::error!(error = %e, "registering slash commands failed"),
        }
        tokio::select! {
            _ = until_lost(&mut role) => {}
            _ = shutdown.cancelled() => return Ok(()),
        }
    }
}

/// Returns (ending the bot) once no shard has been connected for `stall`.
async fn watch_gateway(
    shards: Arc<serenity::ShardManager>,
    state: Arc<GatewayState>,
    stall: Duration,
) -> Duration {
    let started = Instant::now();
    let mut last_ok = Instant::now();
    let every = (stall / 4).clamp(Duration::from_millis(200), Duration::from_secs(10));
    loop {
        tokio::time::sleep(every).await;
        let connected = {
            let runners = shards.runners.lock().await;
            !runners.is_empty()
                && runners
                    .values()
                    .all(|r| r.stage == serenity::ConnectionStage::Connected)
        };
        state.connected.store(connected, Ordering::Relaxed);
        if connected {
            state.seen();
            last_ok = Instant::now();
        } else if last_ok.elapsed() > stall && started.elapsed() > stall {
            tracing::error!(?stall, "the Discord gateway is not connected");
            return last_ok.elapsed();
        }
    }
}

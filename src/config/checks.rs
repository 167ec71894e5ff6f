//! Checks that need several keys at once, run after every key has read on its own.

use std::net::SocketAddr;

use figment::Figment;

use super::{problem, Backend, Settings, KEYS};

/// What running the bot (not the sandbox alone) needs on top of a valid configuration.
pub fn bot_problems(s: &Settings) -> Vec<String> {
    let text = "DISCORD_TOKEN is not set: the bot cannot connect to Discord. Put the bot \
                token from the Discord developer portal in .env (see .env.example)";
    s.discord
        .token
        .is_none()
        .then(|| text.to_string())
        .into_iter()
        .collect()
}

/// Checks that need several keys at once.
pub(super) fn cross_check(
    s: &Settings,
    f: &Figment,
    problems: &mut Vec<String>,
    warnings: &mut Vec<String>,
) {
    let sandbox = s.api.url == Backend::Sandbox;
    let (http, sandbox_listen) = (s.http.listen.0, s.sandbox.listen.0);
    let others = [
        ("HTTP_LISTEN", http, true),
        ("SANDBOX_LISTEN", sandbox_listen, sandbox),
    ];
    for (name, addr, _) in others.into_iter().filter(|other| other.2) {
        if let Some(m) = s.http.metrics_listen.0.filter(|&m| same_port(m, addr)) {
            problems.push(format!(
                "METRICS_LISTEN ({m}) and {name} ({addr}) would share a port: the metrics \
                 need their own (the default is 127.0.0.1:8479), or `off`"
            ));
        }
    }
    if s.sandbox.webhook_url.is_some() && s.sandbox_webhook_secret().is_none() {
        let what = "is set but there is no secret to sign with (sandbox.webhook_secret or \
                    PARADARUM_WEBHOOK_SECRET)";
        let spec = KEYS.iter().filter(|k| k.key == "sandbox.webhook_url");
        problems.extend(spec.map(|k| problem(k, f.find_metadata(k.key), what)));
    }
    if let Some(k) = s
        .discord
        .shards_per_replica
        .filter(|k| k.0 > s.discord.shards.0)
    {
        let what = format!(
            "is {} but there are only {} shards (discord.shards): at most that many",
            k.0, s.discord.shards.0
        );
        let spec = KEYS
            .iter()
            .filter(|k| k.key == "discord.shards_per_replica");
        problems.extend(spec.map(|k| problem(k, f.find_metadata(k.key), &what)));
    }
    let (no_key, no_token) = (s.bot.secret_key.is_none(), s.api.token.is_none());
    let dir = s.storage.data_dir.display();
    // (when, a problem or a warning, what to say)
    #[rustfmt::skip]
    let found: [(bool, bool, String); 6] = [
        // Port 0 picks a free port for each, so two `:0`s never collide.
        (sandbox && http == sandbox_listen && http.port() != 0, true,
         format!("HTTP_LISTEN and SANDBOX_LISTEN are both {http}: they need different ports")),
        (sandbox && no_key, false,
         format!("BOT_SECRET_KEY is not set: on the sandbox a key is generated once into {dir}")),
        (sandbox && s.discord.guild_id.is_none(), false,
         "DISCORD_GUILD_ID is not set: /sandbox (act as staff on the sandbox) is not \
          registered. It is a guild command of DISCORD_GUILD_ID only, so no other server's \
          administrators can resolve customers' tickets".into()),
        (!sandbox && no_key, true,
         "BOT_SECRET_KEY is required with the real ticket API: it encrypts the customers' \
          linked tokens (`paradarum-bot gen-key` prints one)".into()),
        (!sandbox && no_token, false,
         "PARADARUM_API_TOKEN is not set: the events feed and escalation are off".into()),
        (!sandbox && no_token && s.webhook.secret.is_none(), false,
         "neither PARADARUM_API_TOKEN nor PARADARUM_WEBHOOK_SECRET is set: notifications \
          are off".into()),
    ];
    for (_, problem, text) in found.into_iter().filter(|found| found.0) {
        let list = if problem {
            &mut *problems
        } else {
            &mut *warnings
        };
        list.push(text);
    }
    if let Some(current) = &s.bot.secret_key {
        for (i, old) in s.bot.secret_key_previous.0.iter().enumerate() {
            if old.expose() == current.expose() {
                warnings.push(format!(
                    "BOT_SECRET_KEY_PREVIOUS entry {} is BOT_SECRET_KEY itself; it can go",
                    i + 1
                ));
            }
        }
    }
    let postgres = s
        .database
        .url
        .as_ref()
        .and_then(|u| crate::store::Kind::of(&u.0))
        == Some(crate::store::Kind::Postgres);
    if postgres && sandbox {
        warnings.push(format!(
            "the embedded sandbox is single-process: with PostgreSQL and several replicas, \
             point PARADARUM_API_URL at one `paradarum-bot sandbox` process or Paradarum \
             (the sandbox's data stays in SQLite: {})",
            s.sandbox_database_url()
        ));
    }
    if !s.staff.role_ids.0.is_empty() && !sandbox && no_token {
        warnings.push(
            "STAFF_ROLE_IDS is set but PARADARUM_API_TOKEN is not: staff cannot work tickets \
             from notices (the token needs tickets:status and tickets:write)"
                .into(),
        );
    }
    if s.notifications.staff_channel_id.is_none() {
        let w = "STAFF_CHANNEL_ID is not set: staff notifications have nowhere to go";
        warnings.push(w.into());
    }
}

/// Whether two listeners would fight over one port: the same port (not 0, which picks a
/// free one) on the same address, or on a wildcard address that covers the other.
fn same_port(a: SocketAddr, b: SocketAddr) -> bool {
    a.port() == b.port()
        && a.port() != 0
        && (a.ip() == b.ip() || a.ip().is_unspecified() || b.ip().is_unspecified())
}

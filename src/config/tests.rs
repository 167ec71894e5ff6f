use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use secrecy::ExposeSecret;

use super::*;

fn load_env(pairs: &[(&str, &str)]) -> Result<Loaded, ConfigErrors> {
    load(None, &env_from(pairs))
}

#[test]
fn the_defaults_load_on_the_sandbox_with_warnings_only() {
    let loaded = load_env(&[]).unwrap();
    let s = &loaded.settings;
    assert_eq!(s.api.url, Backend::Sandbox);
    assert_eq!(s.http.listen.0, "127.0.0.1:8080".parse().unwrap());
    assert_eq!(s.sandbox.listen.0, "127.0.0.1:8787".parse().unwrap());
    assert_eq!(s.database_url(), "sqlite://data/paradarum-bot.db");
    assert_eq!(
        s.attachments.hosts.0,
        ["cdn.discordapp.com", "media.discordapp.net"]
    );
    assert!(bot_problems(s).iter().any(|w| w.contains("DISCORD_TOKEN")));
}

#[test]
fn the_public_environment_names_set_their_keys() {
    let key = SecretKey::generate_text();
    let loaded = load_env(&[
        ("DISCORD_TOKEN", "abc.def"),
        ("DISCORD_GUILD_ID", "123456789012345678"),
        ("DISCORD_PROXY_URL", "http://127.0.0.1:3000"),
        ("PARADARUM_API_URL", "https://api.paradarum.example"),
        ("PARADARUM_API_TOKEN", "int_tok"),
        (
            "PARADARUM_WEBHOOK_SECRET",
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        ),
        ("BOT_SECRET_KEY", &key),
        ("DATABASE_URL", "sqlite://other.db"),
        ("STAFF_CHANNEL_ID", "42"),
        ("MODERATOR_ROLE_IDS", "1, 2,3"),
        ("HTTP_LISTEN", "0.0.0.0:9000"),
        ("SANDBOX_LISTEN", "127.0.0.1:9001"),
        ("SANDBOX_ADMIN_TOKEN", "adm"),
        ("ATTACHMENT_HOSTS", "cdn.example.com,Files.Example.com"),
    ])
    .unwrap();
    let s = loaded.settings;
    assert_eq!(
        s.discord.token.as_ref().unwrap().get().expose_secret(),
        "abc.def"
    );
    assert_eq!(s.discord.guild_id, Some(Snowflake(123456789012345678)));
    assert_eq!(
        s.discord.proxy_url.as_ref().unwrap().0.as_str(),
        "http://127.0.0.1:3000/"
    );
    assert!(
        matches!(s.api.url, Backend::Remote(ref u) if u.host_str() == Some("api.paradarum.example"))
    );
    assert_eq!(
        s.api.token.as_ref().unwrap().get().expose_secret(),
        "int_tok"
    );
    assert!(s.webhook.secret.is_some());
    assert!(s.bot.secret_key.is_some());
    assert_eq!(s.database_url(), "sqlite://other.db");
    assert_eq!(s.notifications.staff_channel_id, Some(Snowflake(42)));
    assert_eq!(s.moderation.role_ids.0, [1, 2, 3]);
    assert_eq!(s.http.listen.0, "0.0.0.0:9000".parse().unwrap());
    assert_eq!(s.sandbox.listen.0, "127.0.0.1:9001".parse().unwrap());
    assert_eq!(
        s.sandbox
            .admin_token
            .as_ref()
            .unwrap()
            .get()
            .expose_secret(),
        "adm"
    );
    assert_eq!(
        s.attachments.hosts.0,
        ["cdn.example.com", "files.example.com"]
    );
}

#[test]
fn the_generic_prefixed_form_sets_any_key() {
    let s = load_env(&[("PARADARUM_BOT__API__REQUEST_TIMEOUT_MS", "1234")])
        .unwrap()
        .settings;
    assert_eq!(s.api.request_timeout_ms.0, Duration::from_millis(1234));
}

#[test]
fn an_unknown_name_in_the_generic_environment_form_is_a_problem() {
    let err = load_env(&[
        ("PARADARUM_BOT__DISCORD__TOKN", "x"),
        ("PARADARUM_BOT__NOPE", "1"),
        ("PARADARUM_BOT__DISCORD__GUILD_ID", "1"),
        ("PARADARUM_OTHER", "1"),
    ])
    .unwrap_err();
    assert_eq!(
        err.problems,
        [
            "env PARADARUM_BOT__DISCORD__TOKN: unknown key `discord.tokn`",
            "env PARADARUM_BOT__NOPE: unknown key `nope`",
        ],
        "{err}"
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let err = load_env(&[
        ("DISCORD_GUILD_ID", "my-server"),
        ("PARADARUM_API_URL", "ftp://x"),
        ("BOT_SECRET_KEY", "c2hvcnQ="),
        ("MODERATOR_ROLE_IDS", "1,two"),
        ("HTTP_LISTEN", "localhost"),
        ("PARADARUM_WEBHOOK_SECRET", "secret"),
        ("PARADARUM_BOT__API__MAX_RETRIES", "-1"),
    ])
    .unwrap_err();
    let text = err.to_string();
    for needle in [
        "DISCORD_GUILD_ID",
        "PARADARUM_API_URL",
        "BOT_SECRET_KEY",
        "`two`",
        "HTTP_LISTEN",
        "PARADARUM_WEBHOOK_SECRET",
        "api.max_retries",
    ] {
        assert!(text.contains(needle), "missing {needle} in:\n{text}");
    }
    assert_eq!(err.problems.len(), 7, "{text}");
}

#[test]
fn the_real_api_requires_a_secret_key() {
    let err = load_env(&[("PARADARUM_API_URL", "https://api.example")]).unwrap_err();
    assert!(err.to_string().contains("BOT_SECRET_KEY is required"));
}

#[test]
fn secrets_never_show_in_check_output_or_debug() {
    let loaded = load_env(&[
        ("DISCORD_TOKEN", "super-secret-token"),
        ("SANDBOX_ADMIN_TOKEN", "admin-secret"),
    ])
    .unwrap();
    let shown = format!("{:?}", loaded.shown);
    let debug = format!("{:?}", loaded.settings);
    for text in [shown, debug] {
        assert!(!text.contains("super-secret-token"));
        assert!(!text.contains("admin-secret"));
    }
}

#[test]
fn unknown_keys_and_bad_toml_in_a_file_are_problems() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.toml");
    std::fs::write(
        &path,
        "[discord]\ntokn = \"x\"\n[http]\nlisten = \"127.0.0.1:1\"\n",
    )
    .unwrap();
    let err = load(Some(&path), &env_from(&[])).unwrap_err();
    assert!(err.to_string().contains("unknown key `discord.tokn`"));

    std::fs::write(&path, "[discord\n").unwrap();
    let err = load(Some(&path), &env_from(&[])).unwrap_err();
    assert!(err.to_string().contains("not valid TOML"));

    let err = load(Some(&dir.path().join("missing.toml")), &env_from(&[])).unwrap_err();
    assert!(err.to_string().contains("cannot read config file"));
}

#[test]
fn a_file_overrides_defaults_and_env_overrides_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.toml");
    std::fs::write(
        &path,
        "[http]\nlisten = \"127.0.0.1:7000\"\n[sandbox]\nlisten = \"127.0.0.1:7001\"\n",
    )
    .unwrap();
    let s = load(
        Some(&path),
        &env_from(&[("SANDBOX_LISTEN", "127.0.0.1:7002")]),
    )
    .unwrap()
    .settings;
    assert_eq!(s.http.listen.0, "127.0.0.1:7000".parse().unwrap());
    assert_eq!(s.sandbox.listen.0, "127.0.0.1:7002".parse().unwrap());
}

#[test]
fn the_same_port_for_the_bot_and_the_sandbox_is_a_problem() {
    let err = load_env(&[("SANDBOX_LISTEN", "127.0.0.1:8080")]).unwrap_err();
    assert!(err.to_string().contains("need different ports"));
}

#[test]
fn metrics_have_their_own_loopback_listener_that_can_be_moved_or_turned_off() {
    let s = load_env(&[]).unwrap().settings;
    assert_eq!(
        s.http.metrics_listen.0,
        Some("127.0.0.1:8479".parse().unwrap())
    );
    for (name, value) in [
        ("METRICS_LISTEN", "0.0.0.0:9464"),
        ("PARADARUM_BOT__HTTP__METRICS_LISTEN", "0.0.0.0:9464"),
    ] {
        let s = load_env(&[(name, value)]).unwrap().settings;
        assert_eq!(
            s.http.metrics_listen.0,
            Some("0.0.0.0:9464".parse().unwrap())
        );
    }
    let s = load_env(&[("METRICS_LISTEN", "OFF")]).unwrap().settings;
    assert_eq!(s.http.metrics_listen.0, None);
    for bad in ["", "8479", "localhost:8479", "no"] {
        let e = load_env(&[("METRICS_LISTEN", bad)]).unwrap_err();
        assert!(
            e.problems.iter().any(|p| p.starts_with("METRICS_LISTEN")),
            "{bad}: {e}"
        );
    }
}

#[test]
fn metrics_on_the_port_of_another_listener_is_a_problem() {
    for env in [
        [
            ("METRICS_LISTEN", "127.0.0.1:8080"),
            ("HTTP_LISTEN", "127.0.0.1:8080"),
        ],
        [
            ("METRICS_LISTEN", "127.0.0.1:8080"),
            ("HTTP_LISTEN", "0.0.0.0:8080"),
        ],
        [
            ("METRICS_LISTEN", "0.0.0.0:7000"),
            ("SANDBOX_LISTEN", "127.0.0.1:7000"),
        ],
    ] {
        let e = load_env(&env).unwrap_err();
        assert!(
            e.to_string().contains("METRICS_LISTEN") && e.to_string().contains("share a port"),
            "{env:?}: {e}"
        );
    }
    // Other addresses, or a port picked by the system, are fine.
    for env in [
        [
            ("METRICS_LISTEN", "127.0.0.2:8080"),
            ("HTTP_LISTEN", "127.0.0.1:8080"),
        ],
        [
            ("METRICS_LISTEN", "127.0.0.1:0"),
            ("HTTP_LISTEN", "127.0.0.1:0"),
        ],
        [("METRICS_LISTEN", "off"), ("HTTP_LISTEN", "127.0.0.1:8080")],
    ] {
        assert!(load_env(&env).is_ok(), "{env:?}");
    }
    // The sandbox's port is free when the sandbox is not used.
    assert!(load_env(&[
        ("METRICS_LISTEN", "127.0.0.1:8787"),
        ("PARADARUM_API_URL", "https://api.example"),
        ("BOT_SECRET_KEY", &SecretKey::generate_text()),
    ])
    .is_ok());
}

#[test]
fn a_refused_url_is_quoted_without_its_credentials() {
    for url in ["ftp://user:hunter2@proxy", "http//user:hunter2@proxy"] {
        let e = load_env(&[("DISCORD_PROXY_URL", url), ("PARADARUM_API_URL", url)]).unwrap_err();
        let text = e.to_string();
        assert!(text.contains("DISCORD_PROXY_URL"), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
    }
}

#[test]
fn durations_read_with_units_and_nonsense_is_refused() {
    assert_eq!(
        parse_duration("30d"),
        Some(Duration::from_secs(30 * 86_400))
    );
    assert_eq!(parse_duration("24h"), Some(Duration::from_secs(86_400)));
    assert_eq!(parse_duration(" 90m "), Some(Duration::from_secs(5_400)));
    assert_eq!(parse_duration("45s"), Some(Duration::from_secs(45)));
    for bad in [
        "",
        "h",
        "24",
        "-1h",
        "1.5h",
        "24 h",
        "1w",
        "99999999999999999999d",
        "é",
    ] {
        assert_eq!(parse_duration(bad), None, "{bad}");
    }
    let e = load_env(&[("PARADARUM_BOT__NOTIFICATIONS__BACKFILL", "soon")]).unwrap_err();
    assert!(
        e.problems
            .iter()
            .any(|p| p.contains("notifications.backfill")),
        "{e}"
    );
    let ok = load_env(&[
        ("PARADARUM_BOT__NOTIFICATIONS__BACKFILL", "24h"),
        ("PARADARUM_BOT__NOTIFICATIONS__RETENTION", "7d"),
    ])
    .unwrap();
    assert_eq!(
        ok.settings.notifications.backfill.0,
        Some(Duration::from_secs(86_400))
    );
    assert_eq!(
        ok.settings.notify().retention,
        Duration::from_secs(7 * 86_400)
    );
}

#[test]
fn previous_secret_keys_are_a_list_and_a_bad_entry_is_named_by_position_only() {
    let (a, b) = (SecretKey::generate_text(), SecretKey::generate_text());
    let s = load_env(&[("BOT_SECRET_KEY_PREVIOUS", &format!(" {a} ,{b},"))])
        .unwrap()
        .settings;
    let got: Vec<[u8; 32]> = s
        .bot
        .secret_key_previous
        .0
        .iter()
        .map(|k| *k.expose())
        .collect();
    let want: Vec<[u8; 32]> = [&a, &b]
        .iter()
        .map(|t| *SecretKey::parse(t).unwrap().expose())
        .collect();
    assert_eq!(got, want);
    assert!(load_env(&[])
        .unwrap()
        .settings
        .bot
        .secret_key_previous
        .0
        .is_empty());

    // A short key and a non-base64 one: both named, neither quoted.
    let short = STANDARD.encode([7u8; 31]);
    let loaded = load_env(&[(
        "BOT_SECRET_KEY_PREVIOUS",
        &format!("{a},{short},not-base64-hunter2"),
    )]);
    let e = loaded.unwrap_err();
    let text = e.to_string();
    assert!(text.contains("BOT_SECRET_KEY_PREVIOUS"), "{text}");
    assert!(text.contains("entry 2 of 3 decodes to 31 bytes"), "{text}");
    assert!(text.contains("entry 3 of 3 is not valid"), "{text}");
    for secret in [a.as_str(), short.as_str(), "hunter2"] {
        assert!(!text.contains(secret), "{text}");
    }

    // The shown value is redacted, and the current key listed again is a warning.
    let loaded = load_env(&[
        ("BOT_SECRET_KEY", &a),
        (
            "PARADARUM_BOT__BOT__SECRET_KEY_PREVIOUS",
            &format!("{b},{a}"),
        ),
    ])
    .unwrap();
    let shown = format!("{:?}", loaded.shown);
    assert!(!shown.contains(&a) && !shown.contains(&b), "{shown}");
    assert!(
        loaded
            .warnings
            .iter()
            .any(|w| w.contains("entry 2 is BOT_SECRET_KEY itself")),
        "{:?}",
        loaded.warnings
    );
}

#[test]
fn secret_keys_must_be_32_bytes_of_base64() {
    assert!(SecretKey::parse(&SecretKey::generate_text()).is_ok());
    assert!(SecretKey::parse("not base64!").is_err());
    assert!(SecretKey::parse(&STANDARD.encode([0u8; 31])).is_err());
}

#[test]
fn an_empty_value_is_unset_and_unset_keeps_the_built_in_meaning() {
    let loaded = load_env(&[
        ("PARADARUM_BOT__NOTIFICATIONS__CUSTOMER_UPDATES", " "),
        ("PARADARUM_BOT__NOTIFICATIONS__RETENTION", ""),
        ("PARADARUM_BOT__DATABASE__SYNCHRONOUS", ""),
        ("PARADARUM_BOT__STORAGE__DATA_DIR", ""),
        ("PARADARUM_BOT__LOG__FORMAT", ""),
        ("DISCORD_GUILD_ID", ""),
    ])
    .unwrap();
    let s = &loaded.settings;
    assert!(s.notify().customer_updates);
    assert_eq!(s.notify().retention, Duration::from_secs(30 * 86_400));
    assert_eq!(s.database.synchronous.unwrap_or_default(), Durability::Full);
    assert_eq!(s.storage.data_dir, PathBuf::from("data"));
    assert_eq!(s.log.format, None);
    assert_eq!(s.discord.guild_id, None);
    // A key that must have a value says so, with where the empty one came from.
    let e = load_env(&[("PARADARUM_BOT__API__MAX_RETRIES", "")]).unwrap_err();
    assert_eq!(
        e.problems,
        [
            "PARADARUM_BOT__API__MAX_RETRIES (api.max_retries): must be set to a whole number \
          from 0 to 20 [from env PARADARUM_BOT__API__MAX_RETRIES]"
        ]
    );
}

#[test]
fn every_key_has_a_built_in_default_and_is_shown_in_order() {
    let defaults: toml::Table = DEFAULT_TOML.parse().unwrap();
    for spec in KEYS {
        let (section, name) = spec.key.split_once('.').unwrap();
        assert!(defaults[section].get(name).is_some(), "{}", spec.key);
    }
    let shown = load_env(&[]).unwrap().shown;
    let keys: Vec<&str> = shown.iter().map(|(k, _, _)| k.as_str()).collect();
    assert_eq!(keys, KEYS.iter().map(|k| k.key).collect::<Vec<_>>());
}

#[test]
fn values_of_the_wrong_type_in_a_file_are_problems_and_secrets_are_not_quoted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.toml");
    std::fs::write(
        &path,
        "[api]\ntoken = 2.5\nmax_retries = 1.5\n[discord]\nguild_id = { a = 1 }\n\
         [attachments]\nhosts = [\"a.example\", \"x/y\"]\n",
    )
    .unwrap();
    let e = load(Some(&path), &env_from(&[])).unwrap_err();
    let text = e.to_string();
    assert_eq!(e.problems.len(), 4, "{text}");
    assert!(!text.contains("2.5"), "{text}");
    assert!(
        text.contains("api.max_retries") && text.contains("discord.guild_id"),
        "{text}"
    );
    assert!(text.contains("`x/y` must be a bare host name"), "{text}");
    assert!(
        text.contains(&format!("[from {}]", path.display())),
        "{text}"
    );
}

#[test]
fn shards_default_to_one_group_and_a_group_cannot_be_bigger_than_the_shards() {
    let s = load_env(&[]).unwrap().settings;
    assert_eq!(
        (s.discord.shards.0, s.discord.shards_per_replica),
        (1, None)
    );
    let s = load_env(&[
        ("PARADARUM_BOT__DISCORD__SHARDS", "4"),
        ("PARADARUM_BOT__DISCORD__SHARDS_PER_REPLICA", "2"),
    ])
    .unwrap()
    .settings;
    assert_eq!(
        (
            s.discord.shards.0,
            s.discord.shards_per_replica.map(|k| k.0)
        ),
        (4, Some(2))
    );
    let err = load_env(&[
        ("PARADARUM_BOT__DISCORD__SHARDS", "2"),
        ("PARADARUM_BOT__DISCORD__SHARDS_PER_REPLICA", "3"),
    ])
    .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("discord.shards_per_replica") && text.contains("only 2 shards"),
        "{text}"
    );
}

#[test]
fn the_staff_language_is_a_shipped_locale_and_a_typo_is_refused() {
    let loaded = load_env(&[("PARADARUM_BOT__NOTIFICATIONS__LOCALE", "pt-BR")]).unwrap();
    assert_eq!(
        loaded.settings.notify().locale.map(|l| l.code()),
        Some("pt-BR")
    );
    let unset = load_env(&[]).unwrap();
    assert_eq!(unset.settings.notify().locale, None);
    let err = load_env(&[("PARADARUM_BOT__NOTIFICATIONS__LOCALE", "german")]).unwrap_err();
    let shown = err.to_string();
    assert!(shown.contains("notifications.locale"), "{shown}");
    assert!(
        shown.contains("german") && shown.contains("pt-BR"),
        "{shown}"
    );
}

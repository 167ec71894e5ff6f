//! Property tests of the parsers of outside input that are public: configuration (the
//! environment and files an operator writes) and what a Discord user types into command
//! options and modals. The others sit beside their code in `src/` (`mod properties`).
//! Case counts and timings: docs/robustness.md.

use std::time::Duration;

use paradarum_bot::config::{self, KEYS};
use paradarum_bot::discord::commands::reply::attachment_url_allowed;
use paradarum_bot::discord::common::parse_ticket_id;
use paradarum_bot::ticket;
use proptest::prelude::*;

/// Every environment name the configuration reads: the public ones and the generic
/// `PARADARUM_BOT__SECTION__KEY` form of every key.
fn env_names() -> Vec<String> {
    let mut names: Vec<String> = KEYS
        .iter()
        .map(|k| {
            format!(
                "{}{}",
                config::ENV_PREFIX,
                k.key.replace('.', "__").to_ascii_uppercase()
            )
        })
        .collect();
    names.extend(KEYS.iter().filter_map(|k| k.env.map(str::to_string)));
    names
}

/// Values an operator (or a typo) can put anywhere.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        "[0-9]{20,30}",
        prop::sample::select(vec![
            "",
            " ",
            "0",
            "1",
            "-1",
            "true",
            "FALSE",
            "yes",
            "off",
            "sandbox",
            "SANDBOX",
            "none",
            "full",
            "normal",
            "json",
            "pretty",
            "30d",
            "0s",
            "3651d",
            "1w",
            "24 h",
            "127.0.0.1:0",
            "[::1]:8080",
            "0.0.0.0:65535",
            "localhost:80",
            "127.0.0.1:99999",
            "http://127.0.0.1:1",
            "https://api.example/v1/",
            "ftp://x",
            "http://",
            "https://[::1",
            "sqlite://x.db",
            "sqlite:",
            "postgres://db",
            "whsec_",
            "whsec_***",
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "1,2,,3",
            "1, two",
            "a.example,b/c",
            "cdn.discordapp.com",
            "\u{0}",
            "é",
            "\u{202E}",
        ])
        .prop_map(str::to_string),
        "[a-z]{1,8}://[a-z0-9.:@\\[\\]]{0,20}(/[a-z]{0,5})?",
        any::<String>(),
    ]
}

fn env() -> impl Strategy<Value = Vec<(String, String)>> {
    let name = prop_oneof![
        8 => prop::sample::select(env_names()),
        1 => "PARADARUM_BOT__[A-Z_]{0,20}",
    ];
    prop::collection::vec((name, value()), 0..12)
}

fn load_env(pairs: &[(String, String)]) -> Result<config::Loaded, config::ConfigErrors> {
    let refs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    config::load(None, &config::env_from(&refs))
}

/// TOML text: known and unknown keys under known and unknown tables, values of every type,
/// and text that is not TOML at all.
fn toml_text() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        4 => prop::sample::select(KEYS.iter().map(|k| k.key).collect::<Vec<_>>())
            .prop_map(str::to_string),
        1 => "[a-z]{1,6}\\.[a-z_]{1,10}",
    ];
    let toml_value = prop_oneof![
        value().prop_map(|v| toml::Value::String(v).to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|f| toml::Value::Float(f).to_string()),
        any::<bool>().prop_map(|b| b.to_string()),
        Just("[1, \"2\", 3]".to_string()),
        Just("[1.5, true]".to_string()),
        Just("{ a = 1 }".to_string()),
        Just("1979-05-27T07:32:00Z".to_string()),
        Just("[]".to_string()),
    ];
    prop_oneof![
        4 => prop::collection::vec((key, toml_value), 0..10).prop_map(|entries| {
            entries
                .into_iter()
                .map(|(key, value)| {
                    let (table, name) = key.split_once('.').unwrap_or(("x", key.as_str()));
                    format!("[{table}]\n{name} = {value}\n")
                })
                .collect::<String>()
        }),
        1 => any::<String>(),
    ]
}

/// Secrets with a mark no message would contain by chance.
fn secret_env() -> impl Strategy<Value = Vec<(String, String)>> {
    let secret_names: Vec<String> = KEYS
        .iter()
        .filter(|k| k.secret)
        .flat_map(|k| {
            let generic = format!(
                "{}{}",
                config::ENV_PREFIX,
                k.key.replace('.', "__").to_ascii_uppercase()
            );
            std::iter::once(generic).chain(k.env.map(str::to_string))
        })
        .collect();
    let secret = prop_oneof![
        "SeCrEt[A-Za-z0-9]{6,20}",
        "whsec_SeCrEt[A-Za-z0-9+/]{6,20}",
        "SeCrEt[A-Za-z0-9+/]{38}=",
        "http://u:SeCrEt[a-z]{6}@h/",
    ];
    (
        prop::collection::vec((prop::sample::select(secret_names), secret), 1..4),
        env(),
    )
        .prop_map(|(secrets, mut rest)| {
            rest.extend(secrets);
            rest
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn any_environment_gives_settings_or_a_list_of_problems(pairs in env()) {
        match load_env(&pairs) {
            Ok(loaded) => {
                let _ = format!("{:?}", loaded.settings);
            }
            Err(e) => {
                prop_assert!(!e.problems.is_empty());
                prop_assert!(e.to_string().contains("configuration problem"));
            }
        }
    }

    #[test]
    fn secrets_never_reach_a_message(pairs in secret_env()) {
        let text = match load_env(&pairs) {
            Ok(l) => format!("{:?} {:?} {:?}", l.settings, l.warnings, l.shown),
            Err(e) => e.to_string(),
        };
        prop_assert!(!text.contains("SeCrEt"), "{}", text);
    }

    #[test]
    fn durations_are_read_or_refused(text in prop_oneof!["[0-9]{0,22}[smhdw]?", any::<String>()]) {
        if let Some(d) = config::parse_duration(&text) {
            prop_assert!(d <= Duration::from_secs(10 * 365 * 86_400));
        }
    }

    #[test]
    fn ticket_options_read_a_positive_number_or_are_refused(
        input in prop_oneof!["[ #]{0,3}[0-9]{0,25}[ a-z#]{0,3}", any::<String>()],
        n in 1..=u64::MAX,
    ) {
        if let Ok(id) = parse_ticket_id(&input) {
            prop_assert!(id > 0);
            prop_assert!(input.contains(&id.to_string()));
        }
        prop_assert_eq!(parse_ticket_id(&format!(" #{n} ")).ok(), Some(n));
        prop_assert_eq!(parse_ticket_id(&n.to_string()).ok(), Some(n));
    }

    #[test]
    fn attachments_are_fetched_only_over_https_from_allowed_hosts(
        url in prop_oneof![
            (
                prop::sample::select(vec!["https", "http", "HTTPS", "file", "ftp", "javascript", ""]),
                prop::sample::select(vec!["", "user@", "u:p@", "cdn.discordapp.com@", "@"]),
                prop::sample::select(vec![
                    "cdn.discordapp.com", "CDN.discordapp.com", "cdn.discordapp.com.",
                    "cdn.discordapp.com.evil.example", "evil.example", "127.0.0.1", "[::1]",
                    "0x7f.1", "2130706433", "media.discordapp.net", "xn--cdn-discordapp-com",
                    "cdn%2Ediscordapp%2Ecom", "",
                ]),
                prop::sample::select(vec!["", ":443", ":80", ":0", ":99999"]),
                "(/[a-zA-Z0-9._%?#@:-]{0,12}){0,3}",
            )
                .prop_map(|(s, u, h, p, path)| format!("{s}://{u}{h}{p}{path}")),
            any::<String>(),
        ],
    ) {
        let hosts = vec![
            "cdn.discordapp.com".to_string(),
            "media.discordapp.net".to_string(),
            "127.0.0.1".to_string(),
        ];
        if attachment_url_allowed(&url, &hosts) {
            let u = url::Url::parse(&url).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let host = u.host_str().unwrap_or_default();
            prop_assert!(hosts.iter().any(|h| h == host), "{}", url);
            prop_assert!(
                u.scheme() == "https" || (u.scheme() == "http" && host == "127.0.0.1"),
                "{}", url
            );
        }
    }

    #[test]
    fn modal_text_is_accepted_only_within_its_limits(
        text in prop_oneof!["[ \t\n\u{3000}a]{0,8}", any::<String>(), "a{195,205}"]
    ) {
        let fits = |max: usize| !text.trim().is_empty() && text.chars().count() <= max;
        prop_assert_eq!(ticket::validate_subject(&text).is_ok(), fits(ticket::SUBJECT_MAX_CHARS));
        prop_assert_eq!(ticket::validate_message(&text).is_ok(), fits(ticket::MESSAGE_MAX_CHARS));
        prop_assert_eq!(ticket::validate_reason(&text).is_ok(), fits(ticket::REASON_MAX_CHARS));
    }

    #[test]
    fn any_config_file_gives_settings_or_a_list_of_problems(text in toml_text(), pairs in env()) {
        let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let path = dir.path().join("config.toml");
        std::fs::write(&path, &text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        if let Err(e) = config::load(Some(&path), &config::env_from(&refs)) {
            prop_assert!(!e.problems.is_empty());
        }
    }
}

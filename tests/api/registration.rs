//! The command surface as registered: `paradarum-bot commands` prints the exact PUT body;
//! it must hold the six topic choices with the seed's labels and API values, nothing that
//! looks like a priority, and validate against Discord's own OpenAPI schema.

use std::process::Command;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_paradarum-bot");

/// Discord's OpenAPI 3.1 spec (MIT, vendored from discord/discord-api-spec).
const OPENAPI: &str = include_str!("../fixtures/discord-openapi.json");

/// The registration against the real API (no `/sandbox`).
fn registration() -> Value {
    registration_with(&[("PARADARUM_API_URL", "https://api.paradarum.example")])
}

fn registration_with(env: &[(&str, &str)]) -> Value {
    let mut cmd = Command::new(BIN);
    cmd.arg("commands").env_clear();
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A validator for one schema of the spec, with its `$ref`s resolved against the spec.
pub fn validator_for(schema_ref: &str) -> jsonschema::Validator {
    let mut doc: Value = serde_json::from_str(OPENAPI).unwrap();
    let obj = doc.as_object_mut().unwrap();
    obj.insert(
        "$schema".into(),
        "https://json-schema.org/draft/2020-12/schema".into(),
    );
    obj.insert("$ref".into(), schema_ref.into());
    jsonschema::validator_for(&doc).unwrap()
}

fn subcommand<'a>(reg: &'a Value, name: &str) -> &'a Value {
    reg[0]["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == name)
        .unwrap_or_else(|| panic!("no subcommand {name}"))
}

fn all_options(v: &Value, out: &mut Vec<Value>) {
    if let Some(opts) = v["options"].as_array() {
        for o in opts {
            out.push(o.clone());
            all_options(o, out);
        }
    }
}

#[test]
fn there_is_one_ticket_command_with_its_subcommands_and_one_message_command() {
    let reg = registration();
    let cmds = reg.as_array().unwrap();
    assert_eq!(cmds.len(), 2);
    assert_eq!(cmds[1]["name"], "Open ticket from message");
    assert_eq!(cmds[1]["type"], 3, "a message context-menu command");
    assert_eq!(cmds[0]["name"], "ticket");
    let names: Vec<&str> = cmds[0]["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            assert_eq!(o["type"], 1, "{o}");
            o["name"].as_str().unwrap()
        })
        .collect();
    assert_eq!(
        names,
        ["open", "status", "list", "reply", "close", "link", "unlink", "escalate", "panel"]
    );
}

#[test]
fn open_has_a_required_topic_with_exactly_the_six_panel_labels_and_api_values() {
    let reg = registration();
    let open = subcommand(&reg, "open");
    let topic = &open["options"][0];
    assert_eq!(topic["name"], "topic");
    assert_eq!(topic["required"], true);
    assert_eq!(topic["type"], 4, "an INTEGER option carrying the API value");
    let choices: Vec<(String, i64)> = topic["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_string(),
                c["value"].as_i64().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("General", 0),
        ("Networking", 1),
        ("Rules", 2),
        ("Billing", 3),
        ("SSL / Certificates", 4),
        ("Performance", 5),
    ];
    let expected: Vec<(String, i64)> = expected.iter().map(|(n, v)| (n.to_string(), *v)).collect();
    assert_eq!(choices, expected);
}

#[test]
fn no_option_anywhere_looks_like_a_priority() {
    let reg = registration();
    let mut opts = Vec::new();
    all_options(&reg[0], &mut opts);
    assert!(opts.len() > 8);
    for o in &opts {
        let text = format!("{} {}", o["name"], o["description"]).to_lowercase();
        for word in [
            "priority",
            "urgency",
            "urgent",
            "severity",
            "importance",
            "important",
        ] {
            assert!(!text.contains(word), "{word} in {o}");
        }
        for c in o["choices"].as_array().into_iter().flatten() {
            let name = c["name"].as_str().unwrap().to_lowercase();
            for word in ["low", "normal", "high", "urgent", "critical"] {
                assert_ne!(name, word, "a priority-like choice in {o}");
            }
        }
    }
}

#[test]
fn every_name_and_description_follows_discords_rules() {
    let reg = registration();
    let mut opts = Vec::new();
    all_options(&reg[0], &mut opts);
    opts.push(reg[0].clone());
    let name_ok = |n: &str| {
        (1..=32).contains(&n.chars().count())
            && n.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    };
    for o in &opts {
        let name = o["name"].as_str().unwrap();
        assert!(name_ok(name), "bad name {name}");
        let d = o["description"].as_str().unwrap();
        assert!(
            (1..=100).contains(&d.chars().count()),
            "bad description on {name}"
        );
        assert!(o["choices"].as_array().map_or(0, Vec::len) <= 25);
    }
    // Context-menu names may hold capitals and spaces, 1 to 32 characters, and carry
    // no description.
    let menu = &reg[1];
    let name = menu["name"].as_str().unwrap();
    assert!((1..=32).contains(&name.chars().count()), "{name}");
    assert!(
        menu["description"].as_str().unwrap_or_default().is_empty(),
        "{menu}"
    );
    assert!(menu
        .get("options")
        .is_none_or(|o| o.as_array().is_some_and(Vec::is_empty)));
}

#[test]
fn on_the_sandbox_an_admin_only_sandbox_command_is_added() {
    let reg = registration_with(&[]);
    let names: Vec<&str> = reg
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["ticket", "sandbox", "Open ticket from message"]);
    let sandbox = &reg[1];
    assert_eq!(
        sandbox["default_member_permissions"], 8,
        "administrators only"
    );
    let subs: Vec<&str> = sandbox["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(subs, ["progress", "resolve"]);
    let v = validator_for("#/components/schemas/ApplicationCommandUpdateRequest");
    for cmd in reg.as_array().unwrap() {
        let errors: Vec<String> = v.iter_errors(cmd).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
}

#[test]
fn the_registration_body_validates_against_discords_openapi_schema() {
    let reg = registration();
    // The PUT body of /applications/{id}/guilds/{guild}/commands: a list of these.
    let v = validator_for("#/components/schemas/ApplicationCommandUpdateRequest");
    for cmd in reg.as_array().unwrap() {
        let errors: Vec<String> = v
            .iter_errors(cmd)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
    // And the validator is not a pushover: a too-long name, a 101-character nested
    // description and a 26th choice each fail.
    let mut bad = reg[0].clone();
    bad["name"] = "x".repeat(33).into();
    assert!(!v.is_valid(&bad));
    let mut bad = reg[0].clone();
    bad["options"][0]["options"][0]["description"] = "d".repeat(101).into();
    assert!(!v.is_valid(&bad));
    let mut bad = reg[0].clone();
    let choices = bad["options"][0]["options"][0]["choices"]
        .as_array_mut()
        .unwrap();
    while choices.len() < 26 {
        choices.push(serde_json::json!({"name": "Extra", "value": 9}));
    }
    assert!(!v.is_valid(&bad));
}

#[test]
fn escalate_offers_exactly_billing_and_ssl_with_their_api_values() {
    let reg = registration();
    let esc = subcommand(&reg, "escalate");
    let to = esc["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "to")
        .unwrap();
    assert_eq!(to["required"], true);
    let choices: Vec<(Value, Value)> = to["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].clone(), c["value"].clone()))
        .collect();
    assert_eq!(
        choices,
        [
            ("Billing".into(), 3.into()),
            ("SSL / Certificates".into(), 4.into())
        ]
    );
    // The same names as the topics everywhere else, in every language.
    assert_eq!(
        to["choices"][1]["name_localizations"]["de"],
        "SSL / Zertifikate"
    );
    assert_eq!(to["choices"][0]["name_localizations"]["pt-BR"], "Cobrança");
    let reason = esc["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "reason")
        .unwrap();
    assert_eq!(
        (reason["min_length"].as_u64(), reason["max_length"].as_u64()),
        (Some(1), Some(500))
    );
}

/// Every language shipped in `locales/`, but en-US (the default names).
fn shipped_translations() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/locales");
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let p = e.ok()?.path();
            (p.extension()? == "ftl").then(|| p.file_stem()?.to_str().map(String::from))?
        })
        .filter(|l| l != "en-US")
        .collect();
    out.sort();
    out
}

/// Discord's rule for chat-input names, per locale:
/// `^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$`, and lowercase where the script has case.
fn chat_input_name_ok(name: &str) -> bool {
    let n = name.chars().count();
    (1..=32).contains(&n)
        && name
            .chars()
            .all(|c| c.is_alphabetic() || c.is_numeric() || matches!(c, '-' | '_' | '\''))
        && name.to_lowercase() == name
}

fn localized<'a>(v: &'a Value, field: &str, locale: &str) -> Option<&'a str> {
    v[field][locale].as_str()
}

/// Checks `v` (a command or option) and everything under it in `locale`.
fn check_localized(v: &Value, locale: &str, problems: &mut Vec<String>) {
    let name = v["name"].as_str().unwrap_or_default();
    match localized(v, "name_localizations", locale) {
        Some(n) if chat_input_name_ok(n) => {}
        Some(n) => problems.push(format!("{locale}: {name} → {n:?} breaks the name rules")),
        None => problems.push(format!("{locale}: {name} has no localized name")),
    }
    match localized(v, "description_localizations", locale) {
        Some(d) if (1..=100).contains(&d.chars().count()) => {}
        Some(d) => problems.push(format!("{locale}: {name}'s description is too long: {d:?}")),
        None => problems.push(format!("{locale}: {name} has no localized description")),
    }
    for c in v["choices"].as_array().into_iter().flatten() {
        match localized(c, "name_localizations", locale) {
            Some(n) if (1..=100).contains(&n.chars().count()) => {}
            other => problems.push(format!(
                "{locale}: choice {} of {name}: {other:?}",
                c["name"]
            )),
        }
    }
    let options = v["options"].as_array().cloned().unwrap_or_default();
    let mut seen = std::collections::HashSet::new();
    for o in &options {
        if let Some(n) = localized(o, "name_localizations", locale) {
            if !seen.insert(n.to_string()) {
                problems.push(format!("{locale}: two options of {name} are named {n:?}"));
            }
        }
        check_localized(o, locale, problems);
    }
}

#[test]
fn every_shipped_language_names_and_describes_every_command_option_and_choice() {
    let locales = shipped_translations();
    assert!(locales.len() >= 5, "{locales:?}");
    for reg in [
        registration(),
        // On the sandbox: with `/sandbox`.
        registration_with(&[]),
    ] {
        let mut problems = Vec::new();
        for cmd in reg.as_array().unwrap() {
            for locale in &locales {
                match cmd["type"].as_u64() {
                    // Context-menu commands: a name of 1–32 characters (case and spaces
                    // allowed), no description.
                    Some(2 | 3) => match localized(cmd, "name_localizations", locale) {
                        Some(n) if (1..=32).contains(&n.chars().count()) => {}
                        other => {
                            problems.push(format!("{locale}: menu {}: {other:?}", cmd["name"]))
                        }
                    },
                    _ => check_localized(cmd, locale, &mut problems),
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
    // What a German user sees, spot-checked.
    let reg = registration();
    assert_eq!(reg[0]["name_localizations"]["pt-BR"], "chamado");
    let open = subcommand(&reg, "open");
    assert_eq!(open["name_localizations"]["de"], "öffnen");
    assert_eq!(
        open["options"][0]["choices"][4]["name_localizations"]["de"],
        "SSL / Zertifikate"
    );
    assert_eq!(open["options"][0]["choices"][4]["value"], 4);
}

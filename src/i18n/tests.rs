//! The language files are complete and consistent: these tests fail the build when a key
//! is missing in a shipped language, a language has a key English lacks, a placeable of
//! English is unused in a translation (or a translation uses one English does not have),
//! or the code asks for a key no file has.

use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast;

use super::*;

/// Every entry (`id` or `id.attr`; terms as `-id`) → the variables and messages it uses.
#[derive(Debug, Default, PartialEq)]
struct Uses {
    vars: BTreeSet<String>,
    refs: BTreeSet<String>,
}

fn entries(code: &str, source: &str) -> BTreeMap<String, Uses> {
    let resource = match fluent_syntax::parser::parse(source) {
        Ok(r) => r,
        Err((_, errors)) => panic!("locales/{code}.ftl does not parse: {errors:?}"),
    };
    let mut out = BTreeMap::new();
    for entry in resource.body {
        let (id, value, attributes) = match entry {
            ast::Entry::Message(m) => (m.id.name.to_string(), m.value, m.attributes),
            ast::Entry::Term(t) => (format!("-{}", t.id.name), Some(t.value), t.attributes),
            ast::Entry::Junk { content } => panic!("locales/{code}.ftl: junk {content:?}"),
            _ => continue,
        };
        if let Some(v) = value {
            let prev = out.insert(id.clone(), uses(&v));
            assert!(prev.is_none(), "locales/{code}.ftl: {id} twice");
        }
        for a in attributes {
            let key = format!("{id}.{}", a.id.name);
            let prev = out.insert(key.clone(), uses(&a.value));
            assert!(prev.is_none(), "locales/{code}.ftl: {key} twice");
        }
    }
    out
}

fn uses(p: &ast::Pattern<&str>) -> Uses {
    let mut u = Uses::default();
    pattern(p, &mut u);
    u
}

fn pattern(p: &ast::Pattern<&str>, u: &mut Uses) {
    for e in &p.elements {
        if let ast::PatternElement::Placeable { expression } = e {
            expr(expression, u);
        }
    }
}

fn expr(e: &ast::Expression<&str>, u: &mut Uses) {
    match e {
        ast::Expression::Select { selector, variants } => {
            inline(selector, u);
            for v in variants {
                pattern(&v.value, u);
            }
        }
        ast::Expression::Inline(i) => inline(i, u),
    }
}

fn inline(i: &ast::InlineExpression<&str>, u: &mut Uses) {
    match i {
        ast::InlineExpression::VariableReference { id } => {
            u.vars.insert(id.name.to_string());
        }
        ast::InlineExpression::MessageReference { id, attribute } => {
            let key = match attribute {
                Some(a) => format!("{}.{}", id.name, a.name),
                None => id.name.to_string(),
            };
            u.refs.insert(key);
        }
        ast::InlineExpression::TermReference { id, arguments, .. } => {
            u.refs.insert(format!("-{}", id.name));
            if let Some(args) = arguments {
                call(args, u);
            }
        }
        ast::InlineExpression::FunctionReference { arguments, .. } => call(arguments, u),
        ast::InlineExpression::Placeable { expression } => expr(expression, u),
        ast::InlineExpression::StringLiteral { .. }
        | ast::InlineExpression::NumberLiteral { .. } => {}
    }
}

fn call(args: &ast::CallArguments<&str>, u: &mut Uses) {
    for a in &args.positional {
        inline(a, u);
    }
    for a in &args.named {
        inline(&a.value, u);
    }
}

fn all() -> BTreeMap<&'static str, BTreeMap<String, Uses>> {
    SOURCES.iter().map(|(c, s)| (*c, entries(c, s))).collect()
}

#[test]
fn every_shipped_language_has_exactly_the_english_keys_and_placeables() {
    let all = all();
    let en = &all[DEFAULT_LOCALE];
    assert!(all.len() >= 6, "six languages ship: {:?}", all.keys());
    let mut problems = Vec::new();
    for (code, file) in &all {
        for key in en.keys().filter(|k| !file.contains_key(*k)) {
            problems.push(format!("{code}: {key} is missing"));
        }
        for (key, u) in file {
            let Some(e) = en.get(key) else {
                problems.push(format!("{code}: {key} is not in en-US"));
                continue;
            };
            for v in e.vars.difference(&u.vars) {
                problems.push(format!("{code}: {key} does not use ${v}"));
            }
            for v in u.vars.difference(&e.vars) {
                problems.push(format!(
                    "{code}: {key} uses ${v}, which en-US does not give"
                ));
            }
            for r in u.refs.iter().filter(|r| !file.contains_key(*r)) {
                problems.push(format!("{code}: {key} refers to {r}, which does not exist"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_file_is_named_by_a_discord_locale() {
    const DISCORD: &[&str] = &[
        "id", "da", "de", "en-GB", "en-US", "es-ES", "es-419", "fr", "hr", "it", "lt", "hu", "nl",
        "no", "pl", "pt-BR", "ro", "fi", "sv-SE", "vi", "tr", "cs", "el", "bg", "ru", "uk", "hi",
        "th", "zh-CN", "ja", "zh-TW", "ko",
    ];
    for (code, _) in SOURCES {
        assert!(
            DISCORD.contains(code),
            "locales/{code}.ftl: not a Discord locale"
        );
    }
    for code in ["en-US", "de", "fr", "es-ES", "pt-BR", "pl"] {
        assert!(Locale::exact(code).is_some(), "{code} ships");
    }
}

/// Every `text!("…")` / `tr!(…, "…")` key in the source exists in en-US.
#[test]
fn every_key_the_code_asks_for_exists() {
    let en = &all()[DEFAULT_LOCALE];
    let mut missing = Vec::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut dirs = vec![root];
    let mut files = 0;
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            // This file's own examples are not requests.
            if path.extension().is_none_or(|e| e != "rs") || path.ends_with("i18n/tests.rs") {
                continue;
            }
            files += 1;
            let source = std::fs::read_to_string(&path).unwrap();
            for key in keys_in(&source) {
                if !en.contains_key(&key) {
                    missing.push(format!("{}: {key}", path.display()));
                }
            }
        }
    }
    assert!(files > 20);
    assert!(
        missing.is_empty(),
        "keys not in en-US:\n{}",
        missing.join("\n")
    );
}

/// The key literal of each `text!("…")`, `Text::new("…")` and `tr!(locale, "…")`.
fn keys_in(source: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for marker in ["text!(", "tr!(", "Text::new("] {
        for (at, _) in source.match_indices(marker) {
            let line_start = source[..at].rfind('\n').map_or(0, |i| i + 1);
            if source[line_start..at].trim_start().starts_with("//") {
                continue;
            }
            let mut rest = &source[at + marker.len()..];
            if marker == "tr!(" {
                // Past the locale argument.
                let Some(comma) = rest.find(',') else {
                    continue;
                };
                rest = &rest[comma + 1..];
            }
            let Some(body) = rest.trim_start().strip_prefix('"') else {
                continue;
            };
            let Some(close) = body.find('"') else {
                continue;
            };
            keys.push(body[..close].to_string());
        }
    }
    keys
}

#[test]
fn english_topic_and_status_names_are_the_seeds_labels_exactly() {
    for t in Topic::ALL {
        assert_eq!(topic(t).render(Locale::EN_US), t.label());
        assert_eq!(topic_hint(t).render(Locale::EN_US), t.hint());
    }
    assert_eq!(
        topic(Topic::Ssl).render(Locale::EN_US),
        "SSL / Certificates"
    );
    for s in Status::ALL {
        assert_eq!(status(s).render(Locale::EN_US), s.label());
        assert_eq!(status_meaning(s).render(Locale::EN_US), s.meaning());
    }
    assert_eq!(
        topic(Topic::Unknown(9)).render(Locale::EN_US),
        Topic::Unknown(9).label()
    );
    assert_eq!(
        status(Status::Unknown(9)).render(Locale::EN_US),
        Status::Unknown(9).label()
    );
}

#[test]
fn every_language_names_each_topic_and_status_once_and_differently() {
    for l in Locale::shipped() {
        let names: BTreeSet<String> = Topic::ALL.into_iter().map(|t| topic(t).render(l)).collect();
        assert_eq!(names.len(), 6, "{l}: {names:?}");
        let names: BTreeSet<String> = Status::ALL
            .into_iter()
            .map(|s| status(s).render(l))
            .collect();
        assert_eq!(names.len(), 4, "{l}: {names:?}");
    }
}

#[test]
fn discord_locales_find_the_closest_shipped_language() {
    let code = |s: &str| Locale::from_discord(s).code();
    assert_eq!(code("de"), "de");
    assert_eq!(code("pt-BR"), "pt-BR");
    assert_eq!(code("PT-br"), "pt-BR");
    assert_eq!(code("en-GB"), "en-US");
    assert_eq!(code("es-419"), "es-ES");
    assert_eq!(code("ja"), "en-US");
    assert_eq!(code(""), "en-US");
    assert_eq!(code("not a locale at all ✨"), "en-US");
    assert!(Locale::exact("klingon").is_none());
}

#[test]
fn a_key_missing_in_a_language_falls_back_to_english_and_an_unknown_key_to_itself() {
    let catalog = Catalog::from_sources(&[
        ("de", "hello = Hallo { $name }\n"),
        ("en-US", "hello = Hello { $name }\nbye = Bye { $name }\n"),
    ]);
    let de = Locale("de");
    let args = [("name", Arg::from("Ana"))];
    assert_eq!(catalog.tr(de, "hello", &args), "Hallo Ana");
    assert_eq!(catalog.tr(de, "bye", &args), "Bye Ana");
    assert_eq!(catalog.tr(de, "nothing-here", &args), "nothing-here");
}

#[test]
fn placeables_carry_no_isolation_marks_and_numbers_keep_their_digits() {
    let catalog = Catalog::from_sources(&[("en-US", "n = #{ $id } { $big }\n")]);
    let out = catalog.tr(
        Locale::EN_US,
        "n",
        &[("id", Arg::from(1234567_u64)), ("big", Arg::from(u64::MAX))],
    );
    assert_eq!(out, format!("#1234567 {}", u64::MAX));
}

#[test]
fn a_text_renders_in_the_readers_language_with_nested_texts() {
    let t = text!(
        "dm-moved-title",
        topic = topic(Topic::Ssl),
        ticket_id = 7_u64
    );
    let en = t.render(Locale::EN_US);
    assert!(en.contains("SSL / Certificates"), "{en}");
    assert!(en.contains('7'), "{en}");
    let de = t.render(Locale::from_discord("de"));
    assert_ne!(de, en);
    assert!(
        de.contains(&topic(Topic::Ssl).render(Locale::from_discord("de"))),
        "{de}"
    );
    assert_eq!(
        Text::verbatim("as is").render(Locale::from_discord("pl")),
        "as is"
    );
}

/// Discord cuts nothing for us: form titles and labels fit 45 characters, placeholders and
/// autocomplete hints 100, button labels 80, in every language, with the longest values.
#[test]
fn forms_buttons_and_hints_fit_discords_limits_in_every_language() {
    let longest_topic = Topic::ALL
        .into_iter()
        .map(topic)
        .max_by_key(|t| Locale::shipped().map(|l| t.render(l).chars().count()).max())
        .unwrap();
    let id = Arg::from(9_999_999_u64);
    /// (most characters, key, arguments)
    type Case<'a> = (usize, &'a str, Vec<(&'a str, Arg)>);
    let cases: Vec<Case> = vec![
        (
            45,
            "open-form-title",
            vec![("topic", Arg::from(longest_topic.clone()))],
        ),
        (45, "open-form-subject", vec![]),
        (45, "open-form-description", vec![]),
        (45, "link-form-title", vec![]),
        (45, "link-form-token", vec![]),
        (45, "reply-form-title", vec![("ticket_id", id.clone())]),
        (
            45,
            "reply-form-title-reopens",
            vec![("ticket_id", id.clone())],
        ),
        (45, "reply-form-message", vec![]),
        (100, "open-form-subject-placeholder", vec![]),
        (100, "link-form-placeholder", vec![]),
        (100, "reply-form-placeholder", vec![]),
        (100, "reply-form-placeholder-reopens", vec![]),
        (100, "link-unreadable-hint", vec![]),
        (100, "link-unreadable-hint-sandbox", vec![]),
        (100, "link-not-linked-hint", vec![]),
        (80, "button-try-again", vec![]),
        (80, "close-button-confirm", vec![]),
        (80, "close-button-keep", vec![]),
        (80, "list-first-page", vec![]),
        (80, "list-next-page", vec![]),
        (80, "dm-button-reply", vec![]),
        (80, "dm-button-close", vec![]),
    ];
    let mut problems = Vec::new();
    for l in Locale::shipped() {
        for (max, key, args) in &cases {
            let shown = tr(l, key, args);
            if shown.chars().count() > *max {
                problems.push(format!("{l}: {key} is over {max}: {shown:?}"));
            }
        }
        for t in Topic::ALL {
            let hint = topic_hint(t).render(l);
            if hint.chars().count() > 100 {
                problems.push(format!("{l}: the hint of {t:?} is over 100: {hint:?}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

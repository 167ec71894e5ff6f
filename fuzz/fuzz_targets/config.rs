//! Configuration: a TOML file and the environment. Any content gives settings or a list
//! of problems.
//!
//! Input: the file's text, a NUL, then `NAME=value` lines of environment (without a NUL,
//! all of it is environment and there is no file).
#![no_main]

use libfuzzer_sys::fuzz_target;
use paradarum_bot::config::{self, SecretKey};
use paradarum_bot::signing::WebhookSecret;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (file, env) = text.split_once('\0').unwrap_or(("", text));
    let pairs: Vec<(&str, &str)> = env.lines().filter_map(|l| l.split_once('=')).collect();
    let path = (!file.is_empty()).then(|| {
        let p = std::env::temp_dir().join(format!("paradarum-fuzz-{}.toml", std::process::id()));
        std::fs::write(&p, file).expect("the temporary file can be written");
        p
    });
    match config::load(path.as_deref(), &config::env_from(&pairs)) {
        Ok(loaded) => {
            let _ = format!("{:?} {:?}", loaded.settings, loaded.shown);
        }
        Err(e) => assert!(!e.problems.is_empty()),
    }
    // The value parsers alone, on every value.
    for (_, value) in &pairs {
        if let Some(d) = config::parse_duration(value) {
            assert!(d.as_secs() <= 10 * 365 * 86_400);
        }
        let _ = WebhookSecret::parse(value);
        let _ = SecretKey::parse(value);
    }
});

//! The addresses a bot started on port 0 bound, read back from its log. Plain functions
//! of text: tests/api includes this file too, for the binary it starts by itself.

/// The listeners the bot logged as bound (`listener=… addr=…`, one line each): name and port.
pub fn bound_ports(log: &str) -> Vec<(String, u16)> {
    let field = |line: &str, name: &str| -> Option<String> {
        let at = line.find(&format!(" {name}="))?;
        let rest = &line[at + name.len() + 2..];
        let value = rest.split_whitespace().next()?;
        Some(value.trim_matches('"').to_string())
    };
    log.lines()
        .map(strip_ansi)
        .filter_map(|line| {
            let listener = field(&line, "listener")?;
            let addr: std::net::SocketAddr = field(&line, "addr")?.parse().ok()?;
            Some((listener, addr.port()))
        })
        .collect()
}

/// The line without terminal colour codes (`ESC [ … m`), which the text log may carry.
fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn bound_ports_are_read_from_plain_and_coloured_lines_and_others_are_skipped() {
    let log = "2026-11-27T12:00:00Z  INFO paradarum_bot::app: health endpoints at \
               http://127.0.0.1:40001/healthz and /readyz listener=\"http\" addr=127.0.0.1:40001\n\
               \u{1b}[2m2026\u{1b}[0m \u{1b}[33m WARN\u{1b}[0m ticket API: the EMBEDDED SANDBOX \
               \u{1b}[3mlistener\u{1b}[0m\u{1b}[2m=\u{1b}[0m\"sandbox\" \
               \u{1b}[3maddr\u{1b}[0m\u{1b}[2m=\u{1b}[0m127.0.0.1:40002\n\
               INFO metrics are off (METRICS_LISTEN=off)\n\
               INFO listener=\"metrics\" addr=not-an-address\n";
    assert_eq!(
        bound_ports(log),
        [("http".to_string(), 40001), ("sandbox".to_string(), 40002)]
    );
}

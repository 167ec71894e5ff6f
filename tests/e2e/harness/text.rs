//! What a message shows, as a user reads it: its text, its buttons, the tickets it names.

use serde_json::Value;

/// The ticket number in a card or message ("Ticket #12 …").
pub fn ticket_id_in(text: &str) -> Option<u64> {
    // The first `#123`, in any language ("Ticket #12", "Chamado #12", "Zgłoszenie #12").
    text.split('#')
        .skip(1)
        .find_map(|s| s.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok())
}

/// Ticket ids a staff notification announces: a coalesced list (`#12`) or one card.
pub fn announced_ids(msg: &Value) -> Vec<u64> {
    let text = text_of(msg);
    let ids: Vec<u64> = text
        .split("`#")
        .skip(1)
        .filter_map(|p| p.split('`').next().and_then(|d| d.parse().ok()))
        .collect();
    if ids.is_empty() {
        ticket_id_in(&text).into_iter().collect()
    } else {
        ids
    }
}

/// All text a message shows: content, embed titles, descriptions, fields, footers.
pub fn text_of(msg: &Value) -> String {
    let mut out = msg["content"].as_str().unwrap_or_default().to_string();
    let embeds = msg["embeds"]
        .as_array()
        .or_else(|| msg["data"]["embeds"].as_array())
        .cloned()
        .unwrap_or_default();
    for e in embeds {
        for k in ["title", "description"] {
            out.push('\n');
            out.push_str(e[k].as_str().unwrap_or_default());
        }
        for f in e["fields"].as_array().cloned().unwrap_or_default() {
            out.push('\n');
            out.push_str(f["name"].as_str().unwrap_or_default());
            out.push('\n');
            out.push_str(f["value"].as_str().unwrap_or_default());
        }
        out.push('\n');
        out.push_str(e["footer"]["text"].as_str().unwrap_or_default());
    }
    if let Some(c) = msg["data"]["content"].as_str() {
        out.push('\n');
        out.push_str(c);
    }
    out
}

/// The custom ids of every button in a message.
pub fn buttons(msg: &Value) -> Vec<(String, String)> {
    let rows = msg["components"]
        .as_array()
        .or_else(|| msg["data"]["components"].as_array())
        .cloned()
        .unwrap_or_default();
    rows.iter()
        .flat_map(|r| r["components"].as_array().cloned().unwrap_or_default())
        .filter(|c| c["type"] == 2)
        .map(|c| {
            (
                c["label"].as_str().unwrap_or_default().to_string(),
                c["custom_id"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

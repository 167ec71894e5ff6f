//! Message bodies for notifications (Discord's Create Message JSON). Pure.
//!
//! Staff messages coalesce: as many tickets as fit Discord's limits (10 embeds, 6,000
//! embed characters, 4,096 per description) go into one message. Single notices and DMs
//! are [`Card`]s, drawn by the same code as the commands' cards. Subjects are inert.
//! Allowed mentions permit the configured staff role and nothing else.

use serde_json::{json, Value};

use crate::discord::ids::CustomId;
use crate::discord::render::{self, user_text, Card, DESCRIPTION_MAX};
use crate::i18n::{self, Locale};
use crate::store::notify::{Change, Job, JobKind};
use crate::store::staff::{Acted, Action};
use crate::ticket::{Status, Topic};
use crate::tr;

/// Total embed characters per message we allow ourselves (Discord: 6,000).
const EMBED_BUDGET: usize = 5_800;
const EMBEDS_MAX: usize = 10;

/// A message body and how many of the offered jobs it covers.
#[derive(Debug, Clone, PartialEq)]
pub struct Composed {
    pub body: Value,
    pub used: usize,
}

fn topic_label(t: Option<Topic>, l: Locale) -> String {
    match t {
        Some(t) => i18n::topic(t).render(l),
        None => tr!(l, "notify-topic-unknown"),
    }
}

fn colour(t: Option<Topic>) -> u32 {
    t.unwrap_or(Topic::General).colour()
}

fn status_label(s: Option<Status>, l: Locale) -> String {
    match s {
        Some(s) => i18n::status(s).render(l),
        None => tr!(l, "notify-status-unknown"),
    }
}

fn subject(job: &Job, max: usize, l: Locale) -> String {
    match &job.payload.subject {
        Some(s) => user_text(s, max),
        None => tr!(l, "notify-subject-unavailable"),
    }
}

fn opener(job: &Job) -> Option<String> {
    job.payload.opened_by.map(|u| format!("<@{u}>"))
}

fn allowed_mentions(role: Option<u64>) -> Value {
    match role {
        Some(r) => json!({"parse": [], "roles": [r.to_string()], "users": []}),
        None => json!({"parse": [], "roles": [], "users": []}),
    }
}

fn role_content(role: Option<u64>) -> String {
    role.map(|r| format!("<@&{r}>")).unwrap_or_default()
}

/// A card as Discord's embed JSON, through the same builder the commands use.
fn embed(card: &Card) -> Value {
    serde_json::to_value(card.to_embed()).unwrap_or_else(|_| json!({"title": "…"}))
}

/// A subject on one line: a newline in it could start a line that looks like another
/// ticket's in a coalesced list.
fn subject_line(job: &Job, max: usize, l: Locale) -> String {
    subject(job, max, l).replace(['\n', '\r'], " ")
}

/// The ticket's id as a list shows it: a link to the panel where configured.
fn id_ref(id: u64, link: Option<&str>) -> String {
    match link {
        Some(t) => format!("[`#{id}`]({})", t.replace("{id}", &id.to_string())),
        None => format!("`#{id}`"),
    }
}

/// One line for a coalesced staff message.
fn line(kind: JobKind, job: &Job, link: Option<&str>, l: Locale) -> String {
    let p = &job.payload;
    let who = opener(job).map(|o| format!(" · {o}")).unwrap_or_default();
    let id = id_ref(job.ticket_id, link);
    match kind {
        JobKind::StaffTopic => format!(
            "{id} {} → **{}** · {}{}",
            topic_label(p.from_topic, l),
            topic_label(p.to_topic, l),
            subject_line(job, 40, l),
            who
        ),
        JobKind::StaffStatus => format!(
            "{id} {} · {} · {}{}",
            topic_label(p.topic, l),
            tr!(
                l,
                "staff-line-status",
                status = status_label(p.to_status, l)
            ),
            subject_line(job, 40, l),
            who
        ),
        _ => format!(
            "{id} {} · {}{}",
            topic_label(p.topic, l),
            subject_line(job, 40, l),
            who
        ),
    }
}

/// The card of one staff notice. Without the ticket (degraded), only what the event said.
fn single_card(kind: JobKind, job: &Job, l: Locale) -> Card {
    let p = &job.payload;
    let mut fields = vec![(tr!(l, "staff-field-topic"), topic_label(p.topic, l), true)];
    if p.subject.is_some() {
        fields.push((tr!(l, "staff-field-subject"), subject(job, 1000, l), false));
    }
    if let Some(o) = opener(job) {
        fields.push((tr!(l, "staff-field-opened-by"), o, true));
    }
    let title = match kind {
        JobKind::StaffTopic => {
            let moved = format!(
                "{} → {}",
                topic_label(p.from_topic, l),
                topic_label(p.to_topic, l)
            );
            fields.insert(0, (tr!(l, "staff-field-moved"), moved, false));
            let reason = p
                .reason
                .as_deref()
                .map(|r| user_text(r, 1000))
                .unwrap_or_else(|| tr!(l, "staff-no-reason"));
            fields.push((tr!(l, "staff-field-reason"), reason, false));
            tr!(
                l,
                "staff-title-moved",
                ticket_id = job.ticket_id,
                topic = topic_label(p.to_topic, l)
            )
        }
        JobKind::StaffOpened => tr!(l, "staff-title-new", ticket_id = job.ticket_id),
        _ => tr!(
            l,
            "staff-title-status",
            ticket_id = job.ticket_id,
            status = status_label(p.to_status.or(Some(Status::Resolved)), l)
        ),
    };
    Card {
        title,
        description: String::new(),
        colour: colour(p.topic),
        fields,
        footer: Some(tr!(l, "staff-footer-event", event = p.event.to_string())),
        timestamp: None,
    }
}

fn heading(kind: JobKind, n: usize, l: Locale) -> String {
    match kind {
        JobKind::StaffTopic => tr!(l, "staff-heading-moved", count = n),
        JobKind::StaffStatus => tr!(l, "staff-heading-status", count = n),
        JobKind::StaffOpened => tr!(l, "staff-heading-new", count = n),
        _ => tr!(l, "staff-heading-resolved", count = n),
    }
}

/// A staff message in `locale` for as many of `jobs` (same kind, same channel) as fit. A
/// single ticket's notice carries the staff desk's buttons; `link` is
/// `notifications.ticket_url`.
pub fn staff(
    kind: JobKind,
    jobs: &[Job],
    role: Option<u64>,
    link: Option<&str>,
    nonce: &str,
    locale: Locale,
) -> Composed {
    let base = |embeds: Vec<Value>| {
        json!({
            "content": role_content(role),
            "embeds": embeds,
            "allowed_mentions": allowed_mentions(role),
            "nonce": nonce,
            "enforce_nonce": true,
        })
    };
    if let [job] = jobs {
        let mut e = embed(&single_card(kind, job, locale));
        if let Some(t) = link {
            e["url"] = t.replace("{id}", &job.ticket_id.to_string()).into();
        }
        let mut body = base(vec![e]);
        let status = notice_status(kind, job);
        body["components"] = desk_buttons(job.ticket_id, status, locale);
        return Composed { body, used: 1 };
    }
    if jobs.is_empty() {
        return Composed {
            body: base(vec![]),
            used: 0,
        };
    }
    // The title counts against the budget; reserve room for the longest it can be.
    let title_len = heading(kind, jobs.len(), locale).chars().count();
    let mut budget = EMBED_BUDGET - title_len;
    let mut descriptions: Vec<String> = vec![String::new()];
    let mut used = 0;
    for job in jobs {
        let l = line(kind, job, link, locale);
        let cost = l.chars().count() + 1;
        if cost > budget {
            break;
        }
        let current = descriptions
            .last_mut()
            .map(|d| d.chars().count())
            .unwrap_or(0);
        if current + cost > DESCRIPTION_MAX {
            if descriptions.len() == EMBEDS_MAX {
                break;
            }
            descriptions.push(String::new());
        }
        if let Some(d) = descriptions.last_mut() {
            if !d.is_empty() {
                d.push('\n');
            }
            d.push_str(&l);
        }
        budget -= cost;
        used += 1;
    }
    let colour = colour(jobs[0].payload.topic);
    let embeds = descriptions
        .into_iter()
        .enumerate()
        .map(|(i, d)| {
            let mut e = json!({"description": d, "color": colour});
            if i == 0 {
                e["title"] = heading(kind, used, locale).into();
            }
            e
        })
        .collect();
    Composed {
        body: base(embeds),
        used,
    }
}

/// The status a single notice of `kind` shows.
fn notice_status(kind: JobKind, job: &Job) -> Option<Status> {
    let p = &job.payload;
    match kind {
        JobKind::StaffResolved => Some(Status::Resolved),
        JobKind::StaffStatus => p.to_status,
        JobKind::StaffOpened => p.status.or(Some(Status::Open)),
        _ => p.status,
    }
}

/// The staff desk's buttons for a ticket in `status`, labelled in `l` (the status they
/// were drawn for travels in Start's and Resolve's ids: the API refuses them if it changed
/// since). No Start once work started, none at all on a Closed ticket.
pub fn desk_buttons(ticket: u64, status: Option<Status>, l: Locale) -> Value {
    let button = |style: u8, label: String, id: Option<String>| {
        // Discord caps a button's label at 80 characters, in every language.
        let label = render::truncate(&label, 80);
        id.map(|id| json!({"type": 2, "style": style, "label": label, "custom_id": id}))
    };
    let mut row = Vec::new();
    if status != Some(Status::Closed) {
        let id = CustomId::StaffView(ticket).encode();
        row.push(button(2, tr!(l, "staff-button-view"), id));
    }
    if let Some(seen) = status.filter(|s| s.is_known()) {
        if seen == Status::Open {
            let id = CustomId::StaffStart { ticket, seen }.encode();
            row.push(button(1, tr!(l, "staff-button-start"), id));
        }
        if matches!(seen, Status::Open | Status::InProgress) {
            let id = CustomId::StaffResolve { ticket, seen }.encode();
            row.push(button(3, tr!(l, "staff-button-resolve"), id));
        }
        if seen != Status::Closed {
            let id = CustomId::StaffReply(ticket).encode();
            row.push(button(2, tr!(l, "staff-button-reply"), id));
        }
    }
    let row: Vec<Value> = row.into_iter().flatten().collect();
    if row.is_empty() {
        json!([])
    } else {
        json!([{"type": 1, "components": row}])
    }
}

/// What the event behind an edit did, in a few words.
fn latest(change: Change, topic: Option<Topic>, l: Locale) -> String {
    match change {
        Change::Resolved => tr!(l, "staff-latest-resolved"),
        Change::InProgress => tr!(l, "staff-latest-in-progress"),
        Change::Reopened => tr!(l, "staff-latest-reopened"),
        Change::Closed => tr!(l, "staff-latest-closed"),
        Change::Topic => tr!(l, "staff-latest-moved", topic = topic_label(topic, l)),
        Change::StaffReply => tr!(l, "staff-latest-staff-reply"),
        Change::CustomerReply => tr!(l, "staff-latest-customer-reply"),
        Change::Opened => tr!(l, "staff-latest-opened"),
        Change::Unknown => tr!(l, "staff-latest-updated"),
    }
}

/// Who acted last from Discord: a mention, their display name then, and a relative time
/// Discord renders in each reader's own language.
fn acted_line(a: &Acted, l: Locale) -> String {
    let user = format!("<@{}>", a.user_id);
    let name = user_text(&a.user_name, 80);
    let when = format!("<t:{}:R>", a.at / 1000);
    match a.action {
        Action::Start => tr!(
            l,
            "staff-acted-start",
            user = user,
            name = name,
            when = when
        ),
        Action::Resolve => tr!(
            l,
            "staff-acted-resolve",
            user = user,
            name = name,
            when = when
        ),
        Action::Reply => tr!(
            l,
            "staff-acted-reply",
            user = user,
            name = name,
            when = when
        ),
    }
}

/// The edit of a single-ticket staff notice (a `StaffEdit` job) in `l`: the ticket as the
/// API has it now, who acted last from Discord, and only the buttons that still apply. The
/// content (and so the role mention) is left as it was.
pub fn edit(job: &Job, acted: Option<&Acted>, link: Option<&str>, l: Locale) -> Value {
    let p = &job.payload;
    let mut fields = vec![
        (
            tr!(l, "staff-field-status"),
            status_label(p.status, l),
            true,
        ),
        (tr!(l, "staff-field-topic"), topic_label(p.topic, l), true),
    ];
    if p.subject.is_some() {
        fields.push((tr!(l, "staff-field-subject"), subject(job, 1000, l), false));
    }
    if let Some(o) = opener(job) {
        fields.push((tr!(l, "staff-field-opened-by"), o, true));
    }
    fields.push((
        tr!(l, "staff-field-latest"),
        latest(p.change, p.topic, l),
        true,
    ));
    if let Some(a) = acted {
        fields.push((tr!(l, "staff-field-last-action"), acted_line(a, l), false));
    }
    let card = Card {
        title: tr!(
            l,
            "staff-edit-title",
            ticket_id = job.ticket_id,
            status = status_label(p.status, l)
        ),
        description: String::new(),
        colour: colour(p.topic),
        fields,
        footer: Some(tr!(l, "staff-footer-event", event = p.event.to_string())),
        timestamp: None,
    };
    let mut e = embed(&card);
    if let Some(t) = link {
        e["url"] = t.replace("{id}", &job.ticket_id.to_string()).into();
    }
    json!({
        "embeds": [e],
        "components": desk_buttons(job.ticket_id, p.status, l),
        "allowed_mentions": allowed_mentions(None),
    })
}

/// A DM to the customer about one ticket in `locale` (the one they last used), with
/// Reply / Close buttons while it is open; a staff reply's DM shows the staff member's
/// words, with *Read all* when they are cut.
pub fn dm(job: &Job, nonce: &str, locale: Locale) -> Value {
    debug_assert_eq!(job.kind, JobKind::Dm);
    let p = &job.payload;
    let id = job.ticket_id;
    let l = locale;
    let mut read_all = None;
    let (title, text) = match p.change {
        Change::Resolved => (
            tr!(l, "dm-resolved-title", ticket_id = id),
            tr!(l, "dm-resolved-text"),
        ),
        Change::Topic => {
            let topic = topic_label(p.to_topic, l);
            (
                tr!(l, "dm-moved-title", ticket_id = id, topic = topic.as_str()),
                tr!(l, "dm-moved-text", topic = topic),
            )
        }
        Change::InProgress => (
            tr!(l, "dm-in-progress-title", ticket_id = id),
            tr!(l, "dm-in-progress-text"),
        ),
        Change::Reopened => (
            tr!(l, "dm-reopened-title", ticket_id = id),
            tr!(l, "dm-reopened-text"),
        ),
        Change::Closed => (
            tr!(l, "dm-closed-title", ticket_id = id),
            tr!(l, "dm-closed-text"),
        ),
        Change::StaffReply => (
            tr!(l, "dm-staff-reply-title", ticket_id = id),
            tr!(l, "dm-staff-reply-text"),
        ),
        Change::Unknown | Change::Opened | Change::CustomerReply => {
            (tr!(l, "dm-updated-title", ticket_id = id), String::new())
        }
    };
    let card = match (&p.change, &p.reply) {
        (Change::StaffReply, Some(reply)) => {
            let (card, cut) = render::staff_reply_card(&render::StaffReply {
                ticket: id,
                subject: p.subject.as_deref(),
                text: &reply.text,
                complete: reply.complete,
                staff_name: reply.staff_name.as_deref(),
                colour: colour(p.topic),
                locale: l,
            });
            if cut {
                read_all = CustomId::ReadAll {
                    ticket: id,
                    message: reply.message_id,
                }
                .encode();
            }
            card
        }
        _ => Card {
            title,
            description: format!("**{}**\n{text}", subject(job, 200, l)),
            colour: colour(p.topic),
            fields: Vec::new(),
            footer: None,
            timestamp: None,
        },
    };
    let mut body = json!({
        "content": "",
        "embeds": [embed(&card)],
        "allowed_mentions": allowed_mentions(None),
        "nonce": nonce,
        "enforce_nonce": true,
    });
    if p.change != Change::Closed {
        let reply = CustomId::ReplyButton(id).encode();
        let close = CustomId::Close(id).encode();
        if let (Some(reply), Some(close)) = (reply, close) {
            let mut buttons = vec![
                json!({"type": 2, "style": 1, "label": tr!(l, "dm-button-reply"), "custom_id": reply}),
                json!({"type": 2, "style": 4, "label": tr!(l, "dm-button-close"), "custom_id": close}),
            ];
            if let Some(read) = read_all {
                buttons.insert(
                    0,
                    json!({"type": 2, "style": 2, "label": tr!(l, "dm-button-read-all"), "custom_id": read}),
                );
            }
            body["components"] = json!([{"type": 1, "components": buttons}]);
        }
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::notify::{Payload, Target};

    fn job(id: i64, subject: &str) -> Job {
        Job {
            id,
            backend: "b".into(),
            kind: JobKind::StaffResolved,
            target: Target::Channel(1),
            ticket_id: id as u64,
            payload: Payload {
                event: "evt_1".into(),
                change: Change::Resolved,
                subject: Some(subject.into()),
                topic: Some(Topic::Ssl),
                to_status: Some(Status::Resolved),
                opened_by: Some(123_456_789_012_345_678),
                ..Payload::default()
            },
            batch_id: None,
            attempts: 0,
            received_at: 0,
            created_at: 0,
        }
    }

    fn embed_chars(body: &Value) -> usize {
        body["embeds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                e["title"].as_str().map_or(0, |s| s.chars().count())
                    + e["description"].as_str().map_or(0, |s| s.chars().count())
                    + e["footer"]["text"]
                        .as_str()
                        .map_or(0, |s| s.chars().count())
                    + e["fields"].as_array().map_or(0, |fs| {
                        fs.iter()
                            .map(|f| {
                                f["name"].as_str().unwrap().chars().count()
                                    + f["value"].as_str().unwrap().chars().count()
                            })
                            .sum()
                    })
            })
            .sum()
    }

    #[test]
    fn many_tickets_coalesce_within_discords_limits() {
        let jobs: Vec<Job> = (0..1000).map(|i| job(i, &"x".repeat(200))).collect();
        let c = staff(
            JobKind::StaffResolved,
            &jobs,
            None,
            None,
            "n1",
            Locale::EN_US,
        );
        assert!(c.used >= 50, "only {} per message", c.used);
        assert!(embed_chars(&c.body) <= 6000);
        let embeds = c.body["embeds"].as_array().unwrap();
        assert!(embeds.len() <= 10);
        for e in embeds {
            assert!(e["description"].as_str().unwrap().chars().count() <= 4096);
        }
        assert!(embeds[0]["title"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{} tickets resolved", c.used)));
        // Every used ticket is in the text, in order.
        let text: String = embeds
            .iter()
            .map(|e| e["description"].as_str().unwrap())
            .collect();
        for j in &jobs[..c.used] {
            assert!(text.contains(&format!("`#{}`", j.ticket_id)));
        }
        assert!(!text.contains(&format!("`#{}`", jobs[c.used].ticket_id)));
    }

    #[test]
    fn hostile_subjects_ping_nobody_and_only_the_staff_role_may_be_mentioned() {
        let jobs = vec![job(1, "@everyone <@&123> <@456>")];
        let c = staff(
            JobKind::StaffResolved,
            &jobs,
            Some(777),
            None,
            "n",
            Locale::EN_US,
        );
        let text = c.body.to_string();
        assert!(!text.contains("@everyone"));
        assert!(!text.contains("<@&123>"));
        assert!(!text.contains("<@456>"));
        assert_eq!(c.body["content"], "<@&777>");
        assert_eq!(c.body["allowed_mentions"]["parse"], json!([]));
        assert_eq!(c.body["allowed_mentions"]["roles"], json!(["777"]));
        let d = dm(
            &Job {
                kind: JobKind::Dm,
                ..job(1, "@here hi")
            },
            "n",
            Locale::EN_US,
        );
        assert!(!d.to_string().contains("@here"));
        assert_eq!(d["allowed_mentions"]["roles"], json!([]));
    }

    #[test]
    fn a_subject_with_newlines_stays_on_its_line_in_a_coalesced_list() {
        let jobs = vec![job(1, "ok\n`#999` Billing · forged"), job(2, "fine")];
        let c = staff(
            JobKind::StaffResolved,
            &jobs,
            None,
            None,
            "n",
            Locale::EN_US,
        );
        let text = c.body["embeds"][0]["description"].as_str().unwrap();
        assert_eq!(text.lines().count(), 2, "{text}");
        assert!(!text.contains("\n`#999`"), "{text}");
    }

    #[test]
    fn a_degraded_notice_says_only_what_the_event_said() {
        let mut j = job(42, "never shown");
        j.payload.subject = None;
        j.payload.topic = None;
        j.payload.opened_by = None;
        let c = staff(JobKind::StaffResolved, &[j], None, None, "n", Locale::EN_US);
        let e = &c.body["embeds"][0];
        assert_eq!(e["title"], "Ticket #42 is now Resolved");
        let text = c.body.to_string();
        assert!(!text.contains("Subject"), "{text}");
        assert!(!text.contains("Opened from Discord"), "{text}");
    }

    #[test]
    fn a_resolved_dm_offers_reply_and_close_and_a_closed_one_does_not() {
        let mut j = job(9, "s");
        j.kind = JobKind::Dm;
        let d = dm(&j, "n", Locale::EN_US);
        let ids: Vec<&str> = d["components"][0]["components"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["custom_id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["t:dmreply:9", "t:close:9"]);
        j.payload.change = Change::Closed;
        assert!(dm(&j, "n", Locale::EN_US).get("components").is_none());
    }

    fn staff_reply_dm(text: &str, complete: bool) -> Value {
        let mut j = job(9, "Cert");
        j.kind = JobKind::Dm;
        j.payload.change = Change::StaffReply;
        j.payload.reply = Some(crate::store::notify::ReplyText {
            message_id: 31,
            text: text.into(),
            complete,
            staff_name: Some("Ana <@1>".into()),
        });
        dm(&j, "n", Locale::EN_US)
    }

    fn button_ids(body: &Value) -> Vec<&str> {
        body["components"][0]["components"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["custom_id"].as_str().unwrap())
            .collect()
    }

    #[test]
    fn a_staff_reply_dm_shows_the_words_and_the_name_pinging_nobody() {
        let d = staff_reply_dm("Renewed it @everyone, see <#5>.", true);
        let e = &d["embeds"][0];
        assert_eq!(e["title"], "Ana \\<@\u{200B}1\\> replied to ticket #9");
        let text = e["description"].as_str().unwrap();
        assert!(text.contains("Renewed it @\u{200B}everyone"), "{text}");
        assert!(!d.to_string().contains("<@1>"));
        assert_eq!(
            d["allowed_mentions"],
            json!({"parse": [], "roles": [], "users": []})
        );
        assert_eq!(button_ids(&d), ["t:dmreply:9", "t:close:9"]);
    }

    #[test]
    fn a_long_staff_reply_dm_is_one_embed_with_read_all() {
        let d = staff_reply_dm(&"x".repeat(4096), false);
        assert!(embed_chars(&d) <= 6000);
        assert!(
            d["embeds"][0]["description"]
                .as_str()
                .unwrap()
                .chars()
                .count()
                <= 4096
        );
        assert_eq!(
            button_ids(&d),
            ["t:readall:9:31", "t:dmreply:9", "t:close:9"]
        );
    }

    #[test]
    fn a_staff_reply_dm_without_its_words_says_support_replied() {
        let mut j = job(9, "Cert");
        j.kind = JobKind::Dm;
        j.payload.change = Change::StaffReply;
        let d = dm(&j, "n", Locale::EN_US);
        assert_eq!(d["embeds"][0]["title"], "Support replied to ticket #9");
        assert!(d["embeds"][0]["description"]
            .as_str()
            .unwrap()
            .contains("/ticket status"));
        assert_eq!(button_ids(&d), ["t:dmreply:9", "t:close:9"]);
    }

    #[test]
    fn a_single_notice_links_to_the_panel_and_offers_the_buttons_its_status_allows() {
        let j = job(7, "s");
        let c = staff(
            JobKind::StaffResolved,
            std::slice::from_ref(&j),
            None,
            Some("https://p/t/{id}"),
            "n",
            Locale::EN_US,
        );
        assert_eq!(c.body["embeds"][0]["url"], "https://p/t/7");
        let labels = |v: &Value| -> Vec<String> {
            v["components"][0]["components"]
                .as_array()
                .map(|b| {
                    b.iter()
                        .map(|b| b["label"].as_str().unwrap().to_string())
                        .collect()
                })
                .unwrap_or_default()
        };
        assert_eq!(labels(&c.body), ["View", "Reply"]);
        let open = desk_buttons(7, Some(Status::Open), Locale::EN_US);
        let ids: Vec<&str> = open[0]["components"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["custom_id"].as_str().unwrap())
            .collect();
        assert_eq!(
            ids,
            ["t:sview:7", "t:sstart:7:0", "t:sres:7:0", "t:sreply:7"]
        );
        assert_eq!(
            labels(
                &json!({"components": desk_buttons(7, Some(Status::InProgress), Locale::EN_US)})
            ),
            ["View", "Resolve", "Reply"]
        );
        assert_eq!(
            desk_buttons(7, Some(Status::Closed), Locale::EN_US),
            json!([])
        );
        // A coalesced list has no buttons; its ids link to the panel.
        let c = staff(
            JobKind::StaffResolved,
            &[job(1, "a"), job(2, "b")],
            None,
            Some("https://p/{id}"),
            "n",
            Locale::EN_US,
        );
        assert!(c.body.get("components").is_none());
        let text = c.body["embeds"][0]["description"].as_str().unwrap();
        assert!(text.contains("[`#2`](https://p/2)"), "{text}");
    }

    #[test]
    fn an_edit_shows_the_status_now_and_who_acted_and_pings_nobody() {
        let mut j = job(7, "@everyone hi");
        j.kind = JobKind::StaffEdit;
        j.payload.status = Some(Status::InProgress);
        j.payload.change = Change::InProgress;
        j.payload.message = Some(99);
        let acted = Acted {
            action: Action::Start,
            user_id: 5,
            user_name: "sam *bold*".into(),
            to_status: Some(Status::InProgress),
            at: 1_700_000_000_000,
        };
        let body = edit(&j, Some(&acted), None, Locale::EN_US);
        let text = body.to_string();
        assert!(text.contains("Ticket #7 · In Progress"), "{text}");
        assert!(text.contains("Started by <@5>"), "{text}");
        assert!(
            !text.contains("@everyone") && !text.contains("*bold*"),
            "{text}"
        );
        assert!(
            body.get("content").is_none(),
            "the mention line stays as it was"
        );
        assert_eq!(body["allowed_mentions"]["parse"], json!([]));
        assert_eq!(
            body["components"][0]["components"]
                .as_array()
                .unwrap()
                .len(),
            3
        );
    }
}

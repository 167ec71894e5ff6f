//! `/ticket open topic [property]` → a form → the ticket. The slash interaction's id is
//! the ticket's idempotency key, so a resubmitted form or a *Try again* gets the same
//! ticket back instead of a second one.
//!
//! The same form also opens from a topic picked on a `/ticket panel` message or after
//! "Open ticket from message" ([`topic_picked`]): a customer with properties picks one in
//! an ephemeral select first (forms hold text inputs only), then the form shows; the
//! interaction that shows it is the ticket's idempotency key, and the cooldown and every
//! rule here apply unchanged.

use poise::serenity_prelude as serenity;

use super::TopicChoice;
use crate::discord::common::{
    answer, api_err, log_error, modal_value, property_name, respond_component, show_modal,
    text_error, time_left, with_api_slot, Answer, Handled,
};
use crate::discord::errors::new_reference;
use crate::discord::ids::CustomId;
use crate::discord::render;
use crate::discord::{CommandError, Context, Data};
use crate::i18n::{self, Locale, LocaleSource};
use crate::store::kept::Submission;
use crate::ticket::api::CreateTicket;
use crate::ticket::{self, Topic};
use crate::tr;

/// Open a new support ticket
#[poise::command(slash_command, rename = "open")]
pub async fn open(
    ctx: Context<'_>,
    #[description = "What the ticket is about: pick the most specific topic"] topic: TopicChoice,
    #[description = "The property it concerns, if any"]
    #[autocomplete = "crate::discord::common::autocomplete_property"]
    property: Option<String>,
) -> Result<(), CommandError> {
    let topic = topic.topic();
    let property = property
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty());
    let origin = crate::discord::common::interaction_id(ctx);
    let Some(custom_id) = (CustomId::OpenModal {
        origin,
        topic,
        property,
    })
    .encode() else {
        return answer(ctx, &tr!(ctx, "open-bad-property"), None).await;
    };
    let data = ctx.data();
    let uid = ctx.author().id.get();
    // Checked before the form (a read), reserved once the form is up (a write after the
    // first answer): a second delivery of this interaction reserves nothing.
    if let Some(left) = data.open_cooldown_left(uid, origin).await {
        let secs = left.as_secs().max(1);
        return answer(ctx, &tr!(ctx, "open-cooldown", seconds = secs), None).await;
    }
    data.showing_open_form(uid, origin);
    match show_modal(ctx, open_modal(custom_id, topic, ctx.to_locale(), None)).await {
        Ok(()) => {
            data.start_open_cooldown(uid, origin).await;
            Ok(())
        }
        Err(e) => {
            data.form_not_shown(uid, origin);
            Err(e)
        }
    }
}

/// The open form in `locale` (Discord's limits: labels 45, placeholders 100 characters);
/// `prefill` fills in its description (from a message).
pub fn open_modal(
    custom_id: String,
    topic: Topic,
    locale: Locale,
    prefill: Option<String>,
) -> serenity::CreateModal {
    let subject = serenity::CreateInputText::new(
        serenity::InputTextStyle::Short,
        render::truncate(&tr!(locale, "open-form-subject"), 45),
        "subject",
    )
    .min_length(1)
    .max_length(render::MODAL_SUBJECT_MAX)
    .placeholder(render::truncate(
        &tr!(locale, "open-form-subject-placeholder"),
        100,
    ))
    .required(true);
    let description = serenity::CreateInputText::new(
        serenity::InputTextStyle::Paragraph,
        render::truncate(&tr!(locale, "open-form-description"), 45),
        "description",
    )
    .min_length(1)
    .max_length(render::MODAL_DESCRIPTION_MAX)
    .placeholder(render::truncate(
        &i18n::topic_hint(topic).render(locale),
        100,
    ))
    .required(true);
    let description = match prefill {
        Some(d) => description.value(d),
        None => description,
    };
    let title = render::open_modal_title(topic, locale);
    serenity::CreateModal::new(custom_id, title).components(vec![
        serenity::CreateActionRow::InputText(subject),
        serenity::CreateActionRow::InputText(description),
    ])
}

/// The form was submitted: validate, then create the ticket.
pub async fn submit(
    data: &Data,
    m: &serenity::ModalInteraction,
    origin: u64,
    topic: Topic,
    property: Option<String>,
) -> Handled {
    let subject = modal_value(&m.data, "subject").unwrap_or_default();
    let description = modal_value(&m.data, "description").unwrap_or_default();
    ticket::validate_subject(&subject).map_err(text_error)?;
    ticket::validate_message(&description).map_err(text_error)?;
    let body = CreateTicket {
        topic,
        subject: subject.trim().to_string(),
        message: description,
        property_id: property,
    };
    let key = idempotency_key(origin);
    let submission = Submission::Open {
        topic: topic.api_value(),
        subject: body.subject.clone(),
        message: body.message.clone(),
        property_id: body.property_id.clone(),
    };
    let result = create(data, &m.user, origin, &body, &key, m.to_locale()).await;
    // Creation keys are part of the v1 contract: an unknown outcome can always be retried.
    super::retry::keep_if_unknown(data, origin, m.user.id.get(), &key, submission, result).await
}

/// The ticket's idempotency key: the slash command's interaction id.
pub fn idempotency_key(origin: u64) -> String {
    format!("discord-open-{origin}")
}

/// Creates the ticket (also what *Try again* resends) and remembers who opened it.
pub async fn create(
    data: &Data,
    user: &serenity::User,
    origin: u64,
    body: &CreateTicket,
    key: &str,
    locale: Locale,
) -> Handled {
    let (ticket, property_name) = with_api_slot(data, async {
        let (token, _) = data.customer_token(user).await?;
        let t = data
            .client
            .create_ticket(&token, body, Some(key))
            .await
            .map_err(api_err(None))?;
        let name = property_name(data, &token, t.property_id.as_deref()).await;
        Ok::<_, CommandError>((t, name))
    })
    .await?;
    data.start_open_cooldown(user.id.get(), origin).await;
    // Remembered so the opener gets DMs about this ticket and staff see who opened it.
    if let Err(e) = data
        .store
        .notify()
        .remember_opener(&data.backend, ticket.id, &ticket.account_id, user.id.get())
        .await
    {
        tracing::warn!(error = %e, ticket = ticket.id, "could not record who opened a ticket");
    }
    tracing::info!(
        ticket = ticket.id,
        topic = ticket.topic.api_value(),
        "ticket opened from Discord"
    );
    Ok(Answer::with_card(
        tr!(locale, "open-opened", ticket_id = ticket.id),
        render::ticket_card(&ticket, property_name.as_deref(), &[], locale),
    ))
}

/// Discord shows at most 25 options in a select: "none" and 24 properties.
const PROPERTY_OPTIONS: usize = 24;

/// A topic was picked on a panel (`source` None) or after "Open ticket from message"
/// (`source` its interaction): the property select for a customer with properties,
/// else the form. Only reads happen before the answer, bounded by the 3 seconds.
pub async fn topic_picked(
    ctx: &serenity::Context,
    data: &Data,
    c: &serenity::ComponentInteraction,
    topic: Topic,
    source: Option<u64>,
) {
    let origin = c.id.get();
    let locale = c.to_locale();
    let response = match cooldown_refusal(data, c.user.id.get(), origin, locale).await {
        Some(refusal) => ephemeral(refusal),
        None => match properties_before_answer(data, &c.user, origin).await {
            props if props.is_empty() => form_response(data, c, topic, None, source).await,
            props => property_select(topic, source, props, locale),
        },
    };
    answer_component(ctx, data, c, origin, response).await;
}

/// A property was picked (`-`: none): the form.
pub async fn property_picked(
    ctx: &serenity::Context,
    data: &Data,
    c: &serenity::ComponentInteraction,
    topic: Topic,
    source: Option<u64>,
) {
    let origin = c.id.get();
    let locale = c.to_locale();
    let property = match chosen(c).as_deref() {
        Some("-") => None,
        Some(p) => Some(p.to_string()),
        None => {
            let again = ephemeral(tr!(locale, "open-unknown-choice"));
            respond_component(ctx, data, c, again).await;
            return;
        }
    };
    let response = match cooldown_refusal(data, c.user.id.get(), origin, locale).await {
        Some(refusal) => ephemeral(refusal),
        None => form_response(data, c, topic, property, source).await,
    };
    answer_component(ctx, data, c, origin, response).await;
}

/// The one value chosen in a string select.
pub fn chosen(c: &serenity::ComponentInteraction) -> Option<String> {
    match &c.data.kind {
        serenity::ComponentInteractionDataKind::StringSelect { values } if values.len() == 1 => {
            values.first().cloned()
        }
        _ => None,
    }
}

/// Sends the first answer; a shown form holds the user's open slot, as in [`open`].
async fn answer_component(
    ctx: &serenity::Context,
    data: &Data,
    c: &serenity::ComponentInteraction,
    origin: u64,
    response: serenity::CreateInteractionResponse,
) {
    let uid = c.user.id.get();
    let is_form = matches!(response, serenity::CreateInteractionResponse::Modal(_));
    if is_form {
        data.showing_open_form(uid, origin);
    }
    let shown = respond_component(ctx, data, c, response).await;
    if is_form {
        if shown {
            data.start_open_cooldown(uid, origin).await;
        } else {
            data.form_not_shown(uid, origin);
        }
    }
}

pub fn ephemeral(content: String) -> serenity::CreateInteractionResponse {
    serenity::CreateInteractionResponse::Message(
        serenity::CreateInteractionResponseMessage::new()
            .ephemeral(true)
            .content(render::truncate(&content, render::CONTENT_MAX)),
    )
}

fn error_response(
    e: &CommandError,
    what: &str,
    locale: Locale,
) -> serenity::CreateInteractionResponse {
    let reference = new_reference();
    log_error(e, &reference, what);
    ephemeral(e.user_message(&reference, locale))
}

async fn cooldown_refusal(data: &Data, uid: u64, origin: u64, locale: Locale) -> Option<String> {
    let left = data.open_cooldown_left(uid, origin).await?;
    Some(tr!(
        locale,
        "open-cooldown",
        seconds = left.as_secs().max(1)
    ))
}

/// The user's properties, read without writing (an unlinked user has none yet; a slow
/// or failing API shows the form without the select: the property is optional).
async fn properties_before_answer(
    data: &Data,
    user: &serenity::User,
    origin: u64,
) -> Vec<crate::ticket::api::Property> {
    let work = async {
        let (token, _) = crate::discord::links::linked_token(data, user).await.ok()?;
        data.client.properties(&token).await.ok()
    };
    let budget = time_left(origin).saturating_sub(std::time::Duration::from_millis(300));
    tokio::time::timeout(budget, work)
        .await
        .ok()
        .flatten()
        .unwrap_or_default()
}

fn property_select(
    topic: Topic,
    source: Option<u64>,
    props: Vec<crate::ticket::api::Property>,
    locale: Locale,
) -> serenity::CreateInteractionResponse {
    let Some(custom_id) = (CustomId::PickProperty { topic, source }).encode() else {
        return ephemeral(tr!(locale, "open-unknown-choice"));
    };
    let none = render::truncate(&tr!(locale, "open-no-property"), 100);
    let mut options = vec![serenity::CreateSelectMenuOption::new(none, "-")];
    options.extend(
        props
            .into_iter()
            // Only ids a form's custom id can carry (whatever interaction shows it).
            .filter(|p| {
                CustomId::OpenModal {
                    origin: u64::MAX,
                    topic,
                    property: Some(p.id.clone()),
                }
                .encode()
                .is_some()
            })
            .take(PROPERTY_OPTIONS)
            .map(|p| serenity::CreateSelectMenuOption::new(render::truncate(&p.name, 100), p.id)),
    );
    let select = serenity::CreateSelectMenu::new(
        custom_id,
        serenity::CreateSelectMenuKind::String { options },
    )
    .placeholder(render::truncate(&i18n::topic(topic).render(locale), 150));
    serenity::CreateInteractionResponse::Message(
        serenity::CreateInteractionResponseMessage::new()
            .ephemeral(true)
            .content(tr!(locale, "open-which-property"))
            .components(vec![serenity::CreateActionRow::SelectMenu(select)]),
    )
}

/// The form for this interaction, prefilled from `source`'s message when there is one.
async fn form_response(
    data: &Data,
    c: &serenity::ComponentInteraction,
    topic: Topic,
    property: Option<String>,
    source: Option<u64>,
) -> serenity::CreateInteractionResponse {
    let locale = c.to_locale();
    let description = match source {
        None => None,
        Some(source) => match data
            .store
            .front_door()
            .prefill(source, c.user.id.get())
            .await
        {
            Ok(Some(d)) => Some(d),
            Ok(None) => return ephemeral(tr!(locale, "open-prefill-gone")),
            Err(e) => {
                let e = CommandError::internal(e);
                return error_response(&e, "open from message", locale);
            }
        },
    };
    let id = CustomId::OpenModal {
        origin: c.id.get(),
        topic,
        property,
    };
    match id.encode() {
        Some(custom_id) => serenity::CreateInteractionResponse::Modal(open_modal(
            custom_id,
            topic,
            locale,
            description,
        )),
        None => ephemeral(tr!(locale, "open-unknown-choice")),
    }
}

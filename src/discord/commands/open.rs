//! `/ticket open topic [property]` → a form → the ticket. The slash interaction's id is
//! the ticket's idempotency key, so a resubmitted form or a *Try again* gets the same
//! ticket back instead of a second one.

use poise::serenity_prelude as serenity;

use super::TopicChoice;
use crate::discord::common::{
    answer, api_err, modal_value, property_name, show_modal, text_error, with_api_slot, Answer,
    Handled,
};
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
    match show_modal(ctx, open_modal(custom_id, topic, ctx.to_locale())).await {
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

/// The open form in `locale` (Discord's limits: labels 45, placeholders 100 characters).
pub fn open_modal(custom_id: String, topic: Topic, locale: Locale) -> serenity::CreateModal {
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

//! Rotating `BOT_SECRET_KEY`: a link no configured key opens is kept and marked, and its
//! user is told what to do; `BOT_SECRET_KEY_PREVIOUS` opens it again and it is re-sealed
//! with the new key, so the old key can then go.

use paradarum_bot::config::SecretKey;
use serde_json::json;

use crate::harness::{alice, text_of, Bot, User};

/// `/ticket list` as `user`: the text that finally answered it.
async fn list(bot: &Bot, user: &User) -> String {
    let sent = bot.command(user, "list", json!([]));
    let first = bot.callback(&sent).await;
    if first["type"] == 4 {
        return text_of(&first["data"]);
    }
    assert_eq!(first["type"], 5, "{first}");
    text_of(&bot.final_message(&sent, 10).await)
}

/// Reads one value of the user's link row beside the running bot (read-only).
async fn link_value<T>(bot: &Bot, user: &User, column: &str) -> Option<T>
where
    T: for<'r> sqlx::Decode<'r, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite> + Send + Unpin,
{
    let db = format!(
        "sqlite://{}/data/paradarum-bot.db?mode=ro",
        bot.dir.path().display()
    );
    let pool = sqlx::SqlitePool::connect(&db).await.unwrap();
    let value: Option<T> = sqlx::query_scalar(&format!(
        "SELECT {column} FROM discord_links WHERE user_id = $1"
    ))
    .bind(user.id as i64)
    .fetch_optional(&pool)
    .await
    .unwrap();
    pool.close().await;
    value
}

async fn sealed(bot: &Bot, user: &User) -> Option<Vec<u8>> {
    link_value(bot, user, "sealed_token").await
}

/// When the link was marked unreadable (`None` when not marked, or not linked).
async fn mark(bot: &Bot, user: &User) -> Option<i64> {
    link_value::<Option<i64>>(bot, user, "unreadable_since")
        .await
        .flatten()
}

async fn restart(bot: &mut Bot, current: &str, previous: &str) {
    assert_eq!(bot.stop(), Some(0), "log:\n{}", bot.log());
    bot.set_env("BOT_SECRET_KEY", current);
    bot.set_env("BOT_SECRET_KEY_PREVIOUS", previous);
    bot.spawn().await;
}

#[tokio::test]
async fn a_rotated_secret_key_keeps_links_tells_users_what_to_do_and_reseals_with_the_old_key_listed(
) {
    let (a, b) = (SecretKey::generate_text(), SecretKey::generate_text());
    let mut bot = Bot::start_with(&[("BOT_SECRET_KEY", &a)]).await;
    let user = alice();
    // The first command links a new sandbox account, sealed with A.
    let (id, _) = bot.open_via_discord(&user, 0, "Before the rotation").await;
    let sealed_a = sealed(&bot, &user).await.expect("linked");

    // B alone: the user is told to unlink (the sandbox has no token to paste), not
    // "Something went wrong"; the link is kept, and marked.
    restart(&mut bot, &b, "").await;
    let text = list(&bot, &user).await;
    assert!(!text.contains("Something went wrong"), "{text}");
    assert!(
        text.contains("can't be read") && text.contains("/ticket unlink"),
        "{text}"
    );
    assert_eq!(
        sealed(&bot, &user).await.as_ref(),
        Some(&sealed_a),
        "the link was not kept as it was"
    );
    let marked = mark(&bot, &user).await;
    assert!(marked.is_some(), "the link was not marked unreadable");
    // Asking again changes nothing: no new sandbox account replaces the link.
    let again = list(&bot, &user).await;
    assert!(again.contains("/ticket unlink"), "{again}");
    assert_eq!(sealed(&bot, &user).await.as_ref(), Some(&sealed_a));
    assert_eq!(mark(&bot, &user).await, marked);

    // B with A as the previous key: the list works, and the link is re-sealed with B.
    restart(&mut bot, &b, &a).await;
    let text = list(&bot, &user).await;
    assert!(text.contains(&format!("#{id}")), "{text}");
    assert!(text.contains("Before the rotation"), "{text}");
    let resealed = sealed(&bot, &user).await.expect("linked");
    assert_ne!(resealed, sealed_a, "not re-sealed");
    assert_eq!(
        mark(&bot, &user).await,
        None,
        "still marked after the re-seal"
    );

    // B alone again: the re-sealed link opens.
    restart(&mut bot, &b, "").await;
    let text = list(&bot, &user).await;
    assert!(text.contains(&format!("#{id}")), "{text}");
    assert_eq!(sealed(&bot, &user).await, Some(resealed));
    assert_eq!(mark(&bot, &user).await, None);

    // Keys never reach the log or Discord.
    let log = bot.log();
    for key in [&a, &b] {
        assert!(!log.contains(key.as_str()), "a key is in the log");
        assert!(!bot
            .fake
            .recorded()
            .iter()
            .any(|r| r.body.to_string().contains(key.as_str())));
    }
    assert!(log.contains("re-sealed with BOT_SECRET_KEY"), "{log}");
    bot.assert_no_schema_errors();
}

//! Attachments on replies, and the size limits (413).

use paradarum_bot::client::{ApiError, Upload};
use paradarum_bot::ticket::Topic;

use crate::helpers::TestSandbox;

#[tokio::test]
async fn replies_carry_attachments_and_the_limits_are_413() {
    let sb = TestSandbox::spawn().await;
    let (alice, _) = sb.customer("Alice").await;
    let t = sb.open(&alice, Topic::Performance, "Slow").await;
    let file = |name: &str, size: usize| Upload::new(name, "image/png", vec![7u8; size]);
    let reply = sb
        .client
        .reply_with_files(
            &alice,
            t.id,
            "screenshots",
            vec![file("a.png", 1000), file("b.png", 5)],
            None,
        )
        .await
        .unwrap();
    assert_eq!(reply.message.attachments.len(), 2);
    assert_eq!(reply.message.attachments[0].filename, "a.png");
    assert_eq!(reply.message.attachments[0].content_type, "image/png");
    assert_eq!(reply.message.attachments[0].size, 1000);

    let six: Vec<Upload> = (0..6).map(|i| file(&format!("{i}.png"), 10)).collect();
    let err = sb
        .client
        .reply_with_files(&alice, t.id, "too many", six, None)
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::PayloadTooLarge { .. }), "{err:?}");

    let big = vec![file("big.png", 10 * 1024 * 1024 + 1)];
    let err = sb
        .client
        .reply_with_files(&alice, t.id, "too big", big, None)
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::PayloadTooLarge { .. }), "{err:?}");

    let exactly = vec![file("max.png", 10 * 1024 * 1024)];
    sb.client
        .reply_with_files(&alice, t.id, "just fits", exactly, None)
        .await
        .unwrap();

    let msgs = sb.client.messages(&alice, t.id).await.unwrap();
    let bodies: Vec<&str> = msgs.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(
        bodies,
        ["first message of Slow", "screenshots", "just fits"]
    );
}

//! WebSocket helpers: wait for a frame (with a timeout, never a sleep) and check that
//! none arrives.

use std::time::Duration;

use socmel_client::{
    Session,
    types::frames::{Envelope, ServerFrame},
};

/// The next frame matching `wanted`, skipping others (presence, typing, …); panics
/// after five seconds.
pub async fn expect(
    session: &mut Session,
    what: &str,
    wanted: impl Fn(&ServerFrame) -> bool,
) -> Envelope {
    expect_within(session, what, Duration::from_secs(5), wanted).await
}

/// As [`expect`], waiting up to `wait`.
pub async fn expect_within(
    session: &mut Session,
    what: &str,
    wait: Duration,
    wanted: impl Fn(&ServerFrame) -> bool,
) -> Envelope {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let next = tokio::time::timeout(left, session.next())
            .await
            .unwrap_or_else(|_| panic!("no {what} within {wait:?}"));
        let envelope = next
            .unwrap_or_else(|| panic!("connection closed waiting for {what}"))
            .expect("a frame");
        if wanted(&envelope.frame) {
            return envelope;
        }
    }
}

/// Asserts that no frame matching `unwanted` arrives within `wait`.
pub async fn expect_none(
    session: &mut Session,
    wait: Duration,
    unwanted: impl Fn(&ServerFrame) -> bool,
) {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        match tokio::time::timeout(left, session.next()).await {
            Err(_) => return,
            Ok(None) => return,
            Ok(Some(Ok(envelope))) => assert!(
                !unwanted(&envelope.frame),
                "unexpected frame {:?}",
                envelope.frame
            ),
            Ok(Some(Err(err))) => panic!("socket error: {err}"),
        }
    }
}

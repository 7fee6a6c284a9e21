//! `/note/…`, with upstream bugs 3 (note expiry) and 10 (header-only auth).

use crate::common;

use common::TestServer;
use serde_json::{Value, json};
use socmel_client::types::{ErrorCode, UserId};

const DAY_MILLIS: i64 = 24 * 60 * 60 * 1000;

#[tokio::test]
async fn a_note_shows_for_twenty_four_hours_from_when_it_was_written() {
    // Upstream bug 3: every note got the process start time, so notes expired early.
    let (server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    let saved = ada.client.set_note("at the beach").await.unwrap();
    assert_eq!(saved.message, "the note has been added successfully");
    assert_eq!(saved.note, "at the beach");
    assert_eq!(
        saved.expires_at.millis() - saved.created_at.millis(),
        DAY_MILLIS
    );

    let seen = bob.client.get_note(ada.user.id).await.unwrap();
    assert!(seen.exists);
    assert_eq!(seen.note, "at the beach");
    assert_eq!(seen.created_at, Some(saved.created_at));

    // Almost a day later it still shows; a day and a moment later it does not.
    server
        .execute(&format!(
            "UPDATE notes SET created_at = created_at - {}",
            DAY_MILLIS - 60_000
        ))
        .await;
    assert!(bob.client.get_note(ada.user.id).await.unwrap().exists);
    server
        .execute("UPDATE notes SET created_at = created_at - 120000")
        .await;
    let gone = bob.client.get_note(ada.user.id).await.unwrap();
    assert!(!gone.exists);
    assert_eq!(gone.note, "");
    assert_eq!(gone.created_at, None);

    // Writing again restarts the clock.
    ada.client.set_note("back home").await.unwrap();
    let again = bob.client.get_note(ada.user.id).await.unwrap();
    assert!(again.exists);
    assert_eq!(again.note, "back home");
    assert_eq!(server.query_i64("SELECT count(*) FROM notes").await, 1);
}

#[tokio::test]
async fn reading_a_note_needs_a_valid_token() {
    // Upstream bug 10: any string in the Authorization header was accepted.
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    ada.client.set_note("hi").await.unwrap();
    assert_eq!(
        server
            .client()
            .get_note(ada.user.id)
            .await
            .unwrap_err()
            .status(),
        Some(401)
    );
    let forged = server.client().with_token("anything");
    assert_eq!(
        forged.get_note(ada.user.id).await.unwrap_err().status(),
        Some(401)
    );
    let err = ada.client.get_note(UserId(999_999)).await.unwrap_err();
    assert_eq!(
        (err.status(), err.body().unwrap().detail.as_str()),
        (Some(404), "User not found")
    );
    // Upstream's spelling, without the trailing slash, is the published one.
    let raw = server
        .raw()
        .get(server.at(&format!("/note/{}", ada.user.id)))
        .bearer_auth(&ada.tokens.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 200);
    let body: Value = raw.json().await.unwrap();
    assert_eq!(body["exists"], true);
    assert_eq!(body["note"], "hi");
}

#[tokio::test]
async fn notes_are_one_to_255_characters_from_the_query_or_a_body() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let err = ada.client.set_note(&"n".repeat(256)).await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::Validation));
    assert_eq!(
        err.body().unwrap().fields.as_ref().unwrap()[0].field,
        "new_note"
    );
    assert_eq!(
        ada.client.set_note("").await.unwrap_err().status(),
        Some(422)
    );
    assert!(ada.client.set_note(&"é".repeat(255)).await.is_ok());

    let from_body: Value = server
        .raw()
        .post(server.at("/note/"))
        .bearer_auth(&ada.tokens.access_token)
        .json(&json!({"content": "from a body"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(from_body["note"], "from a body");

    let deleted = ada.client.delete_note().await.unwrap();
    assert_eq!(deleted.message, "the note has been deleted successfully");
    assert!(!ada.client.get_note(ada.user.id).await.unwrap().exists);
    // Deleting nothing is fine too.
    assert!(ada.client.delete_note().await.is_ok());
    assert_eq!(
        server.client().delete_note().await.unwrap_err().status(),
        Some(401)
    );
}

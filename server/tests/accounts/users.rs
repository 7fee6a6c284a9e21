//! `/users/…`, including upstream bugs 9, 10 and 15.

use crate::common;

use common::{TestServer, refusal};
use socmel_client::types::{ErrorCode, UserId, users::UserUpdate};

#[tokio::test]
async fn my_profile_shows_my_email() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let me = ada.client.get_me().await.unwrap();
    assert_eq!(me.email.as_deref(), Some("ada@example.com"));
    assert_eq!(me, ada.client.current_user().await.unwrap());
}

#[tokio::test]
async fn other_users_never_see_an_email() {
    // Upstream bug 15: every user payload exposed the email.
    let (server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    let seen = bob.client.view_user(ada.user.id).await.unwrap();
    assert_eq!(seen.username, "ada");
    assert_eq!(seen.email, None);
    let raw: serde_json::Value = server
        .raw()
        .get(server.at(&format!("/users/{}/view/", ada.user.id)))
        .bearer_auth(&bob.tokens.access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(raw["email"].is_null(), "{raw}");
    assert_eq!(
        ada.client
            .view_user(ada.user.id)
            .await
            .unwrap()
            .email
            .as_deref(),
        Some("ada@example.com")
    );
}

#[tokio::test]
async fn viewing_a_profile_needs_a_valid_token() {
    // Upstream bug 10: any string in the Authorization header was accepted.
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let forged = server.client().with_token("anything");
    assert_eq!(
        forged.view_user(ada.user.id).await.unwrap_err().status(),
        Some(401)
    );
    assert_eq!(
        server
            .client()
            .view_user(ada.user.id)
            .await
            .unwrap_err()
            .status(),
        Some(401)
    );
}

#[tokio::test]
async fn unknown_users_are_404() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    assert_eq!(
        refusal(ada.client.view_user(UserId(987_654)).await),
        (404, "User not found".into())
    );
}

#[tokio::test]
async fn editing_my_profile_returns_the_user() {
    // Upstream bug 9: the edit always answered 500 after committing.
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let update = UserUpdate {
        username: Some("ada_l".into()),
        email: None,
        ..UserUpdate::default()
    };
    let changed = ada.client.update_me(&update).await.unwrap();
    assert_eq!(changed.username, "ada_l");
    assert_eq!(changed.email.as_deref(), Some("ada@example.com"));
    assert_eq!(ada.client.get_me().await.unwrap().username, "ada_l");
    // Login follows the new name.
    assert!(
        server
            .client()
            .login("ada_l", common::PASSWORD)
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn a_taken_username_is_409_and_a_bad_one_422() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    server.user("bob").await;
    let taken = UserUpdate {
        username: Some("BOB".into()),
        email: None,
        ..UserUpdate::default()
    };
    let err = ada.client.update_me(&taken).await.unwrap_err();
    assert_eq!(err.status(), Some(409));
    let bad = UserUpdate {
        username: Some("no spaces allowed".into()),
        email: None,
        ..UserUpdate::default()
    };
    let err = ada.client.update_me(&bad).await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::Validation));
    assert_eq!(
        err.body().unwrap().fields.as_ref().unwrap()[0].field,
        "username"
    );
    // Keeping one's own name (in another case or not) is fine.
    let same = UserUpdate {
        username: Some("ada".into()),
        email: None,
        ..UserUpdate::default()
    };
    assert_eq!(ada.client.update_me(&same).await.unwrap().username, "ada");
}

#[tokio::test]
async fn the_email_changes_only_through_verification() {
    // Upstream bug 9: PUT /users/me/ changed the email unchecked, or set it to null.
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let change = UserUpdate {
        username: None,
        email: Some("new@example.com".into()),
        ..UserUpdate::default()
    };
    let err = ada.client.update_me(&change).await.unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.code(), Some(ErrorCode::BadRequest));
    let echo = UserUpdate {
        username: None,
        email: Some("ADA@example.com".into()),
        ..UserUpdate::default()
    };
    assert_eq!(
        ada.client.update_me(&echo).await.unwrap().email.as_deref(),
        Some("ada@example.com")
    );

    let nulls = server
        .raw()
        .put(server.at("/users/me/"))
        .bearer_auth(&ada.tokens.access_token)
        .json(&serde_json::json!({"username": null, "email": null}))
        .send()
        .await
        .unwrap();
    assert_eq!(nulls.status(), 200);
    let me = ada.client.get_me().await.unwrap();
    assert_eq!(
        (me.username.as_str(), me.email.as_deref()),
        ("ada", Some("ada@example.com"))
    );
}

//! Finding people by name: `/users/by_username/{username}/`, `/users/?q=`, and the
//! display name and bio of `PUT /users/me/`.

use crate::common;

use common::TestServer;
use socmel_client::types::{ErrorCode, users::UserUpdate};

fn profile(display_name: Option<&str>, bio: Option<&str>) -> UserUpdate {
    UserUpdate {
        display_name: display_name.map(str::to_owned),
        bio: bio.map(str::to_owned),
        ..UserUpdate::default()
    }
}

#[tokio::test]
async fn a_username_finds_its_profile_in_any_case() {
    let (_server, [ada, bob]) = TestServer::with_users(["ada", "Bob"]).await;
    for spelling in ["Bob", "bob", "BOB", " bob "] {
        let found = ada.client.user_by_username(spelling).await.unwrap();
        assert_eq!(found.id, bob.user.id, "{spelling}");
        assert_eq!(found.username, "Bob");
        assert_eq!(found.email, None, "no email for others");
    }
    let err = ada.client.user_by_username("nobody").await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.body().unwrap().code, ErrorCode::NotFound);
    assert_eq!(err.body().unwrap().detail, "User not found");
    // Anything that is not a username is simply nobody, never another route.
    let err = ada.client.user_by_username("../me").await.unwrap_err();
    assert_eq!(err.status(), Some(404));
}

#[tokio::test]
async fn inactive_accounts_are_not_found() {
    let (server, [ada, gone]) = TestServer::with_users(["ada", "gone"]).await;
    server
        .execute(format!(
            "UPDATE users SET is_active = FALSE WHERE id = {}",
            gone.user.id
        ))
        .await;
    let err = ada.client.user_by_username("gone").await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    let page = ada.client.search_users("go", None, None).await.unwrap();
    assert!(page.items.is_empty(), "{page:?}");
}

#[tokio::test]
async fn looking_people_up_needs_a_token() {
    let server = TestServer::start().await;
    server.user("ada").await;
    let anonymous = server.client();
    let err = anonymous.user_by_username("ada").await.unwrap_err();
    assert_eq!(err.status(), Some(401));
    let err = anonymous.search_users("a", None, None).await.unwrap_err();
    assert_eq!(err.status(), Some(401));
}

#[tokio::test]
async fn search_matches_username_or_display_name_prefixes_by_username_in_pages() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    for name in ["bob", "Bobby", "bo_b", "carl", "abob"] {
        server.user(name).await;
    }
    let zed = server.user("zed").await;
    zed.client
        .update_me(&profile(Some("Böb Zed"), None))
        .await
        .unwrap();

    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = ada
            .client
            .search_users("BO", cursor.as_deref(), Some(2))
            .await
            .unwrap();
        assert!(page.items.len() <= 2);
        seen.extend(page.items.iter().map(|u| u.username.clone()));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    // Ordered by lower-cased username; `_` in a username is a letter, not a wildcard.
    assert_eq!(seen, ["bo_b", "bob", "Bobby"]);

    // Display names match in any script and case, also on SQLite.
    let page = ada.client.search_users("@böb", None, None).await.unwrap();
    assert_eq!(page.items.len(), 1, "{page:?}");
    assert_eq!(page.items[0].id, zed.user.id);
    assert_eq!(page.items[0].display_name.as_deref(), Some("Böb Zed"));
    let page = ada.client.search_users("b_", None, None).await.unwrap();
    assert!(page.items.is_empty(), "`_` is literal: {page:?}");
}

#[tokio::test]
async fn search_text_is_1_to_64_characters() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    for q in ["", "  ", &"x".repeat(65)] {
        let err = ada.client.search_users(q, None, None).await.unwrap_err();
        assert_eq!(err.status(), Some(422), "{q:?}");
        assert_eq!(err.body().unwrap().fields.as_ref().unwrap()[0].field, "q");
    }
    let missing = server
        .raw()
        .get(server.at("/users/"))
        .bearer_auth(&ada.tokens.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 422);
    assert!(
        ada.client
            .search_users(&"x".repeat(64), None, None)
            .await
            .is_ok()
    );
    let err = ada
        .client
        .search_users("a", Some("not-a-cursor"), None)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(422));
}

#[tokio::test]
async fn display_name_and_bio_are_set_shown_and_cleared() {
    let (_server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    let me = ada
        .client
        .update_me(&profile(
            Some("  Ada Lovelace 山田  "),
            Some("Countess.\nMathematician."),
        ))
        .await
        .unwrap();
    assert_eq!(me.display_name.as_deref(), Some("Ada Lovelace 山田"));
    assert_eq!(me.bio.as_deref(), Some("Countess.\nMathematician."));
    assert_eq!(me.username, "ada");
    // Found by a prefix of the display name that is not one of the username.
    let found = bob
        .client
        .search_users("ADA LOV", None, None)
        .await
        .unwrap();
    assert_eq!(found.items.len(), 1, "{found:?}");
    assert_eq!(found.items[0].id, ada.user.id);

    let seen = bob.client.view_user(ada.user.id).await.unwrap();
    assert_eq!(seen.display_name.as_deref(), Some("Ada Lovelace 山田"));
    assert_eq!(seen.bio.as_deref(), Some("Countess.\nMathematician."));

    // Keys left out keep their values; a username change keeps them too.
    let renamed = ada
        .client
        .update_me(&UserUpdate {
            username: Some("ada_l".into()),
            ..UserUpdate::default()
        })
        .await
        .unwrap();
    assert_eq!(renamed.display_name.as_deref(), Some("Ada Lovelace 山田"));
    assert_eq!(renamed.bio.as_deref(), Some("Countess.\nMathematician."));

    // An empty text clears.
    let cleared = ada
        .client
        .update_me(&profile(Some(""), Some("   ")))
        .await
        .unwrap();
    assert_eq!(cleared.display_name, None);
    assert_eq!(cleared.bio, None);
    assert_eq!(ada.client.get_me().await.unwrap().display_name, None);
    // A cleared display name is no longer found by search.
    assert!(
        ada.client
            .search_users("lovelace", None, None)
            .await
            .unwrap()
            .items
            .is_empty()
    );
}

#[tokio::test]
async fn bad_display_names_and_bios_are_422_naming_the_field() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    ada.client
        .update_me(&profile(Some("Ada"), Some("bio")))
        .await
        .unwrap();
    for bad in [
        "x".repeat(65),
        "tab\there".into(),
        "evil\u{202E}gnp.exe".into(),
        "iso\u{2067}late".into(),
    ] {
        let err = ada
            .client
            .update_me(&profile(Some(&bad), None))
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(422), "{bad:?}");
        let body = err.body().unwrap();
        assert_eq!(body.code, ErrorCode::Validation);
        assert_eq!(body.fields.as_ref().unwrap()[0].field, "display_name");
    }
    assert!(
        ada.client
            .update_me(&profile(Some(&"é".repeat(64)), None))
            .await
            .is_ok()
    );
    let err = ada
        .client
        .update_me(&profile(None, Some(&"b".repeat(501))))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(422));
    assert_eq!(err.body().unwrap().fields.as_ref().unwrap()[0].field, "bio");
    // Nothing was changed by the refused edits.
    let me = ada.client.get_me().await.unwrap();
    assert_eq!(me.display_name.as_deref(), Some("é".repeat(64).as_str()));
    assert_eq!(me.bio.as_deref(), Some("bio"));
}

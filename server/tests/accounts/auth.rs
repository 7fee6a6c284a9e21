//! `/auth/…` against a real server, including the upstream bugs of this area
//! (reference §8 items 5, 12, 13, 14, 17 and 48).

use crate::common;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use common::{PASSWORD, TEST_SECRET, TestServer, refusal};
use socmel_client::types::{ErrorCode, auth::UserCreate};

fn new_user(username: &str, email: &str, password: &str) -> UserCreate {
    UserCreate {
        username: username.into(),
        email: email.into(),
        password: password.into(),
    }
}

/// Registers `ada` (ada@example.com, [`PASSWORD`]) without logging in.
async fn register_ada(server: &TestServer) {
    server
        .client()
        .register(&new_user("ada", "ada@example.com", PASSWORD))
        .await
        .expect("register");
}

fn claims_of(token: &str) -> serde_json::Value {
    let payload = token.split('.').nth(1).expect("a JWT has three parts");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url")).expect("json")
}

fn forge_token(sub: &str, iat: i64, exp: i64, ver: i64, sid: Option<&str>) -> String {
    let mut claims = serde_json::json!({"sub": sub, "iat": iat, "exp": exp, "ver": ver});
    if let Some(sid) = sid {
        claims["sid"] = sid.into();
    }
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(TEST_SECRET.as_bytes()),
    )
    .expect("encode")
}

/// The `sid` claim of an access token (the token is not checked here).
fn session_of(access_token: &str) -> String {
    use base64::Engine;
    let payload = access_token.split('.').nth(1).expect("a JWT");
    let json = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("base64");
    let claims: serde_json::Value = serde_json::from_slice(&json).expect("JSON claims");
    claims["sid"].as_str().expect("a sid claim").to_owned()
}

#[tokio::test]
async fn register_answers_201_with_the_user_and_a_lowercased_email() {
    let server = TestServer::start().await;
    let response = server
        .raw()
        .post(server.at("/auth/register/"))
        .json(&new_user("Ada", "Ada@Example.COM", PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let user: serde_json::Value = response.json().await.unwrap();
    assert_eq!(user["username"], "Ada");
    assert_eq!(user["email"], "ada@example.com");
    assert_eq!(user["is_active"], true);
    assert_eq!(user["level"], 1);
    assert!(user["created_at"].as_str().unwrap().ends_with('Z'));
}

#[tokio::test]
async fn register_validates_every_field_at_once() {
    let server = TestServer::start().await;
    let err = server
        .client()
        .register(&new_user("a b", "not-an-email", "short"))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(422));
    assert_eq!(err.code(), Some(ErrorCode::Validation));
    let fields: Vec<_> = err
        .body()
        .unwrap()
        .fields
        .as_ref()
        .unwrap()
        .iter()
        .map(|f| f.field.clone())
        .collect();
    assert_eq!(fields, ["username", "email", "password"]);

    for bad_name in ["ab", &"x".repeat(33), "émile", "semi;colon"] {
        let err = server
            .client()
            .register(&new_user(bad_name, "ok@example.com", PASSWORD))
            .await
            .unwrap_err();
        assert_eq!(err.code(), Some(ErrorCode::Validation), "{bad_name}");
    }
}

#[tokio::test]
async fn duplicate_username_or_email_is_409_case_insensitively() {
    let server = TestServer::start().await;
    let client = server.client();
    client
        .register(&new_user("ada", "ada@example.com", PASSWORD))
        .await
        .unwrap();
    for dup in [
        new_user("ADA", "other@example.com", PASSWORD),
        new_user("other", "ADA@example.com", PASSWORD),
    ] {
        assert_eq!(
            refusal(client.register(&dup).await),
            (
                409,
                "user with this username/email is already registered".into()
            )
        );
    }
}

#[tokio::test]
async fn racing_registrations_of_one_name_give_one_account_and_409s() {
    let server = TestServer::start().await;
    let attempts = (0..6).map(|i| {
        let client = server.client();
        async move {
            client
                .register(&new_user(
                    "racer",
                    &format!("racer{i}@example.com"),
                    PASSWORD,
                ))
                .await
        }
    });
    let results = futures_util::future::join_all(attempts).await;
    let created = results.iter().filter(|r| r.is_ok()).count();
    let conflicts = results
        .iter()
        .filter(|r| matches!(r, Err(e) if e.status() == Some(409)))
        .count();
    assert_eq!((created, conflicts), (1, 5), "{results:?}");
}

#[tokio::test]
async fn login_accepts_email_or_username_and_returns_an_expiring_token() {
    let server = TestServer::start().await;
    register_ada(&server).await;
    for login in ["ada@example.com", "ADA@example.com", "ada", "Ada"] {
        let client = server.client();
        let tokens = client.login(login, PASSWORD).await.unwrap();
        assert_eq!(tokens.token_type, "bearer");
        assert_eq!(tokens.expires_in, 3600);
        assert!(!tokens.refresh_token.is_empty());
        // Upstream bug 5: tokens never expired. Ours carry exp, iat and a version.
        let claims = claims_of(&tokens.access_token);
        assert_eq!(
            claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
            3600
        );
        assert!(claims["ver"].is_i64());
        assert_eq!(client.current_user().await.unwrap().username, "ada");
    }
}

#[tokio::test]
async fn wrong_password_and_unknown_account_get_the_same_401() {
    let server = TestServer::start().await;
    register_ada(&server).await;
    let wrong = server
        .client()
        .login("ada", "wrong password")
        .await
        .unwrap_err();
    let unknown = server
        .client()
        .login("nobody@example.com", PASSWORD)
        .await
        .unwrap_err();
    for err in [&wrong, &unknown] {
        assert_eq!(err.status(), Some(401));
        assert_eq!(
            err.body().unwrap().detail,
            "we could not authenticate you, verify your username or password"
        );
    }
}

#[tokio::test]
async fn login_is_a_form_and_rejects_other_grant_types() {
    let server = TestServer::start().await;
    register_ada(&server).await;
    let response = server
        .raw()
        .post(server.at("/auth/login/"))
        .form(&[
            ("username", "ada"),
            ("password", PASSWORD),
            ("grant_type", "client_credentials"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let response = server
        .raw()
        .post(server.at("/auth/login"))
        .form(&[
            ("username", "ada"),
            ("password", PASSWORD),
            ("grant_type", "password"),
            ("scope", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn expired_forged_and_orphaned_tokens_are_401_never_500() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let now = chrono::Utc::now().timestamp();
    let id = ada.user.id.to_string();
    let sid = session_of(&ada.tokens.access_token);
    let sid = Some(sid.as_str());
    let other_session = "B".to_owned() + &"A".repeat(42);
    let cases = [
        ("expired", forge_token(&id, now - 7200, now - 3600, 0, sid)),
        // Upstream bug 12: a token for a user that no longer exists gave a 500.
        (
            "unknown user",
            forge_token("999999", now, now + 600, 0, sid),
        ),
        (
            "non-numeric sub",
            forge_token("ada@example.com", now, now + 600, 0, sid),
        ),
        ("old version", forge_token(&id, now, now + 600, 7, sid)),
        ("no session", forge_token(&id, now, now + 600, 0, None)),
        (
            "a session that does not exist",
            forge_token(&id, now, now + 600, 0, Some(&other_session)),
        ),
        (
            "a malformed session",
            forge_token(&id, now, now + 600, 0, Some("nope")),
        ),
        ("garbage", "not-a-token".to_owned()),
    ];
    for (what, token) in cases {
        let err = server
            .client()
            .with_token(token)
            .current_user()
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(401), "{what}");
        assert_eq!(err.body().unwrap().detail, "Invalid token", "{what}");
    }
    // A well-formed token of the right version still works.
    let fresh = forge_token(&id, now, now + 600, 0, sid);
    assert!(
        server
            .client()
            .with_token(fresh)
            .current_user()
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn currentuser_is_401_when_anonymous() {
    // Upstream bug 48: `GET /auth/currentuser/` answered 500 without a token.
    let server = TestServer::start().await;
    assert_eq!(
        refusal(server.client().currentuser().await),
        (401, "Not authenticated".into())
    );
    let ada = server.user("ada").await;
    assert_eq!(ada.client.currentuser().await.unwrap().id, ada.user.id);
}

#[tokio::test]
async fn refresh_tokens_rotate_and_a_replay_revokes_the_session() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let first = ada.tokens.refresh_token.clone();

    let second = ada.client.refresh(&first).await.unwrap();
    assert_ne!(second.refresh_token, first);
    assert_eq!(ada.client.current_user().await.unwrap().id, ada.user.id);

    // Replaying the spent token fails and takes the rotated one down with it.
    let replay = ada.client.refresh(&first).await.unwrap_err();
    assert_eq!(replay.status(), Some(401));
    let after = ada.client.refresh(&second.refresh_token).await.unwrap_err();
    assert_eq!(after.status(), Some(401));

    let unknown = server.client().refresh("made-up").await.unwrap_err();
    assert_eq!(unknown.status(), Some(401));
}

#[tokio::test]
async fn logout_ends_one_session_and_leaves_others() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let laptop = server.client();
    let laptop_tokens = laptop.login("ada", PASSWORD).await.unwrap();

    ada.client.logout(&ada.tokens.refresh_token).await.unwrap();
    server.assert_refresh_refused(&ada).await;
    assert!(laptop.refresh(&laptop_tokens.refresh_token).await.is_ok());
    // Logging out an unknown session is not an error.
    assert!(server.client().logout("already-gone").await.is_ok());
}

#[tokio::test]
async fn logout_all_revokes_every_access_and_refresh_token() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let laptop = server.client();
    let laptop_tokens = laptop.login("ada", PASSWORD).await.unwrap();

    ada.client.logout_all().await.unwrap();
    for client in [&ada.client, &laptop] {
        assert_eq!(client.current_user().await.unwrap_err().status(), Some(401));
    }
    for refresh in [&ada.tokens.refresh_token, &laptop_tokens.refresh_token] {
        assert_eq!(
            server.client().refresh(refresh).await.unwrap_err().status(),
            Some(401)
        );
    }
    // Signing in again works.
    assert!(server.client().login("ada", PASSWORD).await.is_ok());
}

#[tokio::test]
async fn the_debug_hash_endpoint_is_gone() {
    // Upstream bug 14: `POST /auth/pass/` hashed anything for anyone.
    let server = TestServer::start().await;
    let response = server
        .raw()
        .post(server.at("/auth/pass/?pswrd=x"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn passwords_are_stored_as_argon2id_hashes() {
    let server = TestServer::start().await;
    server.user("ada").await;
    let stored = server.query_string("SELECT password_hash FROM users").await;
    assert!(
        stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{stored}"
    );
    assert!(!stored.contains(PASSWORD));
}

#[tokio::test]
async fn a_deactivated_account_cannot_log_in_and_its_tokens_stop_working() {
    // Upstream bug 17: `is_active` was ignored at login.
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    server
        .execute(format!(
            "UPDATE users SET is_active = {} WHERE id = {}",
            if common::on_postgres() { "FALSE" } else { "0" },
            ada.user.id
        ))
        .await;
    let err = server.client().login("ada", PASSWORD).await.unwrap_err();
    assert_eq!(err.status(), Some(403));
    server.assert_signed_out(&ada).await;
    // A wrong password still says nothing about the account's state.
    assert_eq!(
        server
            .client()
            .login("ada", "wrong password")
            .await
            .unwrap_err()
            .status(),
        Some(401)
    );
}

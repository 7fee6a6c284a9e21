//! Ending a login session ends it everywhere at once: its access tokens answer 401 and
//! its live sockets get `session_revoked` and close (code 4401). Each path that ends a
//! session is tried with real sockets.

use crate::common;

use common::{PASSWORD, TestServer, TestUser, code_in, ws::expect};
use socmel_client::{
    Client, ClientError, Session,
    types::{
        auth::TokenResponse,
        frames::*,
        messages::{Conversation, SendMessage},
        security::{ChangeEmail, ChangePassword, CodePurpose, CodeRequest},
    },
};

/// A second login of `user` (another device): its own session.
async fn second_session(server: &TestServer, user: &TestUser) -> (Client, TokenResponse) {
    let tokens = server
        .client()
        .login(&user.user.username, PASSWORD)
        .await
        .unwrap();
    (
        server.client().with_token(tokens.access_token.clone()),
        tokens,
    )
}

/// The socket is told, then closed with the documented code.
async fn expect_revoked(socket: &mut Session) {
    expect(socket, "session_revoked", |f| {
        matches!(f, ServerFrame::SessionRevoked(_))
    })
    .await;
    let closing = tokio::time::timeout(std::time::Duration::from_secs(5), socket.next())
        .await
        .expect("the close follows the frame");
    assert!(
        matches!(closing, Some(Err(ClientError::SessionRevoked))),
        "closed with 4401, got {closing:?}"
    );
}

/// The socket is still live: a ping is answered.
async fn expect_alive(socket: &mut Session) {
    socket.send(&ClientFrame::Ping(Ping {})).await.unwrap();
    expect(socket, "pong", |f| matches!(f, ServerFrame::Pong(_))).await;
}

async fn expect_401(client: &Client) {
    let err = client.current_user().await.unwrap_err();
    assert_eq!(err.status(), Some(401), "{err}");
    let err = client
        .connect_ws(None)
        .await
        .err()
        .expect("upgrade refused");
    assert_eq!(err.status(), Some(401), "{err}");
}

async fn code(server: &TestServer, email: &str, purpose: CodePurpose) -> String {
    let seen = server.outbox_for(email).len();
    server
        .client()
        .request_verification_code(&CodeRequest {
            email: email.into(),
            purpose,
        })
        .await
        .unwrap();
    code_in(&server.next_mail(email, seen).await).expect("a code")
}

#[tokio::test]
async fn logout_ends_that_sessions_sockets_and_tokens_only() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let (phone, _) = second_session(&server, &ada).await;
    let mut laptop_ws = ada.client.connect_ws(None).await.unwrap();
    let mut laptop_ws_2 = ada.client.connect_ws(None).await.unwrap();
    let mut phone_ws = phone.connect_ws(None).await.unwrap();

    ada.client.logout(&ada.tokens.refresh_token).await.unwrap();
    expect_revoked(&mut laptop_ws).await;
    expect_revoked(&mut laptop_ws_2).await;
    expect_401(&ada.client).await;
    // The other device's session lives on.
    expect_alive(&mut phone_ws).await;
    assert!(phone.current_user().await.is_ok());
}

#[tokio::test]
async fn logout_everywhere_ends_every_session() {
    let (server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    let (phone, _) = second_session(&server, &ada).await;
    let mut laptop_ws = ada.client.connect_ws(None).await.unwrap();
    let mut phone_ws = phone.connect_ws(None).await.unwrap();
    let mut bob_ws = bob.client.connect_ws(None).await.unwrap();

    phone.logout_all().await.unwrap();
    expect_revoked(&mut laptop_ws).await;
    expect_revoked(&mut phone_ws).await;
    expect_401(&ada.client).await;
    expect_401(&phone).await;
    // Someone else's sockets are untouched.
    expect_alive(&mut bob_ws).await;
}

#[tokio::test]
async fn a_password_change_ends_every_session() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let (phone, _) = second_session(&server, &ada).await;
    let mut laptop_ws = ada.client.connect_ws(None).await.unwrap();
    let mut phone_ws = phone.connect_ws(None).await.unwrap();

    let key = code(&server, "ada@example.com", CodePurpose::ChangePassword).await;
    let change = ChangePassword {
        email: "ada@example.com".into(),
        old_password: PASSWORD.into(),
        new_password: "a much better passphrase".into(),
        new_password_confirm: "a much better passphrase".into(),
        key,
    };
    ada.client.change_password(&change).await.unwrap();
    expect_revoked(&mut laptop_ws).await;
    expect_revoked(&mut phone_ws).await;
    expect_401(&phone).await;
}

#[tokio::test]
async fn an_email_change_ends_every_session() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let (phone, _) = second_session(&server, &ada).await;
    let mut phone_ws = phone.connect_ws(None).await.unwrap();

    let key = code(&server, "ada@example.com", CodePurpose::ChangeEmail).await;
    let change = ChangeEmail {
        old_email: "ada@example.com".into(),
        new_email: "ada@elsewhere.example".into(),
        key,
    };
    ada.client.change_email(&change).await.unwrap();
    expect_revoked(&mut phone_ws).await;
    expect_401(&phone).await;
    expect_401(&ada.client).await;
}

/// A spent refresh token presented again means it was stolen: the whole session goes,
/// including the access tokens and sockets of its newest pair.
#[tokio::test]
async fn a_replayed_refresh_token_ends_its_session_tokens_and_sockets() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let (other, _) = second_session(&server, &ada).await;
    let rotated = server
        .client()
        .refresh(&ada.tokens.refresh_token)
        .await
        .unwrap();
    let current = server.client().with_token(rotated.access_token.clone());
    let mut current_ws = current.connect_ws(None).await.unwrap();
    let mut other_ws = other.connect_ws(None).await.unwrap();

    let replay = server.client().refresh(&ada.tokens.refresh_token).await;
    assert_eq!(replay.unwrap_err().status(), Some(401));
    expect_revoked(&mut current_ws).await;
    expect_401(&current).await;
    expect_401(&ada.client).await;
    assert_eq!(
        server
            .client()
            .refresh(&rotated.refresh_token)
            .await
            .unwrap_err()
            .status(),
        Some(401)
    );
    expect_alive(&mut other_ws).await;
}

/// Once a socket has been told its session ended, nothing it sends is acted on.
#[tokio::test]
async fn a_revoked_socket_cannot_send() {
    let (server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    let mut ada_ws = ada.client.connect_ws(None).await.unwrap();
    ada.client.logout(&ada.tokens.refresh_token).await.unwrap();
    expect(&mut ada_ws, "session_revoked", |f| {
        matches!(f, ServerFrame::SessionRevoked(_))
    })
    .await;
    let _ = ada_ws
        .send(&ClientFrame::Dm(SendDm {
            receiver_id: bob.user.id,
            draft: MessageDraft::text("after the end").with_client_id("late"),
        }))
        .await;
    // Whatever comes now is the close, never an ack.
    match ada_ws.next().await {
        Some(Err(ClientError::SessionRevoked)) => {}
        Some(Ok(envelope)) => panic!("a revoked socket was answered: {:?}", envelope.frame),
        other => panic!("expected the 4401 close, got {other:?}"),
    }
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM messages WHERE content = 'after the end'")
            .await,
        0
    );
}

/// A socket belongs to its session, not to the access token it was opened with.
#[tokio::test]
async fn a_socket_lives_on_while_its_session_lives_and_its_token_rotates() {
    let (server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    let mut ada_ws = ada.client.connect_ws(None).await.unwrap();
    // The client refreshes (the token the socket was opened with is spent): the
    // session is the same, so the socket goes on receiving.
    let rotated = server
        .client()
        .refresh(&ada.tokens.refresh_token)
        .await
        .unwrap();
    let to_ada = Conversation::Dm {
        user_id: ada.user.id,
    };
    bob.client
        .send_message(&SendMessage::text(to_ada, "still there?"))
        .await
        .unwrap();
    expect(&mut ada_ws, "the dm", |f| matches!(f, ServerFrame::Dm(_))).await;
    // Ending the session with its newest refresh token closes the socket.
    ada.client.logout(&rotated.refresh_token).await.unwrap();
    expect_revoked(&mut ada_ws).await;
}

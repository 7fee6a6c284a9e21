//! Rate limits (contract §2 "Rate limits"; upstream bug 16: only `/limit` was limited).

use crate::common;

use common::{PASSWORD, TestServer};
use serde_json::Value;

#[tokio::test]
async fn the_demo_route_allows_two_a_minute_even_with_limits_off() {
    let server = TestServer::start().await;
    for remaining in ["1", "0"] {
        let response = server.raw().get(server.at("/limit")).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["x-ratelimit-limit"], "2");
        assert_eq!(response.headers()["x-ratelimit-remaining"], remaining);
        assert_eq!(
            response.json::<Value>().await.unwrap(),
            serde_json::json!({"gg": "gg"})
        );
    }
    let refused = server.raw().get(server.at("/limit/")).send().await.unwrap();
    assert_eq!(refused.status(), 429);
    let retry: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    assert_eq!(refused.headers()["x-ratelimit-remaining"], "0");
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["code"], "rate_limited");
    assert_eq!(body["detail"], "Rate limit exceeded: 2 per 1 minute");
}

#[tokio::test]
async fn hammering_login_from_one_address_gets_429_with_retry_after() {
    let server = TestServer::start_with(|config| {
        config.rate_limits = "login=3/m".parse().unwrap();
    })
    .await;
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let response = server
            .raw()
            .post(server.at("/auth/login/"))
            .form(&[("username", "nobody"), ("password", "wrong password")])
            .send()
            .await
            .unwrap();
        if response.status() == 429 {
            assert!(response.headers().contains_key("retry-after"));
        }
        statuses.push(response.status().as_u16());
    }
    assert_eq!(statuses, [401, 401, 401, 429, 429]);
}

#[tokio::test]
async fn one_account_is_protected_whatever_address_the_guesses_come_from() {
    let server = TestServer::start_with(|config| {
        config.rate_limits = "login_account=2/m".parse().unwrap();
        // Each guess claims another address; only the per-account limit can stop them.
        config.trust_forwarded_for = true;
    })
    .await;
    server.user("ada").await; // one login spent
    let mut last = None;
    for i in 0..3 {
        let response = server
            .raw()
            .post(server.at("/auth/login/"))
            .header("x-forwarded-for", format!("10.0.0.{i}"))
            .form(&[("username", "ADA"), ("password", "wrong password")])
            .send()
            .await
            .unwrap();
        last = Some(response);
    }
    let refused = last.unwrap();
    assert_eq!(refused.status(), 429);
    assert!(refused.headers().contains_key("retry-after"));
    // Other accounts are unaffected.
    server.user("bob").await;
    assert!(server.client().login("bob", PASSWORD).await.is_ok());
}

#[tokio::test]
async fn register_is_limited_per_address() {
    let server = TestServer::start_with(|config| {
        config.rate_limits = "register=2/h".parse().unwrap();
    })
    .await;
    let mut statuses = Vec::new();
    for name in ["aaa", "bbb", "ccc"] {
        let response = server
            .raw()
            .post(server.at("/auth/register/"))
            .json(&serde_json::json!({"username": name, "email": format!("{name}@example.com"), "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        statuses.push(response.status().as_u16());
    }
    assert_eq!(statuses, [201, 201, 429]);
}

#[tokio::test]
async fn posting_is_limited_per_user() {
    let server = TestServer::start_with(|config| {
        config.rate_limits = "post=2/m".parse().unwrap();
    })
    .await;
    let ada = server.user("ada").await;
    let bob = server.user("bob").await;
    for title in ["one", "two"] {
        ada.client
            .create_post(&common::new_post(title))
            .await
            .unwrap();
    }
    let err = ada
        .client
        .create_post(&common::new_post("three"))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(429));
    // Keyed by user: bob from the same address still posts.
    assert!(
        bob.client
            .create_post(&common::new_post("bob's"))
            .await
            .is_ok()
    );
}

/// One allowance of messages per sender, spent over REST and the socket alike.
#[tokio::test]
async fn messages_share_one_allowance_over_rest_and_the_socket() {
    use socmel_client::types::{
        UserId,
        frames::{ClientFrame, MessageDraft, SendDm, ServerFrame},
    };

    let server = TestServer::start_with(|config| {
        config.rate_limits = "message=3/m".parse().unwrap();
    })
    .await;
    let ada = server.user("ada").await;
    let bob = server.user("bob").await;
    let send = || {
        server
            .raw()
            .post(server.at("/messages/send/"))
            .bearer_auth(&ada.tokens.access_token)
            .json(&serde_json::json!({"kind": "dm", "user_id": bob.user.id, "message": "hi"}))
            .send()
    };
    for _ in 0..2 {
        assert_eq!(send().await.unwrap().status(), 200);
    }
    // The socket spends the third…
    let mut socket = ada.client.connect_ws(None).await.unwrap();
    let frame = |client_id: &str| {
        ClientFrame::Dm(SendDm {
            receiver_id: UserId(bob.user.id.0),
            draft: MessageDraft::text("hi").with_client_id(client_id),
        })
    };
    socket.send(&frame("third")).await.unwrap();
    common::ws::expect(&mut socket, "ack", |f| matches!(f, ServerFrame::Ack(_))).await;
    // …so REST is refused, with the wait…
    let refused = send().await.unwrap();
    assert_eq!(refused.status(), 429);
    let retry: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["code"], "rate_limited");
    assert_eq!(body["detail"], "Rate limit exceeded: 3 per 1 minute");
    // …and the socket too, in the same words.
    socket.send(&frame("fourth")).await.unwrap();
    let error =
        common::ws::expect(&mut socket, "error", |f| matches!(f, ServerFrame::Error(_))).await;
    let ServerFrame::Error(error) = error.frame else {
        unreachable!()
    };
    assert_eq!(
        (error.client_id.as_deref(), error.detail.as_str()),
        (Some("fourth"), "Rate limit exceeded: 3 per 1 minute")
    );
    assert_eq!(
        server.count("SELECT COUNT(*) FROM messages").await,
        3,
        "refused messages are not stored"
    );
}

/// The account is resolved before its allowance is spent: guessing through its
/// username and through its email draws on one allowance, not two.
#[tokio::test]
async fn username_and_email_share_one_account_allowance() {
    let server = TestServer::start_with(|config| {
        config.rate_limits = "login_account=2/m".parse().unwrap();
    })
    .await;
    server.user("ada").await; // one login spent, by username
    let guess = |login: &'static str| {
        let server = &server;
        async move {
            server
                .raw()
                .post(server.at("/auth/login/"))
                .form(&[("username", login), ("password", "wrong password")])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(guess("ada@example.com").await, 401);
    assert_eq!(guess("ada").await, 429);
    assert_eq!(guess("ADA@EXAMPLE.COM").await, 429);
}

#[tokio::test]
async fn uploads_are_limited_per_user() {
    let server = TestServer::start_with(|config| {
        config.rate_limits = "upload=2/m".parse().unwrap();
    })
    .await;
    let ada = server.user("ada").await;
    let bob = server.user("bob").await;
    let upload = |user: &common::TestUser| {
        let client = user.client.clone();
        async move {
            client
                .upload_message_attachment(socmel_client::UploadFile::bytes(
                    "cat.png",
                    common::png(64),
                ))
                .await
        }
    };
    upload(&ada).await.unwrap();
    upload(&ada).await.unwrap();
    assert_eq!(upload(&ada).await.unwrap_err().status(), Some(429));
    assert!(upload(&bob).await.is_ok(), "keyed by user");
}
